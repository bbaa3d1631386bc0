"""The bank counted for docs/benchmarks.md (bot/quiz/census.py): domains, source files, answer
positions, faults, and questions per service of both notes files."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.content import Content
from bot.quiz import census
from bot.quiz.bank import QuestionBank
from bot.quiz.build import build_bank
from bot.quiz.curated import load_curated
from bot.quiz.model import Question, QuestionKind, Source

TEAM = "content/notes/dop.md"
SUPPLEMENT = "content/notes/dop.supplement.md"


def _question(qid: str, kind: QuestionKind = QuestionKind.TERM, **changes: object) -> Question:
    question = Question(
        id=qid,
        kind=kind,
        prompt="?",
        choices=("a", "b", "c", "d"),
        answer=2,
        explanation="",
        source=Source("n1", ("C", "S", "n"), 1, TEAM),
        service="S",
        category="C",
        choice_type="term",
        domains=("sdlc",),
    )
    if "answer" in changes:
        changes.setdefault("answers", (changes["answer"],))
    if "source" in changes:
        changes.setdefault("sources", (changes["source"],))
    return replace(question, **changes)  # type: ignore[arg-type]


def test_counts_by_domain_file_citation_position_and_fault() -> None:
    supplement = Source("n2", ("C", "T", "n"), 5, SUPPLEMENT)
    questions = [
        _question("g1"),
        _question("g2", answer=0, source=supplement, choices=("a", "b", "〇〇 c")),
        _question("g3", domains=(), off_exam="trivia"),
        _question("c1", QuestionKind.SCENARIO, sources=(Source("n1", (), 1, TEAM), supplement)),
        _question("c2", QuestionKind.SCENARIO, choices=tuple("abcde"), answer=1, answers=(1, 4)),
    ]
    assert census.by_domain(questions) == {"sdlc": 4, "off: trivia": 1}
    files = census.by_source_file(questions, {"c1": "content/questions/a.yaml"})
    assert files == {TEAM: 2, "content/questions/a.yaml": 1, SUPPLEMENT: 1, "curated": 1}
    assert census.curated_citations(questions) == {"both": 1, "team": 1}
    assert census.per_file(questions, {}, census.by_kind) == {
        TEAM: {"term": 2},
        SUPPLEMENT: {"term": 1},
        "curated": {"scenario": 2},
    }
    assert census.answer_positions(questions) == {
        "generated": {"1": 1, "3": 2},
        "curated": {"3": 1},
        "multiple": {"2": 1, "5": 1},
    }
    assert census.choice_faults(questions) == {"fewer_than_4_choices": 1, "mask_in_a_choice": 1}


def test_every_service_of_both_files_is_counted_once(content: Content, bank: QuestionBank) -> None:
    counts = census.per_service(bank.questions, content.decks)
    headings = [(d.source, s.text) for d in content.decks for s in d.services()]
    assert [(c.file, c.service) for c in counts] == headings
    found = {(c.file, c.service): c for c in counts}
    # A question counts for a service when a note it rests on sits under that heading (its breadcrumb).
    cloudwatch = [
        q
        for q in bank.questions
        if any(s.file == TEAM and s.path[1] == "Amazon CloudWatch" for s in q.sources)
    ]
    assert found[(TEAM, "Amazon CloudWatch")].questions == len(cloudwatch) > 0
    assert found[(TEAM, "AWS OpsWorks")].questions == 0  # retired by the errata: nothing is asked
    short = census.short_services(counts)
    assert all(c.questions < census.MIN_PER_SERVICE for c in short)
    assert len(short) == sum(c.questions < census.MIN_PER_SERVICE for c in counts)
    assert [c.questions for c in short] == sorted(c.questions for c in short)


def test_a_question_citing_two_services_counts_for_each(content: Content, tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    path.write_text(
        "- id: two-services\n  prompt: どれか。\n  choices: [a, b, c, d]\n  answer: 0\n"
        '  explanation: 理由。\n  notes: ["c524e0f24a34", "4c26904dfe21"]\n',
        encoding="utf-8",
    )
    [item], problems = load_curated([path], content.decks)
    assert problems == []
    bank = build_bank(content.decks, content.glossary, content.quiz_config, [item])
    [question] = [q for q in bank.questions if q.id == "two-services"]
    counts = {(c.file, c.service): c for c in census.per_service([question], content.decks)}
    assert counts[(TEAM, "Amazon CloudWatch")].questions == 1
    assert counts[(SUPPLEMENT, "AWS Organizations")].questions == 1
    assert sum(c.questions for c in counts.values()) == 2
    assert census.curated_citations([question]) == {"both": 1}

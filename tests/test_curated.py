"""Curated questions: single answers, multiple response (answer: [i, j]), per-choice explanations."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import Content
from bot.quiz.build import build_bank
from bot.quiz.curated import load_curated

NOTE = "c524e0f24a34"  # CloudWatch: 詳細モニタリング (a fact of the team's notes)


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "q.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def _question(answer: str, choices: int, explanations: int | None = None) -> str:
    lines = [
        "- id: sample-question",
        "  prompt: どれか。",
        "  choices:",
        *[f"    - 選択肢{i}" for i in range(choices)],
        f"  answer: {answer}",
        "  explanation: 理由。",
        f"  notes: [{NOTE}]",
    ]
    if explanations is not None:
        lines.append("  choice_explanations:")
        lines.extend(f"    - 説明{i}。" for i in range(explanations))
    return "\n".join(lines) + "\n"


def test_a_multiple_response_question_keeps_every_right_choice(content: Content, tmp_path: Path) -> None:
    [item], problems = load_curated([_write(tmp_path, _question("[3, 1]", 5, 5))], content.decks)
    assert problems == []
    assert item.answers == (1, 3) and item.answer == 1 and len(item.choice_explanations) == 5
    bank = build_bank(content.decks, content.glossary, content.quiz_config, [item])
    [question] = [q for q in bank.questions if q.id == "sample-question"]
    assert question.multiple and question.answers == (1, 3)
    shown = question.to_json()
    assert shown["answers"] == [1, 3] and "answer" not in shown
    assert shown["choice_explanations"] == [f"説明{i}。" for i in range(5)]


@pytest.mark.parametrize(
    ("answer", "choices", "explanations", "problem"),
    [
        ("[1, 3]", 4, None, "at least 5 choices"),
        ("[1, 1]", 5, None, "answer must be"),
        ("[2]", 5, None, "answer must be"),
        ("[1, 9]", 5, None, "answer must be"),
        ("true", 4, None, "answer must be"),
        ("1", 3, None, "4 to 8"),
        ("1", 4, 3, "one text per choice (4)"),
    ],
)
def test_bad_answers_and_explanations_are_reported(
    content: Content, tmp_path: Path, answer: str, choices: int, explanations: int | None, problem: str
) -> None:
    loaded, problems = load_curated(
        [_write(tmp_path, _question(answer, choices, explanations))], content.decks
    )
    assert loaded == [] and len(problems) == 1 and problem in problems[0].message


def test_a_single_answer_question_reads_as_before(content: Content, tmp_path: Path) -> None:
    [item], problems = load_curated([_write(tmp_path, _question("2", 4))], content.decks)
    assert problems == [] and item.answers == (2,) and item.choice_explanations == ()
    bank = build_bank(content.decks, content.glossary, content.quiz_config, [item])
    [question] = [q for q in bank.questions if q.id == "sample-question"]
    assert not question.multiple and question.to_json()["answer"] == 2


def test_a_question_may_cite_the_team_notes_and_the_supplement_together(
    content: Content, tmp_path: Path
) -> None:
    supplement = next(d for d in content.decks if d.source.endswith("dop.supplement.md"))
    fact = next(n for n in supplement.walk() if n.is_fact and not supplement.fact_children(n.id))
    body = _question("2", 4).replace(f"notes: [{NOTE}]", f'notes: ["{NOTE}", "{fact.id}"]')
    [item], problems = load_curated([_write(tmp_path, body)], content.decks)
    assert problems == []
    bank = build_bank(content.decks, content.glossary, content.quiz_config, [item])
    [question] = [q for q in bank.questions if q.id == "sample-question"]
    assert question.cites == (NOTE, fact.id) and fact.text in question.explanation

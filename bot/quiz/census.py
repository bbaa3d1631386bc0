"""The question bank counted: by kind, exam domain, source file and answer position, what generation
should never let through, and questions per service of every notes file. `bench/quiz.py` prints it;
docs/benchmarks.md quotes it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.notes.model import Deck
from bot.notes.origin import origin_of
from bot.quiz.model import Question, QuestionKind
from bot.quiz.text import MASK

MIN_PER_SERVICE = 5  # issue 13: every service of both files has at least this many questions
CHOICES = 4


@dataclass(frozen=True)
class ServiceCount:
    """How many questions rest on notes under one service heading of one notes file."""

    file: str
    service: str
    questions: int
    exam: int  # of them, exam material
    generated: int  # of them, generated (the rest are curated)


def _sorted(counter: Counter[str]) -> dict[str, int]:
    return dict(counter.most_common())


def by_kind(questions: Iterable[Question]) -> dict[str, int]:
    return _sorted(Counter(q.kind.value for q in questions))


def by_domain(questions: Iterable[Question]) -> dict[str, int]:
    """Exam material by primary domain; the rest as 'off: <why>' (retired, trivia…) or 'untagged'."""
    counts: Counter[str] = Counter()
    for q in questions:
        if q.on_exam:
            counts[q.domains[0]] += 1
        else:
            counts[f"off: {q.off_exam}" if q.off_exam else "untagged"] += 1
    return _sorted(counts)


def by_source_file(questions: Iterable[Question], curated_files: Mapping[str, str]) -> dict[str, int]:
    """Generated questions by the notes file they are drawn from, curated ones by their question file."""
    return _sorted(Counter(_file_of(q, curated_files) for q in questions))


def _file_of(question: Question, curated_files: Mapping[str, str]) -> str:
    if question.kind is QuestionKind.SCENARIO:
        return curated_files.get(question.id, "curated")
    return question.source.file


def per_file(
    questions: Iterable[Question],
    curated_files: Mapping[str, str],
    count: Callable[[Iterable[Question]], dict[str, int]],
) -> dict[str, dict[str, int]]:
    """`count` (by_kind, by_domain) over the questions of each source file apart."""
    groups: dict[str, list[Question]] = {}
    for q in questions:
        groups.setdefault(_file_of(q, curated_files), []).append(q)
    return {file: count(members) for file, members in groups.items()}


def curated_citations(questions: Iterable[Question]) -> dict[str, int]:
    """Curated questions by whose notes they cite: the team's, the supplement, or both."""
    counts: Counter[str] = Counter()
    for q in questions:
        if q.kind is QuestionKind.SCENARIO:
            origins = {origin_of(f).value for f in q.files}
            counts["both" if len(origins) > 1 else origins.pop()] += 1
    return _sorted(counts)


def answer_positions(questions: Iterable[Question]) -> dict[str, dict[str, int]]:
    """Where the right choice sits, numbered from 1 as shown: single-answer generated and curated
    questions apart, and every right choice of the multiple-response ones."""
    groups: dict[str, Counter[str]] = {"generated": Counter(), "curated": Counter(), "multiple": Counter()}
    for q in questions:
        group = "multiple" if q.multiple else "curated" if q.kind is QuestionKind.SCENARIO else "generated"
        groups[group].update(str(i + 1) for i in q.answers)
    return {name: dict(sorted(counts.items(), key=lambda kv: int(kv[0]))) for name, counts in groups.items()}


def choice_faults(questions: Iterable[Question]) -> dict[str, int]:
    """Generated questions with fewer than four choices, and with the 〇〇 mask inside a choice."""
    generated = [q for q in questions if q.kind is not QuestionKind.SCENARIO]
    return {
        "fewer_than_4_choices": sum(len(q.choices) < CHOICES for q in generated),
        "mask_in_a_choice": sum(any(MASK in c for c in q.choices) for q in generated),
    }


def per_service(questions: Iterable[Question], decks: Sequence[Deck]) -> list[ServiceCount]:
    """Every service heading of every notes file (as written, retired ones too), in file order, with
    the questions resting on its notes. A question citing notes under two services counts for each."""
    by_file = {deck.source: deck for deck in decks}
    counts: dict[tuple[str, str], Counter[str]] = {
        (deck.source, node.id): Counter() for deck in decks for node in deck.services()
    }
    for q in questions:
        places = set()
        for cited in q.sources:
            deck = by_file.get(cited.file)
            service = deck.service_of(cited.id) if deck is not None and cited.id in deck.nodes else None
            if service is not None:
                places.add((cited.file, service.id))
        for place in places:
            counts[place]["questions"] += 1
            counts[place]["exam"] += q.on_exam
            counts[place]["generated"] += q.kind is not QuestionKind.SCENARIO
    return [
        ServiceCount(file, by_file[file][node_id].text, c["questions"], c["exam"], c["generated"])
        for (file, node_id), c in counts.items()
    ]


def short_services(counts: Iterable[ServiceCount], minimum: int = MIN_PER_SERVICE) -> list[ServiceCount]:
    """The services with fewer than `minimum` questions, fewest first."""
    return sorted(
        (c for c in counts if c.questions < minimum), key=lambda c: (c.questions, c.file, c.service)
    )

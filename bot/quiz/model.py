"""Questions as values: what is asked, the choices, the answer and where it comes from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from bot.notes.origin import origin_of


class QuestionKind(StrEnum):
    TERM = "term"  # given a term, pick its definition
    DEFINITION = "definition"  # given a definition, pick the term
    SERVICE = "service"  # given a fact with the service masked, pick the service
    NUMBER = "number"  # a fact with a number blanked out, pick the value
    FEATURE = "feature"  # given a named feature, pick the service it belongs to
    SCENARIO = "scenario"  # curated, exam-style


@dataclass(frozen=True)
class Source:
    """The note a question is drawn from (for curated questions, the first cited note)."""

    id: str
    path: tuple[str, ...]  # breadcrumb: category › service › … › the note itself
    line: int
    file: str


@dataclass(frozen=True)
class Grade:
    """An answer held against the question: right only with every right choice and no other."""

    picks: tuple[int, ...]  # what was chosen, ascending
    missed: tuple[int, ...]  # right choices not chosen
    wrong: tuple[int, ...]  # chosen choices that are not right

    @property
    def correct(self) -> bool:
        return not self.missed and not self.wrong


@dataclass(frozen=True)
class Question:
    """A multiple-choice question. `choices` are already in display order; `answer` indexes them."""

    id: str
    kind: QuestionKind
    prompt: str
    choices: tuple[str, ...]
    answer: int
    explanation: str
    source: Source
    service: str
    category: str
    choice_type: str  # what every choice is: 'definition', 'term', 'service', a unit such as '秒'
    cites: tuple[str, ...] = ()  # every note id the question rests on
    domains: tuple[str, ...] = ()  # exam domains, primary first (content/exam.yaml)
    off_exam: str | None = None  # why it is not exam material (retired, trivia…), if it is not
    # Every right choice, ascending: two or more for a multiple-response question ('choose two');
    # empty means `(answer,)`. `answer` is then the first of them.
    answers: tuple[int, ...] = ()
    choice_explanations: tuple[str, ...] = ()  # why each choice is right or wrong, in choice order
    # Every note the question rests on, in citing order: a curated question may cite the team's
    # notes and the supplement together. Empty means `(source,)`.
    sources: tuple[Source, ...] = ()

    def __post_init__(self) -> None:
        if not self.answers:
            object.__setattr__(self, "answers", (self.answer,))
        if not self.sources:
            object.__setattr__(self, "sources", (self.source,))

    @property
    def files(self) -> tuple[str, ...]:
        """The notes files the question rests on, each once, in citing order."""
        return tuple(dict.fromkeys(s.file for s in self.sources))

    @property
    def multiple(self) -> bool:
        """A multiple-response question: every right choice, and none of the others, must be picked."""
        return len(self.answers) > 1

    @property
    def on_exam(self) -> bool:
        """Exam material: tagged with a domain and not marked off the exam."""
        return self.off_exam is None and bool(self.domains)

    def grade(self, picks: Iterable[int]) -> Grade:
        chosen = set(picks)
        right = set(self.answers)
        return Grade(tuple(sorted(chosen)), tuple(sorted(right - chosen)), tuple(sorted(chosen - right)))

    @property
    def correct_choice(self) -> str:
        return self.choices[self.answer]

    def to_json(self) -> dict[str, object]:
        """The documented shape of `dop-bot questions --json`."""
        return {
            "id": self.id,
            "kind": self.kind.value,
            "prompt": self.prompt,
            "choices": list(self.choices),
            **({} if self.multiple else {"answer": self.answer}),
            "answers": list(self.answers),
            "explanation": self.explanation,
            **({"choice_explanations": list(self.choice_explanations)} if self.choice_explanations else {}),
            "source": {
                "id": self.source.id,
                "path": list(self.source.path),
                "line": self.source.line,
                "file": self.source.file,
                "origin": origin_of(self.source.file).value,
                "files": list(self.files),
            },
            "domains": list(self.domains),
            "exam": self.on_exam,
        }

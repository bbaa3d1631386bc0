"""The question bank: every sound question in a stable order, and why others were left out. How it
is built from the notes lives in bot/quiz/build.py, which a start from a snapshot never imports."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable

from bot.quiz.model import Question


class QuestionBank:
    """Every sound question, in a stable order, and why others were left out.

    `QuestionBank.lazy(build)` defers the work until the first question is needed, so a process can
    answer requests while the bank is built in the background (`ensure` from a worker thread).
    """

    def __init__(
        self,
        questions: tuple[Question, ...] = (),
        dropped: Counter[str] | None = None,
        builder: Callable[[], QuestionBank] | None = None,
        removed: frozenset[str] = frozenset(),
    ) -> None:
        self._questions = questions
        self._dropped: Counter[str] = dropped if dropped is not None else Counter()
        # Ids a `drop` resolution took out (content/quiz.yaml); only `content check` reads them, so a
        # bank read back from a snapshot may leave them out.
        self._removed = removed
        self._by_id = {q.id: q for q in questions}
        self._builder = builder
        self._lock = threading.Lock()

    @classmethod
    def lazy(cls, builder: Callable[[], QuestionBank]) -> QuestionBank:
        return cls(builder=builder)

    def ensure(self) -> QuestionBank:
        """Build now if not built yet (safe from several threads at once)."""
        if self._builder is not None:
            with self._lock:
                if self._builder is not None:
                    built = self._builder()
                    self._questions, self._dropped, self._by_id = built.questions, built.dropped, built.by_id
                    self._removed = built.removed
                    self._builder = None
        return self

    @property
    def questions(self) -> tuple[Question, ...]:
        return self.ensure()._questions

    @property
    def dropped(self) -> Counter[str]:
        return self.ensure()._dropped

    @property
    def removed(self) -> frozenset[str]:
        return self.ensure()._removed

    @property
    def by_id(self) -> dict[str, Question]:
        return self.ensure()._by_id

    def __len__(self) -> int:
        return len(self.questions)

    def get(self, question_id: str) -> Question | None:
        return self.by_id.get(question_id)

    def select(self, kind: str | None = None, services: Iterable[str] | None = None) -> list[Question]:
        """Questions of a kind and/or about any of the given services or categories (exact names)."""
        wanted = set(services) if services is not None else None
        return [
            q
            for q in self.questions
            if (kind is None or q.kind.value == kind)
            and (wanted is None or q.service in wanted or q.category in wanted)
        ]

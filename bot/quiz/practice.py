"""Personal practice scheduled by FSRS: one card per user per question, due reviews first.

Card state lives behind the `CardStore` port; `InMemoryCardStore` serves tests and the console until
the database store arrives.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from fsrs import Card, Rating, ReviewLog, Scheduler

from bot.clock import Clock
from bot.quiz.bank import QuestionBank
from bot.quiz.model import Grade, Question


@dataclass(frozen=True)
class StoredCard:
    """A user's FSRS card for one question, as plain data (what a store keeps)."""

    user: str
    question_id: str
    state: dict[str, Any]
    due: datetime


@dataclass(frozen=True)
class ReviewRecord:
    user: str
    question_id: str
    picks: tuple[int, ...]  # the choice, or every choice of a multiple-response answer
    correct: bool
    reviewed_at: datetime
    log: dict[str, Any]


class CardStore(Protocol):
    """Where practice state is kept: cards, review logs, and each user's question in progress."""

    async def get_card(self, user: str, question_id: str) -> StoredCard | None: ...

    async def save_review(self, card: StoredCard, record: ReviewRecord) -> None: ...

    async def due_cards(self, user: str, now: datetime, limit: int) -> list[StoredCard]: ...

    async def known_questions(self, user: str) -> set[str]: ...

    async def next_due(self, user: str) -> datetime | None: ...

    async def set_pending(self, user: str, question_id: str | None) -> None: ...

    async def get_pending(self, user: str) -> str | None: ...


@dataclass
class InMemoryCardStore:
    """A CardStore in a dict, for tests and a console session."""

    cards: dict[tuple[str, str], StoredCard] = field(default_factory=dict)
    reviews: list[ReviewRecord] = field(default_factory=list)
    pending: dict[str, str] = field(default_factory=dict)

    async def get_card(self, user: str, question_id: str) -> StoredCard | None:
        return self.cards.get((user, question_id))

    async def save_review(self, card: StoredCard, record: ReviewRecord) -> None:
        self.cards[(card.user, card.question_id)] = card
        self.reviews.append(record)

    async def due_cards(self, user: str, now: datetime, limit: int) -> list[StoredCard]:
        due = [c for (u, _), c in self.cards.items() if u == user and c.due <= now]
        return sorted(due, key=lambda c: (c.due, c.question_id))[:limit]

    async def known_questions(self, user: str) -> set[str]:
        return {q for (u, q) in self.cards if u == user}

    async def next_due(self, user: str) -> datetime | None:
        return min((c.due for (u, _), c in self.cards.items() if u == user), default=None)

    async def set_pending(self, user: str, question_id: str | None) -> None:
        if question_id is None:
            self.pending.pop(user, None)
        else:
            self.pending[user] = question_id

    async def get_pending(self, user: str) -> str | None:
        return self.pending.get(user)


@dataclass(frozen=True)
class PracticeResult:
    question: Question
    grade: Grade
    next_due: datetime

    @property
    def correct(self) -> bool:
        return self.grade.correct


def default_scheduler() -> Scheduler:
    # Fuzzing draws from the global random module; without it the same answers give the same schedule.
    return Scheduler(enable_fuzzing=False)


@dataclass
class PracticeService:
    """Serves practice questions and records answers. All times come from the injected clock."""

    bank: QuestionBank
    store: CardStore
    clock: Clock
    scheduler: Scheduler = field(default_factory=default_scheduler)
    seed: str = "practice"

    def _now(self) -> datetime:
        now = self.clock.now()
        if now.tzinfo is None:
            raise ValueError("the clock must give timezone-aware datetimes")
        return now.astimezone(UTC)

    async def next_question(self, user: str, scope: Sequence[Question] | None = None) -> Question | None:
        """A due card in scope first, else a question the user has not seen, else the soonest due."""
        pool = list(scope) if scope is not None else list(self.bank.questions)
        if not pool:
            return None
        ids = {q.id for q in pool}
        now = self._now()
        for card in await self.store.due_cards(user, now, limit=len(self.bank)):
            if card.question_id in ids and (question := self.bank.get(card.question_id)) is not None:
                return await self._hand_out(user, question)
        known = await self.store.known_questions(user)
        fresh = sorted((q for q in pool if q.id not in known), key=lambda q: q.id)
        if fresh:
            rng = random.Random(f"{self.seed}:{user}:{len(known)}")
            return await self._hand_out(user, rng.choice(fresh))
        return await self._hand_out(user, sorted(pool, key=lambda q: q.id)[0])

    async def due_question(self, user: str) -> Question | None:
        """The user's most overdue card, or None when nothing is due."""
        for card in await self.store.due_cards(user, self._now(), limit=1):
            question = self.bank.get(card.question_id)
            if question is not None:
                return await self._hand_out(user, question)
        return None

    async def next_due(self, user: str) -> datetime | None:
        return await self.store.next_due(user)

    async def pending(self, user: str) -> Question | None:
        question_id = await self.store.get_pending(user)
        return self.bank.get(question_id) if question_id else None

    async def answer(self, user: str, question_id: str, choice: int | Sequence[int]) -> PracticeResult:
        """Rate the answer (right: Good; wrong, a partly right multiple response too: Again) and
        schedule the card's next review. `choice`: one choice, or every choice picked."""
        question = self.bank.get(question_id)
        if question is None:
            raise KeyError(question_id)
        picks = (choice,) if isinstance(choice, int) else tuple(sorted(set(choice)))
        if not picks or not all(0 <= pick < len(question.choices) for pick in picks):
            raise IndexError(choice)
        now = self._now()
        stored = await self.store.get_card(user, question_id)
        card = Card.from_dict(stored.state) if stored else Card(card_id=_card_id(user, question_id), due=now)  # type: ignore[arg-type]
        grade = question.grade(picks)
        card, log = self.scheduler.review_card(
            card, Rating.Good if grade.correct else Rating.Again, review_datetime=now
        )
        due = card.due.astimezone(UTC)
        await self.store.save_review(
            StoredCard(user, question_id, card.to_dict(), due),  # type: ignore[arg-type]
            ReviewRecord(user, question_id, picks, grade.correct, now, _log_dict(log)),
        )
        await self.store.set_pending(user, None)
        return PracticeResult(question, grade, due)

    async def _hand_out(self, user: str, question: Question) -> Question:
        await self.store.set_pending(user, question.id)
        return question


def _card_id(user: str, question_id: str) -> int:
    # fsrs wants an int id; derive it from the pair so it never depends on the wall clock.
    return int(hashlib.sha1(f"{user}|{question_id}".encode()).hexdigest()[:12], 16)


def _log_dict(log: ReviewLog) -> dict[str, Any]:
    data: dict[str, Any] = log.to_dict()  # type: ignore[assignment]
    return data

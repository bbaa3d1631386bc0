"""Mock exams in the database: a sitting survives restarts, so the next question can be answered after
the bot was redeployed. One open sitting per person; answers are kept per position, once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from bot.storage.database import Database
from bot.storage.identities import insert_ignore, is_user, user_id
from bot.storage.models import ExamAnswer, ExamSitting, User
from bot.storage.refs import UserRef


@dataclass(frozen=True)
class Sitting:
    id: int
    question_ids: tuple[str, ...]
    started_at: datetime
    answers: tuple[tuple[str, tuple[int, ...], bool], ...]  # (question id, choices, correct), in order

    @property
    def position(self) -> int:
        """The next question to answer (== len(question_ids) when every one is answered)."""
        return len(self.answers)


@dataclass(frozen=True)
class FinishedSitting:
    started_at: datetime
    finished_at: datetime
    asked: int
    answered: int
    right: int
    scaled: int
    stopped: bool


@dataclass
class ExamStore:
    db: Database

    async def open_sitting(self, user: UserRef) -> Sitting | None:
        """The person's unfinished sitting, with its answers so far."""
        async with self.db.transaction() as session:
            row = (
                await session.execute(
                    select(ExamSitting)
                    .join(User, User.id == ExamSitting.user_id)
                    .where(is_user(user), ExamSitting.finished_at.is_(None))
                    .order_by(ExamSitting.id.desc())
                    .limit(1)
                )
            ).scalar_one_or_none()
            if row is None:
                return None
            answers = await session.execute(
                select(ExamAnswer.question_id, ExamAnswer.choices, ExamAnswer.correct)
                .where(ExamAnswer.sitting_id == row.id)
                .order_by(ExamAnswer.position)
            )
            return Sitting(
                row.id,
                tuple(row.question_ids),
                row.started_at,
                tuple((q, tuple(int(c) for c in choices.split(",")), bool(ok)) for q, choices, ok in answers),
            )

    async def start(self, user: UserRef, question_ids: tuple[str, ...], now: datetime) -> int:
        async with self.db.transaction() as session:
            uid = await user_id(session, user, now)
            sitting = ExamSitting(user_id=uid, question_ids=list(question_ids), started_at=now, stopped=False)
            session.add(sitting)
            await session.flush()
            return sitting.id

    async def record(
        self,
        sitting_id: int,
        position: int,
        question_id: str,
        choices: tuple[int, ...],
        correct: bool,
        now: datetime,
    ) -> bool:
        """Store the answer at `position`; False when that position was answered already."""
        values = {
            "sitting_id": sitting_id,
            "position": position,
            "question_id": question_id,
            "choices": ",".join(map(str, choices)),
            "correct": correct,
            "answered_at": now,
        }
        async with self.db.transaction() as session:
            inserted: Any = await session.execute(insert_ignore(session, ExamAnswer.__table__, values))
            return bool(inserted.rowcount)

    async def finish(
        self, sitting_id: int, now: datetime, right: int, answered: int, scaled: int, stopped: bool
    ) -> bool:
        """Close the sitting with its score; False when it was closed already (a double click)."""
        async with self.db.transaction() as session:
            closed: Any = await session.execute(
                update(ExamSitting)
                .where(ExamSitting.id == sitting_id, ExamSitting.finished_at.is_(None))
                .values(finished_at=now, right=right, answered=answered, scaled=scaled, stopped=stopped)
            )
            return bool(closed.rowcount)

    async def history(self, user: UserRef, limit: int = 5) -> list[FinishedSitting]:
        """The person's latest finished sittings, newest first."""
        async with self.db.transaction() as session:
            rows = await session.execute(
                select(ExamSitting)
                .join(User, User.id == ExamSitting.user_id)
                .where(is_user(user), ExamSitting.finished_at.is_not(None))
                .order_by(ExamSitting.finished_at.desc(), ExamSitting.id.desc())
                .limit(limit)
            )
            return [
                FinishedSitting(
                    r.started_at,
                    r.finished_at or r.started_at,
                    len(r.question_ids),
                    r.answered or 0,
                    r.right or 0,
                    r.scaled or 0,
                    r.stopped,
                )
                for r in rows.scalars()
            ]

"""The CardStore port on the database: FSRS cards, review logs, practice answers, pending questions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.quiz.practice import ReviewRecord, StoredCard
from bot.storage.database import Database
from bot.storage.identities import insert_ignore, is_user, user_id
from bot.storage.models import Answer, Card, PendingPractice, ReviewLog, User, picks_column
from bot.storage.refs import UserRef


@dataclass
class SqlCardStore:
    """Practice state in the database. User keys are 'platform:external id'."""

    db: Database
    clock: Clock

    async def _user(self, session: AsyncSession, key: str) -> int:
        return await user_id(session, UserRef.from_key(key), self.clock.now())

    async def get_card(self, user: str, question_id: str) -> StoredCard | None:
        ref = UserRef.from_key(user)
        async with self.db.transaction() as session:
            row = (
                await session.execute(
                    select(Card)
                    .join(User, User.id == Card.user_id)
                    .where(is_user(ref))
                    .where(Card.question_id == question_id)
                )
            ).scalar_one_or_none()
            return None if row is None else StoredCard(user, question_id, dict(row.state), row.due)

    async def save_review(self, card: StoredCard, record: ReviewRecord) -> None:
        """Card, review log and the practice answer in one transaction: all or nothing."""
        async with self.db.transaction() as session:
            uid = await self._user(session, card.user)
            existing = await session.get(Card, (uid, card.question_id))
            if existing is None:
                session.add(Card(user_id=uid, question_id=card.question_id, state=card.state, due=card.due))
            else:
                existing.state, existing.due = card.state, card.due
            session.add(
                ReviewLog(
                    user_id=uid,
                    question_id=record.question_id,
                    choice=record.picks[0],
                    choices=picks_column(record.picks),
                    correct=record.correct,
                    reviewed_at=record.reviewed_at,
                    log=record.log,
                )
            )
            session.add(
                Answer(
                    post_id=None,
                    user_id=uid,
                    question_id=record.question_id,
                    choice=record.picks[0],
                    choices=picks_column(record.picks),
                    correct=record.correct,
                    answered_at=record.reviewed_at,
                )
            )

    async def due_cards(self, user: str, now: datetime, limit: int) -> list[StoredCard]:
        ref = UserRef.from_key(user)
        async with self.db.transaction() as session:
            rows = (
                await session.execute(
                    select(Card)
                    .join(User, User.id == Card.user_id)
                    .where(is_user(ref), Card.due <= now)
                    .order_by(Card.due, Card.question_id)
                    .limit(limit)
                )
            ).scalars()
            return [StoredCard(user, r.question_id, dict(r.state), r.due) for r in rows]

    async def known_questions(self, user: str) -> set[str]:
        ref = UserRef.from_key(user)
        async with self.db.transaction() as session:
            rows = await session.execute(
                select(Card.question_id).join(User, User.id == Card.user_id).where(is_user(ref))
            )
            return set(rows.scalars())

    async def next_due(self, user: str) -> datetime | None:
        ref = UserRef.from_key(user)
        async with self.db.transaction() as session:
            found = await session.execute(
                select(func.min(Card.due)).join(User, User.id == Card.user_id).where(is_user(ref))
            )
            value: datetime | None = found.scalar_one_or_none()  # min() keeps the column's UTC type
            return value

    async def set_pending(self, user: str, question_id: str | None) -> None:
        async with self.db.transaction() as session:
            uid = await self._user(session, user)
            await session.execute(delete(PendingPractice).where(PendingPractice.user_id == uid))
            if question_id is not None:
                await session.execute(
                    insert_ignore(
                        session, PendingPractice.__table__, {"user_id": uid, "question_id": question_id}
                    )
                )

    async def get_pending(self, user: str) -> str | None:
        ref = UserRef.from_key(user)
        async with self.db.transaction() as session:
            found = await session.execute(
                select(PendingPractice.question_id)
                .join(User, User.id == PendingPractice.user_id)
                .where(is_user(ref))
            )
            return found.scalar_one_or_none()

    async def due_count(self, user: str, now: datetime) -> int:
        ref = UserRef.from_key(user)
        async with self.db.transaction() as session:
            found = await session.execute(
                select(func.count())
                .select_from(Card)
                .join(User, User.id == Card.user_id)
                .where(is_user(ref), Card.due <= now)
            )
            return int(found.scalar_one())

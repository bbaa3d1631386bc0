"""What people remember, as far as the database can tell: their practice cards and the last answer they
gave to each question (daily or practice). The readiness figures (bot/quiz/readiness.py) are computed
from it; one query each for cards and answers, however many people are asked about."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from bot.quiz.readiness import LastAnswer
from bot.storage.database import Database
from bot.storage.identities import channel_id
from bot.storage.models import Answer, Card, DailyPost, User
from bot.storage.refs import ChannelRef, UserRef


@dataclass(frozen=True)
class Memory:
    """One person's cards (question id → FSRS state, and when each falls due) and last answers
    (question id → LastAnswer)."""

    cards: dict[str, dict[str, Any]] = field(default_factory=dict)
    last_answers: dict[str, LastAnswer] = field(default_factory=dict)
    due: dict[str, datetime] = field(default_factory=dict)


@dataclass
class MemoryQueries:
    db: Database

    async def of(self, users: list[UserRef]) -> dict[str, Memory]:
        """Each user's memory, by user key ('platform:id'); users the database does not know are empty."""
        found: dict[str, Memory] = {user.key: Memory() for user in users}
        if not users:
            return found
        async with self.db.transaction() as session:
            ids: dict[int, str] = {}
            by_platform: dict[str, list[str]] = defaultdict(list)
            for user in users:
                by_platform[user.platform].append(user.external_id)
            for platform, externals in by_platform.items():
                rows = await session.execute(
                    select(User.id, User.external_id).where(
                        User.platform == platform, User.external_id.in_(externals)
                    )
                )
                ids.update({uid: f"{platform}:{external}" for uid, external in rows})
            if not ids:
                return found
            cards = await session.execute(
                select(Card.user_id, Card.question_id, Card.state, Card.due).where(Card.user_id.in_(ids))
            )
            for uid, question_id, state, due in cards:
                found[ids[uid]].cards[question_id] = dict(state)
                found[ids[uid]].due[question_id] = due
            answers = await session.execute(
                select(Answer.user_id, Answer.question_id, Answer.correct, Answer.answered_at)
                .where(Answer.user_id.in_(ids))
                .order_by(Answer.answered_at, Answer.id)
            )
            for uid, question_id, correct, answered_at in answers:  # later rows replace earlier ones
                found[ids[uid]].last_answers[question_id] = LastAnswer(answered_at, bool(correct))
        return found

    async def participants(
        self, channel: ChannelRef, first: date, last: date, now: datetime
    ) -> list[UserRef]:
        """Everyone who answered a daily question of the channel between two local dates."""
        async with self.db.transaction() as session:
            cid = await channel_id(session, channel, now)
            rows = await session.execute(
                select(User.platform, User.external_id, User.display_name)
                .join(Answer, Answer.user_id == User.id)
                .join(DailyPost, DailyPost.id == Answer.post_id)
                .where(DailyPost.channel_id == cid, DailyPost.local_date.between(first, last))
                .distinct()
                .order_by(User.platform, User.external_id)
            )
            return [UserRef(platform, external, name) for platform, external, name in rows]

"""Aggregates for /dop stats and the weekly report, computed in SQL so 900,000 answers stay cheap."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Integer, and_, cast, func, select

from bot.stats.calendar import week_bounds
from bot.storage.daily import latest_open_post
from bot.storage.database import Database
from bot.storage.identities import channel_id, is_user
from bot.storage.models import Answer, DailyPost, StreakState, User
from bot.storage.refs import ChannelRef, UserRef


@dataclass(frozen=True)
class AnswerTotals:
    answers: int = 0
    correct: int = 0


@dataclass(frozen=True)
class UserSummary:
    overall: AnswerTotals
    last_7_days: AnswerTotals
    by_question: dict[str, AnswerTotals] = field(default_factory=dict)


@dataclass(frozen=True)
class PostDay:
    local_date: date
    question_id: str
    answers: int
    correct: int


@dataclass(frozen=True)
class WeekData:
    week: str
    days: tuple[PostDay, ...]
    participants: int | None  # None when not counted

    @property
    def answers(self) -> int:
        return sum(d.answers for d in self.days)

    @property
    def correct(self) -> int:
        return sum(d.correct for d in self.days)


@dataclass(frozen=True)
class StreakHolder:
    name: str
    current: int
    longest: int


def _totals(row: Any) -> AnswerTotals:
    return AnswerTotals(int(row[0] or 0), int(row[1] or 0))


@dataclass
class StatsQueries:
    db: Database

    async def user_summary(self, user: UserRef, since: datetime) -> UserSummary:
        """A user's answers everywhere (daily posts and practice): overall, recent, per question."""
        async with self.db.transaction() as session:
            uid = (await session.execute(select(User.id).where(is_user(user)))).scalar_one_or_none()
            if uid is None:
                return UserSummary(AnswerTotals(), AnswerTotals())
            right = func.sum(cast(Answer.correct, Integer))
            recent = (
                await session.execute(
                    select(func.count(), right).where(Answer.user_id == uid, Answer.answered_at >= since)
                )
            ).one()
            per_question = await session.execute(
                select(Answer.question_id, func.count(), right)
                .where(Answer.user_id == uid)
                .group_by(Answer.question_id)
            )
            by_question = {qid: AnswerTotals(int(n), int(c or 0)) for qid, n, c in per_question}
            # Every answer has a question, so the overall totals are the per-question ones added up.
            overall = AnswerTotals(
                sum(t.answers for t in by_question.values()), sum(t.correct for t in by_question.values())
            )
            return UserSummary(overall, _totals(recent), by_question)

    async def week(
        self, channel: ChannelRef, week: str, now: datetime, count_participants: bool = True
    ) -> WeekData:
        """Each question day of an ISO week (the channel's local dates) with its answers, and how many
        people answered (unless `count_participants` is False: the week a report compares with)."""
        first, last = week_bounds(week)
        async with self.db.transaction() as session:
            cid = await channel_id(session, channel, now)
            right = func.sum(cast(Answer.correct, Integer))
            rows = await session.execute(
                select(DailyPost.local_date, DailyPost.question_id, func.count(Answer.id), right)
                .outerjoin(Answer, Answer.post_id == DailyPost.id)
                .where(DailyPost.channel_id == cid, DailyPost.local_date.between(first, last))
                .group_by(DailyPost.id, DailyPost.local_date, DailyPost.question_id)
                .order_by(DailyPost.local_date)
            )
            days = tuple(PostDay(d, q, int(n), int(c or 0)) for d, q, n, c in rows)
            if not count_participants:
                return WeekData(week, days, None)
            participants = (
                await session.execute(
                    select(func.count(func.distinct(Answer.user_id)))
                    .join(DailyPost, DailyPost.id == Answer.post_id)
                    .where(DailyPost.channel_id == cid, DailyPost.local_date.between(first, last))
                )
            ).scalar_one()
            return WeekData(week, days, int(participants))

    async def top_streaks(self, channel: ChannelRef, now: datetime, limit: int = 3) -> list[StreakHolder]:
        async with self.db.transaction() as session:
            cid = await channel_id(session, channel, now)
            rows = await session.execute(
                select(User.display_name, User.external_id, StreakState.current, StreakState.longest)
                .join(User, User.id == StreakState.user_id)
                .where(StreakState.channel_id == cid, StreakState.current > 0)
                .order_by(StreakState.current.desc(), StreakState.longest.desc(), User.id)
                .limit(limit)
            )
            return [StreakHolder(name or ext, int(cur), int(lon)) for name, ext, cur, lon in rows]

    async def at_risk(
        self, channel: ChannelRef, now: datetime, minimum: int = 2, limit: int = 10
    ) -> list[StreakHolder]:
        """People with a streak who have not yet answered the question that is open now."""
        async with self.db.transaction() as session:
            cid = await channel_id(session, channel, now)
            open_post = await latest_open_post(session, cid)
            if open_post is None:
                return []
            answered = select(Answer.id).where(
                Answer.post_id == open_post, Answer.user_id == StreakState.user_id
            )
            rows = await session.execute(
                select(User.display_name, User.external_id, StreakState.current, StreakState.longest)
                .join(User, User.id == StreakState.user_id)
                .where(
                    and_(StreakState.channel_id == cid, StreakState.current >= minimum, ~answered.exists())
                )
                .order_by(StreakState.current.desc(), User.id)
                .limit(limit)
            )
            return [StreakHolder(name or ext, int(cur), int(lon)) for name, ext, cur, lon in rows]

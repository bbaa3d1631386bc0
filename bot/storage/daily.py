"""Daily posts and their answers: claim a channel's day once, count one answer per user, close and
advance everyone's streaks."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import Integer, case, cast, delete, func, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.quiz.selection import PostedQuestion
from bot.stats.streaks import DayOutcome, Streaks, with_open_day
from bot.storage.answer_batch import AnswerBatcher, Click
from bot.storage.database import Database
from bot.storage.identities import channel_id, insert_ignore, user_id
from bot.storage.models import OPEN, Answer, DailyPost, ReportRun, StreakState, User, picks_of
from bot.storage.refs import ChannelRef, UserRef


@dataclass(frozen=True)
class PostInfo:
    id: int
    channel_id: int
    local_date: date
    question_id: str
    status: str
    message_ref: str | None
    opened_at: datetime | None = None


@dataclass(frozen=True)
class AnswerRecord:
    """What happened to an answer: recorded now, or the first one that counts (a repeat click)."""

    recorded: bool
    picks: tuple[int, ...]
    correct: bool
    closed: bool = False

    @property
    def choice(self) -> int:
        return self.picks[0]


@dataclass(frozen=True)
class PostResults:
    post: PostInfo
    counts: Counter[int]  # per choice, how many picked it (an answer of several choices counts for each)
    # (display name, choices picked, correct), first answers first
    answerers: tuple[tuple[str, tuple[int, ...], bool], ...]
    closed_now: bool = False  # this call closed it (only that caller sends the reveal)

    @property
    def right(self) -> int:
        """How many got it right: every right choice and no other."""
        return sum(correct for _, _, correct in self.answerers)


async def latest_open_post(session: AsyncSession, cid: int) -> int | None:
    """The channel's question that is still open (posted, not yet revealed), if any."""
    found = await session.execute(
        select(DailyPost.id)
        .where(DailyPost.channel_id == cid, DailyPost.status.in_(OPEN))
        .order_by(DailyPost.local_date.desc())
        .limit(1)
    )
    return found.scalar_one_or_none()


def _info(post: DailyPost) -> PostInfo:
    return PostInfo(
        post.id,
        post.channel_id,
        post.local_date,
        post.question_id,
        post.status,
        post.message_ref,
        post.opened_at,
    )


def _streaks(state: StreakState) -> Streaks:
    return Streaks(state.current, state.longest, state.current_correct, state.longest_correct)


@dataclass
class DailyLedger:
    db: Database
    batcher: AnswerBatcher = field(init=False)
    _questions: dict[int, str] = field(default_factory=dict, init=False)
    _lookups: dict[int, asyncio.Task[str | None]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.batcher = AnswerBatcher(self.db)

    async def claim(self, channel: ChannelRef, day: date, question_id: str, now: datetime) -> PostInfo | None:
        """Claim (channel, day) before posting; None if someone (a replica, a retry) already has it.

        A day whose post failed to send can be claimed again, by exactly one caller.
        """
        async with self.db.transaction() as session:
            cid = await channel_id(session, channel, now)
            retried = await session.execute(
                update(DailyPost)
                .where(DailyPost.channel_id == cid, DailyPost.local_date == day, DailyPost.status == "failed")
                .values(status="claimed", question_id=question_id, claimed_at=now)
                .returning(DailyPost.id)
            )
            again = retried.scalar_one_or_none()
            if again is not None:
                post = await session.get(DailyPost, again)
                assert post is not None
                self._questions[again] = question_id
                return _info(post)
            values = {
                "channel_id": cid,
                "local_date": day,
                "question_id": question_id,
                "status": "claimed",
                "attempts": 0,
                "claimed_at": now,
            }
            inserted = await session.execute(
                insert_ignore(session, DailyPost.__table__, values).returning(DailyPost.id)
            )
            post_id = inserted.scalar_one_or_none()
            if post_id is None:
                return None
            post = await session.get(DailyPost, post_id)
            assert post is not None
            self._questions[post_id] = question_id
            return _info(post)

    async def mark_posted(self, post_id: int, message_ref: str, now: datetime) -> None:
        async with self.db.transaction() as session:
            await session.execute(
                update(DailyPost)
                .where(DailyPost.id == post_id)
                .values(
                    status="posted", message_ref=message_ref, opened_at=now, attempts=DailyPost.attempts + 1
                )
            )

    async def mark_failed(self, post_id: int) -> None:
        """Sending failed for good: release the day so a later run may post it (never twice)."""
        async with self.db.transaction() as session:
            await session.execute(
                update(DailyPost)
                .where(DailyPost.id == post_id, DailyPost.status == "claimed")
                .values(status="failed", attempts=DailyPost.attempts + 1)
            )

    async def mark_revealed(self, post_id: int, now: datetime) -> None:
        async with self.db.transaction() as session:
            await session.execute(update(DailyPost).where(DailyPost.id == post_id).values(revealed_at=now))

    async def post_on(self, channel: ChannelRef, day: date, now: datetime) -> PostInfo | None:
        async with self.db.transaction() as session:
            cid = await channel_id(session, channel, now)
            post = (
                await session.execute(
                    select(DailyPost).where(DailyPost.channel_id == cid, DailyPost.local_date == day)
                )
            ).scalar_one_or_none()
            return None if post is None else _info(post)

    async def open_posts(self, channel_db_id: int | None = None) -> list[PostInfo]:
        """Posts sent and not yet closed (their reveal is still to come), oldest first."""
        async with self.db.transaction() as session:
            query = select(DailyPost).where(DailyPost.status == "posted")
            if channel_db_id is not None:
                query = query.where(DailyPost.channel_id == channel_db_id)
            rows = (await session.execute(query.order_by(DailyPost.local_date, DailyPost.id))).scalars()
            return [_info(p) for p in rows]

    async def unrevealed(self, closed_before: datetime) -> list[PostInfo]:
        """Closed posts whose reveal never went out (a crash between closing and editing).

        Only posts closed before `closed_before`: a reveal still on its way is not sent twice.
        """
        async with self.db.transaction() as session:
            rows = await session.execute(
                select(DailyPost).where(
                    DailyPost.status == "closed",
                    DailyPost.revealed_at.is_(None),
                    DailyPost.message_ref.is_not(None),
                    DailyPost.closed_at < closed_before,
                )
            )
            return [_info(p) for p in rows.scalars()]

    async def history(self, channel_db_id: int) -> list[PostedQuestion]:
        """The channel's past daily questions with how it answered them, oldest first."""
        async with self.db.transaction() as session:
            right = func.sum(cast(Answer.correct, Integer))
            rows = await session.execute(
                select(DailyPost.question_id, func.count(Answer.id), right)
                .outerjoin(Answer, Answer.post_id == DailyPost.id)
                .where(DailyPost.channel_id == channel_db_id)
                .group_by(DailyPost.id, DailyPost.local_date, DailyPost.question_id)
                .order_by(DailyPost.local_date)
            )
            return [PostedQuestion(q, int(n), int(c or 0)) for q, n, c in rows]

    async def get(self, post_id: int) -> PostInfo | None:
        async with self.db.transaction() as session:
            post = await session.get(DailyPost, post_id)
            return None if post is None else _info(post)

    async def record_answer(
        self, post_id: int, user: UserRef, choice: int | tuple[int, ...], correct: bool, now: datetime
    ) -> AnswerRecord | None:
        """The first answer counts; a second click finds it and changes nothing. None: no such post.

        `choice` is one choice or, for a multiple-response question, every choice picked (at least one).
        Clicks go through the batcher, so a burst is written in a few transactions.
        """
        picks = (choice,) if isinstance(choice, int) else tuple(sorted(set(choice)))
        if not picks:
            raise ValueError("an answer picks at least one choice")
        result = await self.batcher.submit(Click(post_id, user, picks, correct, now))
        if result.status == "unknown":
            return None
        if result.status == "closed":
            return AnswerRecord(recorded=False, picks=picks, correct=correct, closed=True)
        return AnswerRecord(result.status == "recorded", result.picks, result.correct)

    async def question_of(self, post_id: int) -> str | None:
        """A post's question never changes once claimed, so it is remembered after the first look."""
        if post_id in self._questions:
            return self._questions[post_id]
        # A burst of clicks on a post not seen yet shares one lookup, and its failure: taking turns
        # behind a lock would make each click wait out a silent database once more.
        lookup = self._lookups.get(post_id)
        if lookup is None:
            lookup = asyncio.ensure_future(self._look_up(post_id))
            self._lookups[post_id] = lookup
            lookup.add_done_callback(lambda _: self._lookups.pop(post_id, None))
        return await asyncio.shield(lookup)  # one click given up on does not cancel the others' lookup

    async def _look_up(self, post_id: int) -> str | None:
        post = await self.get(post_id)
        if post is None:
            return None
        self._questions[post_id] = post.question_id
        return post.question_id

    async def close(self, post_id: int, now: datetime) -> PostResults | None:
        """Close the post once and advance every streak of its channel; closing again changes nothing."""
        async with self.db.transaction() as session:
            # Compare-and-set: of several replicas closing at once, exactly one sees a row come back.
            # (A read-then-write would let two readers both think they closed it.)
            won = await session.execute(
                update(DailyPost)
                .where(DailyPost.id == post_id, DailyPost.status != "closed")
                .values(status="closed", closed_at=now)
                .returning(DailyPost.id)
                .execution_options(synchronize_session=False)
            )
            closed_now = won.scalar_one_or_none() is not None
            post = await session.get(DailyPost, post_id, populate_existing=True)
            if post is None:
                return None
            if closed_now:
                await _advance_streaks(session, post)
            results = await _results(session, post)
            return replace(results, closed_now=closed_now)

    async def results(self, post_id: int) -> PostResults | None:
        async with self.db.transaction() as session:
            post = await session.get(DailyPost, post_id)
            return None if post is None else await _results(session, post)

    async def channel_streaks(self, channel: ChannelRef, now: datetime) -> dict[str, Streaks]:
        """Every user's streaks in a channel (by external id), in two queries."""
        async with self.db.transaction() as session:
            cid = await channel_id(session, channel, now)
            rows = await session.execute(
                select(User.external_id, StreakState)
                .join(User, User.id == StreakState.user_id)
                .where(StreakState.channel_id == cid)
            )
            states = {ext: _streaks(s) for ext, s in rows}
            open_post = await latest_open_post(session, cid)
            if open_post is not None:
                today = await session.execute(
                    select(User.external_id, Answer.correct)
                    .join(User, User.id == Answer.user_id)
                    .where(Answer.post_id == open_post)
                )
                for ext, correct in today:
                    states[ext] = with_open_day(states.get(ext, Streaks()), DayOutcome(True, bool(correct)))
            return states

    async def streaks(self, channel: ChannelRef, user: UserRef, now: datetime) -> Streaks:
        """As of the last closed post, plus today's answer if the open post has one."""
        async with self.db.transaction() as session:
            cid = await channel_id(session, channel, now)
            uid = await user_id(session, user, now)
            row = await session.get(StreakState, (cid, uid))
            state = Streaks() if row is None else _streaks(row)
            open_post = await latest_open_post(session, cid)
            if open_post is None:
                return state
            answer = (
                await session.execute(
                    select(Answer.correct).where(Answer.post_id == open_post, Answer.user_id == uid)
                )
            ).scalar_one_or_none()
            return with_open_day(state, None if answer is None else DayOutcome(True, bool(answer)))


async def _advance_streaks(session: AsyncSession, post: DailyPost) -> None:
    """One question day closes: answerers go up by one, everyone else in the channel drops to zero.

    Two set-based UPDATEs, so a channel of 10,000 people costs two statements, not 10,000.
    """
    answerers = select(Answer.user_id).where(Answer.post_id == post.id)
    # First-time answerers get a zero row, written by one INSERT … SELECT however many they are.
    newcomers = select(
        literal(post.channel_id), Answer.user_id, literal(0), literal(0), literal(0), literal(0)
    ).where(
        Answer.post_id == post.id,
        ~select(StreakState.user_id)
        .where(StreakState.channel_id == post.channel_id, StreakState.user_id == Answer.user_id)
        .exists(),
    )
    columns = ["channel_id", "user_id", "current", "longest", "current_correct", "longest_correct"]
    await session.execute(insert(StreakState).from_select(columns, newcomers))
    await session.execute(
        update(StreakState)
        .where(StreakState.channel_id == post.channel_id, StreakState.user_id.not_in(answerers))
        .values(current=0, current_correct=0, last_post_id=post.id)
    )
    correct = (
        select(Answer.correct)
        .where(Answer.post_id == post.id, Answer.user_id == StreakState.user_id)
        .scalar_subquery()
    )
    grown = StreakState.current + 1
    grown_correct = case((correct, StreakState.current_correct + 1), else_=0)
    await session.execute(
        update(StreakState)
        .where(StreakState.channel_id == post.channel_id, StreakState.user_id.in_(answerers))
        .values(
            current=grown,
            longest=case((StreakState.longest < grown, grown), else_=StreakState.longest),
            current_correct=grown_correct,
            longest_correct=case(
                (StreakState.longest_correct < grown_correct, grown_correct),
                else_=StreakState.longest_correct,
            ),
            last_post_id=post.id,
        )
        .execution_options(synchronize_session=False)
    )


async def _results(session: AsyncSession, post: DailyPost) -> PostResults:
    rows = (
        await session.execute(
            select(User.display_name, User.external_id, Answer.choice, Answer.choices, Answer.correct)
            .join(User, User.id == Answer.user_id)
            .where(Answer.post_id == post.id)
            .order_by(Answer.answered_at, Answer.id)
        )
    ).all()
    answerers = tuple(
        (r.display_name or r.external_id, picks_of(r.choice, r.choices), bool(r.correct)) for r in rows
    )
    counts: Counter[int] = Counter(pick for _, picks, _ in answerers for pick in picks)
    return PostResults(_info(post), counts, answerers)


__all__ = ["AnswerRecord", "DailyLedger", "PostInfo", "PostResults"]


async def claim_report(db: Database, channel: ChannelRef, week: str, now: datetime) -> bool:
    """Claim a channel's weekly report: True for the one caller that may post it this week."""
    async with db.transaction() as session:
        cid = await channel_id(session, channel, now)
        values = {
            "channel_id": cid,
            "week": week,
            "status": "claimed",
            "message_ref": None,
            "created_at": now,
        }
        inserted = await session.execute(
            insert_ignore(session, ReportRun.__table__, values).returning(ReportRun.id)
        )
        return inserted.scalar_one_or_none() is not None


async def release_report(db: Database, channel: ChannelRef, week: str, now: datetime) -> None:
    """Give up a report claim whose send failed, so a later run can claim and send it."""
    async with db.transaction() as session:
        cid = await channel_id(session, channel, now)
        await session.execute(delete(ReportRun).where(ReportRun.channel_id == cid, ReportRun.week == week))

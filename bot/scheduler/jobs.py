"""What the schedule does for a channel: post the daily question, reveal it, send the weekly report.

Every job claims its work in the database before speaking, so a restart, a catch-up or a second
replica never sends anything twice; a send that fails for good releases the claim for a later run.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.clock import Clock
from bot.i18n import Messages
from bot.messenger import Messenger, MessengerError
from bot.quiz.bank import QuestionBank
from bot.quiz.selection import choose_daily
from bot.scheduler import messages as channel_messages
from bot.scheduler.delivery import Pacer, Sleep, with_retries
from bot.stats.calendar import iso_week
from bot.stats.schedule import Schedule
from bot.storage.daily import DailyLedger, PostResults, claim_report, release_report
from bot.storage.errors import StorageError
from bot.storage.flags import FlagStore
from bot.storage.subscriptions import ChannelSchedule, Subscriptions
from bot.usecases.stats import StatsService

log = logging.getLogger(__name__)
LOST_REVEAL_AFTER = timedelta(minutes=10)  # a reveal in flight takes seconds; ten minutes means it was lost


@dataclass
class ChannelJobs:
    bank: QuestionBank
    ledger: DailyLedger
    subscriptions: Subscriptions
    stats: StatsService
    messenger: Messenger
    clock: Clock
    messages: Messages
    pacer: Pacer
    sleep: Sleep
    grace: timedelta = timedelta(hours=2)
    weights: Mapping[str, float] = field(default_factory=dict)  # exam domains' weights (content/exam.yaml)
    flags: FlagStore | None = None  # reports: questions enough people reported are not posted
    on_reveal_due: Callable[[int, datetime], None] = field(default=lambda post_id, at: None)
    known: dict[int, ChannelSchedule] = field(default_factory=dict)  # refreshed by the runner's sync
    database_concurrency: int = 8
    _database_slots: asyncio.Semaphore = field(init=False)

    _refresh: asyncio.Lock = field(default_factory=asyncio.Lock, init=False)

    def __post_init__(self) -> None:
        self._database_slots = asyncio.Semaphore(self.database_concurrency)

    async def _schedule_of(self, channel_id: int) -> ChannelSchedule | None:
        if channel_id not in self.known:
            async with self._refresh:  # a thousand jobs waking together read the table once
                if channel_id not in self.known:
                    self.known = {item.channel_id: item for item in await self.subscriptions.all()}
        return self.known.get(channel_id)

    async def post_daily(self, channel_id: int, day: date | None = None) -> str:
        """Post the channel's question of a local day (today by default). Returns what happened."""
        item = await self._schedule_of(channel_id)
        if item is None or item.schedule.paused:
            return "skipped"
        now = self.clock.now()
        schedule = item.schedule
        day = day or now.astimezone(schedule.zone).date()
        if not schedule.is_question_day(day):
            return "skipped"
        async with self._database_slots:
            still_open = await self.ledger.open_posts(channel_id)
        for earlier in still_open:
            if earlier.local_date < day:
                await self.reveal(earlier.id)  # the reveal comes before the next post, at the latest
        # The database work is rationed so a thousand channels due at once queue politely; the send
        # below is not, so a channel whose platform hangs takes one slot from no one.
        async with self._database_slots:
            history = await self.ledger.history(channel_id)
            withdrawn = await self.flags.withdrawn() if self.flags is not None else set()
            question = choose_daily(
                self.bank.questions,
                history,
                seed=f"{channel_id}",
                weights=self.weights or None,
                excluded=withdrawn,
            )
            if question is None:
                return "skipped"
            post = await self.ledger.claim(item.channel, day, question.id, now)
        if post is None:
            return "duplicate"  # another replica, or an earlier run, has this day
        reveal_at = schedule.reveal_time(max(now, schedule.fire_time(day)))
        reply = channel_messages.daily_question(question, post.id, reveal_at, schedule, self.messages)
        try:
            await self.pacer.wait()
            ref = await with_retries(lambda: self.messenger.post(item.channel, reply), sleep=self.sleep)
        except MessengerError as exc:
            await self.ledger.mark_failed(post.id)
            log.error("daily post for channel %s on %s failed for good: %s", channel_id, day, exc)
            return "failed"
        async with self._database_slots:
            await self.ledger.mark_posted(post.id, ref, self.clock.now())
        self.on_reveal_due(post.id, reveal_at)
        return "posted"

    async def reveal(self, post_id: int) -> str:
        """Close the post once and edit the question into its results."""
        results = await self.ledger.close(post_id, self.clock.now())
        if results is None or results.post.message_ref is None:
            return "skipped"
        if not results.closed_now:
            return "duplicate"  # whoever closed it sends the reveal
        return await self._send_reveal(results)

    async def _send_reveal(self, results: PostResults) -> str:
        post = results.post
        question = self.bank.get(post.question_id)
        item = await self._schedule_of(post.channel_id)
        if question is None or item is None or post.message_ref is None:
            return "skipped"
        reply = channel_messages.reveal(question, results, self.messages)
        try:
            await self.pacer.wait()
            ref = post.message_ref
            await with_retries(lambda: self.messenger.edit(item.channel, ref, reply), sleep=self.sleep)
        except MessengerError as exc:
            log.error("reveal of post %s failed for good: %s (a later run retries)", post.id, exc)
            return "failed"
        await self.ledger.mark_revealed(post.id, self.clock.now())
        return "revealed"

    async def weekly_report(self, channel_id: int, at: datetime | None = None) -> str:
        """The report of the week before the report time, once per channel per week."""
        item = await self._schedule_of(channel_id)
        if item is None or item.schedule.paused:
            return "skipped"
        now = self.clock.now()
        when = at or now
        last_week = iso_week(when.astimezone(item.schedule.zone).date() - timedelta(days=7))
        if not await claim_report(self.ledger.db, item.channel, last_week, now):
            return "duplicate"
        reply = await self.stats.report(item.channel, last_week, self.messages)
        try:
            await self.pacer.wait()
            await with_retries(lambda: self.messenger.post(item.channel, reply), sleep=self.sleep)
        except MessengerError as exc:
            await release_report(self.ledger.db, item.channel, last_week, now)  # a later run may try again
            log.error("weekly report %s for channel %s failed: %s", last_week, channel_id, exc)
            return "failed"
        return "reported"

    async def catch_up(self, log_missed: bool = True) -> dict[str, int]:
        """After a start: post what was missed within the grace window, skip (and log) the rest,
        and send reveals that are due or were lost."""
        now = self.clock.now()
        done: dict[str, int] = {}
        subscribed = await self.subscriptions.all()
        for item in subscribed:
            schedule: Schedule = item.schedule
            if schedule.paused:
                continue
            previous = schedule.previous_post(now)
            if previous is None or (item.since is not None and previous < item.since):
                continue  # nothing was due since the channel subscribed (or resumed)
            day = previous.astimezone(schedule.zone).date()
            existing = await self.ledger.post_on(item.channel, day, now)
            if existing is not None and existing.status != "failed":
                continue
            if now - previous <= self.grace:
                outcome = await self.post_daily(item.channel_id, day)
            else:
                if log_missed:
                    log.warning(
                        "channel %s missed its %s post by %s: skipped", item.channel_id, day, now - previous
                    )
                outcome = "missed"
            done[outcome] = done.get(outcome, 0) + 1
        for item in subscribed:
            report_at = item.schedule.previous_report(now)
            if item.schedule.paused or report_at is None or now - report_at > self.grace:
                continue
            if item.since is not None and report_at < item.since:
                continue
            outcome = await self.weekly_report(item.channel_id, at=report_at)
            done[f"report:{outcome}"] = done.get(f"report:{outcome}", 0) + 1
        await self.resend_lost_reveals()
        return done

    async def resend_lost_reveals(self) -> int:
        """Reveals lost to a crash between closing a post and editing its message, sent again."""
        lost = await self.ledger.unrevealed(closed_before=self.clock.now() - LOST_REVEAL_AFTER)
        for post in lost:
            results = await self.ledger.results(post.id)
            if results is not None:
                await self._send_reveal(results)
        return len(lost)

    async def safely(self, job: str, call: Callable[[], Awaitable[object]]) -> None:
        """Run a job so that a failure is logged with its traceback and never kills the scheduler."""
        try:
            await call()
        except StorageError as exc:
            log.error("%s: database unavailable (%s); a later run will catch up", job, exc)
        except Exception:
            log.exception("%s failed", job)

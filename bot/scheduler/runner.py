"""APScheduler 3 on the application's event loop: one cron job per channel for the daily post, one for
the weekly report, one date job per open post for its reveal, and a periodic re-sync so replicas pick
up schedule changes. The jobs themselves are idempotent (ChannelJobs); the scheduler only wakes them."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.scheduler.jobs import ChannelJobs
from bot.stats.calendar import WEEKDAYS
from bot.stats.schedule import Schedule
from bot.storage.daily import DailyLedger
from bot.storage.subscriptions import ChannelSchedule, Subscriptions

log = logging.getLogger(__name__)
RESYNC = timedelta(minutes=5)


def daily_trigger(schedule: Schedule) -> CronTrigger:
    return CronTrigger(
        day_of_week=schedule.cron_days(),
        hour=schedule.post_time.hour,
        minute=schedule.post_time.minute,
        timezone=schedule.zone,
    )


def report_trigger(schedule: Schedule) -> CronTrigger:
    return CronTrigger(
        day_of_week=WEEKDAYS[schedule.report_weekday],
        hour=schedule.report_time.hour,
        minute=schedule.report_time.minute,
        timezone=schedule.zone,
    )


@dataclass
class ScheduleRunner:
    jobs: ChannelJobs  # holds the subscriptions, the ledger and the catch-up grace the runner uses
    resync: timedelta = RESYNC
    scheduler: AsyncIOScheduler = field(init=False)
    _known: dict[int, Schedule] = field(default_factory=dict, init=False)

    @property
    def subscriptions(self) -> Subscriptions:
        return self.jobs.subscriptions

    @property
    def ledger(self) -> DailyLedger:
        return self.jobs.ledger

    @property
    def grace(self) -> timedelta:
        return self.jobs.grace

    def __post_init__(self) -> None:
        self.scheduler = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": int(self.grace.total_seconds()),
            },
        )

    async def start(self) -> None:
        """Needs the running loop (APScheduler binds to it). Syncs jobs, then catches up."""
        self.jobs.on_reveal_due = self.schedule_reveal
        self.scheduler.start()
        every = IntervalTrigger(
            seconds=self.resync.total_seconds(), start_date=self.jobs.clock.now() + self.resync
        )
        self.scheduler.add_job(self._resync, every, id="resync", replace_existing=True)
        await self._match_jobs()
        outcome = await self.jobs.catch_up()  # which also sends lost reveals
        if outcome:
            log.info("catch-up after start: %s", outcome)

    async def sync(self) -> None:
        """Make the jobs match the subscriptions table (the source of truth) after a schedule change,
        and send any reveal that was lost."""
        await self._match_jobs()
        await self.jobs.resend_lost_reveals()

    async def _match_jobs(self) -> None:
        """The jobs of the subscriptions table. Start and re-sync follow it with a catch-up, which
        sends lost reveals itself."""
        items = {item.channel_id: item for item in await self.subscriptions.all()}
        self.jobs.known = items
        for channel_id in set(self._known) - set(items):
            self._remove(channel_id)
        for channel_id, item in items.items():
            if item.schedule.paused:
                self._remove(channel_id)
            elif self._known.get(channel_id) != item.schedule:
                self._add(item)
        for post in await self.ledger.open_posts():
            owner = items.get(post.channel_id)
            if owner is not None and self.scheduler.get_job(f"reveal:{post.id}") is None:
                opened = post.opened_at or self.jobs.clock.now()
                self.schedule_reveal(post.id, owner.schedule.reveal_time(opened))

    def _add(self, item: ChannelSchedule) -> None:
        cid = item.channel_id
        self.scheduler.add_job(
            self._daily, daily_trigger(item.schedule), id=f"daily:{cid}", args=[cid], replace_existing=True
        )
        self.scheduler.add_job(
            self._report, report_trigger(item.schedule), id=f"report:{cid}", args=[cid], replace_existing=True
        )
        self._known[cid] = item.schedule

    def _remove(self, channel_id: int) -> None:
        for job_id in (f"daily:{channel_id}", f"report:{channel_id}"):
            if self.scheduler.get_job(job_id) is not None:
                self.scheduler.remove_job(job_id)
        self._known.pop(channel_id, None)

    def schedule_reveal(self, post_id: int, at: datetime) -> None:
        # A reveal is never dropped for being late: misfire grace None runs it whenever the loop gets to it.
        self.scheduler.add_job(
            self._reveal,
            DateTrigger(run_date=at),
            id=f"reveal:{post_id}",
            args=[post_id],
            replace_existing=True,
            misfire_grace_time=None,
        )

    async def _resync(self) -> None:
        """Pick up schedule changes made on another replica, and retry a post whose send failed."""
        await self.jobs.safely("resync", self._match_jobs)
        await self.jobs.safely("catch-up", lambda: self.jobs.catch_up(log_missed=False))

    async def _daily(self, channel_id: int) -> None:
        await self.jobs.safely(f"daily post {channel_id}", lambda: self.jobs.post_daily(channel_id))

    async def _report(self, channel_id: int) -> None:
        await self.jobs.safely(f"weekly report {channel_id}", lambda: self.jobs.weekly_report(channel_id))

    async def _reveal(self, post_id: int) -> None:
        await self.jobs.safely(f"reveal {post_id}", lambda: self.jobs.reveal(post_id))

    def next_post(self, channel_id: int) -> datetime | None:
        """When the channel's next question is due, by the Clock port (APScheduler's own next run time
        reads the system clock, which a test or a simulation does not run on)."""
        schedule = self._known.get(channel_id)
        return None if schedule is None else schedule.next_post(self.jobs.clock.now())

    async def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

"""A channel's schedule as a value: when its question comes, in its own timezone, and when the reveal
and the weekly report follow. Pure; storage keeps it and the scheduler follows it, so it sits below both.
The `/dop subscribe` grammar that builds one lives in bot/scheduler/settings.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.stats.calendar import WEEKDAYS

DEFAULT_TIME = time(9, 0)
DEFAULT_ZONE = "Asia/Tokyo"
DEFAULT_DAYS = ("mon", "tue", "wed", "thu", "fri")
DEFAULT_REVEAL_MINUTES = 8 * 60
DEFAULT_REPORT_DAY = 0  # Monday
DEFAULT_REPORT_TIME = time(9, 0)


@dataclass(frozen=True)
class Schedule:
    """When a channel gets its question, in its own timezone."""

    post_time: time = DEFAULT_TIME
    timezone: str = DEFAULT_ZONE
    weekdays: tuple[str, ...] = DEFAULT_DAYS
    reveal_minutes: int = DEFAULT_REVEAL_MINUTES
    report_weekday: int = DEFAULT_REPORT_DAY
    report_time: time = DEFAULT_REPORT_TIME
    paused: bool = False
    deck: str = "dop"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def cron_days(self) -> str:
        """APScheduler wants day names: 'mon,tue' (cron's 0 = Sunday would be wrong here)."""
        return ",".join(self.weekdays)

    def is_question_day(self, day: date) -> bool:
        return WEEKDAYS[day.weekday()] in self.weekdays

    def _instant(self, day: date, at: time) -> datetime:
        """A local wall-clock time on a date as a real instant (a DST gap moves it forward, as clocks do)."""
        aware = datetime.combine(day, at, tzinfo=self.zone)
        # Round-trip through UTC so a non-existent local time (spring forward) lands on a real instant.
        return aware.astimezone(ZoneInfo("UTC")).astimezone(self.zone)

    def fire_time(self, day: date) -> datetime:
        """The instant of the post on a local date (a DST gap moves it forward, as clocks do)."""
        return self._instant(day, self.post_time)

    def next_post(self, after: datetime) -> datetime | None:
        """The first post strictly after an instant; None when paused or no weekday is set."""
        if self.paused or not self.weekdays:
            return None
        day = after.astimezone(self.zone).date()
        for offset in range(8):
            candidate = day + timedelta(days=offset)
            if self.is_question_day(candidate) and self.fire_time(candidate) > after:
                return self.fire_time(candidate)
        return None

    def previous_post(self, at_or_before: datetime) -> datetime | None:
        """The latest post at or before an instant (for catching up after downtime)."""
        if not self.weekdays:
            return None
        day = at_or_before.astimezone(self.zone).date()
        for offset in range(8):
            candidate = day - timedelta(days=offset)
            if self.is_question_day(candidate) and self.fire_time(candidate) <= at_or_before:
                return self.fire_time(candidate)
        return None

    def previous_report(self, at_or_before: datetime) -> datetime | None:
        """The latest weekly report time at or before an instant."""
        day = at_or_before.astimezone(self.zone).date()
        for offset in range(8):
            candidate = day - timedelta(days=offset)
            if candidate.weekday() == self.report_weekday:
                moment = self._instant(candidate, self.report_time)
                if moment <= at_or_before:
                    return moment
        return None

    def reveal_time(self, posted: datetime) -> datetime:
        """After the reveal delay, and never later than just before the next post."""
        due = posted + timedelta(minutes=self.reveal_minutes)
        following = self.next_post(posted)
        if following is not None and following - timedelta(minutes=1) < due:
            due = max(posted, following - timedelta(minutes=1))
        return due

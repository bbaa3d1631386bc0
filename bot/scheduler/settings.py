"""A channel's schedule as the core understands it, and how `/dop subscribe` arguments are read."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from bot.commands import narrow
from bot.stats.calendar import WEEKDAYS

DEFAULT_TIME = time(9, 0)
DEFAULT_ZONE = "Asia/Tokyo"
DEFAULT_DAYS = ("mon", "tue", "wed", "thu", "fri")
DEFAULT_REVEAL_MINUTES = 8 * 60
DEFAULT_REPORT_DAY = 0  # Monday
DEFAULT_REPORT_TIME = time(9, 0)

_TIME = re.compile(r"^([0-9]{1,2})(?::([0-9]{2})|時(?:([0-9]{1,2})分)?)$")  # ASCII: `\d` is any script's
_ZONE_ALIASES = {
    "jst": "Asia/Tokyo",
    "utc": "UTC",
    "gmt": "UTC",
    "kst": "Asia/Seoul",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "est": "America/New_York",
    "edt": "America/New_York",
    "cet": "Europe/Paris",
    "ist": "Asia/Kolkata",
}
_DAY_WORDS = {
    "weekdays": DEFAULT_DAYS,
    "weekday": DEFAULT_DAYS,
    "平日": DEFAULT_DAYS,
    "daily": WEEKDAYS,
    "everyday": WEEKDAYS,
    "every-day": WEEKDAYS,
    "毎日": WEEKDAYS,
    "weekends": ("sat", "sun"),
    "weekend": ("sat", "sun"),
    "週末": ("sat", "sun"),
    "土日": ("sat", "sun"),
}
_JA_DAYS = dict(zip("月火水木金土日", WEEKDAYS, strict=True))
_LONG_DAYS = {
    "monday": "mon",
    "tuesday": "tue",
    "wednesday": "wed",
    "thursday": "thu",
    "friday": "fri",
    "saturday": "sat",
    "sunday": "sun",
    "tues": "tue",
    "wednes": "wed",
    "thur": "thu",
    "thurs": "thu",
}


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


@dataclass(frozen=True)
class ScheduleProblem:
    """Why `/dop subscribe` arguments were refused; `key` names a message, `value` what was typed."""

    key: str
    value: str


@cache
def _zones() -> dict[str, str]:
    return {z.lower(): z for z in available_timezones()}


def zone_names() -> tuple[str, ...]:
    """Every IANA zone name this machine knows."""
    return tuple(_zones().values())


def parse_zone(text: str) -> str | None:
    lowered = text.strip().lower()
    if lowered in _ZONE_ALIASES:
        return _ZONE_ALIASES[lowered]
    return _zones().get(lowered)


def parse_time(text: str) -> time | None:
    match = _TIME.match(narrow(text.strip()))
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2] or match[3] or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def parse_days(text: str) -> tuple[str, ...] | None:
    """'mon-fri', 'mon,wed,fri', 'weekdays', '平日', '月水金' → day names in week order."""
    word = unicodedata.normalize("NFKC", text.strip()).lower()
    if word in _DAY_WORDS:
        return tuple(_DAY_WORDS[word])
    if word and all(ch in _JA_DAYS or ch in "曜・," for ch in word):
        ja = {_JA_DAYS[ch] for ch in word if ch in _JA_DAYS}
        return tuple(d for d in WEEKDAYS if d in ja) or None
    found: set[str] = set()
    for part in re.split(r"[,\s/]+", word):
        if not part:
            continue
        if "-" in part:
            first, _, last = part.partition("-")
            a, b = _day(first), _day(last)
            if a is None or b is None:
                return None
            i, j = WEEKDAYS.index(a), WEEKDAYS.index(b)
            span = range(i, j + 1) if i <= j else [*range(i, 7), *range(0, j + 1)]
            found.update(WEEKDAYS[k] for k in span)
        else:
            day = _day(part)
            if day is None:
                return None
            found.add(day)
    return tuple(d for d in WEEKDAYS if d in found) or None


def _day(word: str) -> str | None:
    word = _LONG_DAYS.get(word, word)
    return word if word in WEEKDAYS else None


def parse_subscribe(args: str, current: Schedule | None = None) -> Schedule | ScheduleProblem:
    """Arguments in any order: a time, a timezone, weekdays. Missing ones keep the current values."""
    schedule = current or Schedule()
    for word in args.split():
        if (at := parse_time(word)) is not None:
            schedule = replace(schedule, post_time=at)
        elif (zone := parse_zone(word)) is not None:
            schedule = replace(schedule, timezone=zone)
        elif (days := parse_days(word)) is not None:
            schedule = replace(schedule, weekdays=days)
        elif word[0].isdigit():  # any script's digits, '²' too: a time, just not one we read
            return ScheduleProblem("schedule.bad_time", word)
        elif "/" in word:
            return ScheduleProblem("schedule.bad_zone", word)
        else:
            return ScheduleProblem("schedule.bad_days", word)
    return schedule

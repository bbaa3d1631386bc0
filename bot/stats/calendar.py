"""Days in a channel's timezone: which local dates are question days, and which week a date is in."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def local_day(moment: datetime, timezone: str) -> date:
    """The local date of an aware instant in the given IANA zone."""
    return moment.astimezone(ZoneInfo(timezone)).date()


def iso_week(day: date) -> str:
    """'2026-W48'."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(week: str) -> tuple[date, date]:
    """Monday and Sunday of an ISO week written as 'YYYY-Www'."""
    year, number = week.split("-W")
    monday = date.fromisocalendar(int(year), int(number), 1)
    return monday, monday + timedelta(days=6)


def local_instant(day: date, at: time, timezone: str) -> datetime:
    """The aware instant of a local wall-clock time (DST gaps resolve forward, folds to the first)."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(timezone))


def question_days(
    start: date, end: date, weekdays: Iterable[str], paused: Iterable[tuple[date, date]] = ()
) -> Iterator[date]:
    """Local dates from start to end (inclusive) on the schedule's weekdays, outside paused spans."""
    wanted = {WEEKDAYS.index(w) for w in weekdays}
    pauses = list(paused)
    day = start
    while day <= end:
        if day.weekday() in wanted and not any(a <= day <= b for a, b in pauses):
            yield day
        day += timedelta(days=1)

"""A channel's schedule as the core understands it, and how `/dop subscribe` arguments are read."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import time
from functools import cache
from zoneinfo import available_timezones

from bot.commands import narrow
from bot.stats.calendar import WEEKDAYS
from bot.stats.schedule import (
    DEFAULT_DAYS,
    Schedule,
)

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

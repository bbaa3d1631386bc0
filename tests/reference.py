"""A deliberately naive reference for streaks: walk every calendar day, look at raw timestamps.

It shares no code with bot/stats or bot/storage on purpose, so the two can check each other.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def naive_streaks(
    start: date,
    end: date,
    weekdays: list[str],
    pauses: list[tuple[date, date]],
    timezone: str,
    answers: list[tuple[datetime, bool]],
    open_day: date | None,
) -> tuple[int, int, int, int]:
    """(current, longest, current correct, longest correct) of one user."""
    zone = ZoneInfo(timezone)
    by_day: dict[date, bool] = {}
    for moment, correct in sorted(answers):
        local = moment.astimezone(zone).date()
        if local not in by_day:  # the first answer of a day is the one that counts
            by_day[local] = correct
    days: list[date] = []
    day = start
    while day <= end:
        paused = False
        for first, last in pauses:
            if first <= day <= last:
                paused = True
        if NAMES[day.weekday()] in weekdays and not paused:
            days.append(day)
        day = day + timedelta(days=1)
    current = longest = current_right = longest_right = 0
    for day in days:
        if day == open_day and day not in by_day:
            continue  # still open and not answered yet: no verdict
        if day in by_day:
            current = current + 1
            current_right = current_right + 1 if by_day[day] else 0
        else:
            current = 0
            current_right = 0
        if current > longest:
            longest = current
        if current_right > longest_right:
            longest_right = current_right
    return current, longest, current_right, longest_right

"""Reading /dop subscribe arguments, and schedule arithmetic across timezones and DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.scheduler.runner import daily_trigger
from bot.scheduler.settings import (
    Schedule,
    ScheduleProblem,
    parse_days,
    parse_subscribe,
    parse_time,
    parse_zone,
)


@pytest.mark.parametrize(
    ("args", "post_time", "zone", "days"),
    [
        ("", time(9, 0), "Asia/Tokyo", ("mon", "tue", "wed", "thu", "fri")),
        ("7:30 America/New_York mon,wed,fri", time(7, 30), "America/New_York", ("mon", "wed", "fri")),
        ("mon-fri 18:05 UTC", time(18, 5), "UTC", ("mon", "tue", "wed", "thu", "fri")),
        ("8時 jst 平日", time(8, 0), "Asia/Tokyo", ("mon", "tue", "wed", "thu", "fri")),
        ("月水金 21:15", time(21, 15), "Asia/Tokyo", ("mon", "wed", "fri")),
        ("sat-mon europe/london", time(9, 0), "Europe/London", ("mon", "sat", "sun")),
        ("daily 0:00", time(0, 0), "Asia/Tokyo", ("mon", "tue", "wed", "thu", "fri", "sat", "sun")),
        ("２３：５９ weekends", time(23, 59), "Asia/Tokyo", ("sat", "sun")),
    ],
)
def test_subscribe_arguments_in_any_order(
    args: str, post_time: time, zone: str, days: tuple[str, ...]
) -> None:
    parsed = parse_subscribe(args)
    assert isinstance(parsed, Schedule)
    assert (parsed.post_time, parsed.timezone, parsed.weekdays) == (post_time, zone, days)


@pytest.mark.parametrize(
    ("args", "key"),
    [
        ("25:00", "schedule.bad_time"),
        ("9:60", "schedule.bad_time"),
        ("Asia/Tokio", "schedule.bad_zone"),
        ("funday", "schedule.bad_days"),
        ("mon-xyz", "schedule.bad_days"),
    ],
)
def test_bad_values_are_named(args: str, key: str) -> None:
    assert parse_subscribe(args) == ScheduleProblem(key, args)


def test_small_parsers() -> None:
    assert parse_time("09:00") == time(9) and parse_time("24:00") is None
    assert parse_zone("asia/tokyo") == "Asia/Tokyo" and parse_zone("Mars/Olympus") is None
    assert parse_days("fri-mon") == ("mon", "fri", "sat", "sun") and parse_days("") is None


def test_next_and_previous_posts_respect_weekdays_and_zone() -> None:
    schedule = Schedule(post_time=time(9, 0), timezone="Asia/Tokyo")
    friday_noon = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)  # 12:00 in Tokyo
    assert schedule.next_post(friday_noon) == datetime(2026, 12, 7, 0, 0, tzinfo=UTC)  # Monday 09:00 JST
    assert schedule.previous_post(friday_noon) == datetime(2026, 12, 4, 0, 0, tzinfo=UTC)
    assert Schedule(paused=True).next_post(friday_noon) is None


def test_a_post_time_in_a_dst_gap_moves_forward_and_fold_times_happen_once() -> None:
    schedule = Schedule(post_time=time(2, 30), timezone="America/New_York", weekdays=("sun",))
    spring = schedule.fire_time(date(2026, 3, 8))  # 02:30 does not exist that night
    assert spring.astimezone(UTC) == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    autumn = Schedule(post_time=time(1, 30), timezone="America/New_York", weekdays=("sun",))
    first = autumn.next_post(datetime(2026, 11, 1, 4, 0, tzinfo=UTC))
    assert first is not None and autumn.next_post(first) == autumn.fire_time(date(2026, 11, 8))


def test_the_reveal_comes_before_the_next_post_at_the_latest() -> None:
    daily = Schedule(post_time=time(9, 0), timezone="UTC", weekdays=("mon", "tue"), reveal_minutes=30 * 60)
    posted = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # Monday
    assert daily.reveal_time(posted) == datetime(2026, 12, 1, 8, 59, tzinfo=UTC)
    assert Schedule(timezone="UTC").reveal_time(posted) == posted + timedelta(hours=8)


def test_cron_uses_day_names_and_the_channel_zone() -> None:
    trigger = daily_trigger(Schedule(post_time=time(9, 0), timezone="Asia/Tokyo", weekdays=("mon", "fri")))
    fire = trigger.get_next_fire_time(None, datetime(2026, 11, 28, 0, 0, tzinfo=UTC))  # a Saturday
    assert fire == datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # Monday 09:00 JST

"""Streaks from the real pipeline (scheduled days → posts → answers → close) against the naive
reference, on random histories: DST zones, weekday schedules, pauses, answers at 00:01 and 23:59."""

from __future__ import annotations

import asyncio
import itertools
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.stats.calendar import WEEKDAYS, local_day, local_instant, question_days
from bot.stats.streaks import Streaks
from bot.storage.daily import DailyLedger
from bot.storage.database import Database
from bot.storage.refs import ChannelRef, UserRef
from tests.databases import BACKENDS, create_database, drop_database
from tests.reference import naive_streaks

ZONES = ["Asia/Tokyo", "America/New_York", "Europe/London", "Australia/Sydney", "Pacific/Chatham"]
ANSWER_TIMES = [time(0, 1), time(12, 0), time(23, 59)]
# Starts next to DST changes: US/EU spring and autumn, Australia/Chatham April and October.
STARTS = [date(2026, 3, 5), date(2026, 3, 25), date(2026, 10, 20), date(2026, 3, 30), date(2026, 9, 22)]


@st.composite
def histories(draw: st.DrawFn) -> dict[str, object]:
    zone = draw(st.sampled_from(ZONES))
    start = draw(st.sampled_from(STARTS)) + timedelta(days=draw(st.integers(0, 6)))
    length = draw(st.integers(3, 35))
    weekdays = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True))
    pauses = []
    for _ in range(draw(st.integers(0, 2))):
        first = start + timedelta(days=draw(st.integers(0, length)))
        pauses.append((first, first + timedelta(days=draw(st.integers(0, 5)))))
    users = draw(st.integers(1, 3))
    end = start + timedelta(days=length)
    days = list(question_days(start, end, weekdays, pauses))
    # Per question day and user: no answer, or an answer at one of the tricky times, right or wrong.
    plan = {
        (day, u): draw(st.one_of(st.none(), st.tuples(st.sampled_from(ANSWER_TIMES), st.booleans())))
        for day in days
        for u in range(users)
    }
    last_open = draw(st.booleans())
    return {
        "zone": zone,
        "start": start,
        "end": end,
        "weekdays": weekdays,
        "pauses": pauses,
        "users": users,
        "days": days,
        "plan": plan,
        "last_open": last_open,
    }


_counter = itertools.count()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A migrated database that outlives the event loops the hypothesis examples run in."""

    async def setup() -> str:
        url = await create_database(request.param, tmp_path)
        db = Database.open(url)
        await db.upgrade()
        await db.close()
        return url

    url = asyncio.run(setup())
    yield request.param, url
    asyncio.run(drop_database(url))


@given(history=histories())
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_streaks_match_the_naive_reference(database_url: tuple[str, str], history: dict[str, object]) -> None:
    asyncio.run(_check(database_url[1], history))


async def _check(url: str, history: dict[str, object]) -> None:
    db = Database.open(url)
    ledger = DailyLedger(db)
    try:
        channel = ChannelRef("test", "W", f"C{next(_counter)}")
        zone = str(history["zone"])
        days: list[date] = history["days"]  # type: ignore[assignment]
        plan: dict[tuple[date, int], tuple[time, bool] | None] = history["plan"]  # type: ignore[assignment]
        users = int(history["users"])  # type: ignore[call-overload]
        stamps: dict[int, list[tuple[datetime, bool]]] = {u: [] for u in range(users)}
        open_day = days[-1] if days and history["last_open"] else None
        for day in days:
            fire = local_instant(day, time(0, 0), zone)  # posted at local midnight, open all day
            post = await ledger.claim(channel, local_day(fire, zone), "q", fire)
            assert post is not None and post.local_date == day
            for u in range(users):
                answer = plan[(day, u)]
                if answer is None:
                    continue
                at = local_instant(day, answer[0], zone)
                stamps[u].append((at, answer[1]))
                await ledger.record_answer(post.id, UserRef("test", f"u{u}"), 0, answer[1], at)
            if day != open_day:
                await ledger.close(post.id, local_instant(day, time(23, 59, 59), zone))
        end: date = history["end"]  # type: ignore[assignment]
        now = local_instant(end, time(23, 59, 59), zone)
        for u in range(users):
            expected = naive_streaks(
                history["start"],  # type: ignore[arg-type]
                end,
                history["weekdays"],  # type: ignore[arg-type]
                history["pauses"],  # type: ignore[arg-type]
                zone,
                stamps[u],
                open_day,
            )
            assert await ledger.streaks(channel, UserRef("test", f"u{u}"), now) == Streaks(*expected)
    finally:
        await db.close()

"""Scheduled jobs on SQLite and Postgres: posted once whatever happens, retried, released, caught up,
revealed once, reported once a week, fanned out to many channels without one holding up the rest."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.i18n import Messages
from bot.messenger import MessengerError, RecordingMessenger
from bot.quiz.bank import QuestionBank
from bot.replies import Reply
from bot.scheduler.delivery import Pacer, with_retries
from bot.scheduler.jobs import ChannelJobs
from bot.stats.schedule import Schedule
from bot.storage.cards import SqlCardStore
from bot.storage.daily import DailyLedger
from bot.storage.database import Database
from bot.storage.refs import ChannelRef, UserRef
from bot.storage.stats import StatsQueries
from bot.storage.subscriptions import Subscriptions
from bot.usecases.stats import StatsService
from tests.conftest import FakeClock

TOKYO = Schedule(post_time=time(9, 0), timezone="Asia/Tokyo")
MONDAY_9_JST = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)


@dataclass
class Sleeps:
    waited: list[float]

    async def __call__(self, seconds: float) -> None:
        self.waited.append(seconds)


def _jobs(
    db: Database, bank: QuestionBank, clock: FakeClock, messenger: object, sleeps: Sleeps | None = None
) -> ChannelJobs:
    ledger = DailyLedger(db)
    stats = StatsService(ledger, StatsQueries(db), SqlCardStore(db, clock), bank, clock, "Asia/Tokyo")
    return ChannelJobs(
        bank=bank,
        ledger=ledger,
        subscriptions=Subscriptions(db),
        stats=stats,
        messenger=messenger,  # type: ignore[arg-type]
        clock=clock,
        messages=Messages("ja"),
        pacer=Pacer(rate=0),
        sleep=sleeps or Sleeps([]),
    )


async def _subscribe(db: Database, n: int = 1) -> list[int]:
    """Channels C0, C1… subscribed to TOKYO the day before MONDAY_9_JST."""
    subscriptions = Subscriptions(db)
    day_before = MONDAY_9_JST - timedelta(days=1)
    return [
        await subscriptions.save(ChannelRef("slack", "T1", f"C{i}", f"c{i}"), TOKYO, day_before)
        for i in range(n)
    ]


async def test_two_replicas_firing_together_post_once(
    database: Database, bank: QuestionBank, clock: FakeClock
) -> None:
    [cid] = await _subscribe(database)
    clock.current = MONDAY_9_JST
    messenger = RecordingMessenger()
    first, second = _jobs(database, bank, clock, messenger), _jobs(database, bank, clock, messenger)
    outcomes = await asyncio.gather(first.post_daily(cid), second.post_daily(cid), first.post_daily(cid))
    assert sorted(outcomes) == ["duplicate", "duplicate", "posted"]
    assert len(messenger.posts) == 1
    post = messenger.posts[0]
    assert post.reply.choices and post.reply.choices[0].value.startswith("daily:") and not post.reply.private


async def test_a_429_is_waited_out_and_a_lasting_failure_releases_the_day(
    database: Database, bank: QuestionBank, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    [cid] = await _subscribe(database)
    clock.current = MONDAY_9_JST
    messenger = RecordingMessenger(failures={"C0": 2}, retry_after=7.0)
    sleeps = Sleeps([])
    assert await _jobs(database, bank, clock, messenger, sleeps).post_daily(cid) == "posted"
    assert sleeps.waited == [7.0, 7.0] and len(messenger.posts) == 1

    clock.current += timedelta(days=1)
    broken = RecordingMessenger(failures={"C0": 10})
    with caplog.at_level(logging.ERROR):
        assert await _jobs(database, bank, clock, broken, Sleeps([])).post_daily(cid) == "failed"
    assert not broken.posts and "failed for good" in caplog.text
    clock.current += timedelta(minutes=30)  # a later run (the catch-up after a restart) posts it, once
    healthy = RecordingMessenger()
    jobs = _jobs(database, bank, clock, healthy)
    assert (await jobs.catch_up()).get("posted") == 1
    assert "posted" not in await jobs.catch_up()
    assert len([p for p in healthy.posts if p.reply.choices]) == 1


async def test_catch_up_within_grace_posts_late_and_beyond_it_skips(
    database: Database, bank: QuestionBank, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    [cid] = await _subscribe(database)
    messenger = RecordingMessenger()
    clock.current = MONDAY_9_JST + timedelta(minutes=90)  # down over 09:00, back at 10:30
    assert await _jobs(database, bank, clock, messenger).catch_up() == {"posted": 1, "report:reported": 1}
    clock.current = MONDAY_9_JST + timedelta(days=1, hours=5)  # Tuesday: back five hours late
    with caplog.at_level(logging.WARNING):
        assert await _jobs(database, bank, clock, messenger).catch_up() == {"missed": 1}
    assert "missed its 2026-12-01 post" in caplog.text
    assert len([p for p in messenger.posts if p.reply.choices]) == 1
    assert cid


async def test_reveal_edits_once_with_counts_and_closes_late_clicks(
    database: Database, bank: QuestionBank, clock: FakeClock
) -> None:
    [cid] = await _subscribe(database)
    clock.current = MONDAY_9_JST
    messenger = RecordingMessenger()
    jobs = _jobs(database, bank, clock, messenger)
    assert await jobs.post_daily(cid) == "posted"
    post_id = int(messenger.posts[0].reply.choices[0].value.split(":")[1])
    question = bank.get((await jobs.ledger.get(post_id)).question_id)  # type: ignore[union-attr]
    assert question is not None
    right, wrong = question.answer, (question.answer + 1) % len(question.choices)
    for user, choice in (("A", right), ("B", wrong), ("C", right), ("A", wrong)):
        await jobs.ledger.record_answer(
            post_id, UserRef("slack", user, user), choice, choice == right, clock.now()
        )
    clock.current += timedelta(hours=8)
    other = _jobs(database, bank, clock, messenger)
    assert sorted(await asyncio.gather(jobs.reveal(post_id), other.reveal(post_id))) == [
        "duplicate",
        "revealed",
    ]
    assert len(messenger.edits) == 1
    edit = messenger.edits[0]
    assert edit.ref == messenger.posts[0].ref and not edit.reply.choices  # the buttons are gone
    distribution = next(f.value for f in edit.reply.fields if f.name == "回答の分布")
    assert f"{right + 1}. {question.choices[right]} — 2" in distribution
    assert f"{wrong + 1}. {question.choices[wrong]} — 1" in distribution
    late = await jobs.ledger.record_answer(post_id, UserRef("slack", "D"), right, True, clock.now())
    assert late is not None and late.closed


async def test_the_weekly_report_goes_out_once_per_channel_per_week(
    database: Database, bank: QuestionBank, clock: FakeClock
) -> None:
    [cid] = await _subscribe(database)
    clock.current = MONDAY_9_JST
    messenger = RecordingMessenger()
    results = await asyncio.gather(
        *(_jobs(database, bank, clock, messenger).weekly_report(cid) for _ in range(3))
    )
    assert sorted(results) == ["duplicate", "duplicate", "reported"]
    assert [p.reply.title for p in messenger.posts] == ["週間レポート 2026-W48"]


@dataclass
class StuckForOne(RecordingMessenger):
    """Channel C0's post hangs until released: the other channels must not wait for it."""

    release: asyncio.Event | None = None

    async def post(self, channel: ChannelRef, reply: Reply) -> str:
        if channel.channel == "C0":
            assert self.release is not None
            await self.release.wait()
        return await super().post(channel, reply)


async def test_a_thousand_channels_due_together_are_all_posted_and_one_slow_one_holds_none_up(
    database: Database, bank: QuestionBank, clock: FakeClock
) -> None:
    ids = await _subscribe(database, n=1000)
    clock.current = MONDAY_9_JST
    messenger = StuckForOne(release=asyncio.Event())
    jobs = _jobs(database, bank, clock, messenger)
    tasks = [asyncio.create_task(jobs.post_daily(cid)) for cid in ids]
    stuck, others = tasks[0], tasks[1:]
    assert [await t for t in others] == ["posted"] * 999  # all done while C0 still hangs
    assert not stuck.done()
    assert messenger.release is not None
    messenger.release.set()
    assert await stuck == "posted"
    assert len(messenger.posts) == 1000 and len({p.channel.channel for p in messenger.posts}) == 1000


async def test_retries_back_off_and_honour_retry_after() -> None:
    sleeps = Sleeps([])
    calls = 0

    async def flaky() -> str:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise MessengerError("rate limited", retry_after=3.5)
        if calls == 2:
            raise MessengerError("server error")
        return "ok"

    assert await with_retries(flaky, sleep=sleeps) == "ok"
    assert sleeps.waited == [3.5, 2.0]

    async def permanent() -> str:
        raise MessengerError("channel_not_found", permanent=True)

    with pytest.raises(MessengerError):
        await with_retries(permanent, sleep=sleeps)
    assert sleeps.waited == [3.5, 2.0]


async def test_the_pacer_spaces_sends() -> None:
    now = [0.0]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    pacer = Pacer(rate=10, sleep=sleep, clock=lambda: now[0])
    for _ in range(5):
        await pacer.wait()
    assert waits == pytest.approx([0.1, 0.2, 0.3, 0.4])


async def test_a_report_that_fails_to_send_is_released_and_sent_later(
    database: Database, bank: QuestionBank, clock: FakeClock
) -> None:
    [cid] = await _subscribe(database)
    clock.current = MONDAY_9_JST
    broken = RecordingMessenger(failures={"C0": 10})
    assert await _jobs(database, bank, clock, broken).weekly_report(cid) == "failed"
    healthy = RecordingMessenger()
    assert await _jobs(database, bank, clock, healthy).weekly_report(cid) == "reported"
    assert await _jobs(database, bank, clock, healthy).weekly_report(cid) == "duplicate"
    assert len(healthy.posts) == 1

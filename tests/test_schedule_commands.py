"""/dop subscribe and friends through the console, on SQLite and Postgres: who may change what,
defaults, clear messages for bad values, and the schedule the runner then follows."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.console import ConsoleSession
from bot.bootstrap import start_core
from bot.config import Settings
from bot.messenger import RecordingMessenger
from tests.conftest import FakeClock

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
async def session(database, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(ROOT)
    clock = FakeClock(datetime(2026, 11, 28, 3, 0, tzinfo=UTC))  # Saturday 12:00 in Tokyo
    core = await start_core(Settings(database_url=database.url), clock, RecordingMessenger())
    assert core.runner is not None
    await core.runner.start()
    core.runner.scheduler.pause()  # the jobs are kept, but the machine's clock must not wake them mid-test
    try:
        yield ConsoleSession(core.dispatcher), core
    finally:
        await core.close()


async def test_only_managers_change_the_schedule(session) -> None:  # type: ignore[no-untyped-def]
    console, _ = session
    member = ConsoleSession(console.dispatcher, replace(console.requester, user_id="guest", can_manage=False))
    for line in ("/dop subscribe", "/dop unsubscribe", "/dop pause", "/dop resume"):
        assert "チャンネルの管理者だけ" in await member.send(line)
    assert "購読していません" in await member.send("/dop schedule")  # reading is for everyone


async def test_subscribe_with_defaults_then_change_pause_resume_and_stop(session) -> None:  # type: ignore[no-untyped-def]
    console, core = session
    out = await console.send("/dop subscribe")
    assert "09:00（Asia/Tokyo）mon,tue,wed,thu,fri" in out
    assert core.runner.next_post(1) == datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # Monday 09:00 JST
    shown = await console.send("/dop schedule")
    assert "次の出題: 2026-11-30 09:00 JST" in shown
    assert "21:30（America/New_York）mon,wed,fri" in await console.send(
        "/dop subscribe 21:30 America/New_York mon,wed,fri"
    )
    assert "一時停止しました" in await console.send("/dop pause")
    assert "（一時停止中）" in await console.send("/dop schedule") and core.runner.next_post(1) is None
    assert "再開しました" in await console.send("/dop resume")
    assert core.runner.next_post(1) is not None
    assert "配信を止めました" in await console.send("/dop unsubscribe")
    assert core.runner.next_post(1) is None
    assert "購読していません" in await console.send("/dop pause")


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        ("25:00", "00:00〜23:59"),
        ("Asia/Tokio", "Asia/Tokyo や America/New_York"),
        ("funday", "mon-fri、mon,wed,fri"),
    ],
)
async def test_bad_values_show_the_accepted_forms(session, args: str, hint: str) -> None:  # type: ignore[no-untyped-def]
    console, _ = session
    out = await console.send(f"/dop subscribe {args}")
    assert args in out and hint in out
    assert "購読していません" in await console.send("/dop schedule")

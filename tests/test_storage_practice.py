"""Practice state, console conversations and event dedupe on the database (SQLite and Postgres)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.cli import main
from adapters.console import ConsoleSession
from bot.bootstrap import start_core
from bot.config import Settings
from bot.i18n import Messages
from bot.quiz.bank import QuestionBank
from bot.quiz.practice import PracticeService
from bot.storage.cards import SqlCardStore
from bot.storage.database import Database
from bot.storage.events import EventLog
from tests.conftest import FakeClock
from tests.databases import BACKENDS, create_database, drop_database

ROOT = Path(__file__).resolve().parents[1]


async def test_practice_cards_survive_a_restart(
    database: Database, bank: QuestionBank, clock: FakeClock
) -> None:
    first = PracticeService(bank=bank, store=SqlCardStore(database, clock), clock=clock)
    question = await first.next_question("slack:U1")
    assert question is not None and await first.pending("slack:U1") == question
    result = await first.answer("slack:U1", question.id, (question.answer + 1) % len(question.choices))
    assert await first.pending("slack:U1") is None
    restarted = PracticeService(bank=bank, store=SqlCardStore(database, clock), clock=clock)
    assert await restarted.next_due("slack:U1") == result.next_due
    clock.advance(hours=1)
    assert await restarted.due_question("slack:U1") == question
    assert await restarted.store.known_questions("slack:U1") == {question.id}
    assert await restarted.store.known_questions("slack:U2") == set()


async def test_retried_events_are_processed_once(database: Database, clock: FakeClock) -> None:
    log = EventLog(database)
    results = await asyncio.gather(*(log.first_time("slack", "Ev123", clock.now()) for _ in range(5)))
    assert results.count(True) == 1
    assert await log.first_time("discord", "Ev123", clock.now()) is True


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_console_conversation_is_stored(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = await create_database(backend, tmp_path)
    monkeypatch.chdir(ROOT)
    try:
        settings = Settings(database_url=url, data_dir=tmp_path)
        clock = FakeClock(datetime(2026, 11, 30, 0, 0, tzinfo=UTC))
        core = await start_core(settings, clock)
        session = ConsoleSession(core.dispatcher)
        await session.send("/dop quiz ddb")
        assert "正解" in await session.send("1")
        stats = await session.send("/dop stats")
        assert "1問回答" in stats
        report = await session.send("/dop report")
        assert "週間レポート 2026-W49" in report
        assert "2026-W48 のように" in await session.send("/dop report nonsense")
        await core.close()
        again = await start_core(settings, clock)  # a restart keeps what was stored
        assert "1問回答" in await ConsoleSession(again.dispatcher).send("/dop stats")
        # The database going away mid-session gets a friendly reply, never a traceback.
        assert again.db is not None
        dead = Database.open("postgresql://nobody:pw@127.0.0.1:1/gone")
        again.db.sessions = dead.sessions
        for line in ("/dop stats", "/dop quiz", "/dop report"):
            out = await ConsoleSession(again.dispatcher).send(line)
            assert Messages("ja")("storage.unavailable") in out and "Traceback" not in out
        await dead.close()
        await again.close()
    finally:
        await drop_database(url)


@pytest.mark.parametrize("backend", BACKENDS)
def test_db_upgrade_and_report_commands(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("DOP_DATA_DIR", str(tmp_path))
    url = asyncio.run(create_database(backend, tmp_path))
    if backend == "sqlite":
        monkeypatch.delenv("DATABASE_URL", raising=False)  # the default: a file in the data directory
    else:
        monkeypatch.setenv("DATABASE_URL", url)
    try:
        _upgrade_and_report(backend, tmp_path, monkeypatch, capsys)
    finally:
        asyncio.run(drop_database(url))


def _upgrade_and_report(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    out = capsys.readouterr().out
    if backend == "sqlite":
        assert "dop-bot.sqlite3" in out and (tmp_path / "dop-bot.sqlite3").exists()
    else:
        assert "postgresql" in out
    assert main(["report", "--channel", "console:local:console", "--week", "2026-W48"]) == 0
    assert "週間レポート 2026-W48" in capsys.readouterr().out
    assert main(["report", "--channel", "nonsense", "--week", "2026-W48"]) == 2
    monkeypatch.setenv("DATABASE_URL", "postgresql://user:hunter2@127.0.0.1:1/none")
    assert main(["db", "upgrade"]) == 1
    err = capsys.readouterr().err
    assert "データベースに接続できません" in err and "hunter2" not in err

"""The database failing under dop-bot: migrations are all or nothing, a start-up names the real cause in
one plain line (never a traceback), a command during a failure gets the plain message and writes
nothing, and a click's reported outcome is the stored one. Runs on SQLite and Postgres, except where a
failure exists on one only (a full SQLite file, a Postgres server that never answers)."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, inspect
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import Pool

from adapters.cli import main
from adapters.console import ConsoleSession
from bot.bootstrap import start_core
from bot.config import Settings
from bot.i18n import LOCALES, Messages
from bot.quiz.bank import QuestionBank
from bot.storage import answer_batch
from bot.storage.daily import DailyLedger
from bot.storage.database import Database, MigrationFailed, StorageUnavailable
from bot.storage.errors import Cause
from bot.storage.failures import describe, unavailable_cause
from bot.storage.migrations import head_revision
from bot.storage.models import Answer, PendingPractice
from bot.storage.refs import UserRef
from tests.conftest import FakeClock
from tests.databases import BACKENDS, POSTGRES_URL, fresh_database
from tests.processes import cli_env, spawn_cli
from tests.test_storage_daily import Daily, _count

ROOT = Path(__file__).resolve().parents[1]
JA = Messages("ja")


def opening(key: str) -> str:
    """A catalogue message up to its first field: what a line naming that cause starts with."""
    return JA(key, url="\0", detail="\0", seconds="\0", reason="\0").split("\0")[0]


async def _tables(db: Database) -> set[str]:
    async with db.engine.connect() as conn:
        return set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))


# ------------------------------------------------------------------------------------ migrations


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_migration_failing_midway_leaves_the_database_as_it_was(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alembic.operations import Operations

    real, made = Operations.create_table, []

    def sixth_fails(self: Operations, name: str, *columns: Any, **kw: Any) -> Any:
        if len(made) == 5:  # migration 0001 creates twelve tables: fail halfway
            raise RuntimeError("injected failure after five tables")
        made.append(name)
        return real(self, name, *columns, **kw)

    monkeypatch.setattr(Operations, "create_table", sixth_fails)
    async with fresh_database(backend, tmp_path, migrate=False) as db:
        with pytest.raises(MigrationFailed) as failed:
            await db.upgrade()
        assert len(made) == 5 and "injected failure" in failed.value.detail
        assert await _tables(db) == set()  # not one of the five tables, no alembic_version
        monkeypatch.undo()
        assert await db.upgrade() == head_revision()  # the next start succeeds


@contextlib.contextmanager
def sqlite_files_limited_to(pages: int) -> Iterator[None]:
    """Every SQLite connection opened meanwhile can grow its file to `pages` pages: a full disk."""

    def limit(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA max_page_count={pages}")
        cursor.close()

    event.listen(Pool, "connect", limit)
    try:
        yield
    finally:
        event.remove(Pool, "connect", limit)


def test_a_full_disk_during_the_first_migration_is_named_undone_and_recovered_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("DOP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with sqlite_files_limited_to(12):
        assert main(["db", "upgrade"]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(opening("storage.migration_failed")) and opening("storage.start.disk_full") in line
    assert "DATABASE_URL" not in line  # not "cannot connect, check DATABASE_URL"
    tables = (
        sqlite3.connect(tmp_path / "dop-bot.sqlite3").execute("SELECT name FROM sqlite_master").fetchall()
    )
    assert tables == []
    assert main(["db", "upgrade"]) == 0  # room again: the next run migrates from scratch


# --------------------------------------------------------------------------- start-up, one line


async def _cli(*args: str, env: dict[str, str], timeout: float = 60) -> tuple[int, list[str]]:
    process = await spawn_cli(*args, env=env)
    try:
        _, err = await asyncio.wait_for(process.communicate(), timeout)
    finally:
        if process.returncode is None:  # still running: it did not fail as it should
            process.kill()
            await process.wait()
    assert process.returncode is not None
    return process.returncode, err.decode().splitlines()


async def _read_only_url(tmp_path: Path) -> str:
    path = tmp_path / "made-earlier.sqlite3"  # migrated, then opened read-only
    db = Database.open(f"sqlite:///{path}")
    await db.upgrade()
    await db.close()
    return f"sqlite:///file:{path}?mode=ro&uri=true"


async def test_every_start_up_failure_is_one_plain_line_naming_the_cause(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    cases = {
        "bad_url": {"DATABASE_URL": "not a url at all"},
        "bad_scheme": {"DATABASE_URL": "mysql://user:hunter2@db.example/dop"},
        "no_directory": {"DOP_DATA_DIR": str(tmp_path / "a-file" / "data")},
        "read_only": {"DATABASE_URL": await _read_only_url(tmp_path)},
        "unreachable": {"DATABASE_URL": "postgresql://user:hunter2@127.0.0.1:1/none"},
    }
    expected = {
        "bad_url": "bad_url",
        "bad_scheme": "bad_url",
        "no_directory": "no_directory",
        "read_only": "read_only",
        "unreachable": "unreachable",
    }
    platform = {"SLACK_BOT_TOKEN": "xoxb-x", "SLACK_SIGNING_SECRET": "s", "PORT": "0"}
    runs = [
        (name, command)
        for name in cases
        for command in (("db", "upgrade"), ("console",), ("run",))
        if command == ("db", "upgrade") or name in ("bad_scheme", "read_only", "no_directory")
    ]
    results = await asyncio.gather(
        *(
            _cli(*command, env=cli_env(**{"DOP_DATA_DIR": str(tmp_path / "data"), **platform, **cases[name]}))
            for name, command in runs
        )
    )
    for (name, command), (code, lines) in zip(runs, results, strict=True):
        where = f"{name} / dop-bot {' '.join(command)}: {lines}"
        assert code == 1 and len(lines) == 1, where
        assert lines[0].startswith(opening(f"storage.start.{expected[name]}")), where
        assert "Traceback" not in lines[0] and "hunter2" not in lines[0], where


async def test_a_silent_server_fails_a_start_within_15_seconds_with_one_line(tmp_path: Path) -> None:
    from tests.outage import proxied_postgres

    async with proxied_postgres(tmp_path) as (proxy, through, _):
        proxy.stall()
        env = cli_env(DATABASE_URL=through, SLACK_BOT_TOKEN="xoxb-x", SLACK_SIGNING_SECRET="s", PORT="0")
        starts = [_cli(*command, env=env, timeout=15) for command in (("db", "upgrade"), ("run",))]
        for code, lines in await asyncio.gather(*starts):
            assert code == 1 and len(lines) == 1, lines
            assert lines[0].startswith(opening("storage.start.timeout")) and "Traceback" not in lines[0]


def test_every_cause_has_a_start_up_message_in_every_language() -> None:
    for locale in LOCALES:
        for cause in Cause:
            assert Messages(locale).keys() >= {f"storage.start.{cause}"}


# -------------------------------------------------------------------------------- at run time


@contextlib.asynccontextmanager
async def writes_failing(database: Database) -> AsyncIterator[None]:
    """Every write fails as the database itself reports it: SQLite's file is full (the driver's own
    error, with its result code), Postgres's database is read-only (really: a server setting)."""
    if database.dialect == "sqlite":

        def full(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
                error = sqlite3.OperationalError("database or disk is full")
                error.sqlite_errorcode = 13  # SQLITE_FULL
                raise error

        event.listen(database.engine.sync_engine, "before_cursor_execute", full)
        try:
            yield
        finally:
            event.remove(database.engine.sync_engine, "before_cursor_execute", full)
        return
    import asyncpg

    name = database.engine.url.database

    async def read_only(on: bool) -> None:
        admin = await asyncpg.connect(POSTGRES_URL)  # the server's own database, never read-only here
        try:
            await admin.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = {on}')
        finally:
            await admin.close()
        await database.engine.dispose()  # new connections see the setting

    await read_only(True)
    try:
        yield
    finally:
        await read_only(False)


async def test_a_command_during_a_failing_database_gets_the_plain_message_and_writes_nothing(
    database: Database, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    core = await start_core(Settings(database_url=database.url), clock)
    assert core.db is not None
    session = ConsoleSession(core.dispatcher)
    try:
        async with writes_failing(core.db):
            for line in ("/dop quiz", "/dop stats"):
                reply = await session.send(line)
                if line == "/dop quiz":  # it stores the pending question: refused
                    assert JA("storage.unavailable") in reply and "Traceback" not in reply
        assert await _count(core.db, PendingPractice) == 0
        assert "正解" in await session.send("/dop quiz") + await session.send("1")  # it works again
    finally:
        await core.close()


async def test_a_start_on_a_database_that_cannot_be_written_says_so(database: Database) -> None:
    if database.dialect == "sqlite":  # the same file, opened read-only
        reader = Database.open(f"sqlite:///file:{database.engine.url.database}?mode=ro&uri=true")
        with pytest.raises(StorageUnavailable) as refused:
            await reader.upgrade()
        await reader.close()
    else:
        async with writes_failing(database):
            with pytest.raises(StorageUnavailable) as refused:
                await database.upgrade()
    assert refused.value.cause is Cause.READ_ONLY


# ----------------------------------------------------------------- a click's outcome is the truth


@pytest.fixture
def daily(database: Database, bank: QuestionBank, clock: FakeClock) -> Daily:
    from bot.usecases.daily import DailyAnswerService

    ledger = DailyLedger(database)
    return Daily(ledger, DailyAnswerService(ledger, bank, clock), clock)


async def test_a_batch_whose_commit_went_unanswered_is_told_what_was_stored(
    database: Database, bank: QuestionBank, daily: Daily, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.usecases.daily import AnswerStatus

    question = bank.questions[1]
    post = await daily.post(date(2026, 12, 2), question)
    real, lost = Database.transaction, []

    @contextlib.asynccontextmanager
    async def commit_then_lose_the_reply(self: Database, deadline: float | None = None) -> AsyncIterator[Any]:
        async with real(self, deadline) as session:
            yield session
        if not lost:  # the first batch is committed, and then its connection dies
            lost.append(True)
            failure = StorageUnavailable(
                "connection was closed in the middle of operation", Cause.UNREACHABLE
            )
            failure.outcome_unknown = True
            raise failure

    monkeypatch.setattr(Database, "transaction", commit_then_lose_the_reply)
    monkeypatch.setattr(answer_batch, "RETRY_PAUSE", 0.01)
    outcome = await daily.service.answer(post.id, UserRef("slack", "U1"), question.answer)
    assert lost and outcome.status is AnswerStatus.RECORDED and outcome.correct
    assert await _count(database, Answer) == 1
    again = await daily.service.answer(post.id, UserRef("slack", "U1"), question.answer)
    assert again.status is AnswerStatus.ALREADY_ANSWERED  # a later click is still a repeat
    await daily.ledger.batcher.close()


async def test_clicks_queued_behind_a_failed_batch_fail_with_it_unwritten(
    database: Database, bank: QuestionBank, daily: Daily, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = bank.questions[1]
    post = await daily.post(date(2026, 12, 2), question)
    real, release, attempts = answer_batch.AnswerBatcher._write, asyncio.Event(), []

    async def first_one_hangs_then_fails(self: Any, clicks: list[Any], *args: Any, **kwargs: Any) -> Any:
        attempts.append(len(clicks))
        if len(attempts) == 1:
            await release.wait()  # the database is silent, until its deadline
            raise StorageUnavailable("TimeoutError", Cause.TIMEOUT)
        return await real(self, clicks, *args, **kwargs)

    monkeypatch.setattr(answer_batch.AnswerBatcher, "_write", first_one_hangs_then_fails)
    first = asyncio.ensure_future(daily.service.answer(post.id, UserRef("slack", "U1"), 0))
    while not attempts:
        await asyncio.sleep(0.001)
    queued = [
        asyncio.ensure_future(daily.service.answer(post.id, UserRef("slack", f"Q{n}"), 0)) for n in range(3)
    ]
    await asyncio.sleep(0.05)
    release.set()
    outcomes = await asyncio.gather(first, *queued, return_exceptions=True)
    assert all(isinstance(outcome, StorageUnavailable) for outcome in outcomes)
    assert attempts == [1]  # the queued clicks were never tried: nothing of theirs was written
    assert await _count(database, Answer) == 0
    later = await daily.service.answer(post.id, UserRef("slack", "L1"), 0)
    assert later.status.value == "recorded"
    await daily.ledger.batcher.close()


# ------------------------------------------------------------------------------ describing errors


def test_an_error_is_described_in_one_safe_line_whatever_its_message() -> None:
    class Unprintable(Exception):
        def __str__(self) -> str:
            raise ValueError("no")

    assert describe(TimeoutError()) == "TimeoutError"  # str() is empty: no IndexError
    assert describe(RuntimeError("\n\n  second line first\nthird")) == "second line first"
    assert describe(Unprintable()) == "Unprintable"
    wrapped = OperationalError("INSERT INTO x", {}, sqlite3.OperationalError("database is locked"))
    assert describe(wrapped) == "database is locked"
    assert len(describe(RuntimeError("x" * 1000))) == 200


def test_driver_errors_are_read_into_causes() -> None:
    def sqlite_error(code: int) -> OperationalError:
        error = sqlite3.OperationalError("...")
        error.sqlite_errorcode = code
        return OperationalError("SELECT 1", {}, error)

    assert unavailable_cause(sqlite_error(13)) is Cause.DISK_FULL
    assert unavailable_cause(sqlite_error(8)) is Cause.READ_ONLY
    assert unavailable_cause(sqlite_error(5)) is Cause.LOCKED
    assert unavailable_cause(sqlite_error(1)) is None  # SQLITE_ERROR: a bug, not an outage

    import asyncpg

    assert unavailable_cause(asyncpg.exceptions.DiskFullError("full")) is Cause.DISK_FULL
    assert unavailable_cause(asyncpg.exceptions.InvalidPasswordError("no")) is Cause.REFUSED
    assert unavailable_cause(asyncpg.exceptions.UniqueViolationError("dup")) is None
    assert unavailable_cause(ConnectionRefusedError(111, "refused")) is Cause.UNREACHABLE
    assert unavailable_cause(TimeoutError()) is Cause.TIMEOUT

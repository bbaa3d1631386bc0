"""The database handle: engine and sessions for SQLite (default) or Postgres, and migrations on start."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.engine.url import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool

from bot.storage.errors import (
    Cause,
    DatabaseNewerThanCode,
    MigrationFailed,
    StorageError,
    StorageMisconfigured,
    StorageUnavailable,
)
from bot.storage.failures import describe, storage_error
from bot.storage.migrations import HEAD, current_revision, known_revisions, stored_revision, upgrade_to_head

log = logging.getLogger(__name__)

# A command must answer within 10 s even when the server has gone silent. Every wait is bounded:
CONNECT_TIMEOUT = 5.0  # opening a Postgres connection (TCP, TLS, login)
STATEMENT_TIMEOUT = 5.0  # one Postgres statement, including the pool's pre-ping
POOL_TIMEOUT = 5.0  # waiting for a free connection from the pool
BUSY_TIMEOUT = 5.0  # SQLite: waiting for another writer's lock
DEADLINE = 6.0  # one transaction end to end, whatever it waits on: the backstop for all of the above

LOW_DISK = 1 << 20  # bytes: less free space than this, and a failed SQLite write is taken as a full disk
REPORT_EVERY = 60.0  # seconds: at most one "unavailable" and one "works again" log line in this time

_DRIVERS = {
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
    "postgresql+psycopg2": "postgresql+asyncpg",
    "postgresql+psycopg": "postgresql+asyncpg",
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "sqlite+pysqlite": "sqlite+aiosqlite",
}


def _parse(url: str) -> URL:
    """The URL with the async driver dop-bot uses; StorageMisconfigured if it cannot be one."""
    try:
        parsed = make_url(url)
        parsed.port  # noqa: B018 -- read now: a port that is not a number fails here, not at connect
    except (SQLAlchemyError, ValueError, TypeError):
        raise StorageMisconfigured(
            "not a database URL", Cause.BAD_URL
        ) from None  # the text may hold a password
    driver = _DRIVERS.get(parsed.drivername)
    if driver is None:
        raise StorageMisconfigured(f"unsupported scheme {parsed.drivername!r}", Cause.BAD_URL)
    if driver.startswith("postgresql") and not parsed.host:
        raise StorageMisconfigured("no host", Cause.BAD_URL)
    return parsed.set(drivername=driver)


def async_url(url: str) -> str:
    """Accept the URLs people paste (postgres://, postgresql://) and pick the async driver."""
    return _parse(url).render_as_string(hide_password=False)


def safe_url(url: str) -> str:
    """The URL without its password, for logs and messages (a URL that does not parse is not shown)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (SQLAlchemyError, ValueError, TypeError):
        return "DATABASE_URL"


def _sqlite_file(parsed: URL) -> Path | None:
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


@dataclass
class Database:
    """One engine per process; sessions are short and each answer is its own transaction."""

    url: str
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    deadline: float = DEADLINE
    failures: int = 0  # transactions failed since the database last worked
    monotonic: Callable[[], float] = field(default=time.monotonic, repr=False)
    _logged: dict[bool, float] = field(default_factory=dict, init=False, repr=False)  # down? → when

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @classmethod
    def open(cls, url: str, **engine_options: Any) -> Database:
        """Build the engine (no connection yet). SQLite files get their folder and WAL mode.

        A URL or a data directory that cannot work raises StorageMisconfigured, naming which.
        """
        parsed = _parse(url)
        url = parsed.render_as_string(hide_password=False)
        options: dict[str, Any] = {"pool_pre_ping": True, "pool_timeout": POOL_TIMEOUT, **engine_options}
        if parsed.get_backend_name() == "sqlite":
            path = _sqlite_file(parsed)
            if path is not None:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise StorageMisconfigured(describe(exc), Cause.NO_DIRECTORY) from exc
            options.setdefault("connect_args", {"timeout": BUSY_TIMEOUT})
        else:
            options.setdefault("pool_size", 20)
            options.setdefault("max_overflow", 20)
            options.setdefault(
                "connect_args", {"timeout": CONNECT_TIMEOUT, "command_timeout": STATEMENT_TIMEOUT}
            )
        try:
            engine = create_async_engine(url, **options)
        except (SQLAlchemyError, ImportError) as exc:  # e.g. a driver that is not installed
            raise StorageMisconfigured(describe(exc), Cause.BAD_URL) from exc
        if parsed.get_backend_name() == "sqlite":
            event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return cls(url=url, engine=engine, sessions=async_sessionmaker(engine, expire_on_commit=False))

    @asynccontextmanager
    async def transaction(self, deadline: float | None = None) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction: committed on success, rolled back on any error.

        The whole transaction has `deadline` seconds (the database's own by default). A database that
        cannot be used right now (unreachable, silent, full, read-only, locked) raises
        StorageUnavailable naming the cause, so callers can answer the user plainly; anything else
        (a bug) is raised as it is.
        """
        committing = False
        try:
            async with (
                asyncio.timeout(self.deadline if deadline is None else deadline),
                self.sessions() as session,
                session.begin(),
            ):
                yield session
                committing = True  # the body is done: what fails from here on is the COMMIT
        except (SQLAlchemyError, OSError) as exc:  # TimeoutError is an OSError
            failure = storage_error(exc)
            if failure is None:
                raise
            if isinstance(failure, StorageUnavailable):
                # Only a lost connection or a deadline leaves a COMMIT's fate unknown; an error the
                # database itself reports (a full disk, say) means it rolled back.
                failure.outcome_unknown = committing and failure.cause in (Cause.UNREACHABLE, Cause.TIMEOUT)
            self._failed(failure)
            raise failure from exc
        if self.failures:
            self._log_change(down=False, line=f"works again ({self.failures} transactions failed meanwhile)")
            self.failures = 0

    def _failed(self, failure: StorageError) -> None:
        if not self.failures:
            self._log_change(down=True, line=f"unavailable: {failure.cause} ({failure.detail})")
        self.failures += 1

    def _log_change(self, down: bool, line: str) -> None:
        # One line when an outage starts and one when it ends, not one per click; and when the
        # database flaps (a full disk fails writes while reads work) at most one of each a minute.
        now, last = self.monotonic(), self._logged.get(down)
        if last is None or now - last >= REPORT_EVERY:
            log.warning("database %s %s", self.dialect, line)
            self._logged[down] = now

    async def upgrade(self) -> str | None:
        """Apply every migration; refuse a database that a newer dop-bot has migrated.

        A database already at the head is left alone: running Alembic's upgrade only to find nothing
        to do costs a noticeable part of every start. Migrations run in one transaction on their own
        connection (see `migration_engine`): if one fails, the database is left as it was.
        """
        try:
            async with asyncio.timeout(self.deadline), self.engine.connect() as conn:
                revision = await conn.run_sync(stored_revision)
                read_only = await self._read_only(conn)
        except (SQLAlchemyError, OSError) as exc:
            raise self._sharpened(_start_failure(exc)) from exc
        if read_only:  # found now, at start, rather than at the first answer someone clicks
            raise StorageUnavailable(read_only, Cause.READ_ONLY)
        if revision == HEAD:
            return revision
        if revision is not None and revision not in known_revisions():
            raise DatabaseNewerThanCode(revision)
        migrator = self.migration_engine()
        try:
            async with migrator.begin() as conn:
                await conn.run_sync(upgrade_to_head)
                return await conn.run_sync(current_revision)
        except Exception as exc:
            failure = self._sharpened(_start_failure(exc))
            raise MigrationFailed(failure.detail, failure.cause) from exc
        finally:
            if migrator is not self.engine:
                await migrator.dispose()

    async def _read_only(self, conn: AsyncConnection) -> str | None:
        """Why the database cannot be written, if it cannot: a read-only SQLite file or a read-only
        Postgres (a standby, or default_transaction_read_only)."""
        if self.dialect == "sqlite":
            return self._unwritable_file()
        setting = await conn.exec_driver_sql("SHOW transaction_read_only")
        return "transaction_read_only is on" if setting.scalar() == "on" else None

    def _unwritable_file(self) -> str | None:
        """mode=ro, or a file or folder this process may not write (as the operating system judges it:
        a read-only mount, permissions); SQLite writes its -wal and -shm files beside the database."""
        parsed = make_url(self.url)
        if parsed.query.get("mode") == "ro":
            return "opened with mode=ro"
        path = _sqlite_file(parsed)
        for target in (path, path.parent) if path is not None else ():
            if target.exists() and not os.access(target, os.W_OK):
                return f"{target} is not writable"
        return None

    def _sharpened(self, failure: StorageError) -> StorageError:
        """SQLite reports a read-only or a full disk as "unable to open" or "disk I/O error" when the
        file cannot even be opened for writing; look at the file system to name the real cause."""
        if self.dialect != "sqlite" or failure.cause not in (Cause.CANNOT_OPEN, Cause.DISK_ERROR):
            return failure
        if read_only := self._unwritable_file():
            return StorageUnavailable(read_only, Cause.READ_ONLY)
        path = _sqlite_file(make_url(self.url))
        if path is not None and path.parent.exists() and shutil.disk_usage(path.parent).free < LOW_DISK:
            return StorageUnavailable(failure.detail, Cause.DISK_FULL)
        return failure

    def migration_engine(self) -> AsyncEngine:
        """The engine migrations run on: one connection, no statement timeout (a migration may rebuild
        a large table), and on SQLite a real transaction around the DDL.

        sqlite3 (and aiosqlite on it) runs DDL outside any transaction: each CREATE TABLE commits
        by itself, so a migration that failed halfway left tables behind with no revision recorded,
        and every later start failed. As SQLAlchemy's SQLite notes describe, the driver's own
        transaction handling is switched off and BEGIN is emitted here instead; IMMEDIATE takes the
        write lock at once, so a second process starting at the same time waits, then finds the work
        done. Only this engine: the bot's own sessions keep the driver's default, which begins only
        at the first write and so never fails a read-then-write transaction for a stale snapshot.
        """
        parsed = make_url(self.url)
        if parsed.get_backend_name() != "sqlite":
            args = {"timeout": CONNECT_TIMEOUT, "command_timeout": None}
            return create_async_engine(self.url, poolclass=NullPool, connect_args=args)
        if parsed.database in (None, "", ":memory:"):
            return self.engine  # in memory: nothing outlives a failure anyway
        engine = create_async_engine(self.url, poolclass=NullPool, connect_args={"timeout": BUSY_TIMEOUT})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "connect", _sqlite_own_transactions)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine

    async def check(self) -> None:
        """Connect once, migrate if needed, and fail unless the schema is now at the head."""
        revision = await self.upgrade()
        if revision != HEAD:
            raise StorageError(f"schema at {revision}, expected {HEAD}")

    async def close(self) -> None:
        await self.engine.dispose()


def _start_failure(exc: BaseException) -> StorageError:
    """Any failure while opening or migrating, as a StorageError: a start-up reports it in one line."""
    return storage_error(exc) or StorageError(describe(exc), Cause.OTHER)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers work while one writer commits; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
    cursor.close()


def _sqlite_own_transactions(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # the driver emits no BEGIN of its own; _sqlite_begin does


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


__all__ = [
    "Connection",
    "Database",
    "DatabaseNewerThanCode",
    "MigrationFailed",
    "SQLAlchemyError",
    "StorageError",
    "StorageMisconfigured",
    "StorageUnavailable",
    "async_url",
    "safe_url",
]

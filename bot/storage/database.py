"""The database handle: engine and sessions for SQLite (default) or Postgres, and migrations on start."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from bot.storage.migrations import current_revision, head_revision, known_revisions, upgrade_to_head

log = logging.getLogger(__name__)


class StorageError(Exception):
    """Something the user can be told about in one friendly sentence."""


class StorageUnavailable(StorageError):
    """The database cannot be reached right now."""


class DatabaseNewerThanCode(StorageError):
    """The database was migrated by a newer version of dop-bot."""


def async_url(url: str) -> str:
    """Accept the URLs people paste (postgres://, postgresql://) and pick the async driver."""
    parsed = make_url(url)
    driver = parsed.drivername
    if driver in ("postgres", "postgresql", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    elif driver == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    return parsed.render_as_string(hide_password=False)


def safe_url(url: str) -> str:
    """The URL without its password, for logs and messages."""
    return make_url(url).render_as_string(hide_password=True)


@dataclass
class Database:
    """One engine per process; sessions are short and each answer is its own transaction."""

    url: str
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @classmethod
    def open(cls, url: str, **engine_options: Any) -> Database:
        """Build the engine (no connection yet). SQLite files get their folder and WAL mode."""
        url = async_url(url)
        parsed = make_url(url)
        options: dict[str, Any] = {"pool_pre_ping": True, **engine_options}
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            options.setdefault("connect_args", {"timeout": 30})
        else:
            options.setdefault("pool_size", 20)
            options.setdefault("max_overflow", 20)
        engine = create_async_engine(url, **options)
        if parsed.get_backend_name() == "sqlite":
            event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return cls(url=url, engine=engine, sessions=async_sessionmaker(engine, expire_on_commit=False))

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction: committed on success, rolled back on any error.

        Connection failures become StorageUnavailable so callers can answer the user kindly.
        """
        try:
            async with self.sessions() as session, session.begin():
                yield session
        except (OperationalError, DBAPIError, OSError) as exc:
            if _is_unavailable(exc):
                raise StorageUnavailable(str(exc).splitlines()[0][:200]) from exc
            raise

    async def upgrade(self) -> str | None:
        """Apply every migration; refuse a database that a newer dop-bot has migrated.

        A database already at the head is left alone: running Alembic's upgrade only to find nothing
        to do costs a noticeable part of every start.
        """
        try:
            async with self.engine.begin() as conn:
                revision = await conn.run_sync(current_revision)
                if revision is not None and revision not in known_revisions():
                    raise DatabaseNewerThanCode(revision)
                if revision is not None and revision == head_revision():
                    return revision
                await conn.run_sync(upgrade_to_head)
                return await conn.run_sync(current_revision)
        except (OperationalError, DBAPIError, OSError) as exc:
            raise StorageUnavailable(str(exc).splitlines()[0][:200]) from exc

    async def check(self) -> None:
        """Connect once, migrate if needed, and fail unless the schema is now at the head."""
        revision = await self.upgrade()
        if revision != head_revision():
            raise StorageError(f"schema at {revision}, expected {head_revision()}")

    async def close(self) -> None:
        await self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers work while one writer commits; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _is_unavailable(exc: BaseException) -> bool:
    if isinstance(exc, OSError | ConnectionError):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    text = str(exc).lower()
    return any(
        word in text
        for word in ("connect", "connection", "unable to open", "could not translate", "timeout", "refused")
    )


__all__ = [
    "Connection",
    "Database",
    "DatabaseNewerThanCode",
    "SQLAlchemyError",
    "StorageError",
    "StorageUnavailable",
    "async_url",
    "safe_url",
]

"""Migrations are the only way the schema changes: they build exactly what the models describe."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, text

from adapters.slack.oauth import oauth_metadata
from bot.storage.database import Database, DatabaseNewerThanCode, StorageUnavailable, async_url, safe_url
from bot.storage.migrations import head_revision
from bot.storage.models import Base
from tests.databases import BACKENDS, fresh_database


@pytest.mark.parametrize("backend", BACKENDS)
async def test_the_models_match_the_migrations(backend: str, tmp_path: Path) -> None:
    async with fresh_database(backend, tmp_path) as db, db.engine.connect() as conn:
        everything = MetaData()
        for table in [*Base.metadata.tables.values(), *oauth_metadata().tables.values()]:
            table.to_metadata(everything)

        def diff(sync_conn):  # type: ignore[no-untyped-def]
            context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
            return compare_metadata(context, everything)

        assert await conn.run_sync(diff) == []


@pytest.mark.parametrize("backend", BACKENDS)
async def test_upgrade_is_idempotent_and_reaches_head(backend: str, tmp_path: Path) -> None:
    async with fresh_database(backend, tmp_path, migrate=False) as db:
        assert await db.upgrade() == head_revision()
        assert await db.upgrade() == head_revision()
        await db.check()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_database_from_a_newer_dop_bot_is_refused(backend: str, tmp_path: Path) -> None:
    async with fresh_database(backend, tmp_path) as db:
        async with db.engine.begin() as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
        with pytest.raises(DatabaseNewerThanCode):
            await db.upgrade()


async def test_an_unreachable_database_is_reported_not_raised_raw() -> None:
    db = Database.open("postgresql://postgres:secret@127.0.0.1:1/nowhere")
    with pytest.raises(StorageUnavailable):
        await db.upgrade()
    await db.close()


def test_urls_get_async_drivers_and_lose_passwords_in_logs() -> None:
    assert async_url("postgres://u:p@h/db").startswith("postgresql+asyncpg://u:p@h/db")
    assert async_url("sqlite:///x.db") == "sqlite+aiosqlite:///x.db"
    assert "secret" not in safe_url("postgresql://u:secret@h/db")


@pytest.mark.parametrize("backend", BACKENDS)
async def test_sqlite_uses_wal(backend: str, tmp_path: Path) -> None:
    async with fresh_database(backend, tmp_path) as db, db.engine.connect() as conn:
        if db.dialect == "sqlite":
            assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
        else:
            assert (await conn.execute(text("SELECT 1"))).scalar() == 1


def test_the_head_written_in_code_is_alembics_head() -> None:
    # An ordinary start compares the database with HEAD and skips Alembic; a new migration must move it.
    from bot.storage.migrations import HEAD, head_revision

    assert head_revision() == HEAD

"""Fresh databases for storage tests: a SQLite file, and a throwaway Postgres database.

Every storage test runs on both. In CI (CI=true) Postgres must be reachable; locally a missing server
skips the Postgres half with a reason instead of failing.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import pytest

from bot.storage.database import Database

POSTGRES_URL = os.environ.get("DOP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = ("sqlite", "postgres")


async def _admin() -> asyncpg.Connection:
    try:
        return await asyncpg.connect(POSTGRES_URL, timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        if os.environ.get("CI"):
            raise RuntimeError(f"Postgres is required in CI and is not reachable: {exc}") from exc
        pytest.skip(f"Postgres not reachable at {POSTGRES_URL}: {exc}")


@asynccontextmanager
async def fresh_database(backend: str, tmp_path: Path, migrate: bool = True) -> AsyncIterator[Database]:
    """A migrated, empty database of the given backend, removed afterwards."""
    if backend == "sqlite":
        db = Database.open(f"sqlite:///{tmp_path / 'dop-bot.sqlite3'}")
        try:
            if migrate:
                await db.upgrade()
            yield db
        finally:
            await db.close()
        return
    name = f"dop_test_{uuid.uuid4().hex[:12]}"
    admin = await _admin()
    await admin.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = POSTGRES_URL.rpartition("/")
    db = Database.open(f"{base}/{name}")
    try:
        if migrate:
            await db.upgrade()
        yield db
    finally:
        await db.close()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()

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


async def create_database(backend: str, tmp_path: Path) -> str:
    """A new, empty database; its URL."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / f'dop-bot-{uuid.uuid4().hex[:8]}.sqlite3'}"
    name = f"dop_test_{uuid.uuid4().hex[:12]}"
    admin = await _admin()
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    base, _, _ = POSTGRES_URL.rpartition("/")
    return f"{base}/{name}"


async def drop_database(url: str) -> None:
    if url.startswith("sqlite"):
        return
    name = url.rpartition("/")[2]
    admin = await _admin()
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@asynccontextmanager
async def fresh_database(backend: str, tmp_path: Path, migrate: bool = True) -> AsyncIterator[Database]:
    """A migrated, empty database of the given backend, removed afterwards."""
    url = await create_database(backend, tmp_path)
    db = Database.open(url)
    try:
        if migrate:
            await db.upgrade()
        yield db
    finally:
        await db.close()
        await drop_database(url)

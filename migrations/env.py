"""Alembic environment. dop-bot hands it a live connection (bot/storage/migrations.py); run from the
alembic CLI it builds its own from DATABASE_URL."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection

from adapters.slack.oauth import oauth_metadata
from bot.storage.models import Base

# The Slack OAuth stores' tables live in the same database and change only through migrations too.
target_metadata = [Base.metadata, oauth_metadata()]


def _run(connection: Connection) -> None:
    # render_as_batch: SQLite cannot ALTER most things in place, so migrations rebuild tables.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


async def _run_standalone() -> None:
    from bot.storage.database import Database

    # The engine dop-bot migrates with: on SQLite it wraps the DDL in a real transaction.
    database = Database.open(os.environ["DATABASE_URL"])
    engine = database.migration_engine()
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_run)
    finally:
        await engine.dispose()
        await database.close()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    asyncio.run(_run_standalone())

"""Get-or-create for workspaces, channels and users, safe under concurrency (insert, ignore, select)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Channel, User, Workspace
from bot.storage.refs import ChannelRef, UserRef


def insert_ignore(session: AsyncSession, table: Any, values: dict[str, Any] | list[dict[str, Any]]) -> Any:
    """INSERT … ON CONFLICT DO NOTHING in the session's dialect."""
    dialect = session.get_bind().dialect.name
    builder = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return builder(table).values(values).on_conflict_do_nothing()


async def user_id(session: AsyncSession, ref: UserRef, now: datetime) -> int:
    values = {
        "platform": ref.platform,
        "external_id": ref.external_id,
        "display_name": ref.display_name,
        "created_at": now,
    }
    await session.execute(insert_ignore(session, User.__table__, values))
    found = await session.execute(
        select(User.id).where(User.platform == ref.platform, User.external_id == ref.external_id)
    )
    return int(found.scalar_one())


async def channel_id(session: AsyncSession, ref: ChannelRef, now: datetime) -> int:
    workspace = {"platform": ref.platform, "external_id": ref.workspace, "name": None, "created_at": now}
    await session.execute(insert_ignore(session, Workspace.__table__, workspace))
    workspace_id = (
        await session.execute(
            select(Workspace.id).where(
                Workspace.platform == ref.platform, Workspace.external_id == ref.workspace
            )
        )
    ).scalar_one()
    channel = {"workspace_id": workspace_id, "external_id": ref.channel, "name": ref.name, "created_at": now}
    await session.execute(insert_ignore(session, Channel.__table__, channel))
    found = await session.execute(
        select(Channel.id).where(Channel.workspace_id == workspace_id, Channel.external_id == ref.channel)
    )
    return int(found.scalar_one())

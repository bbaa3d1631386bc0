"""Get-or-create for workspaces, channels and users, safe under concurrency (insert, ignore, select)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Channel, User, Workspace
from bot.storage.refs import ChannelRef, UserRef


def insert_ignore(session: AsyncSession, table: Any, values: dict[str, Any] | list[dict[str, Any]]) -> Any:
    """INSERT … ON CONFLICT DO NOTHING in the session's dialect."""
    dialect = session.get_bind().dialect.name
    builder = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return builder(table).values(values).on_conflict_do_nothing()


def is_user(ref: UserRef) -> ColumnElement[bool]:
    """The users row of a person: the WHERE clause for joins that start from a UserRef."""
    return and_(User.platform == ref.platform, User.external_id == ref.external_id)


# Ids of rows that already existed before the transaction that looked them up: rows are never
# deleted, so these are safe to remember for the life of the process and save four statements a call.
_KNOWN: dict[tuple[str, ...], int] = {}


def _key(session: AsyncSession, *parts: str) -> tuple[str, ...]:
    bind: Any = session.get_bind()
    return (str(bind.engine.url), *parts)


async def user_id(session: AsyncSession, ref: UserRef, now: datetime) -> int:
    key = _key(session, "user", ref.platform, ref.external_id)
    if key in _KNOWN:
        return _KNOWN[key]
    values = {
        "platform": ref.platform,
        "external_id": ref.external_id,
        "display_name": ref.display_name,
        "created_at": now,
    }
    inserted: Any = await session.execute(insert_ignore(session, User.__table__, values))
    found = await session.execute(select(User.id).where(is_user(ref)))
    uid = int(found.scalar_one())
    if not inserted.rowcount:  # it existed before: committed, so it will not vanish with a rollback
        _KNOWN[key] = uid
    return uid


async def channel_id(session: AsyncSession, ref: ChannelRef, now: datetime) -> int:
    key = _key(session, "channel", ref.platform, ref.workspace, ref.channel)
    if key in _KNOWN:
        return _KNOWN[key]
    workspace = {"platform": ref.platform, "external_id": ref.workspace, "name": None, "created_at": now}
    first: Any = await session.execute(insert_ignore(session, Workspace.__table__, workspace))
    created = first.rowcount
    workspace_id = (
        await session.execute(
            select(Workspace.id).where(
                Workspace.platform == ref.platform, Workspace.external_id == ref.workspace
            )
        )
    ).scalar_one()
    channel = {"workspace_id": workspace_id, "external_id": ref.channel, "name": ref.name, "created_at": now}
    second: Any = await session.execute(insert_ignore(session, Channel.__table__, channel))
    created += second.rowcount
    found = await session.execute(
        select(Channel.id).where(Channel.workspace_id == workspace_id, Channel.external_id == ref.channel)
    )
    cid = int(found.scalar_one())
    if not created:
        _KNOWN[key] = cid
    return cid

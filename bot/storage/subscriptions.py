"""Channel subscriptions: the schedule each channel asked for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import delete, select

from bot.stats.schedule import Schedule
from bot.storage.database import Database
from bot.storage.identities import channel_id
from bot.storage.models import Channel, Subscription, Workspace
from bot.storage.refs import ChannelRef


@dataclass(frozen=True)
class ChannelSchedule:
    channel: ChannelRef
    channel_id: int
    schedule: Schedule
    since: datetime | None = None  # when the schedule last changed: nothing before it is caught up


def _schedule(row: Subscription) -> Schedule:
    return Schedule(
        post_time=time.fromisoformat(row.post_time),
        timezone=row.timezone,
        weekdays=tuple(d for d in row.weekdays.split(",") if d),
        reveal_minutes=row.reveal_delay_minutes,
        report_weekday=row.report_weekday,
        report_time=time.fromisoformat(row.report_time),
        paused=row.paused,
        deck=row.deck,
    )


@dataclass
class Subscriptions:
    db: Database

    async def save(self, channel: ChannelRef, schedule: Schedule, now: datetime) -> int:
        """Create or replace a channel's schedule; returns the channel's id."""
        async with self.db.transaction() as session:
            cid = await channel_id(session, channel, now)
            row = await session.get(Subscription, cid)
            values = {
                "post_time": schedule.post_time.strftime("%H:%M"),
                "timezone": schedule.timezone,
                "weekdays": ",".join(schedule.weekdays),
                "deck": schedule.deck,
                "reveal_delay_minutes": schedule.reveal_minutes,
                "report_weekday": schedule.report_weekday,
                "report_time": schedule.report_time.strftime("%H:%M"),
                "paused": schedule.paused,
                "updated_at": now,
            }
            if row is None:
                session.add(Subscription(channel_id=cid, created_at=now, **values))
            else:
                for key, value in values.items():
                    setattr(row, key, value)
            return cid

    async def get(self, channel: ChannelRef, now: datetime) -> Schedule | None:
        async with self.db.transaction() as session:
            cid = await channel_id(session, channel, now)
            row = await session.get(Subscription, cid)
            return None if row is None else _schedule(row)

    async def remove(self, channel: ChannelRef, now: datetime) -> bool:
        async with self.db.transaction() as session:
            cid = await channel_id(session, channel, now)
            result = await session.execute(delete(Subscription).where(Subscription.channel_id == cid))
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def all(self) -> list[ChannelSchedule]:
        """Every subscribed channel (paused ones too), in a stable order."""
        async with self.db.transaction() as session:
            rows = await session.execute(
                select(
                    Subscription, Channel.external_id, Channel.name, Workspace.platform, Workspace.external_id
                )
                .join(Channel, Channel.id == Subscription.channel_id)
                .join(Workspace, Workspace.id == Channel.workspace_id)
                .order_by(Subscription.channel_id)
            )
            return [
                ChannelSchedule(
                    ChannelRef(platform, workspace, channel, name),
                    sub.channel_id,
                    _schedule(sub),
                    sub.updated_at,
                )
                for sub, channel, name, platform, workspace in rows
            ]

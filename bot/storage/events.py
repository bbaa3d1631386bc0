"""Retry dedupe: a platform event id is processed once, however often it is delivered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.storage.database import Database
from bot.storage.identities import insert_ignore
from bot.storage.models import ProcessedEvent


@dataclass
class EventLog:
    db: Database

    async def first_time(self, platform: str, event_id: str, now: datetime) -> bool:
        """True the first time an event id is seen; False for every retry after it."""
        async with self.db.transaction() as session:
            values = {"platform": platform, "event_id": event_id[:200], "received_at": now}
            inserted = await session.execute(
                insert_ignore(session, ProcessedEvent.__table__, values).returning(ProcessedEvent.event_id)
            )
            return inserted.scalar_one_or_none() is not None

"""The real clock, handed to the core by entry points (the core never reads the time itself)."""

from __future__ import annotations

from datetime import UTC, datetime


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

"""Sending with patience: retries with backoff that honour Retry-After, and a pace for fan-out."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from bot.messenger import MessengerError

log = logging.getLogger(__name__)
T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]


async def with_retries(
    call: Callable[[], Awaitable[T]], sleep: Sleep = asyncio.sleep, attempts: int = 4, base_delay: float = 1.0
) -> T:
    """Try up to `attempts` times; wait what the platform asked (429 Retry-After) or back off 1, 2, 4 s."""
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except MessengerError as exc:
            if exc.permanent or attempt == attempts:
                raise
            delay = exc.retry_after if exc.retry_after is not None else base_delay * 2 ** (attempt - 1)
            log.warning("messenger call failed (%s); retry %d in %.1f s", exc, attempt, delay)
            await sleep(delay)
    raise AssertionError("unreachable")


@dataclass
class Pacer:
    """At most `rate` sends per second across all channels; each send waits only for its own slot,
    so a slow channel never holds up the others."""

    rate: float = 20.0
    sleep: Sleep = asyncio.sleep
    clock: Callable[[], float] = field(default_factory=lambda: asyncio.get_running_loop().time)
    _next: float = 0.0

    async def wait(self) -> None:
        if self.rate <= 0:
            return
        now = self.clock()
        slot = max(now, self._next)
        self._next = slot + 1.0 / self.rate
        if slot > now:
            await self.sleep(slot - now)

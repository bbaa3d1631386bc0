"""The Messenger port: how the core speaks first (daily posts, reveals, reports). Adapters implement it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from bot.replies import Reply
from bot.storage.refs import ChannelRef


class MessengerError(Exception):
    """A platform call failed. `retry_after` (seconds) when the platform said when to try again."""

    def __init__(self, message: str, retry_after: float | None = None, permanent: bool = False) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent


class Messenger(Protocol):
    async def post(self, channel: ChannelRef, reply: Reply) -> str:
        """Post to a channel; returns the platform's reference to the message."""
        ...

    async def edit(self, channel: ChannelRef, message_ref: str, reply: Reply) -> None:
        """Replace a message posted earlier (the reveal edits the question)."""
        ...


@dataclass(frozen=True)
class SentMessage:
    channel: ChannelRef
    ref: str
    reply: Reply
    at: float  # the clock's timestamp when sent


@dataclass
class RecordingMessenger:
    """An in-memory Messenger for tests and the simulation: keeps every post and edit.

    `failures` maps a channel id to how many of its next calls fail (with `retry_after` if set).
    """

    clock: object | None = None
    posts: list[SentMessage] = field(default_factory=list)
    edits: list[SentMessage] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    retry_after: float | None = None
    _counter: int = 0

    def _now(self) -> float:
        now = getattr(self.clock, "now", None)
        return now().timestamp() if callable(now) else 0.0

    def _maybe_fail(self, channel: ChannelRef) -> None:
        left = self.failures.get(channel.channel, 0)
        if left:
            self.failures[channel.channel] = left - 1
            raise MessengerError("simulated failure", retry_after=self.retry_after)

    async def post(self, channel: ChannelRef, reply: Reply) -> str:
        self._maybe_fail(channel)
        self._counter += 1
        ref = f"{channel.channel}/{self._counter}"
        self.posts.append(SentMessage(channel, ref, reply, self._now()))
        return ref

    async def edit(self, channel: ChannelRef, message_ref: str, reply: Reply) -> None:
        self._maybe_fail(channel)
        self.edits.append(SentMessage(channel, message_ref, reply, self._now()))

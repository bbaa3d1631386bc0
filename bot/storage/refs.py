"""How the core names people and places on a platform, before the database gives them ids."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UserRef:
    platform: str
    external_id: str
    display_name: str | None = None

    @property
    def key(self) -> str:
        """The string the practice service uses: 'slack:U123'."""
        return f"{self.platform}:{self.external_id}"

    @classmethod
    def from_key(cls, key: str) -> UserRef:
        platform, _, external_id = key.partition(":")
        return cls(platform, external_id or platform)


@dataclass(frozen=True)
class ChannelRef:
    platform: str
    workspace: str
    channel: str
    name: str | None = None

"""Discord settings, read without loading discord.py (a Slack-only deployment never imports it)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.commands import MAX_ID, parse_number
from bot.config import Settings


@dataclass
class DiscordConfig:
    token: str = field(repr=False)
    application_id: int | None = None
    shards: int | None = None  # None: one gateway connection; 0: as many as Discord recommends
    api_url: str | None = None  # a stand-in for Discord's REST API (tests, local development)
    gateway_url: str | None = None  # and for its gateway websocket


class DiscordSetupError(Exception):
    """Configuration or credentials Discord refused; the message says what to fix."""


def discord_config(settings: Settings) -> DiscordConfig | None:
    """Discord runs when DISCORD_TOKEN is set."""
    if settings.discord_token is None:
        return None
    shards_text = settings.discord_shards.strip().lower()
    shards: int | None
    if not shards_text:
        shards = None
    elif shards_text == "auto":
        shards = 0
    elif count := parse_number(shards_text, MAX_ID):  # a positive whole number ('²' is not one)
        shards = count
    else:
        raise DiscordSetupError(
            f"DISCORD_SHARDS must be empty, 'auto' or a positive number, not {shards_text!r}"
        )
    return DiscordConfig(
        token=settings.discord_token.get_secret_value(),
        application_id=settings.discord_application_id,
        shards=shards,
        api_url=settings.discord_api_url,
        gateway_url=settings.discord_gateway_url,
    )

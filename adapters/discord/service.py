"""Running the Discord adapter: configuration from settings, start and stop inside `dop-bot run`, and
the admin actions behind `dop-bot discord sync` and `dop-bot discord invite-url`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import discord

from adapters import redact
from adapters.discord.app import Client, build_client, point_at
from adapters.discord.commands import CatalogueTranslator
from adapters.discord.config import DiscordConfig, DiscordSetupError
from adapters.discord.messenger import DiscordMessenger
from bot.bootstrap import Core

log = logging.getLogger(__name__)
SCOPES = ("bot", "applications.commands")
# What the bot does in a channel: post the daily question and the report (embeds, the chart), read
# its own message back to disable the buttons at the reveal, and the same inside threads.
PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
)


async def _login(client: discord.Client, token: str) -> None:
    try:
        await client.login(token)
    except discord.LoginFailure as exc:
        await client.close()
        raise DiscordSetupError("Discord refused DISCORD_TOKEN (check the bot token)") from exc
    except (OSError, discord.HTTPException) as exc:  # aiohttp's connection errors are OSErrors
        await client.close()
        raise DiscordSetupError(
            f"could not reach Discord ({exc.__class__.__name__}); try again later"
        ) from exc


@dataclass
class RunningDiscord:
    client: Client
    messenger: DiscordMessenger
    stop: Callable[[], Awaitable[None]]


async def start_discord(core: Core, config: DiscordConfig) -> RunningDiscord:
    """Log in (fails fast on a bad token), then keep the gateway connected in the background."""
    redact.install()
    client = build_client(core, config)
    await _login(client, config.token)
    connection = asyncio.create_task(client.connect(reconnect=True), name="discord-gateway")

    def gone(task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("discord: the gateway connection stopped: %s", task.exception())

    connection.add_done_callback(gone)

    async def stop() -> None:
        await client.close()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await asyncio.wait_for(connection, timeout=5)

    log.info("discord: logged in as application %s", client.application_id)
    return RunningDiscord(client, DiscordMessenger(client), stop)


async def sync_commands(core: Core, config: DiscordConfig, guild_id: int | None) -> int:
    """Register `/dop` with Discord: in one server (at once), or globally. Returns the command count.

    Discord rate-limits command creation, so this is an explicit admin action, never part of start.
    """
    client = build_client(core, config)
    try:
        await _login(client, config.token)
        await client.tree.set_translator(CatalogueTranslator())
        if guild_id is not None:
            guild = discord.Object(id=guild_id)
            client.tree.copy_global_to(guild=guild)
            synced = await client.tree.sync(guild=guild)
        else:
            synced = await client.tree.sync()
        return len(synced)
    finally:
        await client.close()


async def application_id(config: DiscordConfig) -> int:
    """DISCORD_APPLICATION_ID, or asked of Discord with the token."""
    if config.application_id:
        return config.application_id
    point_at(config)
    client = discord.Client(intents=discord.Intents.none())
    try:
        await _login(client, config.token)
        if client.application_id is None:
            raise DiscordSetupError("Discord did not say which application this token belongs to")
        return client.application_id
    finally:
        await client.close()


def invite_url(app_id: int) -> str:
    """The OAuth2 URL a server admin opens to add the bot with its commands and permissions."""
    return discord.utils.oauth_url(app_id, permissions=PERMISSIONS, scopes=SCOPES)

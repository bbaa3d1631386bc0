"""The discord.py client for dop-bot: one gateway connection or auto-sharded, `/dop` in its command
tree, the persistent buttons registered, mentions off for everything it sends."""

from __future__ import annotations

from typing import Any, cast

import discord
import yarl
from discord import app_commands

from adapters.discord.bridge import Bridge
from adapters.discord.buttons import DYNAMIC_ITEMS
from adapters.discord.commands import install_commands
from adapters.discord.config import DiscordConfig
from adapters.discord.embeds import NO_PINGS
from adapters.discord.flags import submitted_flag
from bot.bootstrap import Core


class _Dop:
    """What both client classes add: the bridge the buttons call and the `/dop` command tree."""

    bridge: Bridge
    tree: app_commands.CommandTree[Any]

    def _attach(self, bridge: Bridge) -> None:
        self.bridge = bridge
        self.tree = app_commands.CommandTree(cast(discord.Client, self))

    async def on_choice(self, interaction: discord.Interaction[Any], value: str) -> None:
        await self.bridge.on_choice(interaction, value)

    async def on_share(self, interaction: discord.Interaction[Any], note_id: str) -> None:
        await self.bridge.on_share(interaction, note_id)

    async def on_flag(self, interaction: discord.Interaction[Any], question_id: str) -> None:
        await self.bridge.on_flag(interaction, question_id)

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """Every interaction passes here after discord.py's own routing; report modals are read here
        (discord.py keeps no modal of ours, see adapters/discord/flags.py)."""
        flagged = submitted_flag(interaction)
        if flagged is not None:
            await self.bridge.on_flag_submitted(interaction, *flagged)


class DopClient(_Dop, discord.Client):
    """One gateway connection."""

    def __init__(self, bridge: Bridge, **options: Any) -> None:
        super().__init__(intents=intents(), allowed_mentions=NO_PINGS, **options)
        self._attach(bridge)


class ShardedDopClient(_Dop, discord.AutoShardedClient):
    """As many gateway connections (shards) as configured, or as Discord recommends."""

    def __init__(self, bridge: Bridge, **options: Any) -> None:
        super().__init__(intents=intents(), allowed_mentions=NO_PINGS, **options)
        self._attach(bridge)


Client = DopClient | ShardedDopClient


def intents() -> discord.Intents:
    """Interactions arrive without any intent; guilds keeps the server list for logs and sharding."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    return wanted


def point_at(config: DiscordConfig) -> None:
    """Talk to a stand-in for Discord. discord.py keeps both addresses on classes, not clients."""
    if config.api_url:
        discord.http.Route.BASE = config.api_url.rstrip("/")
    if config.gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(config.gateway_url)


def build_client(core: Core, config: DiscordConfig, **options: Any) -> Client:
    """The client with `/dop` and the persistent buttons registered; no network until login.

    `options` go to discord.py's client (tests shorten `guild_ready_timeout`)."""
    point_at(config)
    bridge = Bridge(core)
    if config.application_id:
        options["application_id"] = config.application_id
    client: Client
    if config.shards is not None:
        if config.shards > 0:
            options["shard_count"] = config.shards
        client = ShardedDopClient(bridge, **options)
    else:
        client = DopClient(bridge, **options)
    client.add_dynamic_items(*DYNAMIC_ITEMS)
    install_commands(client.tree, bridge)
    return client

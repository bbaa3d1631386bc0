"""Our Discord client (adapters/discord) started against the stand-in, for the tests and benchmarks."""

from __future__ import annotations

import asyncio

from adapters.discord.app import Client, build_client
from adapters.discord.config import DiscordConfig
from bot.bootstrap import Core
from tests.fake_discord import FakeDiscord


async def start_client(
    core: Core, fake: FakeDiscord, token: str, timeout: float = 10.0
) -> tuple[Client, asyncio.Task[None]]:
    """build_client aimed at `fake`, started as `dop-bot run` starts it; returns once it is ready."""
    config = DiscordConfig(token=token, api_url=fake.api, gateway_url=fake.gateway_url)
    # guild_ready_timeout: discord.py waits this long after the last GUILD_CREATE before it is ready.
    client = build_client(core, config, guild_ready_timeout=0.05)
    task = asyncio.create_task(client.start(token))
    await asyncio.wait_for(client.wait_until_ready(), timeout)
    return client, task


async def stop_client(client: Client, task: asyncio.Task[None], timeout: float = 5.0) -> None:
    """Close the client and wait for its start() task to end."""
    await client.close()
    await asyncio.wait_for(task, timeout)

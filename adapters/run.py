"""`dop-bot run`: every adapter whose tokens are configured, the scheduler and the database on one
event loop, with a graceful shutdown on SIGTERM (what a Procfile process gets when it is stopped)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web

from adapters import startup
from adapters.clock import SystemClock
from adapters.discord.config import DiscordSetupError, discord_config
from adapters.slack.app import SlackConfig, build_app, web_client
from adapters.slack.guard import guarded_web_app
from adapters.slack.messenger import SlackMessenger
from bot.bootstrap import Core, start_core
from bot.config import Settings
from bot.messenger import Messenger, MessengerError
from bot.replies import Reply
from bot.storage.refs import ChannelRef

log = logging.getLogger(__name__)
Stop = Callable[[], Awaitable[None]]


@dataclass
class RoutingMessenger:
    """One Messenger for the scheduler, handing each channel to its platform's messenger."""

    by_platform: dict[str, Messenger] = field(default_factory=dict)

    def _for(self, channel: ChannelRef) -> Messenger:
        messenger = self.by_platform.get(channel.platform)
        if messenger is None:
            raise MessengerError(f"no adapter for {channel.platform}", permanent=True)
        return messenger

    async def post(self, channel: ChannelRef, reply: Reply) -> str:
        return await self._for(channel).post(channel, reply)

    async def edit(self, channel: ChannelRef, message_ref: str, reply: Reply) -> None:
        await self._for(channel).edit(channel, message_ref, reply)


def slack_config(settings: Settings) -> SlackConfig | None:
    """Slack runs with a signing secret and either a bot token or OAuth client credentials."""
    oauth = settings.slack_client_id is not None and settings.slack_client_secret is not None
    if settings.slack_signing_secret is None or (settings.slack_bot_token is None and not oauth):
        return None
    return SlackConfig(
        bot_token=settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        api_url=settings.slack_api_url,
        admins=frozenset(u.strip() for u in settings.slack_admins.split(",") if u.strip()),
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value()
        if settings.slack_client_secret
        else None,
    )


async def run(settings: Settings, stop: asyncio.Event | None = None) -> int:
    """Start everything configured; return when told to stop (SIGTERM, SIGINT or `stop`)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not the main thread: no signals
            loop.add_signal_handler(sig, stop.set)
    routing = RoutingMessenger()
    slack = slack_config(settings)
    try:
        discord = discord_config(settings)
    except DiscordSetupError as exc:
        log.error("%s", exc)
        return 2
    if slack is None and discord is None:
        log.error(
            "no platform is configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, or DISCORD_TOKEN"
            " (or use dop-bot console)"
        )
        return 2
    core = await start_core(settings, SystemClock(), routing)
    stops: list[Stop] = []
    try:
        try:
            if slack is not None:
                stops.extend(await _start_slack(core, slack, settings, routing))
            else:
                # Without Slack nothing listens on PORT; a platform's web process still expects it to.
                stops.append(await _serve(web.Application(), settings.port))
                log.info("health check on port %d at /healthz", settings.port)
            if discord is not None:
                from adapters.discord.service import start_discord  # discord.py loads only when configured

                running = await start_discord(core, discord)
                routing.by_platform["discord"] = running.messenger
                stops.append(running.stop)
        except DiscordSetupError as exc:
            log.error("%s", exc)
            return 2
        assert core.runner is not None
        await asyncio.to_thread(core.bank.ensure)  # after listening: requests are served meanwhile
        await core.runner.start()
        startup.started()
        log.info("dop-bot is running")
        await stop.wait()
        log.info("shutting down")
        return 0
    finally:
        for stop_one in reversed(stops):
            await stop_one()
        await core.close()


async def _serve(app: web.Application, port: int) -> Stop:
    """Serve `app` (plus /healthz) on PORT; returns what stops it."""
    app.router.add_get("/healthz", _ok)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "0.0.0.0", port).start()
    return runner.cleanup


async def _start_slack(
    core: Core, slack: SlackConfig, settings: Settings, routing: RoutingMessenger
) -> list[Stop]:
    """Bolt over HTTP on PORT, or Socket Mode with SLACK_APP_TOKEN; returns what stops it."""
    client = web_client(slack)
    messenger = SlackMessenger(client)
    routing.by_platform["slack"] = messenger
    if slack.oauth and slack.client_id and core.db is not None:
        from adapters.slack.oauth import installation_store, token_lookup

        messenger.tokens = token_lookup(installation_store(slack.client_id, core.db.engine))
    app = build_app(core, slack, client)
    cleanups: list[Stop] = []
    if settings.slack_app_token is not None:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        handler = AsyncSocketModeHandler(app, settings.slack_app_token.get_secret_value())
        await handler.connect_async()  # type: ignore[no-untyped-call]
        cleanups.append(handler.close_async)
        log.info("slack: socket mode connected")
    else:
        cleanups.append(await _serve(guarded_web_app(app, slack.signing_secret), settings.port))
        log.info("slack: listening on port %d at /slack/events", settings.port)
    return cleanups


async def _ok(request: web.Request) -> web.Response:
    return web.Response(text="ok")

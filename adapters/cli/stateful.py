"""Commands that keep state: `console`, `db upgrade`, `report`, `questions --flagged|--stats` and `run`.
Each opens the database first and, if it cannot be used, says why in one line and exits 1."""

from __future__ import annotations

import argparse
import asyncio
import sys

from adapters import startup
from adapters.clock import SystemClock
from adapters.console import ConsoleMessenger, run_console
from adapters.plain import render_text
from bot.bootstrap import Core, start_core
from bot.config import Settings
from bot.i18n import Messages
from bot.storage.database import CONNECT_TIMEOUT, safe_url
from bot.storage.errors import DatabaseNewerThanCode, MigrationFailed, StorageError
from bot.storage.refs import ChannelRef
from bot.usecases.stats import valid_week


def run(settings: Settings, messages: Messages) -> int:
    """`dop-bot run`: every configured platform, the scheduler and the database on one loop."""
    from adapters.run import run as serve

    try:
        return asyncio.run(serve(settings))
    except StorageError as exc:
        print(storage_failure(messages, settings, exc), file=sys.stderr)
        return 1


async def with_database(settings: Settings, args: argparse.Namespace, messages: Messages) -> int:
    """Commands that keep state: open the database first and say plainly if that fails."""
    messenger = ConsoleMessenger(messages=messages) if args.command == "console" else None
    try:
        core = await start_core(settings, SystemClock(), messenger)
    except StorageError as exc:
        print(storage_failure(messages, settings, exc), file=sys.stderr)
        return 1
    try:
        if args.command == "console":
            if core.runner is not None:
                await core.runner.start()  # /dop subscribe in the console posts here on schedule
            startup.started()
            await run_console(core.dispatcher, messenger=messenger, files=settings.data_path())
        elif args.command == "db":
            print(messages("storage.upgraded", url=safe_url(settings.database())))
        elif args.command == "report":
            return await _report(core, args, messages)
        elif args.command == "questions":
            from adapters.cli import review

            return await (review.flagged(core, args.json) if args.flagged else review.stats(core, args.json))
        return 0
    finally:
        await core.close()


def storage_failure(messages: Messages, settings: Settings, error: StorageError) -> str:
    """The one line a start-up prints when the database cannot be used, naming the cause."""
    if isinstance(error, DatabaseNewerThanCode):
        return messages("storage.newer", revision=error.detail)
    url = safe_url(settings.database())
    line = messages(
        f"storage.start.{error.cause}", url=url, detail=error.detail, seconds=f"{CONNECT_TIMEOUT:g}"
    )
    return messages("storage.migration_failed", reason=line) if isinstance(error, MigrationFailed) else line


async def _report(core: Core, args: argparse.Namespace, messages: Messages) -> int:
    assert core.stats is not None
    platform, _, rest = args.channel.partition(":")
    workspace, _, channel = rest.partition(":")
    # The lengths the database keeps; printable, so no control character or undecodable byte gets in.
    fits = len(platform) <= 16 and len(workspace) <= 64 and len(channel) <= 64 and args.channel.isprintable()
    if not (platform and workspace and channel and fits):
        print("--channel must look like PLATFORM:WORKSPACE:CHANNEL", file=sys.stderr)
        return 2
    week = (args.week or core.stats.this_week()).upper()
    if not valid_week(week):
        print(messages("report.bad_week"), file=sys.stderr)
        return 2
    reply = await core.stats.report(
        ChannelRef(platform, workspace, channel), week, messages, chart=bool(args.chart)
    )
    print(render_text(reply, messages))
    if args.chart and reply.attachment is not None:
        args.chart.write_bytes(reply.attachment.data)
    return 0

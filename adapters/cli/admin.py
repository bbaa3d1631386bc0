"""Admin commands: `discord sync` / `discord invite-url` against Discord's API, and `simulate`, the
scheduler on a virtual clock."""

from __future__ import annotations

import argparse
import json
import sys

from adapters.clock import SystemClock
from bot.bootstrap import build_core
from bot.config import Settings
from bot.content import bank_of, load_content


async def discord(settings: Settings, args: argparse.Namespace) -> int:
    """`discord sync` and `discord invite-url`: one-off admin actions against Discord's API."""
    from adapters.discord.config import DiscordSetupError, discord_config
    from adapters.discord.service import application_id, invite_url, sync_commands

    try:
        config = discord_config(settings)
        if config is None:
            print("set DISCORD_TOKEN to the bot token from the Discord developer portal", file=sys.stderr)
            return 2
        if args.discord_command == "invite-url":
            print(invite_url(await application_id(config)))
            return 0
        guild = args.guild if args.guild is not None else settings.discord_guild_id
        count = await sync_commands(build_core(settings, SystemClock()), config, guild)
    except DiscordSetupError as exc:
        print(exc, file=sys.stderr)
        return 1
    where = f"server {guild}" if guild is not None else "every server (global; may take a while to appear)"
    print(f"synced /dop with {count} command(s) to {where}")
    return 0


async def simulate_run(settings: Settings, args: argparse.Namespace) -> int:
    """A fresh database for the run: a temporary SQLite file, or a temporary database on the
    Postgres server DATABASE_URL points at (dropped afterwards)."""
    from bot.simulation import simulate  # only this command needs it

    content = load_content(settings.content_path())
    bank = bank_of(content)
    result = await simulate(
        settings.database_url,
        bank,
        days=args.days,
        channels=args.channels,
        users=args.users,
        seed=args.seed,
        restart_every=args.restart_every,
        replicas=args.replicas,
    )
    problems = result["meta"]["problems"]
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        meta = result["meta"]
        counts = ", ".join(f"{len(result[key])} {key}" for key in ("posts", "reveals", "reports", "answers"))
        print(
            f"{counts} over {meta['days']} days; {meta['replicas']} replica(s), {meta['restarts']} restarts;"
            f" problems: {len(problems)}"
        )
        for problem in problems[:20]:
            print(f"  {problem}")
    return 1 if problems else 0

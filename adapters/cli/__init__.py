"""`dop-bot`: the command-line entry point and composition root. Each command's module is imported only
when that command runs, so a one-shot `dop-bot ask` never loads Slack, Discord, SQLAlchemy or pydantic."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from adapters import startup
from adapters.cli.parser import build_parser

# Commands that read only content/ and need no Settings (no secrets, no database, no platform).
ONE_SHOT = ("ask", "topics", "questions", "content", "export")
# Commands whose start-up is worth running without the garbage collector (adapters/startup.py); they
# turn it back on themselves once started, or end before it matters (a one-shot lookup).
LONG_STARTS = ("run", "console", "ask", "topics")


def main(argv: Sequence[str] | None = None) -> int:
    startup.starting()
    try:
        return _main(argv)
    except BrokenPipeError:
        # `dop-bot ask --json - | head` closed the pipe: not an error worth a traceback.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
    finally:
        startup.finished()


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    if args.command not in LONG_STARTS:
        startup.started()
    if args.command in ONE_SHOT and not _reads_database(args):
        _log_to_stderr(os.environ.get("DOP_LOG_LEVEL", "WARNING"), secrets=())
        return _one_shot(args)
    from adapters import redact
    from bot.config import load_settings

    settings = load_settings()
    level = settings.log_level
    if args.command in ("console", "questions") and "DOP_LOG_LEVEL" not in os.environ:
        level = "WARNING"  # the console is a conversation, and a listing is its output, not a log
    _log_to_stderr(level, secrets=redact.secrets_of(settings))
    quiet = logging.ERROR if args.command == "simulate" else logging.WARNING  # a simulation skips by design
    logging.getLogger("apscheduler").setLevel(quiet)
    import asyncio

    if args.command == "discord":
        from adapters.cli.admin import discord

        return asyncio.run(discord(settings, args))
    if args.command == "simulate":
        from adapters.cli.admin import simulate_run

        return asyncio.run(simulate_run(settings, args))
    from adapters.cli import stateful
    from bot.i18n import Messages

    messages = Messages(settings.locale)
    if args.command == "run":
        return stateful.run(settings, messages)
    return asyncio.run(stateful.with_database(settings, args, messages))


def _reads_database(args: argparse.Namespace) -> bool:
    """`questions --flagged` and `--stats` read reports and answers: they need settings and the database."""
    return args.command == "questions" and bool(args.flagged or args.stats)


def _one_shot(args: argparse.Namespace) -> int:
    from bot.environment import content_dir_of, locale_of
    from bot.i18n import Messages

    content_dir, locale = content_dir_of(), locale_of()
    if args.command in ("ask", "topics"):
        from adapters.cli import lookup

        if args.command == "ask":
            return lookup.ask(content_dir, Messages(locale), args.query, as_json=args.json)
        return lookup.topics(content_dir, Messages(locale), args.service)
    from adapters.cli import bank

    if args.command == "questions":
        return bank.questions(content_dir, args.kind, args.service, as_json=args.json)
    if args.command == "export":
        return bank.export_anki(content_dir, args.all, args.out)
    return bank.check_content(content_dir, locale, args.files)


def _log_to_stderr(level_name: str, secrets: Sequence[str]) -> None:
    from adapters import redact

    level = getattr(logging, level_name.upper(), logging.INFO)
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    redact.install(secrets)  # tokens, secrets and response_urls never reach the log
    # One line per migration step is noise in a terminal.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # Two lines per database call with its parameters (user data, an installation's tokens): not a log.
    logging.getLogger("aiosqlite").setLevel(logging.INFO)

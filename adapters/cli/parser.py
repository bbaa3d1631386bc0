"""The `dop-bot` command line: every command and its options, and nothing that costs time to import."""

from __future__ import annotations

import argparse
from pathlib import Path

ANKI_FILE = "dop-bot-DOP-C02.apkg"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dop-bot", description="DOP study companion for Slack and Discord")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("console", help="chat with the bot locally (no tokens needed; SQLite by default)")
    commands.add_parser("run", help="run every configured platform adapter, the scheduler and the database")

    db = commands.add_parser("db", help="the database")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", help="apply the migrations (every start does this too)")

    report = commands.add_parser("report", help="print a channel's weekly report")
    report.add_argument(
        "--channel", required=True, help="PLATFORM:WORKSPACE:CHANNEL, e.g. console:local:console"
    )
    report.add_argument("--week", help="ISO week such as 2026-W48 (default: this week)")
    report.add_argument("--chart", type=Path, help="also write the PNG chart to this file")

    ask = commands.add_parser("ask", help="look something up in the notes")
    ask.add_argument("--json", action="store_true", help="print hits as JSON")
    ask.add_argument("query", nargs="+", help="the question; '-' reads one query a line from stdin")

    topics = commands.add_parser("topics", help="list services and their topics")
    topics.add_argument("service", nargs="*", help="only this service")

    questions = commands.add_parser("questions", help="the question bank (counts, or every question as JSON)")
    questions.add_argument("--json", action="store_true", help="print the bank as a JSON array")
    questions.add_argument(
        "--kind", help="only this kind: term, definition, service, number, feature, scenario"
    )
    questions.add_argument("--service", help="only this service or category (names and aliases work)")
    from_database = questions.add_mutually_exclusive_group()
    from_database.add_argument(
        "--flagged",
        action="store_true",
        help="the reported questions: reporters, reasons, resolved or not (reads the database:"
        " DATABASE_URL or the default SQLite)",
    )
    from_database.add_argument(
        "--stats",
        action="store_true",
        help="item analysis of every answered question (reads the database; each person's first answer"
        " counts, daily and practice): answers, share correct, and discrimination, the point-biserial"
        " correlation between being right on the question and the person's accuracy on their other"
        " questions (the question itself left out so it does not inflate its own figure). Questions"
        " with 30 or more answers and a share above 0.95 or below 0.20 or a negative discrimination are"
        " listed for review",
    )

    simulate = commands.add_parser(
        "simulate", help="run the scheduler on a virtual clock and check exactly-once"
    )
    simulate.add_argument("--days", type=int, default=14)
    simulate.add_argument("--channels", type=int, default=10)
    simulate.add_argument("--users", type=int, default=100)
    simulate.add_argument("--seed", type=int, default=1)
    simulate.add_argument("--restart-every", type=float, default=None, metavar="HOURS")
    simulate.add_argument("--replicas", type=int, default=1)
    simulate.add_argument("--json", action="store_true", help="print the whole run as one JSON object")

    discord = commands.add_parser("discord", help="set up the Discord app (needs DISCORD_TOKEN)")
    discord_commands = discord.add_subparsers(dest="discord_command", required=True, metavar="ACTION")
    sync = discord_commands.add_parser(
        "sync", help="register /dop with Discord (rate-limited: run it after changes, not on start)"
    )
    sync.add_argument(
        "--guild", type=int, help="only this server, at once (default: DISCORD_GUILD_ID, else global)"
    )
    discord_commands.add_parser("invite-url", help="print the URL that adds the bot to a server")

    export = commands.add_parser("export", help="write the questions as a deck for another study tool")
    export_commands = export.add_subparsers(dest="export_command", required=True, metavar="FORMAT")
    anki = export_commands.add_parser(
        "anki", help="an Anki deck (.apkg); personal decks with your schedule come from /dop export in chat"
    )
    anki.add_argument("--all", action="store_true", help="the whole question bank (required for now)")
    anki.add_argument("--out", type=Path, default=Path(ANKI_FILE), help=f"output file (default: {ANKI_FILE})")

    content = commands.add_parser("content", help="work with the content/ directory")
    content_commands = content.add_subparsers(dest="content_command", required=True, metavar="ACTION")
    check = content_commands.add_parser("check", help="validate notes and aliases; exit 1 on errors")
    check.add_argument("files", nargs="*", type=Path, help="files to check (default: all of content/)")
    return parser

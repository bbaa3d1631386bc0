"""`dop-bot`: the command-line entry point. It wires the core and hands it to an adapter."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from adapters.clock import SystemClock
from adapters.console import (
    ConsoleMessenger,
    render_text,
    run_console,
    tolerate_bad_bytes,
    without_surrogates,
)
from bot.bootstrap import Core, build_core, start_core
from bot.config import Settings, load_settings
from bot.content import bank_of, bank_problems, check_files, load_content
from bot.i18n import Messages
from bot.lookup import ask_reply, problem_reply, topics_reply
from bot.notes.model import Diagnostic
from bot.practice import resolve_scope
from bot.quiz.bank import QuestionBank
from bot.quiz.blueprint import Blueprint
from bot.quiz.curated import question_files
from bot.quiz.model import Question
from bot.search import SearchEngine, SearchOutcome
from bot.stats_commands import valid_week
from bot.storage.database import CONNECT_TIMEOUT, DatabaseNewerThanCode, StorageError, safe_url
from bot.storage.failures import MigrationFailed
from bot.storage.refs import ChannelRef

YEAR_OF_POSTS = 261  # weekday posts in a year: a channel on the default mon-fri schedule


def _parser() -> argparse.ArgumentParser:
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


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        # `dop-bot ask --json - | head` closed the pipe: not an error worth a traceback.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    settings = load_settings()
    level = getattr(logging, settings.log_level.upper(), logging.INFO)
    if args.command == "console" and "DOP_LOG_LEVEL" not in os.environ:
        level = max(level, logging.WARNING)  # the console is a conversation, not a log
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    from adapters import redact

    redact.install(redact.secrets_of(settings))  # tokens, secrets and response_urls never reach the log
    # One line per migration step or per job run is noise in a terminal.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    quiet = logging.ERROR if args.command == "simulate" else logging.WARNING  # a simulation skips by design
    logging.getLogger("apscheduler").setLevel(quiet)
    # Two lines per database call with its parameters (user data, an installation's tokens): not a log.
    logging.getLogger("aiosqlite").setLevel(logging.INFO)
    if args.command == "content":
        return check_content(settings, args.files)
    if args.command == "discord":
        return asyncio.run(_discord(settings, args))
    if args.command == "export":
        return export_anki(settings, args.all, args.out)
    messages = Messages(settings.locale)
    if args.command in ("console", "db", "report"):
        return asyncio.run(_with_database(settings, args, messages))
    if args.command == "simulate":
        return asyncio.run(_simulate(settings, args))
    if args.command == "run":
        from adapters.run import run

        try:
            return asyncio.run(run(settings))
        except StorageError as exc:
            print(storage_failure(messages, settings, exc), file=sys.stderr)
            return 1
    core = build_core(settings, SystemClock())
    if args.command == "topics":
        print(render_text(topics_reply(core.engine, messages, " ".join(args.service)), messages))
        return 0
    if args.command == "ask":
        return ask(core.engine, messages, args.query, as_json=args.json)
    if args.command == "questions":
        return list_questions(
            core.bank,
            core.engine,
            args.kind,
            args.service,
            as_json=args.json,
            blueprint=core.content.blueprint,
        )
    return 2


async def _with_database(settings: Settings, args: argparse.Namespace, messages: Messages) -> int:
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
            await run_console(core.dispatcher, messenger=messenger)
        elif args.command == "db":
            print(messages("storage.upgraded", url=safe_url(settings.database())))
        elif args.command == "report":
            return await _report(core, args, messages)
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


async def _discord(settings: Settings, args: argparse.Namespace) -> int:
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


async def _simulate(settings: Settings, args: argparse.Namespace) -> int:
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


def list_questions(
    bank: QuestionBank,
    engine: SearchEngine,
    kind: str | None,
    service: str | None,
    as_json: bool,
    blueprint: Blueprint | None = None,
) -> int:
    scope = resolve_scope(bank, engine, service or "")
    if scope is None:
        print(f"no service or category matches {service!r}", file=sys.stderr)
        return 1
    ids = {q.id for q in scope}
    selected = [q for q in bank.select(kind=kind) if q.id in ids]
    if as_json:
        print(json.dumps([q.to_json() for q in selected], ensure_ascii=False, indent=1))
        return 0
    by_kind = Counter(q.kind.value for q in selected)
    by_category = Counter(q.category for q in selected)
    print(f"{len(selected)} questions, {len({q.service for q in selected})} services")
    for name, counter in (("kind", by_kind), ("category", by_category)):
        print(f"by {name}: " + ", ".join(f"{k} {v}" for k, v in counter.most_common()))
    if blueprint is not None and blueprint.domains:
        for line in domain_lines(selected, blueprint):
            print(line)
    return 0


def domain_lines(questions: Sequence[Question], blueprint: Blueprint) -> list[str]:
    """Questions per exam domain (by primary domain) beside the exam's weight, and where the bank is
    too short for a year of daily questions at that weight without repeats."""
    on_exam = [q for q in questions if q.on_exam]
    primary = Counter(q.domains[0] for q in on_exam)
    lines = [f"exam domains ({len(on_exam)} on the exam, {len(questions) - len(on_exam)} off it):"]
    short = []
    for domain in blueprint.domains:
        count = primary[domain.code]
        share = count / len(on_exam) if on_exam else 0.0
        lines.append(
            f"  {domain.code:<11} {count:>4}  {share:6.1%} of the bank, {domain.weight}% of the exam"
        )
        yearly = round(YEAR_OF_POSTS * domain.weight / 100)
        if count < yearly:
            short.append(f"{domain.code} ({count} questions for ~{yearly} daily posts a year)")
    if short:
        lines.append("short for a year without repeats: " + ", ".join(short))
    return lines


def ask(engine: SearchEngine, messages: Messages, words: list[str], as_json: bool) -> int:
    tolerate_bad_bytes(sys.stdin)
    queries: Iterable[str] = (
        (line.rstrip("\n") for line in sys.stdin) if words == ["-"] else [without_surrogates(" ".join(words))]
    )
    for query in queries:
        if as_json:
            print(json.dumps(outcome_json(engine.search(query), messages), ensure_ascii=False), flush=True)
        else:
            print(render_text(ask_reply(engine, messages, query), messages), flush=True)
    return 0


def outcome_json(outcome: SearchOutcome, messages: Messages) -> dict[str, Any]:
    """The documented JSON shape of `ask --json`."""
    result: dict[str, Any] = {
        "query": outcome.query,
        "hits": [
            {
                "id": hit.node_id,
                "path": list(hit.path),
                "text": hit.text,
                "line": hit.line,
                "score": hit.score,
                "refs": [{"title": ref.title, "url": ref.url} for ref in hit.refs],
            }
            for hit in outcome.hits
        ],
    }
    if outcome.problem is not None:
        result["problem"] = outcome.problem.value
        result["message"] = render_text(problem_reply(outcome, messages), messages)
        result["suggestions"] = list(outcome.suggestions)
    return result


ANKI_FILE = "dop-bot-DOP-C02.apkg"


def export_anki(settings: Settings, everything: bool, out: Path) -> int:
    """`export anki --all`: the whole bank as an Anki deck. Without --all there is no one to export for:
    a personal deck (missed and due questions, with the user's schedule) needs a chat user."""
    if not everything:
        print(
            "a personal deck (your missed and due questions with their schedule) comes from /dop export in"
            " chat; use --all to write the whole question bank",
            file=sys.stderr,
        )
        return 2
    from bot.export.anki import write_apkg  # only this command needs genanki

    bank = bank_of(load_content(settings.content_path()))
    try:
        count = write_apkg(out, bank.questions, now=SystemClock().now())
    except OSError as exc:
        print(f"cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"wrote {count} notes to {out.resolve()}")
    return 0


def check_content(settings: Settings, files: list[Path]) -> int:
    """Print every diagnostic as file:line: message; exit 1 if any is an error."""
    diagnostics: list[Diagnostic] = []
    checked = 0
    if not files:
        content = load_content(settings.content_path())
        diagnostics.extend(content.diagnostics)
        diagnostics.extend(bank_problems(content, bank_of(content)))
        checked = len(content.decks) + 3 + len(question_files(settings.content_path()))
    else:
        diagnostics.extend(check_files(files, settings.content_path()))
        checked = len(files)
    for problem in diagnostics:
        print(problem)
    errors = sum(d.severity == "error" for d in diagnostics)
    summary = Messages(settings.locale)(
        "content.ok", files=checked, errors=errors, warnings=len(diagnostics) - errors
    )
    print(summary, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

"""`dop-bot`: the command-line entry point. It wires the core and hands it to an adapter."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from adapters.console import render_text, run_console
from bot.bootstrap import build_core
from bot.config import Settings, load_settings
from bot.content import load_content
from bot.i18n import Messages
from bot.lookup import ask_reply, problem_reply, topics_reply
from bot.notes.model import Diagnostic
from bot.notes.parser import parse_file
from bot.search import SearchEngine, SearchOutcome
from bot.search.glossary import load_glossary


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dop-bot", description="DOP study companion for Slack and Discord")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("console", help="chat with the bot locally (no tokens needed)")

    ask = commands.add_parser("ask", help="look something up in the notes")
    ask.add_argument("--json", action="store_true", help="print hits as JSON")
    ask.add_argument("query", nargs="+", help="the question; '-' reads one query a line from stdin")

    topics = commands.add_parser("topics", help="list services and their topics")
    topics.add_argument("service", nargs="*", help="only this service")

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
    logging.basicConfig(
        level=getattr(logging, settings.log_level.upper(), logging.INFO),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.command == "content":
        return check_content(settings, args.files)
    core = build_core(settings)
    messages = Messages(settings.locale)
    if args.command == "console":
        asyncio.run(run_console(core.dispatcher))
        return 0
    if args.command == "topics":
        print(render_text(topics_reply(core.engine, messages, " ".join(args.service)), messages))
        return 0
    if args.command == "ask":
        return ask(core.engine, messages, args.query, as_json=args.json)
    return 2


def ask(engine: SearchEngine, messages: Messages, words: list[str], as_json: bool) -> int:
    queries: Iterable[str] = (
        (line.rstrip("\n") for line in sys.stdin) if words == ["-"] else [" ".join(words)]
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


def check_content(settings: Settings, files: list[Path]) -> int:
    """Print every diagnostic as file:line: message; exit 1 if any is an error."""
    diagnostics: list[Diagnostic] = []
    checked = 0
    if not files:
        content = load_content(settings.content_path())
        diagnostics.extend(content.diagnostics)
        checked = len(content.decks) + 1
    for path in files:
        checked += 1
        if path.suffix == ".md":
            diagnostics.extend(parse_file(path).diagnostics)
        elif path.suffix in (".yaml", ".yml") and path.name.startswith("aliases"):
            diagnostics.extend(load_glossary(path)[1])
        elif not path.exists():
            diagnostics.append(Diagnostic(str(path), 0, "error", "file not found"))
        else:
            diagnostics.append(
                Diagnostic(str(path), 0, "error", "not a content file (expected notes .md or aliases.yaml)")
            )
    for problem in diagnostics:
        print(problem)
    errors = sum(d.severity == "error" for d in diagnostics)
    summary = Messages(settings.locale)(
        "content.ok", files=checked, errors=errors, warnings=len(diagnostics) - errors
    )
    print(summary, file=sys.stderr)
    return 1 if errors else 0

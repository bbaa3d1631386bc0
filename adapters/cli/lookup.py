"""`dop-bot ask` and `dop-bot topics`: one-shot lookups in the notes. They read the start-up snapshot
(the notes, aliases and errata as a run last checked them, and the search engine over them), never the
question bank or the database, and no Settings: the whole command should take about a third of a second."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from adapters.plain import render_text, tolerate_bad_bytes, without_surrogates
from bot.i18n import Messages
from bot.search import SearchEngine, SearchOutcome
from bot.usecases.lookup import ask_reply, problem_reply, topics_reply


def engine_for(content_dir: Path) -> SearchEngine:
    """The engine over the notes, kept in the start-up snapshot a run (or a lookup) before left for this
    content and code; without one, built and kept there for the next time (parsing, indexing and
    matching the glossary's phrases took most of a lookup once the supplement grew)."""
    from bot.environment import data_dir_of
    from bot.snapshot import SnapshotStore, load_or_build

    store = SnapshotStore(data_dir_of() / "snapshots")
    key, snapshot, _ = load_or_build(store, content_dir)
    if snapshot.engine is not None:
        return snapshot.engine
    engine = SearchEngine.of(snapshot.index, snapshot.content.glossary, snapshot.content.errata)
    store.save(key, replace(snapshot, engine=engine))
    return engine


def ask(content_dir: Path, messages: Messages, words: list[str], as_json: bool) -> int:
    engine = engine_for(content_dir)
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


def topics(content_dir: Path, messages: Messages, words: list[str]) -> int:
    print(render_text(topics_reply(engine_for(content_dir), messages, " ".join(words)), messages))
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

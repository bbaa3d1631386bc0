"""`dop-bot ask` and `dop-bot topics`: one-shot lookups in the notes. They read only the notes, the
aliases and the errata (not the question bank, not the database), and no Settings: the whole command
should take about a third of a second."""

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
    """The engine over the notes, read back from the start-up snapshot a run (or a lookup) before left
    for this content and code; without one, built from the notes and left as one for the next time
    (parsing and indexing the notes took most of a lookup once the supplement grew)."""
    from bot.content import load_content
    from bot.environment import data_dir_of
    from bot.search.index import build_index
    from bot.snapshot import Snapshot, SnapshotStore, snapshot_key

    store = SnapshotStore(data_dir_of() / "snapshots")
    key = snapshot_key(content_dir)
    snapshot = store.load(key)
    if snapshot is None:
        content = load_content(content_dir)
        snapshot = Snapshot(content, build_index(list(content.decks)))
    if snapshot.engine is None:
        engine = SearchEngine.of(snapshot.index, snapshot.content.glossary, snapshot.content.errata)
        store.save(key, replace(snapshot, engine=engine))
        return engine
    return snapshot.engine


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

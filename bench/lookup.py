"""Lookup speed of `ask`: start-up, warm query latency, a 100x synthetic deck and an FTS5 baseline.

Run: .venv/bin/python bench/lookup.py [--quick] [--rounds N] [--copies N] [--seed N]

Measured (the issue's targets are printed next to the figures, never asserted):
  1. start-up on the DOP notes: load_content + SearchEngine.build, median of several runs
     (target <= 500 ms);
  2. warm latency of every development query (tests/data/ask_dev.yaml) on the DOP notes: one
     warm-up round, then N timed rounds, p50/p95/p99/max (target p99 <= 5 ms);
  3. the same on a synthetic deck of every notes file (the team's and the supplement) repeated 100
     times with variations (see bench/synthetic.py), with its node count and build time (target p99
     <= 25 ms);
  4. a baseline on both decks: SQLite FTS5 with the trigram tokenizer over one row per fact bullet
     (the bullet and its descendants), ranked by bm25, with latency and P@1 next to ours;
  5. resident set size (peak so far) after each build, and the Python heap retained by our index.

Human-readable lines are printed as the run goes; the last line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import re
import resource
import sqlite3
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.synthetic import make_synthetic_notes  # noqa: E402
from bot.content import load_content  # noqa: E402
from bot.notes.loader import note_files  # noqa: E402
from bot.notes.model import Deck, Node, NodeKind  # noqa: E402
from bot.notes.parser import parse_notes  # noqa: E402
from bot.search import Glossary, SearchEngine  # noqa: E402
from bot.search.evaluate import comparable, expected_texts  # noqa: E402

CONTENT_DIR = ROOT / "content"
DEV_SET = ROOT / "tests" / "data" / "ask_dev.yaml"

TARGET_STARTUP_MS = 500.0
TARGET_P99_DOP_MS = 5.0
TARGET_P99_SYNTHETIC_MS = 25.0
FTS_LIMIT = 5
MIN_TRIGRAM_TERM = 3
SLOWEST_SHOWN = 5

_TERM_SPLIT = re.compile(r"[\W_]+")  # whitespace and punctuation (of any script)


@dataclass(frozen=True)
class Case:
    """One development query and the texts its best answer may contain (comparable form)."""

    query: str
    kind: str
    expect: tuple[str, ...]


@dataclass(frozen=True)
class Latency:
    """Per-call wall times of one engine on one deck."""

    samples_ns: list[int]
    per_query_ns: dict[str, list[int]]

    def summary(self) -> dict[str, float | int]:
        ordered = sorted(self.samples_ns)
        return {
            "p50_ms": _ms(_percentile(ordered, 50)),
            "p95_ms": _ms(_percentile(ordered, 95)),
            "p99_ms": _ms(_percentile(ordered, 99)),
            "max_ms": _ms(ordered[-1]),
            "mean_ms": _ms(statistics.fmean(ordered)),
            "samples": len(ordered),
        }

    def slowest(self, count: int = SLOWEST_SHOWN) -> list[dict[str, Any]]:
        """The queries with the highest median time."""
        ranked = sorted(self.per_query_ns.items(), key=lambda item: -statistics.median(item[1]))
        return [
            {"query": q, "median_ms": _ms(statistics.median(ts)), "max_ms": _ms(max(ts))}
            for q, ts in ranked[:count]
        ]


def _ms(ns: float) -> float:
    return round(ns / 1e6, 3)


def _percentile(ordered: Sequence[int], pct: float) -> int:
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def rss_mb() -> float:
    """Peak resident set size of this process so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def load_cases(path: Path = DEV_SET) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Case(str(c["query"]), str(c.get("kind", "")), tuple(expected_texts(c))) for c in data]


# -- our engine ---------------------------------------------------------------------------------


def measure_startup(runs: int) -> dict[str, Any]:
    """load_content + SearchEngine.build, repeated in this process; the median is the headline."""
    loads: list[float] = []
    builds: list[float] = []
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter_ns()
        content = load_content(CONTENT_DIR)
        t1 = time.perf_counter_ns()
        SearchEngine.build(list(content.decks), content.glossary)
        t2 = time.perf_counter_ns()
        loads.append(t1 - t0)
        builds.append(t2 - t1)
    totals = [a + b for a, b in zip(loads, builds, strict=True)]
    return {
        "startup_ms": _ms(statistics.median(totals)),
        "startup_first_ms": _ms(totals[0]),
        "startup_min_ms": _ms(min(totals)),
        "load_ms": _ms(statistics.median(loads)),
        "build_ms": _ms(statistics.median(builds)),
        "runs": runs,
    }


def time_queries(search: Callable[[str], object], queries: list[str], rounds: int, warmup: int) -> Latency:
    """Every query `warmup` times untimed, then `rounds` times timed, round by round."""
    for _ in range(warmup):
        for query in queries:
            search(query)
    gc.collect()
    samples: list[int] = []
    per_query: dict[str, list[int]] = {q: [] for q in queries}
    clock = time.perf_counter_ns
    for _ in range(rounds):
        for query in queries:
            t0 = clock()
            search(query)
            elapsed = clock() - t0
            samples.append(elapsed)
            per_query[query].append(elapsed)
    return Latency(samples, per_query)


def p_at_1(top_texts: Callable[[str], str | None], cases: list[Case]) -> tuple[float, int]:
    """Share of cases whose first result contains the expected text, and how many got no result."""
    correct = 0
    empty = 0
    for case in cases:
        text = top_texts(case.query)
        if text is None:
            empty += 1
        elif any(expected in comparable(text) for expected in case.expect):
            correct += 1
    return round(correct / len(cases), 3), empty


def our_top(engine: SearchEngine) -> Callable[[str], str | None]:
    def top(query: str) -> str | None:
        hits = engine.search(query).hits
        return hits[0].text if hits else None

    return top


def traced_build(decks: list[Deck], glossary: Glossary) -> tuple[float, float]:
    """Python heap (MiB) retained by a fresh engine, and the peak while building it (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        engine = SearchEngine.build(decks, glossary)
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del engine
    return round((current - before) / 2**20, 1), round((peak - before) / 2**20, 1)


# -- the FTS5 baseline --------------------------------------------------------------------------


def fts_passages(deck: Deck) -> list[tuple[int, str]]:
    """(line, text) for every fact bullet: its text and continuation lines, then its descendants'."""

    def node_text(node: Node) -> str:
        return " ".join((node.text, *node.extra))

    rows: list[tuple[int, str]] = []
    for node in deck.walk():
        if node.kind is not NodeKind.FACT:
            continue
        parts = [node_text(node), *(node_text(d) for d in deck.descendants(node.id))]
        rows.append((node.line, comparable("\n".join(parts))))
    return rows


def match_expression(query: str) -> str | None:
    """Terms of >= 3 characters (split on whitespace and punctuation), each quoted, joined with OR."""
    terms = [t for t in _TERM_SPLIT.split(comparable(query)) if len(t) >= MIN_TRIGRAM_TERM]
    if not terms:
        return None
    quoted = dict.fromkeys('"' + t.replace('"', '""') + '"' for t in terms)
    return " OR ".join(quoted)


class Fts5Baseline:
    """SQLite FTS5 (trigram tokenizer) over the same passages, ranked by bm25."""

    def __init__(self, decks: list[Deck]) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='trigram')")
        self.lines: list[int] = []
        rows: list[tuple[int, str]] = []
        for deck in decks:
            for line, text in fts_passages(deck):
                self.lines.append(line)
                rows.append((len(self.lines), text))
        self.db.executemany("INSERT INTO t(rowid, body) VALUES (?, ?)", rows)
        self.db.commit()
        self.rows = len(rows)
        self.errors = 0

    def search(self, query: str) -> list[tuple[int, str]]:
        expression = match_expression(query)
        if expression is None:
            return []
        try:
            return self.db.execute(
                "SELECT rowid, body FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?", (expression, FTS_LIMIT)
            ).fetchall()
        except sqlite3.OperationalError:
            self.errors += 1
            return []

    def top(self, query: str) -> str | None:
        found = self.search(query)
        return str(found[0][1]) if found else None

    def close(self) -> None:
        self.db.close()


# -- running ------------------------------------------------------------------------------------


def _verdict(value: float, limit: float) -> str:
    return f"target <= {limit:g} ms: {'met' if value <= limit else 'MISSED'}"


def _report(name: str, figures: dict[str, Any]) -> None:
    print(
        f"  {name:<5} p50 {figures['p50_ms']:.3f}  p95 {figures['p95_ms']:.3f}  p99 {figures['p99_ms']:.3f}  "
        f"max {figures['max_ms']:.3f} ms  P@1 {figures['p_at_1']:.3f}  (no result: {figures['no_result']})",
        flush=True,
    )


def _report_slowest(latency: Latency) -> None:
    for row in latency.slowest():
        print(f"        slow: {row['median_ms']:8.3f} ms median, {row['max_ms']:8.3f} max  {row['query']!r}")


def bench_engines(
    label: str,
    engine: SearchEngine,
    decks: list[Deck],
    cases: list[Case],
    rounds: int,
    warmup: int,
) -> dict[str, Any]:
    """Latency and P@1 of our engine and of FTS5 on the same decks."""
    queries = list(dict.fromkeys(c.query for c in cases))
    figures: dict[str, Any] = {}

    ours_latency = time_queries(engine.search, queries, rounds, warmup)
    precision, empty = p_at_1(our_top(engine), cases)
    ours: dict[str, Any] = {**ours_latency.summary(), "p_at_1": precision, "no_result": empty}
    ours["slowest"] = ours_latency.slowest()
    _report("ours", ours)
    _report_slowest(ours_latency)
    figures["ours"] = ours

    gc.collect()
    t0 = time.perf_counter_ns()
    fts = Fts5Baseline(decks)
    fts_build = time.perf_counter_ns() - t0
    fts_rss = rss_mb()
    fts_latency = time_queries(fts.search, queries, rounds, warmup)
    precision, empty = p_at_1(fts.top, cases)
    baseline: dict[str, Any] = {
        "build_ms": _ms(fts_build),
        "rows": fts.rows,
        **fts_latency.summary(),
        "p_at_1": precision,
        "no_result": empty,
        "no_terms": sum(match_expression(q) is None for q in queries),
        "errors": fts.errors,
        "rss_mb_after_build": fts_rss,
        "slowest": fts_latency.slowest(),
    }
    fts.close()
    _report("fts5", baseline)
    print(
        f"        fts5: {baseline['rows']} rows built in {baseline['build_ms']:.1f} ms; "
        f"{baseline['no_terms']} queries have no term of >= 3 characters; RSS peak {fts_rss} MiB",
        flush=True,
    )
    _report_slowest(fts_latency)
    figures["fts5"] = baseline
    print(f"  [{label} done]", flush=True)
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Lookup benchmark: start-up, latency, 100x deck, FTS5.")
    parser.add_argument("--quick", action="store_true", help="fewer rounds and start-up runs")
    parser.add_argument("--rounds", type=int, default=None, help="timed rounds (default 20, quick 5)")
    parser.add_argument("--copies", type=int, default=100, help="copies of the notes in the synthetic deck")
    parser.add_argument("--seed", type=int, default=17, help="seed of the synthetic deck's variations")
    args = parser.parse_args(argv)
    rounds = args.rounds or (5 if args.quick else 20)
    startup_runs = 3 if args.quick else 7
    build_runs = 1 if args.quick else 3
    warmup = 1
    started = time.perf_counter()

    cases = load_cases()
    print(
        f"lookup benchmark: {len(cases)} dev queries, {warmup} warm-up + {rounds} timed rounds; "
        f"python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}",
        flush=True,
    )
    result: dict[str, Any] = {}

    # 1-2. The DOP notes.
    print("\n== DOP notes ==", flush=True)
    startup = measure_startup(startup_runs)
    print(
        f"  start-up (load_content + build): median {startup['startup_ms']:.1f} ms of {startup_runs} "
        f"(first {startup['startup_first_ms']:.1f}, load {startup['load_ms']:.1f} + build "
        f"{startup['build_ms']:.1f}); {_verdict(startup['startup_ms'], TARGET_STARTUP_MS)}",
        flush=True,
    )
    content = load_content(CONTENT_DIR)
    decks = list(content.decks)
    engine = SearchEngine.build(decks, content.glossary)
    dop_rss = rss_mb()
    retained, peak = traced_build(decks, content.glossary)
    nodes = sum(len(d.nodes) for d in decks)
    print(
        f"  {nodes} nodes, {engine.index.size} indexed; RSS peak {dop_rss} MiB; "
        f"index heap {retained} MiB (peak {peak} MiB while building)",
        flush=True,
    )
    dop: dict[str, Any] = {
        "nodes": nodes,
        "indexed": engine.index.size,
        **startup,
        "rss_mb_after_build": dop_rss,
        "index_heap_mb": retained,
        "build_heap_peak_mb": peak,
    }
    dop.update(bench_engines("dop", engine, decks, cases, rounds, warmup))
    print(f"  ours p99: {_verdict(dop['ours']['p99_ms'], TARGET_P99_DOP_MS)}", flush=True)
    result["dop"] = dop
    del engine

    # 3. The synthetic deck.
    print(f"\n== synthetic deck: {args.copies}x the notes (seed {args.seed}) ==", flush=True)
    t0 = time.perf_counter_ns()
    # Every notes file, each repeated: the dev set asks about the supplement too.
    sources = note_files(CONTENT_DIR)
    markdowns = [
        (path.stem, make_synthetic_notes(path.read_text(encoding="utf-8"), args.copies, args.seed))
        for path in sources
    ]
    generate_ns = time.perf_counter_ns() - t0
    parse_times: list[int] = []
    build_times: list[int] = []
    synthetic_engine: SearchEngine | None = None
    synthetic_decks: list[Deck] = []
    warnings = 0
    for _ in range(build_runs):
        synthetic_decks, synthetic_engine = [], None
        gc.collect()
        t0 = time.perf_counter_ns()
        parsed_all = [
            parse_notes(md, source=f"synthetic-{stem}.md", deck_slug=f"synthetic-{stem}")
            for stem, md in markdowns
        ]
        t1 = time.perf_counter_ns()
        synthetic_decks = [parsed.deck for parsed in parsed_all if parsed.deck is not None]
        synthetic_engine = SearchEngine.build(synthetic_decks, content.glossary)
        t2 = time.perf_counter_ns()
        parse_times.append(t1 - t0)
        build_times.append(t2 - t1)
        warnings = sum(len(parsed.diagnostics) for parsed in parsed_all)
    assert synthetic_engine is not None and len(synthetic_decks) == len(sources)
    synthetic_rss = rss_mb()
    retained, peak = traced_build(synthetic_decks, content.glossary)
    parse_ms = _ms(statistics.median(parse_times))
    index_ms = _ms(statistics.median(build_times))
    synthetic: dict[str, Any] = {
        "copies": args.copies,
        "seed": args.seed,
        "lines": sum(md.count("\n") for _, md in markdowns),
        "files": [path.name for path in sources],
        "nodes": sum(len(deck.nodes) for deck in synthetic_decks),
        "facts": sum(n.kind is NodeKind.FACT for deck in synthetic_decks for n in deck.walk()),
        "indexed": synthetic_engine.index.size,
        "diagnostics": warnings,
        "generate_ms": _ms(generate_ns),
        "parse_ms": parse_ms,
        "index_ms": index_ms,
        "build_ms": round(parse_ms + index_ms, 3),
        "build_runs": build_runs,
        "rss_mb_after_build": synthetic_rss,
        "index_heap_mb": retained,
        "build_heap_peak_mb": peak,
    }
    print(
        f"  {synthetic['lines']} lines, {synthetic['nodes']} nodes ({synthetic['facts']} facts, "
        f"{synthetic['indexed']} indexed, {warnings} diagnostics); "
        f"generated in {synthetic['generate_ms']:.0f} ms",
        flush=True,
    )
    print(
        f"  build: parse {parse_ms:.0f} ms + index {index_ms:.0f} ms = {synthetic['build_ms']:.0f} ms "
        f"(median of {build_runs}); RSS peak {synthetic_rss} MiB; index heap {retained} MiB "
        f"(peak {peak} MiB while building)",
        flush=True,
    )
    synthetic.update(bench_engines("synthetic", synthetic_engine, synthetic_decks, cases, rounds, warmup))
    print(f"  ours p99: {_verdict(synthetic['ours']['p99_ms'], TARGET_P99_SYNTHETIC_MS)}", flush=True)
    result[f"synthetic_{args.copies}x"] = synthetic

    result["targets"] = {
        "startup_ms": TARGET_STARTUP_MS,
        "dop_p99_ms": TARGET_P99_DOP_MS,
        "synthetic_p99_ms": TARGET_P99_SYNTHETIC_MS,
    }
    result["config"] = {
        "queries": len(cases),
        "rounds": rounds,
        "warmup": warmup,
        "quick": args.quick,
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "rss_mb_peak": rss_mb(),
        "wall_s": round(time.perf_counter() - started, 1),
    }
    print(f"\nfinished in {result['config']['wall_s']} s", flush=True)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()

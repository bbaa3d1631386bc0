"""Bad input: the seeded fuzz corpus (tests/fuzz_lines.py) through the console path on a real database.

Counts error ids and exceptions (tracebacks), checks every certainly-bad line got a hint, and measures
how long one command holds the event loop: every callback the loop runs is timed (asyncio's Handle),
and a line's block is its longest one. Target: no line holds the loop for more than 50 ms.
A full (generation 2) garbage collection that happens to run inside a line is the heap's cost, not the
line's: such lines are counted apart. `--freeze` moves what start-up built out of the collector's way
(`gc.freeze()`), to show what that would change.
Run: .venv/bin/python bench/input_cap.py [--lines N] [--seed S] [--postgres URL] [--freeze]
The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.replies import ReplyKind  # noqa: E402
from bot.simulation import VirtualClock, scratch_database  # noqa: E402
from tests.fuzz_lines import LONG, NOW, SEED, fuzz_lines, fuzz_run, seeded_question_ids  # noqa: E402

TARGET_MS = 50.0


class BlockProbe:
    """The longest single callback the loop ran since the last `take()`."""

    def __init__(self) -> None:
        self.longest = 0.0

    @contextmanager
    def installed(self) -> Iterator[None]:
        handle = asyncio.events.Handle
        original = handle._run

        def timed(this: asyncio.events.Handle) -> None:
            start = time.perf_counter()
            try:
                original(this)
            finally:
                self.longest = max(self.longest, time.perf_counter() - start)

        handle._run = timed  # type: ignore[method-assign]
        try:
            yield
        finally:
            handle._run = original  # type: ignore[method-assign]

    def take(self) -> float:
        longest, self.longest = self.longest, 0.0
        return longest


class FullCollections:
    """How long the generation-2 collections took since the last `take()`."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.pauses.append(time.perf_counter() - self._started)

    def take(self) -> list[float]:
        pauses, self.pauses = self.pauses, []
        return pauses


async def measure(url: str | None, count: int, seed: int, freeze: bool) -> dict[str, Any]:
    async with scratch_database(url) as scratch:
        run = await fuzz_run(scratch, VirtualClock(NOW))
        try:
            lines = fuzz_lines(count, seed, seeded_question_ids(run))
            if freeze:
                gc.collect()
                gc.freeze()
            probe, collections = BlockProbe(), FullCollections()
            blocks: list[tuple[float, str]] = []  # lines no full collection ran in
            collected: list[tuple[float, float]] = []  # (block, pause) of the lines one ran in
            raised = unhinted = 0
            gc.callbacks.append(collections)
            start = time.perf_counter()
            with probe.installed():
                for line in lines:
                    await asyncio.sleep(0)  # the loop's own bookkeeping between lines is not the line's
                    probe.take(), collections.take()
                    # A task of its own: its steps are the loop callbacks the probe times, all of them
                    # done by the time this one resumes.
                    task = asyncio.create_task(run.session.send(line.text))
                    try:
                        await task
                    except Exception:
                        raised += 1
                    block, pauses = probe.take(), collections.take()
                    if pauses:
                        collected.append((block, max(pauses)))
                    else:
                        blocks.append((block, line.text))
                    kinds = {r.kind for r in run.session.replies}
                    unhinted += line.bad and ReplyKind.PROBLEM not in kinds
            elapsed = time.perf_counter() - start
            gc.callbacks.remove(collections)
            dialect = run.core.db.dialect if run.core.db is not None else "?"
        finally:
            await run.close()
    ms = sorted(b * 1000 for b, _ in blocks)
    return {
        "database": dialect,
        "lines": len(lines),
        "long_lines": sum(len(line.text) >= 100_000 for line in lines),
        "error_ids": len(run.error_ids),
        "tracebacks": raised,
        "bad_lines_without_hint": unhinted,
        "seconds": round(elapsed, 2),
        "block_ms_median": round(statistics.median(ms), 2),
        "block_ms_p99": round(ms[int(0.99 * (len(ms) - 1))], 2),
        "block_ms_worst": round(ms[-1], 1),
        "block_ms_worst_100k_line": round(max((b for b, t in blocks if len(t) >= LONG), default=0) * 1e3, 1),
        "lines_over_target": sum(b > TARGET_MS for b in ms),
        "slowest": [f"{b * 1000:.1f} ms {t[:30]!r} ({len(t):,} chars)" for b, t in sorted(blocks)[-3:][::-1]],
        "gc_frozen": freeze,
        "lines_with_full_gc": len(collected),
        "full_gc_ms_worst": round(max((p for _, p in collected), default=0.0) * 1000, 1),
        "block_ms_worst_with_full_gc": round(max((b for b, _ in collected), default=0.0) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--postgres", help="a Postgres server URL; a scratch database is made on it")
    parser.add_argument("--freeze", action="store_true", help="gc.freeze() once the core is built")
    args = parser.parse_args()
    result = asyncio.run(measure(args.postgres, args.lines, args.seed, args.freeze))
    for key, value in result.items():
        print(f"{key:>24}: {value}")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()

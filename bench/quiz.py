"""Building the question bank: parse the notes, generate, validate. Target: at most 1 s.

Run: .venv/bin/python bench/quiz.py [--runs N]
Prints the figures as it goes; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.content import bank_of, load_content  # noqa: E402
from bot.quiz.model import QuestionKind  # noqa: E402

TARGET_MS = 1000.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    totals: list[float] = []
    builds: list[float] = []
    bank = None
    for _ in range(args.runs):
        start = time.perf_counter()
        content = load_content(ROOT / "content")
        loaded = time.perf_counter()
        bank = bank_of(content)
        done = time.perf_counter()
        totals.append((done - start) * 1000)
        builds.append((done - loaded) * 1000)
    assert bank is not None
    generated = [q for q in bank.questions if q.kind is not QuestionKind.SCENARIO]
    result = {
        "runs": args.runs,
        "total_ms_median": round(statistics.median(totals), 1),
        "total_ms_max": round(max(totals), 1),
        "generate_ms_median": round(statistics.median(builds), 1),
        "target_ms": TARGET_MS,
        "questions": len(bank),
        "generated": len(generated),
        "curated": len(bank) - len(generated),
        "services_covered": len({q.service for q in generated}),
        "by_kind": dict(Counter(q.kind.value for q in bank.questions).most_common()),
        "by_category": dict(Counter(q.category for q in bank.questions).most_common()),
        "dropped": dict(bank.dropped.most_common()),
    }
    print(
        f"parse + generate + validate: median {result['total_ms_median']} ms (target <= {TARGET_MS:.0f} ms)"
    )
    print(f"{result['questions']} questions ({result['generated']} generated, {result['curated']} curated)")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()

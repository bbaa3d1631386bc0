"""Item analysis at scale: `dop-bot questions --stats` over 10,000 users × 90 days (about 900,000
answers, the data of bench/reports.py): the query that adds up each question's first answers in SQL,
then the statistics from those sums.

Run: .venv/bin/python bench/items.py [--users N] [--days D] [--postgres URL]
The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from report_data import generate  # noqa: E402

from bot.content import bank_of, load_content  # noqa: E402
from bot.simulation import scratch_database  # noqa: E402
from bot.stats.items import item_stats  # noqa: E402
from bot.storage.database import Database  # noqa: E402
from bot.storage.items import question_moments  # noqa: E402


async def measure(url: str, users: int, days: int) -> dict[str, object]:
    bank = bank_of(load_content(ROOT / "content"))
    db = Database.open(url)
    await db.upgrade()
    counts = await generate(db, bank, users, days)
    started = time.perf_counter()
    moments, people = await question_moments(db)
    queried = time.perf_counter() - started
    started = time.perf_counter()
    items = item_stats(moments)
    analysed = time.perf_counter() - started
    dialect = db.dialect
    await db.close()
    return {
        "backend": dialect,
        **counts,
        "first_answers": sum(i.answers for i in items),
        "people": people,
        "questions": len(items),
        "query_seconds": round(queried, 2),
        "analysis_seconds": round(analysed, 4),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    results = []
    for server in (None, args.postgres):  # a temporary SQLite file, then a scratch Postgres database
        async with scratch_database(server) as url:
            results.append(await measure(url, args.users, args.days))
    for r in results:
        print(
            f"{r['backend']}: {r['answers']} answers, {r['first_answers']} first answers to"
            f" {r['questions']} questions; query {r['query_seconds']} s, statistics {r['analysis_seconds']} s"
        )
    print(json.dumps({"item_analysis": results}, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())

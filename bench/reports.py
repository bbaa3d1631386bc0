"""Report scale: the weekly report and /dop stats over 10,000 users × 90 days (about 900,000 answers).

Targets: at most 1 s on Postgres and 3 s on SQLite. The data is made by bench/report_data.py.
Run: .venv/bin/python bench/reports.py [--users N] [--days D] [--postgres URL]
The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from report_data import CHANNEL, generate  # noqa: E402

from bot.content import bank_of, load_content  # noqa: E402
from bot.dispatcher import Requester  # noqa: E402
from bot.i18n import Messages  # noqa: E402
from bot.simulation import VirtualClock, scratch_database  # noqa: E402
from bot.stats.calendar import iso_week  # noqa: E402
from bot.storage.cards import SqlCardStore  # noqa: E402
from bot.storage.daily import DailyLedger  # noqa: E402
from bot.storage.database import Database  # noqa: E402
from bot.storage.stats import StatsQueries  # noqa: E402
from bot.usecases.stats import StatsService  # noqa: E402

TARGETS = {"sqlite": 3.0, "postgresql": 1.0}


async def measure(url: str, users: int, days: int, rounds: int) -> dict[str, object]:
    bank = bank_of(load_content(ROOT / "content"))
    db = Database.open(url)
    await db.upgrade()
    started = time.perf_counter()
    counts = await generate(db, bank, users, days)
    generated = time.perf_counter() - started
    last_day = datetime(2026, 9, 1, tzinfo=UTC).date().toordinal() + days - 1
    clock = VirtualClock(datetime.fromordinal(last_day).replace(hour=1, tzinfo=UTC))
    service = StatsService(DailyLedger(db), StatsQueries(db), SqlCardStore(db, clock), bank, clock, "UTC")
    messages = Messages("ja")
    week = iso_week(clock.now().date())
    report_times, chart_times, stats_times = [], [], []
    reply = None
    for _ in range(rounds):
        t = time.perf_counter()
        reply = await service.report(CHANNEL, week, messages, chart=False)
        report_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        await service.report(CHANNEL, week, messages, chart=True)
        chart_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        await service.stats(Requester("bench", "U000042", "C1", workspace_id="W1"), messages)
        stats_times.append(time.perf_counter() - t)
    dialect = db.dialect
    await db.close()
    assert reply is not None
    report = statistics.median(report_times)
    stats = statistics.median(stats_times)
    return {
        "backend": dialect,
        **counts,
        "generate_seconds": round(generated, 1),
        "report_seconds": round(report, 3),
        "report_with_chart_seconds": round(statistics.median(chart_times), 3),
        "stats_seconds": round(stats, 3),
        "report_and_stats_seconds": round(report + stats, 3),
        "target_seconds": TARGETS[dialect],
        "report_body": reply.body,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    results = []
    for server in (None, args.postgres):  # a temporary SQLite file, then a scratch Postgres database
        async with scratch_database(server) as url:
            results.append(await measure(url, args.users, args.days, args.rounds))
    for r in results:
        print(
            f"{r['backend']}: {r['answers']} answers; report {r['report_seconds']} s "
            f"(+chart {r['report_with_chart_seconds']} s), stats {r['stats_seconds']} s, "
            f"together {r['report_and_stats_seconds']} s (target <= {r['target_seconds']} s)"
        )
    print(json.dumps({"report_scale": results}, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())

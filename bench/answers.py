"""Answer burst: 1,000 distinct users answer one daily question at once, through the service layer.

Targets: every answer recorded exactly once, none lost; at most 2 s on SQLite and 1 s on Postgres.
Run: .venv/bin/python bench/answers.py [--users N] [--postgres URL]
The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.content import bank_of, load_content  # noqa: E402
from bot.simulation import VirtualClock, scratch_database  # noqa: E402
from bot.storage.daily import DailyLedger  # noqa: E402
from bot.storage.database import Database  # noqa: E402
from bot.storage.models import Answer  # noqa: E402
from bot.storage.refs import ChannelRef, UserRef  # noqa: E402
from bot.usecases.daily import AnswerStatus, DailyAnswerService  # noqa: E402

TARGETS = {"sqlite": 2.0, "postgresql": 1.0}


async def burst(url: str, users: int) -> dict[str, object]:
    bank = bank_of(load_content(ROOT / "content"))
    db = Database.open(url)
    await db.upgrade()
    clock = VirtualClock(datetime(2026, 11, 30, 0, 5, tzinfo=UTC))  # nothing moves it
    ledger = DailyLedger(db)
    question = bank.questions[0]
    post = await ledger.claim(ChannelRef("bench", "W", "C"), date(2026, 11, 30), question.id, clock.now())
    assert post is not None
    service = DailyAnswerService(ledger, bank, clock)
    people = [UserRef("bench", f"U{i:05d}", f"user {i}") for i in range(users)]
    start = time.perf_counter()
    outcomes = await asyncio.gather(
        *(service.answer(post.id, p, i % len(question.choices)) for i, p in enumerate(people))
    )
    elapsed = time.perf_counter() - start
    async with db.transaction() as session:
        stored = (
            await session.execute(select(func.count()).select_from(Answer).where(Answer.post_id == post.id))
        ).scalar_one()
        distinct = (
            await session.execute(
                select(func.count(func.distinct(Answer.user_id))).where(Answer.post_id == post.id)
            )
        ).scalar_one()
    dialect = db.dialect
    await ledger.batcher.close()  # its writer task, before the database goes
    await db.close()
    recorded = sum(o.status is AnswerStatus.RECORDED for o in outcomes)
    return {
        "backend": dialect,
        "users": users,
        "seconds": round(elapsed, 3),
        "answers_per_second": round(users / elapsed),
        "recorded": recorded,
        "stored": int(stored),
        "distinct_users": int(distinct),
        "exactly_once": recorded == users == int(stored) == int(distinct),
        "target_seconds": TARGETS[dialect],
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    results = []
    for server in (None, args.postgres):  # a temporary SQLite file, then a scratch Postgres database
        async with scratch_database(server) as url:
            results.append(await burst(url, args.users))
    for r in results:
        print(
            f"{r['backend']}: {r['users']} answers in {r['seconds']} s (target <= {r['target_seconds']} s), "
            f"exactly once: {r['exactly_once']}"
        )
    print(json.dumps({"answer_burst": results}))


if __name__ == "__main__":
    asyncio.run(main())

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
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import asyncpg
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.content import load_content  # noqa: E402
from bot.daily import AnswerStatus, DailyAnswerService  # noqa: E402
from bot.quiz.bank import build_bank  # noqa: E402
from bot.storage.daily import DailyLedger  # noqa: E402
from bot.storage.database import Database  # noqa: E402
from bot.storage.models import Answer  # noqa: E402
from bot.storage.refs import ChannelRef, UserRef  # noqa: E402

TARGETS = {"sqlite": 2.0, "postgresql": 1.0}


class FixedClock:
    def now(self) -> datetime:
        return datetime(2026, 11, 30, 0, 5, tzinfo=UTC)


async def burst(url: str, users: int) -> dict[str, object]:
    content = load_content(ROOT / "content")
    bank = build_bank(content.decks, content.glossary, content.quiz_config, content.curated)
    db = Database.open(url)
    await db.upgrade()
    clock = FixedClock()
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
    with tempfile.TemporaryDirectory() as folder:
        results.append(await burst(f"sqlite:///{folder}/bench.sqlite3", args.users))
    name = f"dop_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(args.postgres)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        results.append(await burst(f"{args.postgres.rpartition('/')[0]}/{name}", args.users))
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    for r in results:
        print(
            f"{r['backend']}: {r['users']} answers in {r['seconds']} s (target <= {r['target_seconds']} s), "
            f"exactly once: {r['exactly_once']}"
        )
    print(json.dumps({"answer_burst": results}))


if __name__ == "__main__":
    asyncio.run(main())

"""Data for bench/reports.py: one channel, N users, D daily posts, about N × D answers.

Each user answers a day with a probability of their own (most nearly every day), right
with a probability of their own. Deterministic for a seed. Answers are bulk-loaded (COPY on Postgres,
executemany on SQLite); each post is then closed through the real ledger so streaks are the real ones.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import asyncpg
from sqlalchemy.engine import make_url

from bot.quiz.bank import QuestionBank
from bot.storage.daily import DailyLedger
from bot.storage.database import Database
from bot.storage.refs import ChannelRef

CHANNEL = ChannelRef("bench", "W1", "C1", "bench")


def _answers(
    post_id: int,
    day: int,
    users: int,
    rng_seed: int,
    answer_of: list[float],
    right_of: list[float],
    at: datetime,
) -> Iterator[tuple[int, int, int, bool, datetime]]:
    rng = random.Random(rng_seed * 1_000_003 + day)
    for u in range(users):
        if rng.random() < answer_of[u]:
            right = rng.random() < right_of[u]
            yield (post_id, u + 1, 0 if right else 1, right, at + timedelta(seconds=rng.randrange(8 * 3600)))


async def generate(db: Database, bank: QuestionBank, users: int, days: int, seed: int = 7) -> dict[str, int]:
    """Fill an empty, migrated database. Returns counts."""
    rng = random.Random(seed)
    # Most people answer nearly every day (the scale: about 900,000 answers for 10,000 × 90).
    answer_of = [rng.choice([1.0, 0.99, 0.98, 0.95]) for _ in range(users)]
    right_of = [rng.uniform(0.4, 0.95) for _ in range(users)]
    start = date(2026, 9, 1)
    ledger = DailyLedger(db)
    now = datetime(2026, 9, 1, tzinfo=UTC)
    raw = make_url(db.url)
    total = 0
    user_rows = [("bench", f"U{u:06d}", f"user {u}", now) for u in range(users)]
    if db.dialect == "postgresql":
        connection = await asyncpg.connect(
            raw.set(drivername="postgresql").render_as_string(hide_password=False)
        )
        await connection.copy_records_to_table(
            "users", records=user_rows, columns=["platform", "external_id", "display_name", "created_at"]
        )
    else:
        connection = sqlite3.connect(raw.database)
        connection.executemany(
            "INSERT INTO users (platform, external_id, display_name, created_at) VALUES (?, ?, ?, ?)",
            [(p, e, n, t.replace(tzinfo=None)) for p, e, n, t in user_rows],
        )
        connection.commit()
    try:
        for day in range(days):
            local = start + timedelta(days=day)
            question = bank.questions[day % len(bank)]
            at = datetime.combine(local, datetime.min.time(), tzinfo=UTC)
            post = await ledger.claim(CHANNEL, local, question.id, at)
            assert post is not None
            rows = [
                (p, u, question.id, c, r, t)
                for p, u, c, r, t in _answers(post.id, day, users, seed, answer_of, right_of, at)
            ]
            total += len(rows)
            columns = ["post_id", "user_id", "question_id", "choice", "correct", "answered_at"]
            if isinstance(connection, sqlite3.Connection):
                connection.executemany(
                    f"INSERT INTO answers ({', '.join(columns)}) VALUES (?, ?, ?, ?, ?, ?)",
                    [(p, u, q, c, r, t.replace(tzinfo=None)) for p, u, q, c, r, t in rows],
                )
                connection.commit()
            else:
                await connection.copy_records_to_table("answers", records=rows, columns=columns)
            if day < days - 1:  # the last day stays open, as on a real Monday morning
                await ledger.close(post.id, at + timedelta(hours=8))
    finally:
        if isinstance(connection, sqlite3.Connection):
            connection.close()
        else:
            await connection.close()
    return {"users": users, "days": days, "answers": total}

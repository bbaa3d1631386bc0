"""What item analysis (bot/stats/items.py) reads: per question, the sums of each person's first answer
(daily and practice alike) and of that person's accuracy on their other questions. Ranked, paired
and added up in SQL, so the database returns one row per question however many answers there are."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Float, Integer, case, cast, func, select

from bot.stats.items import Moments
from bot.storage.database import Database
from bot.storage.models import Answer

DEADLINE = 60.0  # seconds: a command-line report over a large database, not a chat reply


async def question_moments(db: Database) -> tuple[dict[str, Moments], int]:
    """Each answered question's moments, and how many people answered anything."""
    rank = func.row_number().over(
        partition_by=(Answer.user_id, Answer.question_id), order_by=(Answer.answered_at, Answer.id)
    )
    ranked = select(
        Answer.user_id, Answer.question_id, cast(Answer.correct, Integer).label("x"), rank.label("rank")
    ).subquery()
    # Windows are computed after WHERE: each person's totals count first answers only.
    first = (
        select(
            ranked.c.question_id,
            ranked.c.x,
            func.count().over(partition_by=ranked.c.user_id).label("n"),
            func.sum(ranked.c.x).over(partition_by=ranked.c.user_id).label("c"),
        )
        .where(ranked.c.rank == 1)
        .subquery()
    )
    x = first.c.x
    y = cast(first.c.c - x, Float) / (first.c.n - 1)  # accuracy on the other questions

    def paired(value: ColumnElement[Any] | int) -> ColumnElement[Any]:
        return func.sum(case((first.c.n > 1, value), else_=0))

    query = select(
        first.c.question_id,
        func.count(),
        func.sum(x),
        paired(1),
        paired(x),
        paired(y),
        paired(x * y),
        paired(y * y),
    ).group_by(first.c.question_id)
    async with db.transaction(deadline=DEADLINE) as session:
        rows = await session.execute(query)
        moments = {
            str(qid): Moments(int(n), int(c or 0), int(m or 0), *(float(v or 0) for v in sums))
            for qid, n, c, m, *sums in rows
        }
        people = (await session.execute(select(func.count(func.distinct(Answer.user_id))))).scalar_one()
    return moments, int(people)

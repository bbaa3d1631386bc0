"""Group commit for daily answers: clicks that arrive together are written in one transaction.

A burst of a thousand clicks becomes a handful of transactions instead of a thousand, which is what
keeps SQLite (one writer at a time) and Postgres fast. Each click still gets its own result, and a
failed batch fails every click in it: nothing is ever half-written.

When the database fails, every click still learns its true outcome within a few seconds:
- a batch whose COMMIT went unanswered (the connection died mid-commit) may or may not be stored, so
  it is written again until the database answers; the retry recognises the batch's own answers, so
  a click reported as failed was never stored and a click reported as recorded is stored once;
- the clicks that queued behind a failed batch fail with it, unwritten: the database has just failed,
  and a second full wait would make their reply later than the user can be kept waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, tuple_

from bot.storage.database import Database, StorageUnavailable
from bot.storage.identities import insert_ignore
from bot.storage.models import OPEN, Answer, DailyPost, User, picks_column, picks_of
from bot.storage.refs import UserRef

MAX_BATCH = 500
SETTLE_SECONDS = 0.002  # wait this long for more clicks before writing a batch
RETRY_FOR = 8.0  # seconds from a batch's start during which an unanswered COMMIT is retried
RETRY_PAUSE = 0.25


@dataclass(frozen=True)
class Click:
    post_id: int
    user: UserRef
    picks: tuple[int, ...]  # one choice, or several for a multiple-response question; never none
    correct: bool
    at: datetime


@dataclass(frozen=True)
class ClickResult:
    """'recorded' (this click counts), 'repeat' (an earlier answer counts), 'closed' or 'unknown'."""

    status: str
    picks: tuple[int, ...]
    correct: bool


@dataclass
class AnswerBatcher:
    db: Database
    _queue: asyncio.Queue[tuple[Click, asyncio.Future[ClickResult]]] | None = field(default=None, init=False)
    _worker: asyncio.Task[None] | None = field(default=None, init=False)

    async def submit(self, click: Click) -> ClickResult:
        if self._queue is None or self._worker is None or self._worker.done():
            self._queue = asyncio.Queue()
            self._worker = asyncio.create_task(self._run(self._queue), name="answer-batcher")
        future: asyncio.Future[ClickResult] = asyncio.get_running_loop().create_future()
        await self._queue.put((click, future))
        return await future

    async def close(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
            self._worker = None

    async def _run(self, queue: asyncio.Queue[tuple[Click, asyncio.Future[ClickResult]]]) -> None:
        while True:
            batch = [await queue.get()]
            await asyncio.sleep(SETTLE_SECONDS)
            while not queue.empty() and len(batch) < MAX_BATCH:
                batch.append(queue.get_nowait())
            try:
                results = await self._settle([click for click, _ in batch])
            except Exception as exc:  # every click of a failed batch learns why; the worker lives on
                if isinstance(exc, StorageUnavailable):
                    while not queue.empty():  # queued behind the failure: failed with it, unwritten
                        batch.append(queue.get_nowait())
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)

    async def _settle(self, clicks: list[Click]) -> list[ClickResult]:
        """Write a batch; if its COMMIT went unanswered, write it again until the database answers."""
        loop = asyncio.get_running_loop()
        give_up = loop.time() + RETRY_FOR
        try:
            return await self._write(clicks)
        except StorageUnavailable as exc:
            if not exc.outcome_unknown:
                raise
            failure = exc
        while (left := give_up - loop.time()) > RETRY_PAUSE:
            await asyncio.sleep(RETRY_PAUSE)
            try:
                return await self._write(clicks, ours=True, deadline=left - RETRY_PAUSE)
            except StorageUnavailable as exc:
                failure = exc
        failure.outcome_unknown = True  # still unknown: the first attempt may have been stored
        raise failure

    async def _write(
        self, clicks: list[Click], ours: bool = False, deadline: float | None = None
    ) -> list[ClickResult]:
        """One transaction for the batch. `ours`: an earlier attempt may have stored it, so an answer
        already there with this click's choice and instant is taken as this click's own."""
        async with self.db.transaction(deadline) as session:
            post_ids = {c.post_id for c in clicks}
            posts: dict[int, tuple[str, str]] = {
                row.id: (row.status, row.question_id)
                for row in await session.execute(
                    select(DailyPost.id, DailyPost.status, DailyPost.question_id).where(
                        DailyPost.id.in_(post_ids)
                    )
                )
            }
            people = {(c.user.platform, c.user.external_id): c for c in clicks}
            await session.execute(
                insert_ignore(
                    session,
                    User.__table__,
                    [
                        {
                            "platform": p,
                            "external_id": e,
                            "display_name": c.user.display_name,
                            "created_at": c.at,
                        }
                        for (p, e), c in people.items()
                    ],
                )
            )
            ids = {
                (row.platform, row.external_id): row.id
                for row in await session.execute(
                    select(User.id, User.platform, User.external_id).where(
                        tuple_(User.platform, User.external_id).in_(list(people))
                    )
                )
            }
            fresh: dict[tuple[int, int], Click] = {}
            for click in clicks:
                key = (click.post_id, ids[(click.user.platform, click.user.external_id)])
                if click.post_id in posts and posts[click.post_id][0] in OPEN:
                    fresh.setdefault(key, click)  # within a batch too, the first click counts
            inserted: set[tuple[int, int]] = set()
            if fresh:
                rows = await session.execute(
                    insert_ignore(
                        session,
                        Answer.__table__,
                        [
                            {
                                "post_id": p,
                                "user_id": u,
                                "question_id": posts[p][1],
                                "choice": c.picks[0],
                                "choices": picks_column(c.picks),
                                "correct": c.correct,
                                "answered_at": c.at,
                            }
                            for (p, u), c in fresh.items()
                        ],
                    ).returning(Answer.post_id, Answer.user_id)
                )
                inserted = {(r.post_id, r.user_id) for r in rows}
            # Keys that were not inserted already had an answer: the first one counts, so read it.
            repeats = [k for k in fresh if k not in inserted]
            earlier: dict[tuple[int, int], tuple[tuple[int, ...], bool, datetime]] = {}
            if repeats:
                earlier = {
                    (r.post_id, r.user_id): (picks_of(r.choice, r.choices), bool(r.correct), r.answered_at)
                    for r in await session.execute(
                        select(
                            Answer.post_id,
                            Answer.user_id,
                            Answer.choice,
                            Answer.choices,
                            Answer.correct,
                            Answer.answered_at,
                        ).where(tuple_(Answer.post_id, Answer.user_id).in_(repeats))
                    )
                }
        results: list[ClickResult] = []
        for click in clicks:
            key = (click.post_id, ids[(click.user.platform, click.user.external_id)])
            status = posts[click.post_id][0] if click.post_id in posts else None
            if status is None:
                results.append(ClickResult("unknown", click.picks, click.correct))
            elif status not in OPEN:
                results.append(ClickResult("closed", click.picks, click.correct))
            elif key in inserted and fresh[key] is click:
                results.append(ClickResult("recorded", click.picks, click.correct))
            elif ours and fresh[key] is click and earlier.get(key) == (click.picks, click.correct, click.at):
                results.append(
                    ClickResult("recorded", click.picks, click.correct)
                )  # stored by the lost attempt
            else:
                first = fresh[key] if key in inserted else None
                picks, correct = (first.picks, first.correct) if first else earlier[key][:2]
                results.append(ClickResult("repeat", picks, bool(correct)))
        return results

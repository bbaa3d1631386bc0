"""Reports of problems with questions: one per person per question, the questions enough people
reported (out of the daily rotation until resolved), and since when each resolution stands."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, or_, select, update

from bot.clip import clip
from bot.quiz.config import Resolution
from bot.storage.database import Database
from bot.storage.identities import channel_id, insert_ignore, user_id
from bot.storage.models import Channel, QuestionReport, QuestionResolution, User, Workspace
from bot.storage.refs import ChannelRef, UserRef

REPORTERS_TO_WITHDRAW = 2  # distinct people whose reports take a question out of the daily rotation
REASON_LIMIT = 500  # what the column holds; the commands accept less


@dataclass(frozen=True)
class Report:
    """One person's report, as `dop-bot questions --flagged` shows it."""

    reporter: str  # 'platform:external id'
    where: str | None  # 'platform:workspace:channel'
    reason: str | None
    at: datetime
    counts: bool  # made after the question's `keep` resolution (or there is none)


@dataclass(frozen=True)
class FlaggedQuestion:
    question_id: str
    reports: tuple[Report, ...]  # oldest first
    resolution: str | None  # 'keep' or 'drop', as the bot last read content/quiz.yaml
    resolved_at: datetime | None

    @property
    def counted(self) -> int:
        """Reporters whose report still counts (all of them until a `keep` resolution)."""
        return sum(r.counts for r in self.reports)

    @property
    def withdrawn(self) -> bool:
        """Out of the daily rotation: reported by enough people since any `keep`."""
        return self.resolution != "drop" and self.counted >= REPORTERS_TO_WITHDRAW


def _counts() -> ColumnElement[bool]:
    """A report counts unless a `keep` resolution came after it."""
    return or_(
        QuestionResolution.question_id.is_(None),
        QuestionResolution.action != "keep",
        QuestionReport.updated_at > QuestionResolution.seen_at,
    )


def _joined_resolution() -> ColumnElement[bool]:
    return QuestionResolution.question_id == QuestionReport.question_id


@dataclass
class FlagStore:
    db: Database

    async def record(
        self, question_id: str, user: UserRef, channel: ChannelRef | None, reason: str | None, now: datetime
    ) -> bool:
        """Store a report; True if it is the person's first on this question, False if it replaced
        their earlier one (its reason and time: a report after a `keep` counts again)."""
        reason = clip(reason, REASON_LIMIT) if reason else None
        async with self.db.transaction() as session:
            uid = await user_id(session, user, now)
            cid = await channel_id(session, channel, now) if channel is not None else None
            values = {
                "question_id": question_id,
                "user_id": uid,
                "channel_id": cid,
                "reason": reason,
                "created_at": now,
                "updated_at": now,
            }
            inserted = await session.execute(
                insert_ignore(session, QuestionReport.__table__, values).returning(QuestionReport.id)
            )
            if inserted.scalar_one_or_none() is not None:
                return True
            await session.execute(
                update(QuestionReport)
                .where(QuestionReport.question_id == question_id, QuestionReport.user_id == uid)
                .values(reason=reason, channel_id=cid, updated_at=now)
            )
            return False

    async def withdrawn(self, threshold: int = REPORTERS_TO_WITHDRAW) -> set[str]:
        """Questions reported by `threshold` or more people since any `keep` resolution: one query."""
        async with self.db.transaction() as session:
            rows = await session.execute(
                select(QuestionReport.question_id)
                .outerjoin(QuestionResolution, _joined_resolution())
                .where(_counts())
                .group_by(QuestionReport.question_id)
                .having(func.count(func.distinct(QuestionReport.user_id)) >= threshold)
            )
            return set(rows.scalars())

    async def sync_resolutions(self, resolutions: Iterable[Resolution], now: datetime) -> None:
        """Remember since when each resolution of content/quiz.yaml stands: a new or changed line is
        dated now, an unchanged one keeps its date, and a line taken out of the file is forgotten (its
        question's reports count again)."""
        wanted = {r.question: r for r in resolutions}
        async with self.db.transaction() as session:
            stored = {
                row.question_id: row for row in (await session.execute(select(QuestionResolution))).scalars()
            }
            gone = [qid for qid in stored if qid not in wanted]
            if gone:
                await session.execute(
                    delete(QuestionResolution).where(QuestionResolution.question_id.in_(gone))
                )
            for qid, resolution in wanted.items():
                reason = clip(resolution.reason, REASON_LIMIT)
                row = stored.get(qid)
                if row is None:
                    values = {
                        "question_id": qid,
                        "action": resolution.action,
                        "reason": reason,
                        "seen_at": now,
                    }
                    # Replicas starting together: the first one dates it.
                    await session.execute(insert_ignore(session, QuestionResolution.__table__, values))
                elif (row.action, row.reason) != (resolution.action, reason):
                    row.action, row.reason, row.seen_at = resolution.action, reason, now

    async def flagged(self) -> list[FlaggedQuestion]:
        """Every reported question with its reports, most reporters first."""
        async with self.db.transaction() as session:
            rows = await session.execute(
                select(
                    QuestionReport.question_id,
                    User.platform,
                    User.external_id,
                    Workspace.external_id,
                    Channel.external_id,
                    QuestionReport.reason,
                    QuestionReport.updated_at,
                    QuestionResolution.action,
                    QuestionResolution.seen_at,
                    _counts().label("counts"),
                )
                .join(User, User.id == QuestionReport.user_id)
                .outerjoin(Channel, Channel.id == QuestionReport.channel_id)
                .outerjoin(Workspace, Workspace.id == Channel.workspace_id)
                .outerjoin(QuestionResolution, _joined_resolution())
                .order_by(QuestionReport.question_id, QuestionReport.updated_at, QuestionReport.id)
            )
            grouped: dict[str, list[Report]] = {}
            resolutions: dict[str, tuple[str | None, datetime | None]] = {}
            for qid, platform, ext, workspace, channel, reason, at, action, seen, counts in rows:
                where = f"{platform}:{workspace}:{channel}" if channel is not None else None
                grouped.setdefault(qid, []).append(
                    Report(f"{platform}:{ext}", where, reason, at, bool(counts))
                )
                resolutions[qid] = (action, seen)
        found = [FlaggedQuestion(qid, tuple(reports), *resolutions[qid]) for qid, reports in grouped.items()]
        return sorted(found, key=lambda f: (-f.counted, -len(f.reports), f.question_id))

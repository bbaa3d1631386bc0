"""The schema, as SQLAlchemy 2 typed models. Changes go through Alembic migrations only."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, MetaData, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.storage.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


OPEN = ("claimed", "posted")  # daily post statuses whose question can still be answered
PICKS_LENGTH = 32  # '0,1,…' for up to 8 choices of indices below 100


def picks_column(picks: tuple[int, ...]) -> str | None:
    """How an answer's choices are kept: NULL for one choice (the rows from before 0004 are all so)."""
    return ",".join(map(str, picks)) if len(picks) != 1 else None


def picks_of(choice: int, choices: str | None) -> tuple[int, ...]:
    """An answer's choices read back from its row, old or new."""
    return tuple(int(c) for c in choices.split(",") if c) if choices is not None else (choice,)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Workspace(Base):
    """A Slack workspace, a Discord server, or the local console."""

    __tablename__ = "workspaces"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Channel(Base):
    __tablename__ = "channels"
    __table_args__ = (UniqueConstraint("workspace_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Subscription(Base):
    """A channel's daily question schedule."""

    __tablename__ = "subscriptions"

    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True)
    post_time: Mapped[str] = mapped_column(String(5))  # HH:MM, local
    timezone: Mapped[str] = mapped_column(String(64))
    weekdays: Mapped[str] = mapped_column(String(32))  # 'mon,tue,wed,thu,fri'
    deck: Mapped[str] = mapped_column(String(64))
    reveal_delay_minutes: Mapped[int] = mapped_column(Integer)
    report_weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    report_time: Mapped[str] = mapped_column(String(5))
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class User(Base):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DailyPost(Base):
    """One channel's question of one local day; the unique pair is the claim that makes posting once."""

    __tablename__ = "daily_posts"
    __table_args__ = (UniqueConstraint("channel_id", "local_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)
    question_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # claimed, posted, failed, closed
    message_ref: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Answer(Base):
    """An answer to a daily post or to a practice question. One counted answer per user per post."""

    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("post_id", "user_id"),
        Index("ix_answers_user_id_answered_at", "user_id", "answered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("daily_posts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(64))
    choice: Mapped[int] = mapped_column(Integer)  # the (first) choice picked
    correct: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Every choice picked when more than one was ('1,3', a multiple-response answer); NULL: just `choice`.
    choices: Mapped[str | None] = mapped_column(String(PICKS_LENGTH))


class StreakState(Base):
    """A user's streaks in a channel as of the last closed post, updated when each post closes."""

    __tablename__ = "streaks"
    __table_args__ = (Index("ix_streaks_channel_id_current", "channel_id", "current"),)

    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    current: Mapped[int] = mapped_column(Integer, default=0)
    longest: Mapped[int] = mapped_column(Integer, default=0)
    current_correct: Mapped[int] = mapped_column(Integer, default=0)
    longest_correct: Mapped[int] = mapped_column(Integer, default=0)
    last_post_id: Mapped[int | None] = mapped_column(Integer)


class Card(Base):
    """A user's FSRS card for one question."""

    __tablename__ = "cards"
    __table_args__ = (Index("ix_cards_user_id_due", "user_id", "due"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    due: Mapped[datetime] = mapped_column(UTCDateTime())


class ReviewLog(Base):
    __tablename__ = "review_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(64))
    choice: Mapped[int] = mapped_column(Integer)
    correct: Mapped[bool] = mapped_column(Boolean)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    log: Mapped[dict[str, Any]] = mapped_column(JSON)
    choices: Mapped[str | None] = mapped_column(String(PICKS_LENGTH))  # as in `Answer`


class PendingPractice(Base):
    """The practice question a user has been shown and not yet answered."""

    __tablename__ = "pending_practice"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(64))


class ReportRun(Base):
    """A weekly report of a channel; the unique pair makes it once per channel per week."""

    __tablename__ = "report_runs"
    __table_args__ = (UniqueConstraint("channel_id", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    week: Mapped[str] = mapped_column(String(8))  # ISO week, '2026-W48'
    status: Mapped[str] = mapped_column(String(16))
    message_ref: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ProcessedEvent(Base):
    """Platform event ids already handled, so a retried delivery is not processed twice."""

    __tablename__ = "processed_events"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ExamSitting(Base):
    """One person's mock exam: the questions it asks, in order, and once finished what it scored."""

    __tablename__ = "exam_sittings"
    __table_args__ = (Index("ix_exam_sittings_user_id_finished_at", "user_id", "finished_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_ids: Mapped[list[str]] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    stopped: Mapped[bool] = mapped_column(Boolean, default=False)  # ended early with /dop exam stop
    right: Mapped[int | None] = mapped_column(Integer)
    answered: Mapped[int | None] = mapped_column(Integer)
    scaled: Mapped[int | None] = mapped_column(Integer)  # the estimate on the exam's scale


class ExamAnswer(Base):
    """An answer within a mock exam; one per position, so a second click changes nothing."""

    __tablename__ = "exam_answers"

    sitting_id: Mapped[int] = mapped_column(
        ForeignKey("exam_sittings.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[str] = mapped_column(String(64))
    choices: Mapped[str] = mapped_column(String(PICKS_LENGTH))  # '2', or '1,3' for multiple response
    correct: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())


class QuestionReport(Base):
    """Someone reported a problem with a question; one report per person per question (a second one
    replaces the reason and the time)."""

    __tablename__ = "question_reports"
    __table_args__ = (UniqueConstraint("question_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id", ondelete="SET NULL"))
    reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class QuestionResolution(Base):
    """A resolution of content/quiz.yaml as the bot first read it: reports older than a `keep` no
    longer count. The file is the source of truth; this remembers since when each line stands."""

    __tablename__ = "question_resolutions"

    question_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    action: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(String(500))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime())

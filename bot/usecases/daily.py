"""Answering a channel's daily question: the first click counts, the person gets private feedback."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.clock import Clock
from bot.commands import MAX_CHOICE, MAX_ID, parse_number
from bot.i18n import Messages
from bot.quiz.bank import QuestionBank
from bot.quiz.model import Question
from bot.replies import Reply, ReplyKind
from bot.storage.daily import DailyLedger
from bot.storage.refs import UserRef

_VALUE = "daily:{post}:{index}:{question}"  # the question id guards against a stale button


def daily_value(post_id: int, index: int, question_id: str) -> str:
    """The value a daily question's button carries back: which post, which choice, which question."""
    return _VALUE.format(post=post_id, index=index, question=question_id)


def parse_daily_value(value: str) -> tuple[int, int, str | None] | None:
    """'daily:<post id>:<index>[:<question id>]' from a daily question's button, or None.

    Anyone can type one, so the numbers are held to what the database and a question can hold.
    """
    parts = value.split(":")
    if len(parts) not in (3, 4) or parts[0] != "daily":
        return None
    post_id, index = parse_number(parts[1], MAX_ID), parse_number(parts[2], MAX_CHOICE)
    if post_id is None or index is None:
        return None
    return post_id, index, parts[3] if len(parts) == 4 else None


class AnswerStatus(StrEnum):
    RECORDED = "recorded"
    ALREADY_ANSWERED = "already_answered"  # a second click: the first answer stands
    CLOSED = "closed"  # too late: the results are out
    UNKNOWN = "unknown"  # no such post, or its question left the bank


@dataclass(frozen=True)
class DailyAnswer:
    status: AnswerStatus
    question: Question | None = None
    choice: int | None = None
    correct: bool = False


@dataclass
class DailyAnswerService:
    ledger: DailyLedger
    bank: QuestionBank
    clock: Clock

    async def answer(
        self, post_id: int, user: UserRef, choice: int, expected_question: str | None = None
    ) -> DailyAnswer:
        """Record a click. Each call is one transaction: nothing is half-written if the database fails.

        A button names its question too; one that no longer matches its post is refused.
        """
        question_id = await self.ledger.question_of(post_id)
        question = self.bank.get(question_id) if question_id else None
        stale = expected_question is not None and expected_question != question_id
        if question is None or stale or not 0 <= choice < len(question.choices):
            return DailyAnswer(AnswerStatus.UNKNOWN)
        record = await self.ledger.record_answer(
            post_id, user, choice, choice == question.answer, self.clock.now()
        )
        if record is None:
            return DailyAnswer(AnswerStatus.UNKNOWN)
        if record.closed:
            return DailyAnswer(AnswerStatus.CLOSED, question)
        status = AnswerStatus.RECORDED if record.recorded else AnswerStatus.ALREADY_ANSWERED
        return DailyAnswer(status, question, record.choice, record.correct)


def feedback_reply(outcome: DailyAnswer, messages: Messages) -> Reply:
    """The private answer to the person who clicked: right or wrong with the explanation, or why not."""
    question = outcome.question
    if outcome.status is AnswerStatus.UNKNOWN or question is None:
        return Reply(body=messages("daily.unknown"), kind=ReplyKind.PROBLEM)
    answer = messages("quiz.the_answer", number=question.answer + 1, choice=question.correct_choice)
    if outcome.status is AnswerStatus.CLOSED:
        return Reply(body=f"{messages('daily.closed')}\n{answer}", kind=ReplyKind.PROBLEM)
    chosen = outcome.choice if outcome.choice is not None else 0
    if outcome.status is AnswerStatus.ALREADY_ANSWERED:
        first = messages("daily.already", number=chosen + 1, choice=question.choices[chosen])
        return Reply(body=first, kind=ReplyKind.INFO)
    verdict = messages("quiz.correct" if outcome.correct else "quiz.wrong")
    return Reply(
        title=verdict,
        body=f"{answer}\n\n{question.explanation}",
        kind=ReplyKind.ANSWER,
        note_id=question.source.id,
    )

"""Answering a channel's daily question: the first click counts, the person gets private feedback."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.clock import Clock
from bot.commands import MAX_ID, parse_number, parse_picks
from bot.i18n import Messages
from bot.quiz.bank import QuestionBank
from bot.quiz.model import Question
from bot.replies import Reply, ReplyKind
from bot.storage.daily import DailyLedger
from bot.storage.refs import UserRef
from bot.usecases.choices import answer_line, feedback, miscounted, numbered
from bot.usecases.flags import flag_choice

_VALUE = "daily:{post}:{index}:{question}"  # the question id guards against a stale button


def daily_value(post_id: int, index: int | str, question_id: str) -> str:
    """The value a daily question's button carries back: which post, which choice, which question.

    A multiple-response question's value has `PICKS_SLOT` for the choices, filled in when sent.
    """
    return _VALUE.format(post=post_id, index=index, question=question_id)


def parse_daily_value(value: str) -> tuple[int, tuple[int, ...], str | None] | None:
    """'daily:<post id>:<choices>[:<question id>]' from a daily question's button or menu, or None;
    the choices are one index or several ('1+3', `parse_picks`).

    Anyone can type one, so the numbers are held to what the database and a question can hold.
    """
    parts = value.split(":")
    if len(parts) not in (3, 4) or parts[0] != "daily":
        return None
    post_id, picks = parse_number(parts[1], MAX_ID), parse_picks(parts[2])
    if post_id is None or picks is None:
        return None
    return post_id, picks, parts[3] if len(parts) == 4 else None


class AnswerStatus(StrEnum):
    RECORDED = "recorded"
    ALREADY_ANSWERED = "already_answered"  # a second click: the first answer stands
    CLOSED = "closed"  # too late: the results are out
    UNKNOWN = "unknown"  # no such post, or its question left the bank
    MISCOUNTED = "miscounted"  # not as many choices as the question takes: nothing recorded


@dataclass(frozen=True)
class DailyAnswer:
    status: AnswerStatus
    question: Question | None = None
    picks: tuple[int, ...] = ()  # the answer that counts (the first one, for a repeat)
    correct: bool = False

    @property
    def choice(self) -> int | None:
        return self.picks[0] if self.picks else None


@dataclass
class DailyAnswerService:
    ledger: DailyLedger
    bank: QuestionBank
    clock: Clock

    async def answer(
        self,
        post_id: int,
        user: UserRef,
        choice: int | tuple[int, ...],
        expected_question: str | None = None,
    ) -> DailyAnswer:
        """Record a click or a submitted set of choices. Each call is one transaction: nothing is
        half-written if the database fails.

        A button names its question too; one that no longer matches its post is refused, and so is an
        answer with another number of choices than the question takes (it may be sent again).
        """
        picks = (choice,) if isinstance(choice, int) else tuple(sorted(set(choice)))
        question_id = await self.ledger.question_of(post_id)
        question = self.bank.get(question_id) if question_id else None
        stale = expected_question is not None and expected_question != question_id
        if question is None or stale or not all(0 <= pick < len(question.choices) for pick in picks):
            return DailyAnswer(AnswerStatus.UNKNOWN)
        if len(picks) != len(question.answers):
            return DailyAnswer(AnswerStatus.MISCOUNTED, question, picks)
        grade = question.grade(picks)
        record = await self.ledger.record_answer(post_id, user, picks, grade.correct, self.clock.now())
        if record is None:
            return DailyAnswer(AnswerStatus.UNKNOWN)
        if record.closed:
            return DailyAnswer(AnswerStatus.CLOSED, question)
        status = AnswerStatus.RECORDED if record.recorded else AnswerStatus.ALREADY_ANSWERED
        return DailyAnswer(status, question, record.picks, record.correct)


def feedback_reply(outcome: DailyAnswer, messages: Messages) -> Reply:
    """The private answer to the person who clicked: right or wrong with the explanation (and why the
    choices picked and the right ones are so), or why not."""
    question = outcome.question
    if outcome.status is AnswerStatus.UNKNOWN or question is None:
        return Reply(body=messages("daily.unknown"), kind=ReplyKind.PROBLEM)
    if outcome.status is AnswerStatus.MISCOUNTED:
        return miscounted(question, messages, len(outcome.picks))
    if outcome.status is AnswerStatus.CLOSED:
        return Reply(
            body=f"{messages('daily.closed')}\n{answer_line(question, messages)}", kind=ReplyKind.PROBLEM
        )
    if outcome.status is AnswerStatus.ALREADY_ANSWERED:
        first = messages("daily.already", picks=numbered(question, outcome.picks))
        return Reply(body=first, kind=ReplyKind.INFO)
    verdict, body, notes = feedback(question, question.grade(outcome.picks), messages)
    return Reply(
        title=verdict,
        body=body,
        fields=notes,
        kind=ReplyKind.ANSWER,
        note_id=question.source.id,
        flag=flag_choice(question.id, messages),
    )

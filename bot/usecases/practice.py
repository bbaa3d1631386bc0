"""Replies for personal practice: `/dop quiz [scope]`, `/dop review` and `/dop answer N`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from rapidfuzz import fuzz, process

from bot.commands import parse_picks, parse_typed_picks
from bot.dispatcher import Handler, Requester
from bot.i18n import Messages
from bot.quiz.bank import QuestionBank
from bot.quiz.model import Question, QuestionKind
from bot.quiz.practice import PracticeResult, PracticeService
from bot.replies import PICKS_SLOT, Choice, Field, Reply, ReplyKind
from bot.search import SearchEngine
from bot.search.text import normalize
from bot.usecases.choices import asked, feedback, miscounted, picks_for
from bot.usecases.daily import parse_daily_value
from bot.usecases.exam import parse_exam_value
from bot.usecases.flags import flag_choice
from bot.usecases.stats import user_of

CHOICE_VALUE = "practice:{question}:{index}"


_NAMES_SERVICE = (QuestionKind.SERVICE, QuestionKind.FEATURE)


def question_reply(question: Question, messages: Messages) -> Reply:
    """A question with one choice per button (numbered for the console); the choices of a
    multiple-response question are ticked and sent together instead (`Reply.picks`)."""
    return Reply(
        # A which-service question must not name its service in the title.
        title=messages(
            "quiz.title", service=question.category if question.kind in _NAMES_SERVICE else question.service
        ),
        body=asked(question, messages),
        choices=tuple(
            Choice(label=text, value=CHOICE_VALUE.format(question=question.id, index=i))
            for i, text in enumerate(question.choices)
        ),
        picks=picks_for(question, CHOICE_VALUE.format(question=question.id, index=PICKS_SLOT), messages),
        footer=messages("quiz.pick_many", count=len(question.answers))
        if question.multiple
        else messages("quiz.pick"),
        kind=ReplyKind.INFO,
        flag=flag_choice(question.id, messages),
    )


def result_reply(result: PracticeResult, messages: Messages) -> Reply:
    question = result.question
    verdict, body, notes = feedback(question, result.grade, messages)
    return Reply(
        title=verdict,
        body=body,
        fields=notes,
        footer=messages("quiz.next_review", when=format_time(result.next_due)),
        kind=ReplyKind.ANSWER,
        note_id=question.source.id,
        flag=flag_choice(question.id, messages),
    )


def format_time(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M UTC")


def parse_choice_value(value: str) -> tuple[str, tuple[int, ...]] | None:
    """'practice:<question id>:<choices>' from a button or menu (one index, or several: '1+3'), or None."""
    kind, _, rest = value.partition(":")
    question_id, _, index = rest.rpartition(":")
    picks = parse_picks(index)
    if kind != "practice" or not question_id or picks is None:
        return None
    return question_id, picks


DailyAnswerer = Callable[[Requester, int, tuple[int, ...], str | None, Messages], Awaitable[Reply]]
ExamAnswerer = Callable[[Requester, int, int, tuple[int, ...], Messages], Awaitable[list[Reply]]]


def practice_handlers(
    practice: PracticeService,
    engine: SearchEngine,
    daily: DailyAnswerer | None = None,
    exam: ExamAnswerer | None = None,
) -> dict[str, Handler]:
    """The quiz, review and answer subcommands, bound to one practice service."""

    async def quiz(requester: Requester, args: str, messages: Messages) -> list[Reply]:
        scope = resolve_scope(practice.bank, engine, args)
        if scope is None:
            categories = sorted({q.category for q in practice.bank.questions if q.category})
            return [
                Reply(
                    body=messages("quiz.unknown_scope", scope=args.strip()[:80]),
                    fields=(Field(messages("quiz.scopes"), "\n".join(categories)),),
                    kind=ReplyKind.PROBLEM,
                )
            ]
        question = await practice.next_question(user_of(requester).key, scope)
        if question is None:
            return [Reply(body=messages("quiz.empty"), kind=ReplyKind.PROBLEM)]
        return [question_reply(question, messages)]

    async def review(requester: Requester, args: str, messages: Messages) -> list[Reply]:
        user = user_of(requester).key  # practice state is per person per platform
        question = await practice.due_question(user)
        if question is not None:
            return [question_reply(question, messages)]
        upcoming = await practice.next_due(user)
        if upcoming is None:
            return [Reply(body=messages("review.none_yet"))]
        return [
            Reply(
                body=messages("review.nothing_due"),
                footer=messages("review.next_due", when=format_time(upcoming)),
            )
        ]

    async def answer(requester: Requester, args: str, messages: Messages) -> list[Reply]:
        user = user_of(requester).key  # practice state is per person per platform
        words = args.split()
        button = parse_daily_value(words[0]) if len(words) == 1 else None
        if button is not None and daily is not None:
            return [await daily(requester, button[0], button[1], button[2], messages)]
        sitting = parse_exam_value(words[0]) if len(words) == 1 and exam is not None else None
        if sitting is not None and exam is not None:
            return await exam(requester, *sitting, messages)
        explicit = parse_choice_value(words[0]) if len(words) == 1 else None
        if explicit is not None:
            question_id, picks = explicit
            pending_now = await practice.pending(user)
            if pending_now is None or pending_now.id != question_id:
                # A second click on a question already answered: the first answer stands.
                return [Reply(body=messages("quiz.already_answered"), kind=ReplyKind.INFO)]
        elif words and words[0].startswith(("daily:", "practice:", "exam:")):  # a value, mangled or made up
            key = {"daily": "daily.unknown", "exam": "exam.not_open"}.get(
                words[0].split(":", 1)[0], "quiz.unknown_question"
            )
            return [Reply(body=messages(key), kind=ReplyKind.PROBLEM)]
        else:
            pending = await practice.pending(user)
            if pending is None:
                return [Reply(body=messages("quiz.no_pending"), kind=ReplyKind.PROBLEM)]
            typed = parse_typed_picks(args, len(pending.choices))
            if typed is None or len(typed) != len(pending.answers):
                return [miscounted(pending, messages)]
            question_id, picks = pending.id, typed
        question = practice.bank.get(question_id)
        if question is None or not all(0 <= pick < len(question.choices) for pick in picks):
            return [Reply(body=messages("quiz.unknown_question"), kind=ReplyKind.PROBLEM)]
        if len(picks) != len(question.answers):
            return [miscounted(question, messages, len(picks))]
        return [result_reply(await practice.answer(user, question_id, picks), messages)]

    return {"quiz": quiz, "review": review, "answer": answer}


def resolve_scope(bank: QuestionBank, engine: SearchEngine, text: str) -> list[Question] | None:
    """All questions, or those of the services or the category the text names; None if it names none."""
    text = text.strip()
    if not text:
        return list(bank.questions)
    headings = engine.reader.read(text).headings
    by_service = [q for q in bank.questions if normalize(q.service) in headings]
    if by_service:
        return by_service
    categories = sorted({q.category for q in bank.questions if q.category})
    match = process.extractOne(text, categories, scorer=fuzz.WRatio, score_cutoff=80)
    if match is None:
        return None
    return [q for q in bank.questions if q.category == match[0]]

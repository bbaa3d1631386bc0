"""The channel messages the schedule sends: the daily question, its reveal, and schedule summaries."""

from __future__ import annotations

from datetime import datetime

from bot.i18n import Messages
from bot.quiz.model import Question
from bot.replies import PICKS_SLOT, Choice, Field, Reply, ReplyKind
from bot.stats.calendar import WEEKDAYS
from bot.stats.schedule import Schedule
from bot.storage.daily import PostResults
from bot.usecases.choices import answer_line, asked, choice_notes, explained, picks_for
from bot.usecases.daily import daily_value
from bot.usecases.flags import flag_choice
from bot.usecases.reports import percent

WHO_LIMIT = 30


def daily_question(
    question: Question, post_id: int, reveal_at: datetime, schedule: Schedule, messages: Messages
) -> Reply:
    """The channel's question with one button per choice (the value carries the post and choice), or
    for a multiple-response question the choices to tick and send together (`Reply.picks`)."""
    local = reveal_at.astimezone(schedule.zone).strftime("%H:%M")
    footer = (
        messages("daily.footer_picks", count=len(question.answers), reveal=local)
        if question.multiple
        else messages("daily.footer", reveal=local)
    )
    return Reply(
        title=messages("daily.title", category=question.category),
        body=asked(question, messages),
        choices=tuple(
            Choice(label=text, value=daily_value(post_id, i, question.id))
            for i, text in enumerate(question.choices)
        ),
        picks=picks_for(question, daily_value(post_id, PICKS_SLOT, question.id), messages),
        footer=footer,
        private=False,
        flag=flag_choice(question.id, messages),
    )


def reveal(question: Question, results: PostResults, messages: Messages) -> Reply:
    """The edited question: how many picked each choice (the right ones marked), how many got it right,
    the answer and explanation, why the choices picked and the right ones are so, who answered; no
    buttons."""
    total, right = len(results.answerers), results.right
    lines = [
        f"{'✅' if i in question.answers else '・'} {i + 1}. {choice} — {results.counts.get(i, 0)}"
        for i, choice in enumerate(question.choices)
    ]
    names = [f"{name}{' ⭕' if correct else ''}" for name, _, correct in results.answerers[:WHO_LIMIT]]
    if len(results.answerers) > WHO_LIMIT:
        names.append(f"+{len(results.answerers) - WHO_LIMIT}")
    picked = [i for i, count in results.counts.items() if count]
    tally = messages("daily.results", count=total, right=right, accuracy=percent(right, total))
    return Reply(
        title=messages("daily.reveal_title", category=question.category),
        body=f"{asked(question, messages)}\n\n{tally}",
        fields=(
            Field(messages("daily.distribution"), "\n".join(lines)),
            Field(answer_line(question, messages), explained(question, messages)),
            *choice_notes(question, (*question.answers, *picked), messages),
            Field(messages("daily.who"), ", ".join(names) or messages("daily.nobody")),
        ),
        kind=ReplyKind.ANSWER,
        private=False,
        note_id=question.source.id,
        revealed_answers=question.answers,
        flag=flag_choice(question.id, messages),
    )


def summary(schedule: Schedule, messages: Messages) -> str:
    hours, minutes = divmod(schedule.reveal_minutes, 60)
    return messages(
        "schedule.summary",
        time=schedule.post_time.strftime("%H:%M"),
        zone=schedule.timezone,
        days=",".join(schedule.weekdays),
        reveal=f"{hours}h{minutes:02d}" if minutes else f"{hours}h",
        report_day=WEEKDAYS[schedule.report_weekday],
        report_time=schedule.report_time.strftime("%H:%M"),
    )

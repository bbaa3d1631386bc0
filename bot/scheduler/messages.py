"""The channel messages the schedule sends: the daily question, its reveal, and schedule summaries."""

from __future__ import annotations

from datetime import datetime

from bot.i18n import Messages
from bot.quiz.model import Question
from bot.replies import Choice, Field, Reply, ReplyKind
from bot.stats.calendar import WEEKDAYS
from bot.stats.schedule import Schedule
from bot.storage.daily import PostResults
from bot.usecases.daily import daily_value
from bot.usecases.reports import percent

WHO_LIMIT = 30


def daily_question(
    question: Question, post_id: int, reveal_at: datetime, schedule: Schedule, messages: Messages
) -> Reply:
    """The channel's question with one button per choice (the value carries the post and choice)."""
    local = reveal_at.astimezone(schedule.zone)
    return Reply(
        title=messages("daily.title", category=question.category),
        body=question.prompt,
        choices=tuple(
            Choice(label=text, value=daily_value(post_id, i, question.id))
            for i, text in enumerate(question.choices)
        ),
        footer=messages("daily.footer", reveal=local.strftime("%H:%M")),
        private=False,
    )


def reveal(question: Question, results: PostResults, messages: Messages) -> Reply:
    """The edited question: answer distribution, the answer, the explanation, who answered; no buttons."""
    total = sum(results.counts.values())
    right = results.counts.get(question.answer, 0)
    lines = [
        f"{'✅' if i == question.answer else '・'} {i + 1}. {choice} — {results.counts.get(i, 0)}"
        for i, choice in enumerate(question.choices)
    ]
    names = [f"{name}{' ⭕' if correct else ''}" for name, _, correct in results.answerers[:WHO_LIMIT]]
    if len(results.answerers) > WHO_LIMIT:
        names.append(f"+{len(results.answerers) - WHO_LIMIT}")
    return Reply(
        title=messages("daily.reveal_title", category=question.category),
        body=f"{question.prompt}\n\n{messages('daily.results', count=total, accuracy=percent(right, total))}",
        fields=(
            Field(messages("daily.distribution"), "\n".join(lines)),
            Field(
                messages("quiz.the_answer", number=question.answer + 1, choice=question.correct_choice),
                question.explanation,
            ),
            Field(messages("daily.who"), ", ".join(names) or messages("daily.nobody")),
        ),
        kind=ReplyKind.ANSWER,
        private=False,
        note_id=question.source.id,
        revealed_answer=question.answer,
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

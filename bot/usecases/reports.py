"""Replies for /dop stats and the weekly report, built from storage aggregates (pure)."""

from __future__ import annotations

import threading
from collections import defaultdict

from bot.i18n import Messages
from bot.quiz.bank import QuestionBank
from bot.replies import Attachment, Field, Reply
from bot.stats.chart import accuracy_chart
from bot.stats.streaks import Streaks
from bot.storage.stats import StreakHolder, UserSummary, WeekData

WEAKEST = 3
MIN_ANSWERS_TO_JUDGE = 2


def percent(correct: int, answers: int) -> str:
    return f"{round(100 * correct / answers)}%" if answers else "-"


def weakest_services(summary: UserSummary, bank: QuestionBank) -> list[tuple[str, int, int]]:
    """Services with the lowest accuracy (at least two answers), worst first: (service, right, total)."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for question_id, counts in summary.by_question.items():
        question = bank.get(question_id)
        if question is not None and question.service:
            totals[question.service][0] += counts.correct
            totals[question.service][1] += counts.answers
    judged = [(s, c, n) for s, (c, n) in totals.items() if n >= MIN_ANSWERS_TO_JUDGE]
    return sorted(judged, key=lambda row: (row[1] / row[2], -row[2], row[0]))[:WEAKEST]


def stats_reply(
    name: str, streaks: Streaks, summary: UserSummary, due: int, bank: QuestionBank, messages: Messages
) -> Reply:
    def accuracy(totals: object) -> str:
        answers, correct = totals.answers, totals.correct  # type: ignore[attr-defined]
        if not answers:
            return messages("stats.none")
        return messages("stats.accuracy_value", answers=answers, accuracy=percent(correct, answers))

    weakest = weakest_services(summary, bank)
    weak_text = "\n".join(f"{s}: {percent(c, n)} ({c}/{n})" for s, c, n in weakest) or messages(
        "stats.weakest_none"
    )
    return Reply(
        title=messages("stats.title", name=name),
        body="",
        fields=(
            Field(
                messages("stats.streak"),
                messages("stats.streak_value", current=streaks.current, longest=streaks.longest),
            ),
            Field(
                messages("stats.correct_streak"),
                messages(
                    "stats.correct_value", current=streaks.current_correct, longest=streaks.longest_correct
                ),
            ),
            Field(messages("stats.overall"), accuracy(summary.overall)),
            Field(messages("stats.recent"), accuracy(summary.last_7_days)),
            Field(messages("stats.weakest"), weak_text),
            Field(messages("stats.due"), messages("stats.due_value", count=due)),
        ),
    )


def weekly_report(
    this: WeekData,
    last: WeekData,
    top: list[StreakHolder],
    at_risk: list[StreakHolder],
    bank: QuestionBank,
    messages: Messages,
) -> Reply:
    """Participants, answers and accuracy against last week, top streaks, the most missed questions and
    a nudge for streaks at risk (the chart is `report_chart`, drawn apart since it is slow)."""
    title = messages("report.title", week=this.week)
    if not this.days:
        return Reply(title=title, body=messages("report.empty"), private=False)
    body = [
        messages(
            "report.summary",
            participants=this.participants,
            answers=this.answers,
            accuracy=percent(this.correct, this.answers),
            last_answers=last.answers,
            last_accuracy=percent(last.correct, last.answers),
        )
    ]
    if this.answers and last.answers:
        delta = round(100 * this.correct / this.answers - 100 * last.correct / last.answers)
        key = "report.change_up" if delta > 0 else "report.change_down" if delta < 0 else "report.change_same"
        body.append(messages(key, points=abs(delta)))
    fields: list[Field] = []
    if top:
        lines = [
            messages("report.streak_line", rank=i, name=h.name, current=h.current)
            for i, h in enumerate(top, 1)
        ]
        fields.append(Field(messages("report.top_streaks"), "\n".join(lines)))
    missed = sorted((d for d in this.days if d.answers), key=lambda d: (d.correct / d.answers, d.local_date))[
        :3
    ]
    if missed:
        lines = []
        for day in missed:
            question = bank.get(day.question_id)
            service = question.service if question else day.question_id
            lines.append(
                messages(
                    "report.missed_line",
                    service=service,
                    accuracy=percent(day.correct, day.answers),
                    date=day.local_date.isoformat(),
                )
            )
        fields.append(Field(messages("report.most_missed"), "\n".join(lines)))
    if at_risk:
        names = ", ".join(messages("report.at_risk_line", name=h.name, current=h.current) for h in at_risk)
        fields.append(Field(messages("report.at_risk"), names))
    return Reply(title=title, body="\n".join(body), fields=tuple(fields), private=False)


_PYPLOT = threading.Lock()  # pyplot keeps global state: one chart at a time, whichever thread draws it


def report_chart(week: WeekData, bank: QuestionBank, messages: Messages) -> Attachment:
    """The week's PNG: accuracy by day and by category. Safe to call from a worker thread."""
    with _PYPLOT:
        return Attachment(f"dop-report-{week.week}.png", _chart(week, bank, messages))


def _chart(week: WeekData, bank: QuestionBank, messages: Messages) -> bytes:
    names = messages("weekday.names").split(",")
    by_day = [
        (
            f"{d.local_date:%m/%d}({names[d.local_date.weekday()]})",
            d.correct / d.answers if d.answers else 0.0,
        )
        for d in week.days
    ]
    categories: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for day in week.days:
        question = bank.get(day.question_id)
        category = question.category if question else "?"
        categories[category][0] += day.correct
        categories[category][1] += day.answers
    by_category = [(c, right / total if total else 0.0) for c, (right, total) in sorted(categories.items())]
    return accuracy_chart(
        messages("report.chart_title", week=week.week),
        by_day,
        by_category,
        messages("report.by_day"),
        messages("report.by_category"),
    )

"""Replies for /dop stats and the weekly report, built from storage aggregates (pure)."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Mapping, Sequence

from bot.clip import clip
from bot.i18n import Messages
from bot.quiz.bank import QuestionBank
from bot.quiz.readiness import TARGET, Readiness
from bot.replies import Attachment, Field, Reply
from bot.stats.chart import accuracy_chart, mastery_chart
from bot.stats.streaks import Streaks
from bot.storage.exams import FinishedSitting
from bot.storage.stats import StreakHolder, UserSummary, WeekData

WEAKEST = 3
MIN_ANSWERS_TO_JUDGE = 2
MIN_WEEK_ANSWERS = 3  # a domain's week is judged on at least this many answers
HARDEST_MIN_ANSWERS = 3  # the week's hardest question is named only among posts this many answered


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


def bar(share: float, width: int = 10) -> str:
    """A share 0..1 as a bar of blocks that reads in any message: ■■■■■■□□□□."""
    filled = max(0, min(width, round(share * width)))
    return "■" * filled + "□" * (width - filled)


def readiness_fields(readiness: Readiness, names: Mapping[str, str], messages: Messages) -> tuple[Field, ...]:
    """Mastery and coverage per domain, the exam-weighted readiness, and what the figures mean."""
    lines = [
        messages(
            "stats.domain_line",
            bar=bar(d.mastery),
            name=names.get(d.code, d.code),
            mastery=f"{round(100 * d.mastery)}%",
            seen=d.seen,
            total=d.total,
        )
        for d in readiness.domains
    ]
    lines.append(messages("stats.readiness_value", readiness=f"{round(100 * readiness.readiness)}%"))
    return (
        Field(messages("stats.readiness"), "\n".join(lines)),
        Field(messages("stats.readiness_help_title"), messages("stats.readiness_help")),
    )


def readiness_chart(
    title: str, readiness: Readiness, names: Mapping[str, str], messages: Messages
) -> Attachment:
    """Mastery as a bar per domain with the 75% line. Safe to call from a worker thread."""
    rows = [(names.get(d.code, d.code), d.mastery) for d in readiness.domains]
    with _PYPLOT:
        picture = mastery_chart(title, rows, TARGET, messages("stats.chart_target"))
    return Attachment("dop-readiness.png", picture)


def stats_reply(
    name: str,
    streaks: Streaks,
    summary: UserSummary,
    due: int,
    bank: QuestionBank,
    messages: Messages,
    readiness: Readiness | None = None,
    names: Mapping[str, str] | None = None,
    exams: Sequence[FinishedSitting] = (),
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
            *(readiness_fields(readiness, names or {}, messages) if readiness is not None else ()),
            *((exams_field(exams, messages),) if exams else ()),
        ),
    )


def exams_field(exams: Sequence[FinishedSitting], messages: Messages) -> Field:
    """The latest mock exams: when, how many right of those answered, the estimate."""
    lines = [
        messages(
            "stats.exam_line",
            date=f"{sitting.finished_at:%Y-%m-%d}",
            right=sitting.right,
            answered=sitting.answered,
            scaled=sitting.scaled,
            stopped=messages("stats.exam_stopped") if sitting.stopped else "",
        )
        for sitting in exams
    ]
    return Field(messages("stats.exams"), "\n".join(lines))


def weakest_domain(week: WeekData, bank: QuestionBank) -> tuple[str, int, int] | None:
    """The exam domain with the lowest accuracy among the week's posts (at least MIN_WEEK_ANSWERS
    answers): (code, right, answers)."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for day in week.days:
        question = bank.get(day.question_id)
        if question is not None and question.on_exam:
            totals[question.domains[0]][0] += day.correct
            totals[question.domains[0]][1] += day.answers
    judged = [(d, c, n) for d, (c, n) in totals.items() if n >= MIN_WEEK_ANSWERS]
    return min(judged, key=lambda row: (row[1] / row[2], -row[2], row[0])) if judged else None


def team_mastery_field(team: Sequence[Readiness], names: Mapping[str, str], messages: Messages) -> Field:
    """The mean mastery per domain of the people given."""
    lines = []
    for index, domain in enumerate(team[0].domains):
        mean = sum(person.domains[index].mastery for person in team) / len(team)
        lines.append(
            messages(
                "report.team_line",
                bar=bar(mean),
                name=names.get(domain.code, domain.code),
                mastery=f"{round(100 * mean)}%",
            )
        )
    return Field(messages("report.team_mastery"), "\n".join(lines))


def weekly_report(
    this: WeekData,
    last: WeekData,
    top: list[StreakHolder],
    at_risk: list[StreakHolder],
    bank: QuestionBank,
    messages: Messages,
    team: Sequence[Readiness] = (),
    names: Mapping[str, str] | None = None,
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
    hardest = hardest_question(this, bank, messages)
    if hardest:
        body.append(hardest)
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
        people = ", ".join(messages("report.at_risk_line", name=h.name, current=h.current) for h in at_risk)
        fields.append(Field(messages("report.at_risk"), people))
    if team:
        fields.append(team_mastery_field(team, names or {}, messages))
    weakest = weakest_domain(this, bank)
    if weakest is not None:
        code, right, answers = weakest
        body.append(
            messages(
                "report.weakest_domain", name=(names or {}).get(code, code), accuracy=percent(right, answers)
            )
        )
    return Reply(title=title, body="\n".join(body), fields=tuple(fields), private=False)


def hardest_question(week: WeekData, bank: QuestionBank, messages: Messages) -> str | None:
    """One line naming the week's post with the lowest share correct, among those with at least
    HARDEST_MIN_ANSWERS answers (the earliest on a tie), or None."""
    judged = [d for d in week.days if d.answers >= HARDEST_MIN_ANSWERS and bank.get(d.question_id)]
    if not judged:
        return None
    day = min(judged, key=lambda d: (d.correct / d.answers, d.local_date))
    question = bank.get(day.question_id)
    assert question is not None
    return messages(
        "report.hardest",
        prompt=clip(" ".join(question.prompt.split()), 80),
        accuracy=percent(day.correct, day.answers),
        answers=day.answers,
    )


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

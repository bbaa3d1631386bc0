"""The stats and report subcommands."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field, replace
from datetime import timedelta

from bot.clock import Clock
from bot.dispatcher import Handler, Requester
from bot.i18n import Messages
from bot.quiz.bank import QuestionBank
from bot.quiz.blueprint import Blueprint
from bot.quiz.readiness import Readiness, readiness_of
from bot.replies import Reply, ReplyKind
from bot.stats.calendar import iso_week, local_day, week_bounds
from bot.storage.cards import SqlCardStore
from bot.storage.daily import DailyLedger
from bot.storage.exams import ExamStore
from bot.storage.memory import MemoryQueries
from bot.storage.refs import ChannelRef, UserRef
from bot.storage.stats import StatsQueries
from bot.usecases.reports import readiness_chart, report_chart, stats_reply, weekly_report

_WEEK = re.compile(r"^([0-9]{4})-W(0[1-9]|[1-4][0-9]|5[0-3])$")  # ASCII digits only: '²' is no year
# Weeks the bot can have run in, with room either side; a report also looks at the week before and the
# days after, which at the ends of the calendar (0001-W01, 9999-W52) are not dates at all.
_YEARS = range(2000, 3000)


def channel_of(requester: Requester) -> ChannelRef:
    return ChannelRef(
        requester.platform, requester.workspace_id, requester.channel_id or f"dm:{requester.user_id}"
    )


def user_of(requester: Requester) -> UserRef:
    return UserRef(requester.platform, requester.user_id, requester.display_name)


@dataclass
class StatsService:
    ledger: DailyLedger
    queries: StatsQueries
    cards: SqlCardStore
    bank: QuestionBank
    clock: Clock
    timezone: str
    memory: MemoryQueries | None = None  # with it (and a blueprint), readiness per exam domain
    blueprint: Blueprint = field(default_factory=Blueprint)
    exams: ExamStore | None = None  # with it, the history of mock exams

    def domain_names(self, messages: Messages) -> dict[str, str]:
        return {d.code: d.name(messages.locale) for d in self.blueprint.domains}

    async def readiness(self, users: list[UserRef]) -> list[Readiness]:
        """Each user's readiness now; empty without the memory queries or an exam blueprint."""
        if self.memory is None or not self.blueprint.domains:
            return []
        now = self.clock.now()
        weights = self.blueprint.weights()
        memories = await self.memory.of(users)
        return [
            readiness_of(
                self.bank.questions, weights, memories[u.key].cards, memories[u.key].last_answers, now
            )
            for u in users
        ]

    async def stats(self, requester: Requester, messages: Messages, chart: bool = True) -> Reply:
        now = self.clock.now()
        user = user_of(requester)
        streaks = await self.ledger.streaks(channel_of(requester), user, now)
        summary = await self.queries.user_summary(user, now - timedelta(days=7))
        due = await self.cards.due_count(user.key, now)
        name = requester.display_name or requester.user_id
        mine = await self.readiness([user])
        names = self.domain_names(messages)
        history = await self.exams.history(user) if self.exams is not None else []
        reply = stats_reply(
            name, streaks, summary, due, self.bank, messages, mine[0] if mine else None, names, history
        )
        if chart and mine:
            title = messages("stats.chart_title", name=name)
            picture = await asyncio.to_thread(readiness_chart, title, mine[0], names, messages)
            reply = replace(reply, attachment=picture)
        return reply

    async def report(self, channel: ChannelRef, week: str, messages: Messages, chart: bool = True) -> Reply:
        now = self.clock.now()
        monday, _ = week_bounds(week)
        this = await self.queries.week(channel, week, now)
        # Of last week only the answers and their accuracy are shown.
        last = await self.queries.week(
            channel, iso_week(monday - timedelta(days=7)), now, count_participants=False
        )
        top = await self.queries.top_streaks(channel, now)
        at_risk = await self.queries.at_risk(channel, now)
        team: list[Readiness] = []
        if self.memory is not None and this.days:
            first, last_day = week_bounds(week)
            team = await self.readiness(await self.memory.participants(channel, first, last_day, now))
        names = self.domain_names(messages)
        reply = weekly_report(this, last, top, at_risk, self.bank, messages, team, names)
        if chart and this.days:
            # Drawing takes tens of milliseconds (the first one also imports matplotlib): not on the loop.
            picture = await asyncio.to_thread(report_chart, this, self.bank, messages)
            reply = replace(reply, attachment=picture)
        return reply

    def this_week(self) -> str:
        return iso_week(local_day(self.clock.now(), self.timezone))


def valid_week(text: str) -> bool:
    """'2026-W48': an ISO week that exists (2025 has no W53), in a year the bot can report on."""
    match = _WEEK.match(text)
    if match is None or int(match[1]) not in _YEARS:
        return False
    try:
        week_bounds(text)
    except ValueError:
        return False
    return True


def stats_handlers(service: StatsService) -> dict[str, Handler]:
    async def stats(requester: Requester, args: str, messages: Messages) -> list[Reply]:
        return [await service.stats(requester, messages)]

    async def report(requester: Requester, args: str, messages: Messages) -> list[Reply]:
        week = args.strip().upper() or service.this_week()
        if not valid_week(week):
            return [Reply(body=messages("report.bad_week"), kind=ReplyKind.PROBLEM)]
        return [await service.report(channel_of(requester), week, messages)]

    return {"stats": stats, "report": report}

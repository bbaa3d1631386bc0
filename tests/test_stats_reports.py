"""/dop stats and the weekly report on SQLite and Postgres, and the chart they carry."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.dispatcher import Requester
from bot.i18n import Messages
from bot.quiz.bank import QuestionBank
from bot.quiz.practice import PracticeService
from bot.stats.calendar import iso_week
from bot.storage.cards import SqlCardStore
from bot.storage.daily import DailyLedger
from bot.storage.database import Database
from bot.storage.refs import ChannelRef, UserRef
from bot.storage.stats import StatsQueries
from bot.usecases.stats import StatsService, valid_week
from tests.conftest import FakeClock

CHANNEL = ChannelRef("slack", "T1", "C9")
JA = Messages("ja")


async def _week_of_posts(ledger: DailyLedger, bank: QuestionBank, monday: date, people: int) -> None:
    """Mon–Fri posts; person i answers day d when (i + d) % 3 != 0, right when (i * d) % 2 == 0."""
    for d in range(5):
        question = bank.questions[(monday.toordinal() + d) % len(bank)]
        at = datetime.combine(monday + timedelta(days=d), datetime.min.time(), tzinfo=UTC)
        post = await ledger.claim(CHANNEL, monday + timedelta(days=d), question.id, at)
        assert post is not None
        for i in range(people):
            if (i + d) % 3 != 0:
                right = (i * d) % 2 == 0
                choice = question.answer if right else (question.answer + 1) % len(question.choices)
                await ledger.record_answer(post.id, UserRef("slack", f"U{i}", f"user{i}"), choice, right, at)
        await ledger.close(post.id, at + timedelta(hours=8))


async def test_the_weekly_report_compares_weeks_and_names_streaks_and_misses(
    database: Database, bank: QuestionBank, clock: FakeClock
) -> None:
    ledger = DailyLedger(database)
    await _week_of_posts(ledger, bank, date(2026, 11, 16), people=6)
    await _week_of_posts(ledger, bank, date(2026, 11, 23), people=6)
    clock.current = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
    service = StatsService(
        ledger, StatsQueries(database), SqlCardStore(database, clock), bank, clock, "Asia/Tokyo"
    )
    reply = await service.report(CHANNEL, "2026-W48", JA)
    assert reply.title == "週間レポート 2026-W48" and not reply.private
    this = await StatsQueries(database).week(CHANNEL, "2026-W48", clock.now())
    assert [d.local_date.isoformat() for d in this.days] == [f"2026-11-{n}" for n in range(23, 28)]
    assert this.participants == 6 and this.answers == sum(
        1 for i in range(6) for d in range(5) if (i + d) % 3
    )
    assert f"6人が {this.answers}回答" in reply.body and "先週" in reply.body
    fields = {f.name: f.value for f in reply.fields}
    assert "連続記録トップ" in fields and fields["連続記録トップ"].startswith("1. user")
    assert "よく間違えられた問題" in fields
    assert reply.attachment is not None and reply.attachment.data.startswith(b"\x89PNG")
    assert len(reply.attachment.data) > 10_000
    empty = await service.report(CHANNEL, "2025-W01", JA)
    assert empty.body == "この週はまだ出題がありません。" and empty.attachment is None


async def test_streaks_at_risk_are_nudged_while_today_is_open(
    database: Database, bank: QuestionBank, clock: FakeClock
) -> None:
    ledger = DailyLedger(database)
    await _week_of_posts(ledger, bank, date(2026, 11, 23), people=6)  # user1 and user4 end on 2 days
    today = await ledger.claim(CHANNEL, date(2026, 11, 30), bank.questions[0].id, clock.now())
    assert today is not None
    await ledger.record_answer(today.id, UserRef("slack", "U1", "user1"), 0, False, clock.now())
    risky = await StatsQueries(database).at_risk(CHANNEL, clock.now())
    assert [(h.name, h.current) for h in risky] == [("user4", 2)]  # user1 answered today already


async def test_personal_stats_show_streaks_accuracy_weak_services_and_due_reviews(
    database: Database, bank: QuestionBank, clock: FakeClock
) -> None:
    cards = SqlCardStore(database, clock)
    practice = PracticeService(bank=bank, store=cards, clock=clock)
    dynamo = bank.select(services=["Amazon DynamoDB"])[:3]
    for q in dynamo:
        await practice.answer("slack:U7", q.id, (q.answer + 1) % len(q.choices))
    ec2 = bank.select(services=["Amazon Elastic Compute Cloud (Amazon EC2)"])[:2]
    for q in ec2:
        await practice.answer("slack:U7", q.id, q.answer)
    clock.advance(hours=2)
    service = StatsService(DailyLedger(database), StatsQueries(database), cards, bank, clock, "Asia/Tokyo")
    reply = await service.stats(Requester("slack", "U7", "C9", display_name="seven", workspace_id="T1"), JA)
    fields = {f.name: f.value for f in reply.fields}
    assert reply.title == "seven さんの学習状況"
    assert fields["全体"] == "5問回答・正答率 40%"
    assert fields["直近7日"] == "5問回答・正答率 40%"
    assert fields["苦手なサービス"].splitlines()[0].startswith("Amazon DynamoDB: 0%")
    assert fields["復習待ち"] == "5問"


def test_week_names_are_validated() -> None:
    assert valid_week("2026-W48") and valid_week(iso_week(date(2026, 1, 1)))
    assert not valid_week("2026-W54") and not valid_week("2026-48") and not valid_week("'; drop")

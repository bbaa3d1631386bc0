"""Daily posts on SQLite and Postgres: claimed once, one counted answer per user, streaks on close."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bot.quiz.bank import QuestionBank
from bot.quiz.model import Question
from bot.stats.streaks import Streaks
from bot.storage.daily import DailyLedger, PostInfo
from bot.storage.database import Database, StorageUnavailable
from bot.storage.models import Answer, User
from bot.storage.refs import ChannelRef, UserRef
from bot.usecases.daily import AnswerStatus, DailyAnswerService
from tests.conftest import FakeClock

CHANNEL = ChannelRef("slack", "T1", "C1", "general")


async def _count(db: Database, model: type) -> int:
    async with db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


@dataclass
class Daily:
    """The ledger and the click service over it, on the test's database and clock."""

    ledger: DailyLedger
    service: DailyAnswerService
    clock: FakeClock

    async def post(self, day: date, question: Question) -> PostInfo:
        """Claim CHANNEL's `day` for `question`; the claim must win."""
        post = await self.ledger.claim(CHANNEL, day, question.id, self.clock.now())
        assert post is not None
        return post


@pytest.fixture
def daily(database: Database, bank: QuestionBank, clock: FakeClock) -> Daily:
    ledger = DailyLedger(database)
    return Daily(ledger, DailyAnswerService(ledger, bank, clock), clock)


async def test_a_day_is_claimed_once_even_by_racing_replicas(database: Database, clock: FakeClock) -> None:
    ledger = DailyLedger(database)
    day = date(2026, 11, 30)
    claims = await asyncio.gather(*(ledger.claim(CHANNEL, day, "q-1", clock.now()) for _ in range(8)))
    assert sum(c is not None for c in claims) == 1
    assert await ledger.claim(CHANNEL, day + timedelta(days=1), "q-2", clock.now()) is not None


async def test_the_first_answer_counts_and_a_second_click_is_answered_politely(
    database: Database, bank: QuestionBank, clock: FakeClock, daily: Daily
) -> None:
    ledger, service = daily.ledger, daily.service
    question = bank.questions[0]
    post = await daily.post(date(2026, 11, 30), question)
    alice = UserRef("slack", "U1", "alice")
    wrong = (question.answer + 1) % len(question.choices)
    first = await service.answer(post.id, alice, wrong)
    again = await service.answer(post.id, alice, question.answer)
    assert first.status is AnswerStatus.RECORDED and not first.correct
    assert again.status is AnswerStatus.ALREADY_ANSWERED and again.choice == wrong and not again.correct
    assert await _count(database, Answer) == 1
    assert (await service.answer(post.id + 999, alice, 0)).status is AnswerStatus.UNKNOWN
    assert (await service.answer(post.id, alice, 99)).status is AnswerStatus.UNKNOWN
    results = await ledger.close(post.id, clock.now())
    assert results is not None and results.counts == {wrong: 1}
    late = await service.answer(post.id, UserRef("slack", "U2"), question.answer)
    assert late.status is AnswerStatus.CLOSED and late.question == question
    assert await _count(database, Answer) == 1


async def test_concurrent_double_clicks_record_exactly_once(
    database: Database, bank: QuestionBank, daily: Daily
) -> None:
    question = bank.questions[1]
    post = await daily.post(date(2026, 12, 1), question)
    service = daily.service
    users = [UserRef("slack", f"U{i}") for i in range(20)]
    outcomes = await asyncio.gather(
        *(service.answer(post.id, u, question.answer) for u in users for _ in range(3))
    )
    assert sum(o.status is AnswerStatus.RECORDED for o in outcomes) == 20
    assert await _count(database, Answer) == 20
    assert await _count(database, User) == 20


async def test_streaks_count_question_days_and_reset_on_a_missed_one(
    bank: QuestionBank, clock: FakeClock, daily: Daily
) -> None:
    ledger, service = daily.ledger, daily.service
    alice, bob = UserRef("slack", "A"), UserRef("slack", "B")
    plan = [(True, True), (True, False), (False, True), (True, True)]  # (alice answers right?, bob answers?)
    for i, (alice_right, bob_answers) in enumerate(plan):
        question = bank.questions[10 + i]
        post = await daily.post(date(2026, 12, 1) + timedelta(days=i), question)
        alice_choice = question.answer if alice_right else (question.answer + 1) % len(question.choices)
        await service.answer(post.id, alice, alice_choice)
        if bob_answers:
            await service.answer(post.id, bob, question.answer)
        await ledger.close(post.id, clock.now())
        await ledger.close(post.id, clock.now())  # closing twice changes nothing
    # alice: right, right, wrong, right; bob: right, -, right, right
    assert await ledger.streaks(CHANNEL, alice, clock.now()) == Streaks(4, 4, 1, 2)
    assert await ledger.streaks(CHANNEL, bob, clock.now()) == Streaks(2, 2, 2, 2)
    # An open post answered today counts already; unanswered, it costs nothing yet.
    question = bank.questions[20]
    post = await daily.post(date(2026, 12, 5), question)
    await service.answer(post.id, alice, question.answer)
    assert await ledger.streaks(CHANNEL, alice, clock.now()) == Streaks(5, 5, 2, 2)
    assert await ledger.streaks(CHANNEL, bob, clock.now()) == Streaks(2, 2, 2, 2)


async def test_a_database_failing_mid_answer_leaves_no_half_written_rows(
    database: Database, bank: QuestionBank, daily: Daily, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = bank.questions[2]
    post = await daily.post(date(2026, 12, 2), question)
    users_before = await _count(database, User)

    from bot.storage import answer_batch as batch_module

    real_insert = batch_module.insert_ignore

    def failing(session, table, values):  # type: ignore[no-untyped-def]
        if table is Answer.__table__:
            raise ConnectionResetError("connection lost")
        return real_insert(session, table, values)

    monkeypatch.setattr(batch_module, "insert_ignore", failing)
    with pytest.raises(StorageUnavailable):
        await daily.service.answer(post.id, UserRef("slack", "NEW"), question.answer)
    monkeypatch.undo()
    assert await _count(database, User) == users_before  # the user row went with the failed answer
    assert await _count(database, Answer) == 0


async def test_feedback_is_private_and_polite_for_every_outcome(
    bank: QuestionBank, clock: FakeClock, daily: Daily
) -> None:
    from bot.i18n import Messages
    from bot.usecases.daily import feedback_reply

    ja = Messages("ja")
    ledger, service = daily.ledger, daily.service
    question = bank.questions[3]
    post = await daily.post(date(2026, 12, 3), question)
    first = feedback_reply(await service.answer(post.id, UserRef("slack", "U1"), question.answer), ja)
    assert first.title == "⭕ 正解！" and first.private and question.explanation in first.body
    repeat = feedback_reply(await service.answer(post.id, UserRef("slack", "U1"), 0), ja)
    assert repeat.body.startswith("回答済みです") and f"{question.answer + 1}." in repeat.body
    await ledger.close(post.id, clock.now())
    late = feedback_reply(await service.answer(post.id, UserRef("slack", "U2"), 0), ja)
    assert "締め切られました" in late.body and question.correct_choice in late.body
    assert (
        feedback_reply(await service.answer(999_999, UserRef("slack", "U2"), 0), ja).body
        == "この問題は見つかりませんでした。"
    )


async def test_a_weekly_report_is_claimed_once_per_channel_and_week(
    database: Database, clock: FakeClock
) -> None:
    from bot.storage.daily import claim_report

    claims = await asyncio.gather(
        *(claim_report(database, CHANNEL, "2026-W49", clock.now()) for _ in range(6))
    )
    assert claims.count(True) == 1
    assert await claim_report(database, CHANNEL, "2026-W50", clock.now())
    assert await claim_report(database, ChannelRef("slack", "T1", "C2"), "2026-W49", clock.now())


async def test_a_button_naming_another_question_is_refused(bank: QuestionBank, daily: Daily) -> None:
    question = bank.questions[5]
    post = await daily.post(date(2026, 12, 4), question)
    service = daily.service
    stale = await service.answer(post.id, UserRef("slack", "U1"), 0, expected_question=bank.questions[6].id)
    assert stale.status is AnswerStatus.UNKNOWN
    fresh = await service.answer(post.id, UserRef("slack", "U1"), 0, expected_question=question.id)
    assert fresh.status is AnswerStatus.RECORDED

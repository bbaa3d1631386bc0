"""Personal practice with FSRS: scheduling on an injected clock, reviews first, answers by number."""

from __future__ import annotations

from datetime import datetime

import pytest

from adapters.console import ConsoleSession
from bot.dispatcher import Dispatcher
from bot.quiz.bank import QuestionBank
from bot.quiz.practice import InMemoryCardStore, PracticeService
from bot.search import SearchEngine
from bot.usecases.practice import practice_handlers
from tests.conftest import FakeClock


@pytest.fixture
def practice(bank: QuestionBank, clock: FakeClock) -> PracticeService:
    return PracticeService(bank=bank, store=InMemoryCardStore(), clock=clock)


@pytest.fixture
def session(engine: SearchEngine, practice: PracticeService) -> ConsoleSession:
    """The console, with the practice subcommands on `practice`."""
    dispatcher = Dispatcher(engine=engine)
    dispatcher.handlers.update(practice_handlers(practice, engine))
    return ConsoleSession(dispatcher)


async def test_a_wrong_answer_comes_back_sooner_than_a_right_one(practice: PracticeService) -> None:
    first = await practice.next_question("u")
    assert first is not None
    wrong = await practice.answer("u", first.id, (first.answer + 1) % len(first.choices))
    second = await practice.next_question("u")
    assert second is not None and second.id != first.id
    right = await practice.answer("u", second.id, second.answer)
    assert not wrong.correct and right.correct
    assert wrong.next_due < right.next_due
    assert wrong.next_due.tzinfo is not None


async def test_due_cards_are_served_before_new_questions(practice: PracticeService, clock: FakeClock) -> None:
    question = await practice.next_question("u")
    assert question is not None
    await practice.answer("u", question.id, (question.answer + 1) % len(question.choices))
    assert await practice.due_question("u") is None  # not due yet
    clock.advance(minutes=30)
    assert await practice.due_question("u") == question
    assert await practice.next_question("u") == question


async def test_practice_stays_within_a_scope_and_per_user(
    practice: PracticeService, bank: QuestionBank
) -> None:
    scope = bank.select(services=["Amazon DynamoDB"])
    for _ in range(5):
        question = await practice.next_question("a", scope)
        assert question is not None and question.service == "Amazon DynamoDB"
        await practice.answer("a", question.id, question.answer)
    assert await practice.store.known_questions("b") == set()


async def test_the_clock_must_be_timezone_aware(bank: QuestionBank) -> None:
    naive = FakeClock(datetime(2026, 11, 28))
    service = PracticeService(bank=bank, store=InMemoryCardStore(), clock=naive)
    with pytest.raises(ValueError):
        await service.next_question("u")


async def test_a_console_practice_session(
    session: ConsoleSession, practice: PracticeService, clock: FakeClock
) -> None:
    assert "出題中の問題はありません" in await session.send("2")
    shown = await session.send("/dop quiz dynamodb")
    assert "  1. " in shown and "  4. " in shown
    pending = await practice.pending("console:local")
    assert pending is not None and pending.service == "Amazon DynamoDB"
    assert "1 から 4 までの番号" in await session.send("7")
    wrong_number = (pending.answer + 1) % 4 + 1
    result = await session.send(str(wrong_number))
    assert "❌ 不正解" in result and f"正解: {pending.answer + 1}." in result and "次の復習" in result
    assert "いま出題中の問題はありません" in await session.send("/dop answer 1")
    assert "いま復習が必要な問題はありません" in await session.send("/dop review")
    clock.advance(hours=1)
    review = await session.send("/dop review")
    assert pending.prompt.splitlines()[0] in review
    assert "⭕ 正解！" in await session.send(str(pending.answer + 1))
    assert "当てはまるサービスやカテゴリが見つかりませんでした" in await session.send("/dop quiz nosuchthing")
    assert "練習問題（" in await session.send("/dop quiz database")


async def test_button_values_answer_a_specific_question(
    session: ConsoleSession, practice: PracticeService
) -> None:
    await session.send("/dop quiz")
    question = await practice.pending("console:local")
    assert question is not None
    out = await session.send(f"/dop answer practice:{question.id}:{question.answer}")
    assert "⭕ 正解！" in out
    # A double click (the same button again) is answered politely and not recorded twice.
    again = await session.send(f"/dop answer practice:{question.id}:{question.answer}")
    assert "回答済み" in again
    assert len([r for r in practice.store.reviews if r.question_id == question.id]) == 1  # type: ignore[attr-defined]
    assert "回答済み" in await session.send("/dop answer practice:nope-123:0")

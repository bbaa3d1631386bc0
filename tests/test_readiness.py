"""Readiness per exam domain: mastery from FSRS retrievability (0 for unseen), coverage, exam-weighted
readiness; in /dop stats with its chart, and the team's mastery and weakest domain in the weekly report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.console import ConsoleSession
from bot.bootstrap import start_core
from bot.config import Settings
from bot.content import Content
from bot.dispatcher import Requester
from bot.messenger import RecordingMessenger
from bot.quiz.bank import QuestionBank
from bot.quiz.readiness import LastAnswer, readiness_of, retrievability
from bot.quiz.selection import PostedQuestion, choose_daily
from tests.conftest import ROOT, FakeClock

NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)


def test_mastery_is_the_mean_recall_over_the_domains_exam_questions(
    bank: QuestionBank, content: Content
) -> None:
    weights = content.blueprint.weights()
    sdlc = [q for q in bank.questions if q.on_exam and q.domains[0] == "sdlc"]
    nothing = readiness_of(bank.questions, weights, {}, {}, NOW)
    assert all(d.mastery == 0 and d.seen == 0 for d in nothing.domains) and nothing.readiness == 0
    # Everything in SDLC answered right a moment ago: mastery near 1 there, 0 elsewhere.
    fresh = {q.id: LastAnswer(NOW - timedelta(minutes=1), True) for q in sdlc}
    ready = readiness_of(bank.questions, weights, {}, fresh, NOW)
    by_code = {d.code: d for d in ready.domains}
    assert by_code["sdlc"].seen == by_code["sdlc"].total == len(sdlc)
    assert by_code["sdlc"].mastery > 0.99 and by_code["iac"].mastery == 0
    assert ready.readiness == pytest.approx(weights["sdlc"] * by_code["sdlc"].mastery, rel=1e-6)
    # Forgetting: the same answers a month ago are worth less, a wrong answer less still.
    month = {q.id: LastAnswer(NOW - timedelta(days=30), True) for q in sdlc}
    wrong = {q.id: LastAnswer(NOW - timedelta(days=30), False) for q in sdlc}
    old = {d.code: d.mastery for d in readiness_of(bank.questions, weights, {}, month, NOW).domains}
    worse = {d.code: d.mastery for d in readiness_of(bank.questions, weights, {}, wrong, NOW).domains}
    assert 0 < worse["sdlc"] < old["sdlc"] < by_code["sdlc"].mastery
    # Off-exam questions never count.
    off = [q for q in bank.questions if not q.on_exam]
    seen_off = readiness_of(bank.questions, weights, {}, {q.id: LastAnswer(NOW, True) for q in off}, NOW)
    assert seen_off.readiness == 0


def test_a_practice_card_gives_its_own_fsrs_recall() -> None:
    from fsrs import Card, Rating, Scheduler

    scheduler = Scheduler(enable_fuzzing=False)
    card, _ = scheduler.review_card(Card(), Rating.Good, review_datetime=NOW - timedelta(days=2))
    card, _ = scheduler.review_card(card, Rating.Good, review_datetime=NOW - timedelta(days=1))
    expected = scheduler.get_card_retrievability(card, NOW)
    assert retrievability(scheduler, NOW, card.to_dict(), None) == pytest.approx(expected)
    assert retrievability(scheduler, NOW, None, None) == 0.0


@pytest.fixture
async def core(database, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(ROOT)
    clock = FakeClock(datetime(2026, 11, 29, 23, 0, tzinfo=UTC))  # Monday 08:00 in Tokyo
    core = await start_core(Settings(database_url=database.url), clock, RecordingMessenger())
    try:
        yield core
    finally:
        await core.close()


async def test_stats_show_mastery_coverage_readiness_its_definition_and_a_chart(core) -> None:  # type: ignore[no-untyped-def]
    console = ConsoleSession(core.dispatcher)
    await console.send("/dop quiz")
    await console.send("1")  # a practice answer: the question now counts as seen
    [reply] = await core.dispatcher.handle("/dop stats", console.requester)
    text = " ".join(f.value for f in reply.fields) + " ".join(f.name for f in reply.fields)
    for domain in core.content.blueprint.domains:
        assert domain.name_ja in text
    assert "準備度" in text and "習熟度" in text and "FSRS" in text and "推定" in text
    assert reply.attachment is not None and reply.attachment.data.startswith(b"\x89PNG")
    english = Requester("console", console.requester.user_id, locale="en")
    [en] = await core.dispatcher.handle("/dop stats", english)
    assert any("Readiness" in f.value for f in en.fields)


async def test_the_weekly_report_shows_the_teams_mastery_and_names_the_weakest_domain(core) -> None:  # type: ignore[no-untyped-def]
    from bot.storage.refs import ChannelRef, UserRef

    channel = ChannelRef("console", "local", "console")
    assert core.ledger is not None and core.stats is not None
    weights = core.content.blueprint.weights()
    history = []
    monday = datetime(2026, 11, 30, tzinfo=UTC).date()
    for offset in range(5):
        question = choose_daily(core.bank.questions, history, "report", weights=weights)
        assert question is not None
        post = await core.ledger.claim(
            channel, monday + timedelta(days=offset), question.id, core.clock.now()
        )
        assert post is not None
        for n, user in enumerate(("U1", "U2", "U3", "U4")):
            correct = n < 3 and offset != 2  # the third day's question is missed by everyone
            choice = question.answer if correct else (question.answer + 1) % len(question.choices)
            await core.ledger.record_answer(
                post.id, UserRef("console", user, user), choice, correct, core.clock.now()
            )
        history.append(PostedQuestion(question.id))
        if offset == 2:
            missed = question.domains[0]
    report = await core.stats.report(
        channel, "2026-W49", core.dispatcher.messages_for(Requester("console", "x"))
    )
    team = next(f for f in report.fields if "チームの習熟度" in f.name)
    assert len(team.value.splitlines()) == len(core.content.blueprint.domains)
    name = core.content.blueprint.domain(missed).name_ja
    assert f"今週いちばん苦手だったドメイン: {name}" in report.body

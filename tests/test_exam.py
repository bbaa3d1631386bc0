"""`/dop exam`: a private mock exam drawn by the exam's weights, scored only at the end, surviving a
restart; through the console, Slack (signed HTTP into Bolt) and Discord (gateway payloads)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime

import pytest

from adapters.console import ConsoleSession
from bot.bootstrap import start_core
from bot.config import Settings
from bot.content import Content
from bot.messenger import RecordingMessenger
from bot.quiz.bank import QuestionBank
from bot.quiz.blueprint import ExamFormat
from bot.quiz.mock_exam import draw, pace_minutes, score, shares
from bot.quiz.model import QuestionKind
from tests.conftest import ROOT, FakeClock
from tests.multiple import TWO, multiple_settings

EXAM = ExamFormat()


def test_a_sitting_is_drawn_by_the_exam_weights_scenarios_first_and_only_from_the_exam(
    bank: QuestionBank, content: Content
) -> None:
    weights = content.blueprint.weights()
    assert sum(shares(weights, 20).values()) == 20
    assert shares(weights, 75) == {
        "sdlc": 16,
        "iac": 13,
        "resilience": 11,
        "monitoring": 11,
        "incident": 11,
        "security": 13,
    }
    ids = draw(bank.questions, weights, 40, "seed")
    assert len(ids) == len(set(ids)) == 40 and ids == draw(bank.questions, weights, 40, "seed")
    asked = [bank.by_id[i] for i in ids]
    assert all(q.on_exam for q in asked)
    counts = Counter(q.domains[0] for q in asked)
    assert counts == Counter(shares(weights, 40))
    # Within a domain, scenarios come before recall questions while the domain has them.
    for code, count in counts.items():
        scenarios = [
            q
            for q in bank.questions
            if q.on_exam and q.domains[0] == code and q.kind is QuestionKind.SCENARIO
        ]
        chosen = [q for q in asked if q.domains[0] == code]
        assert sum(q.kind is QuestionKind.SCENARIO for q in chosen) == min(count, len(scenarios))


def test_the_estimate_weights_the_domains_and_meets_the_pass_line_linearly(
    bank: QuestionBank, content: Content
) -> None:
    weights = content.blueprint.weights()
    questions = [q for q in bank.questions if q.on_exam]
    all_right = score([(q, True) for q in questions[:30]], weights, EXAM)
    assert (all_right.scaled, all_right.passed, all_right.share) == (1000, True, 1.0)
    none_right = score([(q, False) for q in questions[:30]], weights, EXAM)
    assert (none_right.scaled, none_right.passed) == (100, False)
    # 3 of 4 right everywhere: 100 + 900 × 0.75 = 775, above 750.
    sample = [(q, i % 4 != 0) for i, q in enumerate(sorted(questions, key=lambda q: (q.domains[0], q.id)))]
    per_domain = {d.code: d.share for d in score(sample, weights, EXAM).domains}
    expected = round(
        100 + 900 * sum(weights[c] * s for c, s in per_domain.items()) / sum(weights[c] for c in per_domain)
    )
    assert score(sample, weights, EXAM).scaled == expected
    assert pace_minutes(75, EXAM) == 180 and pace_minutes(20, EXAM) == 48


def _pick(shown: str) -> str:
    """An answer of the right size for the question just shown: '2', or '1 2' for "2つ選択せよ"."""
    wanted = re.search(r"(\d)つ選択せよ", shown)
    return " ".join(str(i) for i in range(1, int(wanted.group(1)) + 1)) if wanted else "2"


@pytest.fixture
async def console(database, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(ROOT)
    clock = FakeClock(datetime(2026, 11, 30, 1, 0, tzinfo=UTC))
    core = await start_core(Settings(database_url=database.url), clock, RecordingMessenger())
    try:
        yield ConsoleSession(core.dispatcher), core, database.url
    finally:
        await core.close()


async def test_a_sitting_gives_no_feedback_until_the_end_then_scores_and_lists_the_missed(console) -> None:  # type: ignore[no-untyped-def]
    session, core, _ = console
    first = await session.send("/dop exam 4")
    assert "模擬試験 1/4" in first and "目安 10分" in first and "4問の模擬試験を始めます" in first
    outputs: list[str] = []
    for _ in range(4):
        core.clock.advance(minutes=2)
        outputs.append(await session.send(_pick(outputs[-1] if outputs else first)))
    for shown in outputs[:3]:
        assert "正解！" not in shown and "不正解" not in shown and "正解:" not in shown  # no feedback yet
    assert "模擬試験 4/4" in outputs[2] and "経過 6:00" in outputs[2]
    result = outputs[3]
    assert "模擬試験の結果" in result and "推定スコア" in result and "公開していない" in result
    right = int(re.search(r"正解 (\d)/4", result).group(1))  # type: ignore[union-attr]
    assert result.count("問") >= 1 and ("間違えた問題" in result) == (right < 4)
    stats = await session.send("/dop stats")
    assert "模擬試験の履歴" in stats and f"{right}/4問正解" in stats
    assert "受験中の模擬試験はありません" in await session.send("/dop exam stop")


async def test_a_sitting_survives_a_restart_and_an_old_click_changes_nothing(console) -> None:  # type: ignore[no-untyped-def]
    session, core, url = console
    shown = await session.send("/dop exam 5")
    first_choice = session.last_choices[0].value
    shown = await session.send(_pick(shown))
    await session.send(_pick(shown))
    await core.close()
    again = await start_core(Settings(database_url=url), core.clock, RecordingMessenger())
    try:
        resumed = ConsoleSession(again.dispatcher)
        shown = await resumed.send("/dop exam")
        assert "模擬試験 3/5" in shown and "続き" in shown
        assert "回答済み" in await resumed.send(f"/dop answer {first_choice}")
        assert "受験中の模擬試験があります" in await resumed.send("/dop exam 10")
        stopped = await resumed.send("/dop exam stop")
        assert "途中で終了しました（5問中 2問に回答）" in stopped
        assert "終了しているか" in await resumed.send(f"/dop answer {first_choice}")
    finally:
        await again.close()


async def test_bad_counts_and_values_get_a_hint(console) -> None:  # type: ignore[no-untyped-def]
    session, _, _ = console
    for line in ("/dop exam 0", "/dop exam 76", "/dop exam ²", "/dop exam lots"):
        assert "1〜75" in await session.send(line)
    assert "終了しているか" in await session.send("/dop answer exam:999:0:1")
    assert "終了しているか" in await session.send("/dop answer exam:bad")


async def test_a_multiple_response_question_is_answered_with_its_count_in_a_sitting(
    database, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(ROOT)
    core = await start_core(
        multiple_settings(database.url), FakeClock(datetime(2026, 11, 30, tzinfo=UTC)), RecordingMessenger()
    )
    try:
        [question] = [q for q in core.bank.questions if q.id == TWO]
        assert core.exams is not None
        core.exams.bank = QuestionBank((question,))  # a sitting of that one question
        session = ConsoleSession(core.dispatcher)
        shown = await session.send("/dop exam 1")
        assert "2つ選択" in shown
        assert "2 つ選んで" in await session.send("2")
        result = await session.send("2 4")
        assert "正解 1/1" in result
    finally:
        await core.close()

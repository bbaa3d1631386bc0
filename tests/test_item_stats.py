"""Item analysis: the statistics against a case worked by hand, the review rules at their edges, the
first answers read from SQLite and Postgres, `dop-bot questions --stats` through the command line, and
the hardest question of the week in the weekly report."""

from __future__ import annotations

import asyncio
import json
import math
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from adapters.cli import main
from bot.clip import clip
from bot.i18n import Messages
from bot.quiz.bank import QuestionBank
from bot.stats.items import ItemStats, Moments, item_stats
from bot.storage.daily import DailyLedger
from bot.storage.database import Database
from bot.storage.identities import user_id
from bot.storage.items import question_moments
from bot.storage.models import Answer
from bot.storage.refs import ChannelRef, UserRef
from bot.storage.stats import PostDay, WeekData
from bot.usecases.reports import weekly_report
from tests.databases import BACKENDS, create_database, drop_database

ROOT = Path(__file__).resolve().parents[1]
T0 = datetime(2026, 12, 1, tzinfo=UTC)

# Four people, three questions, in answer order. A's second answer to q1 (wrong) comes last and must
# not count: only first answers do.
HAND = [
    ("A", "q1", True), ("A", "q2", True), ("A", "q3", True),
    ("B", "q1", True), ("B", "q2", True), ("B", "q3", False),
    ("C", "q1", False), ("C", "q2", False), ("C", "q3", True),
    ("D", "q1", False), ("D", "q2", True), ("D", "q3", False),
    ("A", "q1", False),
]  # fmt: skip


# The hand-worked sums of each question (see the test below): (answers, right, paired, Σx, Σy, Σxy, Σy²).
HAND_MOMENTS = {
    "q1": Moments(4, 2, 4, 2.0, 2.5, 1.5, 1.75),
    "q2": Moments(4, 3, 4, 3.0, 2.0, 1.5, 1.5),
    "q3": Moments(4, 2, 4, 2.0, 2.5, 1.0, 2.25),
}


def test_the_statistics_match_a_case_worked_by_hand() -> None:
    """q1: right A B, wrong C D. Accuracy on the other questions: A 2/2, B 1/2, C 1/2, D 1/2.
    x = 1 1 0 0 (mean 1/2), y = 1 .5 .5 .5 (mean .625): cov = .25, Σ(x-x̄)² = 1, Σ(y-ȳ)² = .1875,
    r = .25 / √.1875 = 1/√3 (≈ .577; with q1 itself left in, A B C D would be 1, 2/3, 1/3, 1/3: .905).
    q2: x = 1 1 0 1, y = 1 .5 .5 0: cov = .125 + 0 + 0 - .125 = 0, r = 0.
    q3: x = 1 0 1 0, y = 1 1 0 .5 (mean .625): cov = -.25, Σ(y-ȳ)² = .6875, r = -.25/√.6875 ≈ -.3015."""
    items = {s.question_id: s for s in item_stats(HAND_MOMENTS)}
    assert [(s.answers, s.correct) for s in (items["q1"], items["q2"], items["q3"])] == [
        (4, 2),
        (4, 3),
        (4, 2),
    ]
    assert items["q1"].share == 0.5 and items["q2"].share == 0.75
    assert items["q1"].discrimination == pytest.approx(1 / math.sqrt(3), abs=1e-12)
    assert items["q2"].discrimination == pytest.approx(0.0, abs=1e-12)
    assert items["q3"].discrimination == pytest.approx(-0.25 / math.sqrt(0.6875), abs=1e-12)
    assert items["q3"].review == ()  # negative, but four answers say too little


def test_the_discrimination_is_the_point_biserial_correlation() -> None:
    # r_pb = (M1 - M0) / s * √(pq), s the population standard deviation of y: q1 of the hand case.
    m1, m0, s = 0.75, 0.5, math.sqrt(0.1875 / 4)
    assert HAND_MOMENTS["q1"].discrimination() == pytest.approx((m1 - m0) / s * math.sqrt(0.25), abs=1e-12)
    assert Moments(2, 2, 2, 2.0, 1.1, 1.1, 0.85).discrimination() is None  # everyone right: no spread
    assert Moments(2, 1, 2, 1.0, 1.0, 0.5, 0.5).discrimination() is None  # everyone equally able
    assert Moments(5, 3, 1, 1.0, 0.5, 0.5, 0.25).discrimination() is None  # one person paired


@pytest.mark.parametrize(
    ("answers", "correct", "discrimination", "review"),
    [
        (30, 29, 0.3, ("too easy",)),  # 0.967
        (40, 38, 0.3, ()),  # 0.95 exactly is not above it
        (30, 5, 0.3, ("too hard",)),  # 0.167
        (40, 8, 0.3, ()),  # 0.20 exactly is not below it
        (40, 20, -0.01, ("negative discrimination",)),
        (30, 3, -0.2, ("too hard", "negative discrimination")),
        (29, 29, -0.5, ()),  # too few answers to judge
        (30, 30, None, ("too easy",)),
    ],
)
def test_questions_listed_for_review(
    answers: int, correct: int, discrimination: float | None, review: tuple[str, ...]
) -> None:
    assert ItemStats("q", answers, correct, discrimination).review == review


async def _answer(db: Database, rows: list[tuple[str, str, bool]], daily: set[int]) -> None:
    """The rows as answers a minute apart: the indices in `daily` as clicks on daily posts (one post
    per question), the rest as practice answers."""
    ledger = DailyLedger(db)
    posts: dict[str, int] = {}
    try:
        for n, (person, question, correct) in enumerate(rows):
            at = T0 + timedelta(minutes=n)
            if n in daily:
                if question not in posts:
                    day = date(2026, 12, 1) + timedelta(days=len(posts))
                    post = await ledger.claim(ChannelRef("slack", "T1", "C1"), day, question, at)
                    assert post is not None
                    posts[question] = post.id
                record = await ledger.record_answer(posts[question], UserRef("slack", person), 0, correct, at)
                assert record is not None and record.recorded
                continue
            async with db.transaction() as session:
                uid = await user_id(session, UserRef("slack", person), at)
                session.add(
                    Answer(
                        post_id=None,
                        user_id=uid,
                        question_id=question,
                        choice=0,
                        correct=correct,
                        answered_at=at,
                    )
                )
    finally:
        await ledger.batcher.close()


async def test_the_database_adds_up_first_answers_of_daily_posts_and_practice(database: Database) -> None:
    await _answer(database, HAND, daily={10, 11})  # D's answers to q2 and q3 were daily clicks
    moments, people = await question_moments(database)
    assert people == 4
    assert set(moments) == set(HAND_MOMENTS)
    for question, expected in HAND_MOMENTS.items():  # A's second answer to q1 left out
        got = moments[question]
        assert (got.answers, got.correct, got.paired) == (expected.answers, expected.correct, expected.paired)
        sums = (got.sum_x, got.sum_y, got.sum_xy, got.sum_yy)
        assert sums == pytest.approx((expected.sum_x, expected.sum_y, expected.sum_xy, expected.sum_yy))
    assert moments["q1"].discrimination() == pytest.approx(1 / math.sqrt(3), abs=1e-9)


@pytest.mark.parametrize("backend", BACKENDS)
def test_questions_stats_prints_and_lists_for_review(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("DOP_DATA_DIR", str(tmp_path))
    url = asyncio.run(create_database(backend, tmp_path))
    monkeypatch.setenv("DATABASE_URL", url)
    easy = "cw-detailed-monitoring-scale-out"
    # 31 people on one question, all but the last right: 0.968 correct over 31 answers.
    crowd = [(f"P{n}", easy, n < 30) for n in range(31)]
    try:
        assert main(["db", "upgrade"]) == 0

        async def fill() -> None:
            db = Database.open(url)
            try:
                await _answer(db, [*HAND, *crowd], daily={0, 1})
            finally:
                await db.close()

        asyncio.run(fill())
        capsys.readouterr()
        assert main(["questions", "--stats"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("4 questions answered: 43 first answers by 35 people")
        assert any(line.startswith("q1 ") and "50%" in line and "+0.58" in line for line in out.splitlines())
        review = out.split("for review", 1)[1]
        assert easy in review and "[too easy]" in review and "q3" not in review
        assert main(["questions", "--stats", "--json"]) == 0
        result = json.loads(capsys.readouterr().out)
        assert result["for_review"] == [easy]
        q1 = next(q for q in result["questions"] if q["id"] == "q1")
        assert q1 == {
            "id": "q1",
            "prompt": "(not in the bank)",
            "answers": 4,
            "correct": 2,
            "share": 0.5,
            "discrimination": round(1 / math.sqrt(3), 4),
            "review": [],
        }
        top = result["questions"][0]
        assert (top["id"], top["answers"], top["correct"], top["prompt"][:6]) == (
            easy,
            31,
            30,
            "あるチームは",
        )
    finally:
        asyncio.run(drop_database(url))


def test_the_weekly_report_names_the_hardest_question_of_the_week(bank: QuestionBank) -> None:
    q = bank.questions
    days = (
        PostDay(date(2026, 11, 23), q[0].id, 10, 9),
        PostDay(date(2026, 11, 24), q[1].id, 2, 0),  # 0% but two answers: too few to judge
        PostDay(date(2026, 11, 25), q[2].id, 5, 1),  # 20%
        PostDay(date(2026, 11, 26), q[3].id, 4, 1),  # 25%
        PostDay(date(2026, 11, 27), q[4].id, 10, 2),  # 20% too, but later
    )
    this, last = WeekData("2026-W48", days, 10), WeekData("2026-W47", (), None)
    reply = weekly_report(this, last, [], [], bank, Messages("ja"))
    [line] = [line for line in reply.body.splitlines() if line.startswith("今週の最難問")]
    assert line == f"今週の最難問: {clip(' '.join(q[2].prompt.split()), 80)}（正答率 20%、5回答）"
    quiet = WeekData("2026-W48", days[1:2], 2)
    assert "最難問" not in weekly_report(quiet, last, [], [], bank, Messages("ja")).body

"""Reports of problems with questions, on SQLite and Postgres: `/dop flag` in the console, one report
per person per question, withdrawal from the daily rotation at two reporters, `keep` and `drop`
resolutions, and `dop-bot questions --flagged` and `content check` through the command line."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from adapters.cli import main
from adapters.console import ConsoleSession
from bot.bootstrap import start_core
from bot.config import Settings
from bot.content import Content, bank_problems
from bot.dispatcher import Requester
from bot.messenger import RecordingMessenger
from bot.quiz.bank import QuestionBank
from bot.quiz.build import build_bank
from bot.quiz.config import Resolution, load_quiz_config
from bot.quiz.model import QuestionKind
from bot.quiz.selection import choose_daily
from bot.storage.database import Database
from bot.storage.flags import FlagStore
from bot.storage.refs import ChannelRef, UserRef
from tests.conftest import FakeClock
from tests.databases import BACKENDS, create_database, drop_database
from tests.test_scheduler_jobs import MONDAY_9_JST, _jobs, _subscribe

ROOT = Path(__file__).resolve().parents[1]
T0 = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
SLACK_C1 = ChannelRef("slack", "T1", "C1")


async def test_flag_in_the_console_stores_one_report_per_person(
    database: Database, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    core = await start_core(Settings(database_url=database.url), clock)
    try:
        me = ConsoleSession(core.dispatcher)
        shown = await me.send("/dop quiz dynamodb")
        match = re.search(r"/dop flag (\S+) \[理由\]", shown)  # the console shows how to report it
        assert match is not None
        question_id = match[1]
        assert core.bank.get(question_id) is not None

        assert "IDを付けてください" in await me.send("/dop flag")
        assert "見つかりませんでした" in await me.send("/dop flag no-such-question 理由")
        assert "長すぎます" in await me.send(f"/dop flag {question_id} " + "長" * 301)
        assert "報告ありがとうございます" in await me.send(f"/dop flag {question_id}   選択肢が\u3000曖昧")
        clock.advance(hours=1)
        assert "更新しました" in await me.send(f"/dop 報告 {question_id} 答えが違う")  # the Japanese alias
        assert core.flags is not None
        assert await core.flags.withdrawn() == set()  # one person, however often

        other = Requester("console", "someone", channel_id="console", workspace_id="local")
        assert "報告ありがとうございます" in await ConsoleSession(core.dispatcher, other).send(
            f"/dop flag {question_id}"
        )
        [reported] = await core.flags.flagged()
        assert reported.question_id == question_id and reported.withdrawn
        assert [(r.reporter, r.where, r.reason, r.at) for r in reported.reports] == [
            ("console:local", "console:local:console", "答えが違う", clock.now()),  # replaced, re-dated
            ("console:someone", "console:local:console", None, clock.now()),
        ]
        assert await core.flags.withdrawn() == {question_id}
    finally:
        await core.close()


async def test_two_people_withdraw_a_question_until_a_keep_and_reports_after_it_count(
    database: Database,
) -> None:
    flags = FlagStore(database)
    await flags.record("q-1", UserRef("slack", "U1"), SLACK_C1, "x", T0)
    await flags.record("q-1", UserRef("slack", "U1"), SLACK_C1, "y", T0 + timedelta(minutes=1))
    await flags.record("q-2", UserRef("slack", "U2"), None, None, T0)
    assert await flags.withdrawn() == set()  # one person twice, and one person once
    await flags.record("q-1", UserRef("discord", "U1"), None, None, T0)  # another platform: another person
    assert await flags.withdrawn() == {"q-1"}

    kept = [Resolution("q-1", "keep", "checked: the key is right")]
    await flags.sync_resolutions(kept, T0 + timedelta(hours=1))
    assert await flags.withdrawn() == set()  # both reports are older than the resolution
    await flags.record("q-1", UserRef("slack", "U3"), SLACK_C1, "still wrong", T0 + timedelta(hours=2))
    assert await flags.withdrawn() == set()
    # U1 reports again: their report is renewed and counts again.
    await flags.record("q-1", UserRef("slack", "U1"), SLACK_C1, "really", T0 + timedelta(hours=3))
    assert await flags.withdrawn() == {"q-1"}
    await flags.sync_resolutions(kept, T0 + timedelta(hours=4))  # unchanged: it keeps its date
    assert await flags.withdrawn() == {"q-1"}
    await flags.sync_resolutions([replace(kept[0], reason="checked twice")], T0 + timedelta(hours=5))
    assert await flags.withdrawn() == set()  # a new resolution: dated now
    listed = {f.question_id: f for f in await flags.flagged()}["q-1"]
    assert (listed.resolution, listed.counted, len(listed.reports), listed.withdrawn) == ("keep", 0, 3, False)
    await flags.sync_resolutions([], T0 + timedelta(hours=6))  # taken out of the file: forgotten
    assert await flags.withdrawn() == {"q-1"}
    listed = {f.question_id: f for f in await flags.flagged()}["q-1"]
    assert listed.resolution is None and listed.counted == 3 and listed.withdrawn


async def test_a_question_reported_by_two_people_is_not_posted(
    database: Database, bank: QuestionBank, clock: FakeClock
) -> None:
    [cid] = await _subscribe(database)
    clock.current = MONDAY_9_JST
    jobs = _jobs(database, bank, clock, RecordingMessenger())
    jobs.flags = FlagStore(database)
    due = choose_daily(bank.questions, [], seed=f"{cid}")  # what the channel would be sent today
    assert due is not None
    await jobs.flags.record(due.id, UserRef("slack", "UA"), SLACK_C1, "two right answers", clock.now())
    await jobs.flags.record(due.id, UserRef("slack", "UB"), SLACK_C1, None, clock.now())
    assert await jobs.post_daily(cid) == "posted"
    post = await jobs.ledger.post_on(ChannelRef("slack", "T1", "C0"), date(2026, 11, 30), clock.now())
    assert post is not None and post.question_id != due.id
    assert choose_daily(bank.questions, [], seed=f"{cid}", excluded={due.id}) == bank.get(post.question_id)


def test_a_drop_resolution_takes_the_question_out_of_the_bank(content: Content, bank: QuestionBank) -> None:
    generated = next(q for q in bank.questions if q.kind is not QuestionKind.SCENARIO)
    curated = next(q for q in bank.questions if q.kind is QuestionKind.SCENARIO)
    resolutions = (
        *content.quiz_config.resolutions,  # the project's own stay: a slot they freed stays filled
        Resolution(generated.id, "drop", "the key names a retired feature"),
        Resolution(curated.id, "drop", "two choices are right"),
        Resolution("num-0000000000", "keep", "a typo"),
        Resolution(bank.questions[-1].id, "keep", "fine as it is"),
    )
    config = replace(content.quiz_config, resolutions=resolutions)
    rebuilt = build_bank(
        content.decks, content.glossary, config, content.curated, content.blueprint, content.errata
    )
    assert set(bank.by_id) - set(rebuilt.by_id) == {generated.id, curated.id}
    assert rebuilt.removed - bank.removed == {generated.id, curated.id}
    assert rebuilt.dropped["dropped by a resolution"] == len(bank.removed) + 2
    problems = bank_problems(replace(content, quiz_config=config), rebuilt)
    assert [(p.severity, p.message) for p in problems] == [
        ("warning", "resolution for 'num-0000000000': the bank has no such question")
    ]


def test_resolutions_are_validated(tmp_path: Path) -> None:
    quiz = tmp_path / "quiz.yaml"
    quiz.write_text(
        """resolutions:
  - question: num-1a2b3c4d5e
    action: drop          # keep | drop
    reason: "two choices are right"
  - question: ter-1a2b3c4d5e
    action: keep
    reason: "checked against the AWS documentation"
  - {question: a-1, action: remove, reason: x}
  - {question: a-2, action: keep}
  - {question: a-3, action: keep, reason: "  "}
  - {action: drop, reason: x}
  - {question: num-1a2b3c4d5e, action: keep, reason: again}
  - {question: a-4, action: keep, reason: x, date: 2026-12-01}
  - just a line
""",
        encoding="utf-8",
    )
    config, problems = load_quiz_config(quiz)
    assert [(r.question, r.action) for r in config.resolutions] == [
        ("num-1a2b3c4d5e", "drop"),
        ("ter-1a2b3c4d5e", "keep"),
        ("a-4", "keep"),
    ]
    assert config.dropped_questions == {"num-1a2b3c4d5e"}
    messages = [p.message for p in problems]
    assert messages == [
        "resolutions[2] (a-1): action must be one of keep, drop, not 'remove'",
        "resolutions[3] (a-2): needs a reason",
        "resolutions[4] (a-3): needs a reason",
        "resolutions[5]: needs the question id",
        "resolutions[6] (num-1a2b3c4d5e): the question is resolved twice",
        "resolutions[7] (a-4): unknown fields ['date']",
        "resolutions[8]: expected a mapping",
    ]
    assert all(p.severity == "error" for p in problems)


def test_content_check_and_the_bank_honour_resolutions(
    tmp_path: Path, bank: QuestionBank, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    content_dir = tmp_path / "content"
    shutil.copytree(ROOT / "content", content_dir)
    dropped = next(q for q in bank.questions if q.kind is not QuestionKind.SCENARIO)
    with (content_dir / "quiz.yaml").open("a", encoding="utf-8") as quiz:
        quiz.write(
            f"resolutions:\n  - question: {dropped.id}\n    action: drop\n    reason: unsound\n"
            "  - question: num-ffffffffff\n    action: keep\n    reason: fine\n"
        )
    monkeypatch.setenv("DOP_CONTENT_DIR", str(content_dir))
    monkeypatch.delenv("DOP_LOCALE", raising=False)
    assert main(["content", "check"]) == 0  # a warning, not an error
    out = capsys.readouterr().out
    assert "resolution for 'num-ffffffffff': the bank has no such question" in out
    assert dropped.id not in out
    assert main(["content", "check", str(content_dir / "quiz.yaml")]) == 0
    assert main(["questions", "--json"]) == 0
    ids = {q["id"] for q in json.loads(capsys.readouterr().out)}
    assert dropped.id not in ids and len(ids) >= len(bank) - 5


@pytest.mark.parametrize("backend", BACKENDS)
def test_questions_flagged_lists_reports_from_the_database(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("DOP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DOP_LOCALE", raising=False)
    url = asyncio.run(create_database(backend, tmp_path))
    monkeypatch.setenv("DATABASE_URL", url)
    try:
        assert main(["questions", "--flagged"]) == 0
        assert capsys.readouterr().out.startswith("0 reported questions")
        question = "cw-detailed-monitoring-scale-out"

        async def report() -> None:
            db = Database.open(url)
            try:
                flags = FlagStore(db)
                await flags.record(question, UserRef("slack", "U1"), SLACK_C1, "選択肢2も正しい", T0)
                await flags.record(question, UserRef("discord", "42"), None, None, T0 + timedelta(hours=1))
                await flags.record("ter-0123456789", UserRef("slack", "U1"), SLACK_C1, "typo", T0)
            finally:
                await db.close()

        asyncio.run(report())
        assert main(["questions", "--flagged"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("2 reported questions, 1 out of the daily rotation")
        assert f"{question}  2 reporters (2 counting)  withdrawn" in out
        assert "2026-12-01 00:00 slack:U1: 選択肢2も正しい" in out and "discord:42: -" in out
        assert "ter-0123456789  1 reporters (1 counting)  open\n  (not in the bank)" in out
        assert main(["questions", "--flagged", "--json"]) == 0
        listed = json.loads(capsys.readouterr().out)
        assert [(q["id"], q["reporters"], q["status"], q["resolved"]) for q in listed] == [
            (question, 2, "withdrawn", False),
            ("ter-0123456789", 1, "open", False),
        ]
        assert listed[0]["reasons"] == ["選択肢2も正しい"] and listed[0]["prompt"].startswith(
            "あるチームはEC2"
        )
    finally:
        asyncio.run(drop_database(url))

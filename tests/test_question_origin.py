"""Every question says whose words its source passage is, in the same words as lookups: the team's
notes, dop-bot's supplement, or both for a curated question citing both (issue 13). Shown after an
answer (practice and the daily question), at the reveal and in a mock exam's missed questions;
`dop-bot questions --json` names the file. Through the console and Slack."""

from __future__ import annotations

import atexit
import io
import json
import shutil
import tempfile
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest

from adapters.console import ConsoleMessenger, ConsoleSession
from bot.bootstrap import start_core
from bot.config import Settings
from bot.dispatcher import Requester
from bot.i18n import Messages
from bot.quiz.bank import QuestionBank
from bot.quiz.model import Question, QuestionKind
from bot.storage.database import Database
from bot.usecases.choices import feedback
from bot.usecases.daily import parse_daily_value
from tests.conftest import FakeClock
from tests.multiple import ask_only
from tests.test_slack import SlackRig, _text, rig  # noqa: F401 (the Slack rig fixture)

ROOT = Path(__file__).resolve().parents[1]
TEAM = "content/notes/dop.md"
SUPPLEMENT = "content/notes/dop.supplement.md"
BOTH = "test-origin-both"  # cites a team note (line 22) and a supplement note (line 8); answer: 1
TEAM_LINE, SUPPLEMENT_LINE = 22, 8
QUESTION = """
- id: test-origin-both
  prompt: 正しいものはどれか。
  choices:
    - EC2 の詳細モニタリングはメトリクスを1分間隔にし、SCP は最大の権限を制御する
    - EC2 の詳細モニタリングはメトリクスを10秒間隔にする
    - SCP は権限を付与する
    - SCP は管理アカウントにだけ適用される
  answer: 0
  explanation: 両方のノートにある。
  domains: [sdlc]
  notes: ["c524e0f24a34", "4c26904dfe21"]
"""
BOTH_JA = f"チームのノート: {TEAM} {TEAM_LINE}行目\ndop-bot 補足: {SUPPLEMENT} {SUPPLEMENT_LINE}行目"
BOTH_EN = (
    f"Your team's notes: {TEAM} line {TEAM_LINE}\ndop-bot supplement: {SUPPLEMENT} line {SUPPLEMENT_LINE}"
)


def _in_a_field(lines: str) -> str:
    """Lines as the console prints them inside a field: indented."""
    return "\n".join(f"  {line}" for line in lines.splitlines())


@cache
def _settings_folders() -> tuple[Path, Path]:
    """The project's content with the two-deck question added, and a data folder, once per run."""
    root = Path(tempfile.mkdtemp(prefix="dop-origin-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    shutil.copytree(ROOT / "content", root / "content")
    (root / "content" / "questions" / "zz-test-origin.yaml").write_text(QUESTION, encoding="utf-8")
    return root / "content", root / "data"


def _settings(database_url: str) -> Settings:
    content, data = _settings_folders()
    return Settings(database_url=database_url, content_dir=content, data_dir=data)


def _first(bank: QuestionBank, file: str) -> Question:
    return next(q for q in bank.questions if q.kind is not QuestionKind.SCENARIO and q.source.file == file)


@pytest.mark.parametrize(
    ("file", "ja", "en"),
    [(TEAM, "チームのノート", "Your team's notes"), (SUPPLEMENT, "dop-bot 補足", "dop-bot supplement")],
)
def test_the_feedback_names_the_file_as_a_lookup_does(
    bank: QuestionBank, file: str, ja: str, en: str
) -> None:
    question = _first(bank, file)
    wrong = (question.answer + 1) % len(question.choices)
    _, body, _ = feedback(question, question.grade((wrong,)), Messages("ja"))
    assert body.endswith(f"{question.explanation}\n{ja}: {file} {question.source.line}行目")
    _, english, _ = feedback(question, question.grade((question.answer,)), Messages("en"))
    assert english.endswith(f"\n{en}: {file} line {question.source.line}")


def test_json_names_the_file_and_keeps_every_key(bank: QuestionBank) -> None:
    for file, origin in ((TEAM, "team"), (SUPPLEMENT, "supplement")):
        source = _first(bank, file).to_json()["source"]
        assert isinstance(source, dict) and {"id", "path", "line"} <= source.keys()
        assert (source["file"], source["origin"], source["files"]) == (file, origin, [file])
    curated = next(q for q in bank.questions if q.kind is QuestionKind.SCENARIO)
    assert curated.to_json()["source"]["file"] == curated.source.file  # type: ignore[index]


def test_the_questions_command_prints_the_file_of_each(capsys: pytest.CaptureFixture[str]) -> None:
    from adapters.cli.bank import questions

    content, _ = _settings_folders()
    assert questions(content, "scenario", None, as_json=True) == 0
    shown = {q["id"]: q["source"] for q in json.loads(capsys.readouterr().out)}
    assert shown[BOTH]["file"] == TEAM and shown[BOTH]["origin"] == "team"
    assert shown[BOTH]["files"] == [TEAM, SUPPLEMENT] and shown[BOTH]["line"] == TEAM_LINE
    assert all(s["file"] in (TEAM, SUPPLEMENT) for s in shown.values())


async def test_practice_daily_reveal_and_exam_name_both_files_in_the_console(
    database: Database, clock: FakeClock
) -> None:
    out = io.StringIO()
    messenger = ConsoleMessenger(out=out)
    core = await start_core(_settings(database.url), clock, messenger)
    try:
        [both] = ask_only(core, BOTH)
        assert both.files == (TEAM, SUPPLEMENT)
        session = ConsoleSession(core.dispatcher)
        messenger.session = session
        await session.send("/dop quiz")
        practice = await session.send("2")
        assert "❌ 不正解" in practice and "両方のノートにある。\n出典: " in practice and BOTH_JA in practice
        english = ConsoleSession(core.dispatcher, Requester("console", "en-user", locale="en"))
        await english.send("/dop quiz")
        assert BOTH_EN in await english.send("1")

        await session.send("/dop subscribe 09:00 Asia/Tokyo mon-fri")
        clock.current = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # Monday 09:00 in Tokyo
        assert core.runner is not None
        await core.runner.sync()
        assert await core.runner.jobs.post_daily(1) == "posted"
        daily = await session.send("1")
        assert "⭕ 正解！" in daily and BOTH_JA in daily
        post_id = parse_daily_value(session.last_choices[0].value)[0]  # type: ignore[index]
        clock.advance(hours=8)
        assert await core.runner.jobs.reveal(post_id) == "revealed"
        assert _in_a_field(BOTH_JA) in out.getvalue().split("📝", 1)[1]

        assert core.exams is not None
        core.exams.bank = QuestionBank((both,))
        await session.send("/dop exam 1")
        result = await session.send("3")
        assert "間違えた問題" in result and _in_a_field(BOTH_JA) in result
    finally:
        await core.close()


async def test_a_slack_practice_answer_names_the_supplement(rig: SlackRig) -> None:  # noqa: F811
    question = _first(rig.core.bank, SUPPLEMENT)
    ask_only(rig.core, question.id)
    assert await rig.command("quiz") == 200
    [asked] = await rig.fake.wait_for("response_url")
    buttons = next(b for b in asked.body["blocks"] if b["type"] == "actions")["elements"]
    assert await rig.click(buttons[question.answer]["value"], "U1", "1.1") == 200
    answered = _text((await rig.fake.wait_for("response_url", 2))[1].body)
    assert "正解！" in answered
    assert f"dop-bot 補足: {SUPPLEMENT} {question.source.line}行目" in answered

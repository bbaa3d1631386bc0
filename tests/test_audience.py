"""`answers_in_channel` foresees who a reply is for: each subcommand is run as it is meant to be used,
on SQLite and Postgres, and its replies' privacy is compared with the forecast."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.audience import answers_in_channel
from bot.bootstrap import start_core
from bot.commands import SUBCOMMANDS
from bot.config import Settings
from bot.dispatcher import Requester
from bot.messenger import RecordingMessenger
from bot.replies import ReplyKind
from tests.conftest import FakeClock

ROOT = Path(__file__).resolve().parents[1]

# One ordinary use of every subcommand, in an order in which each of them succeeds.
USES = {
    "ask": "ask elb 503",
    "topics": "topics",
    "help": "help",
    "quiz": "quiz dynamodb",
    "answer": "answer 1",
    "review": "review",
    "exam": "exam 3",
    "flag": "flag cw-detailed-monitoring-scale-out 選択肢2も正しいのでは",
    "stats": "stats",
    "export": "export",
    "report": "report",
    "subscribe": "subscribe 09:00 Asia/Tokyo mon-fri",
    "schedule": "schedule",
    "pause": "pause",
    "resume": "resume",
    "unsubscribe": "unsubscribe",
}


async def test_every_subcommand_answers_whom_the_forecast_says(
    database,  # type: ignore[no-untyped-def]
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert set(USES) == {sub.name for sub in SUBCOMMANDS}  # a new subcommand needs a use here
    monkeypatch.chdir(ROOT)
    core = await start_core(Settings(database_url=database.url), clock, RecordingMessenger())
    manager = Requester("test", "u1", channel_id="c1", display_name="u1", can_manage=True)
    try:
        for name, line in USES.items():
            replies = await core.dispatcher.handle(line, manager)
            assert replies and all(r.kind in (ReplyKind.INFO, ReplyKind.ANSWER) for r in replies), name
            assert {r.private for r in replies} == {not answers_in_channel(line)}, name
    finally:
        await core.close()


@pytest.mark.parametrize(
    ("line", "public"),
    [
        ("/dop 週報", True),
        ("dop レポート 2026-W01", True),
        ("sub 07:30", True),
        ("一時停止", True),
        ("/dop ask report", False),
        ("report", True),
        ("reprot", False),  # a near miss gets "did you mean", privately
        ("", False),
        ("schedule", False),
    ],
)
def test_aliases_and_questions_are_read_as_the_core_reads_them(line: str, public: bool) -> None:
    assert answers_in_channel(line) is public

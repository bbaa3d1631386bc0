"""`/dop export`: a person's missed and due questions as an Anki deck, with their FSRS state, through the
console on SQLite and Postgres (the Slack and Discord paths are in test_slack.py and test_discord.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from adapters.console import ConsoleSession
from bot.bootstrap import Core, start_core
from bot.config import Settings
from bot.dispatcher import Requester
from bot.i18n import Messages
from bot.messenger import RecordingMessenger
from bot.quiz.model import Question
from bot.replies import ReplyKind
from bot.storage.database import Database
from bot.storage.refs import ChannelRef
from bot.usecases.daily import daily_value
from tests.anki import open_deck
from tests.conftest import ROOT, FakeClock

T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # 10:00 in Tokyo
ME = "console:local"  # the console's person, as the practice service keys them
JA = Messages("ja")


@dataclass
class Rig:
    core: Core
    clock: FakeClock
    session: ConsoleSession
    files: Path


@pytest.fixture
async def rig(database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Rig]:
    monkeypatch.chdir(ROOT)
    clock = FakeClock(T0)
    core = await start_core(
        Settings(database_url=database.url, data_dir=tmp_path), clock, RecordingMessenger()
    )
    files = tmp_path / "files"
    try:
        yield Rig(core, clock, ConsoleSession(core.dispatcher, files=files), files)
    finally:
        await core.close()


def _linked(core: Core, count: int) -> list[Question]:
    """Single-answer questions whose note has a reference link."""
    found = []
    for question in core.bank.questions:
        hit = core.engine.passage(question.source.id)
        if not question.multiple and hit is not None and hit.refs:
            found.append(question)
        if len(found) == count:
            return found
    raise AssertionError("the bank has too few linked questions")


def _wrong(question: Question) -> int:
    return (question.answer + 1) % len(question.choices)


async def test_the_deck_holds_the_missed_and_the_due_with_their_schedule(rig: Rig) -> None:
    core, clock = rig.core, rig.clock
    q1, q2, q3, q4, q5 = _linked(core, 5)
    assert core.ledger is not None
    post = await core.ledger.claim(ChannelRef("console", "local", "console"), date(2026, 11, 30), q1.id, T0)
    assert post is not None
    assert "不正解" in await rig.session.send(f"/dop answer {daily_value(post.id, _wrong(q1), q1.id)}")
    await core.practice.answer(ME, q2.id, _wrong(q2))  # missed, and due again a minute later
    await core.practice.answer(ME, q3.id, q3.answer)  # right: due again ten minutes later
    await core.practice.answer(ME, q4.id, _wrong(q4))
    await core.practice.answer(ME, q5.id, q5.answer)
    clock.advance(minutes=10)
    await core.practice.answer(ME, q4.id, q4.answer)  # put right: next due in ten minutes
    await core.practice.answer(ME, q5.id, q5.answer)  # graduates: due in days
    clock.advance(minutes=5)

    shown = await rig.session.send("/dop export")
    path = rig.files / "dop-2026-11-30.apkg"
    assert (
        "3問をデッキ「dop-bot DOP-C02::復習」にまとめました（間違えた問題 2問・復習期限の来た問題 2問）"
        in shown
    )
    assert JA("export.overlap") in shown  # q2 is both
    assert "Import any learning progress" in shown and JA("console.saved", path=str(path.resolve())) in shown
    deck = open_deck(path.read_bytes())
    notes = deck.notes()
    assert list(notes) == [q2.id, q3.id, q1.id]  # due (most overdue first), then missed (latest first)
    assert set(notes[q2.id][1]) >= {"missed", "due"}
    assert "due" in notes[q3.id][1] and "missed" not in notes[q3.id][1]
    assert "missed" in notes[q1.id][1] and "due" not in notes[q1.id][1]
    for question in (q1, q2, q3):
        fields, tags = notes[question.id]
        link = core.engine.passage(question.source.id).refs[0].url  # type: ignore[union-attr]
        assert f'href="{link.replace("&", "&amp;")}"' in fields["Link"]
        assert fields["Explanation"] and fields["Answer"].startswith(f"{question.answer + 1}. ")
        assert f"domain::{question.domains[0]}" in tags
    assert deck.card(q1.id)["type"] == 0  # answered only in a daily post: no card, new in Anki
    assert deck.card(q2.id)["type"] == 1 and deck.card(q2.id)["queue"] == 1  # learning, as in the bot
    assert deck.card(q3.id)["type"] == 1
    assert "dop-bot DOP-C02::復習" in deck.deck_names()

    # The same export in English; the deck is rebuilt from the database, not kept.
    english = Requester("console", "local", channel_id="console", locale="en")
    [reply] = await core.dispatcher.handle("/dop export", english)
    assert reply.private and reply.attachment is not None and reply.attachment.filename == path.name
    assert reply.body.startswith("3 questions in the deck “dop-bot DOP-C02::review” (2 missed, 2 due")


async def test_nothing_to_export_is_said_kindly_and_sends_no_file(rig: Rig) -> None:
    shown = await rig.session.send("/dop export")
    assert JA("export.nothing") in shown and not rig.files.exists()
    # Answered right and not due yet: still nothing.
    [question] = _linked(rig.core, 1)
    await rig.core.practice.answer(ME, question.id, question.answer)
    [reply] = await rig.core.dispatcher.handle("export", Requester("console", "local"))
    assert reply.attachment is None and reply.kind is ReplyKind.INFO and reply.private
    assert await rig.session.send("/dop anki") == shown  # an alias


async def test_a_database_outage_gets_the_plain_message_and_no_file(rig: Rig) -> None:
    [question] = _linked(rig.core, 1)
    await rig.core.practice.answer(ME, question.id, _wrong(question))
    assert rig.core.db is not None
    dead = Database.open("postgresql://nobody:pw@127.0.0.1:1/gone")
    rig.core.db.sessions = dead.sessions
    try:
        shown = await rig.session.send("/dop export")
    finally:
        await dead.close()
    assert JA("storage.unavailable") in shown and "Traceback" not in shown and not rig.files.exists()


async def test_the_console_says_when_it_cannot_save_the_file(rig: Rig) -> None:
    [question] = _linked(rig.core, 1)
    await rig.core.practice.answer(ME, question.id, _wrong(question))
    rig.files.write_text("a file where the directory should be")
    shown = await rig.session.send("/dop export")
    assert "dop-2026-11-30.apkg を保存できませんでした" in shown and "Traceback" not in shown

"""Start-up snapshots (bot/snapshot.py): what start-up builds from content/ is read back, never stale."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.bootstrap import build_core
from bot.config import Settings
from bot.snapshot import SnapshotStore, snapshot_key
from tests.conftest import FakeClock

ROOT = Path(__file__).resolve().parents[1]
CLOCK = FakeClock(datetime(2026, 11, 30, tzinfo=UTC))


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Settings, Path]:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    return Settings(content_dir=content, data_dir=tmp_path / "data"), content


def _snapshots(settings: Settings) -> list[Path]:
    return sorted((settings.data_path() / "snapshots").glob("snapshot-*.pickle"))


def test_a_second_start_reads_the_content_index_and_bank_back(
    setup: tuple[Settings, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, _ = setup
    first = build_core(settings, CLOCK)
    questions = [(q.id, q.choices, q.answer) for q in first.bank.questions]  # built, then saved
    assert len(_snapshots(settings)) == 1

    def no_building(*args: object, **kwargs: object) -> None:
        raise AssertionError("built again although the snapshot holds it")

    monkeypatch.setattr("bot.snapshot.load_content", no_building)  # where start-up builds content
    monkeypatch.setattr("bot.quiz.build.build_bank", no_building)
    again = build_core(settings, CLOCK)
    assert [(q.id, q.choices, q.answer) for q in again.bank.questions] == questions
    assert again.engine.search("elb 503").hits[0].title == first.engine.search("elb 503").hits[0].title


def test_editing_the_content_makes_a_new_snapshot_that_shows_the_edit(setup: tuple[Settings, Path]) -> None:
    settings, content = setup
    build_core(settings, CLOCK)
    key = snapshot_key(content)
    notes = content / "notes" / "dop.md"
    notes.write_text(
        notes.read_text(encoding="utf-8") + "\n- ズンドコ検証トピック\n  - 確認用の事実\n", encoding="utf-8"
    )
    assert snapshot_key(content) != key
    core = build_core(settings, CLOCK)
    assert any("ズンドコ" in n.text for d in core.content.decks for n in d.walk())
    assert len(_snapshots(settings)) == 1  # the old one is gone


def test_a_damaged_snapshot_is_built_again_and_an_unwritable_folder_is_no_error(
    setup: tuple[Settings, Path], tmp_path: Path
) -> None:
    settings, content = setup
    build_core(settings, CLOCK)
    [path] = _snapshots(settings)
    path.write_bytes(b"not a pickle")
    assert SnapshotStore(path.parent).load(snapshot_key(content)) is None
    assert build_core(settings, CLOCK).engine.search("elb 503").hits
    blocked = tmp_path / "a-file"
    blocked.write_text("x")
    unwritable = Settings(content_dir=content, data_dir=blocked / "under-a-file")
    assert build_core(unwritable, CLOCK).engine.search("elb 503").hits

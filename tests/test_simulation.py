"""The end-to-end proof on short runs: the real scheduler, services and storage on a virtual clock,
with restarts and two replicas, on SQLite and Postgres."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapters.cli import main
from bot.quiz.bank import QuestionBank
from bot.simulation import Simulation, verify
from tests.databases import BACKENDS, create_database, drop_database

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("backend", BACKENDS)
async def test_restarts_and_replicas_post_reveal_and_report_exactly_once(
    backend: str, tmp_path: Path, bank: QuestionBank
) -> None:
    url = await create_database(backend, tmp_path)
    try:
        result = await Simulation(
            url=url, bank=bank, days=9, channels=6, users=48, seed=3, restart_every=7, replicas=2
        ).run()
    finally:
        await drop_database(url)
    assert verify(result) == []
    assert result["meta"]["restarts"] >= 25
    assert len(result["posts"]) >= 6 * 4 and len(result["reports"]) >= 6
    assert result["answers"] and result["streaks"]
    assert {k for k in result} >= {"channels", "posts", "reveals", "reports", "answers", "streaks"}
    post = result["posts"][0]
    assert set(post) == {"channel", "local_date", "question_id"} and len(post["local_date"]) == 10


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_restart_near_the_end_never_moves_the_clock_past_it(
    backend: str, tmp_path: Path, bank: QuestionBank
) -> None:
    # With these values the last restart's downtime would end after the run's end; nothing may be posted
    # or reported from beyond it.
    url = await create_database(backend, tmp_path)
    try:
        result = await Simulation(
            url=url, bank=bank, days=3, channels=4, users=12, seed=5, restart_every=1.3, replicas=2
        ).run()
    finally:
        await drop_database(url)
    assert verify(result) == []
    assert result["meta"]["restarts"] >= 50


def test_verify_catches_doubles_misses_and_wrong_streaks(bank: QuestionBank) -> None:
    import asyncio
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        result = asyncio.run(
            Simulation(url=f"sqlite:///{folder}/s.db", bank=bank, days=4, channels=3, users=12, seed=5).run()
        )
    assert verify(result) == []
    doubled = {**result, "posts": [*result["posts"], result["posts"][0]]}
    assert any("posts" in p for p in verify(doubled))
    missing = {**result, "reveals": result["reveals"][1:]}
    assert any("reveals" in p for p in verify(missing))
    wrong = {**result, "streaks": [{**s, "longest": s["longest"] + 1} for s in result["streaks"]]}
    assert any("recomputed" in p for p in verify(wrong))


def test_the_simulate_command_prints_one_json_object(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert main(["simulate", "--days", "3", "--channels", "2", "--users", "6", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["meta"]["problems"] == [] and len(result["channels"]) == 2
    assert all(set(c) == {"id", "timezone", "time", "weekdays"} for c in result["channels"])

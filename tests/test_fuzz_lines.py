"""10,000 hostile lines through the console on SQLite (1,000 on Postgres, where ids are 32-bit): no error
id, no traceback, no error in the log, and a hint for every line that is certainly a mistake."""

from __future__ import annotations

import logging
import unicodedata

import pytest

from bot.commands import MAX_LINE_CHARS
from bot.replies import Attachment, ReplyKind
from bot.storage.database import Database
from bot.storage.stats import WeekData
from bot.usecases import stats as stats_commands
from tests.conftest import FakeClock
from tests.fuzz_lines import LONG, NOW, SEED, fuzz_lines, fuzz_run, seeded_question_ids


def test_the_corpus_is_seeded_and_covers_what_the_issue_lists() -> None:
    lines = fuzz_lines()
    assert lines == fuzz_lines() and lines != fuzz_lines(seed=SEED + 1)
    text = "".join(line.text for line in lines if len(line.text) < LONG)
    assert sum(len(line.text) >= LONG for line in lines) >= 5
    assert sum(len(line.text) > MAX_LINE_CHARS for line in lines) >= 20
    odd = ("\x00", "\x1b", "\u202e", "\u200f", "\u200b", "\ufeff", "👨‍👩‍👧‍👦", "²", "٣", "３", "\ud800")
    assert [c for c in odd if c not in text] == []
    assert any(unicodedata.category(c) == "Nd" and not c.isascii() for c in text)  # other scripts' digits
    wanted = (
        "9223372036854775808",
        "daily:2147483648:0",
        "9999-W52",
        "0001-W01",
        "25:00",
        "Asia/Tokio",
        "1+1",
    )
    assert [w for w in wanted if w not in text] == []
    bad = [line for line in lines if line.bad]
    assert 2_000 < len(bad) < 5_000  # plenty of both kinds


async def test_fuzzed_lines_get_hints_and_never_an_error_id(
    database: Database, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = 10_000 if database.dialect == "sqlite" else 1_000
    # A chart depends on the week's answers, never on the line typed, and drawing the few hundred the
    # corpus asks for would be most of this test's time: reports are drawn for real elsewhere.
    charts: list[str] = []

    def chart(week: WeekData, bank: object, messages: object) -> Attachment:
        charts.append(week.week)
        return Attachment(f"dop-report-{week.week}.png", b"\x89PNG")

    monkeypatch.setattr(stats_commands, "report_chart", chart)
    run = await fuzz_run(database.url, FakeClock(NOW))
    try:
        lines = fuzz_lines(count, question_ids=seeded_question_ids(run))
        # The Postgres slice too reaches post ids past 32 bits, which once failed there as int32.
        assert any("daily:2147483648:" in line.text for line in lines)
        failures: list[str] = []
        with caplog.at_level(logging.WARNING):
            for line in lines:
                out = await run.session.send(line.text)  # raising fails the test with the line in it
                kinds = {reply.kind for reply in run.session.replies}
                if ReplyKind.ERROR in kinds or "Traceback" in out:
                    failures.append(f"error: {line.text[:60]!r}")
                elif line.bad and ReplyKind.PROBLEM not in kinds:
                    failures.append(f"no hint: {line.text[:60]!r} -> {out[:60]!r}")
    finally:
        await run.close()
    assert failures == []
    assert run.error_ids == []
    assert charts  # reports with answers in them were reached
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert logged == []

"""The lines issue 11 found crashing or apologising, each with a hint now: on SQLite and Postgres, in the
console, the REPL (bad bytes, Ctrl-C) and the one-shot CLI."""

from __future__ import annotations

import asyncio
import io
import os
import pty
import select
import signal
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.cli import main
from adapters.console import ConsoleSession, run_console
from adapters.discord.config import DiscordSetupError, discord_config
from bot.commands import MAX_ID, MAX_LINE_CHARS
from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.replies import ReplyKind
from bot.storage.database import Database
from tests.conftest import FakeClock
from tests.databases import BACKENDS, create_database, drop_database
from tests.fuzz_lines import NOW, FuzzRun, fuzz_run
from tests.processes import cli_env

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
async def run(database: Database) -> AsyncIterator[FuzzRun]:
    """The console on a real database with two weeks of daily posts (ids 1-14, the last one open)."""
    started = await fuzz_run(database.url, FakeClock(NOW))
    try:
        yield started
    finally:
        await started.close()
    assert started.error_ids == []


async def _hint(run: FuzzRun, line: str) -> str:
    out = await run.session.send(line)
    assert [r.kind for r in run.session.replies] == [ReplyKind.PROBLEM], (line, out)
    return out


async def test_weeks_outside_2000_to_2999_get_the_week_hint(run: FuzzRun) -> None:
    for week in ("9999-W52", "0001-W01", "1999-W52", "3000-W01", "2025-W53", "２０２６-W48", "²⁰²⁶-W48"):
        assert "2026-W48 のように" in await _hint(run, f"/dop report {week}")
    for week in ("2000-W01", "2999-W52", "2026-W53"):  # the ends of the range, and a year with 53 weeks
        assert f"週間レポート {week}" in await run.session.send(f"/dop report {week}")


async def test_answers_take_ascii_or_fullwidth_numbers_within_range(run: FuzzRun) -> None:
    # A single-answer question (a multiple-response one asks for several numbers: tests/test_multiple.py).
    shown = await run.session.send("/dop quiz ec2")  # EC2 has no multiple-response question
    assert "練習問題" in shown and "つ選択せよ" not in shown
    for typed in ("/dop answer ²", "²", "³", "/dop answer ٣", "/dop answer 1²", "/dop answer ①", "0"):
        assert "までの番号で答えてください" in await _hint(run, typed)
    for value in ("practice:x:²", "practice::0", "practice:x:9223372036854775808"):
        await _hint(run, f"/dop answer {value}")
    # Fullwidth digits are what a Japanese IME types: they answer.
    assert "正解" in await run.session.send("/dop answer ２")
    assert [r.kind for r in run.session.replies] == [ReplyKind.ANSWER]


async def test_daily_values_out_of_range_get_the_unknown_question_hint(run: FuzzRun) -> None:
    for value in (
        "daily:9223372036854775808:0",
        "daily:2147483648:0",  # past Postgres' int32: once a DataError there
        f"daily:{MAX_ID}:0",  # the largest id both databases hold: looked up, not found
        "daily:14:2147483648",  # a real post, an impossible choice
        "daily:14:99",
        "daily:²:0",
        "daily:-1:0",
        "daily:14:0:not-its-question",
    ):
        assert "この問題は見つかりませんでした" in await _hint(run, f"/dop answer {value}")
    out = await run.session.send("/dop answer daily:14:0")  # the open post, in range
    assert [r.kind for r in run.session.replies] == [ReplyKind.ANSWER] and "正解" in out


async def test_only_ascii_or_fullwidth_digits_make_a_time(run: FuzzRun) -> None:
    for args, hint in (
        ("²:00", "00:00〜23:59"),
        ("٠٩:٠٠", "00:00〜23:59"),
        ("25時", "00:00〜23:59"),
        ("Asia/東京", "Asia/Tokyo"),
    ):
        assert hint in await _hint(run, f"/dop subscribe {args}")
    assert "08:30" in await run.session.send("/dop subscribe ０８：３０")  # fullwidth, from an IME


async def test_a_line_over_the_cap_gets_the_length_hint_before_any_work(dispatcher: Dispatcher) -> None:
    session = ConsoleSession(dispatcher)
    for line in ("/dop quiz " + "x" * 100_000, "/dop ask " + "elb " * 200, "x" * (MAX_LINE_CHARS + 1)):
        assert f"{MAX_LINE_CHARS}文字まで" in await session.send(line)
    longest = "/dop ask " + "x" * (MAX_LINE_CHARS - len("/dop ask "))
    assert "見つかりませんでした" in await session.send(longest)


async def test_the_repl_reads_any_bytes_and_a_lone_superscript(dispatcher: Dispatcher) -> None:
    typed = "²\n".encode() + b"\xff\xfe\x00\x1b[2J\n/dop ask elb 503\n"  # bytes that are not UTF-8
    stdin = io.TextIOWrapper(io.BytesIO(typed), encoding="utf-8", errors="strict")
    stdout = io.StringIO()
    await run_console(dispatcher, stdin, stdout)
    text = stdout.getvalue()
    assert "HTTPCode_ELB_5XX" in text and text.rstrip().endswith("またどうぞ！")


def test_ctrl_c_ends_the_interactive_repl_at_once_without_a_traceback(tmp_path: Path) -> None:
    """A real terminal: Ctrl-C at the prompt used to wait for Enter (the reading thread was joined)."""
    pid, terminal = pty.fork()
    if pid == 0:  # the child: the console on a fresh SQLite file
        os.chdir(ROOT)
        env = cli_env(DOP_DATA_DIR=str(tmp_path), DOP_LOCALE="ja")
        os.execve(sys.executable, [sys.executable, "-m", "adapters.cli", "console"], env)
    output = b""
    done = (0, 0)

    def read_until(marker: bytes, seconds: float) -> None:
        nonlocal output
        deadline = time.monotonic() + seconds
        while marker not in output and time.monotonic() < deadline:
            if select.select([terminal], [], [], 0.1)[0]:
                try:
                    output += os.read(terminal, 65536)
                except OSError:  # the child has gone
                    return

    try:
        read_until(b"dop> ", 30)
        os.write(terminal, "²\n".encode())
        read_until("始めましょう".encode(), 10)
        os.write(terminal, b"\x03")  # what the terminal sends for Ctrl-C
        read_until("またどうぞ".encode(), 10)
        deadline = time.monotonic() + 10
        while (done := os.waitpid(pid, os.WNOHANG))[0] == 0 and time.monotonic() < deadline:
            read_until(b"\x00never", 0.1)
    finally:
        if done[0] == 0:  # still running: stop it, then fail below
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(terminal)
    assert done[0] == pid, "the console is still running 10 s after Ctrl-C"
    text = output.decode("utf-8", "replace")
    assert "いま出題中の問題はありません" in text and "またどうぞ" in text
    assert "Traceback" not in text and os.waitstatus_to_exitcode(done[1]) == 130


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_report_command_refuses_bad_weeks_and_channels_plainly(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    url = asyncio.run(create_database(backend, tmp_path))
    monkeypatch.setenv("DATABASE_URL", url)
    try:
        for week in ("9999-W52", "0001-W01", "²⁰²⁶-W48"):
            assert main(["report", "--channel", "console:local:console", "--week", week]) == 2
            assert "2026-W48 のように" in capsys.readouterr().err
        too_long = "console:local:" + "x" * 65
        for channel in ("console:local:\udcff", "console:local:a\x1bb", too_long, "a" * 17 + ":w:c"):
            assert main(["report", "--channel", channel, "--week", "2026-W48"]) == 2
            assert "PLATFORM:WORKSPACE:CHANNEL" in capsys.readouterr().err
        assert main(["report", "--channel", "console:local:console", "--week", "2026-W48"]) == 0
    finally:
        asyncio.run(drop_database(url))


def test_ask_reads_undecodable_input_and_arguments(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    strict = io.TextIOWrapper(io.BytesIO(b"elb 503\n\xff\xfe zzq\n"), encoding="utf-8", errors="strict")
    monkeypatch.setattr(sys, "stdin", strict)
    assert main(["ask", "-"]) == 0
    out = capsys.readouterr().out
    assert "HTTPCode_ELB_5XX" in out and "\ufffd\ufffd zzq" in out
    assert main(["ask", "zzq\udcff"]) == 0  # an undecodable byte in argv arrives as a lone surrogate
    out = capsys.readouterr().out
    assert "zzq\ufffd" in out and "\udcff" not in out


def test_a_shard_count_in_other_digits_is_a_setup_error() -> None:
    for shards in ("²", "٣", "0", "9" * 5000):
        with pytest.raises(DiscordSetupError, match="DISCORD_SHARDS"):
            discord_config(Settings(discord_token="token", discord_shards=shards))
    config = discord_config(Settings(discord_token="token", discord_shards="3"))
    assert config is not None and config.shards == 3


async def test_exam_export_and_flag_take_hostile_arguments_with_a_hint(run: FuzzRun) -> None:
    """The subcommands added with the exam frame and the scenario bank, as a hostile user types them."""
    for count in ("99999999999999999999999", "-5", "²", "0", "76", "stop now", "\u202e20"):
        assert "1〜75 の数" in await _hint(run, f"/dop exam {count}")
    for value in ("exam:1:1:0", "exam:99999999999999999999:0:0", "exam:x:²:0", "exam:1:0:9+9+9"):
        await _hint(run, f"/dop answer {value}")
    assert "500文字まで" in await _hint(run, "/dop export " + "x" * 600)
    assert "報告する問題のIDを付けてください" in await _hint(run, "/dop flag")
    assert "見つかりませんでした" in await _hint(run, "/dop flag ../../etc/passwd 理由")
    assert "500文字まで" in await _hint(run, "/dop flag sdlc-codebuild-test-reports " + "理由" * 400)

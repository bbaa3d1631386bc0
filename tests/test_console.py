"""Whole conversations through the console adapter, the core's own neutral harness."""

from __future__ import annotations

import io
import logging

import pytest

from adapters.console import ConsoleSession, run_console
from bot.dispatcher import Dispatcher, Requester
from bot.replies import Reply


async def test_ask_elb_503_shows_breadcrumb_passage_and_source(dispatcher: Dispatcher) -> None:
    out = await ConsoleSession(dispatcher).send("/dop ask elb 503")
    assert "Elastic Load Balancing (ELB) › ステータスコードについて › HTTPCode_ELB_5XX" in out
    assert "503: 様々な要因が考えられる。" in out
    assert "参考リンク" in out and "https://dev.classmethod.jp/" in out
    assert "content/notes/dop.md 503行目" in out


async def test_a_conversation_with_help_topics_typos_and_unknowns(dispatcher: Dispatcher) -> None:
    session = ConsoleSession(dispatcher)
    assert "使えるコマンド" in await session.send("/dop help")
    assert "Amazon Kinesis Data Stream" in await session.send("/dop topics kinesis")
    assert "もしかして: /dop help" in await session.send("/dop hepl")
    assert "ドリフト" in await session.send("/dop cloudfromation drift")
    assert "何を調べますか" in await session.send("/dop ask")
    assert "長すぎます" in await session.send("/dop ask " + "x" * 10_000)
    unknown = await session.send("/dop ask zzqx")
    assert "見つかりませんでした" in unknown and "/dop topics" in unknown
    assert "見つかりませんでした" in await session.send("/dop topics nosuchservice")
    # A bare line or a slash command without the /dop prefix works too.
    assert "ドリフト" in await session.send("drift")
    assert "使えるコマンド" in await session.send("/help")


async def test_english_on_request(dispatcher: Dispatcher) -> None:
    english = Requester(platform="console", user_id="u", locale="en")
    out = await ConsoleSession(dispatcher, english).send("/dop ask zzqx")
    assert "Nothing in the notes matches" in out
    assert "References" in await ConsoleSession(dispatcher, english).send("/dop ask elb 503")
    assert "Commands" in await ConsoleSession(Dispatcher(engine=dispatcher.engine, default_locale="en")).send(
        "/dop help"
    )


async def test_a_failing_command_apologises_with_an_id_and_logs_the_traceback(
    dispatcher: Dispatcher, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(requester: Requester, args: str, messages: object) -> list[Reply]:
        raise RuntimeError("boom")

    dispatcher.handlers["ask"] = broken
    with caplog.at_level(logging.ERROR):
        out = await ConsoleSession(dispatcher).send("/dop ask anything")
    assert "err12345" in out and "boom" not in out and "Traceback" not in out
    assert "err12345" in caplog.text and caplog.records[0].exc_info is not None


async def test_the_repl_reads_until_quit(dispatcher: Dispatcher) -> None:
    stdin = io.StringIO("/dop ask drift\n\n/quit\n/dop ask never reached\n")
    stdout = io.StringIO()
    await run_console(dispatcher, stdin, stdout)
    text = stdout.getvalue()
    assert text.startswith("dop-bot コンソールへようこそ")
    assert "ドリフト" in text and "never reached" not in text
    assert text.rstrip().endswith("またどうぞ！")


async def test_the_repl_ends_at_end_of_input(dispatcher: Dispatcher) -> None:
    stdout = io.StringIO()
    await run_console(dispatcher, io.StringIO("/dop ask elb 503"), stdout)
    assert "HTTPCode_ELB_5XX" in stdout.getvalue()

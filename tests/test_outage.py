"""The database fails under the bot: Postgres behind the fault-injecting proxy (tests/faultproxy.py),
driven through Bolt's real HTTP path and discord.py's real gateway path.

Every click and command gets a reply: its normal one, or the plain "try again" message. A click
answered normally is stored once; a click told to try again stored nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from adapters.discord.messenger import DiscordMessenger
from adapters.run import RoutingMessenger
from tests.conftest import FakeClock
from tests.discord_client import start_client, stop_client
from tests.fake_discord import FakeDiscord, component_payload, pointed_at
from tests.faultproxy import FaultProxy
from tests.outage import UNAVAILABLE, click_burst, post_daily_question, proxied_postgres, slack_rig
from tests.test_discord import ROOT, TOKEN, DiscordRig, _post_daily, message_with, start_rig_core, text_of
from tests.test_slack import SlackRig

REPLY_WITHIN = 10.0  # seconds: what a user may wait for an answer while the database is silent


@pytest.fixture
async def outage(tmp_path: Path) -> AsyncIterator[tuple[FaultProxy, str, SlackRig]]:
    async with proxied_postgres(tmp_path) as (proxy, through, direct), slack_rig(through) as rig:
        yield proxy, direct, rig


async def test_a_burst_of_clicks_through_a_cut_all_get_a_reply_and_none_is_lost_or_doubled(
    outage: tuple[FaultProxy, str, SlackRig],
) -> None:
    proxy, direct, rig = outage
    values = await post_daily_question(rig)
    burst = await click_burst(
        rig, proxy, direct, values[0], clicks=400, rate=80, cut_after=130, refuse_for=3.0
    )
    summary = burst.summary()
    assert summary["http"] == {"200": 400}, summary  # every click acked at once
    assert summary["answered"] + summary["unavailable"] == 400, summary  # each got exactly one reply
    assert summary["unavailable"] > 0 and summary["answered"] > 0, summary  # the cut did happen
    assert summary["stored_not_answered"] == 0 and summary["answered_not_stored"] == 0, summary
    assert proxy.cuts > 0


async def test_a_click_whose_commit_went_unanswered_learns_what_was_stored(
    outage: tuple[FaultProxy, str, SlackRig],
) -> None:
    """The connection dies after the server got COMMIT and before the bot heard back: the answer is
    stored, so the click must be told so (not "try again"), and it is stored once."""
    proxy, direct, rig = outage
    values = await post_daily_question(rig)
    proxy.lose_reply_to(b"INSERT INTO answers", b"COMMIT")
    assert await rig.click(values[0], "U1", "1.1") == 200
    [_, reply] = await rig.fake.wait_for("response_url", 2, timeout=REPLY_WITHIN)
    assert proxy.lost_replies == 1
    assert "正解" in str(reply.body) and UNAVAILABLE not in str(reply.body)
    assert await _stored(direct) == {"U1"}


async def test_a_command_and_a_click_during_a_stall_get_the_plain_message_in_time(
    outage: tuple[FaultProxy, str, SlackRig],
) -> None:
    proxy, direct, rig = outage
    values = await post_daily_question(rig)
    assert await rig.click(values[0], "UWARM", "1.1") == 200  # the pool holds live connections now
    await rig.fake.wait_for("response_url", 2)
    proxy.stall()
    assert await rig.command("stats", user="U1") == 200
    assert await rig.click(values[0], "U2", "2.1") == 200
    replies = await rig.fake.wait_for("response_url", 4, timeout=REPLY_WITHIN)
    assert all(UNAVAILABLE in str(call.body) for call in replies[2:])

    await proxy.pass_through()  # the server answers again: so does the bot, normally
    assert await rig.click(values[0], "U3", "3.1") == 200
    [*_, again] = await rig.fake.wait_for("response_url", 5, timeout=REPLY_WITHIN)
    assert "正解" in str(again.body) and UNAVAILABLE not in str(again.body)
    assert "U2" not in await _stored(direct) and "U3" in await _stored(direct)


async def _stored(direct: str) -> set[str]:
    from tests.outage import stored_answers

    return await stored_answers(direct)


async def test_app_home_during_a_cut_shows_the_plain_message(
    outage: tuple[FaultProxy, str, SlackRig],
) -> None:
    import json
    import time

    proxy, _, rig = outage
    proxy.cut()
    await proxy.refuse()
    event = {
        "token": "x",
        "team_id": "T1",
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": "EvOutage",
        "event_time": int(time.time()),
        "event": {"type": "app_home_opened", "user": "U7", "tab": "home"},
    }
    assert await rig.post(json.dumps(event), content_type="application/json") == 200
    [view] = await rig.fake.wait_for("views.publish", timeout=REPLY_WITHIN)
    assert UNAVAILABLE in json.dumps(view.body["view"], ensure_ascii=False)
    await asyncio.sleep(0)


# ------------------------------------------------------------------------------------------- Discord


@pytest.fixture
async def discord_outage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[FaultProxy, str, DiscordRig]]:
    monkeypatch.chdir(ROOT)
    async with proxied_postgres(tmp_path) as (proxy, through, direct):
        fake = await FakeDiscord().start()
        routing = RoutingMessenger()
        core = await start_rig_core(through, routing)
        with pointed_at(fake):
            client, task = await start_client(core, fake, TOKEN)
            routing.by_platform["discord"] = DiscordMessenger(client)
            yield proxy, direct, DiscordRig(fake, core, client, task)
            await stop_client(client, task)
        await core.close()
        await fake.stop()


def _said_to(fake: FakeDiscord, interaction: dict[str, Any]) -> str:
    """Everything the bot sent in answer to one interaction: its callback, edits and follow-ups."""
    token = interaction["token"]
    return " ".join(text_of(call.json_body) for call in fake.calls if token in call.path)


async def test_discord_clicks_during_a_cut_all_get_a_reply(
    discord_outage: tuple[FaultProxy, str, DiscordRig],
) -> None:
    proxy, direct, rig = discord_outage
    _, ids, answer = await _post_daily(rig)
    message_id = message_with(rig.fake, ids[0])
    proxy.cut()
    await proxy.refuse()
    during = [component_payload(ids[answer], user_id=100 + n, message_id=message_id) for n in range(5)]
    await asyncio.gather(*(rig.fake.interact(payload, timeout=REPLY_WITHIN) for payload in during))
    assert all(UNAVAILABLE in _said_to(rig.fake, payload) for payload in during)

    await proxy.pass_through()
    after = component_payload(ids[answer], user_id=200, message_id=message_id)
    await rig.fake.interact(after, timeout=REPLY_WITHIN)
    assert "正解" in _said_to(rig.fake, after)
    assert await _stored(direct) == {"200"}  # the clicks told to try again stored nothing


async def test_discord_clicks_during_a_stall_are_deferred_then_told_plainly_in_time(
    discord_outage: tuple[FaultProxy, str, DiscordRig],
) -> None:
    proxy, direct, rig = discord_outage
    _, ids, answer = await _post_daily(rig)
    message_id = message_with(rig.fake, ids[0])
    rig.core.ledger._questions.clear()  # type: ignore[union-attr]  # as after a restart: nothing cached
    proxy.stall()
    clicks = [component_payload(ids[answer], user_id=300 + n, message_id=message_id) for n in range(3)]
    callbacks = await asyncio.gather(*(rig.fake.interact(payload) for payload in clicks))
    assert all(callback.json_body["type"] == 5 for callback in callbacks)  # "thinking…" within 3 s
    for _ in range(int(REPLY_WITHIN / 0.05)):  # all of them, within 10 s of the clicks
        if all(UNAVAILABLE in _said_to(rig.fake, payload) for payload in clicks):
            break
        await asyncio.sleep(0.05)
    assert all(UNAVAILABLE in _said_to(rig.fake, payload) for payload in clicks)
    await proxy.pass_through()
    assert await _stored(direct) == set()


# ------------------------------------------------------------------------------ Slack, OAuth mode


@pytest.fixture
async def oauth_outage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[FaultProxy, SlackRig]]:
    """Many-workspaces mode: Bolt looks the workspace's installation up in the database before any
    listener runs, so an outage reaches the request before our own code does."""
    import aiohttp
    from aiohttp import web
    from slack_sdk.oauth.installation_store import Installation

    from adapters.slack.app import SlackConfig, build_app, web_client
    from adapters.slack.guard import guarded_web_app
    from adapters.slack.messenger import SlackMessenger
    from adapters.slack.oauth import installation_store
    from bot.bootstrap import start_core
    from bot.config import Settings
    from tests.outage import AddressedSlack
    from tests.test_slack import SECRET

    monkeypatch.chdir(ROOT)
    async with proxied_postgres(tmp_path) as (proxy, through, _):
        fake = await AddressedSlack().start()
        config = SlackConfig(
            bot_token=None,
            signing_secret=SECRET,
            api_url=f"{fake.base}/api/",
            client_id="111.222",
            client_secret="client-secret",
        )
        client = web_client(config)
        core = await start_core(
            Settings(database_url=through),
            FakeClock(datetime(2026, 11, 30, tzinfo=UTC)),
            SlackMessenger(client),
        )
        assert core.db is not None
        await installation_store("111.222", core.db.engine).async_save(
            Installation(
                app_id="A1",
                team_id="T1",
                user_id="UINSTALL",
                bot_token="xoxb-team-T1",
                bot_id="B1",
                bot_user_id="UB1",
            )
        )
        runner = web.AppRunner(guarded_web_app(build_app(core, config, client), SECRET))
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        async with aiohttp.ClientSession() as session:
            yield proxy, SlackRig(fake, core, f"http://127.0.0.1:{port}/slack/events", session)
        await runner.cleanup()
        await core.close()
        await fake.stop()


@pytest.mark.parametrize("failure", ["cut", "stall"])
async def test_in_oauth_mode_commands_during_an_outage_get_a_reply(
    oauth_outage: tuple[FaultProxy, SlackRig], failure: str
) -> None:
    proxy, rig = oauth_outage
    assert await rig.command("ask elb 503", team_id="T1") == 200
    [normal] = await rig.fake.wait_for("response_url", timeout=REPLY_WITHIN)
    assert "HTTPCode_ELB_5XX" in str(normal.body)
    if failure == "cut":
        proxy.cut()
        await proxy.refuse()
    else:
        proxy.stall()
    # A lookup needs no database: it is answered as usual; what needs the database gets the plain message.
    assert await rig.command("ask elb 503", team_id="T1") == 200
    assert await rig.command("stats", team_id="T1") == 200
    replies = await rig.fake.wait_for("response_url", 3, timeout=REPLY_WITHIN)
    said = [str(call.body) for call in replies[1:]]
    assert any("HTTPCode_ELB_5XX" in text for text in said)
    assert any(UNAVAILABLE in text for text in said)

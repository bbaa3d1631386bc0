"""The Discord adapter through discord.py's real path: the client is started unmodified against a local
stand-in for Discord (REST and gateway), raw INTERACTION_CREATE payloads arrive over the gateway, and
every reply is read back from what the stand-in received."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from adapters.discord.app import Client, build_client
from adapters.discord.bridge import Bridge
from adapters.discord.config import DiscordConfig
from adapters.discord.messenger import DiscordMessenger
from adapters.run import RoutingMessenger
from bot.bootstrap import Core, build_core, start_core
from bot.config import Settings
from bot.messenger import MessengerError
from bot.replies import Reply
from bot.storage.refs import ChannelRef
from tests.conftest import FakeClock
from tests.discord_client import start_client, stop_client
from tests.fake_discord import (
    ADMIN_PERMISSIONS,
    CALLBACK_ROUTE,
    CHANNEL_ID,
    GUILD_ID,
    MANAGER_PERMISSIONS,
    MEMBER_PERMISSIONS,
    USER_ID,
    Call,
    FakeDiscord,
    autocomplete_payload,
    command_payload,
    component_payload,
    modal_submit_payload,
    pointed_at,
)
from tests.multiple import single_answer_only
from tests.processes import cli_env, spawn_cli

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "discord-test-token"
MESSAGES = "POST /channels/{channel_id}/messages"
EDIT = "PATCH /channels/{channel_id}/messages/{message_id}"
EPHEMERAL = 64
LOADING = 128  # a deferred response still showing "thinking…"
ORIGINAL_EDIT = "PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original"


def option(name: str, value: Any) -> dict[str, Any]:
    return {"type": 4 if isinstance(value, int) else 3, "name": name, "value": value}


def sub(name: str, **options: Any) -> list[dict[str, Any]]:
    return [{"type": 1, "name": name, "options": [option(k, v) for k, v in options.items()]}]


def message_with(fake: FakeDiscord, custom_id: str) -> int:
    """The id of the message (as the stand-in keeps it) that carries this button."""
    return next(int(m["id"]) for m in fake.messages.values() if custom_id in json.dumps(m.get("components")))


def text_of(body: Any) -> str:
    """Everything a person would read in a message body: content, embeds and button labels."""
    return json.dumps(body, ensure_ascii=False)


@dataclass
class DiscordRig:
    fake: FakeDiscord
    core: Core
    client: Client
    task: asyncio.Task[None]

    async def command(
        self,
        name: str,
        *,
        user_id: int = USER_ID,
        permissions: str = MEMBER_PERMISSIONS,
        guild_id: int | None = GUILD_ID,
        **options: Any,
    ) -> Call:
        payload = command_payload(
            "dop", sub(name, **options), user_id=user_id, permissions=permissions, guild_id=guild_id
        )
        return await self.fake.interact(payload)

    async def click(self, custom_id: str, user_id: int, message_id: int) -> Call:
        return await self.fake.interact(component_payload(custom_id, user_id=user_id, message_id=message_id))


async def start_rig_core(database_url: str, routing: RoutingMessenger) -> Core:
    clock = FakeClock(datetime(2026, 11, 29, 23, 0, tzinfo=UTC))  # Monday 08:00 in Tokyo
    return single_answer_only(await start_core(Settings(database_url=database_url), clock, routing))


@pytest.fixture
async def rig(database, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[DiscordRig]:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(ROOT)
    fake = await FakeDiscord().start()
    routing = RoutingMessenger()
    core = await start_rig_core(database.url, routing)
    with pointed_at(fake):
        client, task = await start_client(core, fake, TOKEN)
        routing.by_platform["discord"] = DiscordMessenger(client)
        rig = DiscordRig(fake, core, client, task)
        yield rig
        await stop_client(rig.client, rig.task)  # a test that restarts leaves its new client here
    await rig.core.close()
    await fake.stop()


async def test_ask_answers_privately_with_an_embed_and_a_share_button(rig: DiscordRig) -> None:
    callback = await rig.command("ask", query="elb 503")
    body = callback.json_body
    assert body["type"] == 4  # answered at once, no "thinking…"
    assert body["data"]["flags"] & EPHEMERAL
    [embed] = body["data"]["embeds"]
    assert "HTTPCode\\_ELB\\_5XX" in embed["title"] + embed.get("description", "")
    assert "503: 様々な要因が考えられる。" in embed["description"]
    assert "dop:s:" in text_of(body["data"]["components"])
    assert body["data"]["allowed_mentions"] == {"parse": []}


async def test_autocomplete_offers_services_topics_and_timezones(rig: DiscordRig) -> None:
    asked = autocomplete_payload("dop", sub("ask", query="cfn"))
    choices = (await rig.fake.interact(asked)).json_body["data"]["choices"]
    assert choices[0] == {"name": "AWS CloudFormation", "value": "AWS CloudFormation"}
    zone = autocomplete_payload("dop", sub("subscribe", timezone="jst"), focused="timezone")
    zones = (await rig.fake.interact(zone)).json_body
    assert zones["type"] == 8 and zones["data"]["choices"][0]["value"] == "Asia/Tokyo"


async def test_schedule_changes_need_manage_channels(rig: DiscordRig) -> None:
    refused = await rig.command("subscribe", time="09:00")
    assert refused.json_body["data"]["flags"] & EPHEMERAL
    assert "管理者だけ" in text_of(refused.json_body)
    assert rig.core.runner is not None and await rig.core.runner.subscriptions.all() == []

    in_dm = await rig.command("subscribe", guild_id=None, permissions=ADMIN_PERMISSIONS)
    assert "サーバーのチャンネル" in text_of(in_dm.json_body)

    saved = await rig.command(
        "subscribe",
        permissions=MANAGER_PERMISSIONS,
        time="07:30",
        timezone="Asia/Tokyo",
        weekdays="mon, wed, fri",
    )
    assert not saved.json_body["data"].get("flags", 0) & EPHEMERAL  # the channel sees the new schedule
    assert "07:30" in text_of(saved.json_body)
    [saved_row] = await rig.core.runner.subscriptions.all()
    assert saved_row.channel == ChannelRef("discord", str(GUILD_ID), str(CHANNEL_ID))
    assert saved_row.schedule.weekdays == ("mon", "wed", "fri")


def answers(fake: FakeDiscord) -> list[tuple[bool, str]]:
    """(ephemeral, text) of every interaction response and follow-up still there, oldest first.

    A "thinking…" placeholder left behind fails the test: nobody would ever see a reply in it."""
    shown = [m for m in fake.messages.values() if m.get("webhook_id")]
    assert not [m for m in shown if m["flags"] & LOADING], "a thinking… placeholder was left behind"
    return [(bool(m["flags"] & EPHEMERAL), m["content"] + text_of(m["embeds"])) for m in shown]


async def answer(
    fake: FakeDiscord, bridge: Bridge, payload: dict[str, Any], *, slow: str | None = None
) -> Call:
    """Send one interaction and return its callback once the bridge is done with it.

    slow: the core handler (by name) that is held back until the stand-in has seen the interaction
    deferred (the fast path set to 0 s); the reply is then let go. Without it the fast path gets a
    minute, so the reply goes out at once however slow the machine. No sleeps, no race."""
    done, release = asyncio.Event(), asyncio.Event()
    handlers = bridge.core.dispatcher.handlers
    run, fast_reply, handler = bridge.run, bridge.fast_reply, handlers.get(slow or "")

    async def run_then_signal(*args: Any, **kwargs: Any) -> None:
        try:
            await run(*args, **kwargs)
        finally:
            done.set()

    async def held(*args: Any) -> list[Reply]:
        await release.wait()
        assert handler is not None
        return await handler(*args)

    bridge.run = run_then_signal  # type: ignore[method-assign]
    bridge.fast_reply = 0.0 if slow else 60.0
    if slow:
        handlers[slow] = held
    try:
        callback = await fake.interact(payload)
        release.set()
        await asyncio.wait_for(done.wait(), timeout=10)
    finally:
        bridge.run, bridge.fast_reply = run, fast_reply  # type: ignore[method-assign]
        if slow and handler is not None:
            handlers[slow] = handler
    return callback


@dataclass
class Light:
    """Our client against the stand-in, with a core that has no database (handlers are stubbed)."""

    fake: FakeDiscord
    bridge: Bridge


@pytest.fixture
async def light(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Light]:
    monkeypatch.chdir(ROOT)
    fake = await FakeDiscord().start()
    core = build_core(Settings(), FakeClock(datetime(2026, 11, 30, tzinfo=UTC)))
    with pointed_at(fake):
        client, task = await start_client(core, fake, TOKEN)
        yield Light(fake, client.bridge)
        await stop_client(client, task)
    await fake.stop()


# A subcommand whose reply the core foresees as private (help) or for the channel (subscribe), and
# the privacy of each reply its stubbed handler then gives: as foreseen, more than one, or not.
REPLY_CASES = {
    "private": ("help", (True,)),
    "public": ("subscribe", (False,)),
    "private-then-public": ("help", (True, False)),
    "public-then-private": ("subscribe", (False, True)),
    "private-line-public-reply": ("help", (False,)),
    "public-line-private-reply": ("subscribe", (True,)),
}


@pytest.mark.parametrize("slow", [False, True], ids=["fast", "slow"])
@pytest.mark.parametrize("case", list(REPLY_CASES))
async def test_every_reply_reaches_the_people_it_is_for(light: Light, case: str, slow: bool) -> None:
    name, privacies = REPLY_CASES[case]
    replies = [Reply(body=f"reply {n}", private=p) for n, p in enumerate(privacies, 1)]

    async def stub(*args: Any) -> list[Reply]:
        return replies

    light.bridge.core.dispatcher.handlers[name] = stub
    payload = command_payload("dop", sub(name), permissions=MANAGER_PERMISSIONS)
    callback = await answer(light.fake, light.bridge, payload, slow=name if slow else None)
    assert callback.json_body["type"] == (5 if slow else 4)
    if slow:  # deferred with the privacy the core foresaw for the line
        assert bool(callback.json_body.get("data", {}).get("flags", 0) & EPHEMERAL) == (name == "help")
    shown = answers(light.fake)
    assert [(hidden, f"reply {n}" in text) for n, (hidden, text) in enumerate(shown, 1)] == [
        (p, True) for p in privacies
    ]


@pytest.mark.parametrize("slow", [False, True], ids=["fast", "slow"])
async def test_a_reply_discord_refuses_becomes_an_apology_not_endless_thinking(
    light: Light, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, slow: bool
) -> None:
    refused = ORIGINAL_EDIT if slow else CALLBACK_ROUTE
    light.fake.errors[refused], light.fake.error_times[refused] = (400, 50035), 1
    monkeypatch.setattr(light.bridge.core.dispatcher, "new_error_id", lambda: "e7654321")
    payload = command_payload("dop", sub("help"))
    await answer(light.fake, light.bridge, payload, slow="help" if slow else None)
    [(hidden, text)] = answers(light.fake)
    assert hidden and "e7654321" in text and "Traceback" not in text
    assert [c.status for c in light.fake.named(refused)] == [400, 200]  # refused once, then the apology
    assert "e7654321" in caplog.text


async def test_an_interaction_that_is_gone_gets_one_log_line_and_no_apology(
    light: Light, caplog: pytest.LogCaptureFixture
) -> None:
    light.fake.errors[CALLBACK_ROUTE] = (404, 10062)  # Unknown interaction: its 3 s had run out
    await answer(light.fake, light.bridge, command_payload("dop", sub("help")))
    assert [c.status for c in light.fake.named(CALLBACK_ROUTE)] == [404]  # no apology tried
    [record] = [r for r in caplog.records if r.name == "adapters.discord.bridge"]
    assert record.levelname == "WARNING" and "10062" in record.getMessage() and not record.exc_info
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]  # no apology, no id


async def test_a_footer_reaches_discord_without_markdown(light: Light) -> None:
    """Discord shows a footer as typed: the catalogue's `code` marks must not reach it."""
    callback = await answer(light.fake, light.bridge, command_payload("dop", sub("ask", query="qqzzxxyy")))
    [embed] = callback.json_body["data"]["embeds"]
    assert embed["footer"]["text"] == "/dop topics でサービスとトピックの一覧を見られます。"


async def test_a_slow_report_is_posted_for_the_channel_with_its_chart(rig: DiscordRig) -> None:
    _, ids, answer_index = await _post_daily(rig)
    await rig.click(ids[answer_index], 41, message_with(rig.fake, ids[0]))
    payload = command_payload("dop", sub("report"))
    deferred = await answer(rig.fake, rig.client.bridge, payload, slow="report")
    assert deferred.json_body == {"type": 5}  # "thinking…" for everyone, not only the one who asked
    report = rig.fake.original(payload["token"])
    assert report is not None and not report["flags"] & (EPHEMERAL | LOADING)
    assert "2026-W49" in text_of(report["embeds"])
    [chart] = report["attachments"]
    assert chart["filename"].endswith(".png") and chart["size"] > 1000
    assert report["embeds"][0]["image"]["url"] == f"attachment://{chart['filename']}"


async def test_slow_schedule_changes_reach_the_channel_and_slow_mistakes_only_their_author(
    rig: DiscordRig,
) -> None:
    bridge: Bridge = rig.client.bridge
    saved = command_payload("dop", sub("subscribe", time="07:30"), permissions=MANAGER_PERMISSIONS)
    assert (await answer(rig.fake, bridge, saved, slow="subscribe")).json_body == {"type": 5}
    [(hidden, text)] = answers(rig.fake)
    assert not hidden and "毎日の問題を届けます" in text and "07:30" in text

    # Foreseen for the channel, but a mistake: the public placeholder goes, the hint is private.
    bad_week = command_payload("dop", sub("report", week="2026-W99"))
    assert (await answer(rig.fake, bridge, bad_week, slow="report")).json_body == {"type": 5}
    assert rig.fake.original(bad_week["token"]) is None
    assert [(hidden, "2026-W48 のように" in text) for hidden, text in answers(rig.fake)[1:]] == [(True, True)]

    asked = command_payload("dop", sub("help"))
    deferred = await answer(rig.fake, bridge, asked, slow="help")
    assert deferred.json_body["data"]["flags"] & EPHEMERAL
    hidden, text = answers(rig.fake)[-1]
    assert hidden and "/dop ask" in text and len(answers(rig.fake)) == 3


async def _post_daily(rig: DiscordRig) -> tuple[Call, list[str], int]:
    """Subscribe the channel, post today's question; the message, its custom_ids and the answer."""
    await rig.command("subscribe", permissions=MANAGER_PERMISSIONS)
    rig.core.clock.current = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    assert rig.core.runner is not None
    await rig.core.runner.sync()
    assert await rig.core.runner.jobs.post_daily(1) == "posted"
    post = await rig.fake.wait_for(MESSAGES)
    ids = [b["custom_id"] for row in post.json_body["components"] for b in row["components"]]
    ids = [i for i in ids if i.startswith("dop:c:")]  # the answer buttons (the report button follows)
    post_id = int(ids[0].split(":")[3])
    record = await rig.core.ledger.get(post_id)  # type: ignore[union-attr]
    assert record is not None
    question = rig.core.bank.get(record.question_id)
    assert question is not None
    return post, ids, question.answer


async def test_the_daily_flow_post_clicks_and_reveal(rig: DiscordRig) -> None:
    post, ids, answer = await _post_daily(rig)
    assert post.json_body["allowed_mentions"] == {"parse": []}
    message_id = message_with(rig.fake, ids[0])
    right, wrong = ids[answer], ids[(answer + 1) % len(ids)]
    feedback = [
        await rig.click(custom_id, user, message_id)
        for user, custom_id in ((11, right), (12, wrong), (13, right), (11, wrong))
    ]
    assert all(c.json_body["data"]["flags"] & EPHEMERAL for c in feedback)  # only the clicker sees it
    texts = [text_of(c.json_body) for c in feedback]
    assert sum("正解！" in t for t in texts) == 2 and sum("不正解" in t for t in texts) == 1
    assert "回答済みです" in texts[3]  # the second click of user 11: the first answer stands

    rig.core.clock.current += timedelta(hours=8)  # type: ignore[attr-defined]
    post_id = int(right.split(":")[3])
    assert rig.core.runner is not None
    assert await rig.core.runner.jobs.reveal(post_id) == "revealed"
    edit = await rig.fake.wait_for(EDIT)
    assert edit.path.endswith(f"/{message_id}")
    shown = text_of(edit.json_body["embeds"])
    assert f"{answer + 1}. " in shown and "— 2" in shown and "— 1" in shown
    buttons = [b for row in edit.json_body["components"] for b in row["components"]]
    buttons, [flag] = buttons[:-1], buttons[-1:]
    assert flag["custom_id"].startswith("dop:f:") and not flag.get("disabled")  # still reportable
    assert len(buttons) == len(ids) and all(b["disabled"] for b in buttons)
    assert [b["style"] == 3 for b in buttons] == [i == answer for i in range(len(ids))]  # green: right

    late = await rig.click(right, 14, message_id)
    assert "締め切られました" in text_of(late.json_body)


async def test_a_rate_limited_post_is_retried_once_discord_allows(rig: DiscordRig) -> None:
    rig.fake.limited[MESSAGES] = 1
    rig.fake.retry_after = 0.4
    post, _, _ = await _post_daily(rig)
    attempts = rig.fake.named(MESSAGES)
    assert [c.status for c in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 0.4 * 0.9
    assert post is attempts[0]


async def test_a_bot_removed_from_the_channel_is_a_permanent_failure(rig: DiscordRig) -> None:
    rig.fake.errors[MESSAGES] = (403, 50001)
    messenger = DiscordMessenger(rig.client)
    with pytest.raises(MessengerError) as failure:
        await messenger.post(ChannelRef("discord", str(GUILD_ID), str(CHANNEL_ID)), Reply(body="x"))
    assert failure.value.permanent


async def test_after_a_restart_yesterdays_button_still_answers(
    rig: DiscordRig,
    database,  # type: ignore[no-untyped-def]
) -> None:
    _, ids, answer = await _post_daily(rig)
    message_id = message_with(rig.fake, ids[0])
    await stop_client(rig.client, rig.task)
    await rig.core.close()

    # A new process: a new core on the same database, a new client; nothing kept in memory.
    routing = RoutingMessenger()
    core = await start_rig_core(database.url, routing)
    # The next morning in Tokyo; no reveal has run (the runner is not started), so the post is open.
    core.clock.current = datetime(2026, 12, 1, 0, 30, tzinfo=UTC)  # type: ignore[attr-defined]
    client, task = await start_client(core, rig.fake, TOKEN)
    rig.core, rig.client, rig.task = core, client, task
    assert len(rig.fake.identifies) == 2
    callback = await rig.click(ids[answer], 21, message_id)
    assert "正解！" in text_of(callback.json_body)
    assert callback.json_body["data"]["flags"] & EPHEMERAL


async def test_sharing_posts_the_passage_for_everyone(rig: DiscordRig) -> None:
    answer = await rig.command("ask", query="elb 503")
    share_id = next(
        b["custom_id"]
        for row in answer.json_body["data"]["components"]
        for b in row["components"]
        if b["custom_id"].startswith("dop:s:")
    )
    shared = await rig.click(share_id, USER_ID, 1)
    assert shared.json_body["type"] == 4
    assert not (shared.json_body["data"].get("flags") or 0) & EPHEMERAL
    assert "HTTPCode" in text_of(shared.json_body)
    gone = await rig.click("dop:s:ffffffffffff", USER_ID, 1)
    assert "共有できません" in text_of(gone.json_body)


async def _cli(*args: str, env: dict[str, str], timeout: float = 60) -> tuple[int, str, str]:
    process = await spawn_cli(*args, env=env)
    out, err = await asyncio.wait_for(process.communicate(), timeout)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def _env(fake: FakeDiscord, tmp_path: Path, **extra: str) -> dict[str, str]:
    return cli_env(
        DISCORD_TOKEN=TOKEN,
        DISCORD_API_URL=fake.api,
        DISCORD_GATEWAY_URL=fake.gateway_url,
        DOP_DATA_DIR=str(tmp_path),
        **extra,
    )


async def test_discord_sync_registers_dop_with_japanese_descriptions(tmp_path: Path) -> None:
    fake = await FakeDiscord().start()
    try:
        code, out, err = await _cli("discord", "sync", "--guild", str(GUILD_ID), env=_env(fake, tmp_path))
        assert code == 0, err
        assert "13 command" not in out and "1 command" in out  # one group holding the subcommands
        put = fake.named("PUT /applications/{application_id}/guilds/{guild_id}/commands")
        [group] = put[0].json_body
        assert group["name"] == "dop"
        names = {o["name"] for o in group["options"]}
        assert {"ask", "quiz", "review", "stats", "report", "subscribe", "schedule", "help"} <= names
        ask = next(o for o in group["options"] if o["name"] == "ask")
        assert ask["description_localizations"]["ja"].startswith("ノート")
        assert ask["options"][0]["autocomplete"] is True
        assert not fake.named("PUT /applications/{application_id}/commands")  # not global

        code, out, _ = await _cli("discord", "invite-url", env=_env(fake, tmp_path))
        assert code == 0
        assert "client_id=" in out and "scope=bot+applications.commands" in out and "permissions=" in out
    finally:
        await fake.stop()


async def test_dop_bot_run_starts_discord_beside_slack_and_stops_on_sigterm(tmp_path: Path) -> None:
    import signal

    from tests.fake_slack import FakeSlack, free_port

    fake, slack = await FakeDiscord().start(), await FakeSlack().start()
    port = free_port()
    env = _env(
        fake,
        tmp_path,
        SLACK_BOT_TOKEN="xoxb-secret-token",
        SLACK_SIGNING_SECRET="slack-signing-secret",
        SLACK_API_URL=f"{slack.base}/api/",
        PORT=str(port),
        DOP_LOG_LEVEL="DEBUG",  # discord.py logs URLs and payloads at DEBUG: still no token may show
    )
    process = await spawn_cli("run", env=env)
    try:
        await fake.wait_ready(timeout=30)
        assert fake.identifies[0]["token"] == TOKEN
        callback_token = command_payload("dop", sub("ask", query="drift"))
        answer = await fake.interact(callback_token, timeout=10)
        assert "ドリフト" in text_of(answer.json_body)
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
        assert process.returncode == 0
        log = stderr.decode()
        assert "slack: listening" in log and "discord: logged in" in log and "shutting down" in log
        assert TOKEN not in log and "xoxb-secret-token" not in log
        assert callback_token["token"] not in log and "/interactions/" in log  # logged, token masked
        await fake.wait_closed()
    finally:
        if process.returncode is None:
            process.kill()
        await fake.stop()
        await slack.stop()


async def test_a_refused_token_stops_the_start_with_a_plain_message(tmp_path: Path) -> None:
    fake = await FakeDiscord(token="the-real-token").start()
    try:
        code, _, err = await _cli("run", env=_env(fake, tmp_path, PORT="0"))
        assert code == 2
        assert "Discord refused DISCORD_TOKEN" in err and "Traceback" not in err and TOKEN not in err
    finally:
        await fake.stop()


async def test_many_servers_use_the_auto_sharded_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from adapters.discord.app import ShardedDopClient

    monkeypatch.chdir(ROOT)

    async def at_once(self: Any, shard_id: int | None, *, initial: bool = False) -> None:
        return None  # Discord spaces identifies 5 s apart; the stand-in has no such limit

    monkeypatch.setattr(ShardedDopClient, "before_identify_hook", at_once)
    fake = await FakeDiscord().start()
    routing = RoutingMessenger()
    core = await start_rig_core(f"sqlite+aiosqlite:///{tmp_path / 'shards.sqlite3'}", routing)
    try:
        with pointed_at(fake):
            config = DiscordConfig(token=TOKEN, shards=2, api_url=fake.api, gateway_url=fake.gateway_url)
            client = build_client(core, config, guild_ready_timeout=0.05)
            assert isinstance(client, ShardedDopClient)
            task = asyncio.create_task(client.start(TOKEN))
            await fake.wait_ready(count=2)
            assert sorted(tuple(i["shard"]) for i in fake.identifies) == [(0, 2), (1, 2)]
            await stop_client(client, task)
    finally:
        await core.close()
        await fake.stop()


async def test_the_weekly_report_is_posted_with_its_chart(rig: DiscordRig) -> None:
    post, ids, answer = await _post_daily(rig)
    message_id = message_with(rig.fake, ids[0])
    await rig.click(ids[answer], 31, message_id)
    rig.core.clock.current = datetime(2026, 12, 6, 23, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    assert rig.core.runner is not None
    assert await rig.core.runner.jobs.weekly_report(1) == "reported"
    report = rig.fake.named(MESSAGES)[-1]
    assert report is not post
    [(filename, size)] = report.files
    assert filename.endswith(".png") and size > 1000
    [embed] = report.json_body["embeds"]
    assert embed["image"]["url"] == f"attachment://{filename}"
    assert "2026-W49" in text_of(embed)
    assert report.json_body["allowed_mentions"] == {"parse": []}


async def test_an_adapter_bug_gets_an_apology_with_an_id_not_a_traceback(
    rig: DiscordRig, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(rig.client.bridge, "run", broken)
    monkeypatch.setattr(rig.core.dispatcher, "new_error_id", lambda: "e1234567")
    callback = await rig.command("stats")
    shown = text_of(callback.json_body)
    assert callback.json_body["data"]["flags"] & EPHEMERAL
    assert "e1234567" in shown and "secret internals" not in shown and "Traceback" not in shown
    assert "e1234567" in caplog.text and "secret internals" in caplog.text  # the log has the details


async def test_subscribing_where_the_bot_cannot_post_says_what_is_missing(rig: DiscordRig) -> None:
    no_embeds = str(int(ADMIN_PERMISSIONS) & ~(1 << 14) & ~(1 << 15))  # Embed Links, Attach Files
    payload = command_payload(
        "dop", sub("subscribe"), permissions=MANAGER_PERMISSIONS, app_permissions=no_embeds
    )
    refused = await rig.fake.interact(payload)
    shown = text_of(refused.json_body)
    assert refused.json_body["data"]["flags"] & EPHEMERAL
    assert "Embed Links" in shown and "Attach Files" in shown and "Send Messages" not in shown
    assert rig.core.runner is not None and await rig.core.runner.subscriptions.all() == []


async def test_the_longest_query_discord_allows_gets_a_friendly_answer(rig: DiscordRig) -> None:
    callback = await rig.command("ask", query="elb " * 1500)  # 6,000 characters, Discord's maximum
    assert callback.json_body["type"] == 4
    assert callback.json_body["data"]["flags"] & EPHEMERAL
    assert "Traceback" not in text_of(callback.json_body) and callback.json_body["data"]["embeds"]


async def test_practice_quiz_buttons_answer_privately_with_the_next_review(rig: DiscordRig) -> None:
    question = await rig.command("quiz", service="dynamodb")
    data = question.json_body["data"]
    assert data["flags"] & EPHEMERAL
    ids = [b["custom_id"] for row in data["components"] for b in row["components"]]
    assert ids[-1].startswith("dop:f:")  # the report button
    ids = ids[:-1]
    assert ids and all(i.startswith("dop:c:practice:") for i in ids)
    message_id = message_with(rig.fake, ids[0])
    feedback = await rig.click(ids[0], USER_ID, message_id)
    shown = text_of(feedback.json_body)
    assert feedback.json_body["data"]["flags"] & EPHEMERAL
    assert ("正解！" in shown) != ("不正解" in shown)  # exactly one verdict
    assert "次の復習" in shown


async def test_the_report_command_attaches_its_chart(rig: DiscordRig) -> None:
    _, ids, answer = await _post_daily(rig)
    message_id = message_with(rig.fake, ids[0])
    await rig.click(ids[answer], 41, message_id)
    callback = await rig.command("report")
    assert callback.json_body["type"] == 4
    [(filename, size)] = callback.files
    assert filename.endswith(".png") and size > 1000
    assert not (callback.json_body["data"].get("flags") or 0) & EPHEMERAL  # the channel's report


async def test_after_the_gateway_asks_to_reconnect_commands_still_work(rig: DiscordRig) -> None:
    await rig.fake.request_reconnect()
    for _ in range(200):
        if rig.fake.resumes and rig.fake.open_connections:
            break
        await asyncio.sleep(0.02)
    assert rig.fake.resumes  # discord.py resumed its session instead of identifying again
    callback = await rig.command("ask", query="cfn drift")
    assert "ドリフト" in text_of(callback.json_body)


async def test_discord_out_of_reach_is_said_plainly(tmp_path: Path) -> None:
    from tests.fake_slack import free_port

    fake = FakeDiscord()
    fake.base = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    code, out, err = await _cli("discord", "invite-url", env=_env(fake, tmp_path))
    assert code == 1 and not out
    assert "could not reach Discord" in err and "Traceback" not in err


def test_the_discord_checks_guard_exactly_the_core_s_schedule_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """discord.py needs a check on each command; they must be the ones the core refuses."""
    import discord
    from discord import app_commands

    from adapters.clock import SystemClock
    from adapters.discord.commands import install_commands
    from bot.bootstrap import build_core
    from bot.usecases.schedule import MANAGING

    monkeypatch.chdir(ROOT)
    tree: app_commands.CommandTree[Any] = app_commands.CommandTree(
        discord.Client(intents=discord.Intents.none())
    )
    group = install_commands(tree, Bridge(build_core(Settings(), SystemClock())))
    assert {c.name for c in group.walk_commands() if c.checks} == MANAGING
    from bot.commands import SUBCOMMANDS

    assert {c.name for c in group.walk_commands()} == {s.name for s in SUBCOMMANDS}  # one for each


async def test_the_report_button_opens_a_modal_whose_submission_is_stored(
    rig: DiscordRig,
    database,  # type: ignore[no-untyped-def]
) -> None:
    from bot.storage.flags import FlagStore

    _, ids, _ = await _post_daily(rig)
    message_id = message_with(rig.fake, ids[0])
    posted = rig.fake.messages[message_id]
    [flag_id] = [
        b["custom_id"]
        for row in posted["components"]
        for b in row["components"]
        if b["custom_id"].startswith("dop:f:")
    ]
    question_id = flag_id.removeprefix("dop:f:")
    assert rig.core.bank.get(question_id) is not None

    click = component_payload(
        flag_id, user_id=31, message_id=message_id, message_components=posted["components"]
    )
    opened = await rig.fake.interact(click)
    assert opened.status == 200 and opened.json_body["type"] == 9  # MODAL, as the first response
    modal = opened.json_body["data"]
    assert modal["custom_id"] == f"dop:fm:{question_id}" and modal["title"] == "問題を報告"
    assert "reason" in json.dumps(modal["components"])

    # A new process: the submission needs nothing kept from the click.
    await stop_client(rig.client, rig.task)
    await rig.core.close()
    routing = RoutingMessenger()
    rig.core = await start_rig_core(database.url, routing)
    rig.client, rig.task = await start_client(rig.core, rig.fake, TOKEN)
    routing.by_platform["discord"] = DiscordMessenger(rig.client)

    sent = modal_submit_payload(
        modal["custom_id"], {"reason": "選択肢2も正しい"}, user_id=31, message_id=message_id
    )
    thanks = await rig.fake.interact(sent)
    assert thanks.json_body["type"] == 4 and thanks.json_body["data"]["flags"] & EPHEMERAL
    assert "報告ありがとうございます" in text_of(thanks.json_body)
    [reported] = await FlagStore(database).flagged()
    [report] = reported.reports
    assert (reported.question_id, report.reporter, report.reason) == (
        question_id,
        "discord:31",
        "選択肢2も正しい",
    )
    assert report.where == f"discord:{GUILD_ID}:{CHANNEL_ID}"

    # A second person, with the subcommand: the question leaves the daily rotation.
    second = await rig.command("flag", user_id=32, question=question_id, reason="古い名前")
    assert second.json_body["data"]["flags"] & EPHEMERAL and "報告ありがとうございます" in text_of(
        second.json_body
    )
    assert await FlagStore(database).withdrawn() == {question_id}

    # The reveal keeps the report button working, the answers disabled.
    rig.core.clock.current += timedelta(hours=8)  # type: ignore[attr-defined]
    post_id = int(ids[0].split(":")[3])
    assert rig.core.runner is not None
    await rig.core.runner.sync()
    assert await rig.core.runner.jobs.reveal(post_id) == "revealed"
    edit = await rig.fake.wait_for(EDIT)
    buttons = [b for row in edit.json_body["components"] for b in row["components"]]
    assert [b["custom_id"] for b in buttons if not b.get("disabled")] == [flag_id]
    assert [b["custom_id"] for b in buttons if b.get("disabled")] == ids  # every answer, disabled


async def test_a_modal_that_is_not_ours_is_left_alone(rig: DiscordRig) -> None:
    sent = modal_submit_payload("someone-elses-modal", {"reason": "x"})
    await rig.fake.dispatch("INTERACTION_CREATE", sent)
    await asyncio.sleep(0.3)
    assert not rig.fake.named(CALLBACK_ROUTE)


async def _answer_exam(rig: DiscordRig, shown: Call) -> Call:
    """Answer the mock exam's current question as shown: its first button, or for a "choose two" its
    select menu with as many options as it takes."""
    rows = shown.json_body["data"]["components"]
    items = [item for row in rows for item in row["components"]]
    buttons = [i["custom_id"] for i in items if i["custom_id"].startswith("dop:c:exam:")]
    if buttons:
        return await rig.click(buttons[0], USER_ID, message_with(rig.fake, buttons[0]))
    [menu] = [i for i in items if i["type"] == 3 and i["custom_id"].startswith("dop:m:exam:")]
    values = [o["value"] for o in menu["options"]][: menu["min_values"]]
    payload = component_payload(
        menu["custom_id"],
        values=values,
        user_id=USER_ID,
        message_id=message_with(rig.fake, menu["custom_id"]),
        message_components=rows,
    )
    return await rig.fake.interact(payload)


async def test_a_mock_exam_is_private_and_its_buttons_move_it_on(rig: DiscordRig) -> None:
    first = await rig.command("exam", count=2)
    data = first.json_body["data"]
    assert data["flags"] & EPHEMERAL and "模擬試験 1/2" in text_of(first.json_body)
    second = await _answer_exam(rig, first)
    assert second.json_body["data"]["flags"] & EPHEMERAL
    assert "模擬試験 2/2" in text_of(second.json_body) and "不正解" not in text_of(second.json_body)
    result = await _answer_exam(rig, second)
    assert "模擬試験の結果" in text_of(result.json_body)
    stopped = await rig.command("exam", stop=True)
    assert "受験中の模擬試験はありません" in text_of(stopped.json_body)


async def test_export_attaches_the_deck_to_a_private_reply_deferred_or_not(rig: DiscordRig) -> None:
    import aiohttp

    from tests.anki import open_deck

    bridge = rig.client.bridge
    nothing = await answer(rig.fake, bridge, command_payload("dop", sub("export")))
    assert nothing.json_body["data"]["flags"] & EPHEMERAL and not nothing.files
    assert "いまデッキにする問題はありません" in text_of(nothing.json_body)

    question = next(q for q in rig.core.bank.questions if not q.multiple)
    wrong = (question.answer + 1) % len(question.choices)
    await rig.core.practice.answer(f"discord:{USER_ID}", question.id, wrong)
    # Slow: deferred privately, then the "thinking…" becomes the reply with the file (multipart).
    payload = command_payload("dop", sub("export"))
    deferred = await answer(rig.fake, bridge, payload, slow="export")
    assert deferred.json_body["type"] == 5 and deferred.json_body["data"]["flags"] & EPHEMERAL
    edit = await rig.fake.wait_for(ORIGINAL_EDIT)
    assert edit.files == [("dop-2026-11-30.apkg", len(edit.data[0]))]
    message = rig.fake.original(payload["token"])
    assert message is not None and int(message["flags"]) & EPHEMERAL
    assert "1問をデッキ" in text_of(message["embeds"])
    [attachment] = message["attachments"]
    async with aiohttp.ClientSession() as session, session.get(attachment["url"]) as download:
        assert download.status == 200
        deck = open_deck(await download.read())  # what the person downloads
    [(question_id, (fields, tags))] = deck.notes().items()
    assert question_id == question.id and "missed" in tags and fields["Explanation"]
    assert deck.card(question.id)["type"] == 1  # the learning state came along

    # Fast: the file goes with the first response, private too.
    quick = await answer(rig.fake, bridge, command_payload("dop", sub("export")))
    assert quick.json_body["type"] == 4 and quick.json_body["data"]["flags"] & EPHEMERAL
    assert quick.files[0][0] == "dop-2026-11-30.apkg"
    assert open_deck(quick.data[0]).notes().keys() == {question.id}
    assert "image" not in quick.json_body["data"]["embeds"][0]  # a file, not a picture

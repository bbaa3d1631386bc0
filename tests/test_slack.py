"""The Slack adapter through Bolt's real HTTP path: signed requests into the app served on localhost,
the Web API and response_url answered by a local stand-in that records every call."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp import web

from adapters.slack.app import SlackConfig, build_app, web_client
from adapters.slack.blocks import escape, render
from adapters.slack.guard import guarded_web_app
from adapters.slack.messenger import SlackMessenger
from bot.bootstrap import Core, start_core
from bot.config import Settings
from bot.replies import Choice, Reply
from bot.storage.models import Answer
from tests.conftest import FakeClock
from tests.fake_slack import FORM, FakeSlack, free_port, signed_headers
from tests.multiple import single_answer_only
from tests.processes import cli_env, spawn_cli

ROOT = Path(__file__).resolve().parents[1]
SECRET = "test-signing-secret"


def command_body(fake: FakeSlack, text: str, user: str = "U1", **extra: Any) -> str:
    """The form Slack posts for `/dop TEXT`, answering to a response_url on the stand-in."""
    fields = {
        "token": "x",
        "team_id": "T1",
        "channel_id": "C1",
        "user_id": user,
        "user_name": f"name-{user}",
        "command": "/dop",
        "text": text,
        "response_url": f"{fake.base}/response/{len(fake.calls)}",
        "trigger_id": "1.2.3",
        **extra,
    }
    return urlencode(fields)


@dataclass
class SlackRig:
    fake: FakeSlack
    core: Core
    url: str
    session: aiohttp.ClientSession

    async def post(
        self,
        body: str,
        *,
        timestamp: int | None = None,
        secret: str = SECRET,
        content_type: str = FORM,
        retry: int | None = None,
    ) -> int:
        headers = signed_headers(secret, body, timestamp, content_type)
        if retry is not None:
            headers["X-Slack-Retry-Num"] = str(retry)
            headers["X-Slack-Retry-Reason"] = "http_timeout"
        async with self.session.post(self.url, data=body.encode(), headers=headers) as response:
            return response.status

    async def command(self, text: str, user: str = "U1", **extra: Any) -> int:
        return await self.post(command_body(self.fake, text, user, **extra))

    async def click(self, value: str, user: str, action_ts: str, retry: int | None = None) -> int:
        payload = {
            "type": "block_actions",
            "team": {"id": "T1"},
            "user": {"id": user, "username": f"name-{user}"},
            "channel": {"id": "C1"},
            "container": {"type": "message", "message_ts": "1700000000.000001"},
            "response_url": f"{self.fake.base}/response/click-{user}-{action_ts}",
            "trigger_id": "1.2.3",
            "actions": [
                {
                    "type": "button",
                    "action_id": "dop_choice_0",
                    "block_id": "dop_choices",
                    "value": value,
                    "action_ts": action_ts,
                }
            ],
        }
        return await self.post(urlencode({"payload": json.dumps(payload)}), retry=retry)


@pytest.fixture
async def rig(database, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[SlackRig]:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(ROOT)
    fake = await FakeSlack(admins={"UADMIN"}).start()
    config = SlackConfig(bot_token="xoxb-test", signing_secret=SECRET, api_url=f"{fake.base}/api/")
    client = web_client(config)
    clock = FakeClock(datetime(2026, 11, 29, 23, 0, tzinfo=UTC))  # Monday 08:00 in Tokyo
    core = await start_core(Settings(database_url=database.url), clock, SlackMessenger(client))
    single_answer_only(core)
    app = build_app(core, config, client)
    runner = web.AppRunner(guarded_web_app(app, SECRET))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    async with aiohttp.ClientSession() as session:
        yield SlackRig(fake, core, f"http://127.0.0.1:{port}/slack/events", session)
    await runner.cleanup()
    await core.close()
    await fake.stop()


def _text(call_body: dict[str, Any]) -> str:
    return json.dumps(call_body.get("blocks", []), ensure_ascii=False)


async def test_ask_is_acked_and_answered_through_response_url(rig: SlackRig) -> None:
    assert await rig.command("ask elb 503") == 200
    [answer] = await rig.fake.wait_for("response_url")
    assert answer.body["response_type"] == "ephemeral"
    blocks = _text(answer.body)
    assert "HTTPCode_ELB_5XX" in blocks and "503: 様々な要因が考えられる。" in blocks
    assert "dop_share" in blocks  # an answer can be shared with the channel


async def test_forged_and_stale_requests_get_401(rig: SlackRig) -> None:
    body = urlencode({"command": "/dop", "text": "ask drift", "user_id": "U1", "team_id": "T1"})
    assert await rig.post(body, secret="wrong-secret") == 401
    assert await rig.post(body, timestamp=int(time.time()) - 600) == 401
    await asyncio.sleep(0.2)
    assert not rig.fake.named("response_url")


async def test_the_daily_flow_post_clicks_and_reveal(rig: SlackRig) -> None:
    assert await rig.command("subscribe 09:00 Asia/Tokyo mon-fri", user="U1") == 200
    refused = (await rig.fake.wait_for("response_url"))[0]
    assert "管理者だけ" in _text(refused.body)
    assert await rig.command("subscribe 09:00 Asia/Tokyo mon-fri", user="UADMIN") == 200
    saved = (await rig.fake.wait_for("response_url", 2))[1]
    assert saved.body["response_type"] == "in_channel"

    rig.core.clock.current = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    assert rig.core.runner is not None
    await rig.core.runner.sync()
    assert await rig.core.runner.jobs.post_daily(1) == "posted"
    [post] = rig.fake.named("chat.postMessage")
    buttons = next(b for b in post.body["blocks"] if b["type"] == "actions")["elements"]
    values = [b["value"] for b in buttons]
    question = rig.core.bank.get((await rig.core.ledger.get(int(values[0].split(":")[1]))).question_id)  # type: ignore[union-attr]
    assert question is not None
    right, wrong = values[question.answer], values[(question.answer + 1) % len(values)]

    for user, value, ts in (
        ("UA", right, "1.1"),
        ("UB", wrong, "1.2"),
        ("UC", right, "1.3"),
        ("UA", wrong, "1.4"),
    ):
        assert await rig.click(value, user, ts) == 200
    feedback = await rig.fake.wait_for("response_url", 2 + 4)
    texts = [_text(c.body) for c in feedback[2:]]
    assert sum("正解！" in t for t in texts) == 2 and sum("不正解" in t for t in texts) == 1
    assert any("回答済みです" in t for t in texts)  # UA's second click, answered politely
    assert all(
        c.body["response_type"] == "ephemeral" and c.body["replace_original"] is False for c in feedback[2:]
    )

    rig.core.clock.current += timedelta(hours=8)  # type: ignore[attr-defined]
    post_id = int(right.split(":")[1])
    assert await rig.core.runner.jobs.reveal(post_id) == "revealed"
    [update] = rig.fake.named("chat.update")
    assert update.body["ts"] == "1700000000.000001"
    distribution = _text(update.body)
    assert f"{question.answer + 1}. " in distribution and "— 2" in distribution and "— 1" in distribution
    kept = [b.get("block_id") for b in update.body["blocks"] if b["type"] == "actions"]
    assert kept == ["dop_flag"]  # the answer buttons are gone; the question can still be reported
    assert await rig.click(right, "UD", "1.5") == 200
    late = (await rig.fake.wait_for("response_url", 7))[6]
    assert "締め切られました" in _text(late.body)


async def test_a_retried_click_is_recorded_once(rig: SlackRig, database) -> None:  # type: ignore[no-untyped-def]
    await rig.command("subscribe", user="UADMIN")
    await rig.fake.wait_for("response_url")
    rig.core.clock.current = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    assert rig.core.runner is not None
    await rig.core.runner.sync()
    await rig.core.runner.jobs.post_daily(1)
    value = next(b for b in rig.fake.named("chat.postMessage")[0].body["blocks"] if b["type"] == "actions")[
        "elements"
    ][0]["value"]
    assert await rig.click(value, "UA", "9.9") == 200
    assert await rig.click(value, "UA", "9.9", retry=1) == 200
    assert await rig.click(value, "UA", "9.9", retry=2) == 200
    await rig.fake.wait_for("response_url", 2)
    await asyncio.sleep(0.3)
    assert len(rig.fake.named("response_url")) == 2  # the subscribe reply and one feedback
    from sqlalchemy import func, select

    async with database.transaction() as session:
        assert (await session.execute(select(func.count()).select_from(Answer))).scalar_one() == 1


async def test_a_429_is_waited_out_by_the_sdk(rig: SlackRig) -> None:
    rig.fake.limited["chat.postMessage"] = 1
    messenger = SlackMessenger(web_client(SlackConfig("xoxb-test", SECRET, api_url=f"{rig.fake.base}/api/")))
    from bot.storage.refs import ChannelRef

    started = time.monotonic()
    ref = await messenger.post(ChannelRef("slack", "T1", "C1"), Reply(body="hello"))
    assert time.monotonic() - started >= 0.9
    assert ref.startswith("C1:") and len(rig.fake.named("chat.postMessage")) == 2


def test_blocks_escape_and_never_ping() -> None:
    assert escape("<!channel> & @here @everyone") == "&lt;!channel&gt; &amp; @\u2060here @\u2060everyone"
    blocks = render(Reply(title="a <b>", body="x" * 7000, choices=(Choice("y" * 100, "v"),)))
    sections = [b for b in blocks if b["type"] == "section"]
    assert all(len(b["text"]["text"]) <= 3000 for b in sections) and len(sections) >= 3
    button = next(b for b in blocks if b["type"] == "actions")["elements"][0]
    assert len(button["text"]["text"]) <= 75 and button["value"] == "v"


async def test_dop_bot_run_serves_slack_over_http_and_stops_on_sigterm(tmp_path: Path) -> None:
    import signal

    fake = await FakeSlack().start()
    port = free_port()
    env = cli_env(
        SLACK_BOT_TOKEN="xoxb-secret-token",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=f"{fake.base}/api/",
        PORT=str(port),
        DOP_DATA_DIR=str(tmp_path),
        DOP_LOG_LEVEL="INFO",
    )
    process = await spawn_cli("run", env=env)
    try:
        url = f"http://127.0.0.1:{port}/slack/events"
        body = command_body(fake, "ask drift")
        async with aiohttp.ClientSession() as session:
            for _ in range(200):
                try:
                    async with session.post(url, data=body, headers=signed_headers(SECRET, body)) as response:
                        status = response.status
                    break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.05)
            assert status == 200
            [answer] = await fake.wait_for("response_url")
            assert "ドリフト" in _text(answer.body)
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
        assert process.returncode == 0
        log = stderr.decode()
        assert "shutting down" in log and "xoxb-secret-token" not in log and SECRET not in log
    finally:
        if process.returncode is None:
            process.kill()
        await fake.stop()


async def test_app_home_shows_stats_and_share_posts_the_passage(rig: SlackRig) -> None:
    event = {
        "token": "x",
        "team_id": "T1",
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": "Ev1",
        "event_time": int(time.time()),
        "event": {"type": "app_home_opened", "user": "U7", "tab": "home"},
    }
    assert await rig.post(json.dumps(event), content_type="application/json") == 200
    assert await rig.post(json.dumps(event), content_type="application/json", retry=1) == 200
    [view] = await rig.fake.wait_for("views.publish")
    assert view.body["user_id"] == "U7" and "学習状況" in json.dumps(view.body["view"], ensure_ascii=False)
    await asyncio.sleep(0.3)
    assert len(rig.fake.named("views.publish")) == 1  # the retried event was not handled twice

    await rig.command("ask drift")
    [answer] = await rig.fake.wait_for("response_url")
    share = next(b for b in answer.body["blocks"] if b.get("block_id") == "dop_share")["elements"][0]
    payload = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U1"},
        "channel": {"id": "C1"},
        "response_url": f"{rig.fake.base}/response/share",
        "trigger_id": "1",
        "actions": [
            {"action_id": "dop_share", "block_id": "dop_share", "value": share["value"], "action_ts": "5.5"}
        ],
    }
    assert await rig.post(urlencode({"payload": json.dumps(payload)})) == 200
    [posted] = await rig.fake.wait_for("chat.postMessage")
    assert posted.body["channel"] == "C1" and "ドリフト" in _text(posted.body)


def test_the_manifest_declares_what_the_app_uses() -> None:
    import yaml

    manifest = yaml.safe_load((ROOT / "adapters" / "slack" / "manifest.yaml").read_text(encoding="utf-8"))
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == "/dop" and command["url"].endswith("/slack/events")
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    # post, upload (the chart; the export into a DM, which im:write opens), the admin check
    assert {"commands", "chat:write", "files:write", "im:write", "users:read"} <= scopes
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True  # where the DM shows
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True


async def test_socket_mode_runs_the_same_app_over_a_websocket(
    database, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    monkeypatch.chdir(ROOT)
    fake = await FakeSlack().start()
    config = SlackConfig(bot_token="xoxb-test", signing_secret=SECRET, api_url=f"{fake.base}/api/")
    client = web_client(config)
    core = await start_core(
        Settings(database_url=database.url),
        FakeClock(datetime(2026, 11, 30, tzinfo=UTC)),
        SlackMessenger(client),
    )
    handler = AsyncSocketModeHandler(build_app(core, config, client), "xapp-test")
    try:
        await handler.connect_async()  # type: ignore[no-untyped-call]
        command = {
            "token": "x",
            "team_id": "T1",
            "channel_id": "C1",
            "user_id": "U1",
            "user_name": "u",
            "command": "/dop",
            "text": "ask cfn drift",
            "response_url": f"{fake.base}/response/sm",
            "trigger_id": "1",
        }
        await fake.send_envelope(
            {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "payload": command,
                "accepts_response_payload": True,
                "retry_attempt": 0,
                "retry_reason": "",
            }
        )
        [ack] = await fake.wait_for("socket_ack")
        assert ack.body["envelope_id"] == "env-1"
        [answer] = await fake.wait_for("response_url")
        assert "ドリフト" in _text(answer.body)
        assert any(c.path == "apps.connections.open" for c in fake.calls)
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
        await core.close()
        await fake.stop()


async def test_the_weekly_chart_is_uploaded_with_files_upload_v2() -> None:
    from bot.replies import Attachment
    from bot.storage.refs import ChannelRef

    fake = await FakeSlack().start()
    try:
        messenger = SlackMessenger(web_client(SlackConfig("xoxb-test", SECRET, api_url=f"{fake.base}/api/")))
        png = b"\x89PNG\r\n\x1a\n" + b"0" * 2048
        reply = Reply(
            title="週間レポート 2026-W48", body="…", attachment=Attachment("dop-report-2026-W48.png", png)
        )
        await messenger.post(ChannelRef("slack", "T1", "C1"), reply)
        assert [c.path for c in fake.calls if c.path != "auth.test"] == [
            "chat.postMessage",
            "files.getUploadURLExternal",
            "upload",
            "files.completeUploadExternal",
        ]
        assert fake.named("upload")[0].body["size"] >= len(png)
        complete = fake.named("files.completeUploadExternal")[0].body
        assert complete.get("channel_id") == "C1"
    finally:
        await fake.stop()


async def test_the_oauth_install_flow_serves_many_workspaces(
    database, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import re as regex

    from adapters.slack.oauth import installation_store

    monkeypatch.chdir(ROOT)
    fake = await FakeSlack(admins={"UADMIN"}).start()
    config = SlackConfig(
        bot_token=None,
        signing_secret=SECRET,
        api_url=f"{fake.base}/api/",
        client_id="111.222",
        client_secret="client-secret",
    )
    client = web_client(config)
    core = await start_core(
        Settings(database_url=database.url),
        FakeClock(datetime(2026, 11, 30, tzinfo=UTC)),
        SlackMessenger(client),
    )
    runner = web.AppRunner(guarded_web_app(build_app(core, config, client), SECRET))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{base}/slack/install") as page:
                assert page.status == 200
                html = await page.text()
                # The state cookie is Secure; over plain http in a test the browser's part is ours to play.
                cookie = page.headers["Set-Cookie"].split(";", 1)[0]
            state = regex.search(r"state=([\w-]+)", html)
            assert state is not None and "client_id=111.222" in html
            redirect = f"{base}/slack/oauth_redirect?code=code-T9&state={state.group(1)}"
            async with session.get(redirect, headers={"Cookie": cookie}) as done:
                assert done.status == 200
            async with session.get(f"{base}/slack/oauth_redirect?code=code-T8&state=forged") as forged:
                assert forged.status >= 400  # an unknown state installs nothing
            rig = SlackRig(fake, core, f"{base}/slack/events", session)
            assert await rig.command("subscribe", user="UADMIN", team_id="T9") == 200
            [saved] = await fake.wait_for("response_url")
            assert "毎日の問題を届けます" in _text(saved.body)
            assert [c.token for c in fake.named("users.info")] == [
                "xoxb-team-T9"
            ]  # the workspace's own token
        store = installation_store("111.222", core.db.engine)  # type: ignore[union-attr]
        bot = await store.async_find_bot(enterprise_id=None, team_id="T9")
        assert bot is not None and bot.bot_token == "xoxb-team-T9"
        assert await store.async_find_bot(enterprise_id=None, team_id="T8") is None

        from adapters.slack.oauth import token_lookup
        from bot.storage.refs import ChannelRef

        messenger = SlackMessenger(client, tokens=token_lookup(store))
        await messenger.post(ChannelRef("slack", "T9", "C9"), Reply(body="hi"))
        assert fake.named("chat.postMessage")[-1].token == "xoxb-team-T9"
    finally:
        await runner.cleanup()
        await core.close()
        await fake.stop()


async def test_a_mock_exam_is_private_and_its_buttons_move_it_on_without_feedback(rig: SlackRig) -> None:
    assert await rig.command("exam 2") == 200
    [first] = await rig.fake.wait_for("response_url")
    assert first.body["response_type"] == "ephemeral" and "模擬試験 1/2" in _text(first.body)
    values = [
        e["value"]
        for b in first.body["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if "value" in e
    ]
    exam_values = [v for v in values if v.startswith("exam:")]
    assert exam_values
    assert await rig.click(exam_values[0], "U1", "5.1") == 200
    [_, second] = await rig.fake.wait_for("response_url", 2)
    assert second.body["response_type"] == "ephemeral"
    assert "模擬試験 2/2" in _text(second.body) and "不正解" not in _text(second.body)
    second_values = [
        e["value"]
        for b in second.body["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if str(e.get("value", "")).startswith("exam:")
    ]
    assert await rig.click(second_values[0], "U1", "5.2") == 200
    replies = await rig.fake.wait_for("response_url", 3)
    assert "模擬試験の結果" in _text(replies[2].body) and "推定スコア" in _text(replies[2].body)


async def test_the_report_button_opens_a_modal_and_its_submission_is_stored(rig: SlackRig) -> None:
    from bot.storage.flags import FlagStore

    assert await rig.command("quiz dynamodb") == 200
    [shown] = await rig.fake.wait_for("response_url")
    [flag] = next(b for b in shown.body["blocks"] if b.get("block_id") == "dop_flag")["elements"]
    assert flag["action_id"] == "dop_flag" and flag["text"]["text"] == "⚠ 問題を報告"
    question_id = flag["value"]
    assert rig.core.bank.get(question_id) is not None
    click = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U1", "username": "name-U1"},
        "channel": {"id": "C1"},
        "container": {"type": "message", "message_ts": "1700000000.000009", "is_ephemeral": True},
        "response_url": f"{rig.fake.base}/response/flag-click",
        "trigger_id": "13345224609.738474920.8088930838d88f008e0",
        "actions": [{**flag, "block_id": "dop_flag", "action_ts": "7.7"}],
    }
    assert await rig.post(urlencode({"payload": json.dumps(click)})) == 200
    [opened] = await rig.fake.wait_for("views.open")
    view = opened.body["view"]
    assert opened.body["trigger_id"] == click["trigger_id"] and view["callback_id"] == "dop_flag_view"
    [reason_input] = [b for b in view["blocks"] if b["type"] == "input"]
    assert reason_input["optional"] is True and reason_input["element"]["type"] == "plain_text_input"
    assert not rig.fake.named("response_url")[1:]  # nothing stored or said before the modal is sent

    submission = {
        "type": "view_submission",
        "team": {"id": "T1", "domain": "example"},
        "user": {"id": "U1", "username": "name-U1", "name": "name-U1", "team_id": "T1"},
        "api_app_id": "A1",
        "trigger_id": "1.2.4",
        "view": {
            **view,
            "id": "V0001",
            "state": {
                "values": {
                    "dop_flag_reason": {
                        "reason": {"type": "plain_text_input", "value": "選択肢2も\n正しいのでは"}
                    }
                }
            },
        },
    }
    assert await rig.post(urlencode({"payload": json.dumps(submission)})) == 200
    thanks = (await rig.fake.wait_for("response_url", 2))[1]
    assert thanks.body["response_type"] == "ephemeral" and thanks.body["replace_original"] is False
    assert "報告ありがとうございます" in _text(thanks.body) and question_id in _text(thanks.body)
    assert rig.core.db is not None
    [reported] = await FlagStore(rig.core.db).flagged()
    [report] = reported.reports
    assert (reported.question_id, report.reporter, report.where) == (question_id, "slack:U1", "slack:T1:C1")
    assert report.reason == "選択肢2も 正しいのでは" and report.at == rig.core.clock.now()

    # A second person, with the subcommand: the question leaves the daily rotation.
    assert await rig.command(f"flag {question_id}", user="U2") == 200
    assert "報告ありがとうございます" in _text((await rig.fake.wait_for("response_url", 3))[2].body)
    assert await FlagStore(rig.core.db).withdrawn() == {question_id}


async def test_a_report_modal_with_mangled_metadata_is_ignored_politely(rig: SlackRig) -> None:
    submission = {
        "type": "view_submission",
        "team": {"id": "T1"},
        "user": {"id": "U1"},
        "view": {
            "id": "V1",
            "type": "modal",
            "callback_id": "dop_flag_view",
            "private_metadata": "{not json",
            "state": {},
        },
    }
    assert await rig.post(urlencode({"payload": json.dumps(submission)})) == 200
    for view in (
        {"id": "V1", "type": "modal", "callback_id": "dop_flag_view", "state": {}},  # no metadata
        {"id": "V1", "callback_id": "dop_flag_view", "private_metadata": "{}"},  # no type: Bolt would crash
    ):
        assert await rig.post(urlencode({"payload": json.dumps({**submission, "view": view})})) == 400
    await asyncio.sleep(0.2)
    assert not rig.fake.named("response_url") and not rig.fake.named("chat.postEphemeral")


async def test_export_sends_the_deck_to_the_person_s_dm_and_says_so_privately(rig: SlackRig) -> None:
    from tests.anki import open_deck

    assert await rig.command("export") == 200
    [nothing] = await rig.fake.wait_for("response_url")
    assert nothing.body["response_type"] == "ephemeral" and "いまデッキにする問題はありません" in _text(
        nothing.body
    )
    assert not rig.fake.named("conversations.open")  # no file, no DM

    question = next(q for q in rig.core.bank.questions if not q.multiple)
    await rig.core.practice.answer("slack:U1", question.id, (question.answer + 1) % len(question.choices))
    assert await rig.command("export") == 200
    [_, said] = await rig.fake.wait_for("response_url", 2)
    assert said.body["response_type"] == "ephemeral"
    assert "1問をデッキ" in _text(said.body) and "DM" in _text(said.body)
    assert "1問として入っています" not in _text(said.body)  # missed, not due: no overlap to explain
    steps = [c.path for c in rig.fake.calls if c.path not in ("auth.test", "response_url")]
    assert steps == [
        "conversations.open",
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]
    assert rig.fake.named("conversations.open")[0].body["users"] == "U1"
    complete = rig.fake.named("files.completeUploadExternal")[0].body
    assert complete["channel_id"] == "DU1" and complete["files"][0]["title"] == "dop-2026-11-30.apkg"
    deck = open_deck(rig.fake.uploads[complete["files"][0]["id"]])
    [(question_id, (fields, tags))] = deck.notes().items()
    assert question_id == question.id and "missed" in tags and fields["Explanation"]
    assert deck.card(question.id)["type"] == 1  # the card's learning state came along


async def test_an_export_slack_refuses_to_deliver_is_said_plainly_and_logged_in_one_line(
    rig: SlackRig, caplog: pytest.LogCaptureFixture
) -> None:
    question = next(q for q in rig.core.bank.questions if not q.multiple)
    await rig.core.practice.answer("slack:U1", question.id, (question.answer + 1) % len(question.choices))
    rig.fake.refuse["conversations.open"] = "missing_scope"  # installed before the app asked for im:write
    assert await rig.command("export") == 200
    [said] = await rig.fake.wait_for("response_url")
    shown = _text(said.body)
    assert (
        said.body["response_type"] == "ephemeral" and "DM に送れませんでした" in shown and "im:write" in shown
    )
    assert "missing_scope" not in shown and "Traceback" not in shown and "1問をデッキ" not in shown
    assert not rig.fake.named("files.getUploadURLExternal")
    [line] = [r for r in caplog.records if "could not send" in r.getMessage()]
    assert "missing_scope" in line.getMessage() and line.exc_info is None  # a refusal, not our bug
    assert "xoxb-test" not in caplog.text

    del rig.fake.refuse["conversations.open"]
    rig.fake.refuse["files.completeUploadExternal"] = "invalid_channel"
    assert await rig.command("export") == 200
    [_, again] = await rig.fake.wait_for("response_url", 2)
    assert "DM に送れませんでした" in _text(again.body)

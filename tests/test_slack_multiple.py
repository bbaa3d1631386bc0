"""Multiple-response questions on Slack, through Bolt's real HTTP path: checkboxes and a submit button
in the daily post and in practice, the ticked choices read from `state.values`, a tick alone answering
nothing, the reveal, and a submit on yesterday's question after a restart (SQLite and Postgres)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import func, select

from adapters.slack.app import SlackConfig, build_app, web_client
from adapters.slack.guard import guarded_web_app
from adapters.slack.messenger import SlackMessenger
from bot.bootstrap import Core, start_core
from bot.storage.database import Database
from bot.storage.models import Answer
from tests.conftest import FakeClock
from tests.fake_slack import Call, FakeSlack
from tests.multiple import RIGHT_TWO, THREE, TWO, ask_only, multiple_settings
from tests.test_slack import SECRET, SlackRig


@dataclass
class MultipleRig(SlackRig):
    """The Slack rig on content with multiple-response questions; `restart` starts a new process's
    core and app on the same database, with nothing kept in memory."""

    database_url: str = ""
    runner: web.AppRunner | None = None

    async def start(self, clock: FakeClock) -> None:
        config = SlackConfig(bot_token="xoxb-test", signing_secret=SECRET, api_url=f"{self.fake.base}/api/")
        client = web_client(config)
        self.core = await start_core(multiple_settings(self.database_url), clock, SlackMessenger(client))
        self.runner = web.AppRunner(guarded_web_app(build_app(self.core, config, client), SECRET))
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/slack/events"

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
        await self.core.close()

    async def restart(self, clock: FakeClock) -> None:
        await self.stop()
        await self.start(clock)

    def _action(self, user: str, action_ts: str, **fields: Any) -> dict[str, Any]:
        return {
            "type": "block_actions",
            "team": {"id": "T1"},
            "user": {"id": user, "username": f"name-{user}"},
            "channel": {"id": "C1"},
            "container": {"type": "message", "message_ts": "1700000000.000001"},
            "response_url": f"{self.fake.base}/response/submit-{user}-{action_ts}",
            "trigger_id": "1.2.3",
            **fields,
        }

    async def submit(self, value: str, ticked: tuple[int, ...], user: str, action_ts: str) -> Call:
        """Tick `ticked` (indices) and press the submit button; the reply sent to the response_url."""
        options = [{"text": {"type": "plain_text", "text": f"{i + 1}."}, "value": str(i)} for i in ticked]
        state = {"values": {"dop_picks": {"dop_pick": {"type": "checkboxes", "selected_options": options}}}}
        button = {
            "type": "button",
            "action_id": "dop_submit",
            "block_id": "dop_submit",
            "value": value,
            "action_ts": action_ts,
        }
        before = len(self.fake.named("response_url"))
        payload = self._action(user, action_ts, state=state, actions=[button])
        assert await self.post(urlencode({"payload": json.dumps(payload)})) == 200
        return (await self.fake.wait_for("response_url", before + 1))[before]

    async def tick(self, ticked: tuple[int, ...], user: str, action_ts: str) -> int:
        """A checkbox ticked, as Slack would send it if the block dispatched actions."""
        options = [{"text": {"type": "plain_text", "text": f"{i + 1}."}, "value": str(i)} for i in ticked]
        checkboxes = {
            "type": "checkboxes",
            "action_id": "dop_pick",
            "block_id": "dop_picks",
            "selected_options": options,
            "action_ts": action_ts,
        }
        return await self.post(
            urlencode({"payload": json.dumps(self._action(user, action_ts, actions=[checkboxes]))})
        )


@pytest.fixture
async def rig(database: Database) -> AsyncIterator[MultipleRig]:
    fake = await FakeSlack(admins={"UADMIN"}).start()
    clock = FakeClock(datetime(2026, 11, 29, 23, 0, tzinfo=UTC))  # Monday 08:00 in Tokyo
    async with aiohttp.ClientSession() as session:
        rig = MultipleRig(fake, None, "", session, database.url)  # type: ignore[arg-type]
        await rig.start(clock)
        yield rig
        await rig.stop()
    await fake.stop()


def _text(call: Call) -> str:
    return json.dumps(call.body.get("blocks", []), ensure_ascii=False)


async def _post_daily(rig: MultipleRig) -> tuple[list[dict[str, Any]], str]:
    """Subscribe, post today's (multiple-response) question; its blocks and the submit value."""
    await rig.command("subscribe 09:00 Asia/Tokyo mon-fri", user="UADMIN")
    await rig.fake.wait_for("response_url")
    ask_only(rig.core, TWO)
    rig.core.clock.current = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    assert rig.core.runner is not None
    await rig.core.runner.sync()
    assert await rig.core.runner.jobs.post_daily(1) == "posted"
    [post] = rig.fake.named("chat.postMessage")
    blocks = post.body["blocks"]
    submit = next(b for b in blocks if b.get("block_id") == "dop_submit")["elements"][0]
    return blocks, submit["value"]


async def _answers(core: Core) -> int:
    assert core.db is not None
    async with core.db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(Answer))).scalar_one())


async def test_the_daily_post_takes_ticked_choices_and_a_tick_alone_answers_nothing(rig: MultipleRig) -> None:
    blocks, value = await _post_daily(rig)
    text = json.dumps(blocks, ensure_ascii=False)
    assert "（2つ選択）" in text and "2つ選んでください" in text
    [picks] = [b for b in blocks if b["type"] == "input"]
    assert picks["block_id"] == "dop_picks" and not picks.get("dispatch_action")  # ticking sends nothing
    assert picks["element"]["type"] == "checkboxes" and picks["element"]["action_id"] == "dop_pick"
    assert [o["value"] for o in picks["element"]["options"]] == ["0", "1", "2", "3", "4"]
    assert (
        picks["element"]["options"][1]["text"]["text"] == "2. EC2インスタンスの詳細モニタリングを有効にする"
    )
    assert not any(
        e.get("action_id", "").startswith("dop_choice_") for b in blocks for e in b.get("elements", [])
    )
    assert value.startswith("daily:") and ":*:" in value

    assert await rig.tick((1,), "UA", "1.0") == 200  # acknowledged, and nothing more
    await asyncio.sleep(0.3)
    assert len(rig.fake.named("response_url")) == 1 and await _answers(rig.core) == 0

    right = await rig.submit(value, RIGHT_TWO, "UA", "1.1")
    assert "正解！" in _text(right) and right.body["response_type"] == "ephemeral"
    assert right.body["replace_original"] is False
    partial = _text(await rig.submit(value, (1, 2), "UB", "1.2"))
    assert "不正解" in partial and "選ばなかった正解: 4." in partial and "誤って選んだ選択肢: 3." in partial
    assert "選択肢の解説" in partial and "可視化するだけでスケーリングは早まらない。" in partial
    one = _text(await rig.submit(value, (1,), "UC", "1.3"))
    assert "2 つ選んで答えます（選んだのは 1 つ）" in one  # refused, not recorded: UC may answer again
    none = _text(await rig.submit(value, (), "UC", "1.4"))
    assert "選んだのは 0 つ" in none
    assert "正解！" in _text(await rig.submit(value, (3, 1), "UC", "1.5"))
    again = _text(await rig.submit(value, (0, 4), "UA", "1.6"))
    assert "回答済みです" in again and "2. EC2インスタンス" in again
    assert await _answers(rig.core) == 3

    rig.core.clock.current += timedelta(hours=8)  # type: ignore[attr-defined]
    post_id = int(value.split(":")[1])
    assert rig.core.runner is not None
    assert await rig.core.runner.jobs.reveal(post_id) == "revealed"
    [update] = rig.fake.named("chat.update")
    revealed = _text(update)
    assert "回答 3件・正解 2人・正答率 67%" in revealed
    assert "✅ 2. EC2インスタンスの詳細モニタリングを有効にする — 3" in revealed
    assert "・ 3. CloudWatch Dashboard にCPU使用率のグラフを追加する — 1" in revealed
    assert "✅ 4. 1分間隔のメトリクスに基づくアラームでスケーリングポリシーを実行する — 2" in revealed
    assert "・ 5. メトリクスを15ヶ月を超えて保持する — 0" in revealed
    assert "選択肢の解説" in revealed and "保存期間は" not in revealed  # nobody picked 5
    left = [b.get("block_id") for b in update.body["blocks"] if b["type"] in ("input", "actions")]
    assert left == ["dop_flag"]  # nothing to answer with; reporting a problem stays open
    late = _text(await rig.submit(value, RIGHT_TWO, "UD", "1.7"))
    assert "締め切られました" in late


async def test_a_submit_on_yesterdays_question_works_after_a_restart(rig: MultipleRig) -> None:
    _, value = await _post_daily(rig)
    clock = FakeClock(datetime(2026, 12, 1, 0, 30, tzinfo=UTC))  # the next morning; no reveal ran
    await rig.restart(clock)
    assert "正解！" in _text(await rig.submit(value, RIGHT_TWO, "UE", "2.1"))
    assert "不正解" in _text(await rig.submit(value, (0, 1), "UF", "2.2"))
    assert await _answers(rig.core) == 2


async def test_practice_on_slack_ticks_and_submits(rig: MultipleRig) -> None:
    ask_only(rig.core, TWO)
    assert await rig.command("quiz", user="UP") == 200
    [shown] = await rig.fake.wait_for("response_url")
    blocks = shown.body["blocks"]
    submit = next(b for b in blocks if b.get("block_id") == "dop_submit")["elements"][0]
    assert submit["value"] == f"practice:{TWO}:*" and any(b["type"] == "input" for b in blocks)
    feedback = _text(await rig.submit(submit["value"], (1, 4), "UP", "3.1"))
    assert "不正解" in feedback and "選ばなかった正解: 4." in feedback
    assert "保存期間はスケーリングの速さと関係ない。" in feedback  # the picked wrong one, explained
    assert "次の復習" in feedback


async def test_a_mock_exam_asks_choose_two_with_checkboxes_and_goes_on_after_a_restart(
    rig: MultipleRig, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Which questions a sitting draws is tests/test_exam.py's business; here it draws the two
    # multiple-response ones, so the checkboxes are asked for certain.
    monkeypatch.setattr("bot.usecases.exam.draw", lambda questions, weights, size, seed: [TWO, THREE][:size])
    assert await rig.command("exam 2") == 200
    [first] = await rig.fake.wait_for("response_url")
    assert first.body["response_type"] == "ephemeral" and "模擬試験 1/2" in _text(first)
    submit = next(b for b in first.body["blocks"] if b.get("block_id") == "dop_submit")["elements"][0]
    await rig.restart(rig.core.clock)  # type: ignore[arg-type]
    second = await rig.submit(submit["value"], RIGHT_TWO, "U1", "7.1")
    assert "模擬試験 2/2" in _text(second) and "不正解" not in _text(second) and "正解！" not in _text(second)
    submit = next(b for b in second.body["blocks"] if b.get("block_id") == "dop_submit")["elements"][0]
    result = await rig.submit(submit["value"], (0, 2), "U1", "7.2")  # two of the three right ones
    assert "この問題は 3 つ選んで答えます" in _text(result)  # too few ticked: asked again, nothing stored
    before = len(rig.fake.named("response_url"))
    result = await rig.submit(submit["value"], (0, 1, 5), "U1", "7.3")  # one of them wrong
    assert "模擬試験の結果" in _text(result) and "正解 1/2" in _text(result)
    # The missed question follows the summary, with the right choices named.
    replies = await rig.fake.wait_for("response_url", before + 2)
    later = [json.dumps(r.body, ensure_ascii=False) for r in replies[before + 1 :]]
    assert any("EC2のメトリクスについて正しいもの" in text for text in later)

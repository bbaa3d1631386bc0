"""Multiple-response questions on Discord, through discord.py's real path against the stand-in: a select
menu taking exactly as many options as the question has right ones (a `DynamicItem`, so it answers
after a restart), raw INTERACTION_CREATE payloads with the chosen `values`, and the reveal disabling
the menu with the right options shown chosen (SQLite and Postgres)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from adapters.discord.messenger import DiscordMessenger
from adapters.run import RoutingMessenger
from bot.bootstrap import Core, start_core
from bot.storage.database import Database
from tests.conftest import FakeClock
from tests.discord_client import start_client, stop_client
from tests.fake_discord import MANAGER_PERMISSIONS, USER_ID, Call, FakeDiscord, component_payload, pointed_at
from tests.multiple import RIGHT_TWO, THREE, TWO, ask_only, multiple_settings
from tests.test_discord import EDIT, EPHEMERAL, MESSAGES, TOKEN, DiscordRig, message_with, text_of


async def _core(database_url: str, clock: FakeClock) -> tuple[Core, RoutingMessenger]:
    routing = RoutingMessenger()
    return await start_core(multiple_settings(database_url), clock, routing), routing


async def _restart(rig: DiscordRig, database_url: str, clock: FakeClock) -> None:
    """A new process: a new core on the same database and a new client; nothing kept in memory."""
    await stop_client(rig.client, rig.task)
    await rig.core.close()
    core, routing = await _core(database_url, clock)
    client, task = await start_client(core, rig.fake, TOKEN)
    routing.by_platform["discord"] = DiscordMessenger(client)
    rig.core, rig.client, rig.task = core, client, task


@pytest.fixture
async def rig(database: Database) -> AsyncIterator[DiscordRig]:
    fake = await FakeDiscord().start()
    core, routing = await _core(database.url, FakeClock(datetime(2026, 11, 29, 23, 0, tzinfo=UTC)))
    with pointed_at(fake):
        client, task = await start_client(core, fake, TOKEN)
        routing.by_platform["discord"] = DiscordMessenger(client)
        rig = DiscordRig(fake, core, client, task)
        yield rig
        await stop_client(rig.client, rig.task)
    await rig.core.close()
    await fake.stop()


async def _post_daily(rig: DiscordRig) -> tuple[dict[str, Any], list[dict[str, Any]], int]:
    """Subscribe, post today's (multiple-response) question: its menu, its rows and its message id."""
    await rig.command("subscribe", permissions=MANAGER_PERMISSIONS)
    ask_only(rig.core, TWO)
    rig.core.clock.current = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    assert rig.core.runner is not None
    await rig.core.runner.sync()
    assert await rig.core.runner.jobs.post_daily(1) == "posted"
    post = await rig.fake.wait_for(MESSAGES)
    rows = post.json_body["components"]
    [menu] = [
        item for row in rows for item in row["components"] if item["type"] == 3
    ]  # not the report button
    return menu, rows, message_with(rig.fake, menu["custom_id"])


async def _choose(
    rig: DiscordRig, rows: list[dict[str, Any]], values: list[str], user: int, message: int
) -> Call:
    custom_id = rows[0]["components"][0]["custom_id"]
    payload = component_payload(
        custom_id, values=values, user_id=user, message_id=message, message_components=rows
    )
    return await rig.fake.interact(payload)


async def test_the_daily_post_is_a_menu_of_exactly_two_and_the_reveal_shows_the_right_ones(
    rig: DiscordRig,
) -> None:
    menu, rows, message = await _post_daily(rig)
    assert menu["type"] == 3 and menu["min_values"] == 2 and menu["max_values"] == 2
    assert menu["custom_id"].startswith("dop:m:daily:") and menu["custom_id"].endswith(f":*:{TWO}")
    assert [o["value"] for o in menu["options"]] == ["0", "1", "2", "3", "4"]
    assert menu["options"][1]["label"] == "2. EC2インスタンスの詳細モニタリングを有効にする"
    assert menu["placeholder"] == "2つ選んでください"
    post = rig.fake.named(MESSAGES)[0]
    assert "（2つ選択）" in text_of(post.json_body["embeds"])

    right = await _choose(rig, rows, ["3", "1"], 11, message)
    assert right.json_body["data"]["flags"] & EPHEMERAL and "正解！" in text_of(right.json_body)
    partial = text_of((await _choose(rig, rows, ["1", "2"], 12, message)).json_body)
    assert "不正解" in partial and "選ばなかった正解: 4." in partial and "誤って選んだ選択肢: 3." in partial
    assert "選択肢の解説" in partial and "可視化するだけでスケーリングは早まらない。" in partial
    # Discord holds a menu to its min and max; a payload that does not is refused, not recorded.
    one = text_of((await _choose(rig, rows, ["1"], 13, message)).json_body)
    assert "2 つ選んで答えます（選んだのは 1 つ）" in one
    forged = text_of((await _choose(rig, rows, ["1", "x"], 13, message)).json_body)
    assert "この問題は見つかりませんでした" in forged
    assert "正解！" in text_of((await _choose(rig, rows, ["1", "3"], 13, message)).json_body)
    assert "回答済みです" in text_of((await _choose(rig, rows, ["0", "4"], 11, message)).json_body)

    rig.core.clock.current += timedelta(hours=8)  # type: ignore[attr-defined]
    post_id = int(menu["custom_id"].split(":")[3])
    assert rig.core.runner is not None
    assert await rig.core.runner.jobs.reveal(post_id) == "revealed"
    edit = await rig.fake.wait_for(EDIT)
    assert edit.path.endswith(f"/{message}")
    shown = text_of(edit.json_body["embeds"])
    assert "回答 3件・正解 2人・正答率 67%" in shown
    assert "✅ 2. EC2インスタンスの詳細モニタリングを有効にする — 3" in shown
    assert "・ 3. CloudWatch Dashboard にCPU使用率のグラフを追加する — 1" in shown
    assert "✅ 4. 1分間隔のメトリクスに基づくアラームでスケーリングポリシーを実行する — 2" in shown
    [disabled] = [
        item for row in edit.json_body["components"] for item in row["components"] if item["type"] == 3
    ]
    assert disabled["disabled"] is True
    [report] = [
        item for row in edit.json_body["components"] for item in row["components"] if item["type"] == 2
    ]
    assert report["custom_id"].startswith("dop:f:") and not report.get("disabled")  # reporting stays open
    chosen = [o["label"] for o in disabled["options"] if o.get("default")]
    assert chosen == [menu["options"][i]["label"] for i in RIGHT_TWO]  # the right ones, shown chosen

    late = await _choose(rig, rows, ["1", "3"], 14, message)
    assert "締め切られました" in text_of(late.json_body)


async def test_after_a_restart_yesterdays_menu_still_answers(rig: DiscordRig, database: Database) -> None:
    _, rows, message = await _post_daily(rig)
    await _restart(rig, database.url, FakeClock(datetime(2026, 12, 1, 0, 30, tzinfo=UTC)))
    answered = await _choose(rig, rows, ["1", "3"], 21, message)
    assert "正解！" in text_of(answered.json_body) and answered.json_body["data"]["flags"] & EPHEMERAL
    assert "不正解" in text_of((await _choose(rig, rows, ["0", "1"], 22, message)).json_body)


async def test_practice_on_discord_is_a_menu_too(rig: DiscordRig) -> None:
    ask_only(rig.core, TWO)
    shown = await rig.command("quiz")
    rows = shown.json_body["data"]["components"]
    [menu] = [
        item for row in rows for item in row["components"] if item["type"] == 3
    ]  # not the report button
    assert menu["type"] == 3 and menu["custom_id"] == f"dop:m:practice:{TWO}:*" and menu["max_values"] == 2
    feedback = text_of((await _choose(rig, rows, ["1", "3"], USER_ID, 1)).json_body)
    assert (
        "正解！" in feedback and "5分間隔のメトリクスが1分間隔になる。" in feedback and "次の復習" in feedback
    )


async def test_a_mock_exam_asks_choose_two_with_a_menu_and_goes_on_after_a_restart(
    rig: DiscordRig, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As on Slack: the sitting draws the two multiple-response questions (the draw is tests/test_exam.py's).
    monkeypatch.setattr("bot.usecases.exam.draw", lambda questions, weights, size, seed: [TWO, THREE][:size])
    first = await rig.command("exam", count=2)
    assert first.json_body["data"]["flags"] & EPHEMERAL and "模擬試験 1/2" in text_of(first.json_body)
    rows = first.json_body["data"]["components"]
    [menu] = [item for row in rows for item in row["components"] if item["type"] == 3]
    assert menu["custom_id"].startswith("dop:m:exam:") and menu["min_values"] == menu["max_values"] == 2
    await _restart(rig, database.url, FakeClock(datetime(2026, 11, 29, 23, 30, tzinfo=UTC)))
    second = await _choose(
        rig, rows, [str(i) for i in RIGHT_TWO], USER_ID, message_with(rig.fake, menu["custom_id"])
    )
    assert "模擬試験 2/2" in text_of(second.json_body) and "正解！" not in text_of(second.json_body)
    rows = second.json_body["data"]["components"]
    [menu] = [item for row in rows for item in row["components"] if item["type"] == 3]
    assert menu["min_values"] == menu["max_values"] == 3
    result = await _choose(rig, rows, ["0", "2", "5"], USER_ID, message_with(rig.fake, menu["custom_id"]))
    assert "模擬試験の結果" in text_of(result.json_body) and "正解 2/2" in text_of(result.json_body)

"""Postgres behind the fault-injecting proxy, and a burst of signed Slack answer clicks through a cut.

Shared by tests/test_outage.py and bench/outage.py: the test runs a short burst, the bench 1,500 clicks.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from sqlalchemy import select
from sqlalchemy.engine import make_url

from adapters.slack.app import SlackConfig, build_app, web_client
from adapters.slack.messenger import SlackMessenger
from bot.bootstrap import start_core
from bot.config import Settings
from bot.i18n import Messages
from bot.storage.database import Database
from bot.storage.models import Answer, User
from tests.conftest import FakeClock
from tests.databases import POSTGRES_URL, create_database, drop_database
from tests.fake_slack import Call, FakeSlack
from tests.faultproxy import FaultProxy
from tests.multiple import single_answer_only
from tests.test_slack import SECRET, SlackRig

UNAVAILABLE = Messages("ja")("storage.unavailable")


@asynccontextmanager
async def proxied_postgres(tmp_path: Path) -> AsyncIterator[tuple[FaultProxy, str, str]]:
    """A fresh Postgres database and a proxy in front of it: (proxy, URL through it, direct URL)."""
    direct = await create_database("postgres", tmp_path)
    server = make_url(POSTGRES_URL)
    proxy = await FaultProxy(
        upstream_host=server.host or "127.0.0.1", upstream_port=server.port or 5432
    ).start()
    try:
        yield proxy, proxy.url(direct), direct
    finally:
        await proxy.stop()
        await drop_database(direct)


class AddressedSlack(FakeSlack):
    """The Slack stand-in, also noting which response_url each reply went to (one per click)."""

    async def _response(self, request: web.Request) -> web.Response:
        body = json.loads(await request.text())
        self.calls.append(Call("response_url", {**body, "to": request.match_info["token"]}))
        return web.Response(text="ok")


@asynccontextmanager
async def slack_rig(database_url: str) -> AsyncIterator[SlackRig]:
    """The Slack app served by Bolt on localhost over `database_url`, as tests/test_slack.py builds it."""
    fake = await AddressedSlack(admins={"UADMIN"}).start()
    config = SlackConfig(bot_token="xoxb-test", signing_secret=SECRET, api_url=f"{fake.base}/api/")
    client = web_client(config)
    clock = FakeClock(datetime(2026, 11, 29, 23, 0, tzinfo=UTC))  # Monday 08:00 in Tokyo
    core = await start_core(Settings(database_url=database_url), clock, SlackMessenger(client))
    single_answer_only(core)  # the bursts click answer buttons
    runner = web.AppRunner(build_app(core, config, client).web_app(path="/slack/events"))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    connector = aiohttp.TCPConnector(limit=0)
    try:
        async with aiohttp.ClientSession(connector=connector) as session:
            yield SlackRig(fake, core, f"http://127.0.0.1:{port}/slack/events", session)
    finally:
        await runner.cleanup()
        await core.close()
        await fake.stop()


async def post_daily_question(rig: SlackRig) -> list[str]:
    """Subscribe the channel and post today's question; the values its buttons carry."""
    await rig.command("subscribe", user="UADMIN")
    await rig.fake.wait_for("response_url")
    rig.core.clock.current = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    assert rig.core.runner is not None
    await rig.core.runner.sync()
    assert await rig.core.runner.jobs.post_daily(1) == "posted"
    post = rig.fake.named("chat.postMessage")[-1]
    actions = next(b for b in post.body["blocks"] if b["type"] == "actions")
    return [button["value"] for button in actions["elements"]]


@dataclass
class Burst:
    """What a burst of clicks got back: HTTP statuses, and per click the replies through response_url."""

    clicks: int
    statuses: Counter[int] = field(default_factory=Counter)
    replies: dict[str, list[str]] = field(default_factory=dict)  # click → reply texts
    stored: set[str] = field(default_factory=set)  # users whose answer is in the database

    def outcome(self, click: str) -> str:
        texts = self.replies.get(click, [])
        if len(texts) != 1:
            return "none" if not texts else "several"
        if UNAVAILABLE in texts[0]:
            return "unavailable"
        return "answered" if "正解" in texts[0] else "other"

    def summary(self) -> dict[str, Any]:
        outcomes = Counter(self.outcome(f"U{n:05d}") for n in range(self.clicks))
        answered = {f"U{n:05d}" for n in range(self.clicks) if self.outcome(f"U{n:05d}") == "answered"}
        return {
            "clicks": self.clicks,
            "http": {str(status): count for status, count in sorted(self.statuses.items())},
            "answered": outcomes["answered"],
            "unavailable": outcomes["unavailable"],
            "no_reply": outcomes["none"],
            "several_replies": outcomes["several"],
            "other": outcomes["other"],
            "replied_pct": round(100 * (outcomes["answered"] + outcomes["unavailable"]) / self.clicks, 2),
            "stored": len(self.stored),
            "stored_not_answered": len(self.stored - answered),
            "answered_not_stored": len(answered - self.stored),
        }


async def click_burst(
    rig: SlackRig,
    proxy: FaultProxy,
    direct_url: str,
    value: str,
    *,
    clicks: int,
    rate: float,
    cut_after: int,
    refuse_for: float,
    settle: float = 15.0,
) -> Burst:
    """`clicks` signed answer clicks, one per user, started at `rate` a second (so the burst spans
    clicks/rate seconds, as people clicking do); when `cut_after` have started, every database
    connection is cut and new ones are refused for `refuse_for` s. Waits up to `settle` s after the
    last click for the replies, then reads what was stored, directly."""
    burst = Burst(clicks)

    async def one(n: int) -> None:
        burst.statuses[await rig.click(value, f"U{n:05d}", f"{n}.1")] += 1

    started = []
    for n in range(clicks):
        if n == cut_after:
            proxy.cut()
            await proxy.refuse(refuse_for)
        started.append(asyncio.ensure_future(one(n)))
        await asyncio.sleep(1 / rate)
    await asyncio.gather(*started)
    deadline = asyncio.get_running_loop().time() + settle
    while len(rig.fake.named("response_url")) < clicks + 1 and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)  # a reply arriving late, or a second reply, would show now
    for call in rig.fake.named("response_url"):
        to = str(call.body.get("to", ""))
        if to.startswith("click-"):
            burst.replies.setdefault(to.split("-")[1], []).append(json.dumps(call.body, ensure_ascii=False))
    await proxy.pass_through()
    burst.stored = await stored_answers(direct_url)
    return burst


async def stored_answers(url: str) -> set[str]:
    """The users with an answer in the database, read directly (not through the proxy)."""
    db = Database.open(url)
    try:
        async with db.transaction() as session:
            rows = await session.execute(select(User.external_id).join(Answer, Answer.user_id == User.id))
            return {row.external_id for row in rows}
    finally:
        await db.close()

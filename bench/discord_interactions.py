"""Discord interactions: how long from an INTERACTION_CREATE on the gateway to the callback Discord
receives, through the real discord.py client, our bridge and the core, against the local stand-in.

Discord drops an interaction that is not answered (or deferred) within 3 s. Two loads:
- `/dop ask` one at a time with different queries (lookup latency plus discord.py's own path);
- a burst: N people click an answer button of the same daily question at once (database writes).
Baseline in the same run: a bare discord.py client whose command answers a constant string, so the
cost of discord.py, the gateway and the stand-in is separated from ours.

Run: .venv/bin/python bench/discord_interactions.py [--asks 200] [--clicks 500] [--database URL]
The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
from discord import app_commands

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)

from adapters.discord.messenger import DiscordMessenger  # noqa: E402
from adapters.run import RoutingMessenger  # noqa: E402
from bot.bootstrap import start_core  # noqa: E402
from bot.config import Settings  # noqa: E402
from tests.conftest import FakeClock  # noqa: E402
from tests.discord_client import start_client, stop_client  # noqa: E402
from tests.fake_discord import (  # noqa: E402
    CALLBACK_ROUTE,
    MANAGER_PERMISSIONS,
    FakeDiscord,
    command_payload,
    component_payload,
    pointed_at,
)

QUERIES = [
    "elb 503",
    "cfn drift",
    "ddb ttl",
    "ssm パラメータストア",
    "codedeploy rollback",
    "ロググループ 保持期間",
    "kinesis shard",
    "beanstalk blue green",
    "config rule remediation",
    "cloudwatch 複合アラーム",
]


def _quantiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


async def _answered(fake: FakeDiscord, payloads: list[dict[str, Any]]) -> list[float]:
    """Dispatch all payloads at once; seconds from the first dispatch to each callback."""
    tokens = {p["token"] for p in payloads}
    started = time.monotonic()
    for payload in payloads:
        await fake.dispatch("INTERACTION_CREATE", payload)
    deadline = started + 30
    done: list[float] = []
    seen = 0
    while time.monotonic() < deadline:
        # Only the calls that arrived since the last look: this loop shares the event loop it measures.
        for call in fake.calls[seen:]:
            if call.route == CALLBACK_ROUTE and call.path.split("/")[3] in tokens:
                done.append(call.at - started)
        seen = len(fake.calls)
        if len(done) >= len(tokens):
            return done
        await asyncio.sleep(0.005)
    raise AssertionError("not every interaction was answered within 30 s")


async def _one_by_one(fake: FakeDiscord, payloads: list[dict[str, Any]]) -> list[float]:
    """Each payload once the previous one is answered; seconds from its dispatch to its callback."""
    latencies: list[float] = []
    for payload in payloads:
        started = time.monotonic()
        callback = await fake.interact(payload, timeout=30)
        latencies.append(callback.at - started)
    return latencies


class _Constant(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"bench:(?P<n>\d+)"):
    """A button answering a constant, for the baseline burst."""

    def __init__(self, n: str) -> None:
        super().__init__(discord.ui.Button(label=n, custom_id=f"bench:{n}"))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any, /
    ) -> _Constant:
        return cls(match["n"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_message("ok", ephemeral=True)


async def baseline(fake: FakeDiscord, asks: int, clicks: int) -> tuple[list[float], list[float]]:
    """A bare client answering a constant: what discord.py and the stand-in cost by themselves."""
    client = discord.Client(intents=discord.Intents.none())
    client.add_dynamic_items(_Constant)
    tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(client)
    group = app_commands.Group(name="dop", description="bench")

    @group.command(name="ask", description="bench")
    async def ask(interaction: discord.Interaction[Any], query: str) -> None:
        await interaction.response.send_message("ok", ephemeral=True)

    tree.add_command(group)
    task = asyncio.create_task(client.start("bench"))
    await fake.wait_ready()
    payloads = [_ask(QUERIES[i % len(QUERIES)]) for i in range(asks)]
    burst = [component_payload(f"bench:{i % 4}", user_id=10_000 + i) for i in range(clicks)]
    try:
        return await _one_by_one(fake, payloads), await _answered(fake, burst)
    finally:
        await client.close()
        await task


def _ask(query: str) -> dict[str, Any]:
    options = [{"type": 3, "name": "query", "value": query}]
    return command_payload("dop", [{"type": 1, "name": "ask", "options": options}])


async def ours(fake: FakeDiscord, database: str, asks: int, clicks: int) -> dict[str, Any]:
    routing = RoutingMessenger()
    clock = FakeClock(datetime(2026, 11, 29, 23, 0, tzinfo=UTC))
    core = await start_core(Settings(database_url=database), clock, routing)
    client, task = await start_client(core, fake, "bench")
    routing.by_platform["discord"] = DiscordMessenger(client)
    try:
        await asyncio.to_thread(core.bank.ensure)
        ask = await _one_by_one(fake, [_ask(QUERIES[i % len(QUERIES)]) for i in range(asks)])

        subscribe = command_payload(
            "dop", [{"type": 1, "name": "subscribe", "options": []}], permissions=MANAGER_PERMISSIONS
        )
        await fake.interact(subscribe)
        clock.current = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
        assert core.runner is not None
        await core.runner.sync()
        assert await core.runner.jobs.post_daily(1) == "posted"
        message = next(m for m in fake.messages.values() if "dop:c:daily:" in json.dumps(m.get("components")))
        custom_ids = [b["custom_id"] for row in message["components"] for b in row["components"]]
        burst = [
            component_payload(
                custom_ids[i % len(custom_ids)], user_id=10_000 + i, message_id=int(message["id"])
            )
            for i in range(clicks)
        ]
        fake.calls.clear()
        started = time.perf_counter()
        click = await _answered(fake, burst)
        wall = time.perf_counter() - started
        assert core.ledger is not None
        post_id = int(custom_ids[0].split(":")[3])
        results = await core.ledger.results(post_id)
        assert results is not None
        deferred = sum(1 for c in fake.calls if c.route == CALLBACK_ROUTE and c.json_body.get("type") == 5)
        return {
            "ask": _quantiles(ask),
            "burst": {
                **_quantiles(click),
                "clicks": clicks,
                "wall_s": round(wall, 2),
                "recorded": sum(results.counts.values()),
                "deferred": deferred,
                "over_3s": sum(1 for x in click if x > 3.0),
            },
        }
    finally:
        await stop_client(client, task)
        await core.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--asks", type=int, default=200)
    parser.add_argument("--clicks", type=int, default=500)
    parser.add_argument("--database", help="default: a temporary SQLite file")
    args = parser.parse_args()
    fake = await FakeDiscord().start()
    with tempfile.TemporaryDirectory() as folder, pointed_at(fake):
        database = args.database or f"sqlite+aiosqlite:///{folder}/bench.sqlite3"
        base_asks, base_clicks = await baseline(fake, args.asks, args.clicks)
        base = {"ask": _quantiles(base_asks), "burst": _quantiles(base_clicks)}
        fake.calls.clear()
        result = await ours(fake, database, args.asks, args.clicks)
    await fake.stop()
    result["baseline_constant_reply"] = base
    result["database"] = "postgres" if args.database else "sqlite"
    print(
        f"ask p50 {result['ask']['p50_ms']} ms p99 {result['ask']['p99_ms']} ms "
        f"(bare discord.py p50 {base['ask']['p50_ms']} ms p99 {base['ask']['p99_ms']} ms); "
        f"{args.clicks} clicks at once: p99 {result['burst']['p99_ms']} ms, "
        f"max {result['burst']['max_ms']} ms, {result['burst']['recorded']} recorded, "
        f"{result['burst']['deferred']} deferred (bare discord.py p99 {base['burst']['p99_ms']} ms)"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main())

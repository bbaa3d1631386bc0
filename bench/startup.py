"""Start-up: `dop-bot run` as a real process until it answers on every configured platform, and its memory.

Targets: ready in at most 2 s and under 200 MB resident with both adapters loaded. "Ready" is when a signed
Slack `/dop help` gets 200 and a `/dop help` interaction sent over the Discord stand-in's gateway has been
answered (the client has logged in, connected and identified). Local stand-ins for both platforms.
Run: .venv/bin/python bench/startup.py [--runs N] [--platforms both|slack|discord]
The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fake_discord import FakeDiscord, command_payload  # noqa: E402
from tests.fake_slack import FakeSlack, free_port, signed_headers  # noqa: E402
from tests.processes import cli_env, spawn_cli  # noqa: E402

SECRET = "bench-secret"


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def _discord_ready(discord: FakeDiscord, started: float) -> float | None:
    """Once the bot has identified, send `/dop help` over the gateway until it is answered."""
    while time.perf_counter() - started < 30:
        if discord.identifies and discord.open_connections:
            await discord.interact(
                command_payload("dop", [{"type": 1, "name": "help", "options": []}]), timeout=10
            )
            return time.perf_counter() - started
        await asyncio.sleep(0.01)
    return None


async def once(fake: FakeSlack, discord: FakeDiscord, folder: str, platforms: str) -> tuple[float, float]:
    port = free_port()
    env = cli_env(PORT=str(port), DOP_DATA_DIR=folder)
    if platforms in ("both", "slack"):
        env.update(
            SLACK_BOT_TOKEN="xoxb-bench", SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=f"{fake.base}/api/"
        )
    if platforms in ("both", "discord"):
        env.update(
            DISCORD_TOKEN="bench", DISCORD_API_URL=discord.api, DISCORD_GATEWAY_URL=discord.gateway_url
        )
    discord.calls.clear()
    started = time.perf_counter()
    process = await spawn_cli("run", env=env, quiet=True)
    body = urlencode(
        {
            "command": "/dop",
            "text": "help",
            "user_id": "U1",
            "team_id": "T1",
            "channel_id": "C1",
            "response_url": f"{fake.base}/response/x",
        }
    )
    discord_ready = asyncio.create_task(
        _discord_ready(discord, started) if platforms != "slack" else asyncio.sleep(0, 0.0)
    )
    ready = None if platforms != "discord" else 0.0
    async with aiohttp.ClientSession() as session:
        while ready is None and time.perf_counter() - started < 30:
            try:
                async with session.post(
                    f"http://127.0.0.1:{port}/slack/events", data=body, headers=signed_headers(SECRET, body)
                ) as r:
                    if r.status == 200:
                        ready = time.perf_counter() - started
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.02)
    other = await discord_ready
    ready = max(ready, other) if ready is not None and other is not None else None
    await asyncio.sleep(1.0)  # let it settle (the scheduler's first sync) before reading memory
    rss = _rss_mb(process.pid)
    process.send_signal(signal.SIGTERM)
    await process.wait()
    return (ready or float("inf")), rss


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--platforms", choices=("both", "slack", "discord"), default="both")
    args = parser.parse_args()
    fake, discord = await FakeSlack().start(), await FakeDiscord().start()
    readies, memories = [], []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.runs):
            ready, rss = await once(fake, discord, folder, args.platforms)
            readies.append(ready)
            memories.append(rss)
    await fake.stop()
    await discord.stop()
    result = {
        "runs": args.runs,
        "platforms": args.platforms,
        "ready_seconds_median": round(statistics.median(readies), 2),
        "ready_seconds_max": round(max(readies), 2),
        "rss_mb_max": round(max(memories), 1),
        "targets": {"ready_seconds": 2.0, "rss_mb": 200},
    }
    print(
        f"ready in {result['ready_seconds_median']} s (max {result['ready_seconds_max']}), "
        f"resident {result['rss_mb_max']} MB"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main())

"""Start-up: `dop-bot run` as a real process until it answers a signed Slack request, and its memory.

Targets: ready in at most 2 s and under 200 MB resident. (The Discord adapter is not built yet; the
figure is for Slack, the scheduler and the database.) Run: .venv/bin/python bench/startup.py [--runs N]
The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fake_slack import FakeSlack, free_port  # noqa: E402

SECRET = "bench-secret"


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def once(fake: FakeSlack, folder: str) -> tuple[float, float]:
    port = free_port()
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": f"{fake.base}/api/",
        "PORT": str(port),
        "DOP_DATA_DIR": folder,
    }
    env.pop("DATABASE_URL", None)
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "adapters.cli",
        "run",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
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
    ready = None
    async with aiohttp.ClientSession() as session:
        while ready is None and time.perf_counter() - started < 30:
            stamp = str(int(time.time()))
            headers = {
                "X-Slack-Request-Timestamp": stamp,
                "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body),
                "Content-Type": "application/x-www-form-urlencoded",
            }
            try:
                async with session.post(
                    f"http://127.0.0.1:{port}/slack/events", data=body, headers=headers
                ) as r:
                    if r.status == 200:
                        ready = time.perf_counter() - started
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.02)
    await asyncio.sleep(1.0)  # let it settle (the scheduler's first sync) before reading memory
    rss = _rss_mb(process.pid)
    process.send_signal(signal.SIGTERM)
    await process.wait()
    return (ready or float("inf")), rss


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    fake = await FakeSlack().start()
    readies, memories = [], []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.runs):
            ready, rss = await once(fake, folder)
            readies.append(ready)
            memories.append(rss)
    await fake.stop()
    result = {
        "runs": args.runs,
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

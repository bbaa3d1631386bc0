"""Outage: a burst of signed Slack answer clicks through Bolt's HTTP endpoint while Postgres, behind the
fault-injecting proxy (tests/faultproxy.py), is cut and refuses connections for a while; then a stall
(the server accepts and never answers): how long a command waits for its plain reply; and how long
`dop-bot run` and `dop-bot db upgrade` take to give up on a silent server.

Goal: every click gets its normal reply or the plain "try again" message; stored answers = clicks
answered; a command answers within 10 s during a stall; a start-up gives up within 15 s.
Run: .venv/bin/python bench/outage.py [--clicks 1500] [--rate 200] [--refuse 3]  (Postgres at
DOP_TEST_POSTGRES_URL, default 127.0.0.1:5432). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.outage import UNAVAILABLE, click_burst, post_daily_question, proxied_postgres, slack_rig  # noqa: E402
from tests.processes import cli_env, spawn_cli  # noqa: E402

GIVE_UP = 100.0  # seconds a start against a silent server is waited for before it is killed


async def through_a_cut(clicks: int, rate: float, refuse: float, scratch: Path) -> dict[str, object]:
    async with proxied_postgres(scratch) as (proxy, through, direct), slack_rig(through) as rig:
        values = await post_daily_question(rig)
        started = time.perf_counter()
        burst = await click_burst(
            rig, proxy, direct, values[0], clicks=clicks, rate=rate, cut_after=clicks // 3, refuse_for=refuse
        )
        return {
            **burst.summary(),
            "refused_s": refuse,
            "rate": rate,
            "seconds": time.perf_counter() - started,
        }


async def through_a_stall(scratch: Path, commands: int = 20) -> dict[str, object]:
    """`commands` users ask `/dop stats` and click at once while the server is silent."""
    async with proxied_postgres(scratch) as (proxy, through, _), slack_rig(through) as rig:
        values = await post_daily_question(rig)
        await rig.click(values[0], "UWARM", "0.1")
        await rig.fake.wait_for("response_url", 2)
        proxy.stall()
        started = time.perf_counter()
        await asyncio.gather(
            *(rig.command("stats", user=f"S{n}") for n in range(commands)),
            *(rig.click(values[0], f"C{n}", f"{n}.2") for n in range(commands)),
        )
        waits: list[float] = []
        seen = 2
        while len(waits) < 2 * commands and time.perf_counter() - started < 30:
            now = len(rig.fake.named("response_url"))
            waits.extend([time.perf_counter() - started] * (now - seen))
            seen = now
            await asyncio.sleep(0.02)
        plain = sum(
            UNAVAILABLE in json.dumps(c.body, ensure_ascii=False) for c in rig.fake.named("response_url")
        )
        await proxy.pass_through()
        return {
            "requests": 2 * commands,
            "replied": len(waits),
            "plain": plain,
            "replied_pct": round(100 * len(waits) / (2 * commands), 2),
            "slowest_reply_s": round(max(waits, default=float("nan")), 2),
        }


async def silent_start(scratch: Path) -> dict[str, object]:
    """`dop-bot db upgrade` and `dop-bot run` against a server that accepts and never answers."""
    results: dict[str, object] = {}
    async with proxied_postgres(scratch) as (proxy, through, _):
        proxy.stall()
        for command in (("db", "upgrade"), ("run",)):
            env = cli_env(DATABASE_URL=through, SLACK_BOT_TOKEN="xoxb-x", SLACK_SIGNING_SECRET="s", PORT="0")
            started = time.perf_counter()
            process = await spawn_cli(*command, env=env)
            try:
                _, err = await asyncio.wait_for(process.communicate(), GIVE_UP)
            except TimeoutError:
                process.kill()
                _, err = await process.communicate()
            lines = err.decode().strip().splitlines()
            results[" ".join(command)] = {
                "seconds": round(time.perf_counter() - started, 2),
                "exit": process.returncode,  # -9: still hanging after GIVE_UP, killed
                "stderr_lines": len(lines),
                "traceback": any("Traceback" in line for line in lines),
                "last_line": lines[-1] if lines else "",
            }
    return results


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=1500)
    parser.add_argument("--rate", type=float, default=200.0, help="clicks started per second")
    parser.add_argument("--refuse", type=float, default=3.0, help="seconds the cut lasts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        cut = await through_a_cut(args.clicks, args.rate, args.refuse, Path(scratch))
        stall = await through_a_stall(Path(scratch))
        start = await silent_start(Path(scratch))
    print(json.dumps({"cut": cut, "stall": stall, "silent_start": start}, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())

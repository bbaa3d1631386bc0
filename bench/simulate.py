"""Simulation at scale: 90 days × 200 channels × 2,000 users on the real scheduler, services and storage.

Run: .venv/bin/python bench/simulate.py [--days D] [--channels C] [--users U] [--restart-every H]
     [--replicas R] [--postgres]
Reports wall time and whether every exactly-once check passed. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.content import bank_of, load_content  # noqa: E402
from bot.simulation import simulate  # noqa: E402

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--channels", type=int, default=200)
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--restart-every", type=float, default=None)
    parser.add_argument("--replicas", type=int, default=1)
    parser.add_argument("--postgres", action="store_true", help="run on a scratch Postgres database")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    bank = bank_of(load_content(ROOT / "content"))
    started = time.perf_counter()
    result = await simulate(
        POSTGRES if args.postgres else None,
        bank,
        days=args.days,
        channels=args.channels,
        users=args.users,
        restart_every=args.restart_every,
        replicas=args.replicas,
    )
    wall = time.perf_counter() - started
    problems = result["meta"]["problems"]
    summary = {
        "backend": "postgresql" if args.postgres else "sqlite",
        "days": args.days,
        "channels": args.channels,
        "users": args.users,
        "replicas": args.replicas,
        "restarts": result["meta"]["restarts"],
        "wall_seconds": round(wall, 1),
        "posts": len(result["posts"]),
        "reveals": len(result["reveals"]),
        "reports": len(result["reports"]),
        "answers": len(result["answers"]),
        "problems": len(problems),
    }
    print(
        f"{summary['posts']} posts, {summary['answers']} answers in {summary['wall_seconds']} s; "
        f"problems: {summary['problems']}"
    )
    for problem in problems[:10]:
        print(f"  {problem}")
    print(json.dumps(summary))


if __name__ == "__main__":
    asyncio.run(main())

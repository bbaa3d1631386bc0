"""`dop-bot` as a real process, for the tests and benchmarks that start it the way a platform would."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cli_env(**extra: str) -> dict[str, str]:
    """This process's environment without platform credentials or DATABASE_URL, plus `extra`.

    A developer's own SLACK_* or DISCORD_* settings would otherwise make a spawned bot reach the
    real platforms, and DATABASE_URL a real database; only what the caller gives in `extra` is set.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "DISCORD_")) and key != "DATABASE_URL"
    }
    env.update(extra)
    return env


async def spawn_cli(*args: str, env: dict[str, str], quiet: bool = False) -> asyncio.subprocess.Process:
    """`python -m adapters.cli ARGS` from the project root; output piped, or discarded when quiet."""
    output = asyncio.subprocess.DEVNULL if quiet else asyncio.subprocess.PIPE
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "adapters.cli", *args, cwd=ROOT, env=env, stdout=output, stderr=output
    )

"""`dop-bot` as a real process, for the tests and benchmarks that start it the way a platform would."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


async def spawn_cli(*args: str, env: dict[str, str], quiet: bool = False) -> asyncio.subprocess.Process:
    """`python -m adapters.cli ARGS` from the project root; output piped, or discarded when quiet."""
    output = asyncio.subprocess.DEVNULL if quiet else asyncio.subprocess.PIPE
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "adapters.cli", *args, cwd=ROOT, env=env, stdout=output, stderr=output
    )

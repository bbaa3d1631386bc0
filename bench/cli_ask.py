"""One-shot `dop-bot ask elb 503` on the bundled notes: wall time of the whole process, beside
`python3 -c pass` measured in the same run (the interpreter's own floor on this machine right now).

Target: at most 0.35 s median wall for the lookup. Runs alternate between the two commands so that a
busy moment on the machine hits both.
Run: .venv/bin/python bench/cli_ask.py [--runs 15]
The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.processes import cli_env  # noqa: E402

COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "dop-bot ask elb 503": [sys.executable, "-m", "adapters.cli", "ask", "elb", "503"],
}


def _wall(command: list[str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=cli_env(), capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {result.stderr.decode(errors='replace')}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    for command in COMMANDS.values():  # warm the file cache once
        _wall(command)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.runs):
        for name, command in COMMANDS.items():
            times[name].append(_wall(command))
    summary = {
        name: {
            "median_s": round(statistics.median(values), 3),
            "min_s": round(min(values), 3),
            "max_s": round(max(values), 3),
        }
        for name, values in times.items()
    }
    for name, figures in summary.items():
        print(
            f"{name:<22} median {figures['median_s']:.3f} s"
            f"  (min {figures['min_s']:.3f}, max {figures['max_s']:.3f})"
        )
    print(json.dumps({"runs": args.runs, **summary}))


if __name__ == "__main__":
    main()

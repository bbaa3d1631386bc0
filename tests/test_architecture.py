"""Structural rules: imports point inward, nothing runs at import time, catalogues agree."""

from __future__ import annotations

import ast
import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import adapters
import bot
from bot.i18n import Messages

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("adapters", "slack_bolt", "slack_sdk", "discord")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_core_never_imports_adapters_or_platform_libraries() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(n for n in _imports(path) if n.split(".")[0] in FORBIDDEN)
        for path in (ROOT / "bot").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_every_module_reads_no_settings_and_starts_nothing() -> None:
    # In a fresh interpreter: an invalid DOP_LOCALE would fail validation if anything built Settings
    # at import time, and importing must not leave threads or event loops running.
    names = [m.name for m in pkgutil.walk_packages(bot.__path__, "bot.")]
    names += [m.name for m in pkgutil.walk_packages(adapters.__path__, "adapters.")]
    script = (
        "import importlib, sys, threading\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "assert threading.active_count() == 1, threading.enumerate()\n"
        "print('ok')\n"
    )
    env = {**os.environ, "DOP_LOCALE": "not-a-locale", "DATABASE_URL": "::not a url::"}
    result = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True)
    assert result.stdout.strip() == "ok", result.stderr


def test_japanese_and_english_catalogues_have_the_same_keys() -> None:
    assert Messages("ja").keys() == Messages("en").keys()


def test_every_message_key_used_in_code_exists() -> None:
    pattern = re.compile(r"""messages\(\s*["']([a-z_.]+)["']""")
    used = {
        key
        for folder in ("bot", "adapters")
        for path in (ROOT / folder).rglob("*.py")
        for key in pattern.findall(path.read_text(encoding="utf-8"))
    }
    assert used and used <= Messages("ja").keys()


def test_every_procfile_line_names_a_real_dop_bot_command() -> None:
    from adapters.cli.parser import build_parser as _parser

    commands = set(_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    for line in (ROOT / "Procfile").read_text().splitlines():
        _, _, command = line.partition(":")
        words = command.split()
        assert words[0] == "dop-bot" and words[1] in commands, line


def test_a_one_shot_lookup_loads_no_database_platform_or_settings_library() -> None:
    # What keeps `dop-bot ask` fast (bench/cli_ask.py): it must not import what it does not use.
    script = (
        "import sys, runpy\n"
        "sys.argv = ['dop-bot', 'ask', 'elb', '503']\n"
        "try:\n"
        "    runpy.run_module('adapters.cli', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ['sqlalchemy', 'pydantic', 'pydantic_settings', 'slack_bolt', 'discord', 'aiohttp',\n"
        "         'apscheduler', 'alembic', 'matplotlib', 'asyncio']\n"
        "print('LOADED', [m for m in heavy if m in sys.modules])\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    result = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True)
    assert "HTTPCode_ELB_5XX" in result.stdout, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "LOADED []"

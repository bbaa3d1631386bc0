"""What one-shot commands (ask, topics, questions, content check, export) read from the environment.

`Settings` (bot/config.py) reads the same variables for everything else; building it imports
pydantic, which costs about a fifth of a one-shot lookup's start, so these two are read here instead."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

PACKAGED_CONTENT = Path(__file__).resolve().parent.parent / "content"
LOCALES = ("ja", "en")
APP_NAME = "dop-bot"


def content_path(configured: str | Path | None) -> Path:
    """DOP_CONTENT_DIR, else ./content when run from a checkout, else the project's own."""
    if configured:
        return Path(configured)
    local = Path.cwd() / "content"
    return local if (local / "notes").is_dir() else PACKAGED_CONTENT


def locale_of(environ: Mapping[str, str] = os.environ) -> str:
    """DOP_LOCALE if it names a language the bot speaks, else Japanese."""
    value = environ.get("DOP_LOCALE", "ja").strip().lower()
    return value if value in LOCALES else "ja"


def content_dir_of(environ: Mapping[str, str] = os.environ) -> Path:
    return content_path(environ.get("DOP_CONTENT_DIR") or None)


def default_data_dir() -> Path:
    """The platform's user data directory for the app (`~/.local/share/dop-bot` on Linux)."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def data_dir_of(environ: Mapping[str, str] = os.environ) -> Path:
    """DOP_DATA_DIR, else the default (as `Settings.data_path`)."""
    configured = environ.get("DOP_DATA_DIR")
    return Path(configured) if configured else default_data_dir()

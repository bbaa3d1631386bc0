"""The message catalogue: Japanese by default, English with DOP_LOCALE=en."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from bot.yaml_data import load_yaml

DEFAULT_LOCALE = "ja"
LOCALES = ("ja", "en")


@cache
def _catalogue(locale: str) -> dict[str, str]:
    text = resources.files("bot").joinpath(f"locales/{locale}.yaml").read_text(encoding="utf-8")
    data = load_yaml(text)
    return {str(k): str(v) for k, v in data.items()}


class Messages:
    """Looks up a message by key and fills in its fields; a missing key falls back to Japanese."""

    def __init__(self, locale: str = DEFAULT_LOCALE) -> None:
        self.locale = locale if locale in LOCALES else DEFAULT_LOCALE

    def __call__(self, key: str, **fields: Any) -> str:
        template = _catalogue(self.locale).get(key) or _catalogue(DEFAULT_LOCALE)[key]
        return template.format(**fields) if fields else template

    def keys(self) -> set[str]:
        return set(_catalogue(self.locale))

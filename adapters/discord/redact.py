"""Keep Discord credentials out of the logs. At DEBUG, discord.py logs request URLs and gateway payloads;
interaction and webhook URLs carry a token that can post for 15 minutes, and payloads carry it too."""

from __future__ import annotations

import logging
import re

_URL_TOKEN = re.compile(r"(/(?:interactions|webhooks)/\d+/)[A-Za-z0-9_.\-]+")
_FIELD_TOKEN = re.compile(r"""(['"]token['"]\s*:\s*['"])[^'"]+""")


def redact(text: str) -> str:
    return _FIELD_TOKEN.sub(r"\1***", _URL_TOKEN.sub(r"\1***", text))


class RedactTokens(logging.Filter):
    """Rewrites each record's message with tokens masked (it never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install() -> None:
    """On every handler of the root logger, once: child loggers' records pass through those."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactTokens) for f in handler.filters):
            handler.addFilter(RedactTokens())

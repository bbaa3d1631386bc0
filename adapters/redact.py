"""Keep credentials out of the logs, at every level and on every platform. At DEBUG the libraries log
what they send and receive: slack-sdk each response_url it posts to and the body of `oauth.v2.access`
(a workspace's bot token), aiosqlite the parameters of each statement (the installation's tokens),
discord.py interaction and webhook URLs and gateway payloads (their tokens), aiohttp's access log the
OAuth code in the redirect. A formatter on the process's log handlers masks them in the finished line,
traceback included, by their shape and by the exact values the process was configured with."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, unquote_plus, urlsplit

if TYPE_CHECKING:
    from bot.config import Settings

MASK = "***"
_QUOTE = r"""\\?['"]"""  # a quote, or one escaped inside a JSON string
_SLASH = r"\\?/"  # a slash, or one escaped in JSON
_VALUE = r"""(?:\\/|[^'"\s&,}\]\\])+"""  # up to the quote, separator or bracket that ends it
_SHORTEST = 8  # a configured value shorter than this is not masked verbatim (it would mask common text)
_PATTERNS = (
    # Slack tokens: bot, user, app-level, configuration and rotation (xoxe-, xoxe.xoxp-) tokens.
    (re.compile(r"\b((?:xoxe\.)?xox[a-z]|xapp)-[A-Za-z0-9-]+"), rf"\1-{MASK}"),
    # Slack response_urls and webhooks (https://hooks.slack.com/commands/T…/…/<secret>): the host, and
    # the path's shape on any host (a stand-in, a proxy).
    (re.compile(rf"(hooks\.slack(?:-gov)?\.com{_SLASH}){_VALUE}"), rf"\1{MASK}"),
    (
        re.compile(
            rf"({_SLASH}(?:commands|actions|services|workflows|triggers){_SLASH}[A-Z][A-Z0-9]+{_SLASH}"
            rf"[A-Za-z0-9.]+{_SLASH})[A-Za-z0-9]+"
        ),
        rf"\1{MASK}",
    ),
    # Discord interaction and webhook tokens in URLs.
    (re.compile(rf"({_SLASH}(?:interactions|webhooks){_SLASH}\d+{_SLASH})[A-Za-z0-9_.\-]+"), rf"\1{MASK}"),
    # The OAuth redirect's query (the code a workspace is installed with, and its state).
    (re.compile(r"(oauth_redirect\?)[^\s\"']+"), rf"\1{MASK}"),
    # Values under secret keys: JSON, Python reprs (also a one-item list) and forms. Only quoted or
    # form values, so that a numeric `"code": 10008` from Discord stays readable.
    (
        re.compile(
            r"\b((?:response_urls?|access_token|bot_token|user_token|refresh_token|token|client_secret"
            rf"|signing_secret|code|state)(?:{_QUOTE})?\s*(?::\s*\[?\s*{_QUOTE}|=(?=[^\s&]))){_VALUE}"
        ),
        rf"\1{MASK}",
    ),
)
_known: list[str] = []  # exact configured values, longest first


def _masked(text: str) -> str:
    for value in _known:
        text = text.replace(value, MASK)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def redact(text: str) -> str:
    """`text` with every credential masked; a percent-encoded line (a form body) is also read decoded,
    and shown decoded if that reading held one."""
    masked = _masked(text)
    if "%" in masked:
        decoded = unquote_plus(masked)
        cleaned = _masked(decoded)
        if cleaned != decoded:
            return cleaned
    return masked


class Redacting(logging.Formatter):
    """Formats with the handler's own formatter, then masks the finished line."""

    def __init__(self, inner: logging.Formatter | None) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        return redact(self.inner.format(record))


def secrets_of(settings: Settings) -> list[str]:
    """The values to mask verbatim: every secret setting, and the database URL's password."""
    from pydantic import SecretStr  # here: one-shot commands log without building Settings

    values = [v.get_secret_value() for _, v in settings if isinstance(v, SecretStr)]
    if settings.database_url:
        with contextlib.suppress(ValueError):  # a malformed URL: the database says so; nothing to mask
            values.append(unquote(urlsplit(settings.database_url).password or ""))
    return values


def install(secrets: Iterable[str] = ()) -> None:
    """Mask `secrets` (and every shape above) on each handler of the root logger, once: child
    loggers' records pass through those. Called again, it adds secrets and new handlers."""
    for value in secrets:
        for form in {value, quote(value, safe="")}:
            if len(form) >= _SHORTEST and form not in _known:
                _known.append(form)
    _known.sort(key=len, reverse=True)
    for handler in logging.getLogger().handlers:
        if not isinstance(handler.formatter, Redacting):
            handler.setFormatter(Redacting(handler.formatter))

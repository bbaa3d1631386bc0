"""Reading Slack payloads without trusting their shape: a field that is missing, of another type or
form than Slack sends (an id that is not an id, a NUL, which Postgres cannot store, a URL nothing can
be posted to) reads as None, and a listener refuses (HTTP 400) a payload without what it needs."""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.response import BoltResponse
from yarl import URL

Step = str | int  # a key of an object, or an index into a list
Kind = Literal["id", "text", "url"]
_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")  # U123, T123, C123, Ev123, 1700000000.123456: what the db keeps
_LIMITS: dict[Kind, int] = {"id": 64, "text": 2000, "url": 3000}  # Slack's own: a button value ≤ 2,000


def _is_url(text: str) -> bool:
    """An absolute http(s) URL that aiohttp will post to (it refuses odd numeric hosts like 127.1)."""
    try:
        url = URL(text)
        host = url.raw_host or ""
        if url.scheme not in ("https", "http") or not host:
            return False
        if host.replace(".", "").isdigit():
            return str(ipaddress.IPv4Address(host)) == host
        return True
    except ValueError:  # an unparsable URL, an out-of-range address
        return False


@dataclass(frozen=True)
class Field:
    """Where a string sits in a payload, and what kind of string it must be to be read."""

    path: tuple[Step, ...]
    kind: Kind = "text"
    limit: int | None = None  # at most this many characters (the kind's own limit by default)

    def of(self, data: object) -> str | None:
        for step in self.path:
            if isinstance(step, int) and isinstance(data, list) and 0 <= step < len(data):
                data = data[step]
            elif isinstance(step, str) and isinstance(data, dict):
                data = data.get(step)
            else:
                return None
        if not isinstance(data, str) or not data or len(data) > (self.limit or _LIMITS[self.kind]):
            return None
        if "\x00" in data or (self.kind == "id" and not _ID.fullmatch(data)):
            return None
        return data if self.kind != "url" or _is_url(data) else None

    def __str__(self) -> str:
        return ".".join(map(str, self.path))


def text_at(data: object, *path: Step, limit: int | None = None) -> str | None:
    return Field(path, "text", limit).of(data)


def id_at(data: object, *path: Step) -> str | None:
    return Field(path, "id").of(data)


def selected_values(data: object, block_id: str, action_id: str, most: int = 25) -> list[str]:
    """The values of the options ticked in a message's checkbox group, which Slack sends with a click on
    a button of the same message (`state.values`); none when the payload has no such group."""
    options: object = data
    for step in ("state", "values", block_id, action_id, "selected_options"):
        options = options.get(step) if isinstance(options, dict) else None
    if not isinstance(options, list):
        return []
    values = (text_at(option, "value", limit=150) for option in options[:most])  # Slack's option limit
    return [value for value in values if value is not None]


Middleware = Callable[[dict[str, Any], Callable[[], Awaitable[None]]], Awaitable[BoltResponse | None]]


def requires(*fields: Field) -> Middleware:
    """A Bolt listener middleware: the listener runs only if every field reads; otherwise the request
    gets 400 naming what is missing (Slack's own payloads always have them)."""

    async def middleware(body: dict[str, Any], next: Callable[[], Awaitable[None]]) -> BoltResponse | None:
        missing = [str(f) for f in fields if f.of(body) is None]
        if missing:
            return BoltResponse(status=400, body="missing or malformed: " + ", ".join(missing))
        await next()
        return None

    return middleware


async def on_error(error: Exception, logger: logging.Logger) -> BoltResponse | None:
    """Bolt's error handler, but a signed payload no listener takes (a kind we do not handle) gets its
    404 without Bolt's warning, which would add a second line per request; a real failure is logged
    with its traceback as Bolt does (the app needs `raise_error_for_unhandled_request`)."""
    if isinstance(error, BoltUnhandledRequestError):
        return BoltResponse(status=404, body="unhandled request")
    logger.error("Failed to handle a Slack request (error: %s)", error, exc_info=error)
    return None

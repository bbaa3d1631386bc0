"""The gate in front of Bolt's HTTP endpoint. Bolt parses a request's body before it checks the
signature, so a malformed body from anyone raised inside Bolt: HTTP 500 and a traceback per request.
Here the signature is checked first, on the bytes as sent, then the body is read the way Bolt reads it;
whatever fails gets 401 or 400 with a short reason and never reaches Bolt or our listeners."""

from __future__ import annotations

import codecs
import hashlib
import hmac
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware
from multidict import CIMultiDictProxy
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

MAX_BODY = 1 << 20  # Slack's largest payloads (a message's blocks, a modal) stay far below this
_TIMESTAMP = re.compile(r"[0-9]{1,12}")  # bounded: int() of a huge digit string is slow, then refused
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
_SIGNED_HEADERS = ("X-Slack-Request-Timestamp", "X-Slack-Signature")
STALE_SECONDS = 300  # Slack's window, the one Bolt checks too


@dataclass(frozen=True)
class Refusal:
    status: int  # 401 unsigned, forged or stale; 400 signed but unreadable, or too large to check
    reason: str

    def response(self) -> web.Response:
        return web.Response(status=self.status, text=self.reason)


UNSIGNED = Refusal(401, "missing or malformed signature headers")
STALE = Refusal(401, "stale or future timestamp")
FORGED = Refusal(401, "invalid signature")
TOO_LARGE = Refusal(400, "body too large")
NOT_UTF8 = Refusal(400, "body is not UTF-8")
UNREADABLE = Refusal(400, "body is not a Slack payload")


def check_headers(headers: CIMultiDictProxy[str], now: float) -> Refusal | None:
    """The cheap checks, before a byte of the body is read: one timestamp, one signature, both
    well-formed, the timestamp within Slack's five minutes of `now`."""
    if any(len(headers.getall(name, [])) != 1 for name in _SIGNED_HEADERS):
        return UNSIGNED
    stamp, signature = headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"]
    if not _TIMESTAMP.fullmatch(stamp) or not _SIGNATURE.fullmatch(signature):
        return UNSIGNED
    if abs(now - int(stamp)) > STALE_SECONDS:
        return STALE
    return None


def check_body(
    raw: bytes, headers: CIMultiDictProxy[str], charset: str | None, secret: bytes
) -> Refusal | None:
    """After the headers passed: the signature over the body's bytes, then whether Bolt can read it."""
    # Slack signs the bytes it sends. slack-sdk's verifier decodes them first, which raises on bytes
    # that are not UTF-8, so the HMAC is computed here over the bytes themselves.
    signed = b"v0:" + headers["X-Slack-Request-Timestamp"].encode() + b":" + raw
    expected = "v0=" + hmac.new(secret, signed, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, headers["X-Slack-Signature"]):
        return FORGED
    try:  # Bolt decodes with the declared charset: only UTF-8 reads back as what was signed
        text = raw.decode("utf-8")
        if codecs.lookup(charset or "utf-8").name != "utf-8":
            return NOT_UTF8
    except (UnicodeDecodeError, LookupError):
        return NOT_UTF8
    try:  # the very parsing Bolt does first (its body, context and headers)
        body = AsyncBoltRequest(body=text, headers=dict(headers)).body
    except Exception:  # whatever Bolt cannot parse is a malformed request, not our error
        return UNREADABLE
    return None if routable(body) else UNREADABLE


def routable(body: dict[str, Any]) -> bool:
    """What Bolt's routing takes for granted: a kind of payload (a type, a slash command or Slack's SSL
    check), an event that is an object with a type, actions that are objects (at least one; block
    actions with an action_id), a view that is an object with a type (a modal's submission is routed
    by it). Slack's payloads always are; Bolt indexes into them unchecked."""
    if not any(isinstance(body.get(key), str) for key in ("type", "command", "ssl_check")):
        return False
    event = body.get("event", {})
    if not isinstance(event, dict) or ("event" in body and not isinstance(event.get("type"), str)):
        return False
    actions = body.get("actions", [{}])
    if not isinstance(actions, list) or not actions or not all(isinstance(a, dict) for a in actions):
        return False
    if body.get("type") == "block_actions" and not all(isinstance(a.get("action_id"), str) for a in actions):
        return False
    view = body.get("view", {"type": "-"})
    return isinstance(view, dict) and isinstance(view.get("type"), str)


def guard(signing_secret: str, path: str, now: Callable[[], float] = time.time) -> Middleware:
    """An aiohttp middleware: POSTs to `path` pass only when signed, fresh and readable. `now` is the
    wall clock, as for Bolt's own signature check behind it."""
    secret = signing_secret.encode()

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method != "POST" or request.path != path:
            return await handler(request)
        refusal = check_headers(request.headers, now())
        if refusal is None and (request.content_length or 0) > MAX_BODY:
            refusal = TOO_LARGE
        if refusal is None:
            try:
                raw = await request.read()
            except web.HTTPRequestEntityTooLarge:  # a chunked body past the server's limit
                refusal = TOO_LARGE
            else:
                refusal = check_body(raw, request.headers, request.charset, secret)
        # No log line of our own: the access log already has one per request, with the status.
        return refusal.response() if refusal is not None else await handler(request)

    return middleware


def guarded_web_app(app: AsyncApp, signing_secret: str, path: str = "/slack/events") -> web.Application:
    """Bolt's aiohttp application for `app` (events on `path`, the OAuth pages), behind `guard`."""
    application = app.web_app(path=path)
    application.middlewares.append(guard(signing_secret, path))
    return application

"""Bad requests at Slack's endpoint, through the real HTTP path (`guarded_web_app` over Bolt): unsigned,
stale or malformed ones get 401 or 400 and at most one log line, never a 500 or a traceback; signed
payloads without what a listener needs get 400; a seeded fuzz of bodies and headers keeps it so."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import random
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp import web
from multidict import CIMultiDict

from adapters.slack.app import SlackConfig, build_app, web_client
from adapters.slack.guard import MAX_BODY, guarded_web_app
from adapters.slack.messenger import SlackMessenger
from bot.bootstrap import build_core, start_core
from bot.config import Settings
from tests.conftest import FakeClock
from tests.fake_slack import FORM, FakeSlack

ROOT = Path(__file__).resolve().parents[1]
SECRET = "request-test-signing-secret"
JSON = "application/json"
FUZZ_REQUESTS = 300


@dataclass
class Sent:
    status: int
    records: list[logging.LogRecord]


@dataclass
class Gate:
    """Bolt behind the guard on localhost; `send` posts raw bytes and returns the status with the log
    records the request caused (the access log's line is written just after the response)."""

    fake: FakeSlack
    url: str
    session: aiohttp.ClientSession
    caplog: pytest.LogCaptureFixture
    statuses: list[int] = field(default_factory=list)

    async def send(self, body: bytes, headers: Mapping[str, str]) -> Sent:
        before = len(self.caplog.records)
        async with self.session.post(self.url, data=body, headers=headers) as response:
            status = response.status
        self.statuses.append(status)
        for _ in range(200):
            if any(r.name == "aiohttp.access" for r in self.caplog.records[before:]):
                break
            await asyncio.sleep(0.005)
        return Sent(status, self.caplog.records[before:])

    async def signed(self, body: str, content_type: str = FORM) -> Sent:
        return await self.send(body.encode(), _signed(body.encode(), content_type))

    async def settle(self) -> None:
        """Wait for what listeners do after their ack (not for the server's open connections)."""
        current = asyncio.current_task()
        busy = [
            t for t in asyncio.all_tasks() if t is not current and "RequestHandler" not in repr(t.get_coro())
        ]
        if busy:
            await asyncio.wait(busy, timeout=10)


async def _serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}/slack/events"


@pytest.fixture
async def gate(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> AsyncIterator[Gate]:
    """No database: nothing here may reach a listener."""
    monkeypatch.chdir(ROOT)
    caplog.set_level(logging.DEBUG)
    fake = await FakeSlack().start()
    config = SlackConfig(bot_token="xoxb-test", signing_secret=SECRET, api_url=f"{fake.base}/api/")
    core = build_core(Settings(), FakeClock(datetime(2026, 11, 30, tzinfo=UTC)))
    runner, url = await _serve(guarded_web_app(build_app(core, config), SECRET))
    async with aiohttp.ClientSession() as session:
        yield Gate(fake, url, session, caplog)
    await runner.cleanup()
    await fake.stop()


@pytest.fixture
async def signed_gate(  # type: ignore[no-untyped-def]
    database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[Gate]:
    """With the database: signed payloads reach the listeners, which record answers."""
    monkeypatch.chdir(ROOT)
    caplog.set_level(logging.DEBUG)
    fake = await FakeSlack().start()
    config = SlackConfig(bot_token="xoxb-test", signing_secret=SECRET, api_url=f"{fake.base}/api/")
    client = web_client(config)
    clock = FakeClock(datetime(2026, 11, 30, tzinfo=UTC))
    core = await start_core(Settings(database_url=database.url), clock, SlackMessenger(client))
    runner, url = await _serve(guarded_web_app(build_app(core, config, client), SECRET))
    async with aiohttp.ClientSession() as session:
        yield (gate := Gate(fake, url, session, caplog))
        await gate.settle()
    await runner.cleanup()
    await core.close()
    await fake.stop()


def _quiet(sent: Sent, level: int = logging.DEBUG) -> bool:
    """At most one short record at `level` or above, and no traceback at any level. A refused request
    never enters Bolt (one line at any level); a signed one goes through Bolt, which narrates its
    middleware at DEBUG, so for those the default level, INFO, is what is counted."""
    counted = [r for r in sent.records if r.levelno >= level]
    short = all(len(r.getMessage()) < 300 for r in counted)
    return len(counted) <= 1 and short and all(r.exc_info is None for r in sent.records)


def _stamp(offset: int = 0) -> str:
    return str(int(time.time()) + offset)  # Bolt checks freshness against the wall clock, as Slack signs


def _signed(body: bytes, content_type: str = FORM, stamp: str | None = None) -> dict[str, str]:
    """Signed as Slack signs: HMAC-SHA256 of `v0:<timestamp>:` and the body's bytes, whatever they are."""
    stamp = stamp or _stamp()
    digest = hmac.new(SECRET.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": content_type,
    }


def _claimed(stamp: str, signature: str = "v0=" + "0" * 64) -> dict[str, str]:
    """Headers that look signed without being so."""
    return {"Content-Type": FORM, "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}


def _twice(body: bytes) -> CIMultiDict[str]:
    """A forged signature header, then a valid one."""
    headers = CIMultiDict(_claimed(_stamp()))
    headers.add("X-Slack-Signature", _signed(body)["X-Slack-Signature"])
    return headers


COMMAND = urlencode({"command": "/dop", "text": "help", "user_id": "U1", "team_id": "T1"}).encode()
HUGE = b"a=" + b"x" * (2 * MAX_BODY)
Headers = Callable[[], Mapping[str, str]]  # built as the request is sent, so that signatures are fresh
UNSIGNED: list[tuple[str, bytes, Headers]] = [
    ("bad payload json", b"payload=%7Bbad", lambda: {"Content-Type": FORM}),
    ("json list", b"[]", lambda: {"Content-Type": JSON}),
    ("json number", b"1", lambda: {"Content-Type": JSON}),
    ("no headers at all", COMMAND, dict),
    ("timestamp not a number", COMMAND, lambda: _claimed("notanumber")),
    ("timestamp in other digits", COMMAND, lambda: _claimed("١٧٠٠٠٠٠٠٠٠")),
    ("timestamp of 5,000 digits", COMMAND, lambda: _claimed("9" * 5000)),
    ("signature missing", COMMAND, lambda: {"Content-Type": FORM, "X-Slack-Request-Timestamp": _stamp()}),
    ("signature not hex", COMMAND, lambda: _claimed(_stamp(), "v0=zz")),
    ("signature of another version", COMMAND, lambda: _claimed(_stamp(), "v1=" + "0" * 64)),
    ("two signatures", COMMAND, lambda: _twice(COMMAND)),
    ("wrong signature", COMMAND, lambda: _claimed(_stamp())),
    ("stale", COMMAND, lambda: _signed(COMMAND, stamp=_stamp(-600))),
    ("from the future", COMMAND, lambda: _signed(COMMAND, stamp=_stamp(+600))),
    ("non-UTF-8 body", b"\xff\xfe\x00payload=\xc3", lambda: {"Content-Type": FORM}),
    ("huge body", HUGE, lambda: {"Content-Type": FORM}),
    ("wrong content type", b"payload=%7Bbad", lambda: {"Content-Type": JSON}),
    ("unknown charset", COMMAND, lambda: {"Content-Type": FORM + "; charset=no-such-charset"}),
]
SIGNED_MALFORMED: list[tuple[str, bytes, str]] = [
    ("bad payload json", b"payload=%7Bbad", FORM),
    ("json list", b"[]", JSON),
    ("json number", b"1", JSON),
    ("json string", b'"x"', JSON),
    ("not json at all", b"{bad", JSON),
    ("payload is a list", b"payload=%5B%5D", FORM),
    ("empty body", b"", FORM),
    ("empty object", b"{}", JSON),
    ("non-UTF-8 body", b"payload=\xff\xfe", FORM),
    ("Latin-1 charset", COMMAND, FORM + "; charset=latin-1"),
    ("unknown charset", COMMAND, FORM + "; charset=no-such-charset"),
    ("huge body", HUGE, FORM),
]


@pytest.mark.parametrize(("name", "body", "headers"), UNSIGNED, ids=[c[0] for c in UNSIGNED])
async def test_unsigned_forged_or_stale_requests_get_401_and_one_quiet_line(
    gate: Gate, name: str, body: bytes, headers: Headers
) -> None:
    sent = await gate.send(body, headers())
    assert sent.status == 401, name
    assert _quiet(sent), [r.getMessage() for r in sent.records]
    await asyncio.sleep(0.05)
    assert not gate.fake.calls  # nothing reached a listener (not even Bolt's auth.test)


@pytest.mark.parametrize(
    ("name", "body", "content_type"), SIGNED_MALFORMED, ids=[c[0] for c in SIGNED_MALFORMED]
)
async def test_signed_but_unreadable_bodies_get_400_and_one_quiet_line(
    gate: Gate, name: str, body: bytes, content_type: str
) -> None:
    sent = await gate.send(body, _signed(body, content_type))
    assert sent.status == 400, name
    assert _quiet(sent), [r.getMessage() for r in sent.records]
    await asyncio.sleep(0.05)
    assert not gate.fake.calls


async def test_slacks_own_checks_still_pass(gate: Gate) -> None:
    """The SSL check and the URL verification Slack sends when the app is set up are answered by Bolt."""
    assert (await gate.signed(urlencode({"ssl_check": "1", "token": "x"}))).status == 200
    challenge = json.dumps({"type": "url_verification", "token": "x", "challenge": "c-123"})
    async with gate.session.post(
        gate.url, data=challenge, headers=_signed(challenge.encode(), JSON)
    ) as reply:
        assert reply.status == 200 and "c-123" in await reply.text()


def _action(**changes: Any) -> dict[str, Any]:
    action = {"action_id": "dop_choice_0", "block_id": "dop_choices", "value": "x", "action_ts": "1.1"}
    return {k: v for k, v in {**action, **changes}.items() if v is not None}


def _click(fake: FakeSlack, **changes: Any) -> dict[str, Any]:
    """An answer click as Slack sends it; a change to None drops the field."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U1", "username": "u1"},
        "channel": {"id": "C1"},
        "response_url": f"{fake.base}/response/click",
        "trigger_id": "1.2.3",
        "actions": [_action()],
    }
    return {k: v for k, v in {**payload, **changes}.items() if v is not None}


def _form(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


async def test_signed_payloads_without_what_a_listener_needs_get_400(signed_gate: Gate) -> None:
    fake = signed_gate.fake
    share = _action(action_id="dop_share", block_id="dop_share", value="n1")
    home = {
        "type": "event_callback",
        "team_id": "T1",
        "event_id": "Ev1",
        "event": {"type": "app_home_opened"},
    }
    command = {"command": "/dop", "text": "help", "user_id": "U1", "response_url": f"{fake.base}/response/c"}
    cases = {
        "click without user": _form(_click(fake, user=None)),
        "click with a user that is a string": _form(_click(fake, user="U1")),
        "click without action_ts": _form(_click(fake, actions=[_action(action_ts=None)])),
        "click without value": _form(_click(fake, actions=[_action(value=None)])),
        "click with a number for value": _form(_click(fake, actions=[_action(value=3)])),
        "click without response_url": _form(_click(fake, response_url=None)),
        "click with a response_url that is no URL": _form(_click(fake, response_url="-1")),
        "click with a response_url aiohttp refuses": _form(_click(fake, response_url="http://127.0./r")),
        "click with a NUL in the user id": _form(_click(fake, user={"id": "U\x001"})),
        "click with a user id longer than the database keeps": _form(_click(fake, user={"id": "U" * 65})),
        "click with empty actions": _form(_click(fake, actions=[])),
        "click with an action that is not an object": _form(_click(fake, actions=["dop_choice_0"])),
        "share without channel": _form(_click(fake, channel=None, actions=[share])),
        "share without value": _form(_click(fake, actions=[{**share, "value": None}])),
        "command without user_id": urlencode({**command, "user_id": ""}),
        "command without response_url": urlencode({k: v for k, v in command.items() if k != "response_url"}),
        "home without user": json.dumps(home),
        "home with a NUL in the event id": json.dumps(
            {**home, "event_id": "Ev\x00", "event": {**home["event"], "user": "U1"}}
        ),
        "event that is a string": json.dumps({**home, "event": "type"}),
    }
    for name, body in cases.items():
        sent = await signed_gate.signed(body, JSON if body.startswith("{") else FORM)
        assert sent.status == 400, name
        assert _quiet(sent, logging.INFO), (name, [r.getMessage() for r in sent.records])
    await asyncio.sleep(0.1)
    assert not [c for c in fake.calls if c.path != "auth.test"]  # no listener ran, nothing was sent
    # Everything a listener needs, and optional fields of the wrong type: answered as usual.
    assert (await signed_gate.signed(_form(_click(fake, team=["T1"], channel="C1")))).status == 200
    assert (await signed_gate.signed(urlencode({**command, "team_id": "", "channel_id": ""}))).status == 200
    replies = await fake.wait_for("response_url", 2)
    assert all(r.body["response_type"] == "ephemeral" for r in replies)


# --- a seeded fuzz of bodies and headers ------------------------------------------------------------

_ODD = [
    None,
    0,
    -1,
    1.5,
    10**30,
    "",
    "x",
    "٣",
    "\u202e",
    "a\x00",
    [],
    [1],
    {},
    {"id": 1},
    True,
    "💥" * 50,
    "U" * 300,
]


def _mutate(rng: random.Random, value: Any, rate: float) -> Any:
    """A copy of a JSON value with keys dropped, or values swapped for odd ones of other types, at `rate`."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            roll = rng.random()
            if roll >= rate / 2:
                out[key] = rng.choice(_ODD) if roll < rate else _mutate(rng, item, rate)
        return out
    if isinstance(value, list):
        return [_mutate(rng, item, rate) for item in value if rng.random() > rate / 2]
    return rng.choice(_ODD) if rng.random() < rate else value


def _fuzz_body(rng: random.Random, fake: FakeSlack) -> tuple[bytes, str]:
    kind, rate = rng.randrange(7), rng.choice([0.05, 0.15, 0.4])
    command = {"command": "/dop", "text": "help", "user_id": "U1", "response_url": f"{fake.base}/response/f"}
    home = {"type": "event_callback", "event_id": "Ev", "event": {"type": "app_home_opened", "user": "U1"}}
    if kind == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(300))), rng.choice([FORM, JSON])
    if kind == 1:  # a real body cut short
        text = rng.choice([urlencode(command), json.dumps(home), _form(_click(fake))])
        return text[: rng.randrange(len(text) + 1)].encode(), rng.choice([FORM, JSON])
    if kind == 2:
        return json.dumps(_mutate(rng, _click(fake), rate)).encode(), JSON
    if kind == 3:
        return _form(_mutate(rng, _click(fake), rate)).encode(), FORM
    if kind == 4:
        return json.dumps(_mutate(rng, home, rate)).encode(), JSON
    if kind == 5:
        fields = _mutate(rng, command, rate)
        return urlencode({str(k): str(v) for k, v in fields.items()}).encode(), FORM
    return json.dumps(rng.choice(_ODD)).encode(), rng.choice(
        [JSON, "text/plain", "multipart/form-data", "x/y"]
    )


def _fuzz_headers(rng: random.Random, body: bytes, content_type: str) -> tuple[dict[str, str], bool]:
    """Headers for `body`, and whether they carry a valid, fresh signature (half of them do, so that
    fuzzed bodies reach Bolt and the listeners)."""
    roll = rng.randrange(8)
    if roll <= 3:
        return _signed(body, content_type), True
    if roll == 4:
        return _signed(body, content_type, stamp=_stamp(rng.choice([-301, 400, -86400]))), False
    if roll == 5:
        stamp = rng.choice(["", "-1", "1e9", "0x10", " 1", "٣", _stamp()])
        return _claimed(stamp, rng.choice(["", "v0=", "v1=" + "a" * 64, "v0=" + "a" * 64])), False
    if roll == 6:
        headers = _signed(body, content_type)
        headers["X-Slack-Signature"] = headers["X-Slack-Signature"][:-4] + "0000"
        return headers, False
    return {"Content-Type": content_type}, False


async def test_fuzzed_requests_never_get_a_5xx_or_a_traceback(signed_gate: Gate) -> None:
    rng = random.Random(11)
    loud = []
    for _ in range(FUZZ_REQUESTS):
        body, content_type = _fuzz_body(rng, signed_gate.fake)
        headers, valid = _fuzz_headers(rng, body, content_type)
        sent = await signed_gate.send(body, headers)
        assert valid or sent.status == 401, (body[:200], headers)
        # Counted at INFO: a click let through goes on after its ack, at DEBUG, past the next request.
        if sent.status >= 500 or not _quiet(sent, logging.INFO):
            loud.append((sent.status, body[:120], [r.getMessage()[:200] for r in sent.records]))
    await signed_gate.settle()
    statuses = Counter(signed_gate.statuses)
    assert sum(statuses.values()) == FUZZ_REQUESTS and not loud, loud[:5]
    assert not [n for n in statuses if n >= 500]
    assert statuses[200] > 10 and statuses[400] > 10 and statuses[401] > 10  # every path was taken
    assert not [r for r in signed_gate.caplog.records if r.exc_info is not None]  # the listeners' work too

"""No credential reaches the logs. `dop-bot run` runs as a real process at DOP_LOG_LEVEL=DEBUG, once in
token mode with Discord beside Slack and once in OAuth mode (the install flow driven against the Slack
stand-in); commands, button clicks and App Home carry response_urls through it, and its whole log is
searched for every secret it was given or handed, and for every response_url."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import aiohttp
import pytest

from tests.fake_discord import FakeDiscord, command_payload
from tests.fake_slack import FORM, FakeSlack, free_port, signed_headers
from tests.processes import cli_env, spawn_cli

SIGNING_SECRET = "sIgNiNg0sEcReT7f3a9c"
BOT_TOKEN = "xoxb-1111-2222-BoTtOkEnSeCrEt"
VERIFICATION_TOKEN = "vErIfIcAtIoNtOkEn42"  # the legacy `token` field of every Slack payload
CLIENT_SECRET = "cLiEnTsEcReT9d8e"
DISCORD_TOKEN = "MTEx.discord-bot-token.SeCrEt"
INSTALL_CODE = "code-T9"  # the stand-in installs workspace T9 for it, with the bot token below
INSTALLED_TOKEN = "xoxb-team-T9"


@dataclass
class Bot:
    """A running `dop-bot run`, what it was sent, and its log (read as it is written: a full pipe
    would stall it)."""

    process: asyncio.subprocess.Process
    base: str
    fake: FakeSlack
    session: aiohttp.ClientSession
    secrets: set[str] = field(default_factory=set)
    log: bytearray = field(default_factory=bytearray)
    readers: list[asyncio.Task[None]] = field(default_factory=list)

    async def post(self, body: str, content_type: str = FORM, headers: dict[str, str] | None = None) -> int:
        headers = headers or signed_headers(SIGNING_SECRET, body, content_type=content_type)
        async with self.session.post(
            f"{self.base}/slack/events", data=body.encode(), headers=headers
        ) as reply:
            return reply.status

    def hook(self, kind: str, team: str = "T1") -> str:
        """A new response_url; the whole URL and its secret part count as secrets."""
        url = self.fake.response_url(kind, team)
        self.secrets.update({url, url.rsplit("/", 1)[1]})
        return url

    async def command(self, text: str, user: str = "UADMIN", team: str = "T1") -> dict[str, Any]:
        """`/dop TEXT`; the reply sent to its response_url."""
        before = len(self.fake.named("response_url"))
        fields = {
            "token": VERIFICATION_TOKEN,
            "team_id": team,
            "channel_id": "C1",
            "user_id": user,
            "user_name": "admin",
            "command": "/dop",
            "text": text,
            "response_url": self.hook("commands", team),
            "trigger_id": "1.2.3",
        }
        assert await self.post(urlencode(fields)) == 200
        return (await self.fake.wait_for("response_url", before + 1))[before].body

    async def click(self, button: dict[str, Any], team: str = "T1") -> None:
        payload = {
            "type": "block_actions",
            "token": VERIFICATION_TOKEN,
            "team": {"id": team},
            "user": {"id": "UADMIN", "username": "admin"},
            "channel": {"id": "C1"},
            "response_url": self.hook("actions", team),
            "trigger_id": "1.2.3",
            "actions": [{**button, "block_id": "b", "action_ts": f"{time.monotonic_ns()}"}],
        }
        assert await self.post(urlencode({"payload": json.dumps(payload)})) == 200

    async def stop(self) -> str:
        self.process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(self.process.wait(), timeout=20) == 0
        await asyncio.gather(*self.readers)
        return self.log.decode(errors="replace")


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    slack = await FakeSlack(admins={"UADMIN"}).start()
    yield slack
    await slack.stop()


@asynccontextmanager
async def _run(fake: FakeSlack, tmp_path: Path, **env: str) -> AsyncIterator[Bot]:
    port = free_port()
    settings = cli_env(
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=f"{fake.base}/api/",
        PORT=str(port),
        DOP_DATA_DIR=str(tmp_path),
        DOP_LOG_LEVEL="DEBUG",
        **env,
    )
    process = await spawn_cli("run", env=settings)
    bot = Bot(process, f"http://127.0.0.1:{port}", fake, aiohttp.ClientSession())
    bot.secrets.update(
        v for k, v in env.items() if k in ("SLACK_BOT_TOKEN", "SLACK_CLIENT_SECRET", "DISCORD_TOKEN")
    )
    bot.secrets.update({SIGNING_SECRET, VERIFICATION_TOKEN})

    async def read(stream: asyncio.StreamReader | None) -> None:
        while stream is not None and (chunk := await stream.read(65536)):
            bot.log.extend(chunk)

    bot.readers = [asyncio.create_task(read(process.stdout)), asyncio.create_task(read(process.stderr))]
    try:
        for _ in range(300):
            try:
                async with bot.session.get(f"{bot.base}/healthz") as ready:
                    if ready.status == 200:
                        break
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.05)
        yield bot
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await bot.session.close()


def _buttons(reply: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in reply.get("blocks", []) if b["type"] == "actions" for e in b["elements"]]


def leaks(log: str, secrets: set[str]) -> dict[str, int]:
    """How often each secret shows in the log, as written or percent-encoded (as in a form body)."""
    found = {
        s: log.count(s) + (log.count(quote(s, safe="")) if quote(s, safe="") != s else 0) for s in secrets
    }
    unmasked = re.findall(r"response_urls?\W{1,6}https?", log)  # the key with a URL still after it
    return {s: n for s, n in found.items() if n} | ({"response_url=<url>": len(unmasked)} if unmasked else {})


async def _drive_slack(bot: Bot, team: str = "T1") -> None:
    """A question answered by a button, a passage shared by a button, App Home, and a forged request."""
    quiz = await bot.command("quiz", team=team)
    choices = [b for b in _buttons(quiz) if b["action_id"].startswith("dop_choice_")]
    assert choices, quiz
    before = len(bot.fake.named("response_url"))
    await bot.click({"action_id": choices[0]["action_id"], "value": choices[0]["value"]}, team)
    await bot.fake.wait_for("response_url", before + 1)
    ask = await bot.command("ask drift", team=team)
    [share] = [b for b in _buttons(ask) if b["action_id"] == "dop_share"]
    await bot.click({"action_id": "dop_share", "value": share["value"]}, team)
    await bot.fake.wait_for("chat.postMessage")
    event = {
        "token": VERIFICATION_TOKEN,
        "team_id": team,
        "type": "event_callback",
        "event_id": "Ev1",
        "event": {"type": "app_home_opened", "user": "UADMIN"},
    }
    assert await bot.post(json.dumps(event), "application/json") == 200
    await bot.fake.wait_for("views.publish")
    forged = urlencode({"payload": json.dumps({"response_url": bot.hook("actions", team)})})
    assert await bot.post(forged, headers={"Content-Type": FORM}) == 401


@pytest.mark.parametrize("with_discord", [False, True], ids=["slack", "slack+discord"])
async def test_token_mode_logs_no_secret_at_debug(
    fake: FakeSlack, tmp_path: Path, with_discord: bool
) -> None:
    discord = await FakeDiscord().start()
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN}
    if with_discord:
        env |= {
            "DISCORD_TOKEN": DISCORD_TOKEN,
            "DISCORD_API_URL": discord.api,
            "DISCORD_GATEWAY_URL": discord.gateway_url,
        }
    try:
        async with _run(fake, tmp_path, **env) as bot:
            await _drive_slack(bot)
            if with_discord:
                await discord.wait_ready(timeout=30)
                interaction = command_payload("dop", [{"type": 1, "name": "ask", "options": []}])
                bot.secrets.add(interaction["token"])
                await discord.interact(interaction, timeout=10)
            log = await bot.stop()
            assert "slack: listening" in log and "/commands/T1/" in log  # the calls are logged, masked
            assert not with_discord or ("discord: logged in" in log and "/interactions/" in log)
            assert len(bot.secrets) >= 12 + with_discord * 2
            assert leaks(log, bot.secrets) == {}
    finally:
        await discord.stop()


async def test_oauth_mode_logs_no_secret_at_debug(fake: FakeSlack, tmp_path: Path) -> None:
    env = {"SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": CLIENT_SECRET}
    async with _run(fake, tmp_path, **env) as bot:
        async with bot.session.get(f"{bot.base}/slack/install") as page:
            state = re.search(r"state=([\w-]+)", await page.text())
            cookie = page.headers["Set-Cookie"].split(";", 1)[0]
        assert state is not None
        bot.secrets.update({INSTALL_CODE, INSTALLED_TOKEN, state.group(1)})
        redirect = f"{bot.base}/slack/oauth_redirect?code={INSTALL_CODE}&state={state.group(1)}"
        async with bot.session.get(redirect, headers={"Cookie": cookie}) as done:
            assert done.status == 200
        await _drive_slack(bot, team="T9")
        assert {c.token for c in fake.named("chat.postMessage")} == {INSTALLED_TOKEN}  # the installation's
        log = await bot.stop()
        assert "oauth.v2.access" in log and "/commands/T9/" in log  # logged, with the secrets masked
        assert leaks(log, bot.secrets) == {}


# What the processes above do not happen to log, each shape once: (line, what must go, what must stay).
SHAPES = [
    ("Authorization: Bearer xoxp-1-2-3-abcdef", "1-2-3-abcdef", "Bearer xoxp-"),
    ("app token xapp-1-A111-222-c0ffee", "c0ffee", "xapp-"),
    ("refresh xoxe.xoxp-1-Mi0yLTM and xoxe-1-My0xLTM", "Mi0yLTM", "xoxe-"),
    ("POST https://hooks.slack.com/actions/T0001/123456/AbCdEf123, body", "AbCdEf123", "hooks.slack.com/"),
    (
        '{"response_url": "https:\\/\\/hooks.slack.com\\/commands\\/T1\\/1\\/XyZ987"}',
        "XyZ987",
        "response_url",
    ),
    ("payload=%7B%22response_url%22%3A+%22https%3A%2F%2Fexample.com%2Fr%2FqQ1%22%7D", "qQ1", "response_url"),
    ("response_url=https%3A%2F%2Fexample.com%2Fr%2FwW2&trigger_id=1", "wW2", "trigger_id=1"),
    ('{"ok": true, "access_token": "opaque-Tk5", "token_type": "bot"}', "opaque-Tk5", '"token_type": "bot"'),
    ("{'client_secret': 'cs-Zz8', 'code': 'oauth-cOdE'}", "oauth-cOdE", "client_secret"),
    ("GET /slack/oauth_redirect?code=1.2.3&state=s-Q4 HTTP/1.1", "s-Q4", "/slack/oauth_redirect?"),
    ("PATCH /webhooks/42/aW50LXRvaw.x-y/messages/@original", "aW50LXRvaw", "/messages/@original"),
    ('{"code": 10008, "message": "Unknown Message"}', "", '"code": 10008'),  # Discord's errors stay readable
]


@pytest.mark.parametrize(("line", "secret", "kept"), SHAPES)
def test_each_shape_is_masked_and_the_rest_kept(line: str, secret: str, kept: str) -> None:
    from adapters.redact import redact

    masked = redact(line)
    assert (not secret or secret not in masked) and kept in masked, masked


def test_configured_values_and_tracebacks_are_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import logging

    from adapters import redact

    monkeypatch.setattr(redact, "_known", [])
    stream = io.StringIO()
    monkeypatch.setattr(logging.getLogger(), "handlers", [logging.StreamHandler(stream)])
    redact.install(["db-pa$$word-1", "short"])
    try:
        raise RuntimeError("connect to postgresql://bot:db-pa$$word-1@db/x failed")
    except RuntimeError:
        logging.getLogger("test_secrets").error("could not start (%s)", "db-pa%24%24word-1", exc_info=True)
    written = stream.getvalue()
    assert "Traceback" in written and "RuntimeError: connect to postgresql://bot:***@db/x" in written
    assert "db-pa" not in written  # in the message, percent-encoded, and in the traceback
    assert redact.redact("a short note") == "a short note"  # a value under 8 characters is left alone

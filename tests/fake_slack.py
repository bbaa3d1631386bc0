"""A local stand-in for Slack's Web API and response_url endpoint: records every call, answers like
Slack does, and can be told to rate-limit a method (429 with Retry-After) or refuse it (`ok: false`).
files_upload_v2's three steps are served, the upload URL included: the bytes are kept by file id
(`uploads`) and served back at the file's download URL. `signed_headers` signs a request to the app
the way Slack does."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web
from slack_sdk.signature import SignatureVerifier

FORM = "application/x-www-form-urlencoded"


def free_port() -> int:
    """A port nothing listens on now, for a bot process started under test."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def signed_headers(
    secret: str, body: str, timestamp: int | None = None, content_type: str = FORM
) -> dict[str, str]:
    """The headers Slack sends with a request to the app: signed with `secret` at `timestamp` (now)."""
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    assert signature is not None  # None only without a timestamp or a body
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature, "Content-Type": content_type}


@dataclass
class Call:
    path: str
    body: dict[str, Any]
    token: str | None = None  # the bearer token the call was made with


@dataclass
class FakeSlack:
    admins: set[str] = field(default_factory=set)
    calls: list[Call] = field(default_factory=list)
    limited: dict[str, int] = field(default_factory=dict)  # method → how many 429s to send first
    base: str = ""
    sockets: list[web.WebSocketResponse] = field(default_factory=list)
    uploads: dict[str, bytes] = field(default_factory=dict)  # file id → the bytes sent to its upload URL
    refuse: dict[str, str] = field(default_factory=dict)  # method → the error Slack answers it with
    _runner: web.AppRunner | None = None
    _ts: int = 0
    _hooks: int = 0
    _views: int = 0
    _files: int = 0

    async def start(self) -> FakeSlack:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/response/{token}", self._response)
        app.router.add_post("/{kind:commands|actions}/{team}/{id}/{secret}", self._response)
        app.router.add_post("/upload/{file}", self._upload)
        app.router.add_get("/files/{file}/{name}", self._download)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)  # its own traffic is not the bot's log
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        for ws in self.sockets:
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @staticmethod
    async def _body(request: web.Request) -> dict[str, Any]:
        """Arguments wherever the SDK put them: query string, form or JSON."""
        query: dict[str, Any] = dict(request.query)
        raw = await request.text() if request.method == "POST" else ""
        if request.content_type == "application/json":
            return {**query, **json.loads(raw or "{}")}
        form = {**query, **{k: v[0] for k, v in parse_qs(raw).items()}}
        for key in ("blocks", "view", "files"):
            if key in form:
                form[key] = json.loads(form[key])
        return form

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        body = await self._body(request)
        bearer = request.headers.get("Authorization", "").removeprefix("Bearer ") or body.get("token")
        self.calls.append(Call(method, body, bearer))
        if self.limited.get(method, 0) > 0:
            self.limited[method] -= 1
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
            )
        if method in self.refuse:
            return web.json_response({"ok": False, "error": self.refuse[method]})
        return web.json_response(self._answer(method, body, bearer), content_type="application/json")

    def _answer(self, method: str, body: dict[str, Any], token: str | None = None) -> dict[str, Any]:
        if method == "auth.test":
            team = token.rsplit("-", 1)[-1] if token and token.startswith("xoxb-team-") else "T1"
            return {
                "ok": True,
                "user_id": f"UBOT{team}",
                "bot_id": f"B{team}",
                "team_id": team,
                "user": "dop-bot",
                "url": "https://example.slack.com/",
            }
        if method == "oauth.v2.access":
            team = body.get("code", "T9").removeprefix("code-")
            return {
                "ok": True,
                "app_id": "A1",
                "authed_user": {"id": "U1"},
                "scope": "commands,chat:write",
                "token_type": "bot",
                "access_token": f"xoxb-team-{team}",
                "bot_user_id": f"UBOT{team}",
                "team": {"id": team, "name": f"Team {team}"},
                "enterprise": None,
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage":
            self._ts += 1
            return {"ok": True, "channel": body.get("channel"), "ts": f"1700000000.{self._ts:06d}"}
        if method == "chat.update":
            return {"ok": True, "channel": body.get("channel"), "ts": body.get("ts")}
        if method == "chat.postEphemeral":
            self._ts += 1
            return {"ok": True, "message_ts": f"1700000000.{self._ts:06d}"}
        if method == "views.open":
            # Slack refuses a modal without its trigger (3 s) or whose view is not a modal.
            view = body.get("view") or {}
            if not body.get("trigger_id") or view.get("type") != "modal":
                return {"ok": False, "error": "invalid_arguments"}
            self._views += 1
            return {"ok": True, "view": {**view, "id": f"V{self._views:04d}", "state": {"values": {}}}}
        if method == "users.info":
            user = body.get("user")
            return {"ok": True, "user": {"id": user, "is_admin": user in self.admins, "is_owner": False}}
        if method == "files.getUploadURLExternal":
            self._files += 1
            file_id = f"F{self._files}"
            return {"ok": True, "upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}
        if method == "conversations.open":  # the DM of the bot with a user (`users` is one user id)
            return {"ok": True, "channel": {"id": f"D{body.get('users')}", "is_im": True}}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.base.replace("http", "ws") + "/socket"}
        if method == "files.completeUploadExternal":
            files = body.get("files") or []
            return {
                "ok": True,
                "files": [
                    {
                        "id": f["id"],
                        "title": f.get("title", ""),
                        "url_private_download": f"{self.base}/files/{f['id']}/{f.get('title', 'file')}",
                    }
                    for f in files
                ],
            }
        return {"ok": True}

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """The Socket Mode stand-in: hello, then the queued envelopes; acks are recorded."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"}})
        self.sockets.append(ws)
        async for message in ws:
            if message.type == web.WSMsgType.TEXT:
                self.calls.append(Call("socket_ack", json.loads(message.data)))
        return ws

    async def send_envelope(self, envelope: dict[str, Any], timeout: float = 10.0) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while not self.sockets:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError("the bot never opened the socket")
            await asyncio.sleep(0.02)
        await self.sockets[-1].send_json(envelope)

    async def _response(self, request: web.Request) -> web.Response:
        self.calls.append(Call("response_url", json.loads(await request.text())))
        return web.Response(text="ok")

    async def _upload(self, request: web.Request) -> web.Response:
        data = await request.read()
        file_id = request.match_info["file"]
        self.uploads[file_id] = data
        self.calls.append(Call("upload", {"size": len(data), "file": file_id}))
        return web.Response(text="OK")

    async def _download(self, request: web.Request) -> web.Response:
        """A file's url_private_download: the bytes uploaded for it, as the person would fetch them."""
        data = self.uploads.get(request.match_info["file"])
        return web.Response(body=data) if data is not None else web.Response(status=404)

    def response_url(self, kind: str = "commands", team: str = "T1") -> str:
        """A response_url shaped like Slack's (`https://hooks.slack.com/commands/T…/…/<secret>`), each new."""
        self._hooks += 1
        return f"{self.base}/{kind}/{team}/{1700000000 + self._hooks}/Hk{self._hooks:04d}q9Zr8SeCrEt{kind[0]}"

    def named(self, path: str) -> list[Call]:
        return [c for c in self.calls if c.path == path]

    async def wait_for(self, path: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Bolt answers HTTP at ack time; the work after it reaches the fake a moment later."""
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.named(path)) < count:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(
                    f"expected {count} {path} calls, got {len(self.named(path))}: {self.calls}"
                )
            await asyncio.sleep(0.02)
        return self.named(path)

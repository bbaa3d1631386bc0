"""A local stand-in for Discord's REST API and gateway, good enough for the real discord.py client.

`FakeDiscord` serves both on 127.0.0.1: REST under /api/v10 (every request recorded as a `Call`,
configurable 429s and error answers) and the gateway websocket at /gateway (HELLO, IDENTIFY → READY
and GUILD_CREATE, heartbeats, RESUME, zlib-stream transport compression). `pointed_at(fake)` aims
discord.py at it; the module-level builders make raw INTERACTION_CREATE payloads to `dispatch`
(or to `interact`, which also waits for the interaction's callback).

Route templates (for `limited`, `errors`, `Call.route`) are discord.py's own `Route.key` strings,
e.g. "POST /channels/{channel_id}/messages", so they can be copied from discord/http.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import json
import math
import re
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import discord.http
import yarl
from aiohttp import BodyPartReader, WSMsgType, web
from discord.gateway import DiscordWebSocket

APP_ID = 1_300_000_000_000_000_001  # the application; the bot user has the same id, as on Discord
GUILD_ID = 1_300_000_000_000_000_100
CHANNEL_ID = 1_300_000_000_000_000_200
USER_ID = 1_300_000_000_000_000_300  # the human who runs commands and clicks buttons
BOT_NAME = "dop-bot"

DISCORD_EPOCH_MS = 1_420_070_400_000
# What a plain member may do in a text channel: view, send, embed, attach, history, use commands.
MEMBER_PERMISSIONS = str((1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 31))
MANAGER_PERMISSIONS = str(int(MEMBER_PERMISSIONS) | (1 << 4))  # a member who may Manage Channels
ADMIN_PERMISSIONS = str((1 << 41) - 1)  # every permission bit in use, administrator included
PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message_content

CALLBACK_ROUTE = "POST /interactions/{webhook_id}/{webhook_token}/callback"  # answering an interaction

# Gateway opcodes (https://discord.com/developers/docs/topics/opcodes-and-status-codes).
OP_DISPATCH, OP_HEARTBEAT, OP_IDENTIFY, OP_PRESENCE, OP_RESUME, OP_RECONNECT = 0, 1, 2, 3, 6, 7
OP_REQUEST_MEMBERS, OP_INVALID_SESSION, OP_HELLO, OP_HEARTBEAT_ACK = 8, 9, 10, 11

# Messages Discord attaches to the error codes tests are likely to use.
ERROR_MESSAGES: dict[int, str] = {
    0: "General error",
    10003: "Unknown Channel",
    10004: "Unknown Guild",
    10008: "Unknown Message",
    10015: "Unknown Webhook",
    10062: "Unknown interaction",
    40060: "Interaction has already been acknowledged.",
    50001: "Missing Access",
    50013: "Missing Permissions",
    50035: "Invalid Form Body",
}

_last_snowflake = 0
_counter = itertools.count(1)


def snowflake() -> int:
    """A fresh, strictly increasing id shaped like Discord's (timestamp in the high bits)."""
    global _last_snowflake
    now = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
    _last_snowflake = max(now, _last_snowflake + 1)
    return _last_snowflake


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()


def user_payload(user_id: int = USER_ID, name: str = "learner", *, bot: bool = False) -> dict[str, Any]:
    """A Discord user object (new-style username: discriminator "0")."""
    return {
        "id": str(user_id),
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


def member_payload(user: dict[str, Any], permissions: str | None = None) -> dict[str, Any]:
    """A guild member wrapping `user`; interactions add the invoker's channel `permissions`."""
    member: dict[str, Any] = {
        "user": user,
        "roles": [],
        "joined_at": _now_iso(),
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,  # Member.__init__ indexes flags directly
        "pending": False,
        "nick": None,
        "avatar": None,
        "communication_disabled_until": None,
    }
    if permissions is not None:
        member["permissions"] = permissions
    return member


def bot_user_payload() -> dict[str, Any]:
    """The bot's own user, as GET /users/@me and READY describe it."""
    return {**user_payload(APP_ID, BOT_NAME, bot=True), "verified": True, "flags": 0, "mfa_enabled": False}


def error_body(code: int, message: str | None = None) -> dict[str, Any]:
    """Discord's JSON error shape."""
    return {"message": message or ERROR_MESSAGES.get(code, "Error"), "code": code}


@dataclass
class FakeGuild:
    """A guild the bot is in: one text channel and the @everyone role."""

    id: int = GUILD_ID
    name: str = "dop study"
    channel_id: int = CHANNEL_ID
    channel_name: str = "general"
    locale: str = "ja"

    def channel(self) -> dict[str, Any]:
        """The guild text channel object (type 0)."""
        return text_channel_payload(self.channel_id, self.id, self.channel_name)

    def create_payload(self) -> dict[str, Any]:
        """The GUILD_CREATE body; discord.py's Guild._from_data reads id, roles, channels, counts."""
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "owner_id": str(USER_ID),
            "unavailable": False,
            "large": False,
            "member_count": 2,
            "joined_at": _now_iso(),
            "preferred_locale": self.locale,
            "features": [],
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "system_channel_id": None,
            "roles": [
                {
                    "id": str(self.id),  # @everyone shares the guild's id
                    "name": "@everyone",
                    "permissions": MEMBER_PERMISSIONS,
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
            ],
            "channels": [self.channel()],
            "threads": [],
            "members": [],
            "voice_states": [],
            "presences": [],
            "emojis": [],
            "stickers": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }


def text_channel_payload(channel_id: int, guild_id: int, name: str = "general") -> dict[str, Any]:
    """A guild text channel (type 0) with the fields TextChannel._update reads."""
    return {
        "id": str(channel_id),
        "type": 0,
        "guild_id": str(guild_id),
        "name": name,
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "rate_limit_per_user": 0,
        "last_message_id": None,
        "flags": 0,
    }


@dataclass
class Call:
    """One REST request the fake received."""

    method: str
    path: str  # concrete, below /api/v10: "/channels/1300…/messages"
    json_body: Any  # the JSON body (payload_json for multipart); None when there was none
    files: list[tuple[str, int]] = field(default_factory=list)  # (filename, size) of uploads
    data: list[bytes] = field(default_factory=list, repr=False)  # the bytes of each upload, in order
    route: str = ""  # discord.py's Route.key: "POST /channels/{channel_id}/messages"
    query: dict[str, str] = field(default_factory=dict)
    at: float = 0.0  # time.monotonic() on arrival, to prove a client waited
    status: int = 0  # what the fake answered
    token: str | None = None  # from the Authorization header ("Bot <token>")


@dataclass
class GatewaySession:
    """What survives a dropped connection and makes RESUME possible."""

    session_id: str
    shard: list[int] | None
    seq: int = 0


@dataclass
class GatewayConnection:
    """One websocket a client opened, and how frames go out on it."""

    ws: web.WebSocketResponse
    query: dict[str, str]
    compress: str | None  # transport compression actually in use ("zlib-stream" or None)
    session: GatewaySession | None = None
    closed: bool = False
    _deflate: Any = None  # one zlib stream per connection, as Discord does

    @property
    def shard(self) -> list[int] | None:
        return self.session.shard if self.session else None

    async def send(self, frame: dict[str, Any]) -> None:
        text = json.dumps(frame)
        if self.compress == "zlib-stream":
            # zlib-stream: one deflate stream for the whole connection, each frame ending in a
            # Z_SYNC_FLUSH marker (00 00 ff ff), which is how discord.py finds message boundaries.
            if self._deflate is None:
                self._deflate = zlib.compressobj()
            data = self._deflate.compress(text.encode()) + self._deflate.flush(zlib.Z_SYNC_FLUSH)
            await self.ws.send_bytes(data)
        else:
            # discord.py only decompresses binary frames, so text frames always work.
            await self.ws.send_str(text)


@dataclass
class _Request:
    method: str
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    files: list[tuple[str, int]]
    data: list[bytes] = field(default_factory=list)


Handler = Callable[[_Request], tuple[int, Any]]


def _valid_modal(data: dict[str, Any]) -> bool:
    """Discord's limits for a modal: a custom_id (≤ 100), a title (1–45) and 1–5 components."""
    title, custom_id, components = data.get("title"), data.get("custom_id"), data.get("components")
    return (
        isinstance(custom_id, str)
        and 0 < len(custom_id) <= 100
        and isinstance(title, str)
        and 0 < len(title) <= 45
        and isinstance(components, list)
        and 0 < len(components) <= 5
    )


def _loading(message: dict[str, Any]) -> bool:
    """A deferred interaction response still showing "thinking…" (the LOADING flag, 1 << 7)."""
    return bool(int(message.get("flags") or 0) & 128)


def _compile(template: str) -> re.Pattern[str]:
    """'/channels/{channel_id}' → a regex with one named group per placeholder."""
    parts = re.split(r"(\{\w+\})", template)
    pattern = "".join(f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(f"^{pattern}$")


@dataclass
class FakeDiscord:
    """Discord's REST API and gateway on a local port, recording everything the client does."""

    guilds: list[FakeGuild] = field(default_factory=lambda: [FakeGuild()])
    shards: int = 1  # what GET /gateway/bot recommends (AutoShardedClient obeys it)
    limited: dict[str, int] = field(default_factory=dict)  # route → how many 429s to send first
    retry_after: float = 0.3
    errors: dict[str, tuple[int, int]] = field(default_factory=dict)  # route → (status, code)
    error_times: dict[str, int] = field(default_factory=dict)  # route → calls the error is for (else all)
    token: str | None = None  # when set, other tokens get 401 (REST) or close 4004 (gateway)
    privileged_intents: int = PRIVILEGED_INTENTS  # the ones "enabled in the portal"; others → 4014
    compress: bool = True  # honour ?compress=zlib-stream; False sends plain text frames
    heartbeat_interval: int = 41_250
    app_flags: int = 0
    # What happened, for assertions (kept out of repr: pytest prints the fixture on failures).
    calls: list[Call] = field(default_factory=list, repr=False)
    connections: list[GatewayConnection] = field(default_factory=list, repr=False)  # all ever opened
    received: list[dict[str, Any]] = field(default_factory=list, repr=False)  # frames from clients
    sessions: dict[str, GatewaySession] = field(default_factory=dict, repr=False)
    messages: dict[int, dict[str, Any]] = field(default_factory=dict, repr=False)  # id → message
    commands: dict[int | None, list[dict[str, Any]]] = field(default_factory=dict, repr=False)  # by guild
    interactions: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)  # token → payload
    uploads: dict[str, bytes] = field(default_factory=dict, repr=False)  # attachment id → its bytes
    ready_count: int = 0  # READY (plus its GUILD_CREATEs) sent, over all connections
    base: str = ""
    _runner: web.AppRunner | None = field(default=None, repr=False)
    _acked: set[str] = field(default_factory=set, repr=False)
    _originals: dict[str, int] = field(default_factory=dict, repr=False)  # interaction token → message id
    _lost: set[str] = field(default_factory=set, repr=False)  # tokens whose "thinking…" was deleted
    _command_ids: dict[tuple[int | None, str, int], str] = field(default_factory=dict, repr=False)
    _routes: list[tuple[str, re.Pattern[str], dict[str, Handler]]] = field(default_factory=list, repr=False)

    # ---------------------------------------------------------------- lifecycle

    async def start(self) -> FakeDiscord:
        """Listen on 127.0.0.1 on a free port; `base`, `api` and `gateway_url` are set after this."""
        self._routes = self._route_table()
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/attachments/{attachment_id}/{filename}", self._attachment)
        app.router.add_route("*", r"/api/v{version:\d+}/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        # A burst of clicks opens hundreds of connections at once; the default backlog (128) would
        # drop SYNs and add TCP's 1 s retransmit to the measured latency.
        site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        """Close every gateway socket (going away) and the server."""
        for conn in self.connections:
            if not conn.ws.closed:
                await conn.ws.close(code=1001, message=b"fake stopping")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def api(self) -> str:
        """The value for discord.http.Route.BASE."""
        return f"{self.base}/api/v10"

    @property
    def gateway_url(self) -> str:
        """The websocket URL (no query; discord.py adds v, encoding and compress)."""
        return self.base.replace("http://", "ws://", 1) + "/gateway"

    async def _attachment(self, request: web.Request) -> web.Response:
        """An attachment's URL: the bytes uploaded for it (Discord serves them from its CDN)."""
        data = self.uploads.get(request.match_info["attachment_id"])
        return web.Response(body=data) if data is not None else web.Response(status=404)

    # ---------------------------------------------------------------- REST plumbing

    def _route_table(self) -> list[tuple[str, re.Pattern[str], dict[str, Handler]]]:
        # Order matters: ".../messages/@original" must be tried before ".../messages/{message_id}".
        hook = "/webhooks/{webhook_id}/{webhook_token}"
        table: list[tuple[str, dict[str, Handler]]] = [
            ("/users/@me", {"GET": self._get_me}),
            ("/oauth2/applications/@me", {"GET": self._get_application}),
            ("/gateway", {"GET": self._get_gateway}),
            ("/gateway/bot", {"GET": self._get_gateway_bot}),
            (CALLBACK_ROUTE.removeprefix("POST "), {"POST": self._interaction_callback}),
            (hook, {"POST": self._execute_webhook}),
            (
                hook + "/messages/@original",
                {"GET": self._get_message, "PATCH": self._edit_message, "DELETE": self._delete_message},
            ),
            (
                hook + "/messages/{message_id}",
                {"GET": self._get_message, "PATCH": self._edit_message, "DELETE": self._delete_message},
            ),
            ("/channels/{channel_id}", {"GET": self._get_channel}),
            ("/channels/{channel_id}/messages", {"POST": self._create_message}),
            (
                "/channels/{channel_id}/messages/{message_id}",
                {"GET": self._get_message, "PATCH": self._edit_message},
            ),
            (
                "/applications/{application_id}/commands",
                {"GET": self._get_commands, "PUT": self._put_commands},
            ),
            (
                "/applications/{application_id}/guilds/{guild_id}/commands",
                {"GET": self._get_commands, "PUT": self._put_commands},
            ),
        ]
        return [(template, _compile(template), handlers) for template, handlers in table]

    @staticmethod
    async def _read_body(request: web.Request) -> tuple[Any, list[tuple[str, int]], list[bytes]]:
        """JSON body, or for multipart the parsed payload_json plus (filename, size) and the bytes of
        each file."""
        if request.content_type.startswith("multipart/"):
            body: Any = None
            files: list[tuple[str, int]] = []
            data_of: list[bytes] = []
            reader = await request.multipart()
            async for part in reader:
                if not isinstance(part, BodyPartReader):  # nested multipart: Discord has none
                    continue
                data = await part.read()
                if part.name == "payload_json":
                    body = json.loads(data)
                elif part.filename is not None:
                    files.append((part.filename, len(data)))
                    data_of.append(bytes(data))
            return body, files, data_of
        raw = await request.text()
        if not raw:
            return None, [], []
        return (json.loads(raw) if request.content_type == "application/json" else raw), [], []

    def _ratelimit_headers(self, route: str, *, remaining: int, reset_after: float) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": hashlib.sha1(route.encode()).hexdigest()[:16],
        }

    @staticmethod
    def _respond(status: int, body: Any, headers: dict[str, str]) -> web.Response:
        # discord.py 429 handling insists on a Via header (its Cloudflare-ban heuristic), and its
        # json_or_text compares Content-Type to exactly "application/json": aiohttp's text=/
        # json_response() would append "; charset=utf-8", so the body goes in as bytes.
        headers = {"Via": "1.1 google", **headers}
        if body is None:
            return web.Response(status=status, headers=headers)
        return web.Response(
            status=status, body=json.dumps(body).encode(), content_type="application/json", headers=headers
        )

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        method = request.method
        body, files, data = await self._read_body(request)
        route, params, handler, known_path = f"{method} {path}", {}, None, False
        for template, pattern, handlers in self._routes:
            match = pattern.match(path)
            if match:
                route, params, known_path = f"{method} {template}", match.groupdict(), True
                handler = handlers.get(method)
                break
        auth = request.headers.get("Authorization", "")
        call = Call(
            method,
            path,
            body,
            files,
            data,
            route=route,
            query=dict(request.query),
            at=time.monotonic(),
            token=auth.removeprefix("Bot ") or None,
        )
        self.calls.append(call)
        status, payload, headers = self._answer(call, params, handler, known_path)
        call.status = status
        return self._respond(status, payload, headers)

    def _answer(
        self, call: Call, params: dict[str, str], handler: Handler | None, known_path: bool
    ) -> tuple[int, Any, dict[str, str]]:
        """Status, body and headers for one recorded call: 401, 429, configured error, or the handler."""
        route = call.route
        # Interaction callbacks and webhooks are authorised by the token in the URL, not the bot's.
        url_token = call.path.startswith(("/interactions/", "/webhooks/"))
        if self.token is not None and call.token != self.token and not url_token:
            return 401, {"message": "401: Unauthorized", "code": 0}, {}
        if self.limited.get(route, 0) > 0:
            self.limited[route] -= 1
            headers = self._ratelimit_headers(route, remaining=0, reset_after=self.retry_after)
            # Retry-After is whole seconds on Discord; discord.py sleeps for the body's retry_after.
            headers.update({"Retry-After": str(math.ceil(self.retry_after)), "X-RateLimit-Scope": "user"})
            body = {
                "message": "You are being rate limited.",
                "retry_after": self.retry_after,
                "global": False,
            }
            return 429, body, headers
        if route in self.errors and self.error_times.get(route, 1) > 0:
            if route in self.error_times:
                self.error_times[route] -= 1
            status, code = self.errors[route]
            return status, error_body(code), {}
        if handler is None:
            if known_path:
                return 405, {"message": "405: Method Not Allowed", "code": 0}, {}
            return 404, error_body(10003, f"Unknown route {route} (fake_discord has no handler)"), {}
        status, payload = handler(
            _Request(call.method, params, call.query, call.json_body, call.files, call.data)
        )
        return status, payload, self._ratelimit_headers(route, remaining=4, reset_after=1.0)

    # ---------------------------------------------------------------- REST handlers

    def _get_me(self, req: _Request) -> tuple[int, Any]:
        return 200, bot_user_payload()

    def _get_application(self, req: _Request) -> tuple[int, Any]:
        # AppInfo.__init__ indexes id, name, description, icon, bot_public, bot_require_code_grant,
        # owner and verify_key directly; interactions_endpoint_url must be null or discord.py warns.
        return 200, {
            "id": str(APP_ID),
            "name": BOT_NAME,
            "description": "",
            "icon": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": user_payload(USER_ID, "owner"),
            "team": None,
            "verify_key": "0" * 64,
            "flags": self.app_flags,
            "bot": bot_user_payload(),
            "interactions_endpoint_url": None,
            "redirect_uris": [],
            "tags": [],
            "approximate_guild_count": len(self.guilds),
        }

    def _get_gateway(self, req: _Request) -> tuple[int, Any]:
        return 200, {"url": self.gateway_url}

    def _get_gateway_bot(self, req: _Request) -> tuple[int, Any]:
        limit = {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1}
        return 200, {"url": self.gateway_url, "shards": self.shards, "session_start_limit": limit}

    def _guild_of_channel(self, channel_id: int) -> FakeGuild:
        """The configured guild owning a channel; unknown channels are put in the first guild."""
        return next((g for g in self.guilds if g.channel_id == channel_id), self.guilds[0])

    def _get_channel(self, req: _Request) -> tuple[int, Any]:
        channel_id = int(req.params["channel_id"])
        guild = self._guild_of_channel(channel_id)
        name = guild.channel_name if guild.channel_id == channel_id else f"channel-{channel_id}"
        return 200, text_channel_payload(channel_id, guild.id, name)

    def _new_message(
        self,
        channel_id: int | str,
        body: dict[str, Any] | None,
        files: list[tuple[str, int]] | None = None,
        data: list[bytes] | None = None,
        *,
        flags: int | None = None,
        webhook: bool = False,
        msg_type: int = 0,
    ) -> dict[str, Any]:
        """A stored message object echoing what the client sent (content, embeds, components, files)."""
        body = body or {}
        message = message_payload(
            channel_id=channel_id,
            content=body.get("content") or "",
            components=body.get("components"),
            flags=int(body.get("flags") or 0) if flags is None else flags,
            embeds=body.get("embeds"),
            attachments=self._attachments(body.get("attachments") or [], files or [], data or []),
            tts=bool(body.get("tts", False)),
            msg_type=msg_type,
            webhook=webhook,
        )
        self.messages[int(message["id"])] = message
        return message

    def _attachments(
        self, items: list[dict[str, Any]], files: list[tuple[str, int]], data: list[bytes]
    ) -> list[dict[str, Any]]:
        """Attachment objects for new uploads: discord.py lists them as {"id": <file index>, "filename"}.
        Each upload's bytes are served at its `url`, as Discord's CDN would."""
        out = []
        for item in items:
            index = int(item.get("id", 0))
            name, size = files[index] if index < len(files) else (item.get("filename", "file"), 0)
            attachment_id = str(snowflake())
            if index < len(data):
                self.uploads[attachment_id] = data[index]
            url = f"{self.base}/attachments/{attachment_id}/{name}"
            out.append({"id": attachment_id, "filename": name, "size": size, "url": url, "proxy_url": url})
        return out

    def _update_message(
        self,
        message: dict[str, Any],
        body: dict[str, Any] | None,
        files: list[tuple[str, int]],
        data: list[bytes] | None = None,
    ) -> dict[str, Any]:
        """Apply an edit: only the fields sent change, as on Discord."""
        body = body or {}
        for key in ("content", "embeds", "components", "flags"):
            if key in body:
                message[key] = body[key] if body[key] is not None else ("" if key == "content" else [])
        if "attachments" in body:
            # Existing attachments are kept by id; the others are uploads indexed into files.
            existing = {a["id"]: a for a in message["attachments"]}
            kept = [existing[str(a["id"])] for a in body["attachments"] if str(a.get("id")) in existing]
            new = [a for a in body["attachments"] if str(a.get("id")) not in existing]
            message["attachments"] = kept + self._attachments(new, files, data or [])
        message["edited_timestamp"] = _now_iso()
        return message

    def _create_message(self, req: _Request) -> tuple[int, Any]:
        return 200, self._new_message(req.params["channel_id"], req.body, req.files, req.data)

    def _find_message(self, message_id: str) -> dict[str, Any] | None:
        return self.messages.get(int(message_id)) if message_id.isdigit() else None

    def _named_message(self, req: _Request) -> dict[str, Any] | None:
        """The message a route names: by {message_id}, or an interaction's @original by its token."""
        if "message_id" in req.params:
            return self._find_message(req.params["message_id"])
        return self.original(req.params["webhook_token"])

    def _get_message(self, req: _Request) -> tuple[int, Any]:
        message = self._named_message(req)
        return (200, message) if message else (404, error_body(10008))

    def _edit_message(self, req: _Request) -> tuple[int, Any]:
        message = self._named_message(req)
        if message is None:
            return 404, error_body(10008)
        self._update_message(message, req.body, req.files, req.data)
        message["flags"] = int(message.get("flags") or 0) & ~128  # an edit ends "thinking…"
        return 200, message

    def _delete_message(self, req: _Request) -> tuple[int, Any]:
        message = self._named_message(req)
        if message is None:
            return 404, error_body(10008)
        token = req.params.get("webhook_token")
        if token is not None and self._originals.get(token) == int(message["id"]) and _loading(message):
            self._lost.add(token)  # the follow-up that would have replaced it has nothing to edit
        del self.messages[int(message["id"])]
        return 204, None

    def _get_commands(self, req: _Request) -> tuple[int, Any]:
        guild = req.params.get("guild_id")
        return 200, self.commands.get(int(guild) if guild else None, [])

    def _put_commands(self, req: _Request) -> tuple[int, Any]:
        """Bulk overwrite: echo the commands back with ids (stable per name, as on Discord)."""
        guild = int(req.params["guild_id"]) if "guild_id" in req.params else None
        version = str(snowflake())
        stored = []
        for command in req.body or []:
            key = (guild, command["name"], command.get("type", 1))
            command_id = self._command_ids.setdefault(key, str(snowflake()))
            entry = {
                "description": "",
                "options": [],
                "default_member_permissions": None,
                "nsfw": False,
                **command,
                "id": command_id,
                "application_id": str(APP_ID),
                "version": version,
                "type": command.get("type", 1),
            }
            if guild is not None:
                entry["guild_id"] = str(guild)
            stored.append(entry)
        self.commands[guild] = stored
        return 200, stored

    # Interaction responses and follow-ups

    def _interaction_callback(self, req: _Request) -> tuple[int, Any]:
        """Acknowledge once; discord.py 2.7 sends ?with_response=1 and parses an InteractionCallback."""
        interaction_id, token = req.params["webhook_id"], req.params["webhook_token"]
        if interaction_id in self._acked:
            return 400, error_body(40060)
        body = req.body or {}
        response_type = body.get("type")
        data = body.get("data") or {}
        if response_type == 9 and not _valid_modal(data):  # MODAL: Discord checks its shape
            return 400, error_body(50035)
        self._acked.add(interaction_id)
        source = self.interactions.get(token, {})
        channel_id = source.get("channel_id", str(CHANNEL_ID))
        interaction: dict[str, Any] = {"id": interaction_id, "type": source.get("type", 2)}
        message: dict[str, Any] | None = None
        if response_type == 4:  # CHANNEL_MESSAGE_WITH_SOURCE
            msg_type = 20 if source.get("type", 2) == 2 else 0
            message = self._new_message(
                channel_id, data, req.files, req.data, webhook=True, msg_type=msg_type
            )
        elif response_type == 5:  # DEFERRED_CHANNEL_MESSAGE: a "thinking…" message (LOADING, 1<<7)
            flags = int(data.get("flags") or 0) | 128
            message = self._new_message(channel_id, {}, flags=flags, webhook=True, msg_type=20)
            interaction["response_message_loading"] = True
        elif response_type in (6, 7):  # (DEFERRED_)UPDATE_MESSAGE: the clicked message
            message_id = (source.get("message") or {}).get("id", "")
            message = self._find_message(message_id)
            if message is not None and response_type == 7:
                self._update_message(message, data, req.files, req.data)
        if message is not None:
            self._originals[token] = int(message["id"])
            interaction["response_message_id"] = message["id"]
            interaction["response_message_ephemeral"] = bool(int(message.get("flags") or 0) & 64)
        if response_type in (4, 5, 7) and message is not None:
            return 200, {"interaction": interaction, "resource": {"type": response_type, "message": message}}
        return 200, {"interaction": interaction}

    def original(self, token: str) -> dict[str, Any] | None:
        """The response message of the interaction with this token, while it exists."""
        message_id = self._originals.get(token)
        return None if message_id is None else self.messages.get(message_id)

    def _execute_webhook(self, req: _Request) -> tuple[int, Any]:
        """A follow-up; without ?wait=1 Discord answers 204 with no message.

        Discord's "Create Followup Message": sent while a deferred response still shows "thinking…",
        it edits that response instead of posting a new message, and the ephemeral flag is ignored
        (the defer's privacy stays). If that "thinking…" message was deleted, there is nothing to
        edit: 404 Unknown Message (10008).
        """
        token = req.params["webhook_token"]
        if token in self._lost:
            return 404, error_body(10008)
        original = self.original(token)
        if original is not None and _loading(original):
            asked = int((req.body or {}).get("flags") or 0) & ~64
            kept = int(original["flags"]) & ~128
            message = self._update_message(
                original, {**(req.body or {}), "flags": kept | asked}, req.files, req.data
            )
        else:
            channel_id = self.interactions.get(token, {}).get("channel_id", str(CHANNEL_ID))
            message = self._new_message(channel_id, req.body, req.files, req.data, webhook=True)
        if req.query.get("wait") in ("1", "true", "True"):
            return 200, message
        return 204, None

    # ---------------------------------------------------------------- gateway

    def _guilds_for(self, shard: list[int] | None) -> list[FakeGuild]:
        """Discord's rule: a guild lives on shard (guild_id >> 22) % shard_count."""
        if not shard:
            return list(self.guilds)
        shard_id, count = shard
        return [g for g in self.guilds if (g.id >> 22) % count == shard_id]

    @property
    def open_connections(self) -> list[GatewayConnection]:
        return [c for c in self.connections if not c.closed and not c.ws.closed]

    @property
    def identifies(self) -> list[dict[str, Any]]:
        """The `d` of every IDENTIFY received (token, intents, shard, properties…)."""
        return [f["d"] for f in self.received if f.get("op") == OP_IDENTIFY]

    @property
    def resumes(self) -> list[dict[str, Any]]:
        return [f["d"] for f in self.received if f.get("op") == OP_RESUME]

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        query = dict(request.query)
        wanted = query.get("compress")
        # zstd-stream (asked for when zstandard or compression.zstd is importable) is not produced
        # here; discord.py accepts uncompressed text frames whatever it asked for.
        compress = "zlib-stream" if self.compress and wanted == "zlib-stream" else None
        conn = GatewayConnection(ws, query, compress)
        self.connections.append(conn)
        try:
            if query.get("encoding", "json") != "json":
                await ws.close(code=4002, message=b"fake_discord speaks JSON only")
                return ws
            await conn.send(
                {"op": OP_HELLO, "d": {"heartbeat_interval": self.heartbeat_interval}, "s": None, "t": None}
            )
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    await self._on_frame(conn, json.loads(message.data))
                elif message.type == WSMsgType.BINARY:  # discord.py never compresses what it sends
                    await self._on_frame(conn, json.loads(zlib.decompress(message.data)))
        finally:
            conn.closed = True
        return ws

    async def _on_frame(self, conn: GatewayConnection, frame: dict[str, Any]) -> None:
        self.received.append(frame)
        op, data = frame.get("op"), frame.get("d") or {}
        if op == OP_HEARTBEAT:
            await conn.send({"op": OP_HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op == OP_IDENTIFY:
            await self._identify(conn, data)
        elif op == OP_RESUME:
            await self._resume(conn, data)
        elif op == OP_REQUEST_MEMBERS:
            await self._members_chunk(conn, data)
        # Presence and voice state updates are only recorded.

    async def _identify(self, conn: GatewayConnection, data: dict[str, Any]) -> None:
        if conn.session is not None:
            await conn.ws.close(code=4005, message=b"Already authenticated.")
            return
        if self.token is not None and data.get("token") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        if int(data.get("intents", 0)) & PRIVILEGED_INTENTS & ~self.privileged_intents:
            await conn.ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        shard = data.get("shard")
        session = GatewaySession(f"fake-session-{next(_counter)}", list(shard) if shard else None)
        self.sessions[session.session_id] = session
        conn.session = session
        guilds = self._guilds_for(session.shard)
        ready: dict[str, Any] = {
            "v": 10,
            "user": bot_user_payload(),
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(APP_ID), "flags": self.app_flags},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "_trace": ["fake_discord"],
        }
        if session.shard is not None:
            ready["shard"] = session.shard  # AutoShardedConnectionState.parse_ready needs it
        await self._send_dispatch(conn, "READY", ready)
        for guild in guilds:
            await self._send_dispatch(conn, "GUILD_CREATE", guild.create_payload())
        self.ready_count += 1

    async def _members_chunk(self, conn: GatewayConnection, data: dict[str, Any]) -> None:
        # With the members intent discord.py chunks every guild before on_ready and waits up to
        # 5 s per guild for GUILD_MEMBERS_CHUNK; one complete chunk (bot + learner) ends that wait.
        guild_ids = data.get("guild_id")
        for guild_id in guild_ids if isinstance(guild_ids, list) else [guild_ids]:
            members = [member_payload(bot_user_payload()), member_payload(user_payload(USER_ID))]
            wanted = data.get("user_ids")
            if wanted:
                wanted_ids = {str(w) for w in (wanted if isinstance(wanted, list) else [wanted])}
                members = [m for m in members if m["user"]["id"] in wanted_ids]
            chunk = {"guild_id": str(guild_id), "members": members, "chunk_index": 0, "chunk_count": 1}
            if data.get("nonce"):
                chunk["nonce"] = data["nonce"]
            await self._send_dispatch(conn, "GUILD_MEMBERS_CHUNK", {**chunk, "not_found": []})

    async def _resume(self, conn: GatewayConnection, data: dict[str, Any]) -> None:
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or (self.token is not None and data.get("token") != self.token):
            # d=false: not resumable; discord.py then identifies afresh on a new connection.
            await conn.send({"op": OP_INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        conn.session = session
        await self._send_dispatch(conn, "RESUMED", {"_trace": ["fake_discord"]})

    async def _send_dispatch(self, conn: GatewayConnection, event: str, data: dict[str, Any]) -> None:
        assert conn.session is not None, "dispatch before IDENTIFY/RESUME"
        conn.session.seq += 1
        await conn.send({"op": OP_DISPATCH, "t": event, "s": conn.session.seq, "d": data})

    def _targets(self, data: dict[str, Any], shard_id: int | None) -> list[GatewayConnection]:
        live = [c for c in self.open_connections if c.session is not None]
        if shard_id is not None:
            return [c for c in live if c.shard and c.shard[0] == shard_id]
        guild_id = data.get("guild_id")
        if guild_id is None:
            return live
        # A guild event goes to the one shard owning the guild (so a sharded bot sees it once).
        return [c for c in live if not c.shard or (int(guild_id) >> 22) % c.shard[1] == c.shard[0]]

    async def dispatch(
        self, event: str, data: dict[str, Any], *, shard_id: int | None = None, timeout: float = 5.0
    ) -> int:
        """Send an op-0 event to every identified socket (a guild event: only its shard's).

        Waits up to `timeout` for a client to have identified; returns how many sockets got it.
        INTERACTION_CREATE payloads are remembered so callbacks can answer in the right channel.
        """
        if event == "INTERACTION_CREATE":
            self.interactions[data["token"]] = data
            if "message" in data:
                self.messages.setdefault(int(data["message"]["id"]), data["message"])
        deadline = time.monotonic() + timeout
        while not (targets := self._targets(data, shard_id)):
            if time.monotonic() > deadline:
                raise AssertionError(f"no identified gateway connection to send {event} to")
            await asyncio.sleep(0.01)
        for conn in targets:
            await self._send_dispatch(conn, event, data)
        return len(targets)

    async def interact(self, payload: dict[str, Any], timeout: float = 5.0) -> Call:
        """Dispatch an INTERACTION_CREATE and return the callback the client answered it with."""
        await self.dispatch("INTERACTION_CREATE", payload, timeout=timeout)
        path = f"/interactions/{payload['id']}/{payload['token']}/callback"
        return await self.wait_for(lambda call: call.route == CALLBACK_ROUTE and call.path == path, timeout)

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT to every socket: discord.py reconnects and RESUMEs."""
        for conn in self.open_connections:
            await conn.send({"op": OP_RECONNECT, "d": None, "s": None, "t": None})

    async def invalidate_sessions(self) -> None:
        """Send op 9 (d=false) to every socket: discord.py drops the session and IDENTIFYs again."""
        self.sessions.clear()  # so a RESUME attempt would fail too
        for conn in self.open_connections:
            await conn.send({"op": OP_INVALID_SESSION, "d": False, "s": None, "t": None})

    # ---------------------------------------------------------------- waiting and querying

    async def _poll(self, done: Callable[[], bool], timeout: float, explain: Callable[[], str]) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            if time.monotonic() > deadline:
                raise AssertionError(explain())
            await asyncio.sleep(0.01)

    async def wait_ready(self, count: int = 1, timeout: float = 5.0) -> None:
        """Until READY (and its GUILD_CREATEs) has been sent `count` times in all."""
        await self._poll(
            lambda: self.ready_count >= count,
            timeout,
            lambda: f"READY sent {self.ready_count} times, wanted {count}; frames: {self.received}",
        )

    @staticmethod
    def _is(call: Call, route: str) -> bool:
        return route in (call.route, call.path, f"{call.method} {call.path}")

    async def wait_closed(self, timeout: float = 5.0) -> None:
        """Until every gateway socket is closed (a client was shut down)."""
        await self._poll(
            lambda: not self.open_connections,
            timeout,
            lambda: f"{len(self.open_connections)} gateway connection(s) still open",
        )

    def named(self, route: str) -> list[Call]:
        """Calls whose route template ("POST /channels/{channel_id}/messages") or path matches."""
        return [c for c in self.calls if self._is(c, route)]

    async def wait_for(self, predicate: Callable[[Call], bool] | str, timeout: float = 5.0) -> Call:
        """The first recorded call matching `predicate` (or a route/path string); polls until one exists."""
        if isinstance(predicate, str):
            route = predicate
            match: Callable[[Call], bool] = lambda call: self._is(call, route)  # noqa: E731
        else:
            match = predicate
        found: list[Call] = []

        def done() -> bool:
            found[:] = [c for c in self.calls if match(c)][:1]
            return bool(found)

        def explain() -> str:
            return f"no matching call; recorded: {[f'{c.route} -> {c.status}' for c in self.calls]}"

        await self._poll(done, timeout, explain)
        return found[0]


@contextlib.contextmanager
def pointed_at(fake: FakeDiscord) -> Iterator[FakeDiscord]:
    """Aim discord.py at the fake, then put back the real URLs.

    Two globals: Route.BASE for REST (webhooks and interaction callbacks use it too), and
    DiscordWebSocket.DEFAULT_GATEWAY, because Client.connect never asks GET /gateway: it dials
    the default gateway (only AutoShardedClient without shard_count asks GET /gateway/bot).
    """
    old_base, old_gateway = discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = fake.api
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield fake
    finally:
        discord.http.Route.BASE = old_base
        DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


# -------------------------------------------------------------------- INTERACTION_CREATE builders


def _interaction_base(
    interaction_type: int,
    data: dict[str, Any],
    *,
    user_id: int = USER_ID,
    permissions: str = MEMBER_PERMISSIONS,  # the invoker's, in this channel
    channel_id: int = CHANNEL_ID,
    guild_id: int | None = GUILD_ID,  # None: a direct message
    locale: str = "ja",
    guild_locale: str = "ja",
    app_permissions: str = ADMIN_PERMISSIONS,  # the bot's own, in this channel
) -> dict[str, Any]:
    """Fields every interaction carries; a guild interaction has `member`, a DM one `user`.

    The builders below pass their `**where` keywords (any of the above) through to here."""
    n = next(_counter)
    interaction_id = snowflake()
    payload: dict[str, Any] = {
        "id": str(interaction_id),
        "application_id": str(APP_ID),
        "type": interaction_type,
        "data": data,
        "token": f"fake-interaction-token-{n}-{interaction_id}",
        "version": 1,
        "locale": locale,
        "app_permissions": app_permissions,
        "entitlements": [],
        "entitlement_sku_ids": [],
        "attachment_size_limit": 10 * 1024 * 1024,  # Interaction.__init__ indexes this directly
        "channel_id": str(channel_id),
    }
    user = user_payload(user_id)
    if guild_id is not None:
        payload.update(
            guild_id=str(guild_id),
            guild_locale=guild_locale,
            guild={"id": str(guild_id), "locale": guild_locale, "features": []},
            channel=text_channel_payload(channel_id, guild_id),
            context=0,  # GUILD
            authorizing_integration_owners={"0": str(guild_id)},  # guild install
            member=member_payload(user, permissions),  # permissions: the invoker's, in this channel
        )
    else:
        payload.update(
            channel={"id": str(channel_id), "type": 1, "recipients": [user], "flags": 0},
            context=1,  # BOT_DM
            authorizing_integration_owners={"0": "0"},  # guild install, used in the bot's DM
            user=user,
        )
    return payload


def _command_data(name: str, options: list[dict[str, Any]] | None) -> dict[str, Any]:
    # CommandTree._get_app_command_options looks the command up by data.name, then walks options of
    # type 1/2 (subcommand/group) by name. Without data.guild_id ("registered in that guild") only
    # global commands are searched, which is where every command tested here lives.
    return {"id": str(snowflake()), "name": name, "type": 1, "options": options or []}  # 1: CHAT_INPUT


def command_payload(
    name: str,
    options: list[dict[str, Any]] | None = None,
    **where: Any,
) -> dict[str, Any]:
    """A CHAT_INPUT (type 2) interaction; options as Discord nests them, subcommands included.

    guild_id=None makes it a DM invocation.
    """
    return _interaction_base(
        2,
        _command_data(name, options),
        **where,
    )


def _leaves(options: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The value-carrying options below any subcommand (group) levels."""
    out: list[dict[str, Any]] = []
    for option in options:
        if option.get("type") in (1, 2):
            out.extend(_leaves(option.get("options", [])))
        else:
            out.append(option)
    return out


def autocomplete_payload(
    name: str,
    options: list[dict[str, Any]],
    *,
    focused: str | None = None,
    **where: Any,
) -> dict[str, Any]:
    """An APPLICATION_COMMAND_AUTOCOMPLETE (type 4) interaction.

    The option named `focused` (default: the last value option, unless one already says
    "focused": true) gets "focused": true; the tree refuses an autocomplete without one.
    """
    options = json.loads(json.dumps(options))  # never mutate the caller's list
    leaves = _leaves(options)
    if not any(o.get("focused") for o in leaves):
        target = next((o for o in leaves if o.get("name") == focused), None) if focused else leaves[-1]
        if target is None:
            raise ValueError(f"no option named {focused!r} in {options}")
        target["focused"] = True
    return _interaction_base(
        4,
        _command_data(name, options),
        **where,
    )


def message_payload(
    *,
    message_id: int | None = None,
    channel_id: int | str = CHANNEL_ID,
    content: str = "",
    components: list[dict[str, Any]] | None = None,
    flags: int = 0,
    embeds: list[dict[str, Any]] | None = None,
    attachments: list[dict[str, Any]] | None = None,
    tts: bool = False,
    msg_type: int = 0,
    webhook: bool = False,
) -> dict[str, Any]:
    """A message the bot posted: what the fake stores and a component interaction's `message` holds.

    webhook=True: an interaction response or follow-up, which comes from the app's webhook.
    """
    message: dict[str, Any] = {
        "id": str(message_id or snowflake()),
        "channel_id": str(channel_id),
        "type": msg_type,
        "content": content,
        "author": bot_user_payload(),
        "timestamp": _now_iso(),
        "edited_timestamp": None,
        "tts": tts,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": attachments or [],
        "embeds": embeds or [],
        "components": components or [],
        "pinned": False,
        "flags": flags,
    }
    if webhook:
        message["webhook_id"] = str(APP_ID)
        message["application_id"] = str(APP_ID)
    return message


def component_payload(
    custom_id: str,
    *,
    message_id: int | None = None,
    message_content: str = "",
    message_components: list[dict[str, Any]] | None = None,
    values: list[str] | None = None,
    **where: Any,
) -> dict[str, Any]:
    """A MESSAGE_COMPONENT (type 3) interaction: a button click, or with `values` the options chosen
    in a select menu (component type 3).

    The message must really contain the component: discord.py rebuilds the view from
    interaction.message and silently drops a DynamicItem whose custom_id is not found in it.
    By default it holds one action row with that button.
    """
    button = {"type": 2, "style": 1, "label": "button", "custom_id": custom_id}
    rows = message_components if message_components is not None else [{"type": 1, "components": [button]}]
    data: dict[str, Any] = {"custom_id": custom_id, "component_type": 2}
    if values is not None:
        data = {"custom_id": custom_id, "component_type": 3, "values": values}
    payload = _interaction_base(3, data, **where)
    channel_id = where.get("channel_id", CHANNEL_ID)
    payload["message"] = message_payload(
        message_id=message_id, channel_id=channel_id, content=message_content, components=rows
    )
    return payload


def modal_submit_payload(
    custom_id: str,
    values: dict[str, str],
    *,
    message_id: int | None = None,
    **where: Any,
) -> dict[str, Any]:
    """A MODAL_SUBMIT (type 5) interaction: the modal `custom_id` sent with these text inputs' values.

    Each input comes inside a Label (type 18), as Discord sends a labelled text input; a modal opened
    from a message's button carries that message.
    """
    components = [
        {
            "type": 18,
            "id": 2 * n + 1,
            "component": {"type": 4, "id": 2 * n + 2, "custom_id": key, "value": value},
        }
        for n, (key, value) in enumerate(values.items())
    ]
    payload = _interaction_base(5, {"custom_id": custom_id, "components": components}, **where)
    if message_id is not None:
        payload["message"] = message_payload(
            message_id=message_id, channel_id=where.get("channel_id", CHANNEL_ID)
        )
    return payload

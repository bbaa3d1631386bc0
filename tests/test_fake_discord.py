"""The Discord stand-in against the real, unmodified discord.py client: gateway, slash commands,
autocomplete, dynamic buttons, 429 retries, errors, restarts, RESUME and sharding."""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import discord
import discord.http
import pytest
from discord import app_commands
from discord.gateway import DiscordWebSocket

from tests.fake_discord import (
    APP_ID,
    CALLBACK_ROUTE,
    CHANNEL_ID,
    GUILD_ID,
    USER_ID,
    FakeDiscord,
    FakeGuild,
    autocomplete_payload,
    command_payload,
    component_payload,
    pointed_at,
)

MESSAGES = "POST /channels/{channel_id}/messages"
ASK = [{"type": 1, "name": "ask", "options": [{"type": 3, "name": "query", "value": "elb 503"}]}]


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    real_base, real_gateway = discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    server = await FakeDiscord().start()
    try:
        with pointed_at(server):
            yield server
    finally:
        await server.stop()
    # pointed_at must leave discord.py aimed at the real Discord again.
    assert discord.http.Route.BASE is real_base
    assert DiscordWebSocket.DEFAULT_GATEWAY is real_gateway


class NoIdentifyDelay:
    """discord.py sleeps 5 s before every non-initial IDENTIFY (Discord allows one per 5 s):
    after an invalidated session, and for each shard after the first."""

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None


class QuickClient(NoIdentifyDelay, discord.Client):
    pass


class QuickShardedClient(NoIdentifyDelay, discord.AutoShardedClient):
    pass


def new_client(cls: type[discord.Client] = discord.Client, **options: Any) -> discord.Client:
    # guild_ready_timeout: discord.py waits this long after the last GUILD_CREATE before on_ready
    # (it cannot know how many guilds are coming); the 2 s default would dominate the test time.
    return cls(intents=discord.Intents.default(), guild_ready_timeout=0.05, **options)


@asynccontextmanager
async def running(client: discord.Client, token: str = "fake-token") -> AsyncIterator[discord.Client]:
    """client.start() exactly as production does, until on_ready; closed cleanly afterwards."""
    task = asyncio.create_task(client.start(token))
    try:
        ready = asyncio.create_task(client.wait_until_ready())
        done, _ = await asyncio.wait({ready, task}, timeout=5, return_when=asyncio.FIRST_COMPLETED)
        if ready not in done:
            ready.cancel()
            if task in done:
                task.result()  # surface why start() ended
            raise AssertionError("client never became ready")
        yield client
    finally:
        await client.close()
        await asyncio.wait_for(task, timeout=5)


def ask_tree(client: discord.Client, seen: dict[str, Any]) -> app_commands.CommandTree[discord.Client]:
    """/dop ask query:<str> (ephemeral answer, autocomplete on query) and /dop slow (defer, follow up).

    Handlers put what discord.py handed them into `seen` and set seen["done"] when finished.
    """
    tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(client)
    dop = app_commands.Group(name="dop", description="DevOps Pro study")
    seen["done"] = asyncio.Event()

    @dop.command(name="ask", description="Ask the notes")
    async def ask(interaction: discord.Interaction, query: str) -> None:
        seen["response"] = await interaction.response.send_message(f"answer: {query}", ephemeral=True)
        seen["locale"] = interaction.locale
        seen["user"] = interaction.user
        seen["original"] = await interaction.original_response()
        seen["done"].set()

    @ask.autocomplete("query")
    async def complete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=f"{current} troubleshooting", value=f"{current}-ts")]

    @dop.command(name="slow", description="Think, then answer")
    async def slow(interaction: discord.Interaction) -> None:
        seen["response"] = await interaction.response.defer(ephemeral=True, thinking=True)
        seen["followup"] = await interaction.followup.send("extra", wait=True)
        seen["original"] = await interaction.edit_original_response(content="finished")
        seen["done"].set()

    tree.add_command(dop)
    return tree


async def test_slash_command_and_autocomplete_round_trip(fake: FakeDiscord) -> None:
    client = new_client()
    seen: dict[str, Any] = {}
    tree = ask_tree(client, seen)
    async with running(client):
        assert client.user is not None and client.user.id == APP_ID
        assert client.application_id == APP_ID
        channel = client.get_channel(CHANNEL_ID)
        assert isinstance(channel, discord.TextChannel) and channel.guild.id == GUILD_ID

        synced = await tree.sync()
        assert [c.name for c in synced] == ["dop"] and synced[0].id > 0
        put = fake.named("PUT /applications/{application_id}/commands")[0]
        assert [o["name"] for o in put.json_body[0]["options"]] == ["ask", "slow"]
        assert [c.id for c in await tree.fetch_commands()] == [synced[0].id]

        payload = command_payload("dop", ASK, user_id=USER_ID, channel_id=CHANNEL_ID, guild_id=GUILD_ID)
        call = await fake.interact(payload)
        assert call.query == {"with_response": "1"}
        assert call.json_body == {
            "type": 4,
            "data": {"tts": False, "content": "answer: elb 503", "flags": 64},
        }

        await asyncio.wait_for(seen["done"].wait(), timeout=5)
        # discord.py parsed the with_response body: ephemeral, and it names the created message.
        assert seen["response"].is_ephemeral()
        assert seen["response"].message_id == seen["original"].id
        assert seen["original"].content == "answer: elb 503"
        assert seen["locale"] is discord.Locale.japanese
        assert isinstance(seen["user"], discord.Member) and seen["user"].id == USER_ID

        options = [{**ASK[0], "options": [{"type": 3, "name": "query", "value": "elb"}]}]
        auto = autocomplete_payload("dop", options, focused="query")
        call = await fake.interact(auto)
        assert call.json_body == {
            "type": 8,
            "data": {"choices": [{"name": "elb troubleshooting", "value": "elb-ts"}]},
        }


async def test_deferred_command_follows_up_through_the_webhook(fake: FakeDiscord) -> None:
    client = new_client()
    seen: dict[str, Any] = {}
    ask_tree(client, seen)
    async with running(client):
        payload = command_payload("dop", [{"type": 1, "name": "slow", "options": []}])
        await fake.dispatch("INTERACTION_CREATE", payload)
        await asyncio.wait_for(seen["done"].wait(), timeout=5)
        callback = fake.named(CALLBACK_ROUTE)[0]
        assert callback.json_body == {"type": 5, "data": {"flags": 64}}
        assert seen["response"].is_thinking()
        follow_up = fake.named("POST /webhooks/{webhook_id}/{webhook_token}")[0]
        assert follow_up.path == f"/webhooks/{APP_ID}/{payload['token']}" and follow_up.query["wait"] == "1"
        # The first follow-up after a defer replaces the "thinking…" message, as on Discord.
        assert seen["followup"].content == "extra" and seen["followup"].id == seen["response"].message_id
        assert seen["followup"].flags.ephemeral and not seen["followup"].flags.loading
        edit = fake.named("PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original")[0]
        assert edit.json_body["content"] == "finished"
        assert seen["original"].content == "finished" and seen["original"].id == seen["response"].message_id


def think_tree(client: discord.Client, seen: dict[str, Any]) -> None:
    """/think public:<bool> delete:<bool>: defer with that privacy, maybe delete the "thinking…",
    then two follow-ups that each ask for the opposite privacy (what discord.py then reports, or the
    error it raised, goes into `seen`)."""
    tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(client)
    seen["done"] = asyncio.Event()

    @tree.command(name="think", description="Defer, then follow up")
    async def think(interaction: discord.Interaction, public: bool, delete: bool) -> None:
        seen["response"] = await interaction.response.defer(ephemeral=not public, thinking=True)
        if delete:
            await interaction.delete_original_response()
        try:
            for n in ("first", "second"):
                seen[n] = await interaction.followup.send(n, ephemeral=public, wait=True)
        except discord.HTTPException as exc:
            seen["error"] = exc
        seen["done"].set()


def _think(public: bool, delete: bool) -> dict[str, Any]:
    options = [{"type": 5, "name": "public", "value": public}, {"type": 5, "name": "delete", "value": delete}]
    return command_payload("think", options)


@pytest.mark.parametrize("public", [False, True], ids=["deferred-privately", "deferred-publicly"])
async def test_the_first_follow_up_after_a_defer_edits_it_and_keeps_its_privacy(
    fake: FakeDiscord, public: bool
) -> None:
    """Discord's "Create Followup Message": directly after a DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE it
    works as Edit Original Interaction Response; the ephemeral flag is ignored and the defer's kept."""
    client = new_client()
    seen: dict[str, Any] = {}
    think_tree(client, seen)
    async with running(client):
        await fake.dispatch("INTERACTION_CREATE", _think(public, delete=False))
        await asyncio.wait_for(seen["done"].wait(), timeout=5)
        assert "error" not in seen
        first, second = seen["first"], seen["second"]
        assert first.id == seen["response"].message_id  # no new message: the "thinking…" was edited
        assert first.flags.ephemeral is not public and not first.flags.loading  # privacy as deferred
        assert second.id != first.id and second.flags.ephemeral is public  # later ones: as asked
        assert [m["content"] for m in fake.messages.values() if m["content"]] == ["first", "second"]


async def test_a_follow_up_after_the_thinking_message_was_deleted_is_unknown_message(
    fake: FakeDiscord,
) -> None:
    """Deleting the "thinking…" message leaves the follow-up nothing to edit: 404, code 10008."""
    client = new_client()
    seen: dict[str, Any] = {}
    think_tree(client, seen)
    async with running(client):
        await fake.dispatch("INTERACTION_CREATE", _think(public=False, delete=True))
        await asyncio.wait_for(seen["done"].wait(), timeout=5)
        error = seen["error"]
        assert isinstance(error, discord.NotFound) and error.code == 10008
        assert "first" not in seen and not [m for m in fake.messages.values() if m["content"]]


async def test_dm_command_has_user_and_dm_channel(fake: FakeDiscord) -> None:
    client = new_client()
    seen: dict[str, Any] = {}
    ask_tree(client, seen)
    async with running(client):
        await fake.dispatch("INTERACTION_CREATE", command_payload("dop", ASK, guild_id=None, channel_id=77))
        await asyncio.wait_for(seen["done"].wait(), timeout=5)
        assert type(seen["user"]) is discord.User and seen["user"].id == USER_ID
        assert seen["original"].channel.id == 77


async def test_raw_answers_exact_content_type_and_single_acknowledgement(fake: FakeDiscord) -> None:
    # Raw HTTP: discord.py only parses JSON when Content-Type is exactly "application/json".
    payload = command_payload("dop", ASK)
    path = f"/interactions/{payload['id']}/{payload['token']}/callback"
    answers = []
    async with aiohttp.ClientSession() as session:
        for _ in range(2):
            async with session.post(fake.api + path, json={"type": 5}) as resp:
                answers.append((resp.status, resp.headers["Content-Type"], await resp.json()))
    assert answers[0][:2] == (200, "application/json")
    assert answers[0][2]["interaction"]["response_message_loading"] is True
    assert answers[1][:2] == (400, "application/json") and answers[1][2]["code"] == 40060


class VoteButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=r"vote:(?P<card>[0-9]+)"
):
    """A persistent button whose state lives in its custom_id."""

    def __init__(self, card: int) -> None:
        super().__init__(discord.ui.Button(label="vote", custom_id=f"vote:{card}"))
        self.card = card

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> VoteButton:
        return cls(int(match["card"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.edit_message(content=f"voted for card {self.card}")


async def test_dynamic_button_answers_a_component_interaction(fake: FakeDiscord) -> None:
    client = new_client()
    client.add_dynamic_items(VoteButton)
    async with running(client):
        stray = component_payload("other:1")  # matches no template: nobody may answer it
        click = component_payload("vote:42", message_id=1_300_000_000_000_009_999, message_content="card 42")
        await fake.dispatch("INTERACTION_CREATE", stray)
        call = await fake.interact(click)
        assert call.json_body["type"] == 7
        assert call.json_body["data"]["content"] == "voted for card 42"
        assert fake.messages[1_300_000_000_000_009_999]["content"] == "voted for card 42"
        assert not [c for c in fake.calls if stray["id"] in c.path]


async def test_rate_limited_send_is_retried_after_retry_after(fake: FakeDiscord) -> None:
    fake.limited[MESSAGES] = 1
    fake.retry_after = 0.3
    client = new_client()
    try:
        await client.login("fake-token")  # REST only: no gateway needed to post
        channel = client.get_partial_messageable(CHANNEL_ID)
        message = await channel.send("hello")
        first, second = fake.named(MESSAGES)
        assert (first.status, second.status) == (429, 200)
        assert second.at - first.at >= fake.retry_after * 0.9
        assert message.content == "hello" and message.channel.id == CHANNEL_ID

        # Files go multipart: payload_json is parsed, the file recorded by name and size.
        chart = await channel.send("chart", file=discord.File(io.BytesIO(b"x" * 123), "chart.png"))
        upload = fake.named(MESSAGES)[-1]
        assert upload.json_body["content"] == "chart"
        assert upload.files == [("chart.png", 123)]
        assert [(a.filename, a.size) for a in chart.attachments] == [("chart.png", 123)]

        edited = await chart.edit(content="chart v2")
        assert edited.content == "chart v2"
        assert (
            fake.named("PATCH /channels/{channel_id}/messages/{message_id}")[0].json_body["content"]
            == "chart v2"
        )
    finally:
        await client.close()


async def test_configured_errors_and_unknown_routes(fake: FakeDiscord) -> None:
    fake.errors["GET /channels/{channel_id}"] = (403, 50001)
    client = new_client()
    try:
        await client.login("fake-token")
        with pytest.raises(discord.Forbidden) as forbidden:
            await client.fetch_channel(CHANNEL_ID)
        assert forbidden.value.code == 50001 and forbidden.value.status == 403
        fake.error_times["GET /channels/{channel_id}"] = 1  # the error once more, then the answer
        with pytest.raises(discord.Forbidden):
            await client.fetch_channel(CHANNEL_ID)
        channel = await client.fetch_channel(CHANNEL_ID)
        assert isinstance(channel, discord.TextChannel) and channel.guild.id == GUILD_ID

        with pytest.raises(discord.NotFound) as missing:
            await client.fetch_guild(GUILD_ID)  # no handler in the fake
        assert missing.value.code == 10003
        assert fake.calls[-1].route == f"GET /guilds/{GUILD_ID}" and fake.calls[-1].status == 404
    finally:
        await client.close()

    fake.token = "the-real-token"
    stranger = new_client()
    try:
        with pytest.raises(discord.LoginFailure):
            await stranger.login("a-wrong-token")
        assert fake.calls[-1].status == 401 and fake.calls[-1].token == "a-wrong-token"
    finally:
        await stranger.close()


@pytest.mark.parametrize("compress", [True, False], ids=["zlib-stream", "text-frames"])
async def test_restart_identifies_again(fake: FakeDiscord, compress: bool) -> None:
    fake.compress = compress
    async with running(new_client()) as first:
        assert first.get_guild(GUILD_ID) is not None
    await fake.wait_closed()

    second = new_client()
    seen: dict[str, Any] = {}
    ask_tree(second, seen)
    async with running(second):
        await fake.wait_ready(2)
        assert len(fake.identifies) == 2 and len(fake.connections) == 2
        assert [i["token"] for i in fake.identifies] == ["fake-token", "fake-token"]
        assert fake.identifies[1]["intents"] == discord.Intents.default().value
        assert fake.connections[1].query == {"v": "10", "encoding": "json", "compress": "zlib-stream"}
        assert fake.connections[1].compress == ("zlib-stream" if compress else None)
        # The new client really works: it answers a command through the new socket.
        payload = command_payload("dop", ASK)
        assert await fake.dispatch("INTERACTION_CREATE", payload) == 1
        await fake.wait_for(lambda c: c.route == CALLBACK_ROUTE and payload["id"] in c.path)


async def test_zstd_request_gets_text_frames(fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch) -> None:
    # With zstandard (or Python 3.14's compression.zstd) importable discord.py asks for zstd-stream;
    # the fake answers in text frames, which discord.py never passes to its decompressor.
    monkeypatch.setattr(discord.utils._ActiveDecompressionContext, "COMPRESSION_TYPE", "zstd-stream")
    async with running(new_client()) as client:
        assert fake.connections[0].query["compress"] == "zstd-stream"
        assert fake.connections[0].compress is None
        assert client.get_channel(CHANNEL_ID) is not None


async def test_members_intent_is_chunked_without_waiting(fake: FakeDiscord) -> None:
    intents = discord.Intents.default()
    intents.members = True
    client = discord.Client(intents=intents, guild_ready_timeout=0.05)
    started = asyncio.get_running_loop().time()
    async with running(client):
        # discord.py would wait 5 s for GUILD_MEMBERS_CHUNK if the fake ignored op 8.
        assert asyncio.get_running_loop().time() - started < 2
        assert [f["d"]["guild_id"] for f in fake.received if f["op"] == 8] == [GUILD_ID]
        guild = client.get_guild(GUILD_ID)
        assert guild is not None and guild.get_member(USER_ID) is not None and guild.chunked


async def test_privileged_intent_not_enabled_closes_4014(fake: FakeDiscord) -> None:
    fake.privileged_intents = 0  # nothing enabled "in the developer portal"
    client = discord.Client(intents=discord.Intents.all())
    try:
        with pytest.raises(discord.PrivilegedIntentsRequired):
            await asyncio.wait_for(client.start("fake-token"), timeout=5)
    finally:
        await client.close()
    assert fake.ready_count == 0


async def test_reconnect_resumes_and_invalid_session_reidentifies(fake: FakeDiscord) -> None:
    client = new_client(QuickClient)
    async with running(client):
        resumed = asyncio.create_task(client.wait_for("resumed", timeout=5))
        await asyncio.sleep(0)
        await fake.request_reconnect()  # op 7
        await resumed
        assert len(fake.identifies) == 1 and len(fake.connections) == 2
        session = fake.connections[0].session
        assert session is not None and fake.connections[1].session is session
        [resume] = fake.resumes
        assert resume["session_id"] == session.session_id and resume["token"] == "fake-token"
        assert resume["seq"] >= 2  # READY and GUILD_CREATE had been seen

        await fake.invalidate_sessions()  # op 9, d=false
        await fake.wait_ready(2)
        assert len(fake.identifies) == 2 and len(fake.resumes) == 1


async def test_auto_sharded_client_gets_one_connection_per_shard(fake: FakeDiscord) -> None:
    other = FakeGuild(id=GUILD_ID + (1 << 22), name="second", channel_id=CHANNEL_ID + 1)
    fake.guilds.append(other)
    fake.shards = 2
    client = new_client(QuickShardedClient)
    async with running(client):
        assert sorted(i["shard"] for i in fake.identifies) == [[0, 2], [1, 2]]
        assert len(fake.open_connections) == 2
        for guild in (GUILD_ID, other.id):
            found = client.get_guild(guild)
            assert found is not None and found.shard_id == (guild >> 22) % 2
        assert fake.named("GET /gateway/bot")  # shard count came from the fake
        # A guild event reaches only the shard that owns the guild.
        assert await fake.dispatch("INTERACTION_CREATE", command_payload("dop", ASK, guild_id=other.id)) == 1

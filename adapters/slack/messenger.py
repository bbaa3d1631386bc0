"""The Messenger port on Slack's Web API: post, edit, and upload the weekly chart."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import fallback_text, render
from bot.messenger import MessengerError
from bot.replies import Reply
from bot.storage.refs import ChannelRef

PERMANENT = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "invalid_auth",
    "account_inactive",
    "missing_scope",
    "message_not_found",
    "cant_update_message",
}


def _error(exc: SlackApiError) -> MessengerError:
    code = str(exc.response.get("error", "")) if exc.response is not None else ""
    retry_after = None
    if exc.response is not None and exc.response.status_code == 429:
        header = exc.response.headers.get("Retry-After") or exc.response.headers.get("retry-after")
        retry_after = float(header) if header else 1.0
    return MessengerError(code or str(exc), retry_after=retry_after, permanent=code in PERMANENT)


TokenLookup = Callable[[str], Awaitable[str | None]]


@dataclass
class SlackMessenger:
    """Posts with the single bot token, or, with `tokens`, with the token of the channel's workspace."""

    client: AsyncWebClient
    tokens: TokenLookup | None = None
    _clients: dict[str, AsyncWebClient] = field(default_factory=dict, repr=False)

    async def _client_for(self, channel: ChannelRef) -> AsyncWebClient:
        if self.tokens is None:
            return self.client
        token = await self.tokens(channel.workspace)
        if token is None:
            raise MessengerError(f"dop-bot is not installed in workspace {channel.workspace}", permanent=True)
        if token not in self._clients:
            self._clients[token] = AsyncWebClient(
                token=token, base_url=self.client.base_url, retry_handlers=self.client.retry_handlers
            )
        return self._clients[token]

    async def post(self, channel: ChannelRef, reply: Reply) -> str:
        client = await self._client_for(channel)
        try:
            response = await client.chat_postMessage(
                channel=channel.channel, blocks=render(reply), text=fallback_text(reply), unfurl_links=False
            )
            if reply.attachment is not None:
                await client.files_upload_v2(
                    channel=channel.channel,
                    content=reply.attachment.data,
                    filename=reply.attachment.filename,
                    title=reply.attachment.filename,
                )
        except SlackApiError as exc:
            raise _error(exc) from exc
        return f"{response['channel']}:{response['ts']}"

    async def edit(self, channel: ChannelRef, message_ref: str, reply: Reply) -> None:
        channel_id, _, ts = message_ref.partition(":")
        client = await self._client_for(channel)
        try:
            await client.chat_update(
                channel=channel_id, ts=ts, blocks=render(reply), text=fallback_text(reply)
            )
        except SlackApiError as exc:
            raise _error(exc) from exc

"""The Messenger port on Slack's Web API: post, edit, and upload the weekly chart."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass
class SlackMessenger:
    client: AsyncWebClient

    async def post(self, channel: ChannelRef, reply: Reply) -> str:
        try:
            response = await self.client.chat_postMessage(
                channel=channel.channel, blocks=render(reply), text=fallback_text(reply), unfurl_links=False
            )
            if reply.attachment is not None:
                await self.client.files_upload_v2(
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
        try:
            await self.client.chat_update(
                channel=channel_id, ts=ts, blocks=render(reply), text=fallback_text(reply)
            )
        except SlackApiError as exc:
            raise _error(exc) from exc

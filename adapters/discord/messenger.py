"""The Messenger port on Discord's REST API: the daily question, its reveal (buttons disabled) and the
weekly report with its chart. discord.py waits out 429s itself; what it gives up on becomes a
`MessengerError` the scheduler understands."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import aiohttp
import discord

from adapters.discord.buttons import FLAG_ID
from adapters.discord.embeds import LABEL_LIMIT, MAX_BUTTONS, OPTION_LIMIT, render
from bot.clip import clip
from bot.messenger import MessengerError
from bot.replies import Reply
from bot.storage.refs import ChannelRef

log = logging.getLogger(__name__)
T = TypeVar("T")
FLAG_PREFIX = FLAG_ID.partition("{")[0]  # 'dop:f:': the report button is not an answer


def _error(exc: Exception) -> MessengerError:
    if isinstance(exc, discord.RateLimited):
        return MessengerError("rate limited", retry_after=exc.retry_after)
    if isinstance(exc, discord.Forbidden | discord.NotFound):
        # The bot was removed, lost its permissions, or the channel or message is gone: retrying
        # will not help, and the scheduler should say so once.
        return MessengerError(f"{exc.status} {exc.code} {exc.text}", permanent=True)
    if isinstance(exc, discord.HTTPException):
        return MessengerError(f"{exc.status} {exc.code} {exc.text}")
    return MessengerError(f"network: {exc.__class__.__name__}")


async def _call(action: Callable[[], Awaitable[T]]) -> T:
    try:
        return await action()
    except (discord.DiscordException, aiohttp.ClientError, OSError, TimeoutError) as exc:
        raise _error(exc) from exc


def disabled_view(
    components: list[dict[str, Any]], answers: tuple[int, ...] = (), keep: discord.ui.View | None = None
) -> discord.ui.View | None:
    """The message's buttons or menu again, disabled: the question stays readable, nobody can answer;
    the right choices (buttons are in choice order, options carry their index) are shown: green
    buttons, or the options the menu shows as chosen. The buttons of `keep` (the report button of
    the revealed question) follow, still working."""
    items = [
        item
        for row in components
        for item in row.get("components", [])
        if not str(item.get("custom_id") or "").startswith(FLAG_PREFIX)
    ]
    view = discord.ui.View(timeout=None)
    buttons = [item for item in items if item.get("type") == discord.ComponentType.button.value]
    for index, item in enumerate(buttons):
        right = index in answers
        view.add_item(
            discord.ui.Button(
                label=clip(str(item.get("label") or "-"), LABEL_LIMIT),
                custom_id=item.get("custom_id"),
                style=discord.ButtonStyle.success if right else discord.ButtonStyle.secondary,
                disabled=True,
            )
        )
    menus = [item for item in items if item.get("type") == discord.ComponentType.select.value]
    for item in menus:
        view.add_item(_disabled_menu(item, {str(i) for i in answers}))
    rows_used = -(-len(buttons) // 5) + len(menus)
    for kept in keep.children if keep is not None and len(buttons) < MAX_BUTTONS else ():
        kept.row = min(4, rows_used)  # a row of its own below them where there is one
        view.add_item(kept)
    view.stop()  # never stored: clicks reach the registered dynamic items by custom_id
    return view if view.children else None


def _disabled_menu(item: dict[str, Any], right: set[str]) -> discord.ui.Select[Any]:
    options = [
        discord.SelectOption(
            label=clip(str(option.get("label") or "-"), OPTION_LIMIT),
            value=str(option.get("value") or "-"),
            default=str(option.get("value")) in right,
        )
        for option in item.get("options", [])
    ]
    chosen = sum(option.default for option in options)
    return discord.ui.Select(
        custom_id=str(item.get("custom_id") or "dop:m:revealed"),
        options=options or [discord.SelectOption(label="-")],
        min_values=min(chosen, 1),
        max_values=max(chosen, 1),
        disabled=True,
    )


@dataclass
class DiscordMessenger:
    """Needs only a logged-in client (REST); the gateway connection is not used for sending."""

    client: discord.Client

    def _channel(self, channel_id: str) -> discord.PartialMessageable:
        return self.client.get_partial_messageable(int(channel_id))

    async def post(self, channel: ChannelRef, reply: Reply) -> str:
        rendered = render(reply)
        target = self._channel(channel.channel)
        message = await _call(lambda: target.send(**rendered.send_kwargs()))
        return f"{channel.channel}:{message.id}"

    async def edit(self, channel: ChannelRef, message_ref: str, reply: Reply) -> None:
        channel_id, _, message_id = message_ref.partition(":")
        rendered = render(reply)
        if not reply.choices:  # a reveal: the question's own buttons stay, disabled
            original = await _call(lambda: self.client.http.get_message(int(channel_id), int(message_id)))
            components = cast(list[dict[str, Any]], original.get("components", []))
            rendered.view = disabled_view(components, reply.revealed_answers, keep=rendered.view)
        message = self._channel(channel_id).get_partial_message(int(message_id))
        await _call(lambda: message.edit(**rendered.edit_kwargs()))

"""Buttons that keep working after a restart: everything a click needs is in the custom_id, read back
by a `DynamicItem` template. The client answers the click (see `ButtonHandler`)."""

from __future__ import annotations

import re
from typing import Any, Protocol, cast

import discord

CHOICE_ID = "dop:c:{value}"  # value: the core's button value (daily:… or practice:…)
SHARE_ID = "dop:s:{note}"
CUSTOM_ID_LIMIT = 100


class ButtonHandler(Protocol):
    """What the client offers the buttons (the Discord client built in `adapters.discord.app`)."""

    async def on_choice(self, interaction: discord.Interaction[Any], value: str) -> None: ...

    async def on_share(self, interaction: discord.Interaction[Any], note_id: str) -> None: ...


class ChoiceButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"dop:c:(?P<value>[\w:.-]+)"):
    """An answer button of a daily or practice question."""

    def __init__(self, value: str, label: str = "?") -> None:
        custom_id = CHOICE_ID.format(value=value)
        if len(custom_id) > CUSTOM_ID_LIMIT:
            raise ValueError(f"button value too long for a custom_id: {value!r}")
        super().__init__(
            discord.ui.Button(label=label, style=discord.ButtonStyle.secondary, custom_id=custom_id)
        )
        self.value = value

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ChoiceButton:
        return cls(match["value"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await cast(ButtonHandler, interaction.client).on_choice(interaction, self.value)


class ShareButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"dop:s:(?P<note>[0-9a-f]{1,64})"):
    """Posts a privately shown passage to the channel for everyone."""

    def __init__(self, note_id: str, label: str = "share") -> None:
        super().__init__(
            discord.ui.Button(
                label=label, style=discord.ButtonStyle.primary, custom_id=SHARE_ID.format(note=note_id)
            )
        )
        self.note_id = note_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ShareButton:
        return cls(match["note"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await cast(ButtonHandler, interaction.client).on_share(interaction, self.note_id)


DYNAMIC_ITEMS = (ChoiceButton, ShareButton)

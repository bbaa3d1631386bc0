"""Buttons and menus that keep working after a restart: everything a click needs is in the custom_id,
read back by a `DynamicItem` template. The client answers the click (see `ButtonHandler`)."""

from __future__ import annotations

import re
from typing import Any, Protocol, cast

import discord

from bot.replies import with_picks

CHOICE_ID = "dop:c:{value}"  # value: the core's button value (daily:… or practice:…)
PICKS_ID = "dop:m:{value}"  # value: the core's `Picks` value, '*' where the chosen options go
SHARE_ID = "dop:s:{note}"
FLAG_ID = "dop:f:{question}"
CUSTOM_ID_LIMIT = 100


class ButtonHandler(Protocol):
    """What the client offers the buttons (the Discord client built in `adapters.discord.app`)."""

    async def on_choice(self, interaction: discord.Interaction[Any], value: str) -> None: ...

    async def on_share(self, interaction: discord.Interaction[Any], note_id: str) -> None: ...

    async def on_flag(self, interaction: discord.Interaction[Any], question_id: str) -> None: ...


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


class PicksMenu(discord.ui.DynamicItem[discord.ui.Select[Any]], template=r"dop:m:(?P<value>[\w:.*-]+)"):
    """The menu of a multiple-response question: choosing its options sends them as one answer."""

    def __init__(
        self, value: str, options: list[discord.SelectOption] | None = None, count: int = 1, hint: str = ""
    ) -> None:
        custom_id = PICKS_ID.format(value=value)
        if len(custom_id) > CUSTOM_ID_LIMIT:
            raise ValueError(f"menu value too long for a custom_id: {value!r}")
        menu: discord.ui.Select[Any] = discord.ui.Select(
            custom_id=custom_id,
            options=options or [],
            min_values=count,
            max_values=count,
            placeholder=hint or None,
        )
        super().__init__(menu)
        self.value = value

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PicksMenu:
        return cls(match["value"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        chosen = [str(value) for value in self.item.values]  # checked by the core, as anything typed
        await cast(ButtonHandler, interaction.client).on_choice(interaction, with_picks(self.value, chosen))


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


class FlagButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"dop:f:(?P<question>[a-z0-9-]{1,64})"
):
    """Reports a problem with the question: opens a modal asking why."""

    def __init__(self, question_id: str, label: str = "report") -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=FLAG_ID.format(question=question_id),
            )
        )
        self.question_id = question_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> FlagButton:
        return cls(match["question"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await cast(ButtonHandler, interaction.client).on_flag(interaction, self.question_id)


DYNAMIC_ITEMS = (ChoiceButton, PicksMenu, ShareButton, FlagButton)

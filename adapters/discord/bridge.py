"""Between interactions and the core: run a `/dop` line for an interaction and answer it.

Every interaction is answered within Discord's 3 s: a reply that is ready within `fast_reply` is sent
at once (so its privacy follows the reply), anything slower is deferred first and followed up.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

import discord

from adapters.discord.embeds import render
from bot.bootstrap import Core
from bot.completion import TopicCompleter
from bot.dispatcher import Requester
from bot.lookup import share_reply
from bot.replies import Reply, ReplyKind

log = logging.getLogger(__name__)
PLATFORM = "discord"
FAST_REPLY = 1.5  # seconds; Discord drops an interaction not answered within 3


def requester_of(interaction: discord.Interaction[Any], can_manage: bool = False) -> Requester:
    user = interaction.user
    return Requester(
        platform=PLATFORM,
        user_id=str(user.id),
        channel_id=str(interaction.channel_id) if interaction.channel_id else None,
        display_name=user.display_name,
        workspace_id=str(interaction.guild_id) if interaction.guild_id else "dm",
        can_manage=can_manage,
    )


@dataclass
class Bridge:
    """Runs `/dop` lines for interactions and answers them; buttons and commands both come here."""

    core: Core
    fast_reply: float = FAST_REPLY
    completer: TopicCompleter = field(init=False)  # autocomplete's names, read from the notes once

    def __post_init__(self) -> None:
        self.completer = TopicCompleter.of(self.core.engine)

    def share_label(self, requester: Requester) -> str:
        return self.core.dispatcher.messages_for(requester)("reply.share")

    async def run(
        self,
        interaction: discord.Interaction[Any],
        line: str,
        *,
        can_manage: bool = False,
        private: bool | None = None,
    ) -> None:
        """Dispatch `line` and answer the interaction; `private` forces every reply's privacy."""
        requester = requester_of(interaction, can_manage)
        work = asyncio.ensure_future(self.core.dispatcher.handle(line, requester))
        deferred = False
        try:
            replies = await asyncio.wait_for(asyncio.shield(work), self.fast_reply)
        except TimeoutError:
            deferred = await self._defer(interaction)
            replies = await work
        await self.deliver(interaction, replies, requester, deferred=deferred, private=private)

    @staticmethod
    async def _defer(interaction: discord.Interaction[Any]) -> bool:
        try:
            await interaction.response.defer(ephemeral=True, thinking=True)
        except discord.HTTPException as exc:
            log.warning("could not defer interaction %s: %s", interaction.id, exc)
            return False
        return True

    async def deliver(
        self,
        interaction: discord.Interaction[Any],
        replies: list[Reply],
        requester: Requester,
        *,
        deferred: bool = False,
        private: bool | None = None,
    ) -> None:
        share = self.share_label(requester)
        try:
            for n, reply in enumerate(replies):
                hidden = reply.private if private is None else private
                rendered = render(reply, share if hidden else None)
                if n > 0:
                    await interaction.followup.send(ephemeral=hidden, **rendered.send_kwargs())
                elif not deferred:
                    await interaction.response.send_message(ephemeral=hidden, **rendered.send_kwargs())
                elif hidden:
                    await interaction.edit_original_response(**rendered.edit_kwargs())
                else:
                    # A deferred response keeps the privacy it was deferred with; a reply for the
                    # channel replaces the private "thinking…" with a message everyone sees.
                    await interaction.delete_original_response()
                    await interaction.followup.send(ephemeral=False, **rendered.send_kwargs())
        except discord.HTTPException as exc:
            # Nothing to tell the user through: the interaction expired or the channel is gone.
            log.warning("could not answer interaction %s: %s", interaction.id, exc)

    async def on_choice(self, interaction: discord.Interaction[Any], value: str) -> None:
        """An answer button: the core records it; the feedback goes only to the one who clicked."""
        await self.run(interaction, f"answer {value}", private=True)

    async def on_share(self, interaction: discord.Interaction[Any], note_id: str) -> None:
        requester = requester_of(interaction)
        reply = share_reply(self.core.engine, self.core.dispatcher.messages_for(requester), note_id)
        if reply is None:
            await self._say(interaction, ReplyKind.PROBLEM, "share.gone")
            return
        await self.deliver(interaction, [reply], requester, private=False)

    async def refuse(self, interaction: discord.Interaction[Any], key: str, **fields: str) -> None:
        """A check failed: say why, privately."""
        await self._say(interaction, ReplyKind.PROBLEM, key, **fields)

    async def fail(self, interaction: discord.Interaction[Any], error: Exception) -> None:
        """An error outside the core (option conversion, our adapter): logged with an id, apologised for."""
        requester = requester_of(interaction)
        reply = self.core.dispatcher.apology(requester, error, "discord interaction")
        await self.deliver(interaction, [reply], requester, deferred=interaction.response.is_done())

    async def _say(
        self, interaction: discord.Interaction[Any], kind: ReplyKind, key: str, **fields: str
    ) -> None:
        """One catalogue message, privately, whether or not the interaction was answered already."""
        requester = requester_of(interaction)
        reply = Reply(body=self.core.dispatcher.messages_for(requester)(key, **fields), kind=kind)
        await self.deliver(interaction, [reply], requester, deferred=interaction.response.is_done())

"""Between interactions and the core: run a `/dop` line for an interaction and answer it.

Every interaction is answered within Discord's 3 s: a reply that is ready within `fast_reply` is sent
at once (so its privacy follows the reply). Anything slower is deferred first, public or private as the
core says the reply will be (`answers_in_channel`), and the "thinking…" placeholder is then edited into
the reply.

Discord fixes a deferred response's privacy, and a follow-up sent while it still says "thinking…" only
edits it (deleting it first makes the follow-up fail with Unknown Message). So a reply whose privacy
differs from the placeholder's (a mistake in a public command, an apology) goes this way: the placeholder
becomes a short note, the reply is sent as a follow-up of its own, and the note is deleted.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

import discord

from adapters.discord.embeds import Rendered, render
from adapters.discord.flags import flag_modal
from bot.audience import answers_in_channel
from bot.bootstrap import Core
from bot.completion import TopicCompleter
from bot.dispatcher import Requester
from bot.i18n import Messages
from bot.replies import Reply, ReplyKind
from bot.usecases.lookup import share_reply

log = logging.getLogger(__name__)
PLATFORM = "discord"
FAST_REPLY = 1.5  # seconds; Discord drops an interaction not answered within 3
PLACEHOLDER = "dop.placeholder"  # key in Interaction.extras while the original response stands in
GONE = (401, 404)  # the interaction expired (15 min) or its message was deleted: nothing can reach anyone


@dataclass
class Placeholder:
    """The original response while it is no reply yet: "thinking…", or the note it became."""

    hidden: bool  # its privacy, fixed when it was deferred
    thinking: bool = True  # a follow-up now would edit it instead of posting a message


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
        try:
            replies = await asyncio.wait_for(asyncio.shield(work), self.fast_reply)
        except TimeoutError:
            await self._defer(interaction, not answers_in_channel(line) if private is None else private)
            replies = await work
        await self.deliver(interaction, replies, requester, private=private)

    @staticmethod
    async def _defer(interaction: discord.Interaction[Any], hidden: bool) -> None:
        try:
            await interaction.response.defer(ephemeral=hidden, thinking=True)
        except discord.HTTPException as exc:
            log.warning("could not defer interaction %s: %s", interaction.id, exc)
            return
        interaction.extras[PLACEHOLDER] = Placeholder(hidden)

    async def deliver(
        self,
        interaction: discord.Interaction[Any],
        replies: list[Reply],
        requester: Requester,
        *,
        private: bool | None = None,
    ) -> None:
        """Send `replies` in order, each with its own privacy unless `private` says otherwise,
        whether the interaction is unanswered, deferred or answered already."""
        messages = self.core.dispatcher.messages_for(requester)
        share = messages("reply.share")
        for reply in replies:
            hidden = reply.private if private is None else private
            try:
                await self._send(interaction, render(reply, share if hidden else None), hidden, messages)
            except discord.HTTPException as exc:
                await self._apologise(interaction, requester, exc)
                return
        if PLACEHOLDER in interaction.extras:  # no reply took its place: no "thinking…" left behind
            await self._delete_original(interaction)

    async def _send(
        self, interaction: discord.Interaction[Any], rendered: Rendered, hidden: bool, messages: Messages
    ) -> None:
        """One reply: the first answers the interaction or takes the placeholder's place; later ones
        (and one whose privacy the placeholder cannot have) are follow-ups."""
        if not interaction.response.is_done():
            await interaction.response.send_message(ephemeral=hidden, **rendered.send_kwargs())
            return
        placeholder: Placeholder | None = interaction.extras.get(PLACEHOLDER)
        if placeholder is None or not placeholder.thinking:
            await interaction.followup.send(ephemeral=hidden, **rendered.send_kwargs())
        elif placeholder.hidden == hidden:
            await interaction.edit_original_response(**rendered.edit_kwargs())
            del interaction.extras[PLACEHOLDER]
        else:
            await interaction.edit_original_response(
                content=messages("discord.answered_apart"), embed=None, view=None
            )
            placeholder.thinking = False  # so the follow-up is a message of its own, with its privacy
            await interaction.followup.send(ephemeral=hidden, **rendered.send_kwargs())
            await self._delete_original(interaction)

    @staticmethod
    async def _delete_original(interaction: discord.Interaction[Any]) -> None:
        """Remove the placeholder or note; if Discord refuses, it stays (the reply is out already)."""
        try:
            await interaction.delete_original_response()
        except discord.HTTPException as exc:
            log.warning("could not delete the placeholder of interaction %s: %s", interaction.id, exc)
            return
        interaction.extras.pop(PLACEHOLDER, None)

    async def _apologise(
        self, interaction: discord.Interaction[Any], requester: Requester, error: discord.HTTPException
    ) -> None:
        """A reply Discord refused: if the person would be left with nothing or a placeholder, they get
        an apology there (with the placeholder's privacy: it cannot change, and editing in place is the
        likeliest way still open); else, or if the interaction is gone, only the log says it."""
        unanswered = not interaction.response.is_done()
        waiting = unanswered or PLACEHOLDER in interaction.extras
        if not waiting or error.status in GONE:
            log.warning("could not answer interaction %s: %s", interaction.id, error)
            return
        rendered = render(self.core.dispatcher.apology(requester, error, "discord reply"))
        try:
            if unanswered:
                await interaction.response.send_message(ephemeral=True, **rendered.send_kwargs())
            else:
                await interaction.edit_original_response(content=None, **rendered.edit_kwargs())
                del interaction.extras[PLACEHOLDER]
        except discord.HTTPException as exc:
            log.warning("could not apologise on interaction %s: %s", interaction.id, exc)

    async def on_choice(self, interaction: discord.Interaction[Any], value: str) -> None:
        """An answer button: the core records it; the feedback goes only to the one who clicked."""
        await self.run(interaction, f"answer {value}", private=True)

    async def on_flag(self, interaction: discord.Interaction[Any], question_id: str) -> None:
        """A report button: the modal asking why, at once (no core work before it, within Discord's 3 s)."""
        messages = self.core.dispatcher.messages_for(requester_of(interaction))
        try:
            await interaction.response.send_modal(flag_modal(question_id, messages))
        except discord.HTTPException as exc:
            log.warning("could not open the report modal of interaction %s: %s", interaction.id, exc)

    async def on_flag_submitted(
        self, interaction: discord.Interaction[Any], question_id: str, reason: str
    ) -> None:
        """The report modal sent: the core stores the report and thanks the reporter, privately."""
        await self.run(interaction, f"flag {question_id} {reason}", private=True)

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
        await self.deliver(interaction, [reply], requester)

    async def _say(
        self, interaction: discord.Interaction[Any], kind: ReplyKind, key: str, **fields: str
    ) -> None:
        """One catalogue message, privately, whether or not the interaction was answered already."""
        requester = requester_of(interaction)
        reply = Reply(body=self.core.dispatcher.messages_for(requester)(key, **fields), kind=kind)
        await self.deliver(interaction, [reply], requester)

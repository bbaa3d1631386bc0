"""Replies as Discord embeds with their buttons and file. Text from notes and users is escaped for
Discord's Markdown, every limit Discord enforces is kept, and nothing can ping anyone."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

import discord
from discord.utils import escape_markdown

from adapters.discord.buttons import ChoiceButton, FlagButton, PicksMenu, ShareButton
from bot.clip import clip
from bot.notes.model import Link
from bot.replies import Reply, ReplyKind

# Discord's limits (API documentation, "Embed Limits" and "Button")
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FIELDS_LIMIT = 25
FOOTER_LIMIT = 1024  # Discord allows 2,048; half leaves the body room in the shared total
TOTAL_LIMIT = 6000  # all embeds of one message together
LABEL_LIMIT = 80
OPTION_LIMIT = 100  # a menu option's label
PLACEHOLDER_LIMIT = 150
MAX_BUTTONS = 25  # five rows of five; a menu takes a row of its own and holds up to 25 options
NO_PINGS = discord.AllowedMentions.none()

COLOURS = {
    ReplyKind.ANSWER: discord.Colour.blue(),
    ReplyKind.INFO: discord.Colour.blurple(),
    ReplyKind.PROBLEM: discord.Colour.orange(),
    ReplyKind.ERROR: discord.Colour.red(),
}


@dataclass
class Rendered:
    """What one reply becomes: keyword arguments for send/edit, plus the file if there is one."""

    embed: discord.Embed
    view: discord.ui.View | None = None
    file: discord.File | None = field(default=None)

    def send_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"embed": self.embed, "allowed_mentions": NO_PINGS}
        if self.view is not None:
            kwargs["view"] = self.view
        if self.file is not None:
            kwargs["file"] = self.file
        return kwargs

    def edit_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"embed": self.embed, "allowed_mentions": NO_PINGS, "view": self.view}
        if self.file is not None:
            kwargs["attachments"] = [self.file]
        return kwargs


def escape(text: str) -> str:
    """Markdown characters shown as typed (`HTTPCode_ELB_5XX` must not turn italic); URLs left intact."""
    return escape_markdown(text, ignore_links=True)


# Markdown as Discord reads it: code spans (their text kept as it is), backslash escapes, then paired
# markers. A single underscore only marks emphasis at word edges, so snake_case names are left alone.
_MARKUP = re.compile(
    r"(?P<ticks>`+)(?P<code>.+?)(?P=ticks)"
    r"|\\(?P<escaped>[^\w\s]|_)"
    r"|\*\*\*(?P<both>.+?)\*\*\*"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|__(?P<underline>.+?)__"
    r"|~~(?P<strike>.+?)~~"
    r"|\|\|(?P<spoiler>.+?)\|\|"
    r"|\*(?P<star>[^\s*](?:[^*]*[^\s*])?)\*"
    r"|(?<![^\W_])_(?P<under>[^\s_](?:[^_]*[^\s_])?)_(?![^\W_])",
    re.DOTALL,
)


def plain(text: str) -> str:
    """Markdown taken out, for the footer: Discord shows a footer's text as typed, so `/dop help`
    would keep its backticks and an escaped name its backslashes."""

    def unmark(match: re.Match[str]) -> str:
        kind = match.lastgroup or ""
        inner = match[kind]
        return inner if kind in ("code", "escaped") else plain(inner)

    return _MARKUP.sub(unmark, text)


def chunks(text: str, limit: int) -> list[str]:
    """Split at line ends into pieces of at most `limit` characters; a longer line is cut, never lost."""
    pieces: list[str] = []
    current = ""
    for line in text.splitlines() or [""]:
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        if current and len(current) + 1 + len(line) > limit:
            pieces.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current or not pieces:
        pieces.append(current)
    return pieces


def _link(link: Link) -> str:
    title = escape(link.title or link.url).replace("[", "(").replace("]", ")")
    url = link.url.replace(" ", "%20").replace(")", "%29").replace("(", "%28")
    return f"[{clip(title, 200)}]({url})"


def _size(embed: discord.Embed) -> int:
    return len(embed)


def _choice_text(reply: Reply) -> str | None:
    """Choices too long for a button are listed in full in the embed; buttons then carry the number."""
    if all(len(f"{i + 1}. {c.label}") <= LABEL_LIMIT for i, c in enumerate(reply.choices)):
        return None
    return "\n".join(f"**{i + 1}.** {escape(c.label)}" for i, c in enumerate(reply.choices))


def choices_view(reply: Reply, share_label: str | None = None) -> discord.ui.View | None:
    """Answer buttons (and the share button), as dynamic items: they work after a restart.

    The view is stopped before it is sent, so discord.py does not keep it in its view store (one per
    message would pile up, and removing one would unregister the dynamic item classes); clicks reach
    the registered DynamicItem classes by their custom_id.
    """
    if not reply.choices and not (reply.note_id and share_label) and reply.flag is None:
        return None
    view = discord.ui.View(timeout=None)
    if reply.picks is not None:
        options = [
            discord.SelectOption(label=clip(f"{i + 1}. {choice.label}", OPTION_LIMIT), value=str(i))
            for i, choice in enumerate(reply.choices[:MAX_BUTTONS])
        ]
        hint = clip(reply.picks.prompt, PLACEHOLDER_LIMIT)
        view.add_item(PicksMenu(reply.picks.value, options, reply.picks.count, hint))
    else:
        for i, choice in enumerate(reply.choices[:MAX_BUTTONS]):
            view.add_item(ChoiceButton(choice.value, label=clip(f"{i + 1}. {choice.label}", LABEL_LIMIT)))
    if reply.note_id and share_label and len(view.children) < MAX_BUTTONS:
        view.add_item(ShareButton(reply.note_id, label=clip(share_label, LABEL_LIMIT)))
    if reply.flag is not None and len(view.children) < MAX_BUTTONS:
        view.add_item(flag_button(reply, len(view.children)))
    view.stop()
    return view


def flag_button(reply: Reply, buttons_before: int) -> FlagButton:
    """The report button, on a row of its own below the others where there is one (not an answer)."""
    assert reply.flag is not None
    button = FlagButton(reply.flag.value, label=clip(reply.flag.label, LABEL_LIMIT))
    button.row = min(4, -(-buttons_before // 5))
    return button


def render(reply: Reply, share_label: str | None = None) -> Rendered:
    """One embed per reply; a body longer than a description continues in fields."""
    embed = discord.Embed(colour=COLOURS.get(reply.kind, discord.Colour.blurple()))
    if reply.title:
        embed.title = clip(escape(reply.title), TITLE_LIMIT)
    body = escape(reply.body) if reply.body else ""
    listed = _choice_text(reply)
    if listed:
        body = f"{body}\n\n{listed}" if body else listed
    if reply.footer:
        embed.set_footer(text=clip(plain(reply.footer), FOOTER_LIMIT))  # no Markdown in footers
    # The 6,000-character budget is shared: the description gets what title and footer leave.
    room = min(DESCRIPTION_LIMIT, TOTAL_LIMIT - len(embed) - 20)
    parts = chunks(body, room) if body else []
    if parts:
        embed.description = parts[0]
    extra: list[tuple[str, str]] = [("\u200b", part) for rest in parts[1:] for part in chunks(rest, 1024)]
    for item in reply.fields:
        for n, piece in enumerate(chunks(escape(item.value) or "-", FIELD_VALUE_LIMIT)):
            extra.append((clip(escape(item.name), FIELD_NAME_LIMIT) if n == 0 else "\u200b", piece))
    if reply.links:
        extra.append(("🔗", "\n".join(_link(link) for link in reply.links)[:FIELD_VALUE_LIMIT]))
    for name, value in extra[:FIELDS_LIMIT]:
        if _size(embed) + len(name) + len(value) > TOTAL_LIMIT - 10:
            embed.add_field(name="\u200b", value="…", inline=False)
            break
        embed.add_field(name=name, value=value or "-", inline=False)
    file = None
    if reply.attachment is not None:
        file = discord.File(io.BytesIO(reply.attachment.data), filename=reply.attachment.filename)
        if reply.attachment.mime.startswith("image/"):
            embed.set_image(url=f"attachment://{reply.attachment.filename}")
    return Rendered(embed, choices_view(reply, share_label), file)

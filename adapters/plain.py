"""Plain text for a terminal: how a Reply reads, and input that never ends a program with a traceback.
Shared by the console and the one-shot commands (which must not import the console's asyncio REPL)."""

from __future__ import annotations

import io
from typing import TextIO

from bot.i18n import Messages
from bot.replies import Reply


def render_text(reply: Reply, messages: Messages) -> str:
    """A reply as plain text for a terminal."""
    parts: list[str] = []
    if reply.title:
        parts.append(f"■ {reply.title}")
    if reply.body:
        parts.append(reply.body)
    if reply.choices:
        parts.append("\n".join(f"  {i}. {choice.label}" for i, choice in enumerate(reply.choices, start=1)))
    for item in reply.fields:
        parts.append(f"{item.name}:\n" + "\n".join(f"  {line}" for line in item.value.splitlines()))
    if reply.links:
        parts.append(
            f"{messages('ask.references')}:\n"
            + "\n".join(f"  - {_link(link.title, link.url)}" for link in reply.links)
        )
    if reply.attachment is not None:
        parts.append(f"[{reply.attachment.filename}: {len(reply.attachment.data):,} bytes]")
    if reply.footer:
        parts.append(f"({reply.footer})")
    if reply.flag is not None:  # a terminal has no button: say how to report it
        parts.append(messages("flag.id_line", id=reply.flag.value))
    return "\n".join(parts)


def _link(title: str, url: str) -> str:
    return url if title == url else f"{title} <{url}>"


def tolerate_bad_bytes(stream: TextIO) -> None:
    """Bytes that are not UTF-8 read as '�' instead of ending the program with a traceback."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors="replace")


def without_surrogates(text: str) -> str:
    """Undecodable bytes in argv arrive as lone surrogates, which a UTF-8 terminal cannot print: '�'."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")

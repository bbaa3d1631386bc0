"""Neutral replies: what the core says, before any adapter renders it for a platform."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.notes.model import Link


class ReplyKind(StrEnum):
    ANSWER = "answer"  # a passage of the notes
    INFO = "info"  # lists, help, confirmations
    PROBLEM = "problem"  # the user asked for something we cannot do; says what to do instead
    ERROR = "error"  # our fault; carries an id to quote


@dataclass(frozen=True)
class Field:
    name: str
    value: str


@dataclass(frozen=True)
class Choice:
    """An answer button: what it says and what the core needs back when it is pressed."""

    label: str
    value: str


@dataclass(frozen=True)
class Attachment:
    """A file an adapter may upload with the reply (the weekly chart)."""

    filename: str
    data: bytes = field(repr=False)
    mime: str = "image/png"


@dataclass(frozen=True)
class Reply:
    """Plain text with optional title, fields and links; adapters add markup and escaping.

    `private` replies go only to the person who asked (ephemeral where the platform allows).
    `note_id` names the passage an answer shows, so an adapter can offer to share it.
    """

    body: str
    title: str | None = None
    fields: tuple[Field, ...] = ()
    links: tuple[Link, ...] = ()
    footer: str | None = None
    kind: ReplyKind = ReplyKind.INFO
    private: bool = True
    note_id: str | None = None
    choices: tuple[Choice, ...] = ()
    attachment: Attachment | None = None
    # A revealed question: which choice was right, so an adapter can mark its button.
    revealed_answer: int | None = None

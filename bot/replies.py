"""Neutral replies: what the core says, before any adapter renders it for a platform."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from bot.commands import PICK_SEPARATOR
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


PICKS_SLOT = "*"  # where the chosen choices go in a `Picks` value


@dataclass(frozen=True)
class Picks:
    """A multiple-response question: tick `count` of the choices, then send them together.

    `value` is the core's answer value with `PICKS_SLOT` where the choices go ('daily:12:*:<question>');
    an adapter fills it with the ticked choices' indices (`value_for`) and sends it as `/dop answer`.
    """

    count: int
    value: str
    prompt: str  # what to do ('2つ選んでください'): a checkbox group's label, a menu's placeholder
    submit: str  # the label of the button that sends the ticked choices, where there is one

    def value_for(self, indices: Iterable[str]) -> str:
        return with_picks(self.value, indices)


def with_picks(value: str, indices: Iterable[str]) -> str:
    """A `Picks` value filled with the choice indices ticked, as the platform sent them (the core reads
    them strictly: a value that is not one of ours is refused there)."""
    return value.replace(PICKS_SLOT, PICK_SEPARATOR.join(indices), 1)


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
    # Set for a multiple-response question: the choices are ticked and sent together, not clicked.
    picks: Picks | None = None
    attachment: Attachment | None = None
    # A revealed question: which choices were right, so an adapter can mark their buttons.
    revealed_answers: tuple[int, ...] = ()
    # The report button of the question this reply shows (its value is the question id).
    flag: Choice | None = None

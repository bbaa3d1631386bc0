"""Reporting a problem with a question on Discord: the report button opens a modal asking why; its
submission is read straight from the interaction (nothing is kept in memory, so a modal opened before
a restart still reaches the core)."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.clip import clip
from bot.i18n import Messages
from bot.usecases.flags import REASON_CHARS

MODAL_ID = "dop:fm:{question}"
_MODAL = re.compile(r"dop:fm:(?P<question>[a-z0-9-]{1,64})")
REASON_ID = "reason"
TITLE_LIMIT = 45  # Discord's, for a modal title
LABEL_LIMIT = 45  # a label's text


def flag_modal(question_id: str, messages: Messages) -> discord.ui.Modal:
    """The modal a report button opens: one optional paragraph, the reason.

    It is stopped before it is sent, so discord.py does not keep it waiting for its submission (one
    per click would pile up); the submission is read by `submitted_flag` instead.
    """
    modal = discord.ui.Modal(
        title=clip(messages("flag.modal_title"), TITLE_LIMIT), custom_id=MODAL_ID.format(question=question_id)
    )
    reason: discord.ui.TextInput[Any] = discord.ui.TextInput(
        custom_id=REASON_ID,
        style=discord.TextStyle.paragraph,
        placeholder=clip(messages("flag.reason_placeholder"), 100),
        required=False,
        max_length=REASON_CHARS,
    )
    modal.add_item(discord.ui.Label(text=clip(messages("flag.reason_label"), LABEL_LIMIT), component=reason))
    modal.stop()
    return modal


def submitted_flag(interaction: discord.Interaction[Any]) -> tuple[str, str] | None:
    """(question id, reason) from a report modal's submission, or None for any other interaction."""
    if interaction.type is not discord.InteractionType.modal_submit:
        return None
    data: Any = interaction.data or {}
    match = _MODAL.fullmatch(str(data.get("custom_id", "")))
    if match is None:
        return None
    return match["question"], _value_of(data.get("components"), REASON_ID)


def _value_of(components: Any, custom_id: str) -> str:
    """The submitted value of one input, wherever the layout put it (an action row or a label)."""
    if isinstance(components, dict):
        components = [components]
    if not isinstance(components, list):
        return ""
    for component in components:
        if not isinstance(component, dict):
            continue
        if component.get("custom_id") == custom_id and isinstance(component.get("value"), str):
            return str(component["value"])
        inner = _value_of(component.get("components") or component.get("component"), custom_id)
        if inner:
            return inner
    return ""

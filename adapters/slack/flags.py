"""Reporting a problem with a question on Slack: the report button opens a modal (views.open) asking
why; its submission (view_submission) sends `/dop flag` to the core, and the thank-you goes back
privately through the response_url of the message the button was on, which the modal carries in its
private_metadata along with the question and the channel."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from adapters.slack.blocks import escape
from adapters.slack.payload import Field, id_at
from bot.clip import clip
from bot.i18n import Messages
from bot.usecases.flags import REASON_CHARS

FLAG_VIEW = "dop_flag_view"  # the modal's callback_id
REASON_BLOCK, REASON_ACTION = "dop_flag_reason", "reason"
TEXT_LIMIT = 24  # Slack's, for a modal's title and its buttons
_QUESTION = Field(("q",), "id")
_RESPONSE_URL = Field(("r",), "url")


@dataclass(frozen=True)
class FlagContext:
    """What the modal must remember of the button that opened it."""

    question_id: str
    channel_id: str | None
    response_url: str | None

    def dump(self) -> str:
        return json.dumps({"q": self.question_id, "c": self.channel_id, "r": self.response_url})

    @classmethod
    def load(cls, metadata: str | None) -> FlagContext | None:
        """Read back, trusting nothing: a field of the wrong shape reads as missing."""
        try:
            data = json.loads(metadata or "")
        except ValueError:
            return None
        question = _QUESTION.of(data)
        if question is None:
            return None
        return cls(question, id_at(data, "c"), _RESPONSE_URL.of(data))


def flag_modal(context: FlagContext, messages: Messages) -> dict[str, Any]:
    """The modal: which question, and one optional reason (as long as the core takes)."""
    return {
        "type": "modal",
        "callback_id": FLAG_VIEW,
        "private_metadata": context.dump(),
        "title": {"type": "plain_text", "text": clip(messages("flag.modal_title"), TEXT_LIMIT)},
        "submit": {"type": "plain_text", "text": clip(messages("flag.submit"), TEXT_LIMIT)},
        "close": {"type": "plain_text", "text": clip(messages("flag.cancel"), TEXT_LIMIT)},
        "blocks": [
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": escape(context.question_id)}],
            },
            {
                "type": "input",
                "block_id": REASON_BLOCK,
                "optional": True,
                "label": {"type": "plain_text", "text": clip(messages("flag.reason_label"), 2000)},
                "element": {
                    "type": "plain_text_input",
                    "action_id": REASON_ACTION,
                    "multiline": True,
                    "max_length": REASON_CHARS,
                    "placeholder": {
                        "type": "plain_text",
                        "text": clip(messages("flag.reason_placeholder"), 150),
                    },
                },
            },
        ],
    }


def reason_of(view: dict[str, Any]) -> str:
    """The reason typed into a submitted modal ('' when left empty)."""
    return Field(("state", "values", REASON_BLOCK, REASON_ACTION, "value")).of(view) or ""

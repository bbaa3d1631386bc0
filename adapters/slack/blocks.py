"""Replies as Block Kit. Everything from notes or users is escaped for mrkdwn, and nothing can ping
@channel, @here or a user group."""

from __future__ import annotations

import re
from typing import Any

from bot.clip import clip
from bot.replies import Reply

SECTION_LIMIT = 3000
BUTTON_TEXT_LIMIT = 75
MAX_BUTTONS = 25
CHOICE_ACTION = "dop_choice_{index}"
SHARE_ACTION = "dop_share"
_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)


def escape(text: str) -> str:
    """mrkdwn control characters, and broadcast words broken with a word joiner."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub(lambda m: "@\u2060" + m.group(1), text)


def _sections(text: str) -> list[dict[str, Any]]:
    """Long text split at line ends into sections of at most 3,000 characters."""
    blocks: list[dict[str, Any]] = []
    chunk = ""
    lines = [
        piece
        for line in escape(text).splitlines()
        for piece in ([line[i : i + SECTION_LIMIT] for i in range(0, len(line), SECTION_LIMIT)] or [""])
    ]  # a line longer than a section is split too, never dropped
    for line in lines:
        if len(chunk) + len(line) + 1 > SECTION_LIMIT and chunk:
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": chunk}})
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line
    if chunk:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": chunk}})
    return blocks


def _link(title: str, url: str) -> str:
    safe_url = url.replace(">", "%3E").replace("|", "%7C").replace("<", "%3C")
    return f"<{safe_url}|{escape(title).replace('|', '¦')}>"


def render(reply: Reply, share_label: str | None = None) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    if reply.title:
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*{clip(escape(reply.title), 2900)}*"}}
        )
    if reply.body:
        blocks.extend(_sections(reply.body))
    for field in reply.fields:
        blocks.extend(_sections(f"{field.name}\n{field.value}"))
    if reply.choices:
        blocks.append(
            {
                "type": "actions",
                "block_id": "dop_choices",
                "elements": [
                    {
                        "type": "button",
                        "action_id": CHOICE_ACTION.format(index=i),
                        "text": {
                            "type": "plain_text",
                            "text": clip(f"{i + 1}. {choice.label}", BUTTON_TEXT_LIMIT),
                        },
                        "value": choice.value[:2000],
                    }
                    for i, choice in enumerate(reply.choices[:MAX_BUTTONS])
                ],
            }
        )
    if reply.links:
        links = "\n".join(_link(link.title, link.url) for link in reply.links)
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(links, SECTION_LIMIT)}]}
        )
    if reply.footer:
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(escape(reply.footer), 3000)}]}
        )
    if reply.note_id and share_label:
        blocks.append(
            {
                "type": "actions",
                "block_id": "dop_share",
                "elements": [
                    {
                        "type": "button",
                        "action_id": SHARE_ACTION,
                        "text": {"type": "plain_text", "text": clip(share_label, BUTTON_TEXT_LIMIT)},
                        "value": reply.note_id,
                    }
                ],
            }
        )
    return blocks


def fallback_text(reply: Reply) -> str:
    """The notification text Slack shows where blocks cannot be (escaped, short)."""
    return clip(escape(reply.title or reply.body or "dop-bot"), 150)

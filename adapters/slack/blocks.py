"""Replies as Block Kit. Everything from notes or users is escaped for mrkdwn, and nothing can ping
@channel, @here or a user group."""

from __future__ import annotations

import re
from typing import Any

from bot.clip import clip
from bot.replies import Picks, Reply

SECTION_LIMIT = 3000
BUTTON_TEXT_LIMIT = 75  # an option's text is held to the same
MAX_BUTTONS = 25
MAX_CHECKBOXES = 10
CHOICE_ACTION = "dop_choice_{index}"
SHARE_ACTION = "dop_share"
# A multiple-response question: checkboxes in an input block (ticking one sends nothing) and a button
# whose click brings the ticked ones along in the payload's `state.values`.
PICKS_BLOCK, PICK_ACTION, SUBMIT_ACTION = "dop_picks", "dop_pick", "dop_submit"
FLAG_ACTION = "dop_flag"  # opens the report modal; the value is the question id
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


def _numbered(reply: Reply) -> list[str]:
    return [f"{i + 1}. {choice.label}" for i, choice in enumerate(reply.choices)]


def _picks(reply: Reply, picks: Picks) -> list[dict[str, Any]]:
    options = [
        {"text": {"type": "plain_text", "text": clip(text, BUTTON_TEXT_LIMIT)}, "value": str(i)}
        for i, text in enumerate(_numbered(reply)[:MAX_CHECKBOXES])
    ]
    return [
        {
            "type": "input",
            "block_id": PICKS_BLOCK,
            "label": {"type": "plain_text", "text": clip(picks.prompt, 2000)},
            "element": {"type": "checkboxes", "action_id": PICK_ACTION, "options": options},
        },
        {
            "type": "actions",
            "block_id": SUBMIT_ACTION,
            "elements": [
                {
                    "type": "button",
                    "action_id": SUBMIT_ACTION,
                    "style": "primary",
                    "text": {"type": "plain_text", "text": clip(picks.submit, BUTTON_TEXT_LIMIT)},
                    "value": picks.value[:2000],
                }
            ],
        },
    ]


def render(reply: Reply, share_label: str | None = None) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    if reply.title:
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*{clip(escape(reply.title), 2900)}*"}}
        )
    if reply.body:
        blocks.extend(_sections(reply.body))
    if any(len(text) > BUTTON_TEXT_LIMIT for text in _numbered(reply)):
        blocks.extend(_sections("\n".join(_numbered(reply))))  # what a button or checkbox cuts short, in full
    for field in reply.fields:
        blocks.extend(_sections(f"{field.name}\n{field.value}"))
    if reply.picks is not None:
        blocks.extend(_picks(reply, reply.picks))
    elif reply.choices:
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
    if reply.flag is not None:
        blocks.append(
            {
                "type": "actions",
                "block_id": "dop_flag",
                "elements": [
                    {
                        "type": "button",
                        "action_id": FLAG_ACTION,
                        "text": {"type": "plain_text", "text": clip(reply.flag.label, BUTTON_TEXT_LIMIT)},
                        "value": reply.flag.value[:2000],
                    }
                ],
            }
        )
    return blocks


def fallback_text(reply: Reply) -> str:
    """The notification text Slack shows where blocks cannot be (escaped, short)."""
    return clip(escape(reply.title or reply.body or "dop-bot"), 150)

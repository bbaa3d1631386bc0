"""The console adapter: a local chat REPL speaking the `/dop` language, and the test harness
that drives whole conversations through the core."""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass, field
from typing import TextIO

from bot.dispatcher import Dispatcher, Requester
from bot.i18n import Messages
from bot.replies import Reply

QUIT_WORDS = frozenset({"/quit", "/exit", "quit", "exit", ":q", "/dop quit", "/dop exit"})


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
    if reply.footer:
        parts.append(f"({reply.footer})")
    return "\n".join(parts)


def _link(title: str, url: str) -> str:
    return url if title == url else f"{title} <{url}>"


@dataclass
class ConsoleSession:
    """One person talking to the bot; `send` returns what the bot would print."""

    dispatcher: Dispatcher
    requester: Requester = field(
        default_factory=lambda: Requester(
            platform="console", user_id="local", channel_id="console", workspace_id="local", can_manage=True
        )
    )

    @property
    def messages(self) -> Messages:
        return self.dispatcher.messages_for(self.requester)

    async def send(self, line: str) -> str:
        text = line.strip()
        if text.isdigit():
            text = f"/dop answer {text}"  # in the console, a bare number answers the open question
        elif not text.lower().startswith(("/dop", "dop ")) and text.startswith("/"):
            text = "/dop " + text[1:]
        replies = await self.dispatcher.handle(text, self.requester)
        return "\n\n".join(render_text(r, self.messages) for r in replies)


async def run_console(dispatcher: Dispatcher, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> None:
    """Read lines until EOF or /quit; prompt only when a person is typing."""
    session = ConsoleSession(dispatcher)
    interactive = stdin.isatty()
    print(session.messages("console.welcome"), file=stdout, flush=True)
    loop = asyncio.get_running_loop()
    while True:
        if interactive:
            print("dop> ", end="", file=stdout, flush=True)
        line = await loop.run_in_executor(None, stdin.readline)
        if not line or line.strip().lower() in QUIT_WORDS:
            break
        if not line.strip():
            continue
        print(await session.send(line), file=stdout, flush=True)
        print(file=stdout, flush=True)
    print(session.messages("console.bye"), file=stdout, flush=True)

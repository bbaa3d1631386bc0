"""The console adapter: a local chat REPL speaking the `/dop` language, and the test harness
that drives whole conversations through the core. Scheduled posts appear in the same terminal."""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass, field
from typing import TextIO

from bot.dispatcher import Dispatcher, Requester
from bot.i18n import Messages
from bot.replies import Choice, Reply
from bot.storage.refs import ChannelRef

QUIT_WORDS = frozenset({"/quit", "/exit", "quit", "exit", ":q", "/dop quit", "/dop exit"})
CONSOLE_CHANNEL = ChannelRef("console", "local", "console", "console")


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
    return "\n".join(parts)


def _link(title: str, url: str) -> str:
    return url if title == url else f"{title} <{url}>"


@dataclass
class ConsoleSession:
    """One person talking to the bot; `send` returns what the bot would print.

    A bare number answers the last question shown (a practice question or the channel's daily one).
    """

    dispatcher: Dispatcher
    requester: Requester = field(
        default_factory=lambda: Requester(
            platform="console", user_id="local", channel_id="console", workspace_id="local", can_manage=True
        )
    )
    last_choices: tuple[Choice, ...] = ()

    @property
    def messages(self) -> Messages:
        return self.dispatcher.messages_for(self.requester)

    async def send(self, line: str) -> str:
        text = line.strip()
        if text.isdigit():
            number = int(text)
            if 1 <= number <= len(self.last_choices):
                text = f"/dop answer {self.last_choices[number - 1].value}"
            else:
                text = f"/dop answer {text}"
        elif not text.lower().startswith(("/dop", "dop ")) and text.startswith("/"):
            text = "/dop " + text[1:]
        replies = await self.dispatcher.handle(text, self.requester)
        self.remember(replies)
        return "\n\n".join(render_text(r, self.messages) for r in replies)

    def remember(self, replies: list[Reply]) -> None:
        for reply in replies:
            if reply.choices:
                self.last_choices = reply.choices


@dataclass
class ConsoleMessenger:
    """The Messenger for the console: scheduled posts print to the terminal."""

    out: TextIO = sys.stdout
    messages: Messages = field(default_factory=Messages)
    session: ConsoleSession | None = None
    posted: int = 0

    async def post(self, channel: ChannelRef, reply: Reply) -> str:
        self.posted += 1
        print(
            f"\n📣 #{channel.name or channel.channel}\n{render_text(reply, self.messages)}\n",
            file=self.out,
            flush=True,
        )
        if self.session is not None:
            self.session.remember([reply])
        return f"console-{self.posted}"

    async def edit(self, channel: ChannelRef, message_ref: str, reply: Reply) -> None:
        print(
            f"\n📝 #{channel.name or channel.channel} ({message_ref})\n{render_text(reply, self.messages)}\n",
            file=self.out,
            flush=True,
        )


async def run_console(
    dispatcher: Dispatcher,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    messenger: ConsoleMessenger | None = None,
) -> None:
    """Read lines until EOF or /quit; prompt only when a person is typing."""
    session = ConsoleSession(dispatcher)
    if messenger is not None:
        messenger.session = session
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

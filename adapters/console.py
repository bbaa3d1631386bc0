"""The console adapter: a local chat REPL speaking the `/dop` language, and the test harness
that drives whole conversations through the core. Scheduled posts appear in the same terminal."""

from __future__ import annotations

import asyncio
import contextlib
import re
import sys
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

from adapters.plain import render_text, tolerate_bad_bytes
from bot.commands import parse_number, parse_typed_picks
from bot.dispatcher import Dispatcher, Requester
from bot.i18n import Messages
from bot.replies import Choice, Picks, Reply
from bot.storage.refs import ChannelRef

_NUMBERS = re.compile(r"[0-9０-９]+(?:[\s,，、]+[0-9０-９]+)+")  # '2 4', '2,4', '２、４': choices
QUIT_WORDS = frozenset({"/quit", "/exit", "quit", "exit", ":q", "/dop quit", "/dop exit"})
CONSOLE_CHANNEL = ChannelRef("console", "local", "console", "console")


@dataclass
class ConsoleSession:
    """One person talking to the bot; `send` returns what the bot would print.

    A bare number answers the last question shown (a practice question or the channel's daily one);
    so do several ('2 4', '2,4') when it is a multiple-response question. With `files` (a directory),
    a reply's file (the `/dop export` deck, a chart) is saved there and its path shown.
    """

    dispatcher: Dispatcher
    requester: Requester = field(
        default_factory=lambda: Requester(
            platform="console", user_id="local", channel_id="console", workspace_id="local", can_manage=True
        )
    )
    last_choices: tuple[Choice, ...] = ()
    last_picks: Picks | None = None
    files: Path | None = None

    @property
    def messages(self) -> Messages:
        return self.dispatcher.messages_for(self.requester)

    async def send(self, line: str) -> str:
        text = line.strip()
        if text.isdigit():  # '²' too: the answer subcommand then says which numbers it takes
            number = parse_number(text, len(self.last_choices))
            if number is not None and number >= 1:
                text = f"/dop answer {self.last_choices[number - 1].value}"
            else:
                text = f"/dop answer {text}"
        elif self.last_picks is not None and _NUMBERS.fullmatch(text):
            typed = parse_typed_picks(text, len(self.last_choices))
            picks = None if typed is None else self.last_picks.value_for(str(i) for i in typed)
            text = f"/dop answer {picks or text}"
        elif not text.lower().startswith(("/dop", "dop ")) and text.startswith("/"):
            text = "/dop " + text[1:]
        replies = await self.dispatcher.handle(text, self.requester)
        self.remember(replies)
        return "\n\n".join(self.render(r) for r in replies)

    def render(self, reply: Reply) -> str:
        if reply.attachment is None or self.files is None:
            return render_text(reply, self.messages)
        name = Path(reply.attachment.filename).name  # the core names it; no path may come with the name
        path = self.files / name
        try:
            self.files.mkdir(parents=True, exist_ok=True)
            path.write_bytes(reply.attachment.data)
        except OSError as exc:
            saved = self.messages("console.not_saved", name=name, reason=exc.strerror or type(exc).__name__)
        else:
            saved = self.messages("console.saved", path=str(path.resolve()))
        return render_text(replace(reply, attachment=None), self.messages) + "\n" + saved

    def remember(self, replies: list[Reply]) -> None:
        for reply in replies:
            if reply.choices:
                self.last_choices, self.last_picks = reply.choices, reply.picks


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


async def _read_line(stdin: TextIO) -> str:
    """The next line ('' at the end), read in a daemon thread: Ctrl-C then ends the REPL at once,
    where an executor's thread, blocked in `readline`, would be waited for until Enter is pressed."""
    loop = asyncio.get_running_loop()
    line: asyncio.Future[str] = loop.create_future()

    def deliver(text: str) -> None:
        if not line.done():  # cancelled meanwhile: nobody is waiting
            line.set_result(text)

    def read() -> None:
        try:
            text = stdin.readline()
        except (OSError, ValueError):  # a closed or broken input is its end
            text = ""
        with contextlib.suppress(RuntimeError):  # the loop has closed: the REPL is over
            loop.call_soon_threadsafe(deliver, text)

    threading.Thread(target=read, name="console-input", daemon=True).start()
    return await line


async def run_console(
    dispatcher: Dispatcher,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    messenger: ConsoleMessenger | None = None,
    files: Path | None = None,
) -> None:
    """Read lines until EOF, /quit or Ctrl-C; prompt only when a person is typing. Files the bot
    sends are saved in `files`."""
    session = ConsoleSession(dispatcher, files=files)
    if messenger is not None:
        messenger.session = session
    interactive = stdin.isatty()
    tolerate_bad_bytes(stdin)
    print(session.messages("console.welcome"), file=stdout, flush=True)
    try:
        while True:
            if interactive:
                print("dop> ", end="", file=stdout, flush=True)
            line = await _read_line(stdin)
            if not line or line.strip().lower() in QUIT_WORDS:
                break
            if not line.strip():
                continue
            try:
                answer = await session.send(line)
            except Exception as exc:  # the dispatcher never raises; this is for the console's own code
                answer = render_text(dispatcher.apology(session.requester, exc), session.messages)
            print(answer, file=stdout, flush=True)
            print(file=stdout, flush=True)
    finally:  # Ctrl-C (the task is cancelled) says goodbye too
        print(("\n" if interactive else "") + session.messages("console.bye"), file=stdout, flush=True)

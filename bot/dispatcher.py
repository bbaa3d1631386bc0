"""From a `/dop` line to replies: parse, run the subcommand, turn failures into friendly replies."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.commands import MAX_LINE_CHARS, Invocation, parse_command
from bot.i18n import Messages
from bot.lookup import ask_reply, help_reply, too_long_reply, topics_reply
from bot.replies import Reply, ReplyKind
from bot.search import SearchEngine
from bot.storage.database import StorageUnavailable

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Requester:
    """Who asked, and where. Adapters fill it in; `can_manage` is the platform's own verdict."""

    platform: str
    user_id: str
    channel_id: str | None = None
    display_name: str | None = None
    locale: str | None = None
    can_manage: bool = False
    workspace_id: str = "default"


Handler = Callable[[Requester, str, Messages], Awaitable[list[Reply]]]


@dataclass
class Dispatcher:
    """Runs `/dop` commands. Every adapter is handed one; none inherits from it."""

    engine: SearchEngine
    default_locale: str = "ja"
    new_error_id: Callable[[], str] = field(default=lambda: uuid.uuid4().hex[:8])
    handlers: dict[str, Handler] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.handlers.setdefault("ask", self._ask)
        self.handlers.setdefault("topics", self._topics)
        self.handlers.setdefault("help", self._help)

    def messages_for(self, requester: Requester) -> Messages:
        return Messages(requester.locale or self.default_locale)

    async def handle(self, text: str, requester: Requester) -> list[Reply]:
        """Never raises: a user's mistake gets a hint, our own bug an apology with an id."""
        messages = self.messages_for(requester)
        if len(text) > MAX_LINE_CHARS:  # before any work: reading a line costs time in step with it
            return [too_long_reply(messages)]
        try:
            command = parse_command(text)
            if not isinstance(command, Invocation):
                hint = messages("command.unknown", name=command.name)
                if command.suggestion:
                    hint += "\n" + messages("command.did_you_mean", suggestion=f"/dop {command.suggestion}")
                return [Reply(body=hint, footer=messages("command.see_help"), kind=ReplyKind.PROBLEM)]
            handler = self.handlers.get(command.name)
            if handler is None:
                return [Reply(body=messages("command.unknown", name=command.name), kind=ReplyKind.PROBLEM)]
            return await handler(requester, command.args, messages)
        except StorageUnavailable:
            log.warning("database unavailable while handling a command on %s", requester.platform)
            return [Reply(body=messages("storage.unavailable"), kind=ReplyKind.PROBLEM)]
        except Exception as exc:
            return [self.apology(requester, exc)]

    def apology(self, requester: Requester, error: BaseException, what: str = "command") -> Reply:
        """Our own bug: the traceback goes to the log under a new id; the user gets the id to quote."""
        error_id = self.new_error_id()
        log.error("%s failed (error id %s, platform %s)", what, error_id, requester.platform, exc_info=error)
        return Reply(
            body=self.messages_for(requester)("error.unexpected", error_id=error_id), kind=ReplyKind.ERROR
        )

    async def _ask(self, requester: Requester, args: str, messages: Messages) -> list[Reply]:
        return [ask_reply(self.engine, messages, args)]

    async def _topics(self, requester: Requester, args: str, messages: Messages) -> list[Reply]:
        return [topics_reply(self.engine, messages, args)]

    async def _help(self, requester: Requester, args: str, messages: Messages) -> list[Reply]:
        return [help_reply(messages)]

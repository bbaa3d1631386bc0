"""From a `/dop` line to replies: parse, run the subcommand, turn failures into friendly replies."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.commands import MAX_LINE_CHARS, Invocation, parse_command
from bot.i18n import Messages
from bot.replies import Reply, ReplyKind
from bot.search import SearchEngine
from bot.storage.errors import StorageUnavailable
from bot.usecases.lookup import ask_reply, help_reply, too_long_reply, topics_reply

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
FirstTime = Callable[[str, str], Awaitable[bool]]  # (platform, event id): True the first time it is seen


@dataclass
class Dispatcher:
    """Runs `/dop` commands. Every adapter is handed one; none inherits from it."""

    engine: SearchEngine
    default_locale: str = "ja"
    new_error_id: Callable[[], str] = field(default=lambda: uuid.uuid4().hex[:8])
    handlers: dict[str, Handler] = field(default_factory=dict)
    first_time: FirstTime | None = None  # retry dedupe, wired when there is a database

    def __post_init__(self) -> None:
        self.handlers.setdefault("ask", self._ask)
        self.handlers.setdefault("topics", self._topics)
        self.handlers.setdefault("help", self._help)

    def messages_for(self, requester: Requester) -> Messages:
        return Messages(requester.locale or self.default_locale)

    async def handle(self, text: str, requester: Requester, *, event_id: str | None = None) -> list[Reply]:
        """Never raises: a user's mistake gets a hint, our own bug an apology with an id, and a
        database that cannot be used right now the plain "try again" message.

        `event_id` names a platform delivery that may be retried: a delivery seen before gets no
        replies at all. The check is a database write, so it is inside the same guard as the command.
        """
        messages = self.messages_for(requester)
        if len(text) > MAX_LINE_CHARS:  # before any work: reading a line costs time in step with it
            return [too_long_reply(messages)]
        try:
            if await self._seen_before(requester, event_id):
                return []
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
        except StorageUnavailable as exc:
            # The database logs the outage once (bot/storage/database.py); one line per command would flood.
            log.debug(
                "database unavailable while handling a command on %s: %s (%s)",
                requester.platform,
                exc.cause,
                exc.detail,
            )
            key = "storage.unsure" if exc.outcome_unknown else "storage.unavailable"
            return [Reply(body=messages(key), kind=ReplyKind.PROBLEM)]
        except Exception as exc:
            return [self.apology(requester, exc)]

    async def _seen_before(self, requester: Requester, event_id: str | None) -> bool:
        if event_id is None or self.first_time is None:
            return False
        return not await self.first_time(requester.platform, event_id)

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

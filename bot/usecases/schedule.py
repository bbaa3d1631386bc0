"""subscribe, unsubscribe, pause, resume and schedule: the adapter says who may manage the channel,
the core enforces it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from bot.clock import Clock
from bot.commands import Invocation, parse_command
from bot.dispatcher import Handler, Requester
from bot.i18n import Messages
from bot.replies import Reply, ReplyKind
from bot.scheduler.messages import summary
from bot.scheduler.settings import ScheduleProblem, parse_subscribe
from bot.storage.subscriptions import Subscriptions
from bot.usecases.stats import channel_of

Changed = Callable[[], Awaitable[None]]
# The subcommands that change a channel's schedule: only someone who manages the channel may run them.
MANAGING = frozenset({"subscribe", "unsubscribe", "pause", "resume"})


def changes_schedule(text: str) -> bool:
    """Whether a `/dop` line is one of MANAGING (an adapter asks the platform only for those)."""
    command = parse_command(text)
    return isinstance(command, Invocation) and command.name in MANAGING


async def _nothing() -> None:
    return None


def schedule_handlers(
    subscriptions: Subscriptions,
    clock: Clock,
    on_change: Changed = _nothing,
) -> dict[str, Handler]:
    async def subscribe(requester: Requester, args: str, messages: Messages) -> list[Reply]:
        channel = channel_of(requester)
        current = await subscriptions.get(channel, clock.now())
        parsed = parse_subscribe(args, current)
        if isinstance(parsed, ScheduleProblem):
            return [Reply(body=messages(parsed.key, value=parsed.value[:40]), kind=ReplyKind.PROBLEM)]
        await subscriptions.save(channel, replace(parsed, paused=False), clock.now())
        await on_change()
        return [Reply(body=messages("schedule.saved", summary=summary(parsed, messages)), private=False)]

    async def unsubscribe(requester: Requester, args: str, messages: Messages) -> list[Reply]:
        removed = await subscriptions.remove(channel_of(requester), clock.now())
        await on_change()
        return [Reply(body=messages("schedule.removed" if removed else "schedule.none"), private=False)]

    async def set_paused(requester: Requester, messages: Messages, paused: bool) -> list[Reply]:
        channel = channel_of(requester)
        current = await subscriptions.get(channel, clock.now())
        if current is None:
            return [Reply(body=messages("schedule.none"), kind=ReplyKind.PROBLEM)]
        await subscriptions.save(channel, replace(current, paused=paused), clock.now())
        await on_change()
        return [Reply(body=messages("schedule.paused" if paused else "schedule.resumed"), private=False)]

    async def pause(requester: Requester, args: str, messages: Messages) -> list[Reply]:
        return await set_paused(requester, messages, True)

    async def resume(requester: Requester, args: str, messages: Messages) -> list[Reply]:
        return await set_paused(requester, messages, False)

    async def schedule(requester: Requester, args: str, messages: Messages) -> list[Reply]:
        current = await subscriptions.get(channel_of(requester), clock.now())
        if current is None:
            return [Reply(body=messages("schedule.none"))]
        lines = [
            summary(current, messages) + (f" {messages('schedule.state_paused')}" if current.paused else "")
        ]
        upcoming = current.next_post(clock.now())
        if upcoming is not None:
            lines.append(messages("schedule.next", when=upcoming.strftime("%Y-%m-%d %H:%M %Z")))
        return [Reply(body="\n".join(lines))]

    handlers: dict[str, Handler] = {
        "subscribe": subscribe,
        "unsubscribe": unsubscribe,
        "pause": pause,
        "resume": resume,
        "schedule": schedule,
    }
    return {name: _managed(h) if name in MANAGING else h for name, h in handlers.items()}


def _managed(handler: Handler) -> Handler:
    """The handler, refused to anyone the platform did not say manages the channel."""

    async def checked(requester: Requester, args: str, messages: Messages) -> list[Reply]:
        if not requester.can_manage:
            return [Reply(body=messages("schedule.not_allowed"), kind=ReplyKind.PROBLEM)]
        return await handler(requester, args, messages)

    return checked

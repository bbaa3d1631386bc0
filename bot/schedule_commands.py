"""subscribe, unsubscribe, pause, resume and schedule: the adapter says who may manage the channel,
the core enforces it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime

from bot.clock import Clock
from bot.dispatcher import Handler, Requester
from bot.i18n import Messages
from bot.replies import Reply, ReplyKind
from bot.scheduler.messages import summary
from bot.scheduler.settings import ScheduleProblem, parse_subscribe
from bot.stats_commands import channel_of
from bot.storage.subscriptions import Subscriptions

Changed = Callable[[], Awaitable[None]]


async def _nothing() -> None:
    return None


def schedule_handlers(
    subscriptions: Subscriptions,
    clock: Clock,
    on_change: Changed = _nothing,
    next_post: Callable[[Requester], Awaitable[datetime | None]] | None = None,
) -> dict[str, Handler]:
    def refuse(messages: Messages) -> list[Reply]:
        return [Reply(body=messages("schedule.not_allowed"), kind=ReplyKind.PROBLEM)]

    async def subscribe(requester: Requester, args: str, messages: Messages) -> list[Reply]:
        if not requester.can_manage:
            return refuse(messages)
        channel = channel_of(requester)
        current = await subscriptions.get(channel, clock.now())
        parsed = parse_subscribe(args, current)
        if isinstance(parsed, ScheduleProblem):
            return [Reply(body=messages(parsed.key, value=parsed.value[:40]), kind=ReplyKind.PROBLEM)]
        await subscriptions.save(channel, replace(parsed, paused=False), clock.now())
        await on_change()
        return [Reply(body=messages("schedule.saved", summary=summary(parsed, messages)), private=False)]

    async def unsubscribe(requester: Requester, args: str, messages: Messages) -> list[Reply]:
        if not requester.can_manage:
            return refuse(messages)
        removed = await subscriptions.remove(channel_of(requester), clock.now())
        await on_change()
        return [Reply(body=messages("schedule.removed" if removed else "schedule.none"), private=False)]

    async def set_paused(requester: Requester, messages: Messages, paused: bool) -> list[Reply]:
        if not requester.can_manage:
            return refuse(messages)
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

    return {
        "subscribe": subscribe,
        "unsubscribe": unsubscribe,
        "pause": pause,
        "resume": resume,
        "schedule": schedule,
    }

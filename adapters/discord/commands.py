"""`/dop` as a Discord app-command group: one subcommand per core subcommand, typed options with
autocomplete, and Discord-side checks for schedule changes. Each callback only builds the `/dop`
line the core understands; the core does the rest."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.app_commands import locale_str

from adapters.discord.bridge import Bridge
from bot.completion import Suggestion, complete_days, complete_time, complete_zone
from bot.i18n import Messages
from bot.usecases.flags import REASON_CHARS

_EN = Messages("en")
_JA = Messages("ja")
DESCRIPTION_LIMIT = 100


def _text(key: str) -> locale_str:
    """English by default (Discord's base locale); Japanese clients get the translation below."""
    return locale_str(_EN(key)[:DESCRIPTION_LIMIT], key=key)


class CatalogueTranslator(app_commands.Translator):
    """Command and option descriptions from the bot's own message catalogue (sent when syncing)."""

    async def translate(
        self, string: locale_str, locale: discord.Locale, context: app_commands.TranslationContextTypes
    ) -> str | None:
        key = string.extras.get("key")
        if key is None or locale is not discord.Locale.japanese:
            return None
        return _JA(key)[:DESCRIPTION_LIMIT]


class NotInServer(app_commands.CheckFailure):
    """Schedules belong to server channels, not direct messages."""


class NotManager(app_commands.CheckFailure):
    """The person lacks Manage Channels and Manage Server here."""


def _may_manage(interaction: discord.Interaction[Any]) -> bool:
    """Manage Channels or Manage Server in this channel (Discord resolves roles and overwrites)."""
    if interaction.guild_id is None:
        raise NotInServer()
    permissions = interaction.permissions
    if not (permissions.manage_channels or permissions.manage_guild or permissions.administrator):
        raise NotManager()
    return True


# What the bot needs in a channel to post the daily question, edit it at the reveal and attach the chart.
POSTING = ("view_channel", "embed_links", "attach_files", "read_message_history")


def missing_for_posting(interaction: discord.Interaction[Any]) -> list[str]:
    """Permissions the bot lacks in this channel (Discord sends them as app_permissions)."""
    mine = interaction.app_permissions
    send = "send_messages_in_threads" if isinstance(interaction.channel, discord.Thread) else "send_messages"
    return [name for name in (send, *POSTING) if not getattr(mine, name)]


def _choices(suggestions: list[Suggestion]) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=s.label, value=s.value) for s in suggestions]


def _line(*parts: str | None) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def install_commands(tree: app_commands.CommandTree[Any], bridge: Bridge) -> app_commands.Group:
    """Add the `/dop` group to `tree`; returns it (tests and `discord sync` use the tree)."""
    group = app_commands.Group(name="dop", description=_text("discord.group"))
    manage = app_commands.check(_may_manage)
    completer = bridge.completer

    async def topic_choices(interaction: discord.Interaction[Any], current: str) -> list[Any]:
        return _choices(completer.complete(current))

    async def service_choices(interaction: discord.Interaction[Any], current: str) -> list[Any]:
        return _choices(completer.complete(current, services_only=True))

    @group.command(name="ask", description=_text("cmd.ask.help"))
    @app_commands.describe(query=_text("discord.option.query"))
    @app_commands.autocomplete(query=topic_choices)
    async def ask(interaction: discord.Interaction[Any], query: str) -> None:
        await bridge.run(interaction, _line("ask", query))

    @group.command(name="topics", description=_text("cmd.topics.help"))
    @app_commands.describe(service=_text("discord.option.service"))
    @app_commands.autocomplete(service=service_choices)
    async def topics(interaction: discord.Interaction[Any], service: str | None = None) -> None:
        await bridge.run(interaction, _line("topics", service))

    @group.command(name="quiz", description=_text("cmd.quiz.help"))
    @app_commands.describe(service=_text("discord.option.service"))
    @app_commands.autocomplete(service=service_choices)
    async def quiz(interaction: discord.Interaction[Any], service: str | None = None) -> None:
        await bridge.run(interaction, _line("quiz", service))

    @group.command(name="review", description=_text("cmd.review.help"))
    async def review(interaction: discord.Interaction[Any]) -> None:
        await bridge.run(interaction, "review")

    @group.command(name="answer", description=_text("cmd.answer.help"))
    @app_commands.describe(number=_text("discord.option.number"))
    async def answer(interaction: discord.Interaction[Any], number: app_commands.Range[int, 1, 25]) -> None:
        await bridge.run(interaction, f"answer {number}")

    @group.command(name="exam", description=_text("cmd.exam.help"))
    @app_commands.describe(count=_text("discord.option.count"), stop=_text("discord.option.stop"))
    async def exam(
        interaction: discord.Interaction[Any],
        count: app_commands.Range[int, 1, 75] | None = None,
        stop: bool = False,
    ) -> None:
        await bridge.run(interaction, _line("exam", "stop" if stop else str(count) if count else None))

    @group.command(name="flag", description=_text("cmd.flag.help"))
    @app_commands.describe(question=_text("discord.option.question"), reason=_text("discord.option.reason"))
    async def flag(
        interaction: discord.Interaction[Any],
        question: app_commands.Range[str, 1, 64],
        reason: app_commands.Range[str, 1, REASON_CHARS] | None = None,
    ) -> None:
        # An id has no spaces: one typed with some is still one id (and the core says if it is unknown).
        await bridge.run(interaction, _line("flag", "".join(question.split()), reason))

    @group.command(name="stats", description=_text("cmd.stats.help"))
    async def stats(interaction: discord.Interaction[Any]) -> None:
        await bridge.run(interaction, "stats")

    @group.command(name="export", description=_text("cmd.export.help"))
    async def export(interaction: discord.Interaction[Any]) -> None:
        await bridge.run(interaction, "export")

    @group.command(name="report", description=_text("cmd.report.help"))
    @app_commands.describe(week=_text("discord.option.week"))
    async def report(interaction: discord.Interaction[Any], week: str | None = None) -> None:
        await bridge.run(interaction, _line("report", week))

    async def time_choices(interaction: discord.Interaction[Any], current: str) -> list[Any]:
        return _choices(complete_time(current))

    async def zone_choices(interaction: discord.Interaction[Any], current: str) -> list[Any]:
        return _choices(complete_zone(current))

    async def day_choices(interaction: discord.Interaction[Any], current: str) -> list[Any]:
        return _choices(complete_days(current))

    @group.command(name="subscribe", description=_text("cmd.subscribe.help"))
    @app_commands.describe(
        time=_text("discord.option.time"),
        timezone=_text("discord.option.timezone"),
        weekdays=_text("discord.option.weekdays"),
    )
    @app_commands.autocomplete(time=time_choices, timezone=zone_choices, weekdays=day_choices)
    @manage
    async def subscribe(
        interaction: discord.Interaction[Any],
        time: str | None = None,
        timezone: str | None = None,
        weekdays: str | None = None,
    ) -> None:
        missing = missing_for_posting(interaction)
        if missing:  # better said now than as a failed post at 09:00 that nobody sees
            names = ", ".join(name.replace("_", " ").title() for name in missing)
            await bridge.refuse(interaction, "discord.cannot_post", permissions=names)
            return
        # Spaces inside one option ('mon, wed') must not split it into two words for the grammar.
        days = weekdays.replace(" ", "") if weekdays else None
        await bridge.run(interaction, _line("subscribe", time, timezone, days), can_manage=True)

    @group.command(name="unsubscribe", description=_text("cmd.unsubscribe.help"))
    @manage
    async def unsubscribe(interaction: discord.Interaction[Any]) -> None:
        await bridge.run(interaction, "unsubscribe", can_manage=True)

    @group.command(name="pause", description=_text("cmd.pause.help"))
    @manage
    async def pause(interaction: discord.Interaction[Any]) -> None:
        await bridge.run(interaction, "pause", can_manage=True)

    @group.command(name="resume", description=_text("cmd.resume.help"))
    @manage
    async def resume(interaction: discord.Interaction[Any]) -> None:
        await bridge.run(interaction, "resume", can_manage=True)

    @group.command(name="schedule", description=_text("cmd.schedule.help"))
    async def schedule(interaction: discord.Interaction[Any]) -> None:
        await bridge.run(interaction, "schedule")

    @group.command(name="help", description=_text("cmd.help.help"))
    async def help_(interaction: discord.Interaction[Any]) -> None:
        await bridge.run(interaction, "help")

    @tree.error
    async def on_error(interaction: discord.Interaction[Any], error: app_commands.AppCommandError) -> None:
        if isinstance(error, NotInServer):
            await bridge.refuse(interaction, "schedule.server_only")
        elif isinstance(error, NotManager):
            await bridge.refuse(interaction, "schedule.not_allowed")
        else:
            await bridge.fail(interaction, error)

    tree.add_command(group)
    return group

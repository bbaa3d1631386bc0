"""Who a command's reply is for, known before the command runs.

An adapter that must choose up front asks here: Discord fixes the privacy of a slow reply when it
defers, and cannot change it afterwards. A test runs every subcommand and checks its reply against this.
"""

from __future__ import annotations

from bot.commands import Invocation, parse_command

# The weekly report and changes to the channel's schedule are answered for everyone in the channel;
# everything else only to the person who asked (a mistake in any of them, too).
IN_CHANNEL = frozenset({"report", "subscribe", "unsubscribe", "pause", "resume"})


def answers_in_channel(text: str) -> bool:
    """Whether a `/dop` line's reply, when all goes well, is for the whole channel."""
    command = parse_command(text)
    return isinstance(command, Invocation) and command.name in IN_CHANNEL

"""The shared `/dop` grammar."""

from __future__ import annotations

import pytest

from bot.commands import Invocation, UnknownCommand, parse_command, strip_prefix


@pytest.mark.parametrize(
    ("line", "name", "args"),
    [
        ("/dop ask elb 503", "ask", "elb 503"),
        ("dop ask  elb 503 ", "ask", "elb 503"),
        ("ask elb 503", "ask", "elb 503"),
        ("/dop elb 503", "ask", "elb 503"),
        ("/DOP Ask drift", "ask", "drift"),
        ("/dop 検索 ドリフト", "ask", "ドリフト"),
        ("/dop topics kinesis", "topics", "kinesis"),
        ("/dop t", "topics", ""),
        ("/dop", "help", ""),
        ("", "help", ""),
        ("/dop help", "help", ""),
        ("/dop ?", "help", ""),
        ("/dop\u3000ask ドリフト", "ask", "ドリフト"),
    ],
)
def test_lines_become_subcommands(line: str, name: str, args: str) -> None:
    assert parse_command(line) == Invocation(name, args)


def test_a_near_miss_of_a_subcommand_is_pointed_out_not_searched() -> None:
    assert parse_command("/dop hepl") == UnknownCommand("hepl", "help")
    assert parse_command("/dop tpoics") == UnknownCommand("tpoics", "topics")  # a transposition
    assert parse_command("/dop tpoicz") == Invocation("ask", "tpoicz")  # two edits: a question
    assert parse_command("/dop helm chart") == Invocation("ask", "helm chart")


def test_prefix_must_be_a_whole_word() -> None:
    assert strip_prefix("/dopask x") == "/dopask x"
    assert strip_prefix("dopamine") == "dopamine"

"""Autocomplete suggestions: services and topics from the notes, timezones, times, weekday patterns."""

from __future__ import annotations

import pytest

from bot.completion import LIMIT, TopicCompleter, complete_days, complete_time, complete_zone
from bot.scheduler.settings import Schedule, parse_days, parse_subscribe, parse_time, parse_zone
from bot.search import SearchEngine


@pytest.fixture(scope="module")
def completer(engine: SearchEngine) -> TopicCompleter:
    return TopicCompleter.of(engine)


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("cfn", "AWS CloudFormation"),  # an abbreviation from the glossary
        ("ssm", "AWS Systems Manager"),
        ("dynamdb", "Amazon DynamoDB"),  # a typo
        ("elb", "Elastic Load Balancing (ELB)"),
    ],
)
def test_services_come_first_for_what_the_glossary_reads(
    completer: TopicCompleter, typed: str, first: str
) -> None:
    assert completer.complete(typed)[0].value == first


def test_topics_of_the_notes_are_offered(completer: TopicCompleter) -> None:
    values = [s.value for s in completer.complete("SSM Automation")]
    assert "SSM Automation" in values
    assert all(len(s.label) <= 100 and len(s.value) <= 100 for s in completer.complete("e"))


def test_no_input_offers_services_and_every_answer_fits_discord(completer: TopicCompleter) -> None:
    empty = completer.complete("")
    assert len(empty) == min(LIMIT, len(completer.services))
    assert {s.value for s in empty} <= set(completer.services)
    assert completer.complete("x" * 10_000) == []  # a paste of nonsense: nothing, quickly
    assert len(completer.complete("a")) <= LIMIT


def test_services_only_leaves_topics_out(completer: TopicCompleter) -> None:
    assert {s.value for s in completer.complete("dynamo", services_only=True)} <= set(completer.services)


def test_timezones() -> None:
    assert complete_zone("")[0].value == "Asia/Tokyo"
    assert complete_zone("jst")[0].value == "Asia/Tokyo"  # an alias resolves to its zone
    found = [s.value for s in complete_zone("york")]
    assert found[0] == "America/New_York"
    assert all(parse_zone(v) == v for v in found)
    assert complete_zone("nowhere/at-all") == []


def test_times_complete_what_was_typed_and_always_parse() -> None:
    assert [s.value for s in complete_time("7")] == ["07:00", "07:30"]
    assert [s.value for s in complete_time("7:45")] == ["07:45"]
    assert [s.value for s in complete_time("8時")] == ["08:00"]
    assert "17:00" in [s.value for s in complete_time("17")]
    for typed in ("", "1", "12", "23", "0"):
        assert all(parse_time(s.value) is not None for s in complete_time(typed))


def test_weekday_patterns_all_parse() -> None:
    offered = complete_days("")
    assert len(offered) >= 4
    assert all(parse_days(s.value) is not None for s in offered)
    assert complete_days("mon,thu")[0].value == "mon,thu"  # typed and valid: offered as typed
    assert [s.value for s in complete_days("平日")] == ["平日"]  # the same days are not offered twice
    assert [s.value for s in complete_days("週")] == ["sat,sun"]
    schedule = parse_subscribe(
        " ".join(["07:30", complete_zone("jst")[0].value, complete_days("週末")[0].value])
    )
    assert isinstance(schedule, Schedule)
    assert schedule.weekdays == ("sat", "sun")

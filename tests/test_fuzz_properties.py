"""Properties of the parsers every typed line goes through: on any text they answer, never raise."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.commands import (
    MAX_CHOICE,
    MAX_ID,
    MAX_PICKS,
    Invocation,
    UnknownCommand,
    parse_command,
    parse_number,
    parse_picks,
    parse_typed_picks,
)
from bot.dispatcher import Dispatcher, Requester
from bot.replies import ReplyKind
from bot.scheduler.settings import Schedule, ScheduleProblem, parse_subscribe
from bot.search import SearchEngine
from bot.stats.calendar import week_bounds
from bot.usecases.daily import parse_daily_value
from bot.usecases.practice import parse_choice_value
from bot.usecases.stats import valid_week

# Any text, with the characters the fuzz corpus leans on made likely.
LIKELY = "0123456789²³①٣３:-/+,、 \x00\u200b\u202e😀WdailypracticeＷ"
texts = st.one_of(st.text(), st.text(alphabet=LIKELY), st.text(alphabet=st.characters(codec=None)))
numbers = st.one_of(st.integers(min_value=-(10**30), max_value=10**30).map(str), texts)


@given(texts)
def test_the_command_parser_reads_any_text(text: str) -> None:
    assert isinstance(parse_command(text), Invocation | UnknownCommand)


@given(numbers, st.integers(min_value=0, max_value=MAX_ID))
def test_numbers_are_ascii_and_within_the_maximum(text: str, maximum: int) -> None:
    value = parse_number(text, maximum)
    if value is not None:
        assert 0 <= value <= maximum
    ascii_digits = text.isascii() and text.isdigit()
    if ascii_digits and int(text) <= maximum:
        assert value == int(text)
    if not any(c.isdigit() for c in text):
        assert value is None


@given(st.lists(numbers, min_size=2, max_size=4).map(lambda parts: ":".join(["daily", *parts])))
def test_daily_values_hold_ids_the_database_can_store(value: str) -> None:
    parsed = parse_daily_value(value)
    if parsed is not None:
        post, picks, _ = parsed
        assert 0 <= post <= MAX_ID and all(0 <= pick <= MAX_CHOICE for pick in picks)


@given(texts, numbers)
def test_practice_values_hold_small_choices(question: str, index: str) -> None:
    parsed = parse_choice_value(f"practice:{question}:{index}")
    if parsed is not None:
        assert all(0 <= pick <= MAX_CHOICE for pick in parsed[1])


picks_texts = st.one_of(texts, st.lists(numbers, max_size=10).map("+".join))


@given(picks_texts)
def test_picks_are_few_distinct_ascending_small_choices(text: str) -> None:
    picks = parse_picks(text)
    if picks is not None:
        assert len(picks) <= MAX_PICKS and list(picks) == sorted(set(picks))
        assert all(0 <= pick <= MAX_CHOICE for pick in picks)
        assert set(text) <= set("0123456789０１２３４５６７８９+")  # digits and separators only


@given(st.lists(st.integers(0, MAX_CHOICE), min_size=1, max_size=MAX_PICKS, unique=True))
def test_picks_read_back_what_a_menu_sends(picks: list[int]) -> None:
    assert parse_picks("+".join(map(str, picks))) == tuple(sorted(picks))
    assert parse_picks("+".join(map(str, [*picks, picks[0]]))) is None  # one twice


@given(texts, st.integers(1, 8))
def test_typed_picks_are_choice_numbers(text: str, count: int) -> None:
    picks = parse_typed_picks(text, count)
    if picks is not None:
        assert 1 <= len(picks) <= MAX_PICKS and list(picks) == sorted(set(picks))
        assert all(0 <= pick < count for pick in picks)


@given(texts)
def test_subscribe_arguments_are_a_schedule_or_a_problem(text: str) -> None:
    parsed = parse_subscribe(text)
    assert isinstance(parsed, Schedule | ScheduleProblem)
    if isinstance(parsed, Schedule):
        parsed.next_post(parsed.fire_time(week_bounds("2026-W48")[0]))  # a real schedule: it computes


@given(st.one_of(texts, st.builds("{}-W{:02d}".format, st.integers(0, 10_000), st.integers(0, 60))))
def test_a_valid_week_has_a_week_before_and_after_it(text: str) -> None:
    if valid_week(text):
        monday, sunday = week_bounds(text)
        assert monday - timedelta(days=7) < sunday + timedelta(days=7)


@settings(max_examples=300)
@given(texts)
def test_the_dispatcher_answers_any_text_without_an_error_id(engine: SearchEngine, text: str) -> None:
    dispatcher = Dispatcher(engine=engine, new_error_id=lambda: "err-property")
    replies = asyncio.run(dispatcher.handle(text, Requester(platform="test", user_id="u")))
    assert replies and all(r.kind is not ReplyKind.ERROR for r in replies)

"""The `/dop` command language, shared by every adapter: subcommands, their aliases and help."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import OSA

PREFIXES = ("/dop", "dop")

# The longest line the core reads; longer ones get a hint. Reading a query costs time in step with its
# length (up to about 0.04 ms a character for unknown words, all of it on the event loop): 500 keeps any
# command near 20 ms, and is longer than any useful question.
MAX_LINE_CHARS = 500
MAX_ID = 2**31 - 1  # the largest row id both databases hold: Postgres `integer` is 32-bit
MAX_CHOICE = 24  # a choice index from a button: more than any question has (Discord allows 25 options)
MAX_PICKS = 8  # choices picked at once (a multiple-response answer): no question has more choices
PICK_SEPARATOR = "+"  # between the choices of one answer in a button's value: 'daily:12:1+3:<question>'

_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}  # ！..～ → !..~


def narrow(text: str) -> str:
    """Fullwidth ASCII, as a Japanese IME types it ('２３：５９'), as plain ASCII."""
    return text.translate(_FULLWIDTH)


def parse_number(text: str, maximum: int) -> int | None:
    """A whole number from 0 to `maximum` written in ASCII digits (or fullwidth ones), else None.

    `str.isdigit()` alone is not enough: it accepts '²' and '①', which `int()` refuses, and other
    scripts' digits, which nobody means here. The length is checked first, so no huge string is converted.
    """
    digits = narrow(text)
    if not (digits.isascii() and digits.isdigit()) or len(digits.lstrip("0")) > len(str(maximum)):
        return None
    value = int(digits)
    return value if value <= maximum else None


def parse_picks(text: str, maximum: int = MAX_CHOICE) -> tuple[int, ...] | None:
    """The choices of one answer as a button or menu carries them ('2', '1+3'): ascending, or None.

    Each is a number `parse_number` reads, none twice, at most `MAX_PICKS`; '' is an answer with no
    choice (a submit with nothing ticked), which the question then refuses by its count.
    """
    if not text:
        return ()
    parts = text.split(PICK_SEPARATOR, MAX_PICKS)  # a long string is never split into a long list
    if len(parts) > MAX_PICKS:
        return None
    numbers = [parse_number(part, maximum) for part in parts]
    picks = {n for n in numbers if n is not None}
    if len(picks) != len(parts):  # one unreadable, or one twice
        return None
    return tuple(sorted(picks))


def parse_typed_picks(text: str, count: int) -> tuple[int, ...] | None:
    """Choice numbers as a person types them ('2', '2 4', '2,4', '２、４'), 1 to `count`, as
    ascending indices from 0; None if any is not one of them or comes twice."""
    words = narrow(text).replace("、", ",").replace(",", " ").split()
    if not words or len(words) > MAX_PICKS:
        return None
    numbers = [parse_number(word, count) for word in words]
    picks = {n - 1 for n in numbers if n is not None and n >= 1}
    return tuple(sorted(picks)) if len(picks) == len(words) else None


@dataclass(frozen=True)
class Subcommand:
    name: str
    aliases: tuple[str, ...]
    example: str

    @property
    def usage_key(self) -> str:
        return f"cmd.{self.name}.usage"

    @property
    def help_key(self) -> str:
        return f"cmd.{self.name}.help"


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand("ask", ("a", "search", "検索", "質問"), "/dop ask elb 503"),
    Subcommand("topics", ("topic", "t", "トピック", "一覧"), "/dop topics dynamodb"),
    Subcommand("quiz", ("q", "practice", "クイズ", "問題", "練習"), "/dop quiz dynamodb"),
    Subcommand("review", ("r", "復習"), "/dop review"),
    Subcommand("answer", ("ans", "回答", "答え"), "/dop answer 2"),
    Subcommand("exam", ("mock", "模試", "模擬試験", "試験"), "/dop exam 20"),
    Subcommand("flag", ("報告", "通報"), "/dop flag num-1a2b3c4d5e 選択肢2も正しい"),
    Subcommand("stats", ("stat", "成績", "記録"), "/dop stats"),
    Subcommand("export", ("anki", "エクスポート", "書き出し"), "/dop export"),
    Subcommand("report", ("レポート", "週報"), "/dop report"),
    Subcommand("subscribe", ("sub", "購読", "配信"), "/dop subscribe 09:00 Asia/Tokyo mon-fri"),
    Subcommand("unsubscribe", ("unsub", "購読解除", "配信停止"), "/dop unsubscribe"),
    Subcommand("pause", ("一時停止",), "/dop pause"),
    Subcommand("resume", ("再開",), "/dop resume"),
    Subcommand("schedule", ("設定", "予定"), "/dop schedule"),
    Subcommand("help", ("h", "?", "ヘルプ", "使い方"), "/dop help"),
)
_BY_NAME = {name: sub for sub in SUBCOMMANDS for name in (sub.name, *sub.aliases)}


@dataclass(frozen=True)
class Invocation:
    """A subcommand and the rest of the line, as typed."""

    name: str
    args: str


@dataclass(frozen=True)
class UnknownCommand:
    name: str
    suggestion: str | None


def strip_prefix(text: str) -> str:
    """'/dop ask x' and 'dop ask x' → 'ask x'; Slack and Discord already strip it."""
    stripped = text.strip()
    for prefix in PREFIXES:
        if stripped.lower() == prefix:
            return ""
        if stripped.lower().startswith(prefix + " ") or stripped.lower().startswith(prefix + "\u3000"):
            return stripped[len(prefix) :].strip()
    return stripped


def parse_command(text: str) -> Invocation | UnknownCommand:
    """Read one `/dop` line. A line that starts with no subcommand is a question for `ask`,
    unless its only word is a near-miss of a subcommand ('/dop hepl')."""
    line = strip_prefix(text)
    if not line:
        return Invocation("help", "")
    first, _, rest = line.partition(" ")
    sub = _BY_NAME.get(first.lower())
    if sub is not None:
        return Invocation(sub.name, rest.strip())
    if not rest.strip() and first.isascii() and len(first) >= 3:
        near = min(SUBCOMMANDS, key=lambda s: OSA.distance(first.lower(), s.name))
        if OSA.distance(first.lower(), near.name) <= 1 and len(near.name) > 3:
            return UnknownCommand(first, near.name)
    return Invocation("ask", line)

"""A seeded corpus of hostile `/dop` lines: the same seed gives the same lines on every machine.

Each line carries whether it is certainly a mistake (`bad`): those must get a hint (a PROBLEM reply).
The others (mutations, random words) may be anything a person could mean; they must only never
get an error id.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from adapters.console import CONSOLE_CHANNEL, ConsoleSession
from bot.bootstrap import Core, start_core
from bot.clock import Clock
from bot.config import Settings
from bot.replies import Reply
from bot.storage.refs import UserRef

SEED = 11
LONG = 100_000  # the length of the longest lines: a paste gone wrong

CONTROL = [chr(c) for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))]
INVISIBLE = [
    "\u200b",  # zero-width space
    "\u200c",
    "\u200d",  # zero-width joiner
    "\u2060",  # word joiner
    "\ufeff",  # byte order mark
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",  # right-to-left override
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u00ad",  # soft hyphen
    "\u034f",  # combining grapheme joiner
    "\u3000",  # ideographic space
    "\u00a0",
    "\u2028",  # line separator
    "\u2029",
    "\u0085",  # next line
]
EMOJI = ["😀", "👍🏽", "👨‍👩‍👧‍👦", "🇯🇵", "🏳️‍🌈", "❤️", "1️⃣", "#️⃣", "🔟", "🧑🏿‍💻", "\U0001f9ea", "🫠"]
ODD = [
    "\ud800",
    "\udfff",
    "\U0010ffff",
    "\ufffd",
    "\uffff",
    "a\u0301\u0301\u0301",
    "ﷺ",
    "𒐫",
    "ᄀᄀᄀ",
    "Ω",
    "ǅ",
]
DIGIT_SETS = [
    "٠١٢٣٤٥٦٧٨٩",  # Arabic-Indic
    "۰۱۲۳۴۵۶۷۸۹",  # extended Arabic-Indic
    "०१२३४५६७८९",  # Devanagari
    "০১২৩৪৫৬৭৮৯",  # Bengali
    "๐๑๒๓๔๕๖๗๘๙",  # Thai
    "０１２３４５６７８９",  # fullwidth
    "⁰¹²³⁴⁵⁶⁷⁸⁹",  # superscripts: isdigit() but not int()
    "₀₁₂₃₄₅₆₇₈₉",  # subscripts
    "⓪①②③④⑤⑥⑦⑧⑨",  # circled
    "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗",  # mathematical bold
    "᧐᧑᧒᧓᧔᧕᧖᧗᧘᧙",  # New Tai Lue
]
HUGE = [
    "9223372036854775808",
    "9223372036854775807",
    "2147483648",
    "2147483647",
    "4294967296",
    "18446744073709551616",
    "-1",
    "-2147483649",
    "+1",
    "0",
    "00000000000000000000009",  # 9 is more choices than any question has
    "1e309",
    "1_000",
    "0x10",
    "1.5",
    "NaN",
    "inf",
    "9" * 5000,  # more digits than int() reads by default
]
BAD_TIMES = [
    "25:00",
    "24:00",
    "23:60",
    "9:5",
    "09:00:00",
    "-1:00",
    "99999999999999999999:00",
    "12:00pm",
    "noon",
    "9時60分",
    "25時",
    "٠٩:٠٠",
    "⁰⁹:⁰⁰",
    "①:００",
    "09：99",
    "9999時9999分",
    "0:-1",
    "1:",
    ":30",
    "９９:００",
]
BAD_ZONES = [
    "Asia/Tokio",
    "UTC+9",
    "Etc/GMT+99",
    "../../etc/passwd",
    "/etc/localtime",
    "America/",
    "/",
    "Asia/Tokyo/",
    "Asia//Tokyo",
    "Asia/東京",
    "Europe/Lon\x00don",
    "x/" + "y" * 300,
    "Asia\\Tokyo",
    "~/tz",
]
BAD_DAYS = [
    "funday",
    "mon-",
    "-fri",
    "mon--fri",
    "mon-fri-sat",
    "monday-funday",
    "曜",
    "・",
    "月曜x",
    "mon..fri",
    "moon",
    "sat-sun-mon",
    "月-",
    "👍",
]
BAD_WEEKS = [
    "9999-W52",
    "9999-W53",
    "0001-W01",
    "0000-W01",
    "2026-W00",
    "2026-W54",
    "2025-W53",
    "10000-W01",
    "2026-W4",
    "2026W48",
    "2026-W48-1",
    "٢٠٢٦-W48",
    "２０２６-W48",
    "²⁰²⁶-W48",
    "-2026-W48",
    "2026-W99999999999999999999",
    "99999999999999999999-W01",
]
BAD_ANSWERS = [
    "daily:9223372036854775808:0",
    "daily:2147483648:0",
    "daily:4294967296:1",
    "daily:1:9223372036854775808",
    "daily:1:2147483648",
    "daily:-1:0",
    "daily:1:-1",
    "daily:²:0",
    "daily:1:²",
    "daily:١:0",
    "daily::0",
    "daily:1:",
    "daily:1:0:",
    "daily:1:0:x:y",
    "practice::0",
    "practice:x:²",
    "practice:x:-1",
    "practice:x:9223372036854775808",
    # several choices at once (a multiple-response answer), malformed, or too many for its question
    "daily:1:1+1",
    "daily:1:0+",
    "daily:1:+0",
    "daily:1:0++1",
    "daily:1:0+²",
    "daily:1:0+-1",
    "daily:1:0+1+2+3+4+5+6+7+8",
    "daily:1:0+2147483648",
    "daily:14:0+1",
    "daily:14:0+1:x",
    "practice:x:1+1",
    "practice:x:0+25",
    "practice:x:0+",
    "²",
    "³",
    "0",
    "-1",
    "٣",
    "9223372036854775808",
    "2147483648",
]
BARE_NUMBERS = ["²", "³", "0", "٣", "¹⁰", "９９", "9223372036854775808", "2147483648", "9" * 5000]
VALID = [
    "/dop ask elb 503",
    "/dop help",
    "/dop",
    "help",
    "/dop topics",
    "/dop topics dynamodb",
    "/dop quiz",
    "/dop quiz dynamodb",
    "/dop quiz Networking",
    "/dop review",
    "/dop answer 2",
    "/dop stats",
    "/dop report",
    "/dop report 2026-W48",
    "/dop subscribe",
    "/dop subscribe 09:00 Asia/Tokyo mon-fri",
    "/dop subscribe 21:30 America/New_York mon,wed,fri",
    "/dop subscribe 8時 JST 平日",
    "/dop schedule",
    "/dop pause",
    "/dop resume",
    "/dop unsubscribe",
    "/dop answer daily:1:0",
    "/dop answer practice:q:1",
    "2",
    "/help",
    "elb 503",
    "cloudformation drift",
    "/dop 検索 ロール",
]
SUBCOMMAND_WORDS = [
    "ask",
    "a",
    "search",
    "検索",
    "topics",
    "t",
    "quiz",
    "q",
    "practice",
    "クイズ",
    "review",
    "r",
    "answer",
    "ans",
    "回答",
    "stats",
    "成績",
    "report",
    "週報",
    "subscribe",
    "sub",
    "購読",
    "unsubscribe",
    "pause",
    "resume",
    "schedule",
    "help",
    "?",
    "hepl",
    "qiuz",
    "subscribr",
    "ANSWER",
    "Ａｎｓｗｅｒ",
]
WORDS = ["elb", "503", "dynamodb", "drift", "ロール", "監視", "cloudwatch", "x", "", "mon", "JST", "09:00"]


@dataclass(frozen=True)
class Line:
    text: str
    bad: bool  # certainly a mistake: it must get a hint


def _nasty(rng: random.Random) -> str:
    pool = rng.choice([CONTROL, INVISIBLE, EMOJI, ODD, list(rng.choice(DIGIT_SETS))])
    return rng.choice(pool)


def _number(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return rng.choice(HUGE)
    digits = rng.choice(DIGIT_SETS)
    return "".join(rng.choice(digits) for _ in range(rng.randint(1, 25)))


def _mutate(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        where = rng.randint(0, len(chars))
        action = rng.random()
        if action < 0.45:
            chars.insert(where, _nasty(rng))
        elif action < 0.6 and chars:
            del chars[min(where, len(chars) - 1)]
        elif action < 0.75:
            chars[where:where] = list(_number(rng))
        elif action < 0.9 and chars:
            chars[min(where, len(chars) - 1)] = _nasty(rng)
        else:
            chars[where:where] = list(" " + rng.choice(WORDS) + " ")
    return "".join(chars)


def _question_value(rng: random.Random, question_ids: Sequence[str]) -> str:
    qid = rng.choice(question_ids) if question_ids else "q"
    return rng.choice(
        [
            f"practice:{qid}:{rng.randint(0, 5)}",
            f"daily:{rng.randint(0, 4)}:{rng.randint(0, 5)}:{qid}",
            f"daily:{rng.randint(0, 4)}:{rng.randint(0, 5)}",
            f"practice:{qid}:{_number(rng)}",
            f"daily:{_number(rng)}:{rng.randint(0, 3)}:{qid}",
            f"daily:{rng.randint(0, 14)}:{rng.randint(0, 3)}+{rng.randint(0, 5)}:{qid}",
            f"practice:{qid}:{rng.randint(0, 3)}+{rng.randint(0, 5)}",
            f"daily:{rng.randint(0, 14)}:{'+'.join(str(rng.randint(0, 9)) for _ in range(rng.randint(0, 9)))}"
            f":{qid}",
        ]
    )


def fuzz_lines(count: int = 10_000, seed: int = SEED, question_ids: Sequence[str] = ()) -> list[Line]:
    """`count` lines from `seed`. `question_ids` (real ones) let some button values reach the answer path."""
    rng = random.Random(seed)

    def bad_subscribe() -> Line:
        wrong = rng.choice([BAD_TIMES, BAD_ZONES, BAD_DAYS])
        words = [
            rng.choice(["09:00", "JST", "mon-fri", "Asia/Tokyo", "平日"]) for _ in range(rng.randint(0, 2))
        ]
        words.insert(rng.randint(0, len(words)), rng.choice(wrong))
        return Line("/dop subscribe " + " ".join(words), True)

    def bad_week() -> Line:
        return Line(f"/dop {rng.choice(['report', 'レポート', '週報'])} {rng.choice(BAD_WEEKS)}", True)

    def bad_answer() -> Line:
        if rng.random() < 0.3:  # typed alone: the console reads a line of digits as an answer
            return Line(rng.choice(BARE_NUMBERS), True)
        return Line(f"/dop answer {rng.choice([*BAD_ANSWERS, _number(rng)])}", True)

    def too_long() -> Line:
        # Misspelt words are the costliest to read: each one is looked up among the notes' words.
        filler = rng.choice(["x", "あ", "elb ", "clodwatch alram ", "😀", "\u200b", "9", "mon-fri ", "\x00"])
        head = rng.choice(["/dop ask ", "/dop quiz ", "/dop topics ", "/dop subscribe ", "/dop answer ", ""])
        length = rng.choice([LONG, LONG, 2_001, 10_000, 50_000])
        return Line((head + filler * length)[:length], True)

    def random_command() -> Line:
        words = [rng.choice([*WORDS, _nasty(rng), _number(rng)]) for _ in range(rng.randint(0, 4))]
        return Line(
            " ".join([rng.choice(["/dop ", "dop ", "", "/"]) + rng.choice(SUBCOMMAND_WORDS), *words]), False
        )

    def mutated() -> Line:
        return Line(_mutate(rng, rng.choice(VALID)), False)

    def button() -> Line:
        return Line(f"/dop answer {_question_value(rng, question_ids)}", False)

    def nasty_only() -> Line:
        return Line("".join(_nasty(rng) for _ in range(rng.randint(1, 12))), False)

    def valid() -> Line:
        return Line(rng.choice(VALID), False)

    makers: list[tuple[Callable[[], Line], int]] = [
        (bad_subscribe, 14),
        (bad_week, 8),
        (bad_answer, 12),
        (random_command, 20),
        (mutated, 24),
        (button, 8),
        (nasty_only, 8),
        (valid, 6),
    ]
    lines = [rng.choices([m for m, _ in makers], weights=[w for _, w in makers])[0]() for _ in range(count)]
    for i in range(0, count, 500):  # long lines are costly to build and to send: a few in every 500
        lines[i] = too_long()
    return lines


# Saturday 2026-11-28 12:00 in Tokyo: the week the seeded posts fall in.
NOW = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)


@dataclass
class RecordingSession(ConsoleSession):
    """The console session, keeping the replies of the last line as well as printing them."""

    replies: list[Reply] = field(default_factory=list)

    async def send(self, line: str) -> str:
        self.replies = []
        return await super().send(line)

    def remember(self, replies: list[Reply]) -> None:
        self.replies = list(replies)
        super().remember(replies)


@dataclass
class FuzzRun:
    """A console session on a real database, with daily posts to click on; counts the error ids."""

    core: Core
    session: RecordingSession
    error_ids: list[str] = field(default_factory=list)

    async def close(self) -> None:
        await self.core.close()


async def fuzz_run(url: str, clock: Clock) -> FuzzRun:
    """The core on `url` (migrated) with two weeks of posts in the console channel, the last one open,
    so `daily:<post>:<choice>` values, stats and the report reach real rows. No scheduler runs."""
    core = await start_core(Settings(database_url=url), clock)
    assert core.ledger is not None
    run = FuzzRun(core, RecordingSession(core.dispatcher))

    def new_error_id() -> str:
        run.error_ids.append(f"fuzz-error-{len(run.error_ids)}")
        return run.error_ids[-1]

    core.dispatcher.new_error_id = new_error_id
    questions = core.bank.questions  # builds the bank now, as `run` does in a worker thread at start
    today = clock.now().date()
    for offset in range(13, -1, -1):
        day = today - timedelta(days=offset)
        question = questions[day.toordinal() % len(questions)]
        post = await core.ledger.claim(CONSOLE_CHANNEL, day, question.id, clock.now())
        assert post is not None
        for person in range(3):
            user = UserRef("console", f"u{person}", f"user {person}")
            await core.ledger.record_answer(
                post.id, user, person % len(question.choices), person == 0, clock.now()
            )
        if offset:
            await core.ledger.close(post.id, clock.now())
    return run


def seeded_question_ids(run: FuzzRun, count: int = 20) -> list[str]:
    """A few real question ids, always the same ones for the same content."""
    questions = run.core.bank.questions
    return [questions[i * len(questions) // count].id for i in range(count)]

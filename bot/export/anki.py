"""Questions as an Anki deck (`.apkg`, built with genanki), with one user's FSRS state where Anki takes it.

What the package holds:
- one note type, "dop-bot question" (fixed id), fields QuestionId, Prompt, Choices (a numbered list),
  Answer (the right choice or choices, numbered), Explanation, Source (the note's breadcrumb), Link,
  Kind and Domains; the front shows the prompt and choices, the back the answer, explanation and source;
- one deck (id derived from its name) with one note and one card per question. A note's GUID is derived
  from the question id, so importing a newer export updates the notes instead of adding copies (Anki
  updates a note when the incoming one is newer, which is why the build time is an argument);
- tags: `kind::<kind>`, `service::<service>`, `domain::<code>` and whatever the caller adds (`missed`, `due`).

Scheduling, for questions the user has practised (a `StoredCard` from `bot.quiz.practice`):
- genanki writes every card as new (it only lets a caller set the new-queue position and suspension), so
  after genanki has written the collection this module sets the columns Anki's own schema has for a
  studied card, in the `cards` table:
  - an FSRS Review card becomes an Anki review card (type 2, queue 2): `due` is the day it falls due,
    counted from the collection's creation day as Anki counts days (they start at 4:00 in `zone`), `ivl` is
    the scheduled interval in days (due − last review, at least 1), ease 250% (Anki's default);
  - a card in (re)learning stays one (type 1 or 3, queue 1): `due` is its due instant, `left` the steps it
    has left of the bot's steps (the same as Anki's defaults: 1m 10m, and 10m when relearning); a
    relearning card's `ivl` is its FSRS stability in days, rounded, at least 1;
  - every studied card also carries its FSRS memory state in `data` (`s` stability, `d` difficulty, `lrt`
    last review, `decay` the bot's FSRS-6 decay), the fields Anki's own FSRS keeps per card.
- Not carried over: the review history (Anki's revlog), so the review and lapse counts are 0 and Anki's
  FSRS optimiser has no history from the bot to learn from; a card the user has never answered stays new.
- Anki keeps the scheduling only if "Import any learning progress" is ticked when importing (otherwise
  every card arrives new), and only for cards it does not have yet: importing again updates the notes'
  text but leaves the cards already in the collection as they are. Enable FSRS in the deck options and
  Anki's own FSRS carries on from each card's memory state (checked against Anki 26.9's importer).

Nothing here reads the clock: the caller passes `now`, the note and card modification time (genanki would
otherwise call `time.time()`); the same arguments give the same bytes.
"""

from __future__ import annotations

import hashlib
import html
import io
import itertools
import json
import math
import sqlite3
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any

import genanki
from fsrs import Scheduler, State

from bot.quiz.model import Question
from bot.quiz.practice import StoredCard, default_scheduler

DEFAULT_DECK_NAME = "dop-bot DOP-C02"
MODEL_NAME = "dop-bot question"
FIELDS = ("QuestionId", "Prompt", "Choices", "Answer", "Explanation", "Source", "Link", "Kind", "Domains")
ANKI_DAY_STARTS = 4  # Anki's default "next day starts at" hour
DEFAULT_EASE = 2500  # Anki's starting ease, in permille

# Anki card types and queues (its schema's numbers).
NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3
QUEUE_LEARNING, QUEUE_REVIEW = 1, 2

_FRONT = '<div class="prompt">{{Prompt}}</div>\n<div class="choices">{{Choices}}</div>'
_BACK = (
    '{{FrontSide}}\n<hr id="answer">\n<div class="answer">{{Answer}}</div>\n'
    '<div class="explanation">{{Explanation}}</div>\n<div class="source">{{Source}}</div>\n'
    '{{#Link}}<div class="link">{{Link}}</div>{{/Link}}'
)
_CSS = (
    ".card { font-family: sans-serif; font-size: 18px; text-align: left; }\n"
    ".answer { font-weight: bold; margin-bottom: 0.8em; }\n"
    ".source, .link { color: #666; font-size: 14px; margin-top: 0.8em; }\n"
)


def stable_id(text: str) -> int:
    """A deterministic id in the range genanki recommends for models and decks (2^30 … 2^31)."""
    digest = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")
    return (1 << 30) + digest % (1 << 30)


MODEL_ID = stable_id("dop-bot/anki/note-type/v1")


def deck_id(name: str) -> int:
    return stable_id(f"dop-bot/anki/deck/{name}")


def note_guid(question_id: str) -> str:
    return str(genanki.guid_for("dop-bot", question_id))


@dataclass(frozen=True)
class AnkiSchedule:
    """The `cards` columns of one studied card."""

    type: int
    queue: int
    due: int  # a day number for review cards, epoch seconds for (re)learning ones
    ivl: int
    factor: int
    left: int
    data: str


def build_apkg(
    questions: Sequence[Question],
    *,
    now: datetime,
    states: Iterable[StoredCard] = (),
    deck_name: str = DEFAULT_DECK_NAME,
    zone: tzinfo = UTC,
    tags_for: Callable[[Question], Iterable[str]] | None = None,
    link_for: Callable[[Question], str | None] | None = None,
    domains_for: Callable[[Question], Sequence[str]] | None = None,
    scheduler: Scheduler | None = None,
) -> bytes:
    """The `.apkg` bytes: one note per question, in order; `states` are one user's cards (any subset).

    `now` is the build time (aware); `zone` the user's timezone, for the day a review card falls due.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise ValueError("each question may appear once")
    cards = {card.question_id: card for card in states}
    if len({card.user for card in cards.values()}) > 1:
        raise ValueError("states must belong to one user")
    deck = genanki.Deck(deck_id(deck_name), deck_name, description="dop-bot: AWS DOP-C02")
    model = note_type()
    for position, question in enumerate(questions):
        domains = tuple(domains_for(question)) if domains_for else ()
        tags = [f"kind::{question.kind.value}", f"service::{question.service}"]
        tags += [f"domain::{code}" for code in domains]
        tags += list(tags_for(question)) if tags_for else []
        deck.add_note(
            genanki.Note(
                model=model,
                fields=note_fields(question, link_for(question) if link_for else None, domains),
                tags=_unique(_tag(t) for t in tags),
                guid=note_guid(question.id),
                due=position,  # new cards come up in the order given
            )
        )
    stamp = now.timestamp()
    db = sqlite3.connect(":memory:")
    try:
        cursor = db.cursor()
        # genanki numbers notes and cards from the build time in milliseconds, as Anki does.
        genanki.Package(deck).write_to_db(cursor, stamp, itertools.count(int(stamp * 1000)))
        (crt,) = cursor.execute("SELECT crt FROM col").fetchone()
        fsrs = scheduler or default_scheduler()
        exported = set(ids)
        for question_id, card in cards.items():
            if question_id in exported and (schedule := anki_schedule(card, crt, zone, fsrs)) is not None:
                _set_schedule(cursor, note_guid(question_id), schedule)
        db.commit()
        collection = db.serialize()
    finally:
        db.close()
    return _zip(collection, now)


def write_apkg(path: Path, questions: Sequence[Question], **options: Any) -> int:
    """Write `build_apkg(questions, **options)` to `path`; the number of notes written."""
    path.write_bytes(build_apkg(questions, **options))
    return len(questions)


def note_type() -> genanki.Model:
    return genanki.Model(
        MODEL_ID,
        MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Question", "qfmt": _FRONT, "afmt": _BACK}],
        css=_CSS,
        sort_field_index=FIELDS.index("Prompt"),
    )


def note_fields(question: Question, link: str | None = None, domains: Sequence[str] = ()) -> list[str]:
    """The note's fields in `FIELDS` order, as the HTML Anki stores."""
    right = right_indices(question.answers)
    choices = "".join(f"<li>{_html(choice)}</li>" for choice in question.choices)
    answer = "<br>".join(f"{i + 1}. {_html(question.choices[i])}" for i in right)
    anchor = f'<a href="{html.escape(link, quote=True)}">{_html(link)}</a>' if link else ""
    return [
        question.id,
        _html(question.prompt),
        f"<ol>{choices}</ol>",
        answer,
        _html(question.explanation),
        _html(" › ".join(question.source.path)),
        anchor,
        question.kind.value,
        _html(", ".join(domains)),
    ]


def right_indices(answer: int | Sequence[int]) -> tuple[int, ...]:
    """The right choice or choices: an index today, several once multiple-response questions arrive."""
    return (answer,) if isinstance(answer, int) else tuple(sorted(answer))


def anki_schedule(card: StoredCard, crt: int, zone: tzinfo, scheduler: Scheduler) -> AnkiSchedule | None:
    """The Anki columns for a user's FSRS card, or None for a card never answered (it stays new)."""
    state = card.state
    last = state.get("last_review")
    stability, difficulty = state.get("stability"), state.get("difficulty")
    if last is None or stability is None or difficulty is None:
        return None
    last_review = datetime.fromisoformat(last)
    memory = {
        "s": round(float(stability), 4),
        "d": round(float(difficulty), 4),
        "lrt": int(last_review.timestamp()),
        "decay": scheduler.parameters[20],
    }
    data = json.dumps(memory, separators=(",", ":"))
    kind = State(state["state"])
    if kind is State.Review:
        interval = max(1, round((card.due - last_review) / timedelta(days=1)))
        return AnkiSchedule(
            REVIEW, QUEUE_REVIEW, anki_day(card.due, crt, zone), interval, DEFAULT_EASE, 0, data
        )
    steps = scheduler.learning_steps if kind is State.Learning else scheduler.relearning_steps
    left = max(1, len(steps) - (state.get("step") or 0))
    interval = 0 if kind is State.Learning else max(1, round(float(stability)))
    return AnkiSchedule(
        LEARNING if kind is State.Learning else RELEARNING,
        QUEUE_LEARNING,
        int(card.due.timestamp()),
        interval,
        DEFAULT_EASE,
        left,
        data,
    )


def anki_day(when: datetime, crt: int, zone: tzinfo) -> int:
    """Days from the collection's creation day to the day of `when`, both starting at 4:00 in `zone`."""
    created = datetime.fromtimestamp(crt, zone).date()
    first = datetime.combine(created, time(ANKI_DAY_STARTS), zone)
    return math.floor((when - first) / timedelta(days=1))


def _set_schedule(cursor: sqlite3.Cursor, guid: str, schedule: AnkiSchedule) -> None:
    cursor.execute(
        "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = ?, left = ?, data = ?"
        " WHERE nid = (SELECT id FROM notes WHERE guid = ?)",
        (
            schedule.type,
            schedule.queue,
            schedule.due,
            schedule.ivl,
            schedule.factor,
            schedule.left,
            schedule.data,
            guid,
        ),
    )


def _zip(collection: bytes, now: datetime) -> bytes:
    """The package: the collection and an empty media map, stamped with `now` rather than the clock."""
    stamp = now.astimezone(UTC).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in (("collection.anki2", collection), ("media", b"{}")):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(info, data)
    return buffer.getvalue()


def _html(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")


def _tag(text: str) -> str:
    return "_".join(text.split())  # Anki tags cannot hold spaces


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))

"""The Anki export, opened as what it is: a zip holding an SQLite collection (notes, cards, models, decks)."""

from __future__ import annotations

import dataclasses
import html
import io
import json
import re
import sqlite3
import zipfile
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fsrs import Card, Rating

from adapters.cli import main
from bot.export.anki import DEFAULT_DECK_NAME, FIELDS, MODEL_ID, build_apkg, deck_id, note_guid
from bot.quiz.model import Question, QuestionKind, Source
from bot.quiz.practice import StoredCard, default_scheduler

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[1]


def question(qid: str, answer: int = 1, **changes: Any) -> Question:
    base = Question(
        id=qid,
        kind=QuestionKind.SCENARIO,
        prompt="ECS のタスクが <b> & 停止する。\n最も適切な対応はどれか。",
        choices=("CloudWatch Logs を見る", "タスク定義を直す", "ALB を足す", "何もしない"),
        answer=answer,
        explanation="解説: 停止理由は & を含む。",
        source=Source("abc123def456", ("Compute", "Amazon ECS", "タスク"), 12, "content/notes/ecs.md"),
        service="Amazon ECS",
        category="Compute",
        choice_type="scenario",
    )
    return dataclasses.replace(base, **changes)


HAND_MADE = (question("q-one"), question("q-two", answer=3, kind=QuestionKind.TERM, service="AWS Code Build"))


@dataclasses.dataclass
class Collection:
    db: sqlite3.Connection
    names: list[str]

    def notes(self) -> list[tuple[str, list[str], list[str], int]]:
        """(guid, fields, tags, id) of every note, in insertion order."""
        rows = self.db.execute("SELECT guid, flds, tags, id FROM notes ORDER BY id").fetchall()
        return [(guid, flds.split("\x1f"), tags.split(), nid) for guid, flds, tags, nid in rows]

    def card(self, guid: str) -> dict[str, Any]:
        row = self.db.execute(
            "SELECT c.type, c.queue, c.due, c.ivl, c.factor, c.left, c.data, c.did, c.ord"
            " FROM cards c JOIN notes n ON n.id = c.nid WHERE n.guid = ?",
            (guid,),
        ).fetchone()
        keys = ("type", "queue", "due", "ivl", "factor", "left", "data", "did", "ord")
        return dict(zip(keys, row, strict=True))

    def col(self, column: str) -> Any:
        return self.db.execute(f"SELECT {column} FROM col").fetchone()[0]


@pytest.fixture
def open_apkg(tmp_path: Path) -> Iterator[Any]:
    opened: list[sqlite3.Connection] = []

    def _open(data: bytes) -> Collection:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = package.namelist()
            collection = next(n for n in names if n in ("collection.anki21", "collection.anki2"))
            path = tmp_path / f"{len(opened)}-{collection}"
            path.write_bytes(package.read(collection))
            assert json.loads(package.read("media")) == {}
        db = sqlite3.connect(path)
        opened.append(db)
        return Collection(db, names)

    yield _open
    for db in opened:
        db.close()


def text_of(field: str) -> str:
    """A field's HTML back to the plain text it was made from."""
    return html.unescape(field.replace("<br>", "\n"))


def listed(field: str) -> list[str]:
    assert field.startswith("<ol>") and field.endswith("</ol>")
    return [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", field)]


def test_the_whole_bank_becomes_one_note_and_one_card_per_question(bank: Any, open_apkg: Any) -> None:
    questions: Sequence[Question] = bank.questions
    collection = open_apkg(build_apkg(questions, now=NOW))
    notes = collection.notes()
    assert len(notes) == len(questions) > 200
    assert collection.db.execute("SELECT count(*) FROM cards").fetchone()[0] == len(questions)
    for q, (guid, fields, _, _) in zip(questions, notes, strict=True):
        assert guid == note_guid(q.id)
        assert len(fields) == len(FIELDS)
        qid, prompt, choices, answer, explanation, source, link, kind, domains = fields
        assert qid == q.id and kind == q.kind.value and link == "" and domains == ""
        assert text_of(prompt) == q.prompt
        assert listed(choices) == list(q.choices)
        right = [f"{i + 1}. {q.choices[i]}" for i in q.answers]
        assert [text_of(line) for line in answer.split("<br>")] == right
        assert text_of(explanation) == q.explanation
        assert text_of(source) == " › ".join(q.source.path)
    # Japanese survives the round trip (the bank is mostly Japanese).
    japanese = [f for _, f, _, _ in notes if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", f[1])]
    assert len(japanese) > len(notes) // 2
    # Every card is new and in the deck, in the order given.
    dues = [collection.card(note_guid(q.id)) for q in questions[:20]]
    assert {(c["type"], c["queue"], c["did"], c["ord"]) for c in dues} == {
        (0, 0, deck_id(DEFAULT_DECK_NAME), 0)
    }
    assert [c["due"] for c in dues] == list(range(20))


def test_model_deck_and_fields(open_apkg: Any) -> None:
    collection = open_apkg(build_apkg(HAND_MADE, now=NOW, deck_name="DOP 直前"))
    assert "collection.anki2" in collection.names
    models = json.loads(collection.col("models"))
    model = models[str(MODEL_ID)]
    assert [f["name"] for f in model["flds"]] == list(FIELDS)
    assert "{{Prompt}}" in model["tmpls"][0]["qfmt"] and "{{Choices}}" in model["tmpls"][0]["qfmt"]
    back = model["tmpls"][0]["afmt"]
    assert all(f"{{{{{name}}}}}" in back for name in ("Answer", "Explanation", "Source"))
    assert "{{Answer}}" not in model["tmpls"][0]["qfmt"]
    decks = json.loads(collection.col("decks"))
    assert decks[str(deck_id("DOP 直前"))]["name"] == "DOP 直前"
    _, fields, _, _ = collection.notes()[0]
    # Markup in the text is escaped, not interpreted; Japanese stays as it is.
    assert fields[1] == "ECS のタスクが &lt;b&gt; &amp; 停止する。<br>最も適切な対応はどれか。"
    assert fields[2] == (
        "<ol><li>CloudWatch Logs を見る</li><li>タスク定義を直す</li>"
        "<li>ALB を足す</li><li>何もしない</li></ol>"
    )
    assert fields[3] == "2. タスク定義を直す"
    assert fields[5] == "Compute › Amazon ECS › タスク"


def test_ids_and_guids_are_stable_between_builds_and_bytes_repeat(open_apkg: Any) -> None:
    first = build_apkg(HAND_MADE, now=NOW)
    assert build_apkg(HAND_MADE, now=NOW) == first
    with zipfile.ZipFile(io.BytesIO(first)) as package:  # stamped with the build time, not the clock
        assert {info.date_time for info in package.infolist()} == {NOW.timetuple()[:6]}
    later = open_apkg(build_apkg(HAND_MADE, now=NOW + timedelta(days=30)))
    earlier = open_apkg(first)
    assert [n[0] for n in later.notes()] == [n[0] for n in earlier.notes()]
    assert len({n[0] for n in earlier.notes()}) == 2
    assert (
        json.loads(later.col("models")).keys() == json.loads(earlier.col("models")).keys() == {str(MODEL_ID)}
    )
    assert json.loads(later.col("decks")).keys() == json.loads(earlier.col("decks")).keys()
    # A later build is newer to Anki, so importing it updates the notes.
    assert (
        later.db.execute("SELECT min(mod) FROM notes").fetchone()[0]
        > earlier.db.execute("SELECT max(mod) FROM notes").fetchone()[0]
    )
    assert deck_id("a") != deck_id("b") and deck_id("a") == deck_id("a")


def test_tags_domains_and_link(open_apkg: Any) -> None:
    collection = open_apkg(
        build_apkg(
            HAND_MADE,
            now=NOW,
            tags_for=lambda q: ["missed"] if q.id == "q-one" else ["due", "due"],
            link_for=lambda q: f"https://example.test/notes?id={q.source.id}&q={q.id}",
            domains_for=lambda q: ("incident", "monitoring"),
        )
    )
    (_, one, one_tags, _), (_, _, two_tags, _) = collection.notes()
    assert one_tags == [
        "kind::scenario",
        "service::Amazon_ECS",
        "domain::incident",
        "domain::monitoring",
        "missed",
    ]
    assert two_tags == [
        "kind::term",
        "service::AWS_Code_Build",
        "domain::incident",
        "domain::monitoring",
        "due",
    ]
    assert one[8] == "incident, monitoring"
    assert one[6] == (
        '<a href="https://example.test/notes?id=abc123def456&amp;q=q-one">'
        "https://example.test/notes?id=abc123def456&amp;q=q-one</a>"
    )


def test_several_right_answers_are_listed_in_order(open_apkg: Any) -> None:
    multi = question("q-multi", answer=0, answers=(3, 0))
    _, fields, _, _ = open_apkg(build_apkg([multi], now=NOW)).notes()[0]
    assert fields[3] == "1. CloudWatch Logs を見る<br>4. 何もしない"


def fsrs_card(ratings: Sequence[Rating], start: datetime) -> Card:
    scheduler, card, when = default_scheduler(), Card(card_id=7), start
    for rating in ratings:
        card, _ = scheduler.review_card(card, rating, when)
        when = card.due
    return card


def stored(qid: str, card: Card, user: str = "slack:T1:U1") -> StoredCard:
    return StoredCard(user, qid, card.to_dict(), card.due)  # type: ignore[arg-type]


def anki_day_of(when: datetime, crt: int, zone: Any) -> int:
    """Anki's day number: local dates, a day starting at 4:00 (written independently of the module)."""
    local = when.astimezone(zone) - timedelta(hours=4)
    return (local.date() - datetime.fromtimestamp(crt, zone).date()).days


def test_studied_cards_carry_their_fsrs_state(open_apkg: Any) -> None:
    qs = [question(f"q{i}") for i in range(5)]
    review = fsrs_card([Rating.Good] * 3, NOW - timedelta(days=20))
    relearning = fsrs_card([Rating.Good] * 3 + [Rating.Again], NOW - timedelta(days=20))
    learning = fsrs_card([Rating.Again], NOW - timedelta(minutes=1))
    learning_later = fsrs_card([Rating.Good], NOW - timedelta(minutes=1))
    assert (review.state, relearning.state, learning.state) == (2, 3, 1)
    states = [
        stored("q0", review),
        stored("q1", relearning),
        stored("q2", learning),
        stored("q3", learning_later),
    ]
    collection = open_apkg(build_apkg(qs, now=NOW, states=states))
    crt = collection.col("crt")

    card = collection.card(note_guid("q0"))
    assert (card["type"], card["queue"], card["factor"], card["left"]) == (2, 2, 2500, 0)
    assert card["ivl"] == round((review.due - review.last_review) / timedelta(days=1)) > 1  # type: ignore[operator]
    assert card["due"] == anki_day_of(review.due, crt, UTC)
    memory = json.loads(card["data"])
    assert memory["s"] == pytest.approx(review.stability, abs=1e-3)
    assert memory["d"] == pytest.approx(review.difficulty, abs=1e-3)
    assert memory["lrt"] == int(review.last_review.timestamp())  # type: ignore[union-attr]
    assert memory["decay"] == pytest.approx(0.1542)

    card = collection.card(note_guid("q1"))
    assert (card["type"], card["queue"], card["left"]) == (3, 1, 1)
    assert card["due"] == int(relearning.due.timestamp())
    assert card["ivl"] == max(1, round(relearning.stability))  # type: ignore[arg-type]

    card = collection.card(note_guid("q2"))
    assert (card["type"], card["queue"], card["ivl"], card["left"]) == (1, 1, 0, 2)  # both steps to go
    assert collection.card(note_guid("q3"))["left"] == 1  # one step done
    never = collection.card(note_guid("q4"))
    assert (never["type"], never["queue"], never["ivl"], never["data"]) == (0, 0, 0, "")


@pytest.mark.parametrize(
    ("due", "zone", "day"),
    [
        (
            datetime(2026, 12, 5, 18, 30, tzinfo=UTC),
            "Asia/Tokyo",
            date(2026, 12, 5),
        ),  # 03:30 on the 6th there
        (datetime(2026, 12, 5, 19, 30, tzinfo=UTC), "Asia/Tokyo", date(2026, 12, 6)),  # 04:30 on the 6th
        (datetime(2026, 12, 6, 3, 30, tzinfo=UTC), "UTC", date(2026, 12, 5)),  # before 4:00
        (datetime(2026, 12, 6, 3, 30, tzinfo=UTC), "America/New_York", date(2026, 12, 5)),
    ],
)
def test_a_review_falls_due_on_the_users_anki_day(
    open_apkg: Any, due: datetime, zone: str, day: date
) -> None:
    """Anki's days start at 4:00 local; its day numbers count from the collection's creation date."""
    state = {"card_id": 1, "state": 2, "step": None, "stability": 5.0, "difficulty": 5.0}
    state |= {"due": due.isoformat(), "last_review": (due - timedelta(days=7)).isoformat()}
    card = StoredCard("u", "q0", state, due)
    collection = open_apkg(build_apkg([question("q0")], now=NOW, states=[card], zone=ZoneInfo(zone)))
    created = datetime.fromtimestamp(collection.col("crt"), ZoneInfo(zone)).date()
    written = collection.card(note_guid("q0"))
    assert written["due"] == (day - created).days
    assert written["ivl"] == 7  # the interval scheduled, not the stability


def test_refuses_what_it_cannot_write_honestly() -> None:
    with pytest.raises(ValueError, match="aware"):
        build_apkg(HAND_MADE, now=NOW.replace(tzinfo=None))
    with pytest.raises(ValueError, match="once"):
        build_apkg([HAND_MADE[0], HAND_MADE[0]], now=NOW)
    card = fsrs_card([Rating.Good], NOW)
    with pytest.raises(ValueError, match="one user"):
        build_apkg(HAND_MADE, now=NOW, states=[stored("q-one", card, "a"), stored("q-two", card, "b")])


def test_cli_writes_the_whole_bank(
    bank: Any,
    open_apkg: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DOP_CONTENT_DIR", str(ROOT / "content"))
    monkeypatch.chdir(tmp_path)
    assert main(["export", "anki", "--all"]) == 0
    written = tmp_path / "dop-bot-DOP-C02.apkg"
    assert capsys.readouterr().out.strip() == f"wrote {len(bank)} notes to {written}"
    assert len(open_apkg(written.read_bytes()).notes()) == len(bank)

    out = tmp_path / "sub.apkg"
    assert main(["export", "anki", "--all", "--out", str(out)]) == 0
    assert len(open_apkg(out.read_bytes()).notes()) == len(bank)


def test_cli_without_all_points_to_chat_and_a_bad_path_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DOP_CONTENT_DIR", str(ROOT / "content"))
    monkeypatch.chdir(tmp_path)
    assert main(["export", "anki"]) == 2
    assert "/dop export" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
    assert main(["export", "anki", "--all", "--out", str(tmp_path / "missing" / "x.apkg")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("cannot write") and "Traceback" not in err and err.count("\n") == 1

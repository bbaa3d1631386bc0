"""An exported deck opened as what it is: a zip holding an SQLite collection of notes and cards."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from dataclasses import dataclass

from bot.export.anki import FIELDS


@dataclass
class Deck:
    db: sqlite3.Connection
    names: list[str]  # the files in the package

    def notes(self) -> dict[str, tuple[dict[str, str], list[str]]]:
        """Question id → (fields by name, tags), in the deck's order."""
        rows = self.db.execute("SELECT flds, tags FROM notes ORDER BY id").fetchall()
        out = {}
        for flds, tags in rows:
            fields = dict(zip(FIELDS, flds.split("\x1f"), strict=True))
            out[fields["QuestionId"]] = (fields, tags.split())
        return out

    def card(self, question_id: str) -> dict[str, int]:
        """A note's card: its type and queue (0 new, 1 learning, 2 review, 3 relearning) and due."""
        row = self.db.execute(
            "SELECT c.type, c.queue, c.due FROM cards c JOIN notes n ON n.id = c.nid"
            " WHERE n.flds LIKE ? || char(31) || '%'",
            (question_id,),
        ).fetchone()
        return dict(zip(("type", "queue", "due"), row, strict=True))

    def deck_names(self) -> set[str]:
        import json

        (decks,) = self.db.execute("SELECT decks FROM col").fetchone()
        return {deck["name"] for deck in json.loads(decks).values()}


def open_deck(data: bytes) -> Deck:
    """The package's collection (collection.anki21 or .anki2), loaded into memory."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        name = next(n for n in names if n in ("collection.anki21", "collection.anki2"))
        collection = package.read(name)
    db = sqlite3.connect(":memory:")
    db.deserialize(collection)
    return Deck(db, names)

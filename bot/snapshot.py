"""What start-up builds from content/, kept between runs: the checked content, the search index and,
once built, the question bank. Reading it back takes a few milliseconds where building takes a few
hundred; `dop-bot run` is ready sooner and does not build the bank while it serves its first requests.

A snapshot is keyed by everything its result depends on: every file under content/, the source of the
`bot` package, the snapshot format and the Python and NumPy versions. Anything else (a missing folder,
a file from another version, a failed write) means building as if there were none: the snapshot only
ever saves time. It lives in the data directory beside the SQLite database, a place as trusted as the
database itself (it is a pickle).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.content import Content, load_content
from bot.quiz.model import Question
from bot.search.engine import SearchEngine
from bot.search.index import SearchIndex, build_index

log = logging.getLogger(__name__)
FORMAT = 2  # bump when the snapshot's shape changes in a way the source hash would not show
_CODE = Path(__file__).resolve().parent
_PREFIX = "snapshot-"


@dataclass(frozen=True)
class Snapshot:
    content: Content
    index: SearchIndex
    questions: tuple[Question, ...] | None = None
    dropped: Counter[str] | None = None
    # The engine over `index` with its glossary phrases matched, kept once a one-shot lookup built it.
    engine: SearchEngine | None = None


def snapshot_key(content_dir: Path) -> str:
    """A digest of everything a snapshot's result depends on."""
    digest = hashlib.sha256(f"{FORMAT}|{sys.version}|{np.__version__}|".encode())
    for root, label in ((content_dir, "content"), (_CODE, "code")):
        files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for path in files:
            if label == "code" and path.suffix not in (".py", ".yaml"):
                continue
            digest.update(f"{label}/{path.relative_to(root).as_posix()}|".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


@dataclass(frozen=True)
class SnapshotStore:
    """Snapshots in one folder: the current one is kept, older ones are removed when a new one is saved."""

    folder: Path

    def load(self, key: str) -> Snapshot | None:
        path = self.folder / f"{_PREFIX}{key}.pickle"
        try:
            with path.open("rb") as stream:
                snapshot = pickle.load(stream)
        except FileNotFoundError:
            return None
        except Exception as exc:  # a damaged or foreign file is only a reason to build again
            log.debug("start-up snapshot %s not used: %s", path, exc)
            return None
        return snapshot if isinstance(snapshot, Snapshot) else None

    def save(self, key: str, snapshot: Snapshot) -> None:
        temporary: str | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # Written beside its final name, then renamed: a reader never sees half a file.
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".snapshot-", suffix=".tmp")
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(snapshot, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.folder / f"{_PREFIX}{key}.pickle")
            temporary = None
            for old in self.folder.glob(f"{_PREFIX}*.pickle"):
                if old.name != f"{_PREFIX}{key}.pickle":
                    old.unlink(missing_ok=True)
        except (OSError, pickle.PicklingError) as exc:
            log.debug("start-up snapshot not saved in %s: %s", self.folder, exc)
        finally:
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)


def load_or_build(store: SnapshotStore, content_dir: Path) -> tuple[str, Snapshot, bool]:
    """This content and code's snapshot, read back from `store` or built from content/; its key, and
    whether it was built now (the caller saves it, once, with whatever it adds)."""
    key = snapshot_key(content_dir)
    snapshot = store.load(key)
    if snapshot is not None:
        return key, snapshot, False
    content = load_content(content_dir)
    return key, Snapshot(content, build_index(list(content.decks))), True

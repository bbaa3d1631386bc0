"""Find and parse every notes file of a content directory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.notes.model import Deck, Diagnostic
from bot.notes.parser import parse_file


@dataclass(frozen=True)
class LoadedNotes:
    """The decks that parsed and every diagnostic found on the way."""

    decks: tuple[Deck, ...]
    diagnostics: tuple[Diagnostic, ...]


def note_files(content_dir: Path) -> list[Path]:
    """The deck files: content/notes/*.md, in name order so deck order is stable."""
    return sorted((content_dir / "notes").glob("*.md"))


def display_name(path: Path, base: Path | None) -> str:
    """How a file is named in diagnostics and answers: relative to `base` when inside it."""
    if base is not None:
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


def load_decks(paths: list[Path], base: Path | None = None) -> LoadedNotes:
    """Parse each file. A file with errors still yields what could be read; nothing raises."""
    decks: list[Deck] = []
    diagnostics: list[Diagnostic] = []
    for path in paths:
        result = parse_file(path, display_name(path, base))
        diagnostics.extend(result.diagnostics)
        if result.deck is not None:
            decks.append(result.deck)
    return LoadedNotes(tuple(decks), tuple(diagnostics))

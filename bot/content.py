"""Everything under content/: the decks and the glossary, loaded together."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.notes.loader import display_name, load_decks, note_files
from bot.notes.model import Deck, Diagnostic
from bot.search.glossary import Glossary, load_glossary
from bot.search.text import normalize


@dataclass(frozen=True)
class Content:
    decks: tuple[Deck, ...]
    glossary: Glossary
    diagnostics: tuple[Diagnostic, ...]


def load_content(content_dir: Path) -> Content:
    """Parse every deck and the aliases file. Problems are collected, never raised."""
    # Files are named from the project root ('content/notes/dop.md') wherever the bot runs.
    notes = load_decks(note_files(content_dir), base=content_dir.parent)
    aliases = content_dir / "aliases.yaml"
    glossary, problems = load_glossary(aliases, display_name(aliases, content_dir.parent))
    diagnostics = list(notes.diagnostics) + problems
    headings = {normalize(n.text) for deck in notes.decks for n in deck.services()}
    for heading in sorted({h for hs in glossary.service_aliases.values() for h in hs} - headings):
        diagnostics.append(
            Diagnostic(
                display_name(aliases, content_dir.parent),
                0,
                "warning",
                f"service '{heading}' is not a heading of any deck",
            )
        )
    if not notes.decks:
        where = display_name(content_dir / "notes", content_dir.parent)
        diagnostics.append(Diagnostic(where, 0, "error", "no notes files (*.md) found"))
    return Content(notes.decks, glossary, tuple(diagnostics))

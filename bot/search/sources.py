"""What the search engine is built from: the notes, how people name things (aliases.yaml) and the
project's errata. The fast path of one-shot `dop-bot ask`; `bot.content.load_content` reads and checks
everything else (questions, exam blueprint) too."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.notes.errata import Erratum, load_errata
from bot.notes.loader import load_decks, note_files
from bot.notes.model import Deck
from bot.search.engine import SearchEngine
from bot.search.glossary import Glossary, load_glossary


@dataclass(frozen=True)
class SearchSources:
    decks: tuple[Deck, ...]
    glossary: Glossary
    errata: dict[str, Erratum]

    def engine(self) -> SearchEngine:
        return SearchEngine.build(list(self.decks), self.glossary, self.errata)


def load_search_sources(content_dir: Path) -> SearchSources:
    """Parse the notes, aliases and errata; problems are left to `dop-bot content check`."""
    decks = load_decks(note_files(content_dir), base=content_dir.parent).decks
    glossary, _ = load_glossary(content_dir / "aliases.yaml")
    errata, _ = load_errata(content_dir / "errata.yaml", decks)
    return SearchSources(decks, glossary, errata)

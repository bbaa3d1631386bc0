"""What a lookup returns."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.notes.model import Link


class Problem(StrEnum):
    """Why a lookup has no hits."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    NO_MATCH = "no_match"


@dataclass(frozen=True)
class Hit:
    """One passage of the notes that answers a query."""

    node_id: str
    path: tuple[str, ...]  # category › service › … down to the matched bullet's parent
    title: str  # the matched bullet's own text
    text: str  # the passage as shown: the bullet and its children, trimmed to one message
    source: str
    line: int
    score: float
    refs: tuple[Link, ...]
    corrected: tuple[str, ...] = ()  # ids of bullets in the passage that carry an erratum

    @property
    def breadcrumb(self) -> tuple[str, ...]:
        """The path with the matched bullet itself at the end."""
        return (*self.path, self.title)


@dataclass(frozen=True)
class SearchOutcome:
    """Hits best first, or the reason there are none and what to try instead."""

    query: str
    hits: tuple[Hit, ...] = ()
    problem: Problem | None = None
    suggestions: tuple[str, ...] = ()

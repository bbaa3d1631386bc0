"""Suggestions while a command is being typed (Discord's autocomplete): services and topics for
`ask`, `topics` and `quiz`, timezones, times and weekday patterns for `subscribe`. Pure and fast:
an adapter calls these on every keystroke."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from rapidfuzz import fuzz, process

from bot.clip import clip
from bot.scheduler.settings import parse_days, parse_time, parse_zone, zone_names
from bot.search import SearchEngine
from bot.search.text import normalize

LIMIT = 25  # Discord shows at most 25 choices
CHOICE_LIMIT = 100  # and at most 100 characters of each
_POPULAR_ZONES = (
    "Asia/Tokyo",
    "UTC",
    "Asia/Seoul",
    "Asia/Singapore",
    "Asia/Kolkata",
    "Europe/London",
    "Europe/Paris",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Australia/Sydney",
)
# (what the picker shows, what the core's grammar reads)
_DAY_PATTERNS = (
    ("平日 mon-fri", "mon-fri"),
    ("毎日 daily", "daily"),
    ("月水金 mon,wed,fri", "mon,wed,fri"),
    ("火木 tue,thu", "tue,thu"),
    ("週末 sat,sun", "sat,sun"),
)


@dataclass(frozen=True)
class Suggestion:
    label: str  # shown to the person typing
    value: str  # inserted into the option


@dataclass
class TopicCompleter:
    """Service names and topic labels of the notes, matched by substring, then by fuzzy score."""

    engine: SearchEngine
    names: tuple[str, ...]
    services: tuple[str, ...]
    _folded_names: tuple[str, ...] = field(init=False)  # normalised once, not on every keystroke
    _folded_services: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        self._folded_names = tuple(map(normalize, self.names))
        self._folded_services = tuple(map(normalize, self.services))

    @classmethod
    def of(cls, engine: SearchEngine) -> TopicCompleter:
        listing = engine.topics()
        services = tuple(dict.fromkeys(service for service, _ in listing))
        topics = [label for _, labels in listing for label in labels if 1 < len(label) <= 100]
        return cls(engine, tuple(dict.fromkeys([*services, *topics])), services)

    def _named(self, text: str) -> list[str]:
        """Services the glossary reads in the text: 'cfn' → AWS CloudFormation."""
        return [service for service, _ in self.engine.topics(text)] if len(text) <= 200 else []

    def complete(self, text: str, limit: int = LIMIT, services_only: bool = False) -> list[Suggestion]:
        pool, folded = (
            (self.services, self._folded_services) if services_only else (self.names, self._folded_names)
        )
        typed = normalize(text.strip())
        if not typed:
            return [Suggestion(clip(n, CHOICE_LIMIT), clip(n, CHOICE_LIMIT)) for n in self.services[:limit]]
        hits = self._named(text)
        hits += [n for n, f in zip(pool, folded, strict=True) if typed in f and n not in hits]
        if len(hits) < limit:
            # Typos: 'dynamdb', 'cloudfromation'
            scored = process.extract(typed, folded, scorer=fuzz.WRatio, limit=limit, score_cutoff=70)
            hits.extend(pool[i] for _, _, i in scored if pool[i] not in hits)
        return [Suggestion(clip(n, CHOICE_LIMIT), clip(n, CHOICE_LIMIT)) for n in hits[:limit]]


def complete_zone(text: str, limit: int = LIMIT) -> list[Suggestion]:
    """IANA zones containing what was typed; JST and friends resolve to their zone."""
    typed = text.strip().lower()
    if not typed:
        return [Suggestion(z, z) for z in _POPULAR_ZONES[:limit]]
    exact = parse_zone(typed)
    found = [exact] if exact else []
    found += [z for z in _POPULAR_ZONES if typed in z.lower() and z not in found]
    found += [z for z in _sorted_zones() if typed in z.lower() and z not in found]
    return [Suggestion(z, z) for z in found[:limit]]


@cache
def _sorted_zones() -> tuple[str, ...]:
    return tuple(sorted(zone_names()))


def complete_time(text: str, limit: int = LIMIT) -> list[Suggestion]:
    """'7' → 07:00, 07:30; '' → the usual morning slots; a full time is offered as typed."""
    typed = text.strip()
    exact = parse_time(typed) if typed else None
    if exact is not None:
        value = exact.strftime("%H:%M")
        return [Suggestion(value, value)]
    slots = [f"{h:02d}:{m:02d}" for h in range(24) for m in (0, 30)]
    if not typed:
        preferred = ["09:00", "08:00", "08:30", "09:30", "10:00", "12:00", "13:00", "18:00"]
        return [Suggestion(s, s) for s in preferred[:limit]]
    digits = typed.replace(":", "").replace("時", "")
    matches = [s for s in slots if s.replace(":", "").startswith(digits.zfill(2)[:4])]
    matches += [s for s in slots if s.replace(":", "").lstrip("0").startswith(digits) and s not in matches]
    return [Suggestion(s, s) for s in matches[:limit]]


def complete_days(text: str, limit: int = LIMIT) -> list[Suggestion]:
    """Common weekday patterns; anything the grammar reads is offered as typed."""
    typed = text.strip()
    days = parse_days(typed) if typed else None
    found = [Suggestion(clip(typed, CHOICE_LIMIT), clip(typed, CHOICE_LIMIT))] if days is not None else []
    lowered = typed.lower()
    found += [
        Suggestion(label, value)
        for label, value in _DAY_PATTERNS
        if not lowered or (lowered in label.lower() and parse_days(value) != days)
    ]
    return found[:limit]

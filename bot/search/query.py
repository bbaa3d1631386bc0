"""Read a query: service names, glossary terms, plain words and Japanese segments, typos mended.

The result is a plan of units. A unit is one thing the user asked about, with every way the notes
might say it (its forms); a passage matches a unit if it matches any of its forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.search.glossary import Glossary
from bot.search.index import SearchIndex
from bot.search.text import compact, japanese_segments, normalize, segment_tokens

_LATIN_WORD = re.compile(r"[a-z0-9]+(?:[._\-/:'+][a-z0-9]+)*")
_SUFFIXES = ("'s", "ies", "es", "s", "ing", "ed", "ly")
_SEPARATORS = re.compile(r"[._\-/:'+]")
_PARTS = re.compile(r"[a-z]+|[0-9]+")  # 'put-metric-data' → put, metric, data; '24h' → 24, h
_QUERY_WORD = re.compile(r"[ァ-ヴヷ-ヺー]+|[一-龥々〆ヵヶ]+(?:[ぁ-ゖ]{1,2}[一-龥々〆ヵヶ]+)*")
_MIN_FUZZY_LENGTH = 4


@dataclass(frozen=True)
class Form:
    """One way of saying a unit: all tokens must be present (strict) or most of them (soft).

    A strict form of several tokens also keeps its `phrase` (normalised, without spaces or hyphens):
    its tokens found apart are not the phrase ('パーティション' … 'リージョンキー' is not
    'パーティションキー', ecsTaskExecutionRole is not 'task role').
    """

    tokens: tuple[str, ...]
    strict: bool
    phrase: str | None = None


@dataclass(frozen=True)
class Unit:
    label: str
    forms: tuple[Form, ...]


@dataclass(frozen=True)
class ServiceUnit:
    """A service named in the query ('kinesis' names two): passages in it or naming it rank first.

    `implied` services are only named inside a term ('lambda authorizer' is API Gateway's): they
    lift their passages but never turn a query into a request for their overview.
    """

    label: str
    headings: frozenset[str]
    forms: tuple[Form, ...]
    implied: bool = False


@dataclass(frozen=True)
class QueryPlan:
    units: tuple[Unit, ...]
    services: tuple[ServiceUnit, ...] = ()
    corrections: tuple[tuple[str, str], ...] = ()  # (typed, understood as)
    unknown: tuple[str, ...] = ()  # words the notes and glossary do not know

    @property
    def headings(self) -> frozenset[str]:
        return frozenset(h for s in self.services for h in s.headings)

    @property
    def named(self) -> tuple[ServiceUnit, ...]:
        """The services the query names itself, not through a term."""
        return tuple(s for s in self.services if not s.implied)


def make_form(surface: str, strict: bool = True) -> Form | None:
    """Tokens of a normalised surface form. Glossary names need all their tokens (strict); what a
    user typed in Japanese needs most of its bigrams, since their wording differs from the notes'."""
    latin = _LATIN_WORD.findall(surface)
    grams = [g for s in japanese_segments(surface) for g in segment_tokens(s)]
    tokens = tuple(dict.fromkeys([*latin, *grams]))
    if not tokens:
        return None
    exact = strict or not grams
    phrase = compact(surface) if exact and len(tokens) > 1 else None
    return Form(tokens=tokens, strict=exact, phrase=phrase)


@dataclass
class QueryReader:
    """Turns raw queries into plans, with lookup tables prepared once per index."""

    glossary: Glossary
    index: SearchIndex
    _ja_forms: list[str] = field(init=False)
    _fuzzy_words: list[str] = field(init=False)
    _known: frozenset[str] = field(init=False)
    _max_phrase: int = field(init=False)
    _service_forms: dict[str, tuple[Form, ...]] = field(init=False)
    _term_forms: dict[int, tuple[Form, ...]] = field(init=False, default_factory=dict)  # filled on use

    def __post_init__(self) -> None:
        names = set(self.glossary.terms) | set(self.glossary.service_aliases)
        self._ja_forms = sorted((n for n in names if not n.isascii()), key=len, reverse=True)
        self._max_phrase = max((len(n.split()) for n in names if n.isascii()), default=1)
        single = {n for n in names if n.isascii() and " " not in n}
        parts = {p for n in names if n.isascii() for p in n.split()}
        self._known = frozenset(self.index.latin_vocabulary | single | parts)
        self._fuzzy_words = sorted(w for w in self._known if len(w) >= _MIN_FUZZY_LENGTH and w.isalpha())
        self._service_forms = {
            heading: self._mention_forms(names)
            for heading, names in self.glossary.aliases_by_heading().items()
        }

    def _mention_forms(self, names: frozenset[str]) -> tuple[Form, ...]:
        """How a passage names a service in passing: its short Latin names ('ELB', 'Amazon EC2'),
        never its whole heading (long names would only cost time on decks with many services),
        and, for a name that is also a glossary term, that term's forms: 'AWS Backup' is named
        by 'バックアップ', AWS Lambda by the notes' 'Lamda'."""
        surfaces = set(names)
        for name in names:
            if name in self.glossary.terms:
                surfaces.update(self.glossary.groups[self.glossary.terms[name]])
        forms = ((surface, make_form(surface)) for surface in sorted(surfaces))
        # Japanese names are phrases, checked as such, so their bigram count does not matter.
        return tuple(f for s, f in forms if f is not None and (len(f.tokens) <= 2 or not s.isascii()))

    def read(self, query: str) -> QueryPlan:
        text = normalize(query)
        units: list[Unit] = []
        services: dict[frozenset[str], ServiceUnit] = {}
        corrections: list[tuple[str, str]] = []
        unknown: list[str] = []

        def take_name(name: str, typed: str, implied: bool = False) -> bool:
            headings = self.glossary.service_aliases.get(name)
            if headings is not None:
                known = services.get(headings)
                if known is None or (known.implied and not implied):
                    forms = tuple(dict.fromkeys(f for h in sorted(headings) for f in self._service_forms[h]))
                    services[headings] = ServiceUnit(typed, headings, forms, implied)
                return True
            if "_" in name and name in self.index.latin_vocabulary:
                # A code such as AWS_RISK_CREDENTIALS_EXPOSED has one spelling: where the notes
                # carry it verbatim, that is the answer, not a passage with one of its synonyms.
                units.append(Unit(label=typed, forms=(Form((name,), strict=True),)))
                return True
            if name in self.glossary.terms:
                units.append(Unit(label=typed, forms=self._group_forms(self.glossary.terms[name])))
                # 'dynamodb stream' is a term, and it also names the service it belongs to, most
                # likely: 'lambda authorizer' belongs to API Gateway, so the service is only implied.
                for word in name.split()[:-1]:
                    if word in self.glossary.service_aliases:
                        take_name(word, word, implied=True)
                return True
            return False

        # Names with Japanese in them are found as substrings, longest first, before stop words
        # go: removing 'か' first would break '動かす'.
        for name in self._ja_forms:
            if name in text:
                take_name(name, name)
                text = text.replace(name, " ")
        for stop in self.glossary.stopwords_ja:
            text = text.replace(stop, " ")

        words = [m for w in _LATIN_WORD.findall(text) for m in self._mend(w, corrections)]
        i = 0
        while i < len(words):
            for n in range(min(self._max_phrase, len(words) - i), 0, -1):
                phrase = " ".join(words[i : i + n])
                if take_name(phrase, phrase):
                    i += n
                    break
            else:
                self._read_word(words[i], units, unknown)
                i += 1

        leftovers = _japanese_words(_LATIN_WORD.sub(" ", text))
        if units or services or len(leftovers) > 1:
            # A lone kanji left over from a phrase (シャード数 → 数) says little about the topic.
            leftovers = [w for w in leftovers if len(w[1]) > 1 or len(w[1][0]) > 1]
        for label, pieces in leftovers:
            tokens = tuple(dict.fromkeys(t for piece in pieces for t in segment_tokens(piece)))
            units.append(Unit(label=label, forms=(Form(tokens, strict=False),)))

        return QueryPlan(
            units=tuple(units),
            services=tuple(services.values()),
            corrections=tuple(corrections),
            unknown=tuple(unknown),
        )

    def phrase_forms(self) -> set[Form]:
        """Every glossary and service-mention form that is a phrase (see `Form.phrase`)."""
        forms = {f for group in range(len(self.glossary.groups)) for f in self._group_forms(group)}
        forms.update(f for mentions in self._service_forms.values() for f in mentions)
        return {f for f in forms if f.phrase is not None}

    def _group_forms(self, group: int) -> tuple[Form, ...]:
        """The forms of a glossary synonym group, made the first time a query names it."""
        forms = self._term_forms.get(group)
        if forms is None:
            forms = tuple(f for f in map(make_form, self.glossary.groups[group]) if f is not None)
            self._term_forms[group] = forms
        return forms

    def _mend(self, word: str, corrections: list[tuple[str, str]]) -> list[str]:
        """A word as the notes or glossary know it: plural and tense stripped, typos fixed,
        an unknown compound ('swap-environment-cnames', '24h') split into known parts."""
        if word in self._known or word in self.glossary.stopwords_en:
            return [word]
        stem = self._stem(word)
        if stem is not None:
            return [stem]
        if not word.isalpha():
            joined = _SEPARATORS.sub("", word)
            if joined in self._known:
                return [joined]
            parts = [p for p in _PARTS.findall(word) if p]
            if len(parts) > 1:
                return [m for p in parts for m in self._mend(p, corrections)]
            return [word]
        corrected = self.correct(word)
        if corrected is None:
            return [word]
        corrections.append((word, corrected))
        return [corrected]

    def _stem(self, word: str) -> str | None:
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                stem = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
                if stem in self._known:
                    return stem
        return None

    def _read_word(self, word: str, units: list[Unit], unknown: list[str]) -> None:
        if word in self.glossary.stopwords_en:
            return
        if word not in self._known:
            unknown.append(word)
        # Mended words are lower-case Latin (the query is normalised, the known words are index
        # tokens and glossary names), so the word is its own whole-word token.
        units.append(Unit(label=word, forms=(Form((word,), strict=True),)))

    def correct(self, word: str, lenient: bool = False) -> str | None:
        """The known word closest to a typo (transpositions count as one edit), if close enough."""
        if len(word) < _MIN_FUZZY_LENGTH or not word.isalpha():
            return None
        if len(word) < 5 and not lenient:
            return None  # 'keep' is not a typo of 'deep'
        limit = 1 if len(word) <= 7 else 2
        if lenient and len(word) >= 6:
            limit += 1
        found = process.extractOne(word, self._fuzzy_words, scorer=OSA.distance, score_cutoff=limit)
        return None if found is None else str(found[0])


def _japanese_words(text: str) -> list[tuple[str, list[str]]]:
    """Katakana words and kanji words of a query; okurigana inside a kanji word are dropped
    ('書き込み' → 書, 込) so that it is looked up by its kanji, as the index has them."""
    found: list[tuple[str, list[str]]] = []
    for match in _QUERY_WORD.finditer(text):
        word = match.group(0)
        pieces = [p for p in japanese_segments(word)]
        if pieces:
            found.append((word, pieces))
    return found

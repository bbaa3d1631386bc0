"""Rank passages for a query: the most specific bullet whose subtree answers it."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from bot.notes.errata import Erratum
from bot.notes.model import Deck, Link
from bot.search.glossary import Glossary
from bot.search.index import FloatArray, IntArray, SearchIndex, build_index
from bot.search.passage import MAX_REFS, passage_refs, render_passage
from bot.search.query import Form, QueryPlan, QueryReader, ServiceUnit
from bot.search.results import Hit, Problem, SearchOutcome
from bot.search.text import normalize

MAX_QUERY_CHARS = 2000
MAX_HITS = 5

_SOFT_MATCH = 0.6  # share of a Japanese form's (idf-weighted) bigrams that must be present
_IN_CHILDREN = 0.8  # a term found below a bullet counts nearly as much as in it
_IN_ANCESTOR = 0.5  # a term in the enclosing topic label gives context, not an answer
_LABEL_BONUS = 0.25  # a short bullet with children that names the term is the topic itself
_TOPIC_BONUS = 0.05  # among equals, the words under a topic about them beat the same words elsewhere
# BM25's length normalisation, textbook values: a word in a long sentence says less about the sentence
# than in a short note (the supplement's facts are whole sentences, twice the team's length).
_BM25_K1 = 1.2
_BM25_B = 0.75
_SERVICE_WEIGHT = 1.5  # being in the named service outweighs any single other term
_MENTION = 0.6  # naming a service in passing is weaker evidence than being in its section
_SIZE_PENALTY = 0.005  # among equals, the smaller passage is the more specific one
_KEEP_RATIO = 0.15
_SHORTLIST = 50
_CONTEXT_MAX_NODES = 7
_SUGGEST_SCORE = 60
_NO_NODES: IntArray = np.zeros(0, dtype=np.int32)
_NO_VALUES: FloatArray = np.zeros(
    0, dtype=np.float32
)  # further hits must score at least this share of the best


def _length_fit(index: SearchIndex) -> FloatArray:
    """BM25's weight of one occurrence in each node, capped at 1: short notes keep full weight."""
    lengths = np.asarray([len(p) for p in index.phrases], dtype=np.float32)
    mean = float(lengths[index.is_candidate].mean()) if index.is_candidate.any() else 1.0
    relative = lengths / max(mean, 1.0)
    fit = (_BM25_K1 + 1) / (1 + _BM25_K1 * (1 - _BM25_B + _BM25_B * relative))
    capped: FloatArray = np.minimum(1.0, fit).astype(np.float32)
    return capped


@dataclass(frozen=True)
class _Presence:
    """One service of a query over the index: its section (`member`) and the passages naming it
    in passing, in their own text (1) or below it (0.8), like any other term (`mention`)."""

    service: ServiceUnit
    member: FloatArray
    mention: FloatArray
    said: FloatArray  # named in the passage's own text


@dataclass
class SearchEngine:
    """The lookup behind `/dop ask`: build once from the decks, then query many times."""

    index: SearchIndex
    glossary: Glossary
    errata: Mapping[str, Erratum] = field(default_factory=dict)  # the project's corrections, by note id
    reader: QueryReader = field(init=False)
    _warnings: dict[str, str] = field(init=False)  # the ⚠ line of each corrected bullet
    _service_names: dict[str, str] = field(init=False)
    _heading_of_alias: dict[str, str] = field(init=False)  # alias → the first heading it names
    _topic_labels: list[str] = field(init=False)
    _position: dict[str, int] = field(init=False)
    _length_fit: FloatArray = field(init=False)  # what a match in each node is worth, by its length
    _phrase_matches: dict[Form, tuple[IntArray, FloatArray]] = field(init=False)

    def __post_init__(self) -> None:
        self.reader = QueryReader(self.glossary, self.index)
        self._warnings = {note_id: e.ja for note_id, e in self.errata.items()}
        self._position = {node_id: i for i, node_id in enumerate(self.index.node_ids)}
        self._service_names = {
            heading: self.index.node(ids[0]).text for heading, ids in self.index.service_index.items()
        }
        self._heading_of_alias = {
            alias: sorted(headings)[0] for alias, headings in self.glossary.service_aliases.items()
        }
        self._length_fit = _length_fit(self.index)
        # Every glossary phrase is matched once here (a few tens of ms on the notes): checking that a
        # node says the phrase is a Python loop over its candidates, too slow per query on big decks.
        self._phrase_matches = {}
        for form in self.reader.phrase_forms():
            self._phrase_matches[form] = self._form_matches(form)
        topics = np.flatnonzero(self.index.is_candidate & (self.index.depth == 3))
        self._topic_labels = sorted({self.index.node(int(i)).text for i in topics})

    @classmethod
    def build(
        cls, decks: list[Deck], glossary: Glossary, errata: Mapping[str, Erratum] | None = None
    ) -> SearchEngine:
        return cls.of(build_index(decks), glossary, errata)

    @classmethod
    def of(
        cls, index: SearchIndex, glossary: Glossary, errata: Mapping[str, Erratum] | None = None
    ) -> SearchEngine:
        """An engine over an index built before (a start-up snapshot keeps the index, not the engine)."""
        headings = [n.text for d in index.decks.values() for n in d.services()]
        return cls(index, glossary.with_headings(headings), errata or {})

    def search(self, query: str, limit: int = MAX_HITS) -> SearchOutcome:
        """Best passages first; an empty, overlong or unanswerable query says why instead."""
        if not query.strip():
            return SearchOutcome(query=query, problem=Problem.EMPTY)
        if len(query) > MAX_QUERY_CHARS:
            return SearchOutcome(query=query[:100], problem=Problem.TOO_LONG)
        plan = self.reader.read(query)
        ranked = self._rank(plan)
        if not ranked:
            return SearchOutcome(query=query, problem=Problem.NO_MATCH, suggestions=self.suggest(query, plan))
        hits = tuple(self._hit(i, score) for i, score in ranked[:limit])
        return SearchOutcome(query=query, hits=hits)

    # -- scoring -----------------------------------------------------------------------------

    def _form_matches(self, form: Form) -> tuple[IntArray, FloatArray]:
        """Nodes matching a multi-token form and how well (share of its idf-weighted tokens).

        Works on the postings alone, so its cost follows how common the tokens are, not the deck.
        """
        known = self._phrase_matches.get(form)
        if known is not None:
            return known
        weights = [self.index.token_idf(t) for t in form.tokens]
        total = sum(weights)
        found = [(self.index.postings.get(t), w / total) for t, w in zip(form.tokens, weights, strict=True)]
        present = [(nodes, share) for nodes, share in found if nodes is not None]
        need = 0.999 if form.strict else _SOFT_MATCH
        if sum(share for _, share in present) < need:
            return _NO_NODES, _NO_VALUES
        nodes = np.concatenate([n for n, _ in present])
        shares = np.repeat(
            np.asarray([s for _, s in present], dtype=np.float32), [len(n) for n, _ in present]
        )
        unique, position = np.unique(nodes, return_inverse=True)
        degree = np.bincount(position, weights=shares).astype(np.float32)
        keep = degree >= need
        if form.phrase is not None:
            # Few nodes hold every bigram of a glossary phrase; of those, keep the ones that say it.
            phrases = self.index.phrases
            keep[keep] = [form.phrase in phrases[n] for n in unique[keep]]
        matched: IntArray = unique[keep].astype(np.int32)
        share: FloatArray = np.ones(matched.size, dtype=np.float32) if form.strict else degree[keep]
        return matched, (share * self._length_fit[matched]).astype(np.float32)

    def _own(self, forms: tuple[Form, ...]) -> FloatArray:
        """For each node, how well its own text matches the best of the forms (0 = not at all)."""
        own = np.zeros(self.index.size, dtype=np.float32)
        whole_words = [self.index.postings.get(f.tokens[0]) for f in forms if f.strict and len(f.tokens) == 1]
        hits = [p for p in whole_words if p is not None]
        if hits:
            found = np.concatenate(hits)
            own[found] = self._length_fit[found]
        for form in set(forms):
            if len(form.tokens) > 1 or not form.strict:
                nodes, values = self._form_matches(form)
                if nodes.size:
                    own[nodes] = np.maximum(own[nodes], values)
        return own

    def _below(self, nodes: IntArray, values: FloatArray) -> FloatArray:
        """For each node, the best match among its descendants (walking up from the matches)."""
        best = np.zeros(self.index.size, dtype=np.float32)
        while nodes.size:
            nodes = self.index.parent[nodes]
            keep = nodes >= 0
            nodes, values = nodes[keep], values[keep]
            np.maximum.at(best, nodes, values)
        return best

    def _above(self, nodes: IntArray) -> FloatArray:
        """1 for nodes that sit below a matching node: +1 where a subtree opens, -1 where it ends."""
        size = self.index.size + 1
        marks = np.bincount(nodes + 1, minlength=size) - np.bincount(self.index.end[nodes], minlength=size)
        return (np.cumsum(marks[:-1]) > 0).astype(np.float32)

    def _service_membership(self, headings: frozenset[str]) -> FloatArray:
        member = np.zeros(self.index.size, dtype=np.float32)
        for heading in headings:
            for s in self.index.service_index.get(heading, []):
                member[s : self.index.end[s]] = 1.0
        return member

    def _services(self, plan: QueryPlan) -> tuple[list[_Presence], npt.NDArray[np.bool_] | None]:
        """Where each service of the query is, and, when it names two or more, the passages where
        all of them appear: inside one service's section, naming the others (in the passage's own
        text or below it). That is what 'cfn lambda' or 'elasticache backup' asks for."""
        presences: list[_Presence] = []
        for service in plan.services:
            own = self._own(service.forms)
            nodes: IntArray = np.flatnonzero(own).astype(np.int32)
            mention = np.maximum(own, _IN_CHILDREN * self._below(nodes, own[nodes]))
            presences.append(_Presence(service, self._service_membership(service.headings), mention, own))
        if len(presences) < 2:
            return presences, None
        inside_one = np.zeros(self.index.size, dtype=bool)
        joint = np.ones(self.index.size, dtype=bool)
        for presence in presences:
            inside_one |= presence.member > 0
            joint &= (presence.member > 0) | (presence.mention > 0)
        return presences, joint & inside_one

    def _rank(self, plan: QueryPlan) -> list[tuple[int, float]]:
        index = self.index
        candidates = int(index.is_candidate.sum()) or 1
        total = np.zeros(index.size, dtype=np.float32)
        label = np.zeros(index.size, dtype=np.float32)
        weights: list[float] = []
        for unit in plan.units:
            own = self._own(unit.forms)
            nodes: IntArray = np.flatnonzero(own).astype(np.int32)
            df = int(np.count_nonzero(index.is_candidate[nodes]))
            if df == 0:
                continue
            weight = math.log(1 + candidates / df)
            weights.append(weight)
            value = np.maximum(own, _IN_CHILDREN * self._below(nodes, own[nodes]))
            above = self._above(nodes)
            np.maximum(value, _IN_ANCESTOR * above, out=value)
            # The same words under a topic about them beat them under an unrelated topic.
            total += weight * (value + _TOPIC_BONUS * above)
            label += weight * own
        presences, joint = self._services(plan)
        if not weights:
            # Only services: where they all appear, else each one's overview.
            if joint is not None and (joint & index.is_candidate).any():
                # With no other word to narrow it, the topic is the answer, not one line of it.
                return self._best_distinct(self._joint_scores(presences, joint), context_nodes=index.size)
            return self._overviews(plan.headings)
        total += _LABEL_BONUS * label * index.is_label
        answered = total > 0
        weight_sum = sum(weights)
        named = np.zeros(index.size, dtype=bool) if joint is None else joint.copy()
        service_weight = _SERVICE_WEIGHT * max(weights)
        for presence in presences:
            if not presence.service.implied:
                named |= presence.member > 0
            inside = np.maximum(presence.member, _MENTION * presence.mention)
            if joint is not None:
                # A passage where all the named services appear counts each one in full.
                inside = np.where(joint, np.maximum(presence.member, presence.mention), inside)
            total += service_weight * inside
            weight_sum += service_weight
        if plan.named and not (answered & named & index.is_candidate).any():
            # Nothing in the named services answers the rest: their overview beats another service.
            return self._overviews(frozenset(h for s in plan.named for h in s.headings))
        total -= _SIZE_PENALTY * weight_sum * np.log2(1 + index.subtree_size)
        score = np.where(answered & index.is_candidate, total / weight_sum, -np.inf)
        return self._best_distinct(score)

    def _joint_scores(self, presences: list[_Presence], joint: npt.NDArray[np.bool_]) -> FloatArray:
        """Passages where every named service appears, by how plainly (in the section or the
        passage's own words first), the more specific first."""
        total = np.zeros(self.index.size, dtype=np.float32)
        for presence in presences:
            total += np.maximum(presence.member, presence.mention)
            total += _LABEL_BONUS * presence.said * self.index.is_label  # a topic named for it
        weight_sum = float(len(presences))
        total -= _SIZE_PENALTY * weight_sum * np.log2(1 + self.index.subtree_size)
        return np.where(joint & self.index.is_candidate, total / weight_sum, -np.inf)

    def _best_distinct(
        self, score: FloatArray, context_nodes: int = _CONTEXT_MAX_NODES
    ) -> list[tuple[int, float]]:
        """Top passages, skipping any that lies inside or around one already taken."""
        finite = np.flatnonzero(np.isfinite(score))
        if finite.size == 0:
            return []
        if finite.size > _SHORTLIST:
            # Only the best few can be hits: partition instead of sorting every match.
            finite = finite[np.argpartition(-score[finite], _SHORTLIST)[:_SHORTLIST]]
        order = finite[np.lexsort((finite, -score[finite]))]  # best first; ties in document order
        best = float(score[order[0]])
        taken: list[tuple[int, float]] = []
        for i in order:
            s = float(score[i])
            if s < best * _KEEP_RATIO or len(taken) == MAX_HITS:
                break
            i = self._with_context(int(i), context_nodes)
            if any(t <= i < self.index.end[t] or i <= t < self.index.end[i] for t, _ in taken):
                continue
            taken.append((int(i), s))
        return taken

    def _with_context(self, i: int, context_nodes: int = _CONTEXT_MAX_NODES) -> int:
        """A lone fact under a small topic is shown with that topic: the label and the facts
        beside it are what make one line readable ('デフォルト値は300秒' says nothing alone)."""
        parent = int(self.index.parent[i])
        if (
            self.index.subtree_size[i] == 1
            and parent >= 0
            and self.index.is_candidate[parent]
            and self.index.subtree_size[parent] <= context_nodes
        ):
            return parent
        return i

    def _overviews(self, headings: frozenset[str]) -> list[tuple[int, float]]:
        """A query that only names services gets each service's overview (概要); a service with none
        in any deck gets its first topic (a deck's section without one adds nothing beside another's)."""
        found: list[tuple[int, float]] = []
        for heading in sorted(headings):
            overviews: list[int] = []
            first: list[int] = []
            for s in self.index.service_index.get(heading, []):
                topics = [i for i in range(s + 1, int(self.index.end[s])) if self.index.parent[i] == s]
                overviews += [i for i in topics if self.index.node(i).text.startswith("概要")][:1]
                first += topics[:1]
            found.extend((i, 1.0) for i in (overviews or first))
        return found[:MAX_HITS]

    # -- presentation ------------------------------------------------------------------------

    def _hit(self, i: int, score: float) -> Hit:
        deck = self.index.deck_of(i)
        node = self.index.node(i)
        corrected = tuple(n.id for n in (node, *deck.descendants(node.id)) if n.id in self.errata)
        # An erratum's source comes first: it is the link that says what is true today.
        sources = tuple(Link(self.errata[c].source, self.errata[c].source) for c in corrected)
        refs = tuple({link.url: link for link in (*sources, *passage_refs(deck, node))}.values())
        return Hit(
            node_id=node.id,
            path=tuple(deck.breadcrumb(node.id)),
            title=node.text,
            text=render_passage(deck, node, warnings=self._warnings),
            source=node.source,
            line=node.line,
            score=round(max(score, 0.0), 4),
            refs=refs[:MAX_REFS],
            corrected=corrected,
        )

    def passage(self, node_id: str) -> Hit | None:
        """The passage of one note by id (what a shared answer shows)."""
        if node_id not in self._position:
            return None
        return self._hit(self._position[node_id], 1.0)

    def suggest(self, query: str, plan: QueryPlan) -> tuple[str, ...]:
        """'Did you mean' words, then the services and topics whose names come closest."""
        suggestions: list[str] = []
        for word in plan.unknown:
            corrected = self.reader.correct(word, lenient=True)
            if corrected and corrected not in suggestions:
                suggestions.append(corrected)
        text = normalize(query)
        aliases = list(self._heading_of_alias)
        for alias, score, _ in process.extract(text, aliases, scorer=fuzz.WRatio, limit=5):
            named = self._heading_of_alias[alias]
            heading = self._service_names.get(named, named)
            if score >= _SUGGEST_SCORE and heading not in suggestions:
                suggestions.append(heading)
        for topic, score, _ in process.extract(text, self._topic_labels, scorer=fuzz.WRatio, limit=3):
            if score >= _SUGGEST_SCORE and topic not in suggestions:
                suggestions.append(topic)
        return tuple(suggestions[:6])

    def topics(self, service: str | None = None) -> list[tuple[str, list[str]]]:
        """Services with their topic labels; `service` narrows to the services it names."""
        wanted: set[str] | None = None
        if service:
            wanted = set(self.reader.read(service).headings)
        listing: list[tuple[str, list[str]]] = []
        for heading, ids in self.index.service_index.items():
            if wanted is not None and heading not in wanted:
                continue
            for s in ids:
                node = self.index.node(s)
                labels = [child.text for child in self.index.deck_of(s).fact_children(node.id)]
                listing.append((node.text, labels))
        return listing

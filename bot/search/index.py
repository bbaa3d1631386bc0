"""An in-memory inverted index over the notes' fact bullets, with the tree kept as arrays.

Passages are scored with whole-array numpy arithmetic, so a query costs a few vector operations
per query term however large the deck is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.notes.model import Deck, Node, NodeKind
from bot.search.text import compact, index_tokens, normalize

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float32]

_LABEL_MAX_CHARS = 30  # a bullet this short with children reads as a topic label


@dataclass
class SearchIndex:
    """Nodes (services and fact bullets of every deck) in document order, plus postings.

    `end[i]` is one past the last node of i's subtree, so a subtree is the slice i:end[i].
    """

    decks: dict[str, Deck]
    node_ids: list[str]
    node_deck: list[str]
    parent: IntArray
    end: IntArray
    depth: IntArray
    is_candidate: npt.NDArray[np.bool_]  # fact bullets: what a hit can be
    is_label: npt.NDArray[np.bool_]
    subtree_size: FloatArray
    service_index: dict[str, list[int]]  # normalised heading → its service nodes
    postings: dict[str, IntArray]
    idf: dict[str, float]
    latin_vocabulary: frozenset[str]  # the ASCII tokens: every Latin word and part the notes use
    phrases: list[str]  # each node's plain text, normalised without spaces (see Form.phrase)

    @property
    def size(self) -> int:
        return len(self.node_ids)

    def node(self, i: int) -> Node:
        return self.decks[self.node_deck[i]][self.node_ids[i]]

    def deck_of(self, i: int) -> Deck:
        return self.decks[self.node_deck[i]]

    def token_idf(self, token: str) -> float:
        """Rarer tokens weigh more; a token the notes never use gets the weight of a one-off."""
        return self.idf.get(token, math.log(1 + self.size))


def _searchable_text(node: Node) -> str:
    return " ".join((node.raw, *node.extra))


def build_index(decks: list[Deck]) -> SearchIndex:
    """Index every service and fact bullet; references and WIP placeholders are left out."""
    node_ids: list[str] = []
    node_deck: list[str] = []
    parents: list[int] = []
    depths: list[int] = []
    candidate: list[bool] = []
    label: list[bool] = []
    service_index: dict[str, list[int]] = {}
    token_nodes: dict[str, list[int]] = {}
    ends: list[int] = []
    phrases: list[str] = []

    def visit(deck: Deck, node: Node, parent: int) -> None:
        i = len(node_ids)
        node_ids.append(node.id)
        node_deck.append(deck.source)
        phrases.append(compact(" ".join((node.text, *node.extra))))
        parents.append(parent)
        depths.append(node.depth)
        ends.append(0)
        is_fact = node.kind is NodeKind.FACT
        candidate.append(is_fact)
        fact_children = deck.fact_children(node.id)
        label.append(is_fact and bool(fact_children) and len(node.text) <= _LABEL_MAX_CHARS)
        if node.kind is NodeKind.SERVICE:
            service_index.setdefault(normalize(node.text), []).append(i)
        for token in index_tokens(_searchable_text(node)):
            token_nodes.setdefault(token, []).append(i)
        for child in fact_children:
            visit(deck, child, i)
        ends[i] = len(node_ids)

    for deck in decks:
        for node in deck.walk():
            if node.kind is NodeKind.SERVICE:
                visit(deck, node, -1)

    n = len(node_ids)
    end = np.asarray(ends, dtype=np.int32)
    starts = np.arange(n, dtype=np.int32)
    postings = {t: np.asarray(ix, dtype=np.int32) for t, ix in token_nodes.items()}
    idf = {t: math.log(1 + n / (1 + len(ix))) for t, ix in token_nodes.items()}
    return SearchIndex(
        decks={d.source: d for d in decks},
        node_ids=node_ids,
        node_deck=node_deck,
        parent=np.asarray(parents, dtype=np.int32),
        end=end,
        depth=np.asarray(depths, dtype=np.int32),
        is_candidate=np.asarray(candidate, dtype=bool),
        is_label=np.asarray(label, dtype=bool),
        subtree_size=(end - starts).astype(np.float32),
        service_index=service_index,
        postings=postings,
        idf=idf,
        # index_tokens keeps each whole Latin compound (lower-cased), so these hold every Latin word.
        latin_vocabulary=frozenset(t for t in token_nodes if t.isascii()),
        phrases=phrases,
    )

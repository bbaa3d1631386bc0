"""Value types for a parsed deck of notes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum


class NodeKind(StrEnum):
    """What a node of the notes tree stands for."""

    DECK = "deck"
    CATEGORY = "category"
    SERVICE = "service"
    FACT = "fact"  # an ordinary bullet: a topic label or a fact
    REFERENCE = "reference"  # a 参考 list or a bullet that is only a link
    WIP = "wip"  # a placeholder bullet such as "WIP"


@dataclass(frozen=True)
class Link:
    """A reference link found in the notes (Markdown link or bare URL)."""

    title: str
    url: str


@dataclass(frozen=True)
class Diagnostic:
    """A problem found while reading a notes file, reported as `file:line: message`."""

    source: str
    line: int
    severity: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class Node:
    """One heading or bullet of the notes.

    `text` is plain text (links reduced to their titles, code marks removed); `raw` is the
    Markdown as written. `extra` holds continuation lines that belong to the node.
    """

    id: str
    kind: NodeKind
    text: str
    raw: str
    source: str
    line: int
    depth: int  # 0 deck, 1 category, 2 service, 3+ bullets
    parent: str | None
    children: tuple[str, ...]
    links: tuple[Link, ...] = ()
    code: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()

    @property
    def is_fact(self) -> bool:
        """True for bullets that carry study content (not references or placeholders)."""
        return self.kind is NodeKind.FACT


@dataclass(frozen=True)
class Deck:
    """A parsed notes file: its nodes in document order, keyed by stable id."""

    name: str
    source: str
    root_id: str
    nodes: dict[str, Node] = field(repr=False)
    order: tuple[str, ...] = field(repr=False)

    def __getitem__(self, node_id: str) -> Node:
        return self.nodes[node_id]

    @property
    def root(self) -> Node:
        return self.nodes[self.root_id]

    def walk(self) -> Iterator[Node]:
        """Every node in document order."""
        for node_id in self.order:
            yield self.nodes[node_id]

    def ancestors(self, node_id: str) -> list[Node]:
        """From the deck root down to the node's parent."""
        chain: list[Node] = []
        parent = self.nodes[node_id].parent
        while parent is not None:
            chain.append(self.nodes[parent])
            parent = self.nodes[parent].parent
        chain.reverse()
        return chain

    def breadcrumb(self, node_id: str) -> list[str]:
        """Texts from the category down to the node's parent (the deck itself left out)."""
        return [n.text for n in self.ancestors(node_id) if n.kind is not NodeKind.DECK]

    def fact_children(self, node_id: str) -> list[Node]:
        """The node's children that carry study content (fact bullets), in order."""
        children = (self.nodes[child_id] for child_id in self.nodes[node_id].children)
        return [child for child in children if child.is_fact]

    def descendants(self, node_id: str) -> Iterator[Node]:
        """The node's subtree below it, in document order."""
        for child_id in self.nodes[node_id].children:
            child = self.nodes[child_id]
            yield child
            yield from self.descendants(child_id)

    def service_of(self, node_id: str) -> Node | None:
        """The service heading a node sits under (or is)."""
        node = self.nodes[node_id]
        if node.kind is NodeKind.SERVICE:
            return node
        for ancestor in self.ancestors(node_id):
            if ancestor.kind is NodeKind.SERVICE:
                return ancestor
        return None

    def services(self) -> list[Node]:
        return [n for n in self.walk() if n.kind is NodeKind.SERVICE]

    def categories(self) -> list[Node]:
        return [n for n in self.walk() if n.kind is NodeKind.CATEGORY]

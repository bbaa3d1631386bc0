"""Turn a matched node into the passage people read: the bullet, its children, its references."""

from __future__ import annotations

from bot.clip import clip
from bot.notes.model import Deck, Link, Node, NodeKind

PASSAGE_LIMIT = 1500  # characters: fits a Slack section block and a Discord embed with room to spare
MAX_REFS = 5


def passage_lines(deck: Deck, node: Node) -> list[str]:
    """The node's text and continuation lines, then its fact children as an indented list."""
    lines = [node.text, *(f"  {extra}" for extra in node.extra)]

    def add_children(parent: Node, level: int) -> None:
        for child in deck.fact_children(parent.id):
            indent = "  " * level
            lines.append(f"{indent}- {child.text}")
            lines.extend(f"{indent}  {extra}" for extra in child.extra)
            add_children(child, level + 1)

    add_children(node, 0)
    return lines


def render_passage(deck: Deck, node: Node, limit: int = PASSAGE_LIMIT) -> str:
    """Whole lines up to `limit` characters; a cut passage ends with '…' so readers know."""
    kept: list[str] = []
    used = 0
    lines = passage_lines(deck, node)
    for i, line in enumerate(lines):
        if used + len(line) + 1 > limit and i > 0:
            kept.append("  …")
            break
        kept.append(clip(line, limit))
        used += len(line) + 1
    return "\n".join(kept)


def passage_refs(deck: Deck, node: Node, limit: int = MAX_REFS) -> tuple[Link, ...]:
    """Links inside the passage first, then 参考 lists of the enclosing topics and service."""
    found: dict[str, Link] = {}

    def take(links: tuple[Link, ...]) -> None:
        for link in links:
            found.setdefault(link.url, link)

    take(node.links)
    for descendant in deck.descendants(node.id):
        take(descendant.links)
    for ancestor in reversed(deck.ancestors(node.id)):
        if ancestor.kind in (NodeKind.CATEGORY, NodeKind.DECK):
            break
        for child_id in ancestor.children:
            child = deck[child_id]
            if child.kind is NodeKind.REFERENCE:
                take(child.links)
                for descendant in deck.descendants(child_id):
                    take(descendant.links)
    return tuple(found.values())[:limit]

"""Turn a matched node into the passage people read: the bullet, its children, its references."""

from __future__ import annotations

from collections.abc import Mapping

from bot.clip import clip
from bot.notes.model import Deck, Link, Node, NodeKind

WARNING = "⚠"
PASSAGE_LIMIT = 1500  # characters: fits a Slack section block and a Discord embed with room to spare
MAX_REFS = 5


def passage_lines(deck: Deck, node: Node, warnings: Mapping[str, str] | None = None) -> list[str]:
    """The node's text and continuation lines, then its fact children as an indented list. A bullet
    with an entry in `warnings` (an erratum's correction) is followed by a ⚠ line carrying it."""
    notes = warnings or {}
    lines = [node.text, *(f"  {extra}" for extra in node.extra)]
    if node.id in notes:
        lines.append(f"  {WARNING} {notes[node.id]}")

    def add_children(parent: Node, level: int) -> None:
        for child in deck.fact_children(parent.id):
            indent = "  " * level
            lines.append(f"{indent}- {child.text}")
            lines.extend(f"{indent}  {extra}" for extra in child.extra)
            if child.id in notes:
                lines.append(f"{indent}  {WARNING} {notes[child.id]}")
            add_children(child, level + 1)

    add_children(node, 0)
    return lines


def render_passage(
    deck: Deck, node: Node, limit: int = PASSAGE_LIMIT, warnings: Mapping[str, str] | None = None
) -> str:
    """Whole lines up to `limit` characters; a cut passage ends with '…' so readers know."""
    kept: list[str] = []
    used = 0
    lines = passage_lines(deck, node, warnings)
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

"""What a generated prompt says about where its fact sits: the service, the topic, and the label right
above the fact when that label is needed to read it ('ENA' vs 'Intel 82599 VF'). Never the whole
breadcrumb: headings that only arrange the notes ('以下の通り', '種類') are not knowledge."""

from __future__ import annotations

from bot.notes.model import Deck, Node, NodeKind
from bot.quiz.text import looks_like_label

_ARRANGING = ("以下", "通り", "次の")


def _shown(node: Node, generic: frozenset[str]) -> bool:
    return (
        looks_like_label(node.text, limit=60)
        and node.text not in generic
        and not any(word in node.text for word in _ARRANGING)
    )


def prompt_context(deck: Deck, node: Node, generic: frozenset[str] = frozenset()) -> str:
    """'Service › topic' or 'Service › topic › label' for a fact (or a group's parent) `node`."""
    chain = [*deck.ancestors(node.id)]
    service = next((n for n in chain if n.kind is NodeKind.SERVICE), None)
    if service is None:
        return ""
    below = [n for n in chain if n.kind is NodeKind.FACT]  # topic first, the node's parent last
    parts = [service.text]
    if below and _shown(below[0], generic):
        parts.append(below[0].text)
    if len(below) > 1 and _shown(below[-1], generic):
        parts.append(below[-1].text)
    return " › ".join(parts)

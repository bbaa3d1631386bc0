"""The team's Markdown notes as a tree of nodes with stable ids."""

from bot.notes.loader import load_decks
from bot.notes.model import Deck, Diagnostic, Link, Node, NodeKind
from bot.notes.parser import parse_notes

__all__ = ["Deck", "Diagnostic", "Link", "Node", "NodeKind", "load_decks", "parse_notes"]

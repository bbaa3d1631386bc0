"""What a generator proposes, before choices are picked, checked and shuffled into a Question."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.notes.model import Deck, Node, NodeKind
from bot.quiz.config import QuizConfig
from bot.quiz.model import QuestionKind
from bot.search.glossary import Glossary
from bot.search.text import normalize


@dataclass(frozen=True)
class Draft:
    """A question before its distractors are chosen.

    `distractors` are candidates in order of preference; the bank takes the first ones that pass
    the rules. `also_right` holds choices that would be right too and so may never be offered.
    The explanation quotes the source's passage, and the question cites the source alone.
    """

    kind: QuestionKind
    key: str  # tells apart several questions from one note (direction, which number…)
    deck: Deck
    source: Node
    prompt: str
    answer: str
    distractors: tuple[str, ...]
    choice_type: str
    also_right: frozenset[str] = frozenset()
    # Drafts that share a slot are alternatives (facts of one topic): the bank keeps the first sound one.
    slot: str = ""


@dataclass
class NotesView:
    """The decks as the generators see them: services, their categories, names and facts."""

    decks: tuple[Deck, ...]
    glossary: Glossary
    config: QuizConfig
    left_out: frozenset[str] = frozenset()  # bullets an erratum says not to ask about
    # heading as the questions name it → as the notes (and aliases.yaml) name it, where an erratum renamed it
    former: dict[str, str] = field(default_factory=dict)
    services: list[tuple[Deck, Node]] = field(init=False)
    category_of: dict[str, str] = field(init=False)
    names_of: dict[str, set[str]] = field(init=False)
    _folded_names: dict[str, tuple[str, ...]] = field(init=False)  # names_of, normalised once

    def __post_init__(self) -> None:
        self.services = [
            (deck, s) for deck in self.decks for s in deck.services() if s.id not in self.left_out
        ]
        self.category_of = {}
        for deck, service in self.services:
            parent = deck[service.parent] if service.parent else None
            self.category_of[service.text] = (
                parent.text if parent and parent.kind is NodeKind.CATEGORY else ""
            )
        headings = [*self.headings(), *self.former.values()]
        by_heading = self.glossary.with_headings(headings).aliases_by_heading()
        self.names_of = {}
        for _, service in self.services:
            old = self.former.get(service.text, service.text)
            self.names_of[service.text] = {
                *by_heading.get(normalize(service.text), ()),
                *by_heading.get(normalize(old), ()),
                service.text,
                old,
            }
        self._folded_names = {
            heading: tuple(dict.fromkeys(map(normalize, names))) for heading, names in self.names_of.items()
        }

    def headings(self) -> list[str]:
        return [s.text for _, s in self.services]

    def facts(self, deck: Deck, node: Node) -> list[Node]:
        """The node's children that carry study content (and may be asked about)."""
        return [n for n in deck.fact_children(node.id) if n.id not in self.left_out]

    def distractor_services(self, heading: str) -> list[str]:
        """Services people confuse with it first (content/quiz.yaml says which: X-Ray with CloudWatch
        and CloudTrail, not with the Code* services of its category), then the same category, then
        the rest in deck order."""
        category = self.category_of.get(heading, "")
        same = [h for h in self.headings() if h != heading and self.category_of.get(h) == category]
        confused = [h for h in self.config.confusable_with(heading) if h in self.category_of]
        rest = [h for h in self.headings() if h != heading]
        return list(dict.fromkeys([*confused, *same, *rest]))

    def mentions_service(self, text: str, heading: str | None = None) -> set[str]:
        """Services (other than `heading`) that a text names."""
        folded = normalize(text)
        found: set[str] = set()
        for other, names in self._folded_names.items():
            if other != heading and any(_names(folded, name) for name in names):
                found.add(other)
        return found


def _names(text: str, name: str) -> bool:
    if not name.isascii():
        return name in text
    start = text.find(name)
    while start != -1:
        before = text[start - 1] if start else " "
        after_index = start + len(name)
        after = text[after_index] if after_index < len(text) else " "
        if not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum()):
            return True
        start = text.find(name, start + 1)
    return False

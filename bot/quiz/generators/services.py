"""Which service: a fact whose subject is its service, every name of the service masked."""

from __future__ import annotations

from collections.abc import Iterator

from bot.notes.model import Deck, Node
from bot.quiz.drafts import Draft, NotesView
from bot.quiz.model import QuestionKind
from bot.quiz.text import MASK, mask, reads_alone
from bot.search.text import index_tokens

OVERVIEW_LABELS = ("概要",)
_SIMILAR = 0.5  # share of a fact's tokens another service's fact may hold before it is 'the same fact'


def _subject_facts(view: NotesView, deck: Deck, service: Node) -> list[Node]:
    """Facts that describe the service itself: its overview's bullets and its own top-level facts."""
    found: list[Node] = []
    for topic in view.facts(deck, service):
        if topic.text in OVERVIEW_LABELS:
            found.extend(f for f in view.facts(deck, topic) if not view.facts(deck, f))
        elif not view.facts(deck, topic) and topic.text.endswith("。"):
            found.append(topic)
    return found


def service_drafts(view: NotesView) -> Iterator[Draft]:
    token_sets = _service_tokens(view)
    for deck, service in view.services:
        names = view.names_of[service.text]
        for fact in _subject_facts(view, deck, service):
            if view.mentions_service(fact.text, service.text):
                continue  # 'API実行の記録はCloudTrailを使用' is about two services, not one
            masked = mask(fact.text, names)
            if not reads_alone(masked.replace(MASK, ""), minimum=12):
                continue
            tokens = index_tokens(masked.replace(MASK, " "))
            similar = {
                other
                for other, sets in token_sets.items()
                if other != service.text and any(len(tokens & s) >= _SIMILAR * len(tokens) for s in sets)
            }
            yield Draft(
                kind=QuestionKind.SERVICE,
                key="service",
                deck=deck,
                source=fact,
                prompt=f"次の説明に当てはまるAWSサービスはどれか。\n「{masked}」",
                answer=service.text,
                distractors=tuple(view.distractor_services(service.text)),
                choice_type="service",
                also_right=frozenset(similar),
            )


def _service_tokens(view: NotesView) -> dict[str, list[set[str]]]:
    """Every service's facts as token sets, to spot a distractor that says the same thing."""
    found: dict[str, list[set[str]]] = {}
    for deck, service in view.services:
        sets = found.setdefault(service.text, [])
        for node in deck.descendants(service.id):
            if node.is_fact:
                sets.append(index_tokens(mask(node.text, view.names_of[service.text])))
    return found

"""Term ↔ definition: sibling bullets of the form 'Term: definition', or a term with a defining child.

Asked both ways round; the distractors are the siblings' definitions (or terms).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.notes.model import Deck, Node, NodeKind
from bot.quiz.context import prompt_context
from bot.quiz.drafts import Draft, NotesView
from bot.quiz.model import QuestionKind
from bot.quiz.text import MASK, contains, has_japanese, mask, names_a_thing, reads_alone, same_choice_key
from bot.search.text import normalize

# 'AWSTemplateFormatVersion: バージョンを記述', 'One at a time ... 一つずつ置き換え'
_PAIR = re.compile(r"^(?P<term>[^:：。、]{1,40}?)\s*(?:[:：]|\.\.\.|…)\s*(?P<definition>\S.*)$")
_HIRAGANA = re.compile(r"[ぁ-ゖ]")
_NAME_WORDS = re.compile(r"[A-Za-z][A-Za-z0-9 ]{3,}[A-Za-z0-9]|[ァ-ヺー]{4,}")
MIN_GROUP = 3
_LEAST = 8  # characters a definition keeps: 'Manual' (→ Approval) is a word, not a description


@dataclass(frozen=True)
class Pair:
    term: str
    definition: str
    node: Node


def _pair(view: NotesView, deck: Deck, node: Node) -> Pair | None:
    match = _PAIR.match(node.text)
    if match and not _HIRAGANA.search(match["term"]) and not match["term"].startswith("参考"):
        return Pair(match["term"].strip(), match["definition"].strip(), node)
    children = view.facts(deck, node)
    if not children or not names_a_thing(node.text) or node.text in view.config.generic_labels:
        return None
    first = children[0]
    # The first child must read as a definition: a sentence of its own, not an item of a list.
    if view.facts(deck, first) or not reads_alone(first.text) or _PAIR.match(first.text):
        return None
    if not has_japanese(first.text):
        return None
    return Pair(node.text, first.text, node)


def _synonyms(view: NotesView, term: str) -> set[str]:
    """What must be masked in a definition: the term, its glossary synonyms, and its longer
    Latin and katakana words ('CloudWatch Eventsとの紐づけ' gives away 'CloudWatch Events')."""
    names = {term, *_NAME_WORDS.findall(term)}
    for name in list(names):
        group = view.glossary.terms.get(normalize(name))
        if group is not None:
            names.update(view.glossary.groups[group])
    return names


def readable(masked: str, original: str) -> bool:
    """A definition still worth reading once names are masked: one blank at most, most words left."""
    rest = masked.replace(MASK, "")
    return masked.count(MASK) <= 1 and len(rest) >= _LEAST and len(rest) >= 0.6 * len(original)


def _overlap(a: str, b: str) -> bool:
    """'ステージ' and 'デプロイステージ' name overlapping things: one is no distractor for the other."""
    ka, kb = same_choice_key(a), same_choice_key(b)
    return ka in kb or kb in ka


def term_drafts(view: NotesView) -> Iterator[Draft]:
    for deck in view.decks:
        for parent in deck.walk():
            if parent.kind not in (NodeKind.SERVICE, NodeKind.FACT):
                continue
            pairs = [p for p in (_pair(view, deck, c) for c in view.facts(deck, parent)) if p is not None]
            if len(pairs) < MIN_GROUP:
                continue
            yield from _group_drafts(view, deck, parent, pairs)


def _group_drafts(view: NotesView, deck: Deck, parent: Node, pairs: list[Pair]) -> Iterator[Draft]:
    context = prompt_context(deck, pairs[0].node, view.config.generic_labels)
    group_type = f"{parent.id}"
    masked = {id(p): mask(p.definition, _synonyms(view, p.term)) for p in pairs}
    # A definition that names its own term cannot be a choice: masking it would put 〇〇 in a choice,
    # and leaving it would give the answer away. Such definitions are only ever asked in the prompt.
    plain = {id(p) for p in pairs if MASK not in masked[id(p)] and not contains(p.definition, p.term)}
    for pair in pairs:
        others = [p for p in pairs if p is not pair]
        # A sibling whose definition says the same as this one would be right too.
        same_definition = {
            p.term
            for p in others
            if same_choice_key(p.definition) == same_choice_key(pair.definition)
            or _overlap(p.term, pair.term)
        }
        definition = masked[id(pair)]
        if not contains(definition, pair.term) and readable(definition, pair.definition):
            yield Draft(
                kind=QuestionKind.DEFINITION,
                key="definition",
                deck=deck,
                source=pair.node,
                prompt=f"{context} のうち、次の説明に当てはまるものはどれか。\n「{definition}」",
                answer=pair.term,
                distractors=tuple(p.term for p in others),
                choice_type=f"term:{group_type}",
                also_right=frozenset(same_definition),
            )
        if id(pair) not in plain or not readable(definition, pair.definition):
            continue
        choices = [p.definition for p in others if id(p) in plain and readable(p.definition, p.definition)]
        yield Draft(
            kind=QuestionKind.TERM,
            key="term",
            deck=deck,
            source=pair.node,
            prompt=f"{context} の「{pair.term}」の説明として正しいものはどれか。",
            answer=pair.definition,
            distractors=tuple(choices),
            choice_type=f"definition:{group_type}",
            also_right=frozenset(p.definition for p in others if p.term in same_definition),
        )

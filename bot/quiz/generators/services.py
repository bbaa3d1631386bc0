"""Which service: a fact whose subject is its service, every name of the service masked."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from bot.notes.model import Deck, Node
from bot.quiz.drafts import Draft, NotesView
from bot.quiz.model import QuestionKind
from bot.quiz.text import MASK, mask, reads_alone
from bot.search.text import index_tokens, normalize

OVERVIEW_LABELS = ("概要",)
_HIRAGANA = re.compile(r"[ぁ-ゖ]")
_CODE_LETTERS = re.compile(r"^[A-Z][A-Za-z]{0,2}\s*[:：]")
_PARENTHESES = re.compile(r"[（(][^（()）]*[)）]")
_TERM = re.compile(r"[A-Za-z][A-Za-z0-9]{3,}|[ァ-ヺー]{4,}")
_SENTENCE = 20  # characters: shorter bullets are list items, not statements
# A fact this vague fits several services ('…インスタンスへの接続以外にも様々な機能がある').
_VAGUE = ("様々な", "さまざまな", "いろいろ", "色々", "以外にも", "など様々")
# A feature's term is used by at most this many services: 'ResourceSignal', 'レプリカノード', not
# 'トラフィック' or 'サーバー', which leave 'トラフィック変化に応じたスループット向上' open to several.
_DISTINCTIVE = 2
_PER_SLOT = 4  # a topic gives one question for each four facts it could be asked from
_SIMILAR = 0.5  # share of a fact's tokens another service's fact may hold before it is 'the same fact'
# Each service's facts as token sets, and each token's (service, fact number) pairs.
_TokenSets = tuple[dict[str, list[set[str]]], dict[str, list[tuple[str, int]]]]


def _terms_by_service(view: NotesView) -> dict[str, set[str]]:
    """Each Latin or katakana term of the notes → the services whose facts use it."""
    found: dict[str, set[str]] = {}
    for deck, service in view.services:
        for node in deck.descendants(service.id):
            if node.is_fact:
                for term in _TERM.findall(node.text):
                    found.setdefault(term.lower(), set()).add(service.text)
    return found


def _subject_facts(
    view: NotesView, deck: Deck, service: Node, used_by: dict[str, set[str]]
) -> list[tuple[Node, str]]:
    """Facts that say what only this service does: its overview's bullets, its own top-level facts,
    and, deeper down, sentences that name one of its features (a Latin or katakana term of four or
    more letters that is not the service's own name) — 'Express ワークフロー: 最大5分…' is Step
    Functions; 'ワークフローの進行状況を確認できる' could be anything."""
    names = view.names_of[service.text]
    own = {n for name in names for n in _TERM.findall(name.lower())}
    found: list[tuple[Node, str]] = []
    for topic in view.facts(deck, service):
        if _is_another_service(view, topic.text, service.text):
            continue  # 'Amazon EventBridge（旧CloudWatch Events）' under CloudWatch: another service's facts
        if topic.text in OVERVIEW_LABELS:
            found.extend((f, "") for f in view.facts(deck, topic) if not view.facts(deck, f))
        elif not view.facts(deck, topic) and topic.text.endswith("。"):
            found.append((topic, ""))
        else:
            # One per slot of four facts: the bank asks about a topic, not about every line of it, and
            # takes the next fact of the slot when one cannot be asked (a tell, too vague…).
            sound = [
                f
                for f in _below(view, deck, topic)
                if len(f.text) >= _SENTENCE
                and reads_alone(f.text)
                and any(
                    len(used_by.get(t, ())) <= _DISTINCTIVE
                    for t in {t.lower() for t in _TERM.findall(f.text)} - own
                )
                and not _names_inside(mask(f.text, view.names_of[service.text]), view.names_of[service.text])
            ]
            found.extend((f, f"{topic.id}:{i // _PER_SLOT}") for i, f in enumerate(sound))
    return found


def _is_another_service(view: NotesView, label: str, heading: str) -> bool:
    """A topic that is another service under its own name ('Amazon EventBridge（旧CloudWatch Events）')."""
    bare = normalize(_PARENTHESES.sub("", label)).strip()
    return any(bare in map(normalize, names) for other, names in view.names_of.items() if other != heading)


def _names_inside(text: str, names: set[str]) -> bool:
    """A name of the service inside a longer word ('CodeDeployDefault.…'), which masking, done on
    whole words, would leave for the reader to see."""
    folded = text.lower()
    return any(len(n) >= 3 and n.isascii() and n.lower() in folded for n in names)


def _below(view: NotesView, deck: Deck, node: Node) -> list[Node]:
    """Every fact under `node` that may be asked about, in document order."""
    found: list[Node] = []
    for child in view.facts(deck, node):
        found.append(child)
        found.extend(_below(view, deck, child))
    return found


def service_drafts(view: NotesView) -> Iterator[Draft]:
    token_sets = _service_tokens(view)
    used_by = _terms_by_service(view)
    for deck, service in view.services:
        names = view.names_of[service.text]
        for fact, slot in _subject_facts(view, deck, service, used_by):
            if view.mentions_service(fact.text, service.text) or any(w in fact.text for w in _VAGUE):
                continue  # 'API実行の記録はCloudTrailを使用' is about two services, not one
            masked = mask(fact.text, names)
            # 'X-Forwarded-For (XFF)', 'amazon-〇〇-utilsパッケージ': a name or a list, no statement to
            # match (a statement has hiragana); 'リソースの変更管理が可能': too short to be one service's.
            if not reads_alone(masked.replace(MASK, ""), minimum=_SENTENCE) or not _HIRAGANA.search(masked):
                continue
            # '…があふれた場合': a condition, not a statement; 'Z: Hz. 高クロック…': an instance family
            # letter, which any description of a machine would give to EC2.
            if masked.rstrip("。").endswith("場合") or _CODE_LETTERS.match(masked):
                continue
            tokens = index_tokens(masked.replace(MASK, " "))
            similar = _similar_services(tokens, token_sets, service.text)
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
                slot=slot,
            )


def _similar_services(tokens: set[str], token_sets: _TokenSets, own: str) -> set[str]:
    """Services with a fact sharing at least _SIMILAR of `tokens`, counted through the token index
    (comparing with every fact of every service was most of the bank's build time)."""
    sets, index = token_sets
    if not tokens:  # nothing to compare: every service with a fact could say the same
        return {other for other, facts in sets.items() if other != own and facts}
    shared: Counter[tuple[str, int]] = Counter()
    for token in tokens:
        shared.update(index.get(token, ()))
    need = _SIMILAR * len(tokens)
    return {other for (other, _), count in shared.items() if other != own and count >= need}


def _service_tokens(view: NotesView) -> _TokenSets:
    """Every service's facts as token sets, to spot a distractor that says the same thing, and an
    index from each token to the (service, fact number) pairs holding it."""
    found: dict[str, list[set[str]]] = {}
    index: dict[str, list[tuple[str, int]]] = {}
    for deck, service in view.services:
        sets = found.setdefault(service.text, [])
        for node in deck.descendants(service.id):
            if node.is_fact:
                tokens = index_tokens(mask(node.text, view.names_of[service.text]))
                for token in tokens:
                    index.setdefault(token, []).append((service.text, len(sets)))
                sets.append(tokens)
    return found, index

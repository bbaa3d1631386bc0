"""Numbers and limits: a fact with a number and unit, asked as a blank.

Distractors are values of the same unit: those found elsewhere in the notes first, then plausible
values from the unit's ladder, closest first; never equal to the answer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from bot.notes.model import Deck, Node
from bot.quiz.context import prompt_context
from bot.quiz.drafts import Draft, NotesView
from bot.quiz.model import QuestionKind
from bot.quiz.quantities import LADDERS, Quantity, find_quantities, format_value
from bot.quiz.text import reads_alone

BLANK = "（　?　）"
_RANGE_HEAD = re.compile(r"^.*?[~～〜\-]\s*")
# '1つの…', '1回': a count of one reads as an article or a counter word, not knowledge.
_COUNTERS = ("つ", "個", "回", "台")
_PER = ("あたり", "当たり", "毎", "ごと")
_OPEN, _CLOSE = "（(", "）)"
_MAGNITUDE = 10  # a distractor is at most this many times larger or smaller than the answer


def _is_article(text: str, q: Quantity) -> bool:
    """'1つの…', '1回', '1秒あたり': a one that counts nothing the reader must know."""
    if q.value != 1 or q.is_range:
        return False
    return q.unit in _COUNTERS or text[q.end :].lstrip().startswith(_PER)


def _in_gloss(text: str, q: Quantity) -> bool:
    """Inside an unclosed parenthesis: 'アドホック (1回だけの)' glosses a word, it states no fact."""
    depth = 0
    for char in text[: q.start]:
        depth += char in _OPEN
        depth -= char in _CLOSE and depth > 0
    return depth > 0


_IN_WORDS = {("%", 50.0): ("半分", "半数"), ("%", 100.0): ("全て", "すべて", "全部")}
_RESTATED = re.compile(r"^\s*[（(][^（()）]*\d")  # '上限は2880分(2日)': the gloss gives the value away
_LIST_MARK = re.compile(r"[、,]")
_JOINED = re.compile(r"[^、。,]+と[^、。,]+の\s*$")  # '1と255の（?）のレコード' counts the items it names


def _gives_itself_away(text: str, q: Quantity, others: list[Quantity]) -> bool:
    """A blank the rest of the sentence answers: the value restated in parentheses beside it, a count
    of the list the sentence itself spells out, or one value of a list of the same unit."""
    if _RESTATED.match(text[q.end :]) or re.search(r"[（(][^（()）]*\d[^（()）]*[)）]\s*$", text[: q.start]):
        return True
    if q.unit in _COUNTERS and (len(_LIST_MARK.findall(text)) >= 2 or _JOINED.search(text[: q.start])):
        return True
    # 'ECSCanary10Percent15Minutes: 最初に（?）を…': the value is written elsewhere in the sentence.
    digits = format_value(q.value, "", q.text).replace(",", "")
    rest = text[: q.start] + " " + text[q.end :]
    if re.search(rf"(?<![\d.]){re.escape(digits)}(?![\d.])", rest.replace(",", "")):
        return True
    # 'バッチ（?）であれば、半分を新しくする': the sentence says the value in words.
    if any(word in rest for word in _IN_WORDS.get((q.unit, q.value), ())):
        return True
    same_unit = [o for o in others if o is not q and o.unit == q.unit and not o.is_range]
    # '（?）を超えるプロセス(例えば3つのLambdaなど)': an example of the same unit bounds the answer.
    if any(_in_gloss(text, o) and "例" in text[text.rfind("(", 0, o.start) : o.start] for o in same_unit):
        return True
    return len(same_unit) >= 2 and len(_LIST_MARK.findall(text)) >= 2


def _is_calendar_year(q: Quantity) -> bool:
    """'（?）1月1日以降', '（?）2月25日に': a date is trivia, and the other dates of the sentence order
    the choices (support ends after maintenance begins)."""
    return q.unit == "年" and q.value >= 1900


def number_drafts(view: NotesView) -> Iterator[Draft]:
    facts = _facts_with_quantities(view)
    seen_values = _values_in_notes(facts)
    for deck, node, text, quantities in facts:
        for i in range(len(quantities)):
            draft = _draft(view, deck, node, text, quantities, i, seen_values)
            if draft is not None:
                yield draft


def _facts_with_quantities(view: NotesView) -> list[tuple[Deck, Node, str, list[Quantity]]]:
    """Every fact of the notes with its NFKC text and the quantities in it, read once."""
    found: list[tuple[Deck, Node, str, list[Quantity]]] = []
    for deck in view.decks:
        for node in deck.walk():
            if node.is_fact and node.id not in view.left_out:
                text = unicodedata.normalize("NFKC", node.text)
                found.append((deck, node, text, find_quantities(text)))
    return found


def _draft(
    view: NotesView,
    deck: Deck,
    node: Node,
    text: str,
    quantities: list[Quantity],
    i: int,
    seen: dict[str, set[float]],
) -> Draft | None:
    q = quantities[i]
    if (
        q.value == 0
        or _is_article(text, q)
        or _is_calendar_year(q)
        or _in_gloss(text, q)
        or _gives_itself_away(text, q, quantities)
    ):
        return None
    prompt_text = text[: q.start] + BLANK + text[q.end :]
    if not reads_alone(prompt_text.replace(BLANK, "X"), minimum=10):
        return None
    valid = view.config.valid_values.get(node.id, frozenset())
    if q.is_range:
        distractors = _range_distractors(q)
    else:
        distractors = _distractors(q, seen.get(q.unit, set()) - valid, valid)
    if len(distractors) < 3:
        return None
    context = prompt_context(deck, node, view.config.generic_labels)
    return Draft(
        kind=QuestionKind.NUMBER,
        key=f"number:{i}",
        deck=deck,
        source=node,
        prompt=f"{context}\n空欄に入る値はどれか。\n「{prompt_text}」",
        answer=q.text if q.is_range else format_value(q.value, q.unit, q.text),
        distractors=tuple(distractors),
        choice_type=f"quantity:{q.unit}",
    )


def _distractors(q: Quantity, in_notes: set[float], valid: frozenset[float] = frozenset()) -> list[str]:
    """Values of the unit, never one that is another valid setting of the same thing (`valid`)."""
    ladder = set(LADDERS.get(q.unit, ())) - valid
    pool = sorted((in_notes | ladder) - {q.value})
    if q.value == int(q.value) and q.value > 1:
        pool = [v for v in pool if v == int(v)]

    # Values from the notes first (they are the ones people confuse), then the closest ladder values;
    # nothing more than ten times off, which a candidate would rule out on magnitude alone.
    def ratio(v: float) -> float:
        return max(v, q.value) / max(min(v, q.value), 1e-9)

    near = [v for v in pool if ratio(v) <= _MAGNITUDE]
    ordered = sorted(near, key=lambda v: (0 if v in in_notes else 1, ratio(v)))
    return [format_value(v, q.unit, q.text) for v in ordered]


def _range_distractors(q: Quantity) -> list[str]:
    """Ranges keep their lower end and vary the upper one ('1～3600秒' → '1～900秒')."""
    assert q.low is not None
    head = _RANGE_HEAD.match(q.text)
    if head is None:
        return []
    ladder = [v for v in LADDERS.get(q.unit, ()) if v != q.value and v > q.low]
    ladder.sort(key=lambda v: max(v, q.value) / max(min(v, q.value), 1e-9))
    return [f"{head.group(0)}{format_value(v, q.unit, q.text)}" for v in ladder]


def _values_in_notes(facts: list[tuple[Deck, Node, str, list[Quantity]]]) -> dict[str, set[float]]:
    found: dict[str, set[float]] = {}
    for *_, quantities in facts:
        for q in quantities:
            if not q.is_range:
                found.setdefault(q.unit, set()).add(q.value)
    return found

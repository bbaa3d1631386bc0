"""The rules every question in the bank obeys. The bank drops what breaks them; tests check them."""

from __future__ import annotations

from collections.abc import Mapping

from bot.notes.model import Deck
from bot.quiz.model import Question, QuestionKind
from bot.quiz.quantities import parse_choice
from bot.quiz.text import MASK, contains, same_choice_key


def question_problems(
    question: Question, decks: Mapping[str, Deck], pools: Mapping[str, frozenset[str]]
) -> list[str]:
    """Why a question is unsound (empty when it is fine).

    `pools` maps a choice type to every value of that type (all services, a group's terms…).
    """
    problems: list[str] = []
    choices = question.choices
    if question.kind is QuestionKind.SCENARIO:
        if not 4 <= len(choices) <= 8:
            problems.append("needs 4 to 8 choices")
    elif len(choices) != 4:
        problems.append("needs 4 choices")
    if any(MASK in c for c in choices):
        problems.append("a choice is masked")
    if not 0 <= question.answer < len(choices):
        return [*problems, "answer out of range"]
    if len({same_choice_key(c) for c in choices}) != len(choices):
        problems.append("two choices are the same")
    if contains(question.prompt, question.correct_choice):
        problems.append("the answer appears in the prompt")
    if not question.explanation.strip():
        problems.append("no explanation")
    # A curated question may cite the team's notes and the supplement together: each id in its own deck.
    cited = [next((d.nodes[c] for d in decks.values() if c in d.nodes), None) for c in question.cites]
    if question.source.file not in decks or not cited or any(n is None or not n.is_fact for n in cited):
        problems.append("drawn from something that is not a fact of the notes")
    problems.extend(_type_problems(question, pools))
    return problems


def _type_problems(question: Question, pools: Mapping[str, frozenset[str]]) -> list[str]:
    if question.kind is QuestionKind.SCENARIO:
        return []
    if question.choice_type.startswith("quantity:"):
        unit = question.choice_type.split(":", 1)[1]
        parsed = [parse_choice(c) for c in question.choices]
        if any(p is None or p[1] != unit for p in parsed):
            return [f"a choice is not a quantity in {unit or 'a count'}"]
        if len({p[0] for p in parsed if p}) != len(parsed) and "～" not in question.correct_choice:
            return ["two choices have the same value"]
        return []
    pool = pools.get(question.choice_type)
    if pool is None:
        return [f"unknown choice type {question.choice_type}"]
    if any(c not in pool for c in question.choices):
        return ["a choice is not of the answer's type"]
    return []

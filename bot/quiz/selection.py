"""Choosing a channel's daily question: no repeats within a cycle, spread out, leaning on weak spots."""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.quiz.model import Question

RECENT_POSTS = 8  # a service asked within this many posts is held back
_RECENT_SERVICE = 0.15
_RECENT_CATEGORY = 0.5


@dataclass(frozen=True)
class PostedQuestion:
    """One past daily question of a channel and how the channel answered it."""

    question_id: str
    answers: int = 0
    correct: int = 0


def current_cycle(history: Sequence[PostedQuestion], cycle_size: int) -> set[str]:
    """Ids asked since the channel last went through `cycle_size` distinct questions."""
    seen: set[str] = set()
    for post in history:
        seen.add(post.question_id)
        if len(seen) >= cycle_size:
            seen = set()
    return seen


def choose_daily(
    questions: Sequence[Question],
    history: Sequence[PostedQuestion],
    seed: int | str,
    share: float = 1.0,
) -> Question | None:
    """The next daily question. The same bank, history and seed always give the same question.

    `share` is the part of the bank a channel sees before questions may repeat (1.0: all of it).
    """
    if not questions:
        return None
    by_id = {q.id: q for q in questions}
    cycle_size = max(1, math.ceil(len(questions) * min(max(share, 0.0), 1.0)))
    asked = current_cycle(history, cycle_size)
    candidates = [q for q in questions if q.id not in asked]
    if not candidates:
        last = history[-1].question_id if history else None
        candidates = [q for q in questions if q.id != last] or list(questions)

    recent = [by_id[p.question_id] for p in history[-RECENT_POSTS:] if p.question_id in by_id]
    recent_services = Counter(q.service for q in recent)
    recent_categories = Counter(q.category for q in recent[-3:])
    accuracy = _service_accuracy(history, by_id)
    missed = {p.question_id: 1 - p.correct / p.answers for p in history if p.answers}

    def weight(q: Question) -> float:
        w = 1.0
        w *= _RECENT_SERVICE ** recent_services.get(q.service, 0)
        w *= _RECENT_CATEGORY ** recent_categories.get(q.category, 0)
        w *= 1.5 - accuracy.get(q.service, 0.5)  # weaker services come up more often
        w *= 1.0 + missed.get(q.id, 0.0)  # a question the channel got wrong before, more again
        return w

    rng = random.Random(f"{seed}:{len(history)}")
    ordered = sorted(candidates, key=lambda q: q.id)  # input order must not change the draw
    return rng.choices(ordered, weights=[weight(q) for q in ordered], k=1)[0]


def _service_accuracy(history: Sequence[PostedQuestion], by_id: dict[str, Question]) -> dict[str, float]:
    """Share of right answers per service, smoothed so one answer does not swing it."""
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for post in history:
        question = by_id.get(post.question_id)
        if question is not None:
            right[question.service] += post.correct
            total[question.service] += post.answers
    return {s: (right[s] + 1) / (total[s] + 2) for s in total}

"""How ready someone is for the exam, per domain, from what they have answered (pure).

- **mastery** of a domain: the share of its exam questions they would likely get right now. For a
  question they have practised, the FSRS retrievability of its card; for one they have only answered as
  a daily question, the retrievability of a card after that one review (Good when right, Again when
  wrong) — the same model, one review long; for one they have never seen, 0.
- **coverage**: how many of the domain's exam questions they have seen.
- **readiness**: the mastery of the domains weighted by the exam's weights; 0.75 mastery everywhere is
  the line a chart draws (AWS's scaled pass mark is not public: this is an estimate, not a score).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fsrs import Card, Rating, Scheduler, State

from bot.quiz.model import Question

TARGET = 0.75  # the mastery line charts draw


@dataclass(frozen=True)
class LastAnswer:
    """A question's latest answer by one person (daily or practice)."""

    at: datetime
    correct: bool


@dataclass(frozen=True)
class DomainReadiness:
    code: str
    mastery: float
    seen: int
    total: int


@dataclass(frozen=True)
class Readiness:
    domains: tuple[DomainReadiness, ...]
    readiness: float  # exam-weighted mastery

    def weakest(self) -> DomainReadiness | None:
        """The domain to study next: lowest mastery (the larger domain first on a tie)."""
        judged = [d for d in self.domains if d.total]
        return min(judged, key=lambda d: (d.mastery, -d.total, d.code)) if judged else None


def _scheduler() -> Scheduler:
    return Scheduler(enable_fuzzing=False)


def retrievability(
    scheduler: Scheduler, now: datetime, card_state: Mapping[str, Any] | None, last: LastAnswer | None
) -> float:
    """The chance of a right answer now: from the practice card if there is one, else from the last
    answer as a single FSRS review; 0 for a question never answered."""
    if card_state is not None:
        card = Card.from_dict(dict(card_state))  # type: ignore[arg-type]
        if card.stability is not None and card.last_review is not None:
            return float(scheduler.get_card_retrievability(card, now))
    if last is None:
        return 0.0
    rating = Rating.Good if last.correct else Rating.Again
    # After one review a card's stability is the initial stability of its rating (FSRS's w0…w3).
    stability = float(scheduler.parameters[rating - 1])
    card = Card(state=State.Review, stability=stability, difficulty=5.0, last_review=last.at)
    return float(scheduler.get_card_retrievability(card, max(now, last.at)))


def readiness_of(
    questions: Sequence[Question],
    weights: Mapping[str, float],
    cards: Mapping[str, Mapping[str, Any]],
    last_answers: Mapping[str, LastAnswer],
    now: datetime,
) -> Readiness:
    """Mastery and coverage per exam domain (by each question's primary domain), and readiness."""
    scheduler = _scheduler()
    sums: dict[str, float] = dict.fromkeys(weights, 0.0)
    seen: dict[str, int] = dict.fromkeys(weights, 0)
    total: dict[str, int] = dict.fromkeys(weights, 0)
    for question in questions:
        if not question.on_exam or question.domains[0] not in weights:
            continue
        code = question.domains[0]
        total[code] += 1
        card, last = cards.get(question.id), last_answers.get(question.id)
        if card is None and last is None:
            continue
        seen[code] += 1
        sums[code] += retrievability(scheduler, now, card, last)
    domains = tuple(
        DomainReadiness(code, sums[code] / total[code] if total[code] else 0.0, seen[code], total[code])
        for code in weights
    )
    weight_sum = sum(weights.values()) or 1.0
    overall = sum(weights[d.code] * d.mastery for d in domains) / weight_sum
    return Readiness(domains, overall)

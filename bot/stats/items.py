"""Item analysis: how each question performs over everyone's answers.

For each question: how many people answered it, the share who were right, and its discrimination, the
point-biserial correlation between being right on it and the person's accuracy on their *other*
questions (leaving the item out keeps it from correlating with itself). A question the people who do
well elsewhere get wrong more often than the rest has a negative discrimination: its key may be wrong,
or it rewards a misreading. Only each person's first answer to a question counts.

The database adds up what the correlation needs per question (`Moments`, bot/storage/items.py), so
a million answers never leave it one by one; the correlation is computed here from those sums.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MIN_ANSWERS_FOR_REVIEW = 30  # fewer answers say too little to judge a question by
TOO_EASY = 0.95  # a share correct above this teaches nothing
TOO_HARD = 0.20  # below this (under a four-choice guess) the question is likely wrong or unclear


@dataclass(frozen=True)
class Moments:
    """One question's first answers added up. x is 1 for right, 0 for wrong; y is the person's
    accuracy on their other questions. The sums are over the `paired` people who answered something
    else (for the rest y is not defined)."""

    answers: int
    correct: int
    paired: int = 0
    sum_x: float = 0.0
    sum_y: float = 0.0
    sum_xy: float = 0.0
    sum_yy: float = 0.0  # x² is x: its sum is sum_x

    def discrimination(self) -> float | None:
        """Pearson's r of x and y (the point-biserial correlation, x being 0 or 1), or None when
        either does not vary (everyone right, everyone equally able) or fewer than two are paired."""
        n = self.paired
        if n < 2:
            return None
        cov = self.sum_xy - self.sum_x * self.sum_y / n
        var_x = self.sum_x - self.sum_x**2 / n
        var_y = self.sum_yy - self.sum_y**2 / n
        if var_x <= 1e-9 or var_y <= 1e-9:
            return None
        return max(-1.0, min(1.0, cov / math.sqrt(var_x * var_y)))


@dataclass(frozen=True)
class ItemStats:
    question_id: str
    answers: int
    correct: int
    discrimination: float | None  # None when it cannot be computed (no spread, too few people)

    @classmethod
    def of(cls, question_id: str, moments: Moments) -> ItemStats:
        return cls(question_id, moments.answers, moments.correct, moments.discrimination())

    @property
    def share(self) -> float:
        return self.correct / self.answers if self.answers else 0.0

    @property
    def review(self) -> tuple[str, ...]:
        """Why the question should be looked at, if it should ('too easy', 'too hard', 'negative
        discrimination'); only questions with at least MIN_ANSWERS_FOR_REVIEW answers are judged."""
        if self.answers < MIN_ANSWERS_FOR_REVIEW:
            return ()
        reasons = []
        if self.share > TOO_EASY:
            reasons.append("too easy")
        if self.share < TOO_HARD:
            reasons.append("too hard")
        if self.discrimination is not None and self.discrimination < 0:
            reasons.append("negative discrimination")
        return tuple(reasons)


def item_stats(moments: dict[str, Moments]) -> list[ItemStats]:
    """Every answered question's statistics, most answered first."""
    items = [ItemStats.of(question_id, m) for question_id, m in moments.items()]
    return sorted(items, key=lambda s: (-s.answers, s.question_id))

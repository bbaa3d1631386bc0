"""A mock exam (pure): which questions a sitting asks, and what its answers add up to.

The questions are exam material only, shared out over the domains by the exam's weights (largest
remainder), scenarios first within each domain, in an order fixed by the seed. The score is given per
domain, overall, and as an exam-weighted estimate on the 100–1,000 scale with the 750 pass line — an
estimate only: AWS does not publish how it scales a score.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.quiz.blueprint import ExamFormat
from bot.quiz.model import Question, QuestionKind

DEFAULT_SIZE = 20
MAX_SIZE = 75


def shares(weights: Mapping[str, float], size: int) -> dict[str, int]:
    """How many of `size` questions each domain gets: its weight's share, remainders to the largest."""
    total = sum(weights.values()) or 1.0
    exact = {d: size * w / total for d, w in weights.items()}
    counts = {d: math.floor(v) for d, v in exact.items()}
    for d in sorted(exact, key=lambda d: (-(exact[d] - counts[d]), d))[: size - sum(counts.values())]:
        counts[d] += 1
    return counts


def draw(
    questions: Sequence[Question], weights: Mapping[str, float], size: int, seed: str
) -> tuple[str, ...]:
    """The ids a sitting of `size` questions asks, in order. A domain short of questions gives what it
    has and the others make up the number, so a sitting is never shorter than the bank allows."""
    rng = random.Random(seed)
    by_domain: dict[str, list[Question]] = defaultdict(list)
    for question in sorted(questions, key=lambda q: q.id):
        if question.on_exam and question.domains[0] in weights:
            by_domain[question.domains[0]].append(question)
    for pool in by_domain.values():
        rng.shuffle(pool)
        pool.sort(key=lambda q: q.kind is not QuestionKind.SCENARIO)  # stable: scenarios first, shuffled
    size = min(size, sum(len(pool) for pool in by_domain.values()))
    wanted = shares({d: w for d, w in weights.items() if by_domain[d]}, size)
    picked: list[Question] = []
    for domain, count in wanted.items():
        picked.extend(by_domain[domain][:count])
    spare = [q for d, pool in by_domain.items() for q in pool[wanted.get(d, 0) :]]
    picked.extend(spare[: size - len(picked)])
    rng.shuffle(picked)
    return tuple(q.id for q in picked)


@dataclass(frozen=True)
class DomainScore:
    code: str
    right: int
    total: int

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 0.0


@dataclass(frozen=True)
class ExamScore:
    domains: tuple[DomainScore, ...]
    right: int
    total: int
    scaled: int  # the estimate on the exam's scale
    passed: bool  # whether the estimate reaches the pass line

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 0.0


def score(
    answered: Sequence[tuple[Question, bool]], weights: Mapping[str, float], exam: ExamFormat
) -> ExamScore:
    """Right and total per domain, overall, and the estimate: the domains' shares right weighted by the
    exam's weights (over the domains the sitting asked), mapped linearly onto the exam's scale."""
    right: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    for question, correct in answered:
        code = question.domains[0] if question.domains else ""
        total[code] += 1
        right[code] += correct
    domains = tuple(DomainScore(d, right[d], total[d]) for d in weights if total[d])
    asked = sum(weights[d.code] for d in domains) or 1.0
    weighted = sum(weights[d.code] * d.share for d in domains) / asked if domains else 0.0
    low, high = exam.score_range
    scaled = round(low + (high - low) * weighted)
    all_right = sum(right.values())
    return ExamScore(domains, all_right, sum(total.values()), scaled, scaled >= exam.pass_score)


def pace_minutes(size: int, exam: ExamFormat) -> int:
    """The time a sitting of `size` questions has at the exam's pace (180 minutes for 75)."""
    return max(1, round(size * exam.minutes / exam.questions))

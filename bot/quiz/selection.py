"""Choosing a channel's daily question: exam material only, each exam domain at its weight, scenarios
for a good share, nothing repeated within a cycle, and more of what the channel gets wrong.

1. Only questions on the exam (content/exam.yaml) are posted; the rest stay for personal practice.
2. The domain comes first. Each domain is owed its exam weight, leaned by the channel's recent accuracy
   (a domain it keeps missing up to twice its weight, one it masters down to half); the domain furthest
   behind what it is owed is next. Over a year each domain's share stays within a few points of its
   weight, however the bank is split.
3. Each domain cycles through its own questions: a small domain repeats sooner rather than fading out.
   Questions drawn from one note bullet (the term and the definition question of the same line) are one
   unit: once one is posted, the others wait for the next cycle.
4. Within the domain, scenario questions come first while they are under 40% of the channel's posts;
   then a service asked in the last few posts is held back and a question the channel missed before
   comes up more.

The same bank, history and seed always give the same question.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from bot.quiz.model import Question, QuestionKind

RECENT_POSTS = 8  # a service asked within this many posts is held back
LEAN_POSTS = 15  # the posts whose answers say which domains the channel is weak in (about three weeks)
SCENARIO_SHARE = 0.4  # scenario questions, while the bank has them: at least this share of the posts
LEAN_RANGE = (0.5, 2.0)  # a domain's weight is multiplied by at least / at most this
_RECENT_SERVICE = 0.15
_RECENT_CATEGORY = 0.5


@dataclass(frozen=True)
class PostedQuestion:
    """One past daily question of a channel and how the channel answered it."""

    question_id: str
    answers: int = 0
    correct: int = 0


def unit_of(question: Question) -> str:
    """What may be posted once per cycle: a generated question's note bullet, or the curated question."""
    if question.kind is QuestionKind.SCENARIO:
        return f"q:{question.id}"
    return f"note:{question.source.file}:{question.source.id}"


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
    weights: Mapping[str, float] | None = None,
    excluded: Collection[str] = frozenset(),
) -> Question | None:
    """The next daily question, or None when there is nothing to ask.

    `weights` are the exam domains' weights (content/exam.yaml); without them every question is in one
    domain. `share` is the part of each domain's units a channel sees before they may repeat.
    `excluded` are ids never to post (questions reported by enough people, until resolved).
    """
    askable = [q for q in questions if q.id not in excluded]
    exam = [q for q in askable if q.on_exam]
    pool = sorted(exam or askable, key=lambda q: q.id)  # input order must not change the draw
    if not pool:
        return None
    by_id = {q.id: q for q in questions}

    def domain(question: Question) -> str:
        return question.domains[0] if weights and question.domains else ""

    units: dict[str, set[str]] = defaultdict(set)
    for q in pool:
        units[domain(q)].add(unit_of(q))
    posted = [(p, by_id[p.question_id]) for p in history if p.question_id in by_id]
    posted = [(p, q) for p, q in posted if domain(q) in units]
    seen = _cycles(posted, units, share, domain)
    lean = _lean(posted[-LEAN_POSTS:], domain)
    owed = {d: (weights or {}).get(d, 1.0 if not weights else 0.0) * lean.get(d, 1.0) for d in units}
    if not any(owed.values()):
        owed = dict.fromkeys(units, 1.0)
    total = sum(owed.values())
    counts = Counter(domain(q) for _, q in posted)
    rng = random.Random(f"{seed}:{len(history)}")
    # The domain furthest behind its share after this post goes next; ties are broken by the seed.
    order = sorted(units, key=lambda d: (-(owed[d] / total * (len(posted) + 1) - counts[d]), rng.random()))
    chosen = next((d for d in order if owed[d] > 0), order[0])
    candidates = [q for q in pool if domain(q) == chosen and unit_of(q) not in seen[chosen]]
    scenarios = [q for q in candidates if q.kind is QuestionKind.SCENARIO]
    scenario_posts = sum(q.kind is QuestionKind.SCENARIO for _, q in posted)
    if scenarios and scenario_posts < SCENARIO_SHARE * (len(posted) + 1):
        candidates = scenarios
    return rng.choices(candidates, weights=_weights(candidates, posted), k=1)[0]


def _cycles(
    posted: Sequence[tuple[PostedQuestion, Question]],
    units: Mapping[str, set[str]],
    share: float,
    domain: Callable[[Question], str],
) -> dict[str, set[str]]:
    """The units each domain has posted in its current cycle."""
    size = {d: max(1, math.ceil(len(u) * min(max(share, 0.0), 1.0))) for d, u in units.items()}
    seen: dict[str, set[str]] = defaultdict(set)
    for _, question in posted:
        d = domain(question)
        seen[d].add(unit_of(question))
        if len(seen[d]) >= size[d]:
            seen[d] = set()
    return seen


def _lean(
    recent: Sequence[tuple[PostedQuestion, Question]], domain: Callable[[Question], str]
) -> dict[str, float]:
    """Each domain's factor from the channel's recent answers: its error rate over the channel's,
    smoothed so a handful of answers does not swing it, within LEAN_RANGE."""
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for post, question in recent:
        right[domain(question)] += post.correct
        total[domain(question)] += post.answers
    overall_miss = 1 - (sum(right.values()) + 1) / (sum(total.values()) + 2)
    low, high = LEAN_RANGE
    factors: dict[str, float] = {}
    for d in total:
        miss = 1 - (right[d] + 1) / (total[d] + 2)
        factors[d] = min(max(miss / max(overall_miss, 1e-9), low), high)
    return factors


def _weights(
    candidates: Sequence[Question], posted: Sequence[tuple[PostedQuestion, Question]]
) -> list[float]:
    """Spread over services and categories, and more of what the channel missed before."""
    recent = [q for _, q in posted[-RECENT_POSTS:]]
    recent_services = Counter(q.service for q in recent)
    recent_categories = Counter(q.category for q in recent[-3:])
    missed = {p.question_id: 1 - p.correct / p.answers for p, _ in posted if p.answers}
    return [
        _RECENT_SERVICE ** recent_services.get(q.service, 0)
        * _RECENT_CATEGORY ** recent_categories.get(q.category, 0)
        * (1.0 + missed.get(q.id, 0.0))
        for q in candidates
    ]

"""Daily question selection: exam material at the exam's weights, scenarios for a good share, no unit
repeated within its domain's cycle, and more of the domains the channel gets wrong."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Callable

from bot.content import Content
from bot.quiz.bank import QuestionBank
from bot.quiz.model import Question, QuestionKind
from bot.quiz.selection import LEAN_RANGE, SCENARIO_SHARE, PostedQuestion, choose_daily, unit_of

YEAR = 261  # weekday posts in a year

Answering = Callable[[Question], tuple[int, int]]


def _steady(question: Question) -> tuple[int, int]:
    return 10, 7  # ten answers, seven right, whatever the domain


def _run(
    bank: QuestionBank,
    content: Content,
    posts: int,
    seed: str,
    answering: Answering = _steady,
    share: float = 1.0,
) -> list[Question]:
    weights = content.blueprint.weights()
    history: list[PostedQuestion] = []
    picked: list[Question] = []
    for _ in range(posts):
        question = choose_daily(bank.questions, history, seed, share, weights)
        assert question is not None
        answers, correct = answering(question)
        history.append(PostedQuestion(question.id, answers, correct))
        picked.append(question)
    return picked


def test_only_exam_material_is_posted_at_the_exam_weights(bank: QuestionBank, content: Content) -> None:
    picked = _run(bank, content, YEAR, "year")
    assert all(q.on_exam for q in picked)
    shares = Counter(q.domains[0] for q in picked)
    for domain in content.blueprint.domains:
        assert abs(shares[domain.code] / YEAR - domain.weight / 100) <= 0.04, (domain.code, shares)


def test_a_note_bullet_is_one_unit_and_nothing_repeats_within_its_domains_cycle(
    bank: QuestionBank, content: Content
) -> None:
    units_of: dict[str, set[str]] = defaultdict(set)
    for q in bank.questions:
        if q.on_exam:
            units_of[q.domains[0]].add(unit_of(q))
    # Long enough for the domain that runs out first to start its second cycle, however big the bank.
    weights = content.blueprint.weights()
    first_to_run_out = min(len(units_of[d]) / weights[d] for d in units_of if weights.get(d))
    picked = _run(bank, content, max(2 * YEAR, int(1.3 * first_to_run_out)), "cycle")
    by_domain: dict[str, list[str]] = defaultdict(list)
    for q in picked:
        by_domain[q.domains[0]].append(unit_of(q))
    for domain, sequence in by_domain.items():
        size = len(units_of[domain])
        for start in range(0, len(sequence), size):
            cycle = sequence[start : start + size]
            assert len(set(cycle)) == len(cycle), domain  # neither a repeat nor the bullet's other question
    # A small domain starts its next cycle rather than dropping out of the mix.
    assert any(len(sequence) > len(units_of[d]) for d, sequence in by_domain.items())


def test_scenarios_take_their_share_while_the_bank_has_them(bank: QuestionBank, content: Content) -> None:
    picked = _run(bank, content, 120, "scenarios")
    share = sum(q.kind is QuestionKind.SCENARIO for q in picked) / len(picked)
    assert share >= SCENARIO_SHARE - 0.02


def test_a_domain_the_channel_keeps_missing_comes_up_more_and_a_mastered_one_less(
    bank: QuestionBank, content: Content
) -> None:
    weak, strong = "security", "resilience"

    def answering(question: Question) -> tuple[int, int]:
        if question.domains[0] == weak:
            return 10, 2
        if question.domains[0] == strong:
            return 10, 10
        return 10, 7

    neutral = Counter(q.domains[0] for q in _run(bank, content, 200, "lean"))
    leaning = Counter(q.domains[0] for q in _run(bank, content, 200, "lean", answering))
    low, high = LEAN_RANGE
    assert neutral[weak] * 1.4 <= leaning[weak] <= neutral[weak] * high + 3
    assert neutral[strong] * low - 3 <= leaning[strong] < neutral[strong]


def test_selection_is_deterministic_for_a_seed_and_differs_between_seeds(
    bank: QuestionBank, content: Content
) -> None:
    assert [q.id for q in _run(bank, content, 30, "same")] == [q.id for q in _run(bank, content, 30, "same")]
    assert [q.id for q in _run(bank, content, 30, "same")] != [q.id for q in _run(bank, content, 30, "other")]
    weights = content.blueprint.weights()
    reversed_bank = tuple(reversed(bank.questions))
    assert choose_daily(reversed_bank, [], "x", weights=weights) == choose_daily(
        bank.questions, [], "x", weights=weights
    )


def test_daily_questions_are_spread_across_services(bank: QuestionBank, content: Content) -> None:
    picked = _run(bank, content, 60, "spread")
    back_to_back = sum(a.service == b.service for a, b in itertools.pairwise(picked))
    assert back_to_back <= 6
    assert len({q.service for q in picked}) >= 15


def test_a_share_of_each_domain_starts_its_next_cycle_sooner(bank: QuestionBank, content: Content) -> None:
    picked = _run(bank, content, YEAR, "share", share=0.25)
    counts = Counter(unit_of(q) for q in picked)
    assert max(counts.values()) >= 2  # a quarter of a domain's units is one cycle


def test_an_empty_bank_has_no_daily_question() -> None:
    assert choose_daily((), [], "x") is None

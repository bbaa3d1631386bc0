"""Daily question selection: no repeats within a cycle, spread out, leaning on what the channel misses."""

from __future__ import annotations

import itertools
from collections import Counter

from bot.quiz.bank import QuestionBank
from bot.quiz.selection import PostedQuestion, choose_daily, current_cycle


def _run(bank: QuestionBank, days: int, seed: str, share: float = 1.0) -> list[str]:
    history: list[PostedQuestion] = []
    for _ in range(days):
        question = choose_daily(bank.questions, history, seed, share)
        assert question is not None
        history.append(PostedQuestion(question.id, answers=3, correct=2))
    return [p.question_id for p in history]


def test_no_question_repeats_until_the_channel_has_seen_the_whole_bank(bank: QuestionBank) -> None:
    picked = _run(bank, len(bank) + 5, seed="c1")
    assert len(set(picked[: len(bank)])) == len(bank)
    assert picked[len(bank)] != picked[len(bank) - 1]


def test_a_share_of_the_bank_starts_a_new_cycle_sooner(bank: QuestionBank) -> None:
    share = 0.25
    cycle = -(-len(bank) * share // 1)
    picked = _run(bank, int(cycle) + 30, seed="c2", share=share)
    assert len(set(picked[: int(cycle)])) == int(cycle)
    assert current_cycle([PostedQuestion(q) for q in picked], int(cycle)) == set(picked[int(cycle) :])


def test_selection_is_deterministic_for_a_seed_and_differs_between_seeds(bank: QuestionBank) -> None:
    assert _run(bank, 30, "same") == _run(bank, 30, "same")
    assert _run(bank, 30, "same") != _run(bank, 30, "other")
    shuffled_bank = tuple(reversed(bank.questions))
    assert choose_daily(shuffled_bank, [], "x") == choose_daily(bank.questions, [], "x")


def test_daily_questions_are_spread_across_services(bank: QuestionBank) -> None:
    picked = [bank.by_id[i] for i in _run(bank, 60, "spread")]
    back_to_back = sum(a.service == b.service for a, b in itertools.pairwise(picked))
    assert back_to_back <= 3
    assert len({q.service for q in picked}) >= 20
    assert len({q.category for q in picked[:10]}) >= 5


def test_selection_leans_toward_services_the_channel_gets_wrong(bank: QuestionBank) -> None:
    weak = "Amazon DynamoDB"
    first_of_each: dict[str, list[str]] = {}
    for q in bank.questions:
        first_of_each.setdefault(q.service, [])
        if len(first_of_each[q.service]) < 2:
            first_of_each[q.service].append(q.id)
    history = [
        PostedQuestion(qid, answers=10, correct=0 if service == weak else 10)
        for service, ids in first_of_each.items()
        for qid in ids
    ]
    counts: Counter[str] = Counter()
    baseline: Counter[str] = Counter()
    for seed in range(300):
        leaning = choose_daily(bank.questions, history, seed)
        neutral = choose_daily(bank.questions, [PostedQuestion(p.question_id) for p in history], seed)
        assert leaning is not None and neutral is not None
        counts[leaning.service] += 1
        baseline[neutral.service] += 1
    assert counts[weak] > baseline[weak] * 1.3


def test_an_empty_bank_has_no_daily_question() -> None:
    assert choose_daily((), [], "x") is None

"""The curated scenario bank as a whole meets the exam's shape (issue 14): how many, where, and how asked.

These read the shipped content/questions/*.yaml. Each figure is the one docs/benchmarks.md reports.
"""

from __future__ import annotations

import re
from collections import Counter

from bot.content import Content
from bot.quiz.model import Question, QuestionKind

# The stem names the one criterion the answer wins on (question-writing.md).
QUALIFIER = re.compile(
    "運用上の負荷が最も少ない|運用負荷が最も|最もコスト効率|コストが最も|ダウンタイムなし|ダウンタイムを伴わず"
    "|ダウンタイムが発生しない|最も迅速|最も速く|影響範囲が最も小さい|最小限の|最も少ない|最も安全|最小の権限|最も低い"
)
# Names AWS has replaced or retired; a scenario uses the current one.
OLD_NAMES = re.compile(
    r"CloudWatch Events|CloudWatch イベント|Classic Load Balancer|起動設定|launch configuration"
    r"|OpsWorks|CodeStar",
    re.IGNORECASE,
)


def _scenarios(bank) -> list[Question]:  # type: ignore[no-untyped-def]
    return [q for q in bank.questions if q.kind is QuestionKind.SCENARIO]


def test_at_least_300_scenarios_spread_over_the_domains_within_three_points(bank, content: Content) -> None:  # type: ignore[no-untyped-def]
    scenarios = _scenarios(bank)
    assert len(scenarios) >= 300
    primary = Counter(q.domains[0] for q in scenarios if q.domains)
    assert sum(primary.values()) == len(scenarios), "every scenario is tagged with an exam domain"
    for domain in content.blueprint.domains:
        share = 100 * primary[domain.code] / len(scenarios)
        assert abs(share - domain.weight) <= 3, (domain.code, round(share, 1), domain.weight)


def test_scenarios_carry_criteria_and_multiple_response_in_exam_like_shares(bank) -> None:  # type: ignore[no-untyped-def]
    scenarios = _scenarios(bank)
    qualified = [q for q in scenarios if QUALIFIER.search(q.prompt)]
    multiple = [q for q in scenarios if len(q.answers) > 1]
    assert len(qualified) / len(scenarios) >= 0.30
    assert len(multiple) / len(scenarios) >= 0.15
    for q in multiple:
        assert len(q.choices) >= 5, q.id
        assert f"{len(q.answers)}つ選択せよ" in q.prompt, q.id  # the stem says how many to pick


def test_every_choice_of_every_scenario_is_explained_and_names_are_current(bank) -> None:  # type: ignore[no-untyped-def]
    for q in _scenarios(bank):
        assert len(q.choice_explanations) == len(q.choices), q.id
        assert len(q.choices) >= 4, q.id
        assert not OLD_NAMES.search(q.prompt + "\n".join(q.choices)), q.id


def test_single_answer_keys_are_spread_over_the_positions(bank) -> None:  # type: ignore[no-untyped-def]
    keys = Counter(q.answers[0] for q in _scenarios(bank) if len(q.answers) == 1)
    total = sum(keys.values())
    for position in range(4):
        assert abs(keys[position] / total - 0.25) <= 0.05, dict(keys)

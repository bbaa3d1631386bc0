"""Relevance guard: `ask` must keep answering the development and held-out query sets.

The floors sit a little below today's figures (see docs/benchmarks.md), so a change that makes search
worse fails here, while the exact numbers are reported by bench/relevance.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.search import SearchEngine
from bot.search.evaluate import evaluate

DATA = Path(__file__).parent / "data"
KINDS = {"en", "abbr", "ja", "mix", "code", "cli", "typo", "question_ja", "question_en"}


def _cases(name: str) -> list[dict[str, object]]:
    cases = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    assert isinstance(cases, list)
    return cases


@pytest.mark.parametrize(
    ("name", "size"), [("ask_dev.yaml", 60), ("ask_holdout.yaml", 60), ("ask_holdout2.yaml", 60)]
)
def test_query_sets_have_the_realistic_mix(name: str, size: int) -> None:
    cases = _cases(name)
    assert len(cases) >= size
    assert {str(c["kind"]) for c in cases} == KINDS
    assert len({str(c["query"]) for c in cases}) == len(cases)


def test_development_set_precision_and_mrr(engine: SearchEngine) -> None:
    report = evaluate(engine, _cases("ask_dev.yaml"))
    assert report.p_at_1(report.ranks) >= 0.92, report.misses
    assert report.mrr(report.ranks) >= 0.94


@pytest.mark.parametrize("name", ["ask_holdout.yaml", "ask_holdout2.yaml"])
def test_held_out_sets_precision_and_mrr(engine: SearchEngine, name: str) -> None:
    report = evaluate(engine, _cases(name))
    assert report.p_at_1(report.ranks) >= 0.84, report.misses
    assert report.mrr(report.ranks) >= 0.87


def test_the_scorer_can_fail(engine: SearchEngine) -> None:
    report = evaluate(engine, [{"query": "elb 503", "expect": "DynamoDB Accelerator", "kind": "abbr"}])
    assert report.ranks == [0] and report.misses[0].got_line == 503

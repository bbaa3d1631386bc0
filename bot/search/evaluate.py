"""Relevance of `ask` on a set of queries with known answers: P@1 and MRR@5, per kind of query."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bot.search.engine import SearchEngine


@dataclass(frozen=True)
class Miss:
    query: str
    rank: int  # 0 = not in the top five
    expected_line: int | None
    got_line: int | None
    got: str
    got_source: str | None = None


@dataclass
class RelevanceReport:
    ranks_by_kind: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    misses: list[Miss] = field(default_factory=list)

    @property
    def ranks(self) -> list[int]:
        return [r for ranks in self.ranks_by_kind.values() for r in ranks]

    @staticmethod
    def p_at_1(ranks: list[int]) -> float:
        return round(sum(r == 1 for r in ranks) / len(ranks), 3) if ranks else 0.0

    @staticmethod
    def mrr(ranks: list[int]) -> float:
        return round(sum(1 / r for r in ranks if r) / len(ranks), 3) if ranks else 0.0

    def summary(self) -> dict[str, object]:
        return {
            "queries": len(self.ranks),
            "p_at_1": self.p_at_1(self.ranks),
            "mrr_at_5": self.mrr(self.ranks),
            "by_kind": {
                kind: {"n": len(r), "p_at_1": self.p_at_1(r), "mrr_at_5": self.mrr(r)}
                for kind, r in sorted(self.ranks_by_kind.items())
            },
        }


def comparable(text: str) -> str:
    """Text as the relevance check compares it: NFKC, lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def expected_texts(case: Mapping[str, object]) -> list[str]:
    """What may answer a case: its `expect` text and/or any of `expect_any` (for a query that two
    passages answer equally well, e.g. the team's notes and the supplement), comparable form."""
    texts = [case["expect"]] if "expect" in case else []
    alternatives = case.get("expect_any")
    if isinstance(alternatives, list):
        texts.extend(alternatives)
    if not texts:
        raise ValueError(f"case without 'expect' or 'expect_any': {case.get('query')!r}")
    return [comparable(str(t)) for t in texts]


def evaluate(engine: SearchEngine, cases: Iterable[Mapping[str, object]]) -> RelevanceReport:
    """A hit answers a case when its passage contains one of the case's expected texts (NFKC, any case)."""
    report = RelevanceReport()
    for case in cases:
        query, expected = str(case["query"]), expected_texts(case)
        outcome = engine.search(query)
        rank = next(
            (
                r
                for r, hit in enumerate(outcome.hits, start=1)
                if any(text in comparable(hit.text) for text in expected)
            ),
            0,
        )
        report.ranks_by_kind[str(case.get("kind", "other"))].append(rank)
        if rank != 1:
            top = outcome.hits[0] if outcome.hits else None
            line = case.get("line")
            report.misses.append(
                Miss(
                    query=query,
                    rank=rank,
                    expected_line=int(str(line)) if line is not None else None,
                    got_line=top.line if top else None,
                    got=top.title[:50] if top else str(outcome.problem),
                    got_source=top.source if top else None,
                )
            )
    return report

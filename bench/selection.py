"""Daily question selection over the real bank: 5 channels × 250 posts, with simulated answers.

For each channel a team answers every post; its chance of a right answer depends on the question's
domain. Channels 0–3 are even (70% everywhere). Channel 4 keeps missing one domain (`--weak`, 25%
right) and masters another (`--strong`, 95%): its shares show the lean, beside the even channels'.
Prints, as JSON: each domain's share of the posts next to its exam weight (even channels together, and
the leaning channel), the scenario share, repeats (a question posted again) and same-bullet repeats
within a cycle (two questions of one note bullet before the domain's cycle ended: must be 0).
Run: .venv/bin/python bench/selection.py [--posts 250] [--weak security] [--strong resilience]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.content import bank_of, load_content  # noqa: E402
from bot.quiz.model import Question, QuestionKind  # noqa: E402
from bot.quiz.selection import PostedQuestion, choose_daily, unit_of  # noqa: E402

CHANNELS = 5
TEAM = 8  # people answering each post


def run_channel(
    questions: tuple[Question, ...], weights: dict[str, float], posts: int, seed: str, right: dict[str, float]
) -> list[Question]:
    rng = random.Random(seed)
    history: list[PostedQuestion] = []
    picked: list[Question] = []
    for _ in range(posts):
        question = choose_daily(questions, history, seed, weights=weights)
        assert question is not None
        chance = right.get(question.domains[0], 0.7)
        correct = sum(rng.random() < chance for _ in range(TEAM))
        history.append(PostedQuestion(question.id, TEAM, correct))
        picked.append(question)
    return picked


def same_bullet_repeats(picked: list[Question], units_of: dict[str, set[str]]) -> int:
    """Units posted twice within one cycle of their domain."""
    found = 0
    seen: dict[str, set[str]] = defaultdict(set)
    for q in picked:
        domain, unit = q.domains[0], unit_of(q)
        if unit in seen[domain]:
            found += 1
        seen[domain].add(unit)
        if len(seen[domain]) >= len(units_of[domain]):
            seen[domain] = set()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=250)
    parser.add_argument("--weak", default="security")
    parser.add_argument("--strong", default="resilience")
    args = parser.parse_args()
    content = load_content(ROOT / "content")
    bank = bank_of(content)
    weights = content.blueprint.weights()
    units_of: dict[str, set[str]] = defaultdict(set)
    for q in bank.questions:
        if q.on_exam:
            units_of[q.domains[0]].add(unit_of(q))
    even: list[Question] = []
    repeats = bullet_repeats = 0
    leaning: list[Question] = []
    for channel in range(CHANNELS):
        right = {args.weak: 0.25, args.strong: 0.95} if channel == CHANNELS - 1 else {}
        picked = run_channel(bank.questions, weights, args.posts, f"bench-{channel}", right)
        repeats += len(picked) - len({q.id for q in picked})
        bullet_repeats += same_bullet_repeats(picked, units_of)
        (leaning if right else even).extend(picked)

    def shares(picked: list[Question]) -> dict[str, float]:
        counts = Counter(q.domains[0] for q in picked)
        return {d: round(counts[d] / len(picked), 3) for d in weights}

    even_shares, lean_shares = shares(even), shares(leaning)
    result = {
        "channels": CHANNELS,
        "posts_per_channel": args.posts,
        "bank_on_exam": sum(len(u) for u in units_of.values()),
        "units_per_domain": {d: len(u) for d, u in units_of.items()},
        "domains": {
            d: {
                "weight": round(w, 3),
                "share_even_channels": even_shares[d],
                "off_by_points": round((even_shares[d] - w) * 100, 1),
                "share_leaning_channel": lean_shares[d],
            }
            for d, w in weights.items()
        },
        "scenario_share": round(
            sum(q.kind is QuestionKind.SCENARIO for q in even + leaning) / len(even + leaning), 3
        ),
        "off_exam_posted": sum(not q.on_exam for q in even + leaning),
        "repeats": repeats,
        "same_bullet_repeats_within_a_cycle": bullet_repeats,
        "lean": {
            "weak_domain": args.weak,
            "weak_share_even_vs_leaning": [even_shares[args.weak], lean_shares[args.weak]],
            "strong_domain": args.strong,
            "strong_share_even_vs_leaning": [even_shares[args.strong], lean_shares[args.strong]],
        },
    }
    worst = max(abs(v["off_by_points"]) for v in result["domains"].values())  # type: ignore[union-attr]
    print(f"worst domain off its weight: {worst} points; scenario share {result['scenario_share']}")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()

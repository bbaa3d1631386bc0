"""`dop-bot questions --flagged` and `--stats`: what people reported and how each question performs,
read from the database, for whoever looks after the question bank."""

from __future__ import annotations

import json
from typing import Any

from bot.bootstrap import Core
from bot.clip import clip
from bot.stats.items import MIN_ANSWERS_FOR_REVIEW, TOO_EASY, TOO_HARD, ItemStats, item_stats
from bot.storage.flags import FlaggedQuestion, FlagStore
from bot.storage.items import question_moments

PROMPT = 80  # characters of a prompt shown beside its id


def _prompt(core: Core, question_id: str) -> str:
    question = core.bank.get(question_id)
    return clip(" ".join(question.prompt.split()), PROMPT) if question else "(not in the bank)"


def status(item: FlaggedQuestion) -> str:
    """dropped or kept (a resolution stands), withdrawn (out of the daily rotation, waiting for one),
    or open (reported, by too few people to withdraw it)."""
    if item.resolution == "drop":
        return "dropped"
    if item.withdrawn:
        return "withdrawn"
    return "kept" if item.resolution == "keep" else "open"


async def flagged(core: Core, as_json: bool) -> int:
    assert core.db is not None
    found = await (core.flags or FlagStore(core.db)).flagged()
    if as_json:
        print(json.dumps([_flag_json(core, f) for f in found], ensure_ascii=False, indent=1))
        return 0
    withdrawn = sum(f.withdrawn for f in found)
    print(f"{len(found)} reported questions, {withdrawn} out of the daily rotation")
    for item in found:
        print(
            f"\n{item.question_id}  {len(item.reports)} reporters ({item.counted} counting)  {status(item)}"
            f"\n  {_prompt(core, item.question_id)}"
        )
        for report in item.reports:
            note = "" if report.counts else " (before the keep)"
            reason = report.reason or "-"
            print(f"  - {report.at:%Y-%m-%d %H:%M} {report.reporter}{note}: {reason}")
    return 0


def _flag_json(core: Core, item: FlaggedQuestion) -> dict[str, Any]:
    return {
        "id": item.question_id,
        "prompt": _prompt(core, item.question_id),
        "reporters": len(item.reports),
        "counting": item.counted,
        "status": status(item),
        "resolved": status(item) in ("dropped", "kept"),
        "reasons": [r.reason for r in item.reports if r.reason],
        "reports": [
            {
                "reporter": r.reporter,
                "where": r.where,
                "reason": r.reason,
                "at": r.at.isoformat(),
                "counts": r.counts,
            }
            for r in item.reports
        ],
    }


async def stats(core: Core, as_json: bool) -> int:
    assert core.db is not None
    moments, people = await question_moments(core.db)
    items = item_stats(moments)
    review = [i for i in items if i.review]
    if as_json:
        print(
            json.dumps(
                {
                    "questions": [_item_json(core, i) for i in items],
                    "for_review": [i.question_id for i in review],
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0
    answers = sum(i.answers for i in items)
    print(f"{len(items)} questions answered: {answers} first answers by {people} people")
    print(f"{'question':<40} {'answers':>7} {'correct':>7} {'discr.':>6}  prompt")
    for item in items:
        print(_line(core, item))
    print(
        f"\nfor review ({MIN_ANSWERS_FOR_REVIEW}+ answers and a share above {TOO_EASY:.2f} or below"
        f" {TOO_HARD:.2f}, or a negative discrimination): {len(review)}"
    )
    for item in review:
        print(f"{_line(core, item)}  [{', '.join(item.review)}]")
    return 0


def _line(core: Core, item: ItemStats) -> str:
    discrimination = "-" if item.discrimination is None else f"{item.discrimination:+.2f}"
    return (
        f"{item.question_id:<40} {item.answers:>7} {item.share:>7.0%} {discrimination:>6}"
        f"  {_prompt(core, item.question_id)}"
    )


def _item_json(core: Core, item: ItemStats) -> dict[str, Any]:
    return {
        "id": item.question_id,
        "prompt": _prompt(core, item.question_id),
        "answers": item.answers,
        "correct": item.correct,
        "share": round(item.share, 4),
        "discrimination": None if item.discrimination is None else round(item.discrimination, 4),
        "review": list(item.review),
    }

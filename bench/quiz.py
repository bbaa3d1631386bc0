"""Building the question bank: parse the notes, generate, validate. Target: at most 1 s.
Then what the bank holds (bot/quiz/census.py): by kind, exam domain (primary) and source file, the
answer positions, generated questions with fewer than 4 choices or 〇〇 in a choice, and questions per
service of every notes file with those under 5 named.

Run: .venv/bin/python bench/quiz.py [--runs N]
Prints the figures as it goes; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.content import Content, bank_of, load_content  # noqa: E402
from bot.notes.loader import display_name  # noqa: E402
from bot.quiz import census  # noqa: E402
from bot.quiz.curated import load_curated, question_files  # noqa: E402
from bot.quiz.model import QuestionKind  # noqa: E402

TARGET_MS = 1000.0


def curated_files(content: Content) -> dict[str, str]:
    """Each curated question's id and the question file it is written in."""
    files: dict[str, str] = {}
    for path in question_files(ROOT / "content"):
        loaded, _ = load_curated([path], content.decks)
        files.update((item.id, display_name(path, ROOT)) for item in loaded)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    totals: list[float] = []
    builds: list[float] = []
    bank = content = None
    for _ in range(args.runs):
        start = time.perf_counter()
        content = load_content(ROOT / "content")
        loaded = time.perf_counter()
        bank = bank_of(content)
        done = time.perf_counter()
        totals.append((done - start) * 1000)
        builds.append((done - loaded) * 1000)
    assert bank is not None and content is not None
    generated = [q for q in bank.questions if q.kind is not QuestionKind.SCENARIO]
    files = curated_files(content)
    result = {
        "runs": args.runs,
        "total_ms_median": round(statistics.median(totals), 1),
        "total_ms_max": round(max(totals), 1),
        "generate_ms_median": round(statistics.median(builds), 1),
        "target_ms": TARGET_MS,
        "questions": len(bank),
        "generated": len(generated),
        "curated": len(bank) - len(generated),
        "services_covered": len({q.service for q in generated}),
        "by_kind": census.by_kind(bank.questions),
        "by_category": dict(Counter(q.category for q in bank.questions).most_common()),
        "by_domain": census.by_domain(bank.questions),
        "by_source_file": census.by_source_file(bank.questions, files),
        "kind_by_file": census.per_file(bank.questions, files, census.by_kind),
        "domain_by_file": census.per_file(bank.questions, files, census.by_domain),
        "curated_cite": census.curated_citations(bank.questions),
        "answer_positions": census.answer_positions(bank.questions),
        "generated_faults": census.choice_faults(bank.questions),
        "dropped": dict(bank.dropped.most_common()),
    }
    services = census.per_service(bank.questions, content.decks)
    short = census.short_services(services)
    result["services"] = len(services)
    result["services_under_5"] = len(short)
    result["per_service"] = [
        [c.file.rsplit("/", 1)[-1], c.service, c.questions, c.exam, c.generated] for c in services
    ]
    print(
        f"parse + generate + validate: median {result['total_ms_median']} ms (target <= {TARGET_MS:.0f} ms)"
    )
    print(f"{result['questions']} questions ({result['generated']} generated, {result['curated']} curated)")
    print(f"{len(short)} of {len(services)} services have fewer than {census.MIN_PER_SERVICE} questions:")
    for c in short:
        print(f"  {c.questions:>2} ({c.exam} exam)  {c.file.rsplit('/', 1)[-1]}  {c.service}")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()

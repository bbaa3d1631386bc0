"""Commands over the question bank and the content files: `questions`, `content check`, `export anki`.
They build the bank (a second or so); none of them opens the database."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from adapters.clock import SystemClock
from bot.content import bank_of, bank_problems, check_files, load_content
from bot.i18n import Messages
from bot.notes.model import Diagnostic
from bot.quiz.blueprint import Blueprint
from bot.quiz.curated import question_files
from bot.quiz.model import Question
from bot.search import SearchEngine
from bot.usecases.practice import resolve_scope

YEAR_OF_POSTS = 261  # weekday posts in a year: a channel on the default mon-fri schedule


def questions(content_dir: Path, kind: str | None, service: str | None, as_json: bool) -> int:
    content = load_content(content_dir)
    engine = SearchEngine.build(list(content.decks), content.glossary, content.errata)
    bank = bank_of(content)
    scope = resolve_scope(bank, engine, service or "")
    if scope is None:
        print(f"no service or category matches {service!r}", file=sys.stderr)
        return 1
    ids = {q.id for q in scope}
    selected = [q for q in bank.select(kind=kind) if q.id in ids]
    if as_json:
        print(json.dumps([q.to_json() for q in selected], ensure_ascii=False, indent=1))
        return 0
    by_kind = Counter(q.kind.value for q in selected)
    by_category = Counter(q.category for q in selected)
    print(f"{len(selected)} questions, {len({q.service for q in selected})} services")
    for name, counter in (("kind", by_kind), ("category", by_category)):
        print(f"by {name}: " + ", ".join(f"{k} {v}" for k, v in counter.most_common()))
    if content.blueprint.domains:
        for line in domain_lines(selected, content.blueprint):
            print(line)
    return 0


def domain_lines(questions: Sequence[Question], blueprint: Blueprint) -> list[str]:
    """Questions per exam domain (by primary domain) beside the exam's weight, and where the bank is
    too short for a year of daily questions at that weight without repeats."""
    on_exam = [q for q in questions if q.on_exam]
    primary = Counter(q.domains[0] for q in on_exam)
    lines = [f"exam domains ({len(on_exam)} on the exam, {len(questions) - len(on_exam)} off it):"]
    short = []
    for domain in blueprint.domains:
        count = primary[domain.code]
        share = count / len(on_exam) if on_exam else 0.0
        lines.append(
            f"  {domain.code:<11} {count:>4}  {share:6.1%} of the bank, {domain.weight}% of the exam"
        )
        yearly = round(YEAR_OF_POSTS * domain.weight / 100)
        if count < yearly:
            short.append(f"{domain.code} ({count} questions for ~{yearly} daily posts a year)")
    if short:
        lines.append("short for a year without repeats: " + ", ".join(short))
    return lines


def export_anki(content_dir: Path, everything: bool, out: Path) -> int:
    """`export anki --all`: the whole bank as an Anki deck. Without --all there is no one to export for:
    a personal deck (missed and due questions, with the user's schedule) needs a chat user."""
    if not everything:
        print(
            "a personal deck (your missed and due questions with their schedule) comes from /dop export in"
            " chat; use --all to write the whole question bank",
            file=sys.stderr,
        )
        return 2
    from bot.export.anki import write_apkg  # only this command needs genanki

    bank = bank_of(load_content(content_dir))
    try:
        count = write_apkg(out, bank.questions, now=SystemClock().now())
    except OSError as exc:
        print(f"cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"wrote {count} notes to {out.resolve()}")
    return 0


def check_content(content_dir: Path, locale: str, files: list[Path]) -> int:
    """Print every diagnostic as file:line: message; exit 1 if any is an error."""
    diagnostics: list[Diagnostic] = []
    checked = 0
    if not files:
        content = load_content(content_dir)
        diagnostics.extend(content.diagnostics)
        diagnostics.extend(bank_problems(content, bank_of(content)))
        checked = len(content.decks) + 3 + len(question_files(content_dir))
    else:
        diagnostics.extend(check_files(files, content_dir))
        checked = len(files)
    for problem in diagnostics:
        print(problem)
    errors = sum(d.severity == "error" for d in diagnostics)
    summary = Messages(locale)("content.ok", files=checked, errors=errors, warnings=len(diagnostics) - errors)
    print(summary, file=sys.stderr)
    return 1 if errors else 0

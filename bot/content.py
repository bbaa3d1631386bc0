"""Everything under content/: the decks and the glossary, loaded together, and the question bank
built from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.notes.errata import Erratum, corrected, load_errata
from bot.notes.loader import display_name, load_decks, note_files
from bot.notes.model import Deck, Diagnostic
from bot.notes.parser import parse_file
from bot.quiz.bank import QuestionBank
from bot.quiz.blueprint import Blueprint, load_blueprint, rule_problems
from bot.quiz.config import QuizConfig, load_quiz_config
from bot.quiz.curated import CuratedQuestion, load_curated, question_files
from bot.search.glossary import Glossary, load_glossary
from bot.search.text import normalize


@dataclass(frozen=True)
class Content:
    decks: tuple[Deck, ...]
    glossary: Glossary
    diagnostics: tuple[Diagnostic, ...]
    quiz_config: QuizConfig = field(default_factory=QuizConfig)
    curated: tuple[CuratedQuestion, ...] = ()
    blueprint: Blueprint = field(default_factory=Blueprint)
    errata: dict[str, Erratum] = field(default_factory=dict)


def load_content(content_dir: Path) -> Content:
    """Parse every deck and the data files beside them. Problems are collected, never raised."""
    root = content_dir.parent  # files are named from the project root ('content/notes/dop.md')

    def named(path: Path) -> str:
        return display_name(path, root)

    notes = load_decks(note_files(content_dir), base=root)
    diagnostics = list(notes.diagnostics)
    if not notes.decks:
        diagnostics.append(
            Diagnostic(named(content_dir / "notes"), 0, "error", "no notes files (*.md) found")
        )
    errata, problems = load_errata(
        content_dir / "errata.yaml", notes.decks, named(content_dir / "errata.yaml")
    )
    diagnostics.extend(problems)
    as_asked, left_out = corrected(notes.decks, errata)
    glossary, problems = load_glossary(content_dir / "aliases.yaml", named(content_dir / "aliases.yaml"))
    diagnostics.extend(problems)
    diagnostics.extend(_unknown_headings(glossary, notes.decks, named(content_dir / "aliases.yaml")))
    quiz_config, problems = load_quiz_config(content_dir / "quiz.yaml", named(content_dir / "quiz.yaml"))
    diagnostics.extend(problems)
    asked = {n.text for deck in as_asked for n in deck.services()}
    diagnostics.extend(
        Diagnostic(named(content_dir / "quiz.yaml"), 0, "warning", f"'{heading}' is not a heading")
        for heading in sorted(quiz_config.headings_seen - asked)
    )
    files = question_files(content_dir)
    curated, problems = load_curated(files, notes.decks, {f: named(f) for f in files})
    diagnostics.extend(problems)
    for item in curated:
        wrong = [n.id for n in item.notes if n.id in left_out]
        if wrong:
            message = f"question '{item.id}' cites notes an erratum corrects without a fix: {wrong}"
            diagnostics.append(Diagnostic(named(content_dir / "questions"), 0, "error", message))
    blueprint, problems = load_blueprint(content_dir / "exam.yaml", named(content_dir / "exam.yaml"))
    diagnostics.extend(problems)
    diagnostics.extend(rule_problems(blueprint, notes.decks, named(content_dir / "exam.yaml")))
    unknown = {d for c in curated for d in c.domains} - set(blueprint.codes)
    if blueprint.domains and unknown:
        message = f"questions name unknown domains: {sorted(unknown)}"
        diagnostics.append(Diagnostic(named(content_dir / "exam.yaml"), 0, "error", message))
    return Content(notes.decks, glossary, tuple(diagnostics), quiz_config, tuple(curated), blueprint, errata)


def _unknown_headings(glossary: Glossary, decks: tuple[Deck, ...], source: str) -> list[Diagnostic]:
    """Aliases for services no deck has: a renamed heading would silently lose its aliases."""
    headings = {normalize(n.text) for deck in decks for n in deck.services()}
    named = {h for hs in glossary.service_aliases.values() for h in hs}
    return [
        Diagnostic(source, 0, "warning", f"service '{heading}' is not a heading of any deck")
        for heading in sorted(named - headings)
    ]


def bank_of(content: Content) -> QuestionBank:
    """The question bank of the content: questions generated from the notes as the errata correct
    them, plus the curated ones, tagged with exam domains."""
    from bot.quiz.build import build_bank  # generation is loaded only when a bank is built

    return build_bank(
        content.decks,
        content.glossary,
        content.quiz_config,
        content.curated,
        content.blueprint,
        content.errata,
    )


def bank_problems(
    content: Content, bank: QuestionBank, quiz_file: str = "content/quiz.yaml"
) -> list[Diagnostic]:
    """Questions the exam blueprint leaves untagged (neither a domain nor marked off the exam), and
    resolutions naming a question the bank does not have (a typo, or a question since rewritten)."""
    known = bank.by_id.keys() | bank.removed
    problems = [
        Diagnostic(quiz_file, 0, "warning", f"resolution for '{r.question}': the bank has no such question")
        for r in content.quiz_config.resolutions
        if r.question not in known
    ]
    if not content.blueprint.domains:
        return problems
    return [
        *problems,
        *(
            Diagnostic(q.source.file, q.source.line, "error", f"question {q.id} has no exam domain")
            for q in bank.questions
            if not q.domains and q.off_exam is None
        ),
    ]


def check_files(paths: list[Path], content_dir: Path) -> list[Diagnostic]:
    """Diagnostics for the given content files, each checked by what it is.

    Question files cite note ids, so they are checked against the decks of `content_dir` plus any
    notes files among `paths`.
    """
    diagnostics: list[Diagnostic] = []
    notes = [p for p in paths if p.suffix == ".md"]
    decks = list(load_decks(note_files(content_dir), base=content_dir.parent).decks)
    for path in notes:
        result = parse_file(path)
        diagnostics.extend(result.diagnostics)
        if result.deck is not None and result.deck.source not in {d.source for d in decks}:
            decks.append(result.deck)
    for path in paths:
        if path.suffix == ".md":
            continue
        if not path.exists():
            diagnostics.append(Diagnostic(str(path), 0, "error", "file not found"))
        elif path.suffix not in (".yaml", ".yml"):
            diagnostics.append(
                Diagnostic(str(path), 0, "error", "not a content file (.md notes or .yaml data)")
            )
        elif path.name.startswith("aliases"):
            diagnostics.extend(load_glossary(path)[1])
        elif path.name.startswith("quiz"):
            diagnostics.extend(load_quiz_config(path)[1])
        elif path.name.startswith("errata"):
            diagnostics.extend(load_errata(path, decks, str(path))[1])
        elif path.name.startswith("exam"):
            blueprint, problems = load_blueprint(path)
            diagnostics.extend([*problems, *rule_problems(blueprint, decks, str(path))])
        else:
            diagnostics.extend(load_curated([path], tuple(decks))[1])
    return diagnostics

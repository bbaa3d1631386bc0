"""Everything under content/: the decks and the glossary, loaded together, and the question bank
built from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.notes.loader import display_name, load_decks, note_files
from bot.notes.model import Deck, Diagnostic
from bot.notes.parser import parse_file
from bot.quiz.bank import QuestionBank, build_bank
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


def load_content(content_dir: Path) -> Content:
    """Parse every deck and the aliases file. Problems are collected, never raised."""
    # Files are named from the project root ('content/notes/dop.md') wherever the bot runs.
    notes = load_decks(note_files(content_dir), base=content_dir.parent)
    aliases = content_dir / "aliases.yaml"
    glossary, problems = load_glossary(aliases, display_name(aliases, content_dir.parent))
    diagnostics = list(notes.diagnostics) + problems
    headings = {normalize(n.text) for deck in notes.decks for n in deck.services()}
    for heading in sorted({h for hs in glossary.service_aliases.values() for h in hs} - headings):
        diagnostics.append(
            Diagnostic(
                display_name(aliases, content_dir.parent),
                0,
                "warning",
                f"service '{heading}' is not a heading of any deck",
            )
        )
    if not notes.decks:
        where = display_name(content_dir / "notes", content_dir.parent)
        diagnostics.append(Diagnostic(where, 0, "error", "no notes files (*.md) found"))
    quiz_path = content_dir / "quiz.yaml"
    quiz_config, quiz_problems = load_quiz_config(quiz_path, display_name(quiz_path, content_dir.parent))
    diagnostics.extend(quiz_problems)
    for heading in sorted(
        quiz_config.headings_seen - {n.text for deck in notes.decks for n in deck.services()}
    ):
        diagnostics.append(
            Diagnostic(
                display_name(quiz_path, content_dir.parent), 0, "warning", f"'{heading}' is not a heading"
            )
        )
    files = question_files(content_dir)
    curated, curated_problems = load_curated(
        files, notes.decks, {f: display_name(f, content_dir.parent) for f in files}
    )
    diagnostics.extend(curated_problems)
    exam_path = content_dir / "exam.yaml"
    exam_name = display_name(exam_path, content_dir.parent)
    blueprint, exam_problems = load_blueprint(exam_path, exam_name)
    diagnostics.extend(exam_problems)
    diagnostics.extend(rule_problems(blueprint, notes.decks, exam_name))
    unknown = {d for c in curated for d in c.domains} - set(blueprint.codes)
    if blueprint.domains and unknown:
        diagnostics.append(
            Diagnostic(exam_name, 0, "error", f"questions name unknown domains: {sorted(unknown)}")
        )
    return Content(notes.decks, glossary, tuple(diagnostics), quiz_config, tuple(curated), blueprint)


def bank_of(content: Content) -> QuestionBank:
    """The question bank of the content: questions generated from the notes plus the curated ones,
    tagged with exam domains."""
    return build_bank(
        content.decks, content.glossary, content.quiz_config, content.curated, content.blueprint
    )


def bank_problems(content: Content, bank: QuestionBank) -> list[Diagnostic]:
    """Questions the exam blueprint leaves untagged: neither a domain nor marked off the exam."""
    if not content.blueprint.domains:
        return []
    return [
        Diagnostic(q.source.file, q.source.line, "error", f"question {q.id} has no exam domain")
        for q in bank.questions
        if not q.domains and q.off_exam is None
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
        elif path.name.startswith("exam"):
            blueprint, problems = load_blueprint(path)
            diagnostics.extend([*problems, *rule_problems(blueprint, decks, str(path))])
        else:
            diagnostics.extend(load_curated([path], tuple(decks))[1])
    return diagnostics

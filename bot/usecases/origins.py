"""Whose words a passage or a question rests on, said the same way by lookups and questions: the
team's notes or dop-bot's supplement, with the file and line (the rule itself is bot/notes/origin.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.i18n import Messages
from bot.notes.origin import origin_of

if TYPE_CHECKING:  # the one-shot `ask` imports this module and never needs the quiz
    from bot.quiz.model import Question


def origin_label(source: str, messages: Messages) -> str:
    """'チームのノート' or 'dop-bot 補足' for a notes file."""
    return messages(f"origin.{origin_of(source)}")


def source_line(source: str, line: int, messages: Messages) -> str:
    """'チームのノート: content/notes/dop.md 12行目': whose words, which file, which line."""
    return messages("ask.source", origin=origin_label(source, messages), source=source, line=line)


def question_origins(question: Question, messages: Messages) -> str:
    """One source line per notes file the question cites (at its first note there), one a line: a
    curated question citing the team's notes and the supplement names both."""
    first: dict[str, int] = {}
    for cited in question.sources:
        first.setdefault(cited.file, cited.line)
    return "\n".join(source_line(file, line, messages) for file, line in first.items())

"""One module per kind of generated question; each yields Drafts from the notes."""

from collections.abc import Callable, Iterator

from bot.quiz.drafts import Draft, NotesView
from bot.quiz.generators.features import feature_drafts
from bot.quiz.generators.numbers import number_drafts
from bot.quiz.generators.services import service_drafts
from bot.quiz.generators.terms import term_drafts

Generator = Callable[[NotesView], Iterator[Draft]]
GENERATORS: tuple[Generator, ...] = (term_drafts, service_drafts, number_drafts, feature_drafts)

__all__ = ["GENERATORS", "Generator"]

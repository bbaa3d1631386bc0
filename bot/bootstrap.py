"""Wire the core from settings: content → search engine → dispatcher. Called by entry points."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.clock import Clock
from bot.config import Settings
from bot.content import Content, load_content
from bot.dispatcher import Dispatcher
from bot.practice import practice_handlers
from bot.quiz.bank import QuestionBank, build_bank
from bot.quiz.practice import CardStore, InMemoryCardStore, PracticeService
from bot.search import SearchEngine

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Core:
    settings: Settings
    content: Content
    engine: SearchEngine
    bank: QuestionBank
    practice: PracticeService
    dispatcher: Dispatcher


def build_core(settings: Settings, clock: Clock, store: CardStore | None = None) -> Core:
    """Load the notes, build the index and the question bank, wire the commands.

    Content problems are logged; whatever parsed is served.
    """
    content = load_content(settings.content_path())
    for problem in content.diagnostics:
        level = logging.ERROR if problem.severity == "error" else logging.DEBUG
        log.log(level, "%s", problem)
    engine = SearchEngine.build(list(content.decks), content.glossary)
    bank = build_bank(content.decks, content.glossary, content.quiz_config, content.curated)
    practice = PracticeService(bank=bank, store=store or InMemoryCardStore(), clock=clock)
    dispatcher = Dispatcher(engine=engine, default_locale=settings.locale)
    dispatcher.handlers.update(practice_handlers(practice, engine))
    return Core(settings, content, engine, bank, practice, dispatcher)

"""Wire the core from settings: content → search engine → dispatcher. Called by entry points."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.config import Settings
from bot.content import Content, load_content
from bot.dispatcher import Dispatcher
from bot.search import SearchEngine

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Core:
    settings: Settings
    content: Content
    engine: SearchEngine
    dispatcher: Dispatcher


def build_core(settings: Settings) -> Core:
    """Load the notes and build the index. Content problems are logged; what parsed is served."""
    content = load_content(settings.content_path())
    for problem in content.diagnostics:
        level = logging.ERROR if problem.severity == "error" else logging.DEBUG
        log.log(level, "%s", problem)
    engine = SearchEngine.build(list(content.decks), content.glossary)
    dispatcher = Dispatcher(engine=engine, default_locale=settings.locale)
    return Core(settings=settings, content=content, engine=engine, dispatcher=dispatcher)

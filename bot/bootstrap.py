"""Wire the core from settings: content → search engine → question bank → storage → dispatcher.

`build_core` needs no database (ask, topics, questions); `start_core` opens the database, applies
migrations and adds everything that keeps state. Entry points call these; nothing runs at import.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.clock import Clock
from bot.config import Settings
from bot.content import Content, load_content
from bot.daily import DailyAnswerService
from bot.dispatcher import Dispatcher
from bot.practice import practice_handlers
from bot.quiz.bank import QuestionBank, build_bank
from bot.quiz.practice import CardStore, InMemoryCardStore, PracticeService
from bot.search import SearchEngine
from bot.stats_commands import StatsService, stats_handlers
from bot.storage.cards import SqlCardStore
from bot.storage.daily import DailyLedger
from bot.storage.database import Database, safe_url
from bot.storage.stats import StatsQueries

log = logging.getLogger(__name__)


@dataclass
class Core:
    settings: Settings
    content: Content
    engine: SearchEngine
    bank: QuestionBank
    practice: PracticeService
    dispatcher: Dispatcher
    clock: Clock
    db: Database | None = None
    ledger: DailyLedger | None = None
    daily: DailyAnswerService | None = None
    stats: StatsService | None = None

    async def close(self) -> None:
        if self.db is not None:
            await self.db.close()


def build_core(settings: Settings, clock: Clock, store: CardStore | None = None) -> Core:
    """Load the notes, build the index and the question bank, wire the stateless commands.

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
    return Core(settings, content, engine, bank, practice, dispatcher, clock)


async def start_core(settings: Settings, clock: Clock) -> Core:
    """build_core plus the database: migrations applied, practice and stats kept in it.

    Raises StorageUnavailable or DatabaseNewerThanCode with a message fit for the user.
    """
    db = Database.open(settings.database())
    try:
        revision = await db.upgrade()
    except Exception:
        await db.close()
        raise
    log.info("database %s at revision %s", safe_url(db.url), revision)
    cards = SqlCardStore(db, clock)
    core = build_core(settings, clock, store=cards)
    ledger = DailyLedger(db)
    stats = StatsService(ledger, StatsQueries(db), cards, core.bank, clock, settings.timezone)
    core.dispatcher.handlers.update(stats_handlers(stats))
    core.db, core.ledger, core.stats = db, ledger, stats
    core.daily = DailyAnswerService(ledger, core.bank, clock)
    return core

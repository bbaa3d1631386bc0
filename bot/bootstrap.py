"""Wire the core from settings: content → search engine → question bank → storage → dispatcher.

`build_core` needs no database (ask, topics, questions); `start_core` opens the database, applies
migrations and adds everything that keeps state. Entry points call these; nothing runs at import.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from datetime import timedelta

from bot.clock import Clock
from bot.config import Settings
from bot.content import Content, bank_of
from bot.dispatcher import Dispatcher, Requester
from bot.i18n import Messages
from bot.messenger import Messenger
from bot.notes.model import Link
from bot.quiz.bank import QuestionBank
from bot.quiz.practice import CardStore, InMemoryCardStore, PracticeService
from bot.replies import Reply
from bot.scheduler.delivery import Pacer
from bot.scheduler.jobs import ChannelJobs
from bot.scheduler.runner import ScheduleRunner
from bot.search import SearchEngine
from bot.snapshot import SnapshotStore, load_or_build
from bot.storage.cards import SqlCardStore
from bot.storage.daily import DailyLedger
from bot.storage.database import Database, safe_url
from bot.storage.events import EventLog
from bot.storage.exams import ExamStore
from bot.storage.flags import FlagStore
from bot.storage.memory import MemoryQueries
from bot.storage.stats import StatsQueries
from bot.storage.subscriptions import Subscriptions
from bot.usecases.daily import DailyAnswerService, feedback_reply
from bot.usecases.exam import ExamService, NoteLink, exam_handlers
from bot.usecases.export import ExportService, export_handlers
from bot.usecases.flags import flag_handlers
from bot.usecases.practice import practice_handlers
from bot.usecases.schedule import schedule_handlers
from bot.usecases.stats import StatsService, stats_handlers, user_of

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
    stats: StatsService | None = None
    runner: ScheduleRunner | None = None
    exams: ExamService | None = None
    flags: FlagStore | None = None

    async def close(self) -> None:
        if self.runner is not None:
            await self.runner.shutdown()
        if self.ledger is not None:
            await self.ledger.batcher.close()
        if self.db is not None:
            await self.db.close()


def build_core(settings: Settings, clock: Clock, store: CardStore | None = None) -> Core:
    """Load the notes, build the index and the question bank, wire the stateless commands. What a run
    before built from the same content and code is read back from its snapshot (bot/snapshot.py).

    Content problems are logged; whatever parsed is served.
    """
    content_dir = settings.content_path()
    snapshots = SnapshotStore(settings.data_path() / "snapshots")
    key, snapshot, built_now = load_or_build(snapshots, content_dir)
    if built_now:
        snapshots.save(key, snapshot)
    content = snapshot.content
    for problem in content.diagnostics:
        level = logging.ERROR if problem.severity == "error" else logging.DEBUG
        log.log(level, "%s", problem)
    # A one-shot lookup may have kept the engine in the snapshot; otherwise it is built here.
    engine = snapshot.engine or SearchEngine.of(snapshot.index, content.glossary, content.errata)
    if snapshot.questions is not None:
        bank = QuestionBank(snapshot.questions, snapshot.dropped)
    else:
        first = snapshot

        def build_bank() -> QuestionBank:
            built = bank_of(content)
            snapshots.save(key, replace(first, questions=built.questions, dropped=built.dropped))
            return built

        # Built on first use (or by `run` in a worker thread once it is listening): it is the slowest
        # part of starting, and nothing needs it to answer `/dop ask`.
        bank = QuestionBank.lazy(build_bank)
    practice = PracticeService(bank=bank, store=store or InMemoryCardStore(), clock=clock)
    dispatcher = Dispatcher(engine=engine, default_locale=settings.locale)
    dispatcher.handlers.update(practice_handlers(practice, engine))
    return Core(settings, content, engine, bank, practice, dispatcher, clock)


async def start_core(settings: Settings, clock: Clock, messenger: Messenger | None = None) -> Core:
    """build_core plus the database: migrations applied, practice and stats kept in it.

    With a messenger, the schedule is wired too (`core.runner`, started by the caller on its loop).
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
    stats = StatsService(
        ledger,
        StatsQueries(db),
        cards,
        core.bank,
        clock,
        settings.timezone,
        MemoryQueries(db),
        core.content.blueprint,
        ExamStore(db),
    )
    core.dispatcher.handlers.update(stats_handlers(stats))
    export = ExportService(MemoryQueries(db), core.bank, clock, settings.timezone, _note_link(core.engine))
    core.dispatcher.handlers.update(export_handlers(export))
    core.db, core.ledger, core.stats = db, ledger, stats
    events = EventLog(db)

    async def first_time(platform: str, event_id: str) -> bool:
        return await events.first_time(platform, event_id, clock.now())

    core.dispatcher.first_time = first_time
    daily = DailyAnswerService(ledger, core.bank, clock)

    async def answer_daily(
        requester: Requester,
        post_id: int,
        picks: tuple[int, ...],
        question_id: str | None,
        messages: Messages,
    ) -> Reply:
        return feedback_reply(await daily.answer(post_id, user_of(requester), picks, question_id), messages)

    exams = ExamService(ExamStore(db), core.bank, core.content.blueprint, clock, _note_link(core.engine))
    core.exams = exams
    core.dispatcher.handlers.update(exam_handlers(exams))
    core.dispatcher.handlers.update(practice_handlers(core.practice, core.engine, answer_daily, exams.answer))
    flags = FlagStore(db)
    # Since when each resolution stands: reports older than a `keep` no longer count.
    await flags.sync_resolutions(core.content.quiz_config.resolutions, clock.now())
    core.dispatcher.handlers.update(flag_handlers(flags, core.bank, clock))
    core.flags = flags
    subscriptions = Subscriptions(db)
    runner: ScheduleRunner | None = None
    if messenger is not None:
        jobs = ChannelJobs(
            bank=core.bank,
            ledger=ledger,
            subscriptions=subscriptions,
            stats=stats,
            messenger=messenger,
            clock=clock,
            messages=Messages(settings.locale),
            pacer=Pacer(rate=settings.send_rate),
            sleep=asyncio.sleep,
            grace=timedelta(minutes=settings.catch_up_minutes),
            weights=core.content.blueprint.weights(),
            flags=flags,
        )
        runner = ScheduleRunner(jobs)
        core.runner = runner

    async def changed() -> None:
        if runner is not None:
            await runner.sync()

    core.dispatcher.handlers.update(schedule_handlers(subscriptions, clock, changed))
    return core


def _note_link(engine: SearchEngine) -> NoteLink:
    """A note's first reference link (the erratum's source first, where there is one)."""

    def link(note_id: str) -> Link | None:
        hit = engine.passage(note_id)
        return hit.refs[0] if hit is not None and hit.refs else None

    return link

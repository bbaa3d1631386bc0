"""`dop-bot simulate`: the real scheduler, services and storage on a virtual clock.

APScheduler reads the wall clock itself, so the simulation swaps the `datetime` its modules see for one
that reads the virtual clock, stops its real-time timer, and wakes it by hand at each next due time.
Everything else is the production code: ChannelJobs, the ledger, the answer batcher, the database.
Replicas are several runners (each with its own engine) on one database; restarts tear them all
down, keep the database, wait a random downtime, and start again (sync + catch-up).
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import random
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from bot.i18n import Messages
from bot.messenger import RecordingMessenger, SentMessage
from bot.quiz.bank import QuestionBank
from bot.scheduler.delivery import Pacer
from bot.scheduler.jobs import ChannelJobs
from bot.scheduler.runner import ScheduleRunner
from bot.stats.calendar import WEEKDAYS, iso_week
from bot.stats.schedule import Schedule
from bot.stats.streaks import Streaks
from bot.storage.cards import SqlCardStore
from bot.storage.daily import DailyLedger
from bot.storage.database import Database
from bot.storage.models import Answer, Channel, DailyPost, User
from bot.storage.refs import ChannelRef, UserRef
from bot.storage.stats import StatsQueries
from bot.storage.subscriptions import Subscriptions
from bot.usecases.daily import DailyAnswerService, parse_daily_value
from bot.usecases.stats import StatsService

ZONES = ["Asia/Tokyo", "Asia/Tokyo", "Asia/Tokyo", "America/New_York", "Europe/London", "Australia/Sydney"]
DAY_SETS = [("mon", "tue", "wed", "thu", "fri"), WEEKDAYS, ("mon", "wed", "fri"), ("tue", "thu", "sat")]
REPORT_TITLE = re.compile(r"(\d{4}-W\d{2})")
ANSWER_GRID = 15  # minutes


class VirtualClock:
    def __init__(self, start: datetime) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current


@contextlib.contextmanager
def virtual_apscheduler(clock: VirtualClock) -> Iterator[None]:
    """Make APScheduler's `datetime.now` read the virtual clock while the simulation runs."""
    import apscheduler.executors.base as executors
    import apscheduler.schedulers.base as schedulers
    import apscheduler.triggers.date as date_triggers
    import apscheduler.triggers.interval as interval_triggers

    class VirtualDatetime(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
            return clock.current.astimezone(tz) if tz is not None else clock.current.replace(tzinfo=None)

    modules = (executors, schedulers, date_triggers, interval_triggers)
    saved = [m.datetime for m in modules]
    for module in modules:
        module.datetime = VirtualDatetime
    try:
        yield
    finally:
        for module, original in zip(modules, saved, strict=True):
            module.datetime = original


@dataclass
class SimUser:
    ref: UserRef
    channel: int  # index into the channels
    answer_rate: float
    right_rate: float
    delay_minutes: tuple[int, int]


@dataclass
class Replica:
    db: Database
    runner: ScheduleRunner
    daily: DailyAnswerService
    ledger: DailyLedger


@dataclass
class Simulation:
    url: str
    bank: QuestionBank
    days: int
    channels: int
    users: int
    seed: int = 1
    restart_every: float | None = None
    replicas: int = 1
    start: datetime = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # a Monday
    clock: VirtualClock = field(init=False)
    messenger: RecordingMessenger = field(init=False)
    rng: random.Random = field(init=False)
    schedules: list[tuple[ChannelRef, Schedule]] = field(default_factory=list, init=False)
    people: list[SimUser] = field(default_factory=list, init=False)
    events: list[tuple[datetime, int, int, int]] = field(
        default_factory=list, init=False
    )  # (at, seq, user, post)
    restarts: int = field(default=0, init=False)
    _seq: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self.clock = VirtualClock(self.start)
        self.rng = random.Random(self.seed)
        self.messenger = RecordingMessenger(clock=self.clock)
        for c in range(self.channels):
            schedule = Schedule(
                post_time=time(
                    self.rng.choice([7, 8, 9, 9, 10, 12, 18, 21]), self.rng.choice([0, 15, 30, 45])
                ),
                timezone=self.rng.choice(ZONES),
                weekdays=tuple(self.rng.choice(DAY_SETS)),
            )
            self.schedules.append((ChannelRef("sim", "W", f"C{c:04d}", f"channel-{c}"), schedule))
        kinds = [
            (0.95, (1, 120)),
            (0.6, (5, 300)),
            (0.3, (30, 600)),
            (0.9, (240, 540)),
        ]  # last: far-away zones
        for u in range(self.users):
            rate, delay = self.rng.choice(kinds)
            self.people.append(
                SimUser(
                    UserRef("sim", f"U{u:05d}", f"user{u}"),
                    u % self.channels,
                    rate,
                    self.rng.uniform(0.4, 0.95),
                    delay,
                )
            )

    # -- the process ------------------------------------------------------------------------

    async def _boot(self) -> list[Replica]:
        replicas = []
        for _ in range(self.replicas):
            db = Database.open(self.url)
            ledger = DailyLedger(db)
            subscriptions = Subscriptions(db)
            stats = StatsService(
                ledger, StatsQueries(db), SqlCardStore(db, self.clock), self.bank, self.clock, "UTC"
            )

            async def no_wait(seconds: float) -> None:
                return None

            jobs = ChannelJobs(
                bank=self.bank,
                ledger=ledger,
                subscriptions=subscriptions,
                stats=stats,
                messenger=self.messenger,
                clock=self.clock,
                messages=Messages("ja"),
                pacer=Pacer(rate=0),
                sleep=no_wait,
                grace=timedelta(hours=2),
            )
            # Nobody changes a schedule mid-simulation, so replicas need not re-read it every 5 minutes.
            runner = ScheduleRunner(jobs, resync=timedelta(hours=12))
            runner.scheduler._start_timer = lambda wait: None  # the simulation wakes it, not the wall clock
            replicas.append(Replica(db, runner, DailyAnswerService(ledger, self.bank, self.clock), ledger))
        for replica in replicas:
            await replica.runner.start()
        await self._settle(replicas)
        return replicas

    async def _halt(self, replicas: list[Replica]) -> None:
        for replica in replicas:
            await self._settle([replica])
            await replica.runner.shutdown()
            await replica.ledger.batcher.close()
            await replica.db.close()

    async def _settle(self, replicas: list[Replica]) -> None:
        """Let every job the schedulers started finish (they run as tasks on this loop)."""
        for _ in range(100):
            pending = [f for r in replicas for f in r.runner.scheduler._executors["default"]._pending_futures]
            if not pending:
                return
            await asyncio.gather(*pending, return_exceptions=True)

    def _wake(self, replicas: list[Replica]) -> datetime | None:
        """Run what is due on every replica; return the earliest next due time."""
        upcoming: list[datetime] = []
        for replica in replicas:
            wait = replica.runner.scheduler._process_jobs()
            if wait is not None:
                upcoming.append(self.clock.current + timedelta(seconds=wait))
        return min(upcoming) if upcoming else None

    def _plan_answers(self, sent: SentMessage) -> None:
        """People of the channel see the new post and maybe answer it later."""
        values = [parse_daily_value(c.value) for c in sent.reply.choices]
        post_ids = {v[0] for v in values if v}
        if not post_ids:
            return
        post_id = post_ids.pop()
        channel = int(sent.channel.channel[1:])
        for index, person in enumerate(self.people):
            if person.channel == channel and self.rng.random() < person.answer_rate:
                # Clicks land on a 15-minute grid so that many channels' clicks are handled together.
                minutes = self.rng.randint(*person.delay_minutes)
                delay = timedelta(minutes=max(1, round(minutes / ANSWER_GRID)) * ANSWER_GRID)
                self._seq += 1
                heapq.heappush(self.events, (self.clock.current + delay, self._seq, index, post_id))

    async def run(self) -> dict[str, Any]:
        """Run the whole period; returns the documented JSON shape."""
        end = self.start + timedelta(days=self.days)
        setup = Database.open(self.url)
        await setup.upgrade()
        subscriptions = Subscriptions(setup)
        for ref, schedule in self.schedules:
            await subscriptions.save(ref, schedule, self.clock.now())
        await setup.close()
        every = timedelta(hours=self.restart_every) if self.restart_every else None
        next_restart = self.start + every if every else None
        seen = 0
        with virtual_apscheduler(self.clock):
            replicas = await self._boot()
            while True:
                self._wake(replicas)
                await self._settle(replicas)
                while seen < len(self.messenger.posts):
                    self._plan_answers(self.messenger.posts[seen])
                    seen += 1
                await self._answer_due(replicas)
                candidates = [t for t in (self._next_due(replicas), next_restart) if t is not None]
                if self.events:
                    candidates.append(self.events[0][0])
                upcoming = min(candidates) if candidates else end
                if upcoming >= end:
                    break
                if next_restart is not None and every is not None and upcoming >= next_restart:
                    back = next_restart + timedelta(minutes=self.rng.randint(0, 90))  # down for a while
                    if back >= end:
                        # A restart the run would end inside is not taken: the clock never passes the end,
                        # and what is due before it is still sent by the process that is up.
                        next_restart = None
                        continue
                    self.clock.current = next_restart
                    await self._halt(replicas)
                    self.clock.current = back
                    replicas = await self._boot()
                    self.restarts += 1
                    next_restart += every
                    continue
                self.clock.current = max(upcoming, self.clock.current)
            self.clock.current = end
            result = await self._result(replicas[0], end)
            await self._halt(replicas)
        return result

    def _next_due(self, replicas: list[Replica]) -> datetime | None:
        times = [
            job.next_run_time
            for r in replicas
            for job in r.runner.scheduler.get_jobs()
            if job.next_run_time is not None
        ]
        return min(times).astimezone(UTC) if times else None

    async def _answer_due(self, replicas: list[Replica]) -> None:
        clicks = []
        while self.events and self.events[0][0] <= self.clock.current:
            _, _, person_index, post_id = heapq.heappop(self.events)
            person = self.people[person_index]
            replica = self.rng.choice(replicas)  # any replica may get the click
            question_id = await replica.ledger.question_of(post_id)
            question = self.bank.get(question_id) if question_id else None
            if question is None:
                continue
            right = self.rng.random() < person.right_rate
            # A wrong answer picks as many choices (one past each right one: a partly right one, maybe).
            shift = 0 if right else 1
            picks = tuple((a + shift) % len(question.choices) for a in question.answers)
            clicks.append(replica.daily.answer(post_id, person.ref, picks))
        if clicks:
            await asyncio.gather(*clicks)

    async def _result(self, replica: Replica, end: datetime) -> dict[str, Any]:
        async with replica.db.transaction() as session:
            rows = (
                await session.execute(
                    select(
                        DailyPost.id,
                        DailyPost.local_date,
                        DailyPost.question_id,
                        DailyPost.message_ref,
                        Channel.external_id,
                    ).join(Channel, Channel.id == DailyPost.channel_id)
                )
            ).all()
            answers = (
                await session.execute(
                    select(Channel.external_id, User.external_id, DailyPost.local_date, Answer.correct)
                    .join(DailyPost, DailyPost.id == Answer.post_id)
                    .join(Channel, Channel.id == DailyPost.channel_id)
                    .join(User, User.id == Answer.user_id)
                    .order_by(Channel.external_id, DailyPost.local_date, User.external_id)
                )
            ).all()
        by_id = {r.id: r for r in rows}
        by_ref = {r.message_ref: r for r in rows if r.message_ref}
        posts = []
        reports = []
        for sent in self.messenger.posts:
            values = [parse_daily_value(c.value) for c in sent.reply.choices]
            if values and values[0] is not None:
                row = by_id[values[0][0]]
                posts.append(
                    {
                        "channel": row.external_id,
                        "local_date": row.local_date.isoformat(),
                        "question_id": row.question_id,
                    }
                )
            elif sent.reply.title and (week := REPORT_TITLE.search(sent.reply.title)):
                reports.append({"channel": sent.channel.channel, "week": week.group(1)})
        reveals = [
            {"channel": by_ref[e.ref].external_id, "local_date": by_ref[e.ref].local_date.isoformat()}
            for e in self.messenger.edits
            if e.ref in by_ref
        ]
        streaks = []
        by_channel = [await replica.ledger.channel_streaks(ref, end) for ref, _ in self.schedules]
        for person in self.people:
            ref, _ = self.schedules[person.channel]
            state = by_channel[person.channel].get(person.ref.external_id, Streaks())
            streaks.append(
                {
                    "channel": ref.channel,
                    "user": person.ref.external_id,
                    "current": state.current,
                    "longest": state.longest,
                }
            )
        return {
            "channels": [
                {
                    "id": ref.channel,
                    "timezone": s.timezone,
                    "time": s.post_time.strftime("%H:%M"),
                    "weekdays": list(s.weekdays),
                }
                for ref, s in self.schedules
            ],
            "posts": posts,
            "reveals": reveals,
            "reports": reports,
            "answers": [
                {"channel": c, "user": u, "local_date": d.isoformat(), "correct": bool(ok)}
                for c, u, d, ok in answers
            ],
            "streaks": streaks,
            "meta": {
                "days": self.days,
                "replicas": self.replicas,
                "restarts": self.restarts,
                "start": self.start.isoformat(),
                "end": end.isoformat(),
            },
        }


def scheduled_dates(schedule: Schedule, start: datetime, end: datetime) -> list[date]:
    """Local dates whose post time falls in [start, end): what a run must have posted exactly once."""
    dates: list[date] = []
    day = start.astimezone(schedule.zone).date() - timedelta(days=1)
    while True:
        fire = schedule.fire_time(day)
        if fire >= end:
            return dates
        if fire >= start and schedule.is_question_day(day):
            dates.append(day)
        day += timedelta(days=1)


def report_times(schedule: Schedule, start: datetime, end: datetime) -> list[datetime]:
    """Weekly report instants in [start, end)."""
    times = []
    moment = schedule.previous_report(end - timedelta(microseconds=1))
    while moment is not None and moment >= start:
        times.append(moment)
        moment = schedule.previous_report(moment - timedelta(minutes=1))
    return sorted(times)


def verify(result: dict[str, Any]) -> list[str]:
    """Everything a run must show: one post per channel per scheduled local date, none missed or
    doubled; one reveal per post (bar those still open at the end); one report per channel per week;
    streaks equal to the ones recomputed from the run's own answers."""
    problems: list[str] = []
    start = datetime.fromisoformat(result["meta"]["start"])
    end = datetime.fromisoformat(result["meta"]["end"])
    posts: dict[str, list[str]] = {}
    for post in result["posts"]:
        posts.setdefault(post["channel"], []).append(post["local_date"])
    reveals: dict[tuple[str, str], int] = {}
    for item in result["reveals"]:
        key = (item["channel"], item["local_date"])
        reveals[key] = reveals.get(key, 0) + 1
    reports: dict[str, list[str]] = {}
    for item in result["reports"]:
        reports.setdefault(item["channel"], []).append(item["week"])
    schedules = {
        channel["id"]: Schedule(
            post_time=time.fromisoformat(channel["time"]),
            timezone=channel["timezone"],
            weekdays=tuple(channel["weekdays"]),
        )
        for channel in result["channels"]
    }
    for channel in result["channels"]:
        schedule = schedules[channel["id"]]
        expected = [d.isoformat() for d in scheduled_dates(schedule, start, end)]
        got = sorted(posts.get(channel["id"], []))
        if got != expected:
            problems.append(f"{channel['id']}: posts {got} != scheduled {expected}")
        for day in expected:
            fire = schedule.fire_time(date.fromisoformat(day))
            count = reveals.get((channel["id"], day), 0)
            if schedule.reveal_time(fire) < end - timedelta(hours=1) and count != 1:
                problems.append(f"{channel['id']} {day}: {count} reveals")
            if count > 1:
                problems.append(f"{channel['id']} {day}: {count} reveals")
        weeks = [
            iso_week(t.astimezone(schedule.zone).date() - timedelta(days=7))
            for t in report_times(schedule, start, end)
        ]
        if sorted(reports.get(channel["id"], [])) != sorted(weeks):
            problems.append(f"{channel['id']}: reports {reports.get(channel['id'])} != {weeks}")
    answered: dict[tuple[str, str], dict[str, bool]] = {}
    for answer in result["answers"]:
        answered.setdefault((answer["channel"], answer["user"]), {})[answer["local_date"]] = answer["correct"]
    for streak in result["streaks"]:
        schedule = schedules[streak["channel"]]
        days = sorted(posts.get(streak["channel"], []))
        mine = answered.get((streak["channel"], streak["user"]), {})
        current = longest = 0
        for day in days:
            still_open = schedule.reveal_time(schedule.fire_time(date.fromisoformat(day))) >= end
            if day in mine:
                current += 1
            elif not still_open:
                current = 0
            longest = max(longest, current)
        if (streak["current"], streak["longest"]) != (current, longest):
            problems.append(
                f"{streak['channel']} {streak['user']}: streak {streak['current']}/{streak['longest']}"
                f" != recomputed {current}/{longest}"
            )
    return problems


@contextlib.asynccontextmanager
async def scratch_database(url: str | None) -> AsyncIterator[str]:
    """A throwaway database for one run: on the Postgres server of `url`, or a temporary SQLite file."""
    import tempfile
    import uuid

    if url and url.startswith(("postgres", "postgresql")):
        import asyncpg
        from sqlalchemy.engine import make_url

        server = make_url(url).set(drivername="postgresql")
        name = f"dop_sim_{uuid.uuid4().hex[:10]}"
        admin = await asyncpg.connect(server.render_as_string(hide_password=False))
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
            try:
                yield server.set(database=name).render_as_string(hide_password=False)
            finally:
                await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()
        return
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{folder}/simulation.sqlite3"


async def simulate(server: str | None, bank: QuestionBank, **params: Any) -> dict[str, Any]:
    """One whole run on a scratch database (see scratch_database), checked by verify: the result
    carries the problems found under result["meta"]["problems"]. `params` are Simulation's."""
    async with scratch_database(server) as url:
        result = await Simulation(url=url, bank=bank, **params).run()
    result["meta"]["problems"] = verify(result)
    return result

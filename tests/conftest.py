"""Shared fixtures: the project's real content, loaded once per test session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.content import Content, load_content
from bot.dispatcher import Dispatcher
from bot.search import SearchEngine

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content(CONTENT)


@pytest.fixture(scope="session")
def engine(content: Content) -> SearchEngine:
    return SearchEngine.build(list(content.decks), content.glossary, content.errata)


@pytest.fixture
def dispatcher(engine: SearchEngine) -> Dispatcher:
    return Dispatcher(engine=engine, new_error_id=lambda: "err12345")


@pytest.fixture(scope="session")
def bank(content: Content):  # type: ignore[no-untyped-def]
    from bot.content import bank_of

    return bank_of(content)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 28, 0, 0, tzinfo=UTC))


@pytest.fixture(params=["sqlite", "postgres"])
async def database(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A fresh, migrated database; every test that uses it runs on SQLite and on Postgres."""
    from tests.databases import fresh_database

    async with fresh_database(request.param, tmp_path) as db:
        yield db

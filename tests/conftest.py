"""Shared fixtures: the project's real content, loaded once per test session."""

from __future__ import annotations

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
    return SearchEngine.build(list(content.decks), content.glossary)


@pytest.fixture
def dispatcher(engine: SearchEngine) -> Dispatcher:
    return Dispatcher(engine=engine, new_error_id=lambda: "err12345")

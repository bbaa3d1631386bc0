"""The `ask` lookup: an index over the notes and a ranker that understands how people ask."""

from bot.search.engine import MAX_QUERY_CHARS, SearchEngine
from bot.search.glossary import Glossary, load_glossary
from bot.search.results import Hit, Problem, SearchOutcome

__all__ = ["MAX_QUERY_CHARS", "Glossary", "Hit", "Problem", "SearchEngine", "SearchOutcome", "load_glossary"]

"""Replies for the lookup commands: ask, topics and help."""

from __future__ import annotations

from collections.abc import Mapping

from bot.clip import clip
from bot.commands import MAX_LINE_CHARS, SUBCOMMANDS
from bot.i18n import Messages
from bot.notes.errata import Erratum
from bot.replies import Field, Reply, ReplyKind
from bot.search import MAX_QUERY_CHARS, Hit, Problem, SearchEngine, SearchOutcome
from bot.usecases.origins import origin_label, source_line

BREADCRUMB_SEPARATOR = " › "
OTHER_CANDIDATES = 2


def ask_reply(engine: SearchEngine, messages: Messages, query: str) -> Reply:
    """The best passage with its breadcrumb and references, and up to two other candidates."""
    outcome = engine.search(query, limit=1 + OTHER_CANDIDATES)  # only these are shown
    if outcome.problem is not None or not outcome.hits:
        return problem_reply(outcome, messages)
    return answer_reply(outcome, messages, engine.errata)


def share_reply(engine: SearchEngine, messages: Messages, note_id: str) -> Reply | None:
    """A passage someone chose to share with the channel, or None if it has left the notes."""
    hit = engine.passage(note_id)
    return hit_reply(hit, messages, errata=engine.errata) if hit is not None else None


def problem_reply(outcome: SearchOutcome, messages: Messages) -> Reply:
    """Why there is no answer, and what to try instead."""
    query = outcome.query
    if outcome.problem is Problem.EMPTY:
        return Reply(body=messages("ask.empty"), kind=ReplyKind.PROBLEM)
    if outcome.problem is Problem.TOO_LONG:
        return Reply(body=messages("ask.too_long", limit=MAX_QUERY_CHARS), kind=ReplyKind.PROBLEM)
    fields: tuple[Field, ...] = ()
    if outcome.suggestions:
        fields = (Field(messages("ask.suggestions"), "\n".join(outcome.suggestions)),)
    return Reply(
        body=messages("ask.no_match", query=_clip(query, 80)),
        fields=fields,
        footer=messages("ask.try_topics"),
        kind=ReplyKind.PROBLEM,
    )


def too_long_reply(messages: Messages) -> Reply:
    """A line longer than the core reads (`MAX_LINE_CHARS`): a hint, not a guess at part of it."""
    return Reply(body=messages("command.too_long", limit=MAX_LINE_CHARS), kind=ReplyKind.PROBLEM)


def hit_reply(
    hit: Hit, messages: Messages, others: tuple[Hit, ...] = (), errata: Mapping[str, Erratum] | None = None
) -> Reply:
    """One passage with its breadcrumb, references and source; other candidates as one-liners.
    The passage carries the ⚠ corrections in the notes' language; other languages get them as a field."""
    fields: tuple[Field, ...] = ()
    translated = [errata[c].correction(messages.locale) for c in hit.corrected if errata and c in errata]
    if messages.locale != "ja" and translated:
        fields += (Field(messages("ask.corrections"), "\n".join(f"⚠ {t}" for t in translated)),)
    if others:
        lines = "\n".join(
            messages(
                "ask.other",
                candidate=BREADCRUMB_SEPARATOR.join(h.breadcrumb),
                origin=origin_label(h.source, messages),
            )
            for h in others
        )
        fields += (Field(messages("ask.others"), lines),)
    return Reply(
        title=BREADCRUMB_SEPARATOR.join(hit.path),
        body=hit.text,
        fields=fields,
        links=hit.refs,
        footer=source_line(hit.source, hit.line, messages),
        kind=ReplyKind.ANSWER,
        note_id=hit.node_id,
    )


def answer_reply(
    outcome: SearchOutcome, messages: Messages, errata: Mapping[str, Erratum] | None = None
) -> Reply:
    """The best hit as a passage; the next two as one-line breadcrumbs."""
    return hit_reply(outcome.hits[0], messages, outcome.hits[1 : 1 + OTHER_CANDIDATES], errata)


def topics_reply(engine: SearchEngine, messages: Messages, service: str) -> Reply:
    """Services and their topic labels; with an argument, just the services it names."""
    listing = engine.topics(service.strip() or None)
    if not listing:
        return Reply(body=messages("topics.unknown", service=_clip(service, 80)), kind=ReplyKind.PROBLEM)
    if service.strip():
        fields = tuple(Field(name, "\n".join(f"- {t}" for t in topics)) for name, topics in listing)
        return Reply(title=messages("topics.title_service", service=listing[0][0]), body="", fields=fields)
    lines = [f"{name}: {', '.join(topics[:6])}{' …' if len(topics) > 6 else ''}" for name, topics in listing]
    return Reply(title=messages("topics.title"), body="\n".join(lines))


def help_reply(messages: Messages) -> Reply:
    usage = "\n".join(f"{messages(s.usage_key)} — {messages(s.help_key)}" for s in SUBCOMMANDS)
    return Reply(
        title=messages("help.title"),
        body=messages("help.body"),
        fields=(Field(messages("help.usage"), usage),),
        footer=messages("help.example", example=SUBCOMMANDS[0].example),
    )


def _clip(text: str, limit: int) -> str:
    """A user's words echoed back: on one line, and short."""
    return clip(" ".join(text.split()), limit)

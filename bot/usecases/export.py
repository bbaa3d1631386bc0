"""`/dop export`: the person's own Anki deck — every question whose latest answer (daily or practice)
was wrong, and every practice card due now — with explanations, note links and the FSRS state the bot
keeps for them where Anki can take it (`bot/export/anki.py`). Private: only the person who asked gets it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.dispatcher import Handler, Requester
from bot.i18n import Messages
from bot.quiz.bank import QuestionBank
from bot.quiz.model import Question
from bot.quiz.practice import StoredCard
from bot.replies import Attachment, Field, Reply
from bot.stats.calendar import local_day
from bot.storage.memory import Memory, MemoryQueries
from bot.usecases.exam import NoteLink
from bot.usecases.stats import user_of

APKG_MIME = "application/octet-stream"  # Anki registers no media type of its own
MISSED_TAG, DUE_TAG = "missed", "due"


@dataclass(frozen=True)
class Selection:
    """What goes into a person's deck, in deck order: due cards (most overdue first), then missed
    questions (latest first); each question once, with the tags saying why it is there."""

    questions: tuple[Question, ...]
    tags: dict[str, tuple[str, ...]]
    states: tuple[StoredCard, ...]  # the person's cards for those questions

    def count(self, tag: str) -> int:
        return sum(tag in tags for tags in self.tags.values())


def select_for_export(memory: Memory, user: str, bank: QuestionBank, now: datetime) -> Selection:
    """The questions of `memory` to export at `now`: due cards and questions last answered wrong.
    Questions the bank no longer has are left out."""
    due = sorted((at, qid) for qid, at in memory.due.items() if at <= now)
    missed = sorted(
        ((last.at, qid) for qid, last in memory.last_answers.items() if not last.correct), reverse=True
    )
    tags: dict[str, list[str]] = {}
    for tag, ids in ((DUE_TAG, [qid for _, qid in due]), (MISSED_TAG, [qid for _, qid in missed])):
        for qid in ids:
            if bank.get(qid) is not None:
                tags.setdefault(qid, []).append(tag)
    questions = tuple(q for qid in tags if (q := bank.get(qid)) is not None)
    states = tuple(
        StoredCard(user, q.id, memory.cards[q.id], memory.due[q.id])
        for q in questions
        if q.id in memory.cards
    )
    return Selection(questions, {qid: tuple(t) for qid, t in tags.items()}, states)


@dataclass
class ExportService:
    memory: MemoryQueries
    bank: QuestionBank
    clock: Clock
    timezone: str  # the day in the file name, and the day a review card falls due in Anki
    note_link: NoteLink = lambda note_id: None

    async def export(self, requester: Requester, messages: Messages) -> Reply:
        """The deck as a file with a short note on importing it, or a friendly word if it would be empty."""
        now = self.clock.now()
        user = user_of(requester)
        memory = (await self.memory.of([user]))[user.key]
        chosen = select_for_export(memory, user.key, self.bank, now)
        if not chosen.questions:
            return Reply(body=messages("export.nothing"))
        # genanki and zlib take tens of milliseconds per hundred notes: not on the event loop.
        data = await asyncio.to_thread(self._build, chosen, now, messages("export.deck"))
        filename = f"dop-{local_day(now, self.timezone).isoformat()}.apkg"
        body = messages(
            "export.ready",
            count=len(chosen.questions),
            missed=chosen.count(MISSED_TAG),
            due=chosen.count(DUE_TAG),
            deck=messages("export.deck"),
        )
        if chosen.count(MISSED_TAG) + chosen.count(DUE_TAG) > len(chosen.questions):
            body += "\n" + messages("export.overlap")
        return Reply(
            title=messages("export.title"),
            body=body,
            fields=(Field(messages("export.how_title"), messages("export.how")),),
            footer=filename,
            attachment=Attachment(filename, data, APKG_MIME),
        )

    def _build(self, chosen: Selection, now: datetime, deck_name: str) -> bytes:
        from bot.export.anki import build_apkg  # genanki is imported only when someone exports

        def link_for(question: Question) -> str | None:
            link = self.note_link(question.source.id)
            return link.url if link is not None else None

        return build_apkg(
            chosen.questions,
            now=now,
            states=chosen.states,
            deck_name=deck_name,
            zone=ZoneInfo(self.timezone),
            tags_for=lambda q: chosen.tags.get(q.id, ()),
            link_for=link_for,
            domains_for=lambda q: q.domains,
        )


def export_handlers(service: ExportService) -> dict[str, Handler]:
    async def export(requester: Requester, args: str, messages: Messages) -> list[Reply]:
        return [await service.export(requester, messages)]

    return {"export": export}

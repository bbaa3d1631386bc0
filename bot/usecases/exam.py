"""`/dop exam [n]`: a personal mock exam, as the real one is sat — no feedback until the end.

`/dop exam` resumes an unfinished sitting or starts one of 20 questions; `/dop exam 40` one of 40 (at
most 75); `/dop exam stop` ends it early. Every question says where the sitting is and the time at the
exam's pace (180 minutes for 75 questions). The sitting lives in the database, so it survives a
redeploy. At the end: the score per domain and overall, whether the exam-weighted estimate reaches the
pass line (an estimate: AWS does not publish its scaling), and every missed question with its
explanation and where in the notes it comes from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.clip import clip
from bot.clock import Clock
from bot.commands import MAX_ID, parse_number, parse_picks
from bot.dispatcher import Handler, Requester
from bot.i18n import Messages
from bot.notes.model import Link
from bot.quiz.bank import QuestionBank
from bot.quiz.blueprint import Blueprint
from bot.quiz.mock_exam import DEFAULT_SIZE, MAX_SIZE, ExamScore, draw, pace_minutes, score
from bot.quiz.model import Question
from bot.replies import PICKS_SLOT, Choice, Field, Reply, ReplyKind
from bot.storage.exams import ExamStore, Sitting
from bot.usecases.choices import answer_line, asked, miscounted, picks_for
from bot.usecases.origins import question_origins
from bot.usecases.stats import user_of

EXAM_VALUE = "exam:{sitting}:{position}:{index}"
MISSED_PER_REPLY = 4  # missed questions per message: a message must stay readable and within limits
STOP_WORDS = ("stop", "end", "quit", "終了", "中止", "やめる")


def parse_exam_value(value: str) -> tuple[int, int, tuple[int, ...]] | None:
    """'exam:<sitting>:<position>:<choices>' from a button or menu, or None."""
    parts = value.split(":")
    if len(parts) != 4 or parts[0] != "exam":
        return None
    sitting, position, picks = (
        parse_number(parts[1], MAX_ID),
        parse_number(parts[2], MAX_SIZE),
        parse_picks(parts[3]),
    )
    if sitting is None or position is None or picks is None:
        return None
    return sitting, position, picks


NoteLink = Callable[[str], Link | None]


@dataclass
class ExamService:
    store: ExamStore
    bank: QuestionBank
    blueprint: Blueprint
    clock: Clock
    note_link: NoteLink = lambda note_id: None  # the AWS (or other) link of a note, for missed questions

    async def command(self, requester: Requester, args: str, messages: Messages) -> list[Reply]:
        """`/dop exam`, `/dop exam N`, `/dop exam stop`."""
        user = user_of(requester)
        word = args.strip().lower()
        sitting = await self.store.open_sitting(user)
        if word in STOP_WORDS:
            if sitting is None:
                return [Reply(body=messages("exam.none_open"), kind=ReplyKind.PROBLEM)]
            return await self._finish(sitting, messages, stopped=True)
        size = DEFAULT_SIZE if not word else parse_number(word, MAX_SIZE)
        if size is None or size < 1:
            return [Reply(body=messages("exam.usage", maximum=MAX_SIZE), kind=ReplyKind.PROBLEM)]
        if sitting is not None:
            note = messages("exam.resumed") if not word else messages("exam.still_open")
            return [self._question(sitting, messages, note)]
        seed = f"{user.key}:{self.clock.now().isoformat()}"
        ids = draw(self.bank.questions, self.blueprint.weights(), size, seed)
        if not ids:
            return [Reply(body=messages("exam.empty"), kind=ReplyKind.PROBLEM)]
        sitting_id = await self.store.start(user, ids, self.clock.now())
        started = Sitting(sitting_id, ids, self.clock.now(), ())
        minutes = pace_minutes(len(ids), self.blueprint.exam)
        return [self._question(started, messages, messages("exam.started", count=len(ids), minutes=minutes))]

    async def answer(
        self, requester: Requester, sitting_id: int, position: int, picks: tuple[int, ...], messages: Messages
    ) -> list[Reply]:
        """A button, menu or typed answer to question `position` of a sitting: recorded, then the next."""
        sitting = await self.store.open_sitting(user_of(requester))
        if sitting is None or sitting.id != sitting_id:
            return [Reply(body=messages("exam.not_open"), kind=ReplyKind.PROBLEM)]
        if position != sitting.position:  # an earlier question clicked again: the first answer stands
            return [self._question(sitting, messages, messages("exam.already"))]
        question = self.bank.get(sitting.question_ids[position])
        if question is None:  # the bank changed under a long sitting: skip the question, count nothing
            return await self._after(sitting, position, "", (), False, messages)
        if not all(0 <= pick < len(question.choices) for pick in picks):
            return [miscounted(question, messages)]
        if len(picks) != len(question.answers):
            return [miscounted(question, messages, len(picks))]
        return await self._after(
            sitting, position, question.id, picks, question.grade(picks).correct, messages
        )

    async def _after(
        self,
        sitting: Sitting,
        position: int,
        question_id: str,
        picks: tuple[int, ...],
        correct: bool,
        messages: Messages,
    ) -> list[Reply]:
        recorded = await self.store.record(
            sitting.id, position, question_id, picks, correct, self.clock.now()
        )
        answers = (*sitting.answers, (question_id, picks, correct)) if recorded else sitting.answers
        updated = Sitting(sitting.id, sitting.question_ids, sitting.started_at, answers)
        if not recorded:
            return [self._question(updated, messages, messages("exam.already"))]
        if updated.position >= len(updated.question_ids):
            return await self._finish(updated, messages, stopped=False)
        return [self._question(updated, messages, messages("exam.recorded", number=position + 1))]

    def _question(self, sitting: Sitting, messages: Messages, note: str) -> Reply:
        position = sitting.position
        question = self.bank.get(sitting.question_ids[position])
        total = len(sitting.question_ids)
        elapsed = self.clock.now() - sitting.started_at
        minutes = pace_minutes(total, self.blueprint.exam)
        left = max(timedelta(0), timedelta(minutes=minutes) - elapsed)
        footer = messages(
            "exam.time", elapsed=_clock_text(elapsed), minutes=minutes, left=round(left.total_seconds() / 60)
        )
        title = messages("exam.title", number=position + 1, total=total)
        if question is None:
            return Reply(title=title, body=note + "\n" + messages("exam.gone"), footer=footer)
        value = EXAM_VALUE.format(sitting=sitting.id, position=position, index="{index}")
        return Reply(
            title=title,
            body=f"{note}\n\n{asked(question, messages)}" if note else asked(question, messages),
            choices=tuple(
                Choice(label=text, value=value.format(index=i)) for i, text in enumerate(question.choices)
            ),
            picks=picks_for(question, value.format(index=PICKS_SLOT), messages),
            footer=footer,
        )

    async def _finish(self, sitting: Sitting, messages: Messages, stopped: bool) -> list[Reply]:
        answered = [(self.bank.get(q), correct, picks) for q, picks, correct in sitting.answers if q]
        known = [(q, correct, picks) for q, correct, picks in answered if q is not None]
        result = score([(q, c) for q, c, _ in known], self.blueprint.weights(), self.blueprint.exam)
        closed = await self.store.finish(
            sitting.id, self.clock.now(), result.right, result.total, result.scaled, stopped
        )
        if not closed:
            return [Reply(body=messages("exam.not_open"), kind=ReplyKind.PROBLEM)]
        missed = [(n, q, picks) for n, (q, correct, picks) in enumerate(known, 1) if not correct]
        return [
            self._summary(result, len(sitting.question_ids), stopped, messages),
            *self._missed(missed, messages),
        ]

    def _summary(self, result: ExamScore, asked_count: int, stopped: bool, messages: Messages) -> Reply:
        names = {d.code: d.name(messages.locale) for d in self.blueprint.domains}
        lines = [
            messages(
                "exam.domain_line",
                name=names.get(d.code, d.code),
                right=d.right,
                total=d.total,
                share=f"{round(100 * d.share)}%",
            )
            for d in result.domains
        ]
        exam = self.blueprint.exam
        verdict = "exam.pass_estimate" if result.passed else "exam.fail_estimate"
        body = [
            messages(
                "exam.overall", right=result.right, total=result.total, share=f"{round(100 * result.share)}%"
            ),
            messages(
                verdict,
                scaled=result.scaled,
                line=exam.pass_score,
                low=exam.score_range[0],
                high=exam.score_range[1],
            ),
        ]
        if stopped:
            body.insert(0, messages("exam.stopped", answered=result.total, asked=asked_count))
        return Reply(
            title=messages("exam.result_title"),
            body="\n".join(body),
            fields=(
                Field(messages("exam.by_domain"), "\n".join(lines) or "-"),
                Field(messages("exam.estimate_title"), messages("exam.estimate_note")),
            ),
            kind=ReplyKind.ANSWER,
        )

    def _missed(self, missed: list[tuple[int, Question, tuple[int, ...]]], messages: Messages) -> list[Reply]:
        """Every missed question, a few per message: the right answer, the explanation, the source and
        whose words it is."""
        replies: list[Reply] = []
        for start in range(0, len(missed), MISSED_PER_REPLY):
            fields = []
            for number, question, _ in missed[start : start + MISSED_PER_REPLY]:
                source = " › ".join(question.source.path)
                link = self.note_link(question.source.id)
                lines = [
                    clip(question.prompt.replace("\n", " "), 160),
                    answer_line(question, messages),
                    clip(question.explanation.split("\n出典:")[0], 400),
                    messages("exam.source", source=clip(source, 160), url=link.url if link else "-"),
                    question_origins(question, messages),
                ]
                fields.append(Field(messages("exam.missed_item", number=number), "\n".join(lines)))
            total = -(-len(missed) // MISSED_PER_REPLY)
            replies.append(
                Reply(
                    title=messages("exam.missed_title", part=start // MISSED_PER_REPLY + 1, parts=total),
                    body="",
                    fields=tuple(fields),
                    kind=ReplyKind.ANSWER,
                )
            )
        return replies


def _clock_text(elapsed: timedelta) -> str:
    minutes, seconds = divmod(int(elapsed.total_seconds()), 60)
    return f"{minutes}:{seconds:02d}"


def exam_handlers(service: ExamService) -> dict[str, Handler]:
    async def exam(requester: Requester, args: str, messages: Messages) -> list[Reply]:
        return await service.command(requester, args, messages)

    return {"exam": exam}

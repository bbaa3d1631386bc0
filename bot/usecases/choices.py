"""A question's choices as asked and as told after the answer, one-answer and multiple-response alike:
the '（2つ選択）' mark, the ticked-together `Picks`, the right choices, what was missed or picked
wrongly, and why each choice shown is right or wrong. Practice, the daily feedback and the reveal
all say it the same way."""

from __future__ import annotations

from collections.abc import Iterable

from bot.i18n import Messages
from bot.quiz.model import Grade, Question
from bot.replies import PICKS_SLOT, Field, Picks, Reply, ReplyKind
from bot.usecases.origins import question_origins


def asked(question: Question, messages: Messages) -> str:
    """The prompt, with how many to choose when more than one is right (as the exam says it)."""
    if not question.multiple:
        return question.prompt
    return f"{question.prompt}\n{messages('quiz.choose', count=len(question.answers))}"


def picks_for(question: Question, value: str, messages: Messages) -> Picks | None:
    """How a multiple-response question is answered: `value` with `PICKS_SLOT` for the choices."""
    if not question.multiple:
        return None
    assert PICKS_SLOT in value
    count = len(question.answers)
    return Picks(count, value, messages("quiz.pick_prompt", count=count), messages("quiz.submit"))


def numbered(question: Question, indices: Iterable[int]) -> str:
    """'2. text' for each choice, in order, joined."""
    return " / ".join(f"{i + 1}. {question.choices[i]}" for i in indices)


def answer_line(question: Question, messages: Messages) -> str:
    if question.multiple:
        return messages("quiz.the_answers", choices=numbered(question, question.answers))
    return messages("quiz.the_answer", number=question.answer + 1, choice=question.correct_choice)


def verdict_body(question: Question, grade: Grade, messages: Messages) -> str:
    """The right choices; for a multiple response, the right ones missed and the wrong ones picked;
    then the explanation and whose words it rests on."""
    lines = [answer_line(question, messages)]
    if question.multiple and grade.missed:
        lines.append(messages("quiz.missed", choices=numbered(question, grade.missed)))
    if question.multiple and grade.wrong:
        lines.append(messages("quiz.wrong_picks", choices=numbered(question, grade.wrong)))
    return "\n".join(lines) + f"\n\n{explained(question, messages)}"


def explained(question: Question, messages: Messages) -> str:
    """The explanation with the source passage, then whose words it is: the team's notes, the
    supplement, or both."""
    return f"{question.explanation}\n{question_origins(question, messages)}"


def choice_notes(
    question: Question, shown: Iterable[int], messages: Messages, picked: Iterable[int] = ()
) -> tuple[Field, ...]:
    """Why each shown choice is right (✅) or wrong (❌), the person's own marked; nothing when the
    question has no per-choice explanations."""
    if not question.choice_explanations:
        return ()
    mine = set(picked)
    lines = [
        f"{'✅' if i in question.answers else '❌'} {i + 1}. {question.choices[i]}"
        f"{messages('quiz.your_pick') if i in mine else ''}\n{question.choice_explanations[i]}"
        for i in sorted(set(shown))
        if 0 <= i < len(question.choices)
    ]
    return (Field(messages("quiz.choice_notes"), "\n".join(lines)),)


def feedback(question: Question, grade: Grade, messages: Messages) -> tuple[str, str, tuple[Field, ...]]:
    """Verdict, body and the notes on the choices picked and the right ones, for one person's answer."""
    verdict = messages("quiz.correct" if grade.correct else "quiz.wrong")
    notes = choice_notes(question, (*grade.picks, *question.answers), messages, grade.picks)
    return verdict, verdict_body(question, grade, messages), notes


def miscounted(question: Question, messages: Messages, picked: int | None = None) -> Reply:
    """An answer the question cannot take: another number of choices than it has right ones, or
    (typed, `picked` None) numbers that are not its choices. Nothing is recorded; it may be sent again."""
    if not question.multiple:
        body = messages("quiz.bad_choice", count=len(question.choices))
    elif picked is None:
        body = messages("quiz.bad_picks", count=len(question.answers), choices=len(question.choices))
    else:
        body = messages("quiz.pick_count", count=len(question.answers), picked=picked)
    return Reply(body=body, kind=ReplyKind.PROBLEM)

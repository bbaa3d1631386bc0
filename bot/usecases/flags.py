"""`/dop flag <question id> [reason]`: report a problem with a question. Every adapter's report button
ends here too (Slack's and Discord's modals send the same line)."""

from __future__ import annotations

from bot.clip import clip
from bot.clock import Clock
from bot.dispatcher import Handler, Requester
from bot.i18n import Messages
from bot.quiz.bank import QuestionBank
from bot.replies import Choice, Reply, ReplyKind
from bot.storage.flags import FlagStore
from bot.usecases.stats import channel_of, user_of

REASON_CHARS = 300  # the longest reason taken (the modals on Slack and Discord hold the same)


def flag_choice(question_id: str, messages: Messages) -> Choice:
    """The report button every question shown carries: its label, and the question id it reports."""
    return Choice(label=messages("flag.button"), value=question_id)


def flag_handlers(flags: FlagStore, bank: QuestionBank, clock: Clock) -> dict[str, Handler]:
    async def flag(requester: Requester, args: str, messages: Messages) -> list[Reply]:
        question_id, _, reason = args.strip().partition(" ")
        reason = " ".join(reason.split())  # one line, however it was typed
        if not question_id:
            return [Reply(body=messages("flag.usage"), kind=ReplyKind.PROBLEM)]
        question = bank.get(question_id)
        if question is None:
            return [Reply(body=messages("flag.unknown", id=clip(question_id, 64)), kind=ReplyKind.PROBLEM)]
        if len(reason) > REASON_CHARS:
            return [Reply(body=messages("flag.too_long", limit=REASON_CHARS), kind=ReplyKind.PROBLEM)]
        first = await flags.record(
            question.id, user_of(requester), channel_of(requester), reason or None, clock.now()
        )
        key = "flag.thanks" if first else "flag.updated"
        prompt = clip(" ".join(question.prompt.split()), 80)
        return [Reply(body=messages(key, id=question.id, prompt=prompt))]

    return {"flag": flag}

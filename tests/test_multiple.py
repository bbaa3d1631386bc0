"""Multiple-response questions ('choose two'): grading, the answer values, storage on SQLite and
Postgres (rows from before migration 0004 too), FSRS and streaks, the reveal, and the console."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text

from adapters.console import CONSOLE_CHANNEL, ConsoleMessenger, ConsoleSession
from bot.bootstrap import start_core
from bot.dispatcher import Requester
from bot.quiz.model import Question, QuestionKind, Source
from bot.storage.daily import DailyLedger
from bot.storage.database import Database
from bot.storage.migrations import HEAD, alembic_config
from bot.storage.models import Answer, ReviewLog
from bot.storage.refs import ChannelRef, UserRef
from bot.usecases.daily import parse_daily_value
from bot.usecases.practice import parse_choice_value
from tests.conftest import FakeClock
from tests.databases import BACKENDS, fresh_database
from tests.multiple import RIGHT_TWO, THREE, TWO, ask_only, multiple_settings

MONDAY_9_TOKYO = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)


def _question(answers: tuple[int, ...]) -> Question:
    source = Source("0" * 12, ("CloudWatch",), 1, "dop.md")
    return Question(
        id="q-multi",
        kind=QuestionKind.SCENARIO,
        prompt="choose",
        choices=("a", "b", "c", "d", "e"),
        answer=answers[0],
        explanation="why",
        source=source,
        service="CloudWatch",
        category="Monitoring",
        choice_type="scenario",
        answers=answers,
    )


def test_a_multiple_response_is_right_only_with_every_right_choice_and_no_other() -> None:
    question = _question((1, 3))
    assert question.grade((3, 1)).correct
    partial = question.grade((1, 2))
    assert not partial.correct and partial.missed == (3,) and partial.wrong == (2,)
    fewer, more = question.grade((1,)), question.grade((1, 2, 3))
    assert fewer.missed == (3,) and not fewer.wrong and not fewer.correct
    assert more.wrong == (2,) and not more.missed and not more.correct
    single = _question((2,))
    assert single.grade((2,)).correct and not single.grade((0,)).correct


def test_an_anki_note_names_every_right_choice() -> None:
    from bot.export.anki import FIELDS, note_fields

    answer = note_fields(_question((1, 3)))[FIELDS.index("Answer")]
    assert answer == "2. b<br>4. d"


def test_answer_values_carry_a_set_of_choices_read_strictly() -> None:
    assert parse_daily_value("daily:5:1+3:q-1") == (5, (1, 3), "q-1")
    assert parse_daily_value("daily:5:3+1:q-1") == (5, (1, 3), "q-1")  # in order, whatever was sent
    assert parse_daily_value("daily:5:2:q-1") == (5, (2,), "q-1")  # a button of a one-answer question
    assert parse_daily_value("daily:5::q-1") == (5, (), "q-1")  # a submit with nothing ticked
    assert parse_choice_value("practice:q-1:0+2") == ("q-1", (0, 2))
    for bad in (
        "daily:5:1+1:q",  # twice
        "daily:5:1+:q",
        "daily:5:+1:q",
        "daily:5:1++3:q",
        "daily:5:1+²:q",
        "daily:5:1 3:q",
        "daily:5:1,3:q",
        "daily:5:-1+3:q",
        "daily:5:1+25:q",  # past any choice
        "daily:5:0+1+2+3+4+5+6+7+8:q",  # nine
        "daily:5:1+3:q:x",
    ):
        assert parse_daily_value(bad) is None, bad
    assert parse_choice_value("practice:q:1+1") is None
    assert parse_choice_value("practice:q:0+1+2+3+4+5+6+7+8") is None


async def _answers(db: Database) -> list[tuple[int, str | None, bool]]:
    async with db.transaction() as session:
        rows = await session.execute(
            select(Answer.choice, Answer.choices, Answer.correct).order_by(Answer.id)
        )
        return [(r.choice, r.choices, bool(r.correct)) for r in rows]


async def test_practice_in_the_console_choose_two_partial_is_again(
    database: Database, clock: FakeClock
) -> None:
    core = await start_core(multiple_settings(database.url), clock)
    try:
        ask_only(core, TWO)
        session = ConsoleSession(core.dispatcher)
        shown = await session.send("/dop quiz")
        assert "（2つ選択）" in shown and "/dop answer 2 4" in shown
        assert "5. メトリクスを15ヶ月" in shown  # every choice numbered, as for one answer
        # One of two: refused with how to answer, nothing recorded, the question still open.
        assert "2 つ、空白かカンマで区切って" in await session.send("/dop answer 2")
        assert "2 つ、空白かカンマで区切って" in await session.send("/dop answer 2 2")
        assert "2 つ、空白かカンマで区切って" in await session.send("/dop answer 2 9")
        assert await _answers(database) == []

        partial = await session.send("/dop answer 2,3")
        assert "❌ 不正解" in partial
        assert "選ばなかった正解: 4. 1分間隔のメトリクス" in partial
        assert "誤って選んだ選択肢: 3. CloudWatch Dashboard" in partial
        # Why each choice picked and each right one is so; nothing on the choices neither.
        assert (
            "選択肢の解説" in partial
            and "✅ 2. EC2インスタンスの詳細モニタリングを有効にする（あなたの選択）" in partial
        )
        assert "❌ 3. CloudWatch Dashboard にCPU使用率のグラフを追加する（あなたの選択）" in partial
        assert "可視化するだけでスケーリングは早まらない。" in partial and "アラームも早く鳴る。" in partial
        assert "人手を介すると" not in partial and "保存期間は" not in partial

        clock.advance(minutes=30)  # Again: due again soon, so it comes back first
        assert "（2つ選択）" in await session.send("/dop review")
        right = await session.send("/dop answer ４、２")  # fullwidth, as an IME types it
        assert "⭕ 正解！" in right and "正解: 2. EC2インスタンス" in right and "選ばなかった" not in right
        assert await _answers(database) == [(1, "1,2", False), (1, "1,3", True)]
        async with database.transaction() as db_session:
            logs = (await db_session.execute(select(ReviewLog).order_by(ReviewLog.id))).scalars().all()
            assert [(log.choices, log.log["rating"]) for log in logs] == [
                ("1,2", 1),
                ("1,3", 3),
            ]  # Again, Good
    finally:
        await core.close()


async def test_the_daily_question_in_the_console_answers_reveal_and_streaks(
    database: Database, clock: FakeClock
) -> None:
    out = io.StringIO()
    messenger = ConsoleMessenger(out=out)
    core = await start_core(multiple_settings(database.url), clock, messenger)
    try:
        session = ConsoleSession(core.dispatcher)
        messenger.session = session
        await session.send("/dop subscribe 09:00 Asia/Tokyo mon-fri")
        [three] = ask_only(core, THREE)
        clock.current = MONDAY_9_TOKYO
        assert core.runner is not None and core.ledger is not None
        await core.runner.sync()
        assert await core.runner.jobs.post_daily(1) == "posted"
        assert "（3つ選択）" in out.getvalue() and "3 つ選んで答えてください" in out.getvalue()
        assert session.last_picks is not None
        post_id = parse_daily_value(session.last_picks.value_for(["0"]))[0]  # type: ignore[index]

        assert "3 つ選んで答えます（選んだのは 2 つ）" in await session.send("1 3")  # refused, not counted
        assert "⭕ 正解！" in await session.send("1, 3, 6")
        assert "回答済みです。最初の回答（1. デフォルトは5分間隔である / 3." in await session.send("1 2 3")
        other = ConsoleSession(
            core.dispatcher, Requester("console", "other", channel_id="console", workspace_id="local")
        )
        partial = await other.send(f"/dop answer daily:{post_id}:0+1+2:{three.id}")
        assert (
            "❌ 不正解" in partial
            and "選ばなかった正解: 6." in partial
            and "誤って選んだ選択肢: 2." in partial
        )
        assert "選択肢の解説" not in partial  # this question explains its choices only as a whole

        clock.advance(hours=8)
        assert await core.runner.jobs.reveal(post_id) == "revealed"
        revealed = out.getvalue().split("📝", 1)[1]
        assert "回答 2件・正解 1人・正答率 50%" in revealed
        for line in ("✅ 1. デフォルトは5分間隔である — 2", "・ 2. デフォルトは10秒間隔である — 1"):
            assert line in revealed
        assert "✅ 3. 詳細モニタリングで1分間隔になる — 2" in revealed
        assert "✅ 6. 間隔を短くするとスケールアウトを早く始められる — 1" in revealed
        assert "・ 4. 詳細モニタリングは Auto Scaling と併用できない — 0" in revealed
        streaks = await core.ledger.channel_streaks(CONSOLE_CHANNEL, clock.now())
        assert streaks["local"].current == 1 and streaks["local"].current_correct == 1
        assert streaks["other"].current == 1 and streaks["other"].current_correct == 0  # partial: wrong
    finally:
        await core.close()


async def test_the_reveal_explains_the_right_choices_and_those_anyone_picked(
    database: Database, clock: FakeClock
) -> None:
    from bot.i18n import Messages
    from bot.scheduler.messages import reveal

    core = await start_core(multiple_settings(database.url), clock)
    try:
        [two] = ask_only(core, TWO)
        assert core.ledger is not None
        channel = ChannelRef("slack", "T1", "C1")
        post = await core.ledger.claim(channel, date(2026, 11, 30), two.id, clock.now())
        assert post is not None
        for user, picks in (("U1", RIGHT_TWO), ("U2", (0, 1)), ("U3", RIGHT_TWO)):
            await core.ledger.record_answer(
                post.id, UserRef("slack", user), picks, two.grade(picks).correct, clock.now()
            )
        results = await core.ledger.close(post.id, clock.now())
        assert results is not None and results.counts == {0: 1, 1: 3, 3: 2} and results.right == 2
        reply = reveal(two, results, Messages())
        assert reply.revealed_answers == RIGHT_TWO
        assert "回答 3件・正解 2人・正答率 67%" in reply.body
        fields = {f.name: f.value for f in reply.fields}
        answer = "正解: 2. EC2インスタンスの詳細モニタリングを有効にする / 4. 1分間隔のメトリクスに基づく"
        assert any(name.startswith(answer) for name in fields)
        notes = fields["選択肢の解説"]
        assert "❌ 1. CloudWatch Logs Insights" in notes and "人手を介すると" in notes  # picked by U2
        assert "✅ 2." in notes and "✅ 4." in notes and "保存期間は" not in notes  # nobody picked 5
    finally:
        await core.close()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_answers_from_before_0004_read_as_one_choice(backend: str, tmp_path: Path) -> None:
    from alembic import command

    async with fresh_database(backend, tmp_path, migrate=False) as db:
        migrator = db.migration_engine()
        try:
            async with migrator.begin() as conn:
                await conn.run_sync(lambda sync: command.upgrade(alembic_config(sync), "0003"))
        finally:
            if migrator is not db.engine:
                await migrator.dispose()
        at = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
        async with db.engine.begin() as conn:  # as a dop-bot of migration 0003 wrote them
            user = "(SELECT id FROM users WHERE external_id = '{}')"
            statements = (
                "INSERT INTO workspaces (platform, external_id, created_at) VALUES ('slack', 'T1', :at)",
                "INSERT INTO channels (workspace_id, external_id, created_at)"
                " SELECT id, 'C1', :at FROM workspaces",
                "INSERT INTO users (platform, external_id, created_at)"
                " VALUES ('slack', 'U1', :at), ('slack', 'U2', :at)",
                "INSERT INTO daily_posts (channel_id, local_date, question_id, status, attempts, claimed_at)"
                " SELECT id, '2026-11-30', 'q-old', 'posted', 1, :at FROM channels",
                "INSERT INTO answers (post_id, user_id, question_id, choice, correct, answered_at)"
                f" SELECT id, {user.format('U1')}, 'q-old', 2, true, :at FROM daily_posts",
                "INSERT INTO answers (post_id, user_id, question_id, choice, correct, answered_at)"
                f" SELECT id, {user.format('U2')}, 'q-old', 0, false, :at FROM daily_posts",
            )
            for statement in statements:
                await conn.execute(text(statement), {"at": at})
        assert await db.upgrade() == HEAD
        ledger = DailyLedger(db)
        try:
            results = await ledger.results(1)
            assert results is not None and results.counts == {2: 1, 0: 1} and results.right == 1
            assert [picks for _, picks, _ in results.answerers] == [(2,), (0,)]
            # An old answer still counts first; a new one beside it keeps its choices.
            repeat = await ledger.record_answer(1, UserRef("slack", "U1"), (1, 3), False, at)
            assert repeat is not None and not repeat.recorded and repeat.picks == (2,) and repeat.correct
            new = await ledger.record_answer(1, UserRef("slack", "U3"), (3, 1), False, at)
            assert new is not None and new.recorded and new.picks == (1, 3)
            results = await ledger.results(1)
            assert results is not None and results.counts == {2: 1, 0: 1, 1: 1, 3: 1}
        finally:
            await ledger.batcher.close()


def test_the_models_tell_old_rows_from_new() -> None:
    from bot.storage.models import picks_column, picks_of

    assert picks_column((2,)) is None and picks_of(2, None) == (2,)
    assert picks_column((1, 3)) == "1,3" and picks_of(1, "1,3") == (1, 3)

"""The question bank: size, coverage and the rules every question obeys, checked over the whole bank."""

from __future__ import annotations

import unicodedata
from collections import Counter

from bot.content import Content
from bot.notes.model import NodeKind
from bot.notes.parser import parse_notes
from bot.quiz.bank import QuestionBank, build_bank, shuffled
from bot.quiz.model import Question, QuestionKind, Source
from bot.quiz.quantities import parse_choice
from bot.quiz.validate import question_problems


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def test_the_dop_notes_give_at_least_400_questions_over_27_services(
    bank: QuestionBank, content: Content
) -> None:
    generated = [q for q in bank.questions if q.kind is not QuestionKind.SCENARIO]
    assert len(generated) >= 400
    assert len({q.service for q in generated}) >= 27
    kinds = Counter(q.kind for q in generated)
    assert {QuestionKind.TERM, QuestionKind.DEFINITION, QuestionKind.SERVICE, QuestionKind.NUMBER} <= set(
        kinds
    )
    assert kinds[QuestionKind.FEATURE] > 0


def test_every_question_obeys_the_rules(bank: QuestionBank, content: Content) -> None:
    decks = {d.source: d for d in content.decks}
    headings = {s.text for d in content.decks for s in d.services()}
    prompts: set[str] = set()
    for q in bank.questions:
        assert 3 <= len(q.choices) <= 4, q.id
        assert 0 <= q.answer < len(q.choices), q.id
        assert len({_key(c) for c in q.choices}) == len(q.choices), q.id
        assert _key(q.correct_choice) not in _key(q.prompt), q.id
        assert _key(q.prompt) not in prompts, q.id
        prompts.add(_key(q.prompt))
        deck = decks[q.source.file]
        for cited in q.cites:
            assert deck[cited].kind is NodeKind.FACT, (q.id, cited)  # never WIP or reference bullets
        assert q.explanation and q.source.path[-1] == deck[q.source.id].text
        if q.kind in (QuestionKind.SERVICE, QuestionKind.FEATURE):
            assert set(q.choices) <= headings, q.id
        if q.kind is QuestionKind.NUMBER:
            parsed = [parse_choice(c) for c in q.choices]
            assert all(p is not None for p in parsed), q.choices
            assert len({p[1] for p in parsed if p}) == 1, q.choices  # one unit for all
            assert len({p[0] for p in parsed if p}) == len(parsed) or "~" in q.correct_choice, q.choices


def test_term_and_definition_choices_come_from_the_same_sibling_group(
    bank: QuestionBank, content: Content
) -> None:
    decks = {d.source: d for d in content.decks}
    for q in bank.select(kind="definition"):
        deck = decks[q.source.file]
        parent = deck[deck[q.source.id].parent or ""]
        siblings = " ".join(deck[c].text for c in parent.children)
        assert all(_key(choice) in _key(siblings) for choice in q.choices), q.id


def test_a_distractor_that_would_also_be_right_is_never_offered(bank: QuestionBank) -> None:
    stage = next(q for q in bank.select(kind="definition") if q.correct_choice == "デプロイステージ")
    assert "ステージ" not in stage.choices
    for q in bank.select(kind="definition"):
        for choice in q.choices:
            if choice != q.correct_choice:
                assert _key(choice) not in _key(q.correct_choice) and _key(q.correct_choice) not in _key(
                    choice
                )


def test_which_service_prompts_hide_every_name_of_the_service(bank: QuestionBank, content: Content) -> None:
    for q in bank.select(kind="service"):
        short = q.correct_choice.split("(")[-1].rstrip(")").replace("Amazon ", "").replace("AWS ", "")
        assert _key(short) not in _key(q.prompt), q.id


def test_answers_are_spread_over_positions(bank: QuestionBank) -> None:
    positions = Counter(q.answer for q in bank.questions if len(q.choices) == 4)
    total = sum(positions.values())
    assert all(positions[i] / total > 0.15 for i in range(4)), positions


def test_ids_and_choice_order_are_stable_and_local_to_their_note(content: Content) -> None:
    text = content.decks[0].source and open(content.decks[0].source, encoding="utf-8").read()  # noqa: SIM115
    first = build_bank(content.decks, content.glossary, content.quiz_config)
    again = build_bank(content.decks, content.glossary, content.quiz_config)
    assert [(q.id, q.choices, q.answer) for q in first.questions] == [
        (q.id, q.choices, q.answer) for q in again.questions
    ]
    edited_deck = parse_notes(
        text.replace("デフォルト値は300秒である。", "デフォルト値は600秒である。"), content.decks[0].source
    ).deck
    assert edited_deck is not None
    edited = build_bank((edited_deck,), content.glossary, content.quiz_config)
    changed = {q.id for q in first.questions} ^ {q.id for q in edited.questions}
    sources = {q.source.path[-1] for q in [*first.questions, *edited.questions] if q.id in changed}
    assert changed and sources <= {"デフォルト値は300秒である。", "デフォルト値は600秒である。"}


def test_shuffle_is_deterministic_per_question_id() -> None:
    assert shuffled("ter-1", "a", ["b", "c", "d"]) == shuffled("ter-1", "a", ["b", "c", "d"])
    orders = {shuffled(f"ter-{i}", "a", ["b", "c", "d"])[1] for i in range(40)}
    assert orders == {0, 1, 2, 3}


def test_the_validator_catches_unsound_questions(content: Content, bank: QuestionBank) -> None:
    decks = {d.source: d for d in content.decks}
    good = bank.select(kind="service")[0]
    pools = {"service": frozenset({s.text for d in content.decks for s in d.services()})}
    assert question_problems(good, decks, pools) == []

    def variant(**changes: object) -> Question:
        fields = {**good.__dict__, **changes}
        return Question(**fields)  # type: ignore[arg-type]

    assert "the answer appears in the prompt" in question_problems(
        variant(prompt=good.prompt + good.correct_choice), decks, pools
    )
    assert "two choices are the same" in question_problems(
        variant(choices=(good.choices[0], good.choices[0].upper(), *good.choices[2:])), decks, pools
    )
    assert "a choice is not of the answer's type" in question_problems(
        variant(choices=(*good.choices[:-1], "ランチ")), decks, pools
    )
    wip = next(n for n in content.decks[0].walk() if n.kind is NodeKind.WIP)
    assert "drawn from something that is not a fact of the notes" in question_problems(
        variant(cites=(wip.id,), source=Source(wip.id, (), wip.line, good.source.file)), decks, pools
    )


def test_number_distractors_are_values_of_the_same_unit(bank: QuestionBank) -> None:
    q = next(
        q for q in bank.select(kind="number") if "保存される" in q.prompt and q.correct_choice == "24時間"
    )
    assert all(c.endswith("時間") for c in q.choices)
    kinesis = [q for q in bank.select(kind="number") if q.correct_choice == "365日"]
    assert kinesis and all(c.endswith("日") for c in kinesis[0].choices)

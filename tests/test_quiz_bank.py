"""The question bank: size, coverage and the rules every question obeys, checked over the whole bank."""

from __future__ import annotations

import unicodedata
from collections import Counter

from bot.content import Content
from bot.notes.errata import corrected
from bot.notes.model import NodeKind
from bot.notes.parser import parse_notes
from bot.quiz.bank import QuestionBank
from bot.quiz.build import build_bank, shuffled
from bot.quiz.model import Question, QuestionKind, Source
from bot.quiz.quantities import parse_choice
from bot.quiz.tells import gives_away
from bot.quiz.text import MASK
from bot.quiz.validate import question_problems


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def test_the_notes_give_at_least_180_sound_questions_over_25_services(
    bank: QuestionBank, content: Content
) -> None:
    generated = [q for q in bank.questions if q.kind is not QuestionKind.SCENARIO]
    assert len(generated) >= 180
    assert len({q.service for q in generated}) >= 25
    kinds = Counter(q.kind for q in generated)
    assert {QuestionKind.TERM, QuestionKind.DEFINITION, QuestionKind.SERVICE, QuestionKind.NUMBER} <= set(
        kinds
    )
    assert kinds[QuestionKind.FEATURE] > 0


def test_every_question_obeys_the_rules(bank: QuestionBank, content: Content) -> None:
    decks = {d.source: d for d in corrected(content.decks, content.errata)[0]}
    headings = {s.text for d in decks.values() for s in d.services()}
    prompts: set[str] = set()
    for q in bank.questions:
        assert len(q.choices) == 4 or (q.kind is QuestionKind.SCENARIO and len(q.choices) > 4), q.id
        assert not any(MASK in c for c in q.choices), q.id  # masking belongs in the prompt only
        assert 0 <= q.answer < len(q.choices), q.id
        assert len({_key(c) for c in q.choices}) == len(q.choices), q.id
        assert _key(q.correct_choice) not in _key(q.prompt), q.id
        assert _key(q.prompt) not in prompts, q.id
        prompts.add(_key(q.prompt))
        deck = decks[q.source.file]
        # A curated question may cite both decks.
        nodes = {i: n for d in decks.values() for i, n in d.nodes.items()}
        for cited in q.cites:
            assert nodes[cited].kind is NodeKind.FACT, (q.id, cited)  # never WIP or reference bullets
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
    decks = {d.source: d for d in corrected(content.decks, content.errata)[0]}
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
    edited = build_bank((edited_deck, *content.decks[1:]), content.glossary, content.quiz_config)
    changed = {q.id for q in first.questions} ^ {q.id for q in edited.questions}
    sources = {q.source.path[-1] for q in [*first.questions, *edited.questions] if q.id in changed}
    assert changed and sources <= {"デフォルト値は300秒である。", "デフォルト値は600秒である。"}


def test_shuffle_is_deterministic_per_question_id() -> None:
    assert shuffled("ter-1", "a", ["b", "c", "d"]) == shuffled("ter-1", "a", ["b", "c", "d"])
    orders = {shuffled(f"ter-{i}", "a", ["b", "c", "d"])[1] for i in range(40)}
    assert orders == {0, 1, 2, 3}


def test_the_validator_catches_unsound_questions(content: Content, bank: QuestionBank) -> None:
    decks = {d.source: d for d in corrected(content.decks, content.errata)[0]}
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
        q
        for q in bank.select(kind="number")
        if "保持期間のデフォルト" in q.prompt and q.correct_choice == "24時間"
    )
    assert all(c.endswith("時間") for c in q.choices)
    kinesis = [q for q in bank.select(kind="number") if q.correct_choice == "365日"]
    assert kinesis and all(c.endswith("日") for c in kinesis[0].choices)


def test_no_prompt_shares_a_distinctive_word_with_the_right_choice_alone(
    bank: QuestionBank, content: Content
) -> None:
    for q in bank.questions:
        if q.kind is QuestionKind.SCENARIO:
            continue
        others = [c for i, c in enumerate(q.choices) if i != q.answer]
        names = q.choice_type == "service"
        assert (
            gives_away(q.prompt, q.correct_choice, others, q.service, content.glossary, names=names) == ""
        ), q.id


def test_tells_inside_longer_words_and_in_the_answers_own_service_name(content: Content) -> None:
    """The hand-read sample of 2026-12-02 (seed 41203) found tells the word match missed."""
    glossary = content.glossary
    services = ["Amazon EventBridge", "Elastic Load Balancing (ELB)", "AWS Step Functions"]
    api = "次の説明に当てはまるAWSサービスはどれか。\n「APIリクエストがエッジにルーティングされる。」"
    # When the choices are services, a word of the answer's own name is the tell ('API' → API Gateway)…
    assert (
        gives_away(api, "Amazon API Gateway", services, "Amazon API Gateway", glossary, names=True) == "api"
    )
    # …also inside a compound name and a longer katakana word ('ビルドスペック' holds 'ビルド' → CodeBuild).
    build = (
        "次の説明に当てはまるAWSサービスはどれか。\n「ビルドスペックは、〇〇がビルドコマンドをまとめたもの」"
    )
    code = ["AWS CodeCommit", "AWS CodePipeline", "AWS CodeDeploy"]
    assert gives_away(build, "AWS CodeBuild", code, "AWS CodeBuild", glossary, names=True)
    # A katakana word inside a longer one: 'キャパシティモード' and 'モード',
    # 'データマッピング' and 'マッピングテンプレート'.
    mode = "Amazon DynamoDB の「キャパシティモード」の説明として正しいものはどれか。"
    others = ["テーブル全体をスキャンする", "追加でソートキーを増やす", "インメモリキャッシュ"]
    assert gives_away(
        mode, "プロビジョンドとオンデマンドの2種類のモードがある。", others, "Amazon DynamoDB", glossary
    )
    mapping = "Amazon API Gateway のうち、次の説明に当てはまるものは。\n「データマッピングをする」"
    terms = ["ステージ", "デプロイステージ", "タイムアウト"]
    assert (
        gives_away(mapping, "マッピングテンプレート", terms, "Amazon API Gateway", glossary) == "マッピング"
    )
    # A compound name is read in its parts: 'AfterAllowTestTraffic' and 'テストリスナー'.
    hook = "AWS CodeDeploy の「AfterAllowTestTraffic」の説明として正しいものはどれか。"
    hooks = ["置き換えタスクセットが作成される前に実行される。", "本番トラフィックを移す前に実行される。"]
    assert (
        gives_away(hook, "テストリスナーが送り始めた後に実行される。", hooks, "AWS CodeDeploy", glossary)
        == "test"
    )
    # A Latin word that begins a word of the answer alone: 'Map(辞書)' and 'Mappings'.
    sections = ["AWSTemplateFormatVersion", "Metadata", "Description"]
    mappings = "AWS CloudFormation のうち、次の説明に当てはまるものは。\n「条件の指定に使うMap(辞書)」"
    assert gives_away(mappings, "Mappings", sections, "AWS CloudFormation", glossary) == "map"
    # …and the other way round: 'Mappings' asked, 'Map(辞書)' answered.
    asked = "AWS CloudFormation の「Mappings」の説明として正しいものはどれか。"
    described = ["テンプレートに関する追加情報", "バージョンを記述", "コメントを記述"]
    assert gives_away(asked, "条件の指定に使うMap(辞書)", described, "AWS CloudFormation", glossary) == "map"
    # The word in a distractor too tells nothing.
    assert (
        gives_away(
            mapping, "マッピングテンプレート", [*terms[:2], "静的マッピング"], "Amazon API Gateway", glossary
        )
        == ""
    )


def test_tells_are_found_across_scripts_and_names_of_the_service_are_not_tells(content: Content) -> None:
    glossary = content.glossary
    service = "AWS Systems Manager"
    patch = [
        "AWS Systems Manager Patch Manager",
        "SSM エージェント",
        "Document Builder",
        "AWS SSM インベントリ",
    ]
    assert gives_away(
        "次の説明に当てはまるものはどれか。「パッチ適用を自動化する」", patch[0], patch[1:], service, glossary
    )
    cache = ["ElastiCache for Memcached", "ElastiCache for Redis", "Redisノードタイプ", "リードレプリカ"]
    prompt = "Amazon ElastiCache のうち、次の説明に当てはまるものはどれか。「シンプルなMemcachedを選択」"
    assert gives_away(prompt, cache[0], cache[1:], "Amazon ElastiCache", glossary) == "memcached"
    plain = "Amazon ElastiCache のうち、次の説明に当てはまるものはどれか。「単純なセッション管理に向く」"
    assert gives_away(plain, cache[0], cache[1:], "Amazon ElastiCache", glossary) == ""
    assert (
        gives_away("「dispatch の設定」", "Patch Manager", ["Inventory", "Automation"], service, glossary)
        == ""
    )


def test_number_blanks_hide_knowledge_not_articles_or_glosses(bank: QuestionBank) -> None:
    for q in bank.select(kind="number"):
        value = parse_choice(q.correct_choice)
        assert value is not None
        quoted = q.prompt.split("「", 1)[1]
        blank_at = quoted.index("（　?　）")
        assert not (value[0] == 1 and value[1] in ("つ", "個", "回", "台")), q.id
        assert not quoted[blank_at + 5 :].startswith(("あたり", "当たり")), q.id
        opened = sum(quoted[:blank_at].count(c) for c in "（(") - sum(
            quoted[:blank_at].count(c) for c in "）)"
        )
        assert opened <= 0, q.id  # not inside a parenthesised gloss


def test_number_distractors_are_never_other_valid_settings(bank: QuestionBank, content: Content) -> None:
    listed = content.quiz_config.valid_values
    assert listed, "content/quiz.yaml lists the valid settings of configurable numbers"
    for q in bank.select(kind="number"):
        valid = listed.get(q.source.id, frozenset())
        for i, choice in enumerate(q.choices):
            parsed = parse_choice(choice)
            if i != q.answer and parsed is not None:
                assert parsed[0] not in valid, (q.id, choice)
    # EFS moves files to IA after 1, 7, 14, 30, 60, 90, 180, 270 or 365 days: every day count a
    # distractor could offer is a valid setting, so the notes' '30日' is not asked at all.
    efs = "ab2a19eed779"
    assert efs in listed and not [q for q in bank.select(kind="number") if q.source.id == efs]


def test_a_list_gives_at_most_its_share_and_prompts_keep_only_service_and_topic(
    bank: QuestionBank, content: Content
) -> None:
    from bot.quiz.build import PER_LIST

    decks = {d.source: d for d in corrected(content.decks, content.errata)[0]}
    per_list = Counter(
        (q.source.file, decks[q.source.file][q.source.id].parent)
        for q in bank.questions
        if q.kind is not QuestionKind.SCENARIO
    )
    assert max(per_list.values()) <= PER_LIST
    for q in bank.questions:
        if q.kind in (QuestionKind.TERM, QuestionKind.DEFINITION, QuestionKind.NUMBER):
            context = q.prompt.split("\n")[0].split(" のうち")[0].split(" の「")[0]
            assert context.count("›") <= 2, q.id  # service › topic (› the label the fact hangs on)
            assert "以下" not in context and "通り" not in context, q.id


def test_no_generated_question_points_at_a_bullet_the_reader_cannot_see(bank: QuestionBank) -> None:
    """'プロジェクトのソースコードに上記を同梱する' asks about something the question never shows."""
    for q in bank.questions:
        if q.kind is not QuestionKind.SCENARIO:
            for text in (q.prompt, *q.choices):
                assert not any(word in text for word in ("上記", "下記", "前述", "後述", "上述")), q.id


def test_which_service_questions_quote_a_statement_with_a_distinctive_term(
    bank: QuestionBank, content: Content
) -> None:
    """Not a bare name or list ('X-Forwarded-For (XFF)', 'HTTPCode_Backend_2XX, …'), and not a sentence
    any service could say ('トラフィック変化に応じたスループット向上を行うことができる。')."""
    import re

    services = bank.select(kind="service")
    for q in services:
        statement = q.prompt.split("「", 1)[1].rstrip("」").replace(MASK, "")
        assert re.search("[ぁ-ゖ]", statement) and len(statement) >= 20, q.id  # 'リソースの変更管理が可能'
    short = (
        "リソースの変更管理が可能",
        "運用や監視にも使用することができる。",
        "amazon-〇〇-utilsパッケージ",
    )
    quoted = {q.prompt.split("「", 1)[1] for q in services}
    assert not any(
        text.startswith(("X-Forwarded-For", "HTTPCode_Backend_2XX", "トラフィック変化")) for text in quoted
    )
    assert not any("Webサーバーとの直接的なTCP通信" in text for text in quoted)
    assert not any(text.startswith(short) for text in quoted)
    # A condition ('…があふれた場合') is no statement; an instance family letter ('Z: Hz. 高クロック…')
    # would make any description of a machine EC2's.
    assert not any(re.sub("[」。]+$", "", text).endswith("場合") for text in quoted)
    assert not any(re.match(r"[A-Z][A-Za-z]{0,2}\s*[:：]", text) for text in quoted)


def test_a_topic_gives_one_which_service_question_per_four_facts(
    bank: QuestionBank, content: Content
) -> None:
    decks = {d.source: d for d in corrected(content.decks, content.errata)[0]}
    per_topic: Counter[tuple[str, str]] = Counter()
    for q in bank.select(kind="service"):
        deck = decks[q.source.file]
        chain = [n for n in deck.ancestors(q.source.id) if n.kind is NodeKind.FACT]
        if chain and chain[0].text != "概要":  # a fact under a topic, not an overview bullet
            per_topic[(q.source.file, chain[0].id)] += 1
    for (file, topic), count in per_topic.items():
        facts = sum(1 for n in decks[file].descendants(topic) if n.is_fact)
        assert count <= 1 + facts // 4, (topic, count, facts)
    assert max(per_topic.values()) >= 2  # a long topic may give a second one


def test_confusable_services_come_before_the_category_as_distractors(bank: QuestionBank) -> None:
    """X-Ray is filed under Developer Tools; CodeCommit or CodeBuild beside it are no distractors."""
    xray = [q for q in bank.select(kind="service") if q.correct_choice == "AWS X-Ray"]
    assert xray
    for q in xray:
        assert not any(c.startswith("AWS Code") for c in q.choices), q.id


def test_number_blanks_the_sentence_does_not_answer_and_no_calendar_years(bank: QuestionBank) -> None:
    """'バッチ（?）であれば、半分を…' says 50% in words; '（?）を超えるプロセス(例えば3つの…)' bounds the
    answer with its example; '（?）2月25日にサポートが終了' asks a date, which is trivia, and the
    sentence's other date orders the choices."""
    for q in bank.select(kind="number"):
        value = parse_choice(q.correct_choice)
        assert value is not None
        assert not (value[1] == "年" and value[0] >= 1900), q.id
        quoted = unicodedata.normalize("NFKC", q.prompt.split("「", 1)[1])
        if value == (50.0, "%"):
            assert "半分" not in quoted and "半数" not in quoted, q.id
        assert "(例えば" not in quoted or not any(c in quoted for c in "0123456789"), q.id


def test_a_definition_is_a_description_not_a_word(bank: QuestionBank) -> None:
    """「Manual」 (→ Approval) names a provider; it describes nothing."""
    for q in bank.select(kind="definition"):
        quoted = q.prompt.split("「", 1)[1].rstrip("」").replace(MASK, "")
        assert len(quoted) >= 8, q.id


def test_a_topic_that_is_another_service_asks_nothing_about_its_parent(bank: QuestionBank) -> None:
    """CloudWatch Events sits under CloudWatch in the notes; today it is Amazon EventBridge, so its
    facts are no 'which service' question answered by CloudWatch."""
    for q in bank.select(kind="service"):
        assert not (q.correct_choice == "Amazon CloudWatch" and "ルールに一致したイベント" in q.prompt), q.id

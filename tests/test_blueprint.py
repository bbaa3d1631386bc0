"""content/exam.yaml: the DOP-C02 blueprint, its rules over the notes' topics, and what they give the bank."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from adapters.cli import main
from bot.content import Content, bank_of, bank_problems, load_content
from bot.quiz.bank import QuestionBank
from bot.quiz.model import QuestionKind

ROOT = Path(__file__).resolve().parents[1]


def test_the_blueprint_has_the_six_domains_with_the_exam_weights(content: Content) -> None:
    blueprint = content.blueprint
    assert {d.code: d.weight for d in blueprint.domains} == {
        "sdlc": 22,
        "iac": 17,
        "resilience": 15,
        "monitoring": 15,
        "incident": 14,
        "security": 17,
    }
    assert all(d.name_ja and d.name_en and d.tasks for d in blueprint.domains)
    exam = blueprint.exam
    assert (exam.questions, exam.scored, exam.minutes, exam.pass_score) == (75, 65, 180, 750)
    assert abs(sum(blueprint.weights().values()) - 1) < 1e-9


def test_every_question_is_tagged_primary_first_or_marked_off_the_exam(
    bank: QuestionBank, content: Content
) -> None:
    assert bank_problems(content, bank) == []
    codes = set(content.blueprint.codes)
    for q in bank.questions:
        assert q.domains or q.off_exam, q.id
        assert set(q.domains) <= codes, q.id
    off = [q for q in bank.questions if not q.on_exam]
    assert off and {q.off_exam for q in off} <= {"retired", "trivia", "out_of_scope"}
    # Retired services are never exam material; a topic rule beats its service's rule.
    assert all(not q.on_exam for q in bank.questions if q.service == "AWS OpsWorks")
    alarm = [
        q
        for q in bank.questions
        if q.source.path[:3] == ("Management & Governance", "Amazon CloudWatch", "CloudWatch Alarm")
        and q.kind is not QuestionKind.SCENARIO  # a curated question names its own domains
    ]
    assert alarm and all(q.domains[0] == "monitoring" and "incident" in q.domains for q in alarm)


def test_questions_json_carries_domains_and_exam(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["questions", "--json"]) == 0
    bank = json.loads(capsys.readouterr().out)
    assert all(isinstance(q["domains"], list) and isinstance(q["exam"], bool) for q in bank)
    assert Counter(q["exam"] for q in bank)[False] > 0
    assert all(q["domains"] for q in bank if q["exam"])


def test_questions_prints_counts_by_domain_and_says_where_the_bank_is_short(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["questions"]) == 0
    out = capsys.readouterr().out
    for code in ("sdlc", "iac", "resilience", "monitoring", "incident", "security"):
        assert f"  {code} " in out
    assert "% of the exam" in out


@pytest.fixture
def content_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    monkeypatch.setenv("DOP_CONTENT_DIR", str(target))
    return target


def test_content_check_fails_on_a_rule_for_a_topic_that_does_not_exist(
    content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exam = content_copy / "exam.yaml"
    exam.write_text(
        exam.read_text(encoding="utf-8").replace("topic: スタックセット", "topic: スタックセッツ"),
        encoding="utf-8",
    )
    assert main(["content", "check"]) == 1
    assert "no topic 'AWS CloudFormation › スタックセッツ'" in capsys.readouterr().out


def test_content_check_fails_when_a_question_has_no_domain(
    content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exam = content_copy / "exam.yaml"
    text = exam.read_text(encoding="utf-8")
    untagged = text.replace("  - service: AWS Service Catalog\n    domains: [iac, security]\n", "")
    assert untagged != text
    exam.write_text(untagged, encoding="utf-8")
    content = load_content(content_copy)
    problems = bank_problems(content, bank_of(content))
    assert problems and all("has no exam domain" in str(p) for p in problems)
    assert main(["content", "check"]) == 1
    assert "has no exam domain" in capsys.readouterr().out


def test_a_malformed_blueprint_is_reported_not_raised(content_copy: Path) -> None:
    (content_copy / "exam.yaml").write_text(
        "domains:\n  - {code: a, weight: 60, name: {ja: A, en: A}}\n"
        "rules:\n  - {service: X, domains: [zzz]}\n",
        encoding="utf-8",
    )
    content = load_content(content_copy)
    messages = [str(d) for d in content.diagnostics if d.severity == "error"]
    assert any("add up to 60" in m for m in messages)
    assert any("unknown domain zzz" in m for m in messages)

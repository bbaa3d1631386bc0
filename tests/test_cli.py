"""The `dop-bot` command line: ask (text and JSON, one query or a stream), topics, content check."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from adapters.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _from_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("DOP_LOCALE", raising=False)


def test_ask_prints_breadcrumb_passage_references_and_other_candidates(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["ask", "elb", "503"]) == 0
    out = capsys.readouterr().out
    first, body = out.split("\n", 1)
    crumbs = ["Networking & Content Delivery", "Elastic Load Balancing (ELB)", "ステータスコードについて"]
    assert first == "■ " + " › ".join([*crumbs, "HTTPCode_ELB_5XX"])
    assert body.startswith("503: 様々な要因が考えられる。")
    assert "参考リンク:" in out


def test_ask_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "kinesis", "retention"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["query"] == "kinesis retention"
    assert 1 <= len(result["hits"]) <= 5
    hit = result["hits"][0]
    assert set(hit) == {"id", "path", "text", "line", "score", "refs"}
    assert hit["path"][:2] == ["Analytics", "Amazon Kinesis Data Stream"]
    assert "365日" in hit["text"] and isinstance(hit["line"], int) and isinstance(hit["score"], float)


def test_ask_json_stdin_answers_one_line_per_query(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("drift\n\nzzqx\n" + "y" * 3000 + "\n"))
    assert main(["ask", "--json", "-"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["query"][:5] for line in lines] == ["drift", "", "zzqx", "yyyyy"]
    assert lines[0]["hits"][0]["text"].startswith("ドリフト")
    assert [line.get("problem") for line in lines] == [None, "empty", "no_match", "too_long"]
    assert all(line["message"] for line in lines[1:])


def test_english_with_dop_locale(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DOP_LOCALE", "en")
    main(["ask", "zzqx"])
    assert "Nothing in the notes matches" in capsys.readouterr().out


def test_topics_lists_services(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["topics"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") >= 30 and "AWS CodeDeploy:" in out


def test_content_check_of_the_project_content_passes_with_the_known_warnings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["content", "check"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split(": ")[0] for line in out] == [
        f"content/notes/dop.md:{n}" for n in (416, 418, 420, 422)
    ]


def test_content_check_runs_over_every_content_file(capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "content").rglob("*") if p.is_file())
    assert files, "content/ is empty"
    assert main(["content", "check", *files]) == 0
    assert "エラー 0件" in capsys.readouterr().err


def test_content_check_fails_on_errors_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("- orphan bullet\n## Cat\n### Svc\n- ok\n", encoding="utf-8")
    broken_yaml = tmp_path / "aliases.yaml"
    broken_yaml.write_text("terms: [[a, b], [only-one]]\nservices: 3\n", encoding="utf-8")
    assert main(["content", "check", str(bad), str(broken_yaml), str(tmp_path / "missing.md")]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:1: error: bullet before any heading" in out
    assert f"{tmp_path / 'missing.md'}:0: error: file not found" in out
    assert "terms[1]" in out


def test_questions_json_prints_the_bank_with_filters(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["questions", "--json"]) == 0
    bank = json.loads(capsys.readouterr().out)
    assert len(bank) >= 250
    assert set(bank[0]) == {
        "id",
        "kind",
        "prompt",
        "choices",
        "answer",
        "answers",
        "explanation",
        "source",
        "domains",
        "exam",
    }
    assert set(bank[0]["source"]) == {"id", "path", "line", "file", "origin", "files"}
    assert main(["questions", "--json", "--kind", "number", "--service", "ddb"]) == 0
    numbers = json.loads(capsys.readouterr().out)
    assert numbers and all(
        q["kind"] == "number" and q["source"]["path"][1] == "Amazon DynamoDB" for q in numbers
    )
    assert main(["questions", "--service", "nonsense-zzz"]) == 1


def test_questions_summary_counts_kinds_and_categories(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["questions"]) == 0
    out = capsys.readouterr().out
    assert "by kind: " in out and "definition" in out and "term" in out and "by category:" in out


def test_content_check_reports_bad_curated_questions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = tmp_path / "bad.yaml"
    questions.write_text(
        "- id: dup-one\n  prompt: p\n  choices: [a, b, c, d]\n  answer: 9\n"
        "  explanation: e\n  notes: [000000000000]\n"
        "- id: dup-one\n  prompt: p\n  choices: [a, b, c]\n  answer: 0\n  explanation: e\n  notes: [nope]\n",
        encoding="utf-8",
    )
    assert main(["content", "check", str(questions)]) == 1
    out = capsys.readouterr().out
    assert f"{questions}:1: error: question 'dup-one': answer must be a choice index" in out
    assert f"{questions}:7: error: question 'dup-one': duplicate id" in out

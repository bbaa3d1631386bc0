"""content/errata.yaml: the project's corrections over the team's notes, which stay as written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from adapters.cli import main
from bot.content import Content, load_content
from bot.dispatcher import Dispatcher, Requester
from bot.notes.errata import corrected
from bot.quiz.bank import QuestionBank

ROOT = Path(__file__).resolve().parents[1]
LOGS_X_RAY = (
    "4eeebbe1043b"  # CloudWatch Logs: 'アプリケーションのログは取れないため、X-rayのエージェントが必要。'
)
GSI_LIMIT = "937921593170"  # DynamoDB GSI: '1テーブルに５つ作成可能…' (the default quota is 20)


def test_every_erratum_names_a_note_its_kind_a_correction_and_an_aws_source(content: Content) -> None:
    assert len(content.errata) >= 60
    notes = {n.id: n for d in content.decks for n in d.walk()}
    for note_id, erratum in content.errata.items():
        assert note_id in notes
        assert erratum.kind in ("wrong", "outdated", "retired")
        assert erratum.ja and erratum.source.startswith("https://")
        assert "amazon.com" in erratum.source or "amazonaws" in erratum.source
        assert erratum.was == notes[note_id].text  # the team's bullet has not changed since
    assert not [d for d in content.diagnostics if "errata" in d.source and d.severity == "error"]


async def test_ask_shows_a_corrected_bullet_with_a_warning_line_and_its_source(
    dispatcher: Dispatcher,
) -> None:
    [reply] = await dispatcher.handle(
        "/dop ask cloudwatch logs application logs x-ray", Requester("console", "u")
    )
    lines = reply.body.splitlines()
    wrong = next(i for i, line in enumerate(lines) if "X-rayのエージェントが必要" in line)
    assert lines[wrong + 1].strip().startswith("⚠") and "CloudWatch エージェント" in lines[wrong + 1]
    assert reply.links and "docs.aws.amazon.com" in reply.links[0].url  # the erratum's source first


async def test_english_readers_get_the_english_correction(dispatcher: Dispatcher) -> None:
    [reply] = await dispatcher.handle("/dop ask cloudtrail insights", Requester("console", "u", locale="en"))
    assert "⚠" in reply.body
    corrections = [f for f in reply.fields if f.name == "⚠ Corrections"]
    assert corrections and "unusual API call" in corrections[0].value


def test_questions_use_the_fixed_text_or_leave_the_bullet_out(bank: QuestionBank, content: Content) -> None:
    decks, left_out = corrected(content.decks, content.errata)
    fixed = {i for i, e in content.errata.items() if e.fixed}
    unfixed = set(content.errata) - fixed
    assert left_out >= unfixed
    for q in bank.questions:
        assert not left_out.intersection(q.cites), q.id
        assert "X-rayのエージェント" not in q.prompt + "".join(q.choices) + q.explanation, q.id
    # A fixed bullet reads its fixed text wherever a question quotes it.
    quoted = [q for q in bank.questions if q.source.id in fixed]
    assert quoted and all(q.source.path[-1] == content.errata[q.source.id].fixed for q in quoted)
    gsi = [q for q in bank.questions if q.source.id == GSI_LIMIT and q.kind.value == "number"]
    assert all(q.correct_choice == "20個" for q in gsi)
    # Everything under a retired service is left out, whatever its own bullets say.
    assert not [q for q in bank.questions if q.service == "AWS OpsWorks"]
    assert {d.source for d in decks} == {d.source for d in content.decks}


@pytest.fixture
def content_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    monkeypatch.setenv("DOP_CONTENT_DIR", str(target))
    return target


def test_content_check_fails_on_an_erratum_for_a_note_that_no_longer_exists(
    content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    errata = content_copy / "errata.yaml"
    data = yaml.safe_load(errata.read_text(encoding="utf-8"))
    data["000000000000"] = {"kind": "wrong", "was": "x", "ja": "y", "source": "https://docs.aws.amazon.com/"}
    errata.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["content", "check"]) == 1
    assert "000000000000: no such note" in capsys.readouterr().out


def test_content_check_lists_bullets_the_team_edited_since_their_erratum(
    content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = content_copy / "notes" / "dop.md"
    text = notes.read_text(encoding="utf-8")
    notes.write_text(text.replace("1テーブルに５つ作成可能", "1テーブルに２０個作成可能"), encoding="utf-8")
    # Ids hash the text, so the edited bullet has a new id: its erratum names a note that is gone (an
    # error), and the check points at the bullet it most likely became.
    assert main(["content", "check"]) == 1
    out = capsys.readouterr().out
    assert f"{GSI_LIMIT}: no such note" in out
    changed = [line for line in out.splitlines() if f"bullet changed since its erratum {GSI_LIMIT}" in line]
    assert len(changed) == 1 and changed[0].startswith("content/notes/dop.md:979: warning:")


def test_an_erratum_whose_recorded_text_differs_is_flagged(content_copy: Path) -> None:
    errata = content_copy / "errata.yaml"
    data = yaml.safe_load(errata.read_text(encoding="utf-8"))
    data[LOGS_X_RAY]["was"] = "an older wording of the bullet"
    errata.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    content = load_content(content_copy)
    assert any(
        f"bullet changed since its erratum {LOGS_X_RAY} was written" in str(d) for d in content.diagnostics
    )

"""The notes parser: tree shape, kinds, links, diagnostics and stable ids."""

from __future__ import annotations

from pathlib import Path

from bot.notes.model import Deck, NodeKind
from bot.notes.parser import parse_file, parse_notes

SAMPLE = """# DOP

## Management

### AWS CloudFormation

- 変更セット
  - スタックの更新の影響を確認できる
- Capabilities
  - IAMリソースには`CAPABILITY_IAM`が必要
  - 参考
    - [CreateStack - AWS](https://docs.aws.amazon.com/create-stack)
- UpdatePolicy
  - WIP

### AWS CodeDeploy

- HANDLE_PROCS
  - 以下のイベントが停止
loose line one

loose line two
- 参考
  - https://example.com/blackbelt.pdf
"""


def _by_text(deck: Deck, text: str):  # type: ignore[no-untyped-def]
    return next(n for n in deck.walk() if n.text == text)


def test_tree_has_deck_category_service_and_nested_bullets() -> None:
    result = parse_notes(SAMPLE, "sample.md")
    deck = result.deck
    assert deck is not None
    assert deck.name == "DOP"
    assert [c.text for c in deck.categories()] == ["Management"]
    assert [s.text for s in deck.services()] == ["AWS CloudFormation", "AWS CodeDeploy"]
    change_set = _by_text(deck, "変更セット")
    assert change_set.line == 7
    assert [deck[c].text for c in change_set.children] == ["スタックの更新の影響を確認できる"]
    assert deck.breadcrumb(change_set.children[0]) == ["Management", "AWS CloudFormation", "変更セット"]


def test_wip_and_reference_bullets_are_not_facts() -> None:
    deck = parse_notes(SAMPLE, "sample.md").deck
    assert deck is not None
    assert _by_text(deck, "WIP").kind is NodeKind.WIP
    assert _by_text(deck, "参考").kind is NodeKind.REFERENCE
    link_only = _by_text(deck, "CreateStack - AWS")
    assert link_only.kind is NodeKind.REFERENCE
    assert link_only.links[0].url == "https://docs.aws.amazon.com/create-stack"
    bare = _by_text(deck, "https://example.com/blackbelt.pdf")
    assert bare.kind is NodeKind.REFERENCE
    assert bare.links[0].title == bare.links[0].url
    assert _by_text(deck, "変更セット").kind is NodeKind.FACT


def test_inline_code_is_kept_and_plain_text_drops_marks() -> None:
    deck = parse_notes(SAMPLE, "sample.md").deck
    assert deck is not None
    node = _by_text(deck, "IAMリソースにはCAPABILITY_IAMが必要")
    assert node.code == ("CAPABILITY_IAM",)
    assert "`" in node.raw


def test_loose_lines_attach_to_the_last_bullet_with_warnings() -> None:
    result = parse_notes(SAMPLE, "sample.md")
    deck = result.deck
    assert deck is not None
    target = _by_text(deck, "以下のイベントが停止")
    assert target.extra == ("loose line one", "loose line two")
    assert [(w.line, w.severity) for w in result.warnings] == [(20, "warning"), (22, "warning")]
    assert all("line 19" in w.message for w in result.warnings)
    assert str(result.warnings[0]).startswith("sample.md:20: warning: ")
    assert not result.errors


def test_every_line_is_accounted_for() -> None:
    """Each non-blank line is a heading, a node, or a continuation reported as a warning."""
    result = parse_notes(SAMPLE, "sample.md")
    deck = result.deck
    assert deck is not None
    node_lines = {n.line for n in deck.walk()}
    warned = {w.line for w in result.diagnostics}
    for number, line in enumerate(SAMPLE.splitlines(), start=1):
        if line.strip():
            assert number in node_lines or number in warned, (number, line)


def test_bullet_before_any_heading_is_an_error() -> None:
    result = parse_notes("- orphan\n\n## Cat\n\n### Svc\n\n- fine\n", "bad.md")
    assert [(e.line, e.severity) for e in result.errors] == [(1, "error")]
    assert "before any heading" in result.errors[0].message


def test_unclosed_code_fence_and_missing_services_are_errors() -> None:
    result = parse_notes("# X\n\n## C\n\n### S\n\n- a\n```\ncode\n", "fence.md")
    assert any("never closed" in e.message for e in result.errors)
    empty = parse_notes("just some text\n", "empty.md")
    assert any("no '### ' service heading" in e.message for e in empty.errors)


def test_missing_and_undecodable_files_are_errors(tmp_path: Path) -> None:
    missing = parse_file(tmp_path / "nope.md")
    assert missing.deck is None and missing.errors[0].message == "file not found"
    binary = tmp_path / "bin.md"
    binary.write_bytes(b"\xff\xfe\x00bad")
    assert "UTF-8" in parse_file(binary).errors[0].message


def test_ids_are_stable_across_runs_and_unrelated_edits() -> None:
    before = parse_notes(SAMPLE, "sample.md").deck
    edited_text = SAMPLE.replace("- Capabilities", "- 新しいトピック\n  - 追加の事実\n- Capabilities")
    edited_text = edited_text.replace("以下のイベントが停止", "以下のイベントが自動的に停止")
    after = parse_notes(edited_text, "sample.md").deck
    again = parse_notes(SAMPLE, "sample.md").deck
    assert before is not None and after is not None and again is not None
    assert before.order == again.order
    unchanged = _by_text(before, "IAMリソースにはCAPABILITY_IAMが必要")
    moved = _by_text(after, "IAMリソースにはCAPABILITY_IAMが必要")
    assert unchanged.id == moved.id and unchanged.line != moved.line
    assert _by_text(before, "変更セット").id == _by_text(after, "変更セット").id
    assert _by_text(before, "以下のイベントが停止").id not in after.nodes


def test_identical_sibling_texts_get_distinct_ids() -> None:
    text = "## C\n\n### S\n\n- 概要\n  - 同じ\n  - 同じ\n"
    deck = parse_notes(text, "dup.md").deck
    assert deck is not None
    ids = [n.id for n in deck.walk() if n.text == "同じ"]
    assert len(ids) == 2 and len(set(ids)) == 2


def test_link_titles_may_hold_brackets() -> None:
    text = "## C\n\n### S\n\n- [[初心者向け] API](https://example.com/a) と https://example.com/b.\n"
    deck = parse_notes(text, "links.md").deck
    assert deck is not None
    node = next(n for n in deck.walk() if n.kind is NodeKind.FACT)
    assert [(link.title, link.url) for link in node.links] == [
        ("[初心者向け] API", "https://example.com/a"),
        ("https://example.com/b", "https://example.com/b"),
    ]


def test_the_dop_notes_parse_with_their_known_irregular_lines(content) -> None:  # type: ignore[no-untyped-def]
    deck = content.decks[0]
    assert deck.source == "content/notes/dop.md"
    assert len(deck.services()) == 30
    assert len(deck.categories()) == 10
    warnings = [d for d in content.diagnostics if d.source == deck.source]
    assert [w.line for w in warnings] == [416, 418, 420, 422]
    assert sum(n.kind is NodeKind.WIP for n in deck.walk()) == 2
    assert not [d for d in content.diagnostics if d.severity == "error"]

"""Replies as Discord embeds: escaping, Discord's limits, buttons whose custom_id carries the value."""

from __future__ import annotations

import discord

from adapters.discord.buttons import ChoiceButton, ShareButton
from adapters.discord.embeds import (
    DESCRIPTION_LIMIT,
    FIELD_VALUE_LIMIT,
    FIELDS_LIMIT,
    LABEL_LIMIT,
    TOTAL_LIMIT,
    chunks,
    plain,
    render,
)
from bot.notes.model import Link
from bot.replies import Attachment, Choice, Field, Reply


def _buttons(view: discord.ui.View | None) -> list[dict[str, object]]:
    assert view is not None
    return [item for row in view.to_components() for item in row["components"]]


def test_markdown_in_notes_is_shown_as_typed() -> None:
    embed = render(Reply(body="HTTPCode_ELB_5XX と *bold* と `code`", title="a_b_c")).embed
    assert embed.description == r"HTTPCode\_ELB\_5XX と \*bold\* と \`code\`"
    assert embed.title == r"a\_b\_c"


def test_footers_show_no_markdown_because_discord_renders_none_there() -> None:
    embed = render(Reply(body="x", footer="`/dop help` で使い方を確認できます。")).embed
    assert embed.footer.text == "/dop help で使い方を確認できます。"
    marked = r"**bold**, __under__, ~~gone~~, ||hidden||, *it*, _em_, ***both***, \_kept\_ and \*"
    assert plain(marked) == "bold, under, gone, hidden, it, em, both, _kept_ and *"


def test_plain_leaves_names_and_code_as_they_are() -> None:
    # Underscores inside words mark nothing; inside a code span nothing is markup.
    assert plain("HTTPCode_ELB_5XX notes/devops_pro.md 3行目") == "HTTPCode_ELB_5XX notes/devops_pro.md 3行目"
    assert plain("``a_b*c*`` and `**x**`, 5 * 3 * 2") == "a_b*c* and **x**, 5 * 3 * 2"
    assert plain("**`/dop quiz`** で始めましょう") == "/dop quiz で始めましょう"


def test_links_are_masked_links_that_cannot_break_out() -> None:
    links = (Link("ELB [docs] (x)", "https://docs.aws.amazon.com/a_(b)"),)
    embed = render(Reply(body="x", links=links)).embed
    value = embed.fields[-1].value
    assert value.startswith("[ELB (docs) (x)](https://docs.aws.amazon.com/a_%28b%29)")


def test_huge_replies_stay_within_every_limit_and_keep_the_start() -> None:
    body = "\n".join(f"line {i} " + "あ" * 60 for i in range(400))  # about 26,000 characters
    fields = tuple(Field(f"field {i}", "い" * 3000) for i in range(40))
    embed = render(Reply(body=body, title="t" * 500, fields=fields, footer="f" * 5000)).embed
    assert len(embed) <= TOTAL_LIMIT
    assert embed.title is not None and len(embed.title) <= 256
    assert embed.description is not None and len(embed.description) <= DESCRIPTION_LIMIT
    assert embed.description.startswith("line 0 ")
    assert len(embed.fields) <= FIELDS_LIMIT
    assert all(len(f.value or "") <= FIELD_VALUE_LIMIT for f in embed.fields)


def test_chunks_lose_nothing() -> None:
    text = "short\n" + "x" * 2500 + "\n\nend"
    pieces = chunks(text, 1000)
    assert all(len(p) <= 1000 for p in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")


async def test_choices_become_dynamic_buttons_and_long_ones_are_listed_in_full() -> None:
    long = "とても長い選択肢" * 20
    reply = Reply(body="Q", choices=(Choice("短い", "daily:7:0:abc123"), Choice(long, "daily:7:1:abc123")))
    rendered = render(reply)
    buttons = _buttons(rendered.view)
    assert [b["custom_id"] for b in buttons] == ["dop:c:daily:7:0:abc123", "dop:c:daily:7:1:abc123"]
    assert all(len(str(b["label"])) <= LABEL_LIMIT for b in buttons)
    assert rendered.embed.description is not None and long in rendered.embed.description
    match = ChoiceButton.__discord_ui_compiled_template__.fullmatch(str(buttons[1]["custom_id"]))
    assert match is not None and match["value"] == "daily:7:1:abc123"
    # the view is stopped so discord.py does not keep it; the dynamic item classes answer clicks
    assert rendered.view is not None and rendered.view.is_finished()


def test_short_choices_are_not_repeated_in_the_text() -> None:
    embed = render(
        Reply(body="Q", choices=(Choice("A", "practice:q1:0"), Choice("B", "practice:q1:1")))
    ).embed
    assert embed.description == "Q"


def test_share_button_only_when_asked_for() -> None:
    reply = Reply(body="passage", note_id="0123456789ab")
    assert render(reply).view is None
    buttons = _buttons(render(reply, share_label="チャンネルに共有").view)
    assert buttons[0]["custom_id"] == "dop:s:0123456789ab"
    assert ShareButton.__discord_ui_compiled_template__.fullmatch("dop:s:0123456789ab")


def test_a_chart_is_attached_and_shown_in_the_embed() -> None:
    reply = Reply(body="report", attachment=Attachment("week.png", b"\x89PNG...", "image/png"))
    rendered = render(reply)
    assert rendered.file is not None and rendered.file.filename == "week.png"
    assert rendered.embed.image.url == "attachment://week.png"
    assert rendered.send_kwargs()["allowed_mentions"].to_dict() == {"parse": []}


def test_tokens_are_masked_in_discord_log_lines() -> None:
    from adapters.redact import redact

    line = (
        "POST https://discord.com/api/v10/interactions/123/aW50ZXJhY3Rpb24.tok-en_9/callback has returned 204"
    )
    assert redact(line) == "POST https://discord.com/api/v10/interactions/123/***/callback has returned 204"
    assert "s3cr3t" not in redact("""{'t': 'INTERACTION_CREATE', 'd': {'token': 's3cr3t', 'id': '1'}}""")
    assert "s3cr3t" not in redact('{"token": "s3cr3t"}')
    assert redact("/webhooks/42/abc.def/messages/@original") == "/webhooks/42/***/messages/@original"

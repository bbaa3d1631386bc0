"""Every lookup result says whose words it is: the team's notes or dop-bot's supplement (issue 13)."""

from __future__ import annotations

import pytest

from bot.i18n import LOCALES, Messages
from bot.notes.origin import Origin, origin_of
from bot.search import SearchEngine
from bot.usecases.lookup import ask_reply, share_reply

TEAM = "content/notes/dop.md"
SUPPLEMENT = "content/notes/dop.supplement.md"


@pytest.mark.parametrize(
    ("source", "origin"),
    [
        (TEAM, Origin.TEAM),
        (SUPPLEMENT, Origin.SUPPLEMENT),
        ("dop.supplement.md", Origin.SUPPLEMENT),
        ("notes/devops_pro.supplement.md", Origin.SUPPLEMENT),
        ("notes/devops_pro.md", Origin.TEAM),
        ("content/notes/supplement.md", Origin.TEAM),  # a deck named 'supplement' is still a team's
        ("content/supplement.md/dop.md", Origin.TEAM),  # only the file name counts
        ("content\\notes\\dop.supplement.md", Origin.SUPPLEMENT),
    ],
)
def test_a_file_named_deck_dot_supplement_is_the_projects_supplement(source: str, origin: Origin) -> None:
    assert origin_of(source) is origin


@pytest.mark.parametrize("locale", LOCALES)
def test_every_origin_has_a_label_in_every_locale(locale: str) -> None:
    labels = {Messages(locale)(f"origin.{origin}") for origin in Origin}
    assert len(labels) == len(Origin) and all(labels)


def _answer(engine: SearchEngine, query: str, source: str, locale: str = "ja"):  # type: ignore[no-untyped-def]
    outcome = engine.search(query)
    assert outcome.hits and outcome.hits[0].source == source, (query, outcome.hits[:1])
    return outcome.hits[0], ask_reply(engine, Messages(locale), query)


def test_the_footer_names_the_teams_notes(engine: SearchEngine) -> None:
    hit, reply = _answer(engine, "elb 503", TEAM)
    assert reply.footer == f"チームのノート: {TEAM} {hit.line}行目"
    _, english = _answer(engine, "elb 503", TEAM, "en")
    assert english.footer == f"Your team's notes: {TEAM} line {hit.line}"


def test_the_footer_names_the_supplement(engine: SearchEngine) -> None:
    hit, reply = _answer(engine, "cdk synth", SUPPLEMENT)
    assert reply.footer == f"dop-bot 補足: {SUPPLEMENT} {hit.line}行目"
    _, english = _answer(engine, "cdk synth", SUPPLEMENT, "en")
    assert english.footer == f"dop-bot supplement: {SUPPLEMENT} line {hit.line}"


def test_other_candidates_say_whose_words_they_are(engine: SearchEngine) -> None:
    outcome = engine.search("codedeploy rollback")
    shown = outcome.hits[1:3]
    assert {h.source for h in outcome.hits[:3]} == {TEAM, SUPPLEMENT}, [h.source for h in outcome.hits]
    reply = ask_reply(engine, Messages("ja"), "codedeploy rollback")
    others = next(f.value for f in reply.fields if f.name == "ほかの候補").splitlines()
    labels = {TEAM: "（チームのノート）", SUPPLEMENT: "（dop-bot 補足）"}
    assert [line[line.rindex("（") :] for line in others] == [labels[h.source] for h in shown]
    assert reply.footer is not None and reply.footer.startswith(labels[outcome.hits[0].source][1:-1])


def test_a_shared_passage_keeps_its_origin(engine: SearchEngine) -> None:
    hit, _ = _answer(engine, "cdk synth", SUPPLEMENT)
    shared = share_reply(engine, Messages("en"), hit.node_id)
    assert shared is not None and shared.footer is not None
    assert shared.footer.startswith("dop-bot supplement: ")

"""content/errata.yaml: the project's corrections to the team's notes, which stay as written.

Keyed by note id. Lookups show a corrected bullet with a ⚠ line; questions use the `fixed` text, or
leave the bullet (and everything under a retired heading) out. `was` is the bullet's text when the
erratum was written, so a check can say which bullets the team has edited since."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from pathlib import Path

import yaml

from bot.notes.model import Deck, Diagnostic, Node
from bot.yaml_data import load_yaml

KINDS = ("wrong", "outdated", "retired")
_SAME_BULLET = 0.6  # text similarity above which an edited bullet is taken for the one an erratum named


@dataclass(frozen=True)
class Erratum:
    note_id: str
    kind: str
    was: str
    ja: str
    source: str
    en: str = ""
    fixed: str = ""
    unverified: bool = False

    def correction(self, locale: str) -> str:
        return self.en if locale == "en" and self.en else self.ja


Errata = Mapping[str, Erratum]


def load_errata(
    path: Path, decks: Iterable[Deck], source: str | None = None
) -> tuple[dict[str, Erratum], list[Diagnostic]]:
    """Every well-formed erratum for a note that exists. An id no deck has is an error; a bullet whose
    text changed since its erratum was written is a warning (the correction may no longer apply)."""
    where = source or str(path)
    if not path.exists():
        return {}, []
    try:
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        return {}, [Diagnostic(where, 0, "error", f"not valid YAML: {exc}")]
    if not isinstance(data, dict):
        return {}, [Diagnostic(where, 0, "error", "expected a mapping of note id → erratum")]
    nodes = {node_id: deck[node_id] for deck in decks for node_id in deck.nodes}
    found: dict[str, Erratum] = {}
    problems: list[Diagnostic] = []
    for key, entry in data.items():
        note_id = str(key)
        if not isinstance(entry, dict):
            problems.append(Diagnostic(where, 0, "error", f"{note_id}: expected a mapping"))
            continue
        missing = [f for f in ("kind", "was", "ja", "source") if not str(entry.get(f) or "").strip()]
        if missing or entry.get("kind") not in KINDS:
            problems.append(
                Diagnostic(
                    where, 0, "error", f"{note_id}: needs kind ({'/'.join(KINDS)}), was, ja and source"
                )
            )
            continue
        if not str(entry["source"]).startswith("https://"):
            problems.append(Diagnostic(where, 0, "error", f"{note_id}: source must be an https link"))
            continue
        node = nodes.get(note_id)
        if node is None:
            problems.append(
                Diagnostic(where, 0, "error", f"{note_id}: no such note (erratum for a removed bullet)")
            )
            successor = _likely_successor(str(entry["was"]), nodes.values())
            if successor is not None:
                message = (
                    f"bullet changed since its erratum {note_id} was written (now {successor.id});"
                    " review content/errata.yaml"
                )
                problems.append(Diagnostic(successor.source, successor.line, "warning", message))
            continue
        if node.text != str(entry["was"]).strip():
            problems.append(
                Diagnostic(
                    node.source,
                    node.line,
                    "warning",
                    f"bullet changed since its erratum {note_id} was written; review content/errata.yaml",
                )
            )
        found[note_id] = Erratum(
            note_id=note_id,
            kind=str(entry["kind"]),
            was=str(entry["was"]).strip(),
            ja=str(entry["ja"]).strip(),
            source=str(entry["source"]).strip(),
            en=str(entry.get("en") or "").strip(),
            fixed=str(entry.get("fixed") or "").strip(),
            unverified=bool(entry.get("unverified", False)),
        )
    return found, problems


def _likely_successor(was: str, nodes: Iterable[Node]) -> Node | None:
    """The bullet an edit most likely turned `was` into: ids hash the text, so an edited bullet has a
    new id, and only its text is left to recognise it by."""
    best, best_ratio = None, _SAME_BULLET
    for node in nodes:
        matcher = SequenceMatcher(None, was, node.text, autojunk=False)
        if matcher.real_quick_ratio() > best_ratio and matcher.quick_ratio() > best_ratio:
            ratio = matcher.ratio()
            if ratio > best_ratio:
                best, best_ratio = node, ratio
    return best


def corrected(decks: Iterable[Deck], errata: Errata) -> tuple[tuple[Deck, ...], frozenset[str]]:
    """The decks as questions should see them: a bullet with a `fixed` text reads that text (its id
    unchanged); and the ids of bullets that must not be asked about: those with an erratum and no
    fix, and everything under a retired bullet or heading that has no fix."""
    out: list[Deck] = []
    left_out: set[str] = set()
    for deck in decks:
        nodes = dict(deck.nodes)
        for note_id, erratum in errata.items():
            if note_id not in nodes:
                continue
            if erratum.fixed:
                nodes[note_id] = replace(nodes[note_id], text=erratum.fixed)
            elif erratum.kind == "retired":
                left_out.add(note_id)
                left_out.update(n.id for n in deck.descendants(note_id))
            else:
                left_out.add(note_id)
        out.append(replace(deck, nodes=nodes))
    return tuple(out), frozenset(left_out)

"""Aliases and the bilingual glossary (content/aliases.yaml): how people name services and terms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.notes.model import Diagnostic
from bot.search.text import normalize
from bot.yaml_data import load_yaml

_PARENTHESISED = re.compile(r"\(([^)]*)\)")
_VENDOR_PREFIX = re.compile(r"^(amazon|aws)\s+")


@dataclass(frozen=True)
class Glossary:
    """Normalised lookup tables built from aliases.yaml.

    `service_aliases` maps an alias to the normalised headings it names; `terms` maps a surface
    form to the index of its synonym group in `groups`.
    """

    service_aliases: dict[str, frozenset[str]] = field(default_factory=dict)
    groups: tuple[tuple[str, ...], ...] = ()
    terms: dict[str, int] = field(default_factory=dict)
    stopwords_en: frozenset[str] = frozenset()
    stopwords_ja: tuple[str, ...] = ()

    def aliases_by_heading(self) -> dict[str, frozenset[str]]:
        """Each normalised heading → every alias that names it."""
        found: dict[str, set[str]] = {}
        for alias, headings in self.service_aliases.items():
            for heading in headings:
                found.setdefault(heading, set()).add(alias)
        return {heading: frozenset(aliases) for heading, aliases in found.items()}

    def with_headings(self, headings: list[str]) -> Glossary:
        """Add the aliases every heading implies: its full name, without vendor prefix, its (ABBR)."""
        aliases = {k: set(v) for k, v in self.service_aliases.items()}
        for heading in headings:
            for alias in heading_aliases(heading):
                aliases.setdefault(alias, set()).add(normalize(heading))
        return Glossary(
            service_aliases={k: frozenset(v) for k, v in aliases.items()},
            groups=self.groups,
            terms=self.terms,
            stopwords_en=self.stopwords_en,
            stopwords_ja=self.stopwords_ja,
        )


def heading_aliases(heading: str) -> set[str]:
    """'Amazon Elastic Compute Cloud (Amazon EC2)' → the full name, 'elastic compute cloud', 'ec2'…"""
    name = normalize(heading).strip()
    outer = _PARENTHESISED.sub("", name).strip()
    found = {name, outer, _VENDOR_PREFIX.sub("", outer)}
    for inner in _PARENTHESISED.findall(name):
        found.add(inner.strip())
        found.add(_VENDOR_PREFIX.sub("", inner.strip()))
    return {a for a in found if a}


def parse_glossary(data: object, source: str) -> tuple[Glossary, list[Diagnostic]]:
    """Validate the YAML structure; problems are diagnostics, never exceptions."""
    problems: list[Diagnostic] = []

    def error(message: str) -> None:
        problems.append(Diagnostic(source, 0, "error", message))

    if data is None:
        return Glossary(), problems
    if not isinstance(data, dict):
        error("expected a mapping with 'services', 'terms' and 'stopwords'")
        return Glossary(), problems
    unknown = set(data) - {"services", "terms", "stopwords"}
    if unknown:
        error(f"unknown keys: {', '.join(sorted(map(str, unknown)))}")

    def listing(key: str) -> list[Any]:
        value = data.get(key) or []
        if not isinstance(value, list):
            error(f"{key}: expected a list")
            return []
        return value

    aliases: dict[str, set[str]] = {}
    for i, entry in enumerate(listing("services")):
        if not isinstance(entry, dict) or not isinstance(entry.get("heading"), str):
            error(f"services[{i}]: needs a 'heading' string and an 'aliases' list")
            continue
        heading = normalize(entry["heading"])
        for alias in entry.get("aliases") or []:
            if not isinstance(alias, str) or not alias.strip():
                error(f"services[{i}] ({entry['heading']}): aliases must be non-empty strings")
                continue
            aliases.setdefault(normalize(alias).strip(), set()).add(heading)

    groups: list[tuple[str, ...]] = []
    terms: dict[str, int] = {}
    for i, group in enumerate(listing("terms")):
        if not isinstance(group, list) or not all(isinstance(t, str) and t.strip() for t in group):
            error(f"terms[{i}]: each group is a list of non-empty strings")
            continue
        forms = tuple(dict.fromkeys(normalize(t).strip() for t in group))
        if len(forms) < 2:
            error(f"terms[{i}]: a group needs at least two different forms: {group}")
            continue
        for form in forms:
            # A form in two groups would make its meaning ambiguous; the first group wins.
            terms.setdefault(form, len(groups))
        groups.append(forms)

    stop = data.get("stopwords") or {}
    if not isinstance(stop, dict):
        error("stopwords: expected a mapping with 'en' and 'ja' lists")
        stop = {}
    glossary = Glossary(
        service_aliases={k: frozenset(v) for k, v in aliases.items()},
        groups=tuple(groups),
        terms=terms,
        stopwords_en=frozenset(normalize(str(w)) for w in _strings(stop.get("en"))),
        # Longest first, so 'ですか' is removed before 'か' could be.
        stopwords_ja=tuple(sorted({normalize(w) for w in _strings(stop.get("ja"))}, key=len, reverse=True)),
    )
    return glossary, problems


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def load_glossary(path: Path, source: str | None = None) -> tuple[Glossary, list[Diagnostic]]:
    """Read aliases.yaml; a missing file means no aliases (search still works, less well)."""
    source = source or str(path)
    if not path.exists():
        return Glossary(), [Diagnostic(source, 0, "warning", "no aliases file: English queries will miss")]
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", -1) + 1
        return Glossary(), [Diagnostic(source, line, "error", f"not valid YAML: {exc}")]
    return parse_glossary(data, source)

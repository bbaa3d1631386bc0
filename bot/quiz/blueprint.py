"""content/exam.yaml: the DOP-C02 exam as data — its format, its six weighted domains, and rules that tag
every note topic with domains (primary first) or mark it off the exam. Questions inherit their topic's
tags; off-exam questions stay for practice but are never the daily question and never count toward
readiness."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.notes.model import Deck, Diagnostic, NodeKind
from bot.yaml_data import load_yaml

OFF_EXAM_REASONS = ("retired", "trivia", "out_of_scope")


@dataclass(frozen=True)
class Task:
    id: str
    ja: str
    en: str


@dataclass(frozen=True)
class Domain:
    code: str
    weight: int  # percent of the scored questions
    name_ja: str
    name_en: str
    tasks: tuple[Task, ...] = ()

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_ja


@dataclass(frozen=True)
class Tags:
    """Where a topic sits on the exam: its domains (primary first), or why it is off the exam."""

    domains: tuple[str, ...] = ()
    off_exam: str | None = None

    @property
    def on_exam(self) -> bool:
        return self.off_exam is None and bool(self.domains)


@dataclass(frozen=True)
class Rule:
    service: str
    topic: str | None
    tags: Tags
    line: int


@dataclass(frozen=True)
class ExamFormat:
    code: str = "DOP-C02"
    questions: int = 75
    scored: int = 65
    minutes: int = 180
    pass_score: int = 750
    score_range: tuple[int, int] = (100, 1000)
    guide: str = ""


@dataclass(frozen=True)
class Blueprint:
    exam: ExamFormat = field(default_factory=ExamFormat)
    domains: tuple[Domain, ...] = ()
    rules: tuple[Rule, ...] = ()
    _by_key: Mapping[tuple[str, str | None], Tags] = field(default_factory=dict, repr=False)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(d.code for d in self.domains)

    def domain(self, code: str) -> Domain | None:
        return next((d for d in self.domains if d.code == code), None)

    def weights(self) -> dict[str, float]:
        """Each domain's share of the exam, summing to 1."""
        total = sum(d.weight for d in self.domains) or 1
        return {d.code: d.weight / total for d in self.domains}

    def tags_of(self, service: str, topic: str | None) -> Tags:
        """The topic's own rule, else its service's, else no tags (an untagged topic)."""
        if topic is not None and (service, topic) in self._by_key:
            return self._by_key[(service, topic)]
        return self._by_key.get((service, None), Tags())


def topic_of(deck: Deck, node_id: str) -> tuple[str, str | None]:
    """(service heading, top-level topic label) of a note; the topic is None for a service itself."""
    chain = [*deck.ancestors(node_id), deck[node_id]]
    service = next((n for n in chain if n.kind is NodeKind.SERVICE), None)
    if service is None:
        return "", None
    below = chain[chain.index(service) + 1 :]
    return service.text, below[0].text if below else None


def load_blueprint(path: Path, source: str | None = None) -> tuple[Blueprint, list[Diagnostic]]:
    """A missing file gives an empty blueprint (no exam framing); a malformed one is reported, not raised."""
    where = source or str(path)
    if not path.exists():
        return Blueprint(), []
    try:
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        return Blueprint(), [Diagnostic(where, 0, "error", f"not valid YAML: {exc}")]
    if not isinstance(data, dict):
        return Blueprint(), [Diagnostic(where, 0, "error", "expected a mapping with exam, domains and rules")]
    problems: list[Diagnostic] = []

    def error(message: str, line: int = 0) -> None:
        problems.append(Diagnostic(where, line, "error", message))

    exam = _exam(data.get("exam") or {}, error)
    domains = _domains(data.get("domains") or [], error)
    codes = {d.code for d in domains}
    if domains and sum(d.weight for d in domains) != 100:
        error(f"domain weights add up to {sum(d.weight for d in domains)}, not 100")
    rules = _rules(data.get("rules") or [], codes, error)
    by_key: dict[tuple[str, str | None], Tags] = {}
    for rule in rules:
        key = (rule.service, rule.topic)
        if key in by_key:
            error(f"a second rule for {' › '.join(k for k in key if k)}", rule.line)
        by_key[key] = rule.tags
    return Blueprint(exam, tuple(domains), tuple(rules), by_key), problems


def _exam(raw: Any, error: Any) -> ExamFormat:
    if not isinstance(raw, dict):
        error("exam: expected a mapping")
        return ExamFormat()
    defaults = ExamFormat()
    values: dict[str, Any] = {}
    for key in ("questions", "scored", "minutes", "pass_score"):
        value = raw.get(key, getattr(defaults, key))
        if not isinstance(value, int) or value <= 0:
            error(f"exam.{key}: expected a positive whole number")
            value = getattr(defaults, key)
        values[key] = value
    span = raw.get("score_range", list(defaults.score_range))
    if not (isinstance(span, list) and len(span) == 2 and all(isinstance(v, int) for v in span)):
        error("exam.score_range: expected [lowest, highest]")
        span = list(defaults.score_range)
    return ExamFormat(
        code=str(raw.get("code", defaults.code)),
        score_range=(span[0], span[1]),
        guide=str(raw.get("guide", "")),
        **values,
    )


def _domains(raw: Any, error: Any) -> list[Domain]:
    found: list[Domain] = []
    if not isinstance(raw, list):
        error("domains: expected a list")
        return found
    for i, item in enumerate(raw):
        name = item.get("name") if isinstance(item, dict) else None
        if not (
            isinstance(item, dict)
            and isinstance(item.get("code"), str)
            and isinstance(item.get("weight"), int)
            and isinstance(name, dict)
            and isinstance(name.get("ja"), str)
            and isinstance(name.get("en"), str)
        ):
            error(f"domains[{i}]: needs code, weight (percent) and name {{ja, en}}")
            continue
        tasks = tuple(
            Task(str(t.get("id", "")), str(t.get("ja", "")), str(t.get("en", "")))
            for t in item.get("tasks") or []
            if isinstance(t, dict)
        )
        found.append(Domain(item["code"], item["weight"], name["ja"], name["en"], tasks))
    return found


def _rules(raw: Any, codes: set[str], error: Any) -> list[Rule]:
    found: list[Rule] = []
    if not isinstance(raw, list):
        error("rules: expected a list")
        return found
    for i, item in enumerate(raw):
        where = f"rules[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("service"), str):
            error(f"{where}: needs a service")
            continue
        topic = item.get("topic")
        domains = item.get("domains") or []
        off = item.get("off_exam")
        if topic is not None and not isinstance(topic, str):
            error(f"{where}: topic must be text")
            continue
        if off is not None and off not in OFF_EXAM_REASONS:
            error(f"{where}: off_exam must be one of {', '.join(OFF_EXAM_REASONS)}")
            continue
        if off is None and not domains:
            error(f"{where}: give domains or off_exam")
            continue
        unknown = [d for d in domains if d not in codes]
        if not isinstance(domains, list) or unknown:
            error(f"{where}: unknown domain {', '.join(map(str, unknown))}")
            continue
        found.append(Rule(item["service"], topic, Tags(tuple(domains), off), i))
    return found


def rule_problems(blueprint: Blueprint, decks: Iterable[Deck], source: str) -> list[Diagnostic]:
    """Rules that name a service or a topic no deck has: a typo there would silently untag questions."""
    topics: set[tuple[str, str | None]] = set()
    for deck in decks:
        for service in deck.services():
            topics.add((service.text, None))
            topics.update((service.text, deck[c].text) for c in service.children)
    return [
        Diagnostic(
            source,
            0,
            "error",
            f"rule {rule.line}: no topic '{' › '.join(p for p in (rule.service, rule.topic) if p)}'",
        )
        for rule in blueprint.rules
        if (rule.service, rule.topic) not in topics
    ]

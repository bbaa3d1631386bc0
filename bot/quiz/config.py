"""content/quiz.yaml: the facts about the notes that question generation needs, and the resolutions of
reported questions (keep it in rotation, or drop it from the bank)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.notes.model import Diagnostic
from bot.yaml_data import load_yaml

RESOLUTION_ACTIONS = ("keep", "drop")


@dataclass(frozen=True)
class Resolution:
    """What was decided about a reported question: `keep` (reports made before it no longer count) or
    `drop` (the question leaves the bank), and why."""

    question: str
    action: str
    reason: str


@dataclass(frozen=True)
class QuizConfig:
    confusable: tuple[tuple[str, ...], ...] = ()
    generic_labels: frozenset[str] = frozenset()
    not_features: frozenset[str] = frozenset()
    # note id → the values that are valid settings of what the note's number sets (never wrong choices)
    valid_values: dict[str, frozenset[float]] = field(default_factory=dict)
    resolutions: tuple[Resolution, ...] = ()

    @property
    def dropped_questions(self) -> frozenset[str]:
        """Ids a `drop` resolution takes out of the bank."""
        return frozenset(r.question for r in self.resolutions if r.action == "drop")

    @property
    def headings_seen(self) -> frozenset[str]:
        """Every heading the file names (content checks warn about those that are not headings)."""
        return frozenset(h for group in self.confusable for h in group)

    def confusable_with(self, heading: str) -> list[str]:
        """Services mixed up with `heading`, in file order, without repeats."""
        found: dict[str, None] = {}
        for group in self.confusable:
            if heading in group:
                found.update((h, None) for h in group if h != heading)
        return list(found)


def load_quiz_config(path: Path, source: str | None = None) -> tuple[QuizConfig, list[Diagnostic]]:
    """A missing file is fine (no extra knowledge); a malformed one is reported, not raised."""
    where = source or str(path)
    if not path.exists():
        return QuizConfig(), []
    try:
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        return QuizConfig(), [Diagnostic(where, 0, "error", f"not valid YAML: {exc}")]
    problems: list[Diagnostic] = []
    if not isinstance(data, dict):
        return QuizConfig(), [Diagnostic(where, 0, "error", "expected a mapping")]

    def strings(key: str) -> list[str]:
        value = data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(Diagnostic(where, 0, "error", f"{key}: expected a list of strings"))
            return []
        return list(value)

    groups: list[tuple[str, ...]] = []
    for i, group in enumerate(data.get("confusable") or []):
        if not isinstance(group, list) or len(group) < 2 or not all(isinstance(g, str) for g in group):
            problems.append(Diagnostic(where, 0, "error", f"confusable[{i}]: a list of two or more headings"))
            continue
        groups.append(tuple(group))
    valid: dict[str, frozenset[float]] = {}
    for note_id, entry in (data.get("valid_values") or {}).items():
        values = entry.get("values") if isinstance(entry, dict) else None
        if not isinstance(values, list) or not all(isinstance(v, int | float) for v in values):
            problems.append(Diagnostic(where, 0, "error", f"valid_values.{note_id}: needs a list of numbers"))
            continue
        if not str((entry or {}).get("source", "")).startswith("https://"):
            problems.append(Diagnostic(where, 0, "error", f"valid_values.{note_id}: needs a source link"))
        valid[str(note_id)] = frozenset(float(v) for v in values)
    config = QuizConfig(
        confusable=tuple(groups),
        generic_labels=frozenset(strings("generic_labels")),
        not_features=frozenset(strings("not_features")),
        valid_values=valid,
        resolutions=_resolutions(data.get("resolutions"), where, problems),
    )
    return config, problems


def _resolutions(entries: object, where: str, problems: list[Diagnostic]) -> tuple[Resolution, ...]:
    """`resolutions:` — each a question id, a known action and a reason; one per question."""
    if entries is None:
        return ()
    if not isinstance(entries, list):
        problems.append(Diagnostic(where, 0, "error", "resolutions: expected a list"))
        return ()
    found: dict[str, Resolution] = {}
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            problems.append(Diagnostic(where, 0, "error", f"resolutions[{i}]: expected a mapping"))
            continue
        question, action, reason = (entry.get(k) for k in ("question", "action", "reason"))
        label = f"resolutions[{i}] ({question})" if isinstance(question, str) else f"resolutions[{i}]"
        unknown = sorted(set(map(str, entry)) - {"question", "action", "reason"})
        if unknown:
            problems.append(Diagnostic(where, 0, "error", f"{label}: unknown fields {unknown}"))
        if not isinstance(question, str) or not question.strip():
            problems.append(Diagnostic(where, 0, "error", f"{label}: needs the question id"))
            continue
        if action not in RESOLUTION_ACTIONS:
            message = f"{label}: action must be one of {', '.join(RESOLUTION_ACTIONS)}, not {action!r}"
            problems.append(Diagnostic(where, 0, "error", message))
            continue
        if not isinstance(reason, str) or not reason.strip():
            problems.append(Diagnostic(where, 0, "error", f"{label}: needs a reason"))
            continue
        if question.strip() in found:
            problems.append(Diagnostic(where, 0, "error", f"{label}: the question is resolved twice"))
            continue
        found[question.strip()] = Resolution(question.strip(), str(action), reason.strip())
    return tuple(found.values())

"""content/quiz.yaml: the facts about the notes that question generation needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.notes.model import Diagnostic
from bot.yaml_data import load_yaml


@dataclass(frozen=True)
class QuizConfig:
    confusable: tuple[tuple[str, ...], ...] = ()
    generic_labels: frozenset[str] = frozenset()
    not_features: frozenset[str] = frozenset()
    # note id → the values that are valid settings of what the note's number sets (never wrong choices)
    valid_values: dict[str, frozenset[float]] = field(default_factory=dict)

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
    )
    return config, problems

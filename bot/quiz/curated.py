"""Curated exam-style questions from content/questions/*.yaml, checked against the notes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.notes.model import Deck, Diagnostic, Node
from bot.quiz.text import same_choice_key
from bot.yaml_data import SafeLoader

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{2,59}$")
_FIELDS = {"id", "prompt", "choices", "answer", "explanation", "notes"}
_OPTIONAL = {"domains"}  # exam domains, primary first; otherwise those of the first cited note's topic


@dataclass(frozen=True)
class CuratedQuestion:
    id: str
    prompt: str
    choices: tuple[str, ...]
    answer: int
    explanation: str
    notes: tuple[Node, ...]
    deck: Deck
    domains: tuple[str, ...] = ()


def question_files(content_dir: Path) -> list[Path]:
    return sorted((content_dir / "questions").glob("*.y*ml"))


def load_curated(
    paths: list[Path], decks: tuple[Deck, ...], display: dict[Path, str] | None = None
) -> tuple[list[CuratedQuestion], list[Diagnostic]]:
    """Every question that passes; each problem as a diagnostic. Unknown or duplicate ids are errors."""
    nodes = {node_id: (deck, deck[node_id]) for deck in decks for node_id in deck.nodes}
    loaded: list[CuratedQuestion] = []
    problems: list[Diagnostic] = []
    seen: set[str] = set()
    for path in paths:
        source = (display or {}).get(path, str(path))
        try:
            text = path.read_text(encoding="utf-8")
            data, items = _parse(text)
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Diagnostic(source, 0, "error", f"cannot read: {exc}"))
            continue
        except yaml.YAMLError as exc:
            line = getattr(getattr(exc, "problem_mark", None), "line", -1) + 1
            problems.append(Diagnostic(source, line, "error", f"not valid YAML: {exc}"))
            continue
        if not isinstance(items, list):
            problems.append(Diagnostic(source, 1, "error", "expected a list of questions"))
            continue
        lines = [n.start_mark.line + 1 for n in data.value] if data is not None else []
        for item, line in zip(items, lines, strict=False):
            question = _check(item, line, source, nodes, seen, problems)
            if question is not None:
                loaded.append(question)
    return loaded, problems


def _parse(text: str) -> tuple[yaml.Node | None, Any]:
    """The document's node tree (nodes carry line numbers) and the data built from it, parsed once."""
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _check(
    item: Any,
    line: int,
    source: str,
    nodes: dict[str, tuple[Deck, Node]],
    seen: set[str],
    problems: list[Diagnostic],
) -> CuratedQuestion | None:
    def error(message: str) -> None:
        problems.append(Diagnostic(source, line, "error", message))

    if not isinstance(item, dict):
        error("a question must be a mapping")
        return None
    qid = str(item.get("id", ""))
    label = f"question '{qid}'" if qid else "question"
    missing = _FIELDS - set(item)
    if missing:
        error(f"{label}: missing {', '.join(sorted(missing))}")
        return None
    if set(item) - _FIELDS - _OPTIONAL:
        error(f"{label}: unknown fields {', '.join(sorted(set(item) - _FIELDS - _OPTIONAL))}")
    if not _ID.match(qid):
        error(f"{label}: id must be 3-60 characters of a-z, 0-9 and '-'")
        return None
    if qid in seen:
        error(f"{label}: duplicate id")
        return None
    seen.add(qid)
    choices = item["choices"]
    if (
        not isinstance(choices, list)
        or not 3 <= len(choices) <= 5
        or not all(isinstance(c, str) for c in choices)
    ):
        error(f"{label}: choices must be a list of 3 to 5 strings")
        return None
    if len({same_choice_key(c) for c in choices}) != len(choices):
        error(f"{label}: two choices are the same")
        return None
    answer = item["answer"]
    if not isinstance(answer, int) or isinstance(answer, bool) or not 0 <= answer < len(choices):
        error(f"{label}: answer must be a choice index from 0 to {len(choices) - 1}")
        return None
    cited = item["notes"]
    if not isinstance(cited, list) or not cited:
        error(f"{label}: notes must list the ids of the notes that justify the answer")
        return None
    unknown = [str(c) for c in cited if str(c) not in nodes]
    if unknown:
        error(f"{label}: unknown note ids {', '.join(unknown)}")
        return None
    cited_nodes = tuple(nodes[str(c)][1] for c in cited)
    if not all(n.is_fact for n in cited_nodes):
        error(f"{label}: notes must cite facts, not references or WIP placeholders")
        return None
    for field in ("prompt", "explanation"):
        if not isinstance(item[field], str) or not item[field].strip():
            error(f"{label}: {field} must be text")
            return None
    domains = item.get("domains") or []
    if not isinstance(domains, list) or not all(isinstance(d, str) for d in domains):
        error(f"{label}: domains must be a list of domain codes")
        return None
    return CuratedQuestion(
        id=qid,
        prompt=item["prompt"].strip(),
        choices=tuple(c.strip() for c in choices),
        answer=answer,
        explanation=item["explanation"].strip(),
        notes=cited_nodes,
        deck=nodes[str(cited[0])][0],
        domains=tuple(domains),
    )

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
# domains: exam domains, primary first (otherwise those of the first cited note's topic);
# choice_explanations: one or two sentences per choice on why it is right or wrong.
_OPTIONAL = {"domains", "choice_explanations"}
MIN_CHOICES, MAX_CHOICES = 4, 8
MIN_MULTIPLE_CHOICES = 5  # the exam's multiple response: two or more right out of five or more


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
    answers: tuple[int, ...] = ()  # every right choice, ascending (more than one: multiple response)
    choice_explanations: tuple[str, ...] = ()


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
        or not MIN_CHOICES <= len(choices) <= MAX_CHOICES
        or not all(isinstance(c, str) and c.strip() for c in choices)
    ):
        error(f"{label}: choices must be a list of {MIN_CHOICES} to {MAX_CHOICES} texts")
        return None
    if len({same_choice_key(c) for c in choices}) != len(choices):
        error(f"{label}: two choices are the same")
        return None
    answers = _answers(item["answer"], len(choices))
    if answers is None:
        error(
            f"{label}: answer must be a choice index from 0 to {len(choices) - 1},"
            " or a list of two or more different ones"
        )
        return None
    if len(answers) > 1 and len(choices) < MIN_MULTIPLE_CHOICES:
        error(f"{label}: a multiple-response question needs at least {MIN_MULTIPLE_CHOICES} choices")
        return None
    explained = item.get("choice_explanations")
    if explained is not None and (
        not isinstance(explained, list)
        or len(explained) != len(choices)
        or not all(isinstance(e, str) and e.strip() for e in explained)
    ):
        error(f"{label}: choice_explanations must hold one text per choice ({len(choices)})")
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
        answer=answers[0],
        explanation=item["explanation"].strip(),
        notes=cited_nodes,
        deck=nodes[str(cited[0])][0],
        domains=tuple(domains),
        answers=answers,
        choice_explanations=tuple(e.strip() for e in explained or ()),
    )


def _answers(raw: Any, count: int) -> tuple[int, ...] | None:
    """`answer: 2` or `answer: [1, 3]` as ascending indices, or None when it is not a valid one."""
    values = raw if isinstance(raw, list) else [raw]
    if not values or not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return None
    if len(set(values)) != len(values) or not all(0 <= v < count for v in values):
        return None
    if isinstance(raw, list) and len(values) == 1:
        return None  # a list means multiple response; one right choice is written as a number
    return tuple(sorted(values))

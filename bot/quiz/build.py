"""Build the question bank: generated questions from the notes plus curated ones, checked, shuffled,
capped per list and tagged with exam domains."""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace

from bot.notes.errata import Errata, corrected
from bot.notes.model import Deck, NodeKind
from bot.quiz.bank import QuestionBank
from bot.quiz.blueprint import Blueprint, topic_of
from bot.quiz.config import QuizConfig
from bot.quiz.curated import CuratedQuestion
from bot.quiz.drafts import Draft, NotesView
from bot.quiz.generators import GENERATORS
from bot.quiz.model import Question, QuestionKind, Source
from bot.quiz.tells import gives_away, repeats
from bot.quiz.text import contains, same_choice_key
from bot.quiz.validate import question_problems
from bot.search.glossary import Glossary
from bot.search.passage import render_passage

CHOICES = 4
EXPLANATION_LIMIT = 700
PER_LIST = 10  # questions drawn from one list of bullets: a long list must not fill the bank


def question_id(kind: QuestionKind, source_id: str, key: str) -> str:
    """The same note asked the same way keeps its id; editing another note never changes it."""
    return f"{kind.value[:3]}-{hashlib.sha1(f'{kind.value}|{source_id}|{key}'.encode()).hexdigest()[:10]}"


def shuffled(question_id: str, answer: str, distractors: list[str]) -> tuple[tuple[str, ...], int]:
    """Choices in an order fixed by the question id, so the answer is not always in one place."""
    choices = [answer, *distractors]
    order = list(range(len(choices)))
    random.Random(question_id).shuffle(order)
    return tuple(choices[i] for i in order), order.index(0)


def _explanation(draft: Draft) -> str:
    path = [*draft.deck.breadcrumb(draft.source.id)]
    return f"{' › '.join(path)}\n{render_passage(draft.deck, draft.source, EXPLANATION_LIMIT)}"


def _service_of(deck: Deck, node_id: str) -> tuple[str, str]:
    service = deck.service_of(node_id)
    if service is None:
        return "", ""
    parent = deck[service.parent] if service.parent else None
    category = parent.text if parent is not None and parent.kind is NodeKind.CATEGORY else ""
    return service.text, category


def _distractors(draft: Draft, candidates: Iterable[str]) -> list[str]:
    """The first CHOICES - 1 candidates that are neither the answer, nor also right, nor in the prompt."""
    taken: list[str] = []
    keys = {same_choice_key(draft.answer)}
    ruled_out = {same_choice_key(x) for x in draft.also_right}
    for candidate in candidates:
        key = same_choice_key(candidate)
        if key in keys or key in ruled_out or contains(draft.prompt, candidate):
            continue
        keys.add(key)
        taken.append(candidate)
        if len(taken) == CHOICES - 1:
            break
    return taken


def _from_draft(draft: Draft, glossary: Glossary) -> Question | str:
    """A question, or the reason the draft cannot become one."""
    taken = _distractors(draft, draft.distractors)
    if len(taken) < CHOICES - 1:
        return "too few distractors"
    service, category = _service_of(draft.deck, draft.source.id)
    names = draft.choice_type == "service"
    tell = gives_away(draft.prompt, draft.answer, taken, service, glossary, names=names)
    if tell:
        # Offer first the distractors that repeat the word too: then it tells nothing.
        sharing = [d for d in draft.distractors if repeats(tell, d, glossary, names=names)]
        taken = _distractors(draft, [*sharing, *draft.distractors])
        if gives_away(draft.prompt, draft.answer, taken, service, glossary, names=names):
            return "the prompt gives the answer away"
    qid = question_id(draft.kind, draft.source.id, draft.key)
    choices, answer = shuffled(qid, draft.answer, taken)
    return Question(
        id=qid,
        kind=draft.kind,
        prompt=draft.prompt,
        choices=choices,
        answer=answer,
        explanation=_explanation(draft),
        source=Source(
            id=draft.source.id,
            path=(*draft.deck.breadcrumb(draft.source.id), draft.source.text),
            line=draft.source.line,
            file=draft.deck.source,
        ),
        service=service,
        category=category,
        choice_type=draft.choice_type,
        cites=(draft.source.id,),
    )


def _from_curated(item: CuratedQuestion, decks: Mapping[str, Deck]) -> Question:
    """`decks` are the decks as the errata correct them, by file: quotes show the corrected text, and a
    question may cite the team's notes and the supplement together."""
    notes = [decks[n.source][n.id] for n in item.notes]
    first = notes[0]
    deck = decks[first.source]
    service, category = _service_of(deck, first.id)
    quotes = "\n".join(f"出典: {' › '.join([*decks[n.source].breadcrumb(n.id), n.text])}" for n in notes)
    return Question(
        id=item.id,
        kind=QuestionKind.SCENARIO,
        prompt=item.prompt,
        choices=item.choices,
        answer=item.answer,
        explanation=f"{item.explanation}\n{quotes}",
        source=Source(first.id, (*deck.breadcrumb(first.id), first.text), first.line, deck.source),
        service=service,
        category=category,
        choice_type="option",
        cites=tuple(n.id for n in notes),
        domains=item.domains,
        answers=item.answers,
        choice_explanations=item.choice_explanations,
        sources=tuple(
            Source(n.id, (*decks[n.source].breadcrumb(n.id), n.text), n.line, n.source) for n in notes
        ),
    )


def build_bank(
    decks: tuple[Deck, ...],
    glossary: Glossary,
    config: QuizConfig,
    curated: Iterable[CuratedQuestion] = (),
    blueprint: Blueprint | None = None,
    errata: Errata | None = None,
) -> QuestionBank:
    """Generate, check, deduplicate and tag with exam domains. Questions see the notes as corrected
    by the errata. Fewer sound questions beat many doubtful ones."""
    as_written = {deck.source: deck for deck in decks}  # the exam rules name topics as the team wrote them
    decks, left_out = corrected(decks, errata or {})
    former = {
        deck[s.id].text: s.text
        for deck in decks
        for s in as_written[deck.source].services()
        if deck[s.id].text != s.text
    }
    view = NotesView(decks, glossary, config, left_out, former)
    dropped: Counter[str] = Counter()
    drafts = [d for generate in GENERATORS for d in generate(view)]
    pools = choice_pools(drafts, view)
    by_file = {deck.source: deck for deck in decks}  # the corrected decks
    kept: list[Question] = []
    prompts: set[str] = set()
    ids: set[str] = set()
    candidates: list[Question | str] = [_from_draft(d, view.glossary) for d in drafts]
    slots = {
        c.id: d.slot for c, d in zip(candidates, drafts, strict=True) if d.slot and not isinstance(c, str)
    }
    filled: set[str] = set()
    candidates.extend(
        "cites a note with an erratum"
        if left_out.intersection(n.id for n in c.notes)
        else _from_curated(c, by_file)
        for c in curated
    )
    if blueprint is not None:
        candidates = [c if isinstance(c, str) else _tagged(c, as_written, blueprint) for c in candidates]
    resolved_away = config.dropped_questions
    removed: set[str] = set()
    for candidate in candidates:
        if isinstance(candidate, str):
            dropped[candidate] += 1
            continue
        problems = question_problems(candidate, by_file, pools)
        if problems:
            dropped[problems[0]] += 1
            continue
        if candidate.id in resolved_away:  # reported and judged unsound: never asked anywhere
            dropped["dropped by a resolution"] += 1
            removed.add(candidate.id)
            continue
        prompt_key = same_choice_key(candidate.prompt)
        if prompt_key in prompts or candidate.id in ids:
            dropped["same prompt as another question"] += 1
            continue
        slot = slots.get(candidate.id, "")
        if slot in filled:
            dropped["another fact of its topic is asked"] += 1
            continue
        if slot:
            filled.add(slot)
        prompts.add(prompt_key)
        ids.add(candidate.id)
        kept.append(candidate)
    return QuestionBank(
        questions=tuple(_capped(kept, by_file, dropped)), dropped=dropped, removed=frozenset(removed)
    )


def _capped(questions: list[Question], decks: dict[str, Deck], dropped: Counter[str]) -> list[Question]:
    """At most PER_LIST generated questions from one list of sibling bullets: one per bullet first,
    then seconds, in id order, so the choice is stable and spreads over the list."""
    by_list: dict[tuple[str, str], list[Question]] = {}
    for q in questions:
        if q.kind is not QuestionKind.SCENARIO:
            parent = decks[q.source.file][q.source.id].parent or ""
            by_list.setdefault((q.source.file, parent), []).append(q)
    left_out: set[str] = set()
    for members in by_list.values():
        if len(members) <= PER_LIST:
            continue
        rank: Counter[str] = Counter()
        ordered = []
        for q in sorted(members, key=lambda q: q.id):
            ordered.append((rank[q.source.id], q.id))
            rank[q.source.id] += 1
        keep = {qid for _, qid in sorted(ordered)[:PER_LIST]}
        left_out.update(q.id for q in members if q.id not in keep)
    dropped["more than a list's share"] += len(left_out)
    return [q for q in questions if q.id not in left_out]


def _tagged(question: Question, decks: dict[str, Deck], blueprint: Blueprint) -> Question:
    """The question with its topic's exam tags (a curated question's own domains come first)."""
    tags = blueprint.tags_of(*topic_of(decks[question.source.file], question.source.id))
    domains = question.domains or tags.domains
    return replace(question, domains=domains, off_exam=None if question.domains else tags.off_exam)


def choice_pools(drafts: list[Draft], view: NotesView) -> dict[str, frozenset[str]]:
    """Every value each choice type may take: all services, each group's terms or definitions."""
    pools: dict[str, set[str]] = {"service": set(view.headings())}
    for draft in drafts:
        if draft.choice_type != "service" and not draft.choice_type.startswith("quantity:"):
            pools.setdefault(draft.choice_type, set()).update([draft.answer, *draft.distractors])
    return {k: frozenset(v) for k, v in pools.items()}

"""Tells: a question whose prompt shares a distinctive word with the right choice alone can be
answered by matching words, without knowing AWS ('…シンプルなMemcachedを選択' → 'ElastiCache for
Memcached'; 'パッチ適用…' → 'Patch Manager', found through the bilingual glossary)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.search.glossary import Glossary, heading_aliases
from bot.search.text import normalize

_WORDS = re.compile(r"[a-z][a-z0-9]{2,}|[ァ-ヺー]{3,}")
_NEVER_DISTINCTIVE = frozenset({"aws", "amazon", "the", "and", "for", "with"})


def _has(text: str, form: str) -> bool:
    """`form` in `text`; Latin forms only as whole words ('patch' is not in 'dispatch')."""
    if not form.isascii():
        return form in text
    return re.search(rf"(?<![a-z0-9]){re.escape(form)}(?![a-z0-9])", text) is not None


def _forms(word: str, glossary: Glossary) -> set[str]:
    group = glossary.terms.get(word)
    return {word} if group is None else {word, *(normalize(f) for f in glossary.groups[group])}


def gives_away(prompt: str, answer: str, distractors: Iterable[str], service: str, glossary: Glossary) -> str:
    """The prompt's word that only the right choice repeats, or '' when there is none. Words of the
    question's own service name are left out: every choice of a question about it may use them."""
    own = {w for alias in heading_aliases(service) for w in _WORDS.findall(alias)}
    folded_answer = normalize(answer)
    others = [normalize(d) for d in distractors]
    words: list[str] = _WORDS.findall(normalize(prompt))
    for word in dict.fromkeys(words):
        if word in own or word in _NEVER_DISTINCTIVE:
            continue
        forms = _forms(word, glossary)
        if any(_has(folded_answer, f) for f in forms) and not any(_has(o, f) for o in others for f in forms):
            return word
    return ""

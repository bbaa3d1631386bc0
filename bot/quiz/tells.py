"""Tells: a question whose prompt shares a distinctive word with the right choice alone can be
answered by matching words, without knowing AWS ('…シンプルなMemcachedを選択' → 'ElastiCache for
Memcached'; 'パッチ適用…' → 'Patch Manager', found through the bilingual glossary; 'データマッピング'
→ 'マッピングテンプレート', a katakana word inside a longer one; 'ビルドスペックは…' → 'AWS CodeBuild',
a word of the service's own name when the choices are services)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from bot.search.glossary import Glossary, heading_aliases
from bot.search.text import normalize

_WORDS = re.compile(r"[a-z][a-z0-9]{2,}|[ァ-ヺー]{3,}")
_KATAKANA = re.compile(r"[ァ-ヺー]{3,}")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NEVER_DISTINCTIVE = frozenset({"aws", "amazon", "the", "and", "for", "with", "サービス"})
_SHARED = 4  # katakana characters two different words must share to count as one word ('マッピング')


def _has(text: str, form: str) -> bool:
    """`form` in `text`; Latin forms only as whole words ('patch' is not in 'dispatch')."""
    if not form.isascii():
        return form in text
    return _whole_word(form).search(text) is not None


@cache
def _whole_word(form: str) -> re.Pattern[str]:
    # Thousands of forms: more than re's own cache holds, so compiling them was a third of the build.
    return re.compile(rf"(?<![a-z0-9]){re.escape(form)}(?![a-z0-9])")


def _forms(word: str, glossary: Glossary) -> set[str]:
    group = glossary.terms.get(word)
    return {word} if group is None else {word, *(normalize(f) for f in glossary.groups[group])}


def _inner_words(run: str, glossary: Glossary) -> set[str]:
    """Glossary words inside a longer katakana word: 'ビルドスペック' holds 'ビルド' (build)."""
    return {
        run[i:j]
        for i in range(len(run))
        for j in range(i + 3, len(run) + 1)
        if run[i:j] != run and run[i:j] in glossary.terms
    }


def _shared_katakana(prompt: str, answer: str) -> set[str]:
    """Katakana the prompt and the answer share although their words differ: one word whole inside
    the other ('キャパシティモード' and 'モード'), or a long common part ('データマッピング' and
    'マッピングテンプレート')."""
    found: set[str] = set()
    for a in set(_KATAKANA.findall(answer)):
        for p in set(_KATAKANA.findall(prompt)):
            if a in p or p in a:
                found.add(min(a, p, key=len))
                continue
            best = ""
            for i in range(len(a)):
                for j in range(i + _SHARED, len(a) + 1):
                    if j - i > len(best) and a[i:j] in p:
                        best = a[i:j]
            if best:
                found.add(best)
    return found


def _parts(name: str) -> str:
    """A choice with its compounds split as well: 'AWS CodeDeploy' → 'aws codedeploy code deploy',
    'AWSTemplateFormatVersion' → '… awstemplate format version'."""
    return normalize(f"{name} {_CAMEL.sub(' ', name)}")


def repeats(word: str, choice: str, glossary: Glossary, *, names: bool = False) -> bool:
    """Whether a choice carries `word` (a tell `gives_away` found) in some form: offering it as a
    distractor takes the tell away ('Auto Scaling グループ…' with 'AWS Application Auto Scaling')."""
    folded = _parts(choice)
    return any(_has(folded, f) for f in _forms(word, glossary)) or (not word.isascii() and word in folded)


def gives_away(
    prompt: str,
    answer: str,
    distractors: Iterable[str],
    service: str,
    glossary: Glossary,
    *,
    names: bool = False,
) -> str:
    """The prompt's word that only the right choice repeats, or '' when there is none. Words of the
    question's own service name are left out: every choice of a question about it may use them —
    unless the choices are service `names`, where the answer's own name is exactly what must not
    show ('APIリクエスト' → 'Amazon API Gateway')."""
    own = set() if names else {w for alias in heading_aliases(service) for w in _WORDS.findall(alias)}
    folded_answer = _parts(answer)
    others = [_parts(d) for d in distractors]
    folded_prompt = _parts(prompt)  # 'AfterAllowTestTraffic' asks about a test as well
    words: list[str] = _WORDS.findall(folded_prompt)
    for run in _KATAKANA.findall(folded_prompt):
        words.extend(sorted(_inner_words(run, glossary)))
    for word in dict.fromkeys(words):
        if word in own or word in _NEVER_DISTINCTIVE:
            continue
        forms = _forms(word, glossary)
        if any(_has(folded_answer, f) for f in forms) and not any(_has(o, f) for o in others for f in forms):
            return word
        # 'Map(辞書)' → 'Mappings': a Latin word that begins a word of the answer alone.
        stem = (
            re.compile(rf"(?<![a-z0-9]){re.escape(word)}[a-z]") if word.isascii() and len(word) >= 3 else None
        )
        if stem and stem.search(folded_answer) and not any(stem.search(o) for o in others):
            return word
    # …and the other way round: 'Mappings' asked, 'Map(辞書)' answered.
    parts: list[str] = re.findall(r"(?<![a-z0-9])[a-z]{3,}(?![a-z0-9])", folded_answer)
    for part in dict.fromkeys(parts):
        if part in _NEVER_DISTINCTIVE or part in own:
            continue
        begins = re.compile(rf"(?<![a-z0-9]){re.escape(part)}")
        if re.search(rf"{begins.pattern}[a-z]", folded_prompt) and not any(begins.search(o) for o in others):
            return part
    for shared in sorted(_shared_katakana(folded_prompt, folded_answer)):
        if shared not in own and shared not in _NEVER_DISTINCTIVE and not any(shared in o for o in others):
            return shared
    return ""

"""Small text tools for questions: normalising choices, masking names, spotting sentences."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

MASK = "〇〇"
_SPACE = re.compile(r"\s+")
_HIRAGANA = re.compile(r"[ぁ-ゖ]")
_KATAKANA_END = re.compile(r"[ァ-ヺ]$")
_JAPANESE = re.compile(r"[ぁ-ゖァ-ヺ一-龥]")


def has_japanese(text: str) -> bool:
    return bool(_JAPANESE.search(text))


def same_choice_key(text: str) -> str:
    """Choices that differ only in width, case or spacing count as the same choice."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).casefold()


def contains(haystack: str, needle: str) -> bool:
    return bool(needle) and same_choice_key(needle) in same_choice_key(haystack)


def mask(text: str, names: Iterable[str]) -> str:
    """Replace every name (longest first; Latin names only as whole words) with 〇〇."""
    pattern = _mask_pattern(frozenset(n for n in names if n.strip()))
    if pattern is None:
        return unicodedata.normalize("NFKC", text)
    masked = pattern.sub(MASK, unicodedata.normalize("NFKC", text))
    # '〇〇〇〇' from adjacent names reads as one blank.
    return re.sub(f"(?:{MASK})+", MASK, masked)


@lru_cache(maxsize=4096)
def _mask_pattern(names: frozenset[str]) -> re.Pattern[str] | None:
    """One alternation for a set of names: compiled once, not once per name per call."""
    parts: list[str] = []
    for name in sorted(names, key=lambda n: (-len(n), n)):
        escaped = re.escape(unicodedata.normalize("NFKC", name))
        if name.isascii():
            parts.append(rf"(?<![A-Za-z0-9]){escaped}(?![A-Za-z0-9])")
        elif _KATAKANA_END.search(name):
            # Glossary forms drop a trailing 'ー' (エラー → エラ): take it along when masking.
            parts.append(escaped + "ー*")
        else:
            parts.append(escaped)
    return re.compile("|".join(parts), flags=re.IGNORECASE) if parts else None


def hiragana_share(text: str) -> float:
    return len(_HIRAGANA.findall(text)) / max(len(text), 1)


def looks_like_label(text: str, limit: int = 40) -> bool:
    """A short name-like bullet ('DeletionPolicy', 'スティッキーセッション'), not a sentence."""
    return (
        0 < len(text) <= limit
        and not text.endswith(("。", "."))
        and not text.startswith("以下")
        and hiragana_share(text) <= 0.3
    )


_DANGLING_START = (
    "以下",
    "また",
    "これ",
    "それ",
    "そのため",
    "こちら",
    "前述",
    "この",
    "ただし",
    "なお",
    "その",
)
_DANGLING_END = ("以下の通り", "以下の通り。", "以下", "以下を参考。", "など", "など。")


# '上記を同梱する', '前述の設定': the sentence points at a bullet the reader of a question never sees.
_POINTING = ("上記", "下記", "前述", "後述", "上述")


def reads_alone(text: str, minimum: int = 8) -> bool:
    """A sentence that makes sense without the bullets around it."""
    stripped = text.strip()
    return (
        len(stripped) >= minimum
        and not stripped.startswith(_DANGLING_START)
        and not any(word in stripped for word in _POINTING)
        and not stripped.endswith(_DANGLING_END)
        and not stripped.endswith(("：", ":"))
    )


# Labels that name a task, a goal or a relation ('スケールイン・アウトの繰り返し抑制', 'ECRとの連携'), not a
# thing: their first bullet is advice or one fact among several, never a definition to be asked.
_TASK_ENDINGS = (
    "抑制",
    "高速化",
    "設定",
    "監視",
    "維持",
    "連携",
    "統合",
    "関連",
    "紐づけ",
    "管理",
    "対応",
    "対策",
    "バックアップ",
    "セットアップ",
    "方法",
    "手順",
    "注意",
    "比較",
    "移行",
    "認証",
)
_RELATION = ("との", "への", "からの")
_PARENTHESES = re.compile(r"[（(][^（()）]*[)）]")


def names_a_thing(label: str) -> bool:
    """A label that names a feature, a mode or a component, so its first bullet can define it.
    Hiragana marks a phrase ('高速な回復性', 'EC2におけるCanaryリリース'), not a name."""
    bare = _PARENTHESES.sub("", label).strip()
    return (
        looks_like_label(label)
        and bool(bare)
        and not _HIRAGANA.search(bare)
        and not bare.endswith(_TASK_ENDINGS)
        and not any(word in bare for word in _RELATION)
    )

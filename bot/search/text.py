"""Text normalisation and tokenisation shared by the index and the query side.

Latin text becomes words (compounds such as `HTTPCode_ELB_5XX` or `ec2-upload-bundle` are kept whole
and also split into parts, camelCase included). Japanese has no spaces, so each run of katakana or
kanji becomes character bigrams (a single character stays a unigram); hiragana runs are mostly
particles and okurigana and are left out.
"""

from __future__ import annotations

import re
import unicodedata

_LONG_VOWEL_AT_END = re.compile(r"(?<=[ァ-ヺ])ー+(?![ァ-ヺー])")
_LATIN_COMPOUND = re.compile(r"[A-Za-z0-9]+(?:[._\-/:'+][A-Za-z0-9]+)*")
_COMPOUND_SEPARATORS = re.compile(r"[._\-/:'+]")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+[0-9]*|[0-9]+")
_LOWER = re.compile(r"[a-z]")
_UPPER = re.compile(r"[A-Z]")
# ヵ and ヶ are counters (15ヶ月): they belong with the kanji, not with katakana words.
_JAPANESE_SEGMENT = re.compile(r"[ァ-ヴヷ-ヺー]+|[一-龥々〆ヵヶ]+|[ぁ-ゖ]+")
_KANJI = re.compile(r"[一-龥々〆ヵヶ]")
_KATAKANA_WORD = re.compile(r"[ァ-ヴヷ-ヺー]+")


def normalize(text: str) -> str:
    """NFKC (full-width → half-width), lower case, and 'サーバー' spelled like 'サーバ'."""
    return _LONG_VOWEL_AT_END.sub("", unicodedata.normalize("NFKC", text)).lower()


_SPACE = re.compile(r"[\s\-_]+")


def compact(text: str) -> str:
    """Normalised text without spaces, hyphens and underscores: how a phrase is compared ('Auto
    Scaling グループ' is 'auto scalingグループ' as the glossary writes it, 'cross account' is
    'cross-account')."""
    return _SPACE.sub("", normalize(text))


def is_hiragana(segment: str) -> bool:
    return all("ぁ" <= ch <= "ゖ" for ch in segment)


def latin_tokens(compound: str) -> list[str]:
    """A compound and its parts: 'HTTPCode_ELB_5XX' → httpcode_elb_5xx, httpcode, elb, 5xx, http, code."""
    tokens = [compound.lower()]
    for part in _COMPOUND_SEPARATORS.split(compound):
        if not part:
            continue
        tokens.append(part.lower())
        if _mixed_case(part):
            tokens.extend(p.lower() for p in _CAMEL.findall(part))
    seen: set[str] = set()
    return [t for t in tokens if not (t in seen or seen.add(t))]  # type: ignore[func-returns-value]


def _mixed_case(part: str) -> bool:
    """An ASCII lower- and upper-case letter on one line, in linear time (a regex such as
    '[a-z].*[A-Z]' backtracks quadratically over a long word)."""
    return any(_LOWER.search(line) and _UPPER.search(line) for line in part.split("\n"))


def japanese_segments(text: str) -> list[str]:
    """Katakana and kanji runs of normalised text (hiragana runs dropped)."""
    return [s for s in _JAPANESE_SEGMENT.findall(text) if not is_hiragana(s)]


SHORT_KATAKANA = 3  # katakana words this short are matched whole: ロール must not find コントロール


def is_katakana(segment: str) -> bool:
    return bool(_KATAKANA_WORD.fullmatch(segment))


def whole_word(segment: str) -> str:
    """The token under which a whole katakana run is indexed."""
    return "@" + segment


def segment_grams(segment: str) -> list[str]:
    """Character bigrams of one segment, or the character itself when it stands alone."""
    if len(segment) == 1:
        return [segment]
    return [segment[i : i + 2] for i in range(len(segment) - 1)]


def segment_tokens(segment: str) -> list[str]:
    """How a query segment is looked up: short katakana words whole, everything else by bigrams."""
    if len(segment) <= SHORT_KATAKANA and is_katakana(segment):
        return [whole_word(segment)]
    return segment_grams(segment)


def index_tokens(text: str) -> set[str]:
    """Every token a passage is findable by."""
    tokens: set[str] = set()
    nfkc = unicodedata.normalize("NFKC", text)
    for match in _LATIN_COMPOUND.finditer(nfkc):
        tokens.update(latin_tokens(match.group(0)))
    for segment in japanese_segments(normalize(text)):
        tokens.update(segment_grams(segment))
        if len(segment) <= SHORT_KATAKANA and is_katakana(segment):
            tokens.add(whole_word(segment))
        elif _KANJI.match(segment):
            # Single kanji too, so a one-character query word (分, 数) finds '1分間隔', 'シャード数'.
            tokens.update(segment)
    return tokens

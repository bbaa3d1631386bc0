"""A deterministic synthetic deck: the real notes repeated many times, each copy a little different.

Copy 0 is the notes exactly as written. Every further copy gets its `##` category and `###` service
headings suffixed with the copy number (" 17"), the order of bullets within each list shuffled
(a bullet moves with its whole subtree), some standalone numbers changed, and now and then one word
of a bullet swapped for a word of the same script taken from elsewhere in the notes. The same source,
copy count and seed always give the same text.

The suffix goes after the whole heading, so a parenthesised abbreviation such as "(Amazon EC2)" stays
the same in every copy: the alias "ec2" then names all 100 EC2 headings, not one.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

# Headings, fences, tabs and placeholders are read exactly as the parser reads them.
from bot.notes.parser import _FENCE, _HEADING, _TAB_WIDTH, _WIP

# Unlike the parser's, this keeps the marker with its indentation, to write the bullet back out.
_BULLET = re.compile(r"^(\s*(?:[-*+]|\d+[.)])\s+)(.*)$")

# Spans that must stay as written (link targets, code, URLs), then the things we may change.
_TOKEN = re.compile(
    r"(?P<keep>\]\([^)]*\)|`[^`]*`|https?://\S+)"
    r"|(?P<number>(?<![A-Za-z0-9_.])\d+(?![A-Za-z0-9_]))"
    r"|(?P<latin>(?<![A-Za-z0-9_])[A-Za-z]{3,}(?![A-Za-z0-9_]))"
    r"|(?P<katakana>[ァ-ヴー]{2,})"
    r"|(?P<kanji>[一-龥々]{2,})"
)
_WORD_CLASSES = ("latin", "katakana", "kanji")
_NUMBER_CHANGE = 0.5  # chance that a standalone number in a copied bullet is changed
_WORD_SWAP = 0.3  # chance that a copied bullet has one word swapped
# Bullets whose wording carries structure (reference lists, links, placeholders) are left alone.
_FRAGILE = re.compile(rf"参考|\]\(|https?://|{_WIP.pattern}", re.IGNORECASE)


@dataclass
class _Heading:
    level: int
    title: str


@dataclass
class _Item:
    """A bullet line with the lines that belong to it (continuations, blank lines) and its sub-bullets."""

    marker: str  # indentation and list marker, e.g. "  - "
    content: str
    indent: int
    extra: list[str] = field(default_factory=list)
    children: list[_Item] = field(default_factory=list)


_Segment = _Heading | list[_Item] | str


def _split(source: str) -> list[_Segment]:
    """Headings, verbatim lines and bullet forests, in document order."""
    segments: list[_Segment] = []
    forest: list[_Item] | None = None
    stack: list[_Item] = []
    last: _Item | None = None
    in_fence = False

    def loose(line: str) -> None:
        if last is not None and forest is not None:
            last.extra.append(line)
        else:
            segments.append(line)

    for line in source.splitlines():
        if in_fence or _FENCE.match(line):
            if _FENCE.match(line):
                in_fence = not in_fence
            loose(line)
            continue
        heading = _HEADING.match(line)
        if heading:
            segments.append(_Heading(len(heading.group(1)), heading.group(2)))
            forest, stack, last = None, [], None
            continue
        bullet = _BULLET.match(line)
        if bullet and bullet.group(2).strip():
            marker = bullet.group(1)
            indent = len(marker.expandtabs(_TAB_WIDTH)) - len(marker.lstrip())
            item = _Item(marker, bullet.group(2), indent)
            if forest is None:
                forest = []
                segments.append(forest)
            while stack and stack[-1].indent >= indent:
                stack.pop()
            (stack[-1].children if stack else forest).append(item)
            stack.append(item)
            last = item
            continue
        loose(line)
    return segments


def _word_pool(segments: list[_Segment]) -> dict[str, list[str]]:
    """Every word of each script used in a bullet, in document order, without repeats."""
    pool: dict[str, dict[str, None]] = {name: {} for name in _WORD_CLASSES}

    def visit(items: list[_Item]) -> None:
        for item in items:
            for match in _TOKEN.finditer(item.content):
                for name in _WORD_CLASSES:
                    if match.group(name):
                        pool[name][match.group(name)] = None
            visit(item.children)

    for segment in segments:
        if isinstance(segment, list):
            visit(segment)
    return {name: list(words) for name, words in pool.items()}


def _vary(content: str, rng: random.Random, pool: dict[str, list[str]]) -> str:
    """Change some numbers and maybe swap one word; links, code and URLs stay as they are."""
    if _FRAGILE.search(content):
        return content
    matches = list(_TOKEN.finditer(content))
    replacements: dict[int, str] = {}
    for k, match in enumerate(matches):
        number = match.group("number")
        if number and rng.random() < _NUMBER_CHANGE:
            low = 10 ** (len(number) - 1) if len(number) > 1 else 0
            replacements[k] = str(rng.randint(low, 10 ** len(number) - 1))
    words = [k for k, m in enumerate(matches) if m.lastgroup in _WORD_CLASSES]
    if words and rng.random() < _WORD_SWAP:
        k = rng.choice(words)
        name = matches[k].lastgroup
        assert name is not None
        replacements[k] = rng.choice(pool[name])
    if not replacements:
        return content
    out: list[str] = []
    pos = 0
    for k, match in enumerate(matches):
        if k in replacements:
            out.append(content[pos : match.start()])
            out.append(replacements[k])
            pos = match.end()
    out.append(content[pos:])
    return "".join(out)


def _render(items: list[_Item], copy: int, rng: random.Random, pool: dict[str, list[str]]) -> list[str]:
    order = list(items)
    if copy:
        rng.shuffle(order)
    lines: list[str] = []
    for item in order:
        content = _vary(item.content, rng, pool) if copy else item.content
        lines.append(item.marker + content)
        lines.extend(item.extra)
        lines.extend(_render(item.children, copy, rng, pool))
    return lines


def make_synthetic_notes(source: str, copies: int = 100, seed: int = 0) -> str:
    """`copies` variants of the notes in one Markdown text (copy 0 is the original)."""
    segments = _split(source)
    pool = _word_pool(segments)
    rng = random.Random(seed)
    lines: list[str] = []
    for copy in range(copies):
        for segment in segments:
            if isinstance(segment, _Heading):
                if segment.level == 1 and copy:
                    continue  # one deck title per file
                title = f"{segment.title} {copy}" if copy and segment.level in (2, 3) else segment.title
                lines.append(f"{'#' * segment.level} {title}")
            elif isinstance(segment, list):
                lines.extend(_render(segment, copy, rng, pool))
            else:
                lines.append(segment)
        lines.append("")
    return "\n".join(lines) + "\n"

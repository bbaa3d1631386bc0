"""Inline Markdown of one line: links, bare URLs, code spans, emphasis."""

from __future__ import annotations

import re

from bot.notes.model import Link

# Link titles may hold one level of brackets ("[[初心者向け] ...](url)").
_MD_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\]]*\])*)\]\((\S+?)(?:\s+\"[^\"]*\")?\)")
_BARE_URL = re.compile(r"https?://[^\s<>\)\]]+")
_CODE = re.compile(r"`([^`]+)`")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def extract_links(raw: str) -> tuple[Link, ...]:
    """Markdown links (with their titles) and bare URLs, in order of appearance, without repeats."""
    links: list[Link] = []
    seen: set[str] = set()
    for match in _MD_LINK.finditer(raw):
        title, url = match.group(1).strip(), match.group(2)
        if url not in seen:
            seen.add(url)
            links.append(Link(title=title or url, url=url))
    without_md = _MD_LINK.sub(" ", raw)
    for match in _BARE_URL.finditer(without_md):
        url = match.group(0).rstrip(".,、。")
        if url not in seen:
            seen.add(url)
            links.append(Link(title=url, url=url))
    return tuple(links)


def extract_code(raw: str) -> tuple[str, ...]:
    """Contents of inline code spans."""
    return tuple(m.group(1) for m in _CODE.finditer(raw))


def plain_text(raw: str) -> str:
    """The line as a reader sees it: link titles instead of links, no code or emphasis marks."""
    text = _MD_LINK.sub(lambda m: m.group(1) or m.group(2), raw)
    text = _CODE.sub(lambda m: m.group(1), text)
    text = _EMPHASIS.sub(lambda m: m.group(2), text)
    return text.strip()


def text_without_links(raw: str) -> str:
    """What is left of a line once its links and URLs are removed (to spot link-only bullets)."""
    return _BARE_URL.sub(" ", _MD_LINK.sub(" ", raw)).strip()

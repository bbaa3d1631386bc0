"""Parse one Markdown notes file into a Deck: deck › category (##) › service (###) › bullets."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.clip import clip
from bot.notes.markdown import extract_code, extract_links, plain_text, text_without_links
from bot.notes.model import Deck, Diagnostic, Node, NodeKind

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])(?:\s+(.*))?$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_WIP = re.compile(r"^\W*(wip|tbd|todo|作成中|未作成)\W*$", re.IGNORECASE)
# A bullet that opens a list of references ("参考", "参考例: [..](..)", "See also").
_REFERENCE_LABEL = re.compile(
    r"^((以下を)?参考(文献|リンク|資料|例|URL)?(にする)?|references?|see also|links?)\s*[:：。.]?\s*$",
    re.IGNORECASE,
)
_TAB_WIDTH = 4


@dataclass
class ParseResult:
    """A deck (None only if the file could not be read) and what was found wrong with it."""

    deck: Deck | None
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]


@dataclass
class _Draft:
    kind: NodeKind
    raw: str
    line: int
    depth: int
    parent: _Draft | None
    indent: int = -1
    children: list[_Draft] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    id: str = ""

    @property
    def text(self) -> str:
        return plain_text(self.raw)


class _Parser:
    def __init__(self, source: str, deck_slug: str) -> None:
        self.source = source
        self.slug = deck_slug
        self.diagnostics: list[Diagnostic] = []
        self.root = _Draft(NodeKind.DECK, deck_slug.upper(), 0, 0, None)
        self.category: _Draft | None = None
        self.service: _Draft | None = None
        self.stack: list[_Draft] = []  # open bullets, outermost first
        self.last: _Draft = self.root  # the node continuation text attaches to
        self.seen_title = False

    def warn(self, line: int, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.source, line, "warning", message))

    def error(self, line: int, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.source, line, "error", message))

    def add(self, parent: _Draft, kind: NodeKind, raw: str, line: int) -> _Draft:
        node = _Draft(kind, raw, line, parent.depth + 1, parent)
        parent.children.append(node)
        self.last = node
        return node

    def feed(self, lines: list[str]) -> None:
        fence_start = 0
        fence_lines: list[str] = []
        for number, line in enumerate(lines, start=1):
            if fence_start:
                if _FENCE.match(line):
                    self.attach_continuation(fence_start, "\n".join(fence_lines), what="code block")
                    fence_start, fence_lines = 0, []
                else:
                    fence_lines.append(line)
                continue
            if _FENCE.match(line):
                fence_start = number
                continue
            if not line.strip():
                continue
            heading = _HEADING.match(line)
            if heading:
                self.heading(len(heading.group(1)), heading.group(2), number)
                continue
            bullet = _BULLET.match(line)
            if bullet:
                self.bullet(len(bullet.group(1).expandtabs(_TAB_WIDTH)), bullet.group(2) or "", number)
                continue
            self.attach_continuation(number, line.strip(), what="text outside a bullet")
        if fence_start:
            self.error(fence_start, "code block is never closed (``` without a closing ```)")

    def heading(self, level: int, title: str, line: int) -> None:
        self.stack.clear()
        if not title:
            self.error(line, "empty heading")
            return
        if level == 1:
            if self.seen_title:
                self.warn(line, f"second deck title '{title}' ignored; one '# ' heading per file")
            else:
                self.root.raw, self.root.line, self.seen_title = title, line, True
            self.last = self.root
        elif level == 2:
            self.category = self.add(self.root, NodeKind.CATEGORY, title, line)
            self.service = None
        elif level == 3:
            if self.category is None:
                self.warn(line, f"service '{title}' has no '## ' category above it; filed under the deck")
                self.category = self.add(self.root, NodeKind.CATEGORY, self.root.raw, line)
            self.service = self.add(self.category, NodeKind.SERVICE, title, line)
        else:
            # Deeper headings become top-level topics of the service, so nothing is lost.
            if self.service is None:
                self.error(line, f"heading '{title}' appears before any '### ' service heading")
                return
            self.warn(line, f"heading level {level} treated as a topic of '{self.service.text}'")
            topic = self.add(self.service, NodeKind.FACT, title, line)
            topic.indent = -1
            self.stack.append(topic)

    def bullet(self, indent: int, raw: str, line: int) -> None:
        if self.service is None:
            if self.category is None:
                self.error(line, "bullet before any heading: add a '## ' category and '### ' service first")
                return
            self.warn(line, f"bullet under category '{self.category.text}' without a '### ' service heading")
            self.service = self.add(self.category, NodeKind.SERVICE, self.category.raw, line)
        if not raw.strip():
            self.warn(line, "empty bullet ignored")
            return
        while self.stack and self.stack[-1].indent >= indent:
            self.stack.pop()
        parent = self.stack[-1] if self.stack else self.service
        node = self.add(parent, _classify(raw, parent), raw.strip(), line)
        node.indent = indent
        self.stack.append(node)

    def attach_continuation(self, line: int, text: str, what: str) -> None:
        target = self.last
        target.extra.append(text)
        where = f"line {target.line}" if target.line else "the deck"
        self.warn(line, f"{what} attached to '{clip(target.text, 30)}' ({where})")


def _classify(raw: str, parent: _Draft) -> NodeKind:
    if parent.kind is NodeKind.REFERENCE:
        return NodeKind.REFERENCE
    if _WIP.match(raw):
        return NodeKind.WIP
    label = text_without_links(raw)
    has_link = label != raw.strip()
    if _REFERENCE_LABEL.match(label) or (has_link and not re.search(r"\w", label)):
        return NodeKind.REFERENCE
    return NodeKind.FACT


def _assign_ids(draft: _Draft, trail: tuple[str, ...]) -> None:
    """Ids hash the deck, the texts above the node and its own text: stable across line shifts."""
    counts: dict[str, int] = {}
    for child in draft.children:
        occurrence = counts.get(child.raw, 0)
        counts[child.raw] = occurrence + 1
        key = "\x1f".join((*trail, child.kind.value if child.kind is NodeKind.CATEGORY else "", child.raw))
        digest = hashlib.sha1(f"{key}\x1e{occurrence}".encode()).hexdigest()
        child.id = digest[:12]
        _assign_ids(child, (*trail, child.raw))


def _freeze(draft: _Draft, source: str, nodes: dict[str, Node], order: list[str]) -> None:
    order.append(draft.id)
    nodes[draft.id] = Node(
        id=draft.id,
        kind=draft.kind,
        text=draft.text,
        raw=draft.raw,
        source=source,
        line=draft.line,
        depth=draft.depth,
        parent=draft.parent.id if draft.parent else None,
        children=tuple(c.id for c in draft.children),
        links=extract_links(" ".join([draft.raw, *draft.extra])),
        code=extract_code(draft.raw),
        extra=tuple(draft.extra),
    )
    for child in draft.children:
        _freeze(child, source, nodes, order)


def parse_notes(text: str, source: str, deck_slug: str | None = None) -> ParseResult:
    """Parse Markdown notes. Every non-blank line becomes a node, a continuation or a diagnostic."""
    slug = deck_slug or Path(source).stem
    parser = _Parser(source, slug)
    parser.feed(text.splitlines())
    root = parser.root
    root.id = hashlib.sha1(f"deck\x1f{slug}".encode()).hexdigest()[:12]
    _assign_ids(root, (slug,))
    nodes: dict[str, Node] = {}
    order: list[str] = []
    _freeze(root, source, nodes, order)
    if not any(n.kind is NodeKind.SERVICE for n in nodes.values()):
        parser.error(1, "no '### ' service heading found: nothing to study in this file")
    deck = Deck(name=root.text, source=source, root_id=root.id, nodes=nodes, order=tuple(order))
    return ParseResult(deck=deck, diagnostics=sorted(parser.diagnostics, key=lambda d: d.line))


def parse_file(path: Path, display: str | None = None) -> ParseResult:
    """Read and parse one notes file; an unreadable file is an error, not an exception."""
    source = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ParseResult(None, [Diagnostic(source, 0, "error", "file not found")])
    except UnicodeDecodeError as exc:
        return ParseResult(None, [Diagnostic(source, 0, "error", f"not UTF-8 text ({exc.reason})")])
    except OSError as exc:
        return ParseResult(None, [Diagnostic(source, 0, "error", f"cannot read file ({exc.strerror})")])
    return parse_notes(text, source, path.stem)

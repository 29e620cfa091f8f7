"""The walk with the markup's evidence: the whole-page text and, per line, what its markup says.

The same pass as :func:`cleaner.inputs.html_dom.walk` (same marks, same text, byte for byte),
plus, for every text it writes, the context of the element the text stands in: its nearest
block's tag, the ancestors it is inside (nav, footer, a link...), the class/id vocabularies
its element and ancestors match (``dom_tokens.tsv`` beside this module), ARIA roles, depth and
place among the elements. Each line gets the context its text starts in and the share of its
characters inside links: a :class:`~cleaner.text.dom.DomEvidence` row (columns
:data:`~cleaner.text.dom.DOM_NAMES`). A separate function, so the walk without evidence keeps
its speed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from cleaner.inputs import html_dom
from cleaner.text.dom import ANCESTOR_FLAGS, ROLES, VOCABULARIES, WALKED_NAMES, DomEvidence
from cleaner.text.page import INVISIBLE

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["TOKENS_FILE", "Vocabulary", "evidence_walk", "vocabulary"]

TOKENS_FILE = Path(__file__).parent / "dom_tokens.tsv"
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_FLAG_OF = {**{tag: tag for tag in ANCESTOR_FLAGS}, "th": "td", "figcaption": "figure", "b": "strong",
            **dict.fromkeys(_HEADINGS, "h")}
_FLAG_BITS = {tag: 1 << ANCESTOR_FLAGS.index(flag) for tag, flag in _FLAG_OF.items()}
_BLOCK_OF = {"p": 1, "li": 2, "td": 3, "th": 3, **dict.fromkeys(_HEADINGS, 4),
             **dict.fromkeys(("div", "section", "center", "body"), 5), **dict.fromkeys(("dd", "dt", "dl"), 6),
             "pre": 7}
_OTHER_BLOCK = 8
_ROLE_BITS = {role: 1 << index for index, role in enumerate(ROLES)}
_ARIA_HIDDEN = 1 << len(ROLES)
_ITEMPROPS = frozenset({"articlebody", "text", "reviewbody", "description"})
# html_dom's marks and tables: both walks mark alike (html_dom imports this module only inside walk()).
_BREAK, _GAP, _ITEM, _CELL, _MARKS = html_dom._BREAK, html_dom._GAP, html_dom._ITEM, html_dom._CELL, html_dom._MARKS
_EL = "\ud804"  # in the evidence walk: the text after it has the next context (the line marks are \ud800-\ud803)


class _Context(NamedTuple):
    """Where one text stands: its nearest block, enclosing tags and class/id words (bit sets), depth, place."""

    block: int
    flags: int
    own: int  # vocabulary bits of the element and its inline ancestors up to the block
    up: int  # vocabulary bits of the ancestors above the block
    roles: int
    heading: int
    lists: int
    tables: int
    depth: int
    index: int
    itemprop: bool


_ROOT = _Context(_OTHER_BLOCK, 0, 0, 0, 0, 0, 0, 0, 0, 0, False)


@dataclass(frozen=True)
class Vocabulary:
    """The class/id words: exact token -> bits, and (prefix, bit) pairs."""

    exact: dict[str, int]
    prefixes: tuple[tuple[str, int], ...]

    def bits(self, value: str) -> int:
        found = 0
        for token in _TOKEN_SPLIT.split(value.lower()):
            if token:
                found |= self.exact.get(token, 0)
                for prefix, bit in self.prefixes:
                    if token.startswith(prefix):
                        found |= bit
        return found


@cache
def vocabulary() -> Vocabulary:
    """The vocabularies of :data:`TOKENS_FILE` (a pure read of a package file, cached per process)."""
    exact: dict[str, int] = {}
    prefixes: list[tuple[str, int]] = []
    for line in TOKENS_FILE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("vocabulary\t"):
            continue
        name, words = line.split("\t")
        bit = 1 << VOCABULARIES.index(name)
        for word in words.split():
            if word.endswith("*"):
                prefixes.append((word[:-1], bit))
            else:
                exact[word] = exact.get(word, 0) | bit
    return Vocabulary(exact, tuple(prefixes))


class _Enter:
    """Makes an element's context from its parent's (class/id bits remembered per distinct value, per walk)."""

    def __init__(self, blocks: frozenset[str]) -> None:
        self.blocks, self.words, self.seen, self.count = blocks, vocabulary(), {}, 0
        self.parents = [0]  # element -> its parent (elements numbered from 1 in document order)

    def __call__(self, element: HtmlElement, parent: _Context) -> _Context:
        self.count += 1
        self.parents.append(parent.index)
        tag, attrib = element.tag, element.attrib
        words = 0
        roles, itemprop = parent.roles, parent.itemprop
        if attrib:
            value = (attrib.get("class") or "") + " " + (attrib.get("id") or "")
            if value != " ":
                words = self.seen.get(value)
                if words is None:
                    words = self.seen[value] = self.words.bits(value)
            roles |= _ROLE_BITS.get(attrib.get("role", ""), 0)
            if attrib.get("aria-hidden") == "true":
                roles |= _ARIA_HIDDEN
            itemprop = itemprop or (attrib.get("itemprop") or "").lower() in _ITEMPROPS
        block = tag in self.blocks or tag in ("td", "th")
        return _Context(
            _BLOCK_OF.get(tag, _OTHER_BLOCK) if block else parent.block,
            parent.flags | _FLAG_BITS.get(tag, 0),
            words if block else parent.own | words,
            parent.up | parent.own if block else parent.up,
            roles, _HEADINGS.get(tag, parent.heading),
            parent.lists + (tag in ("ul", "ol")), parent.tables + (tag == "table"),
            parent.depth + 1, self.count, itemprop,
        )


def evidence_walk(root: HtmlElement, title: str) -> tuple[str, int, DomEvidence]:
    """The marked text's lines joined (as the plain walk writes them), the deepest level, and the evidence.

    Called by :func:`cleaner.inputs.html_dom.walk` (``evidence=True``), whose marks and tables it uses.
    """
    from lxml import etree

    opens, closes, invisible = html_dom._OPENS, html_dom._CLOSES, html_dom._INVISIBLE
    hiding, hidden = html_dom._HIDING, html_dom._hidden
    pieces = [title, _GAP] if title else []
    contexts: list[_Context] = []
    append, record = pieces.append, contexts.append
    enter = _Enter(html_dom._BLOCK)
    body = root.find("body")
    walker = etree.iterwalk(body if body is not None else root, events=("start", "end"))
    stack, pre, deepest, skipped = [_ROOT], 0, 0, None
    for event, element in walker:
        if element is skipped:
            if element.tail:
                append(_EL)
                append(element.tail)
                record(stack[-1])
            skipped = None
            continue
        tag = element.tag
        if event == "start":
            if (tag.__class__ is not str or tag in invisible
                    or not hiding.isdisjoint(element.keys()) and hidden(element)):
                walker.skip_subtree()
                skipped = element
                continue
            stack.append(enter(element, stack[-1]))
            deepest = max(deepest, len(stack) - 1)
            mark, text = opens.get(tag), element.text
            pre += bool(mark) and tag == "pre"
        else:
            stack.pop()
            mark, text = closes.get(tag), element.tail
            pre -= bool(mark) and tag == "pre"
        if mark:
            append(mark)
        if text:
            append(_EL)
            append(text.replace("\n", _BREAK) if pre else text)
            record(stack[-1])
    lines, starts, links = _assemble(("".join(pieces)), contexts)
    return "\n".join(lines) + "\n" if lines else "", deepest, _rows(starts, links, deepest, enter)


def _assemble(marked: str, contexts: list[_Context]) -> tuple[list[str], list[_Context | None], list[float]]:
    """html_dom's line assembly, plus each line's starting context and link share (blank lines: None, 0)."""
    lines: list[str] = []
    starts: list[_Context | None] = []
    links: list[float] = []
    gap, prefix, at = False, "", 0  # at: the context of the next _EL
    chunks = _MARKS.split(marked)
    for index in range(0, len(chunks), 2):
        parts = chunks[index].split(_EL)
        chunk = "".join(parts)
        if chunk and not chunk.isspace():
            cells = chunk.split(_CELL) if _CELL in chunk else (chunk,)
            line = html_dom.CELL_SEPARATOR.join(" ".join(words) for cell in cells if (words := cell.split()))
            if line.strip(INVISIBLE):
                if gap and lines:
                    lines.append("")
                    starts.append(None)
                    links.append(0.0)
                lines.append(prefix + line)
                starts.append(_starting(parts, contexts, at))
                links.append(_link_share(parts, contexts, at))
                prefix, gap = "", False
        at += len(parts) - 1
        mark = chunks[index + 1] if index + 1 < len(chunks) else ""
        if mark == _GAP:
            gap = True
        elif mark == _ITEM:
            prefix = html_dom.BULLET
    return lines, starts, links


def _starting(parts: list[str], contexts: list[_Context], at: int) -> _Context:
    """The context of the first visible text of a line's parts (``parts[0]``: the title's, before any context)."""
    for offset, part in enumerate(parts):
        part = part.replace(_CELL, "")  # a cell's mark shows nothing
        if part.strip() and part.strip(INVISIBLE):
            return _ROOT._replace(block=0) if offset == 0 else contexts[at + offset - 1]
    return _ROOT


def _link_share(parts: list[str], contexts: list[_Context], at: int) -> float:
    """The share of a line's non-space characters that stand inside a link."""
    linked = total = 0
    for offset, part in enumerate(parts):
        size = len(part) - part.count(" ") - part.count("\t") - part.count("\n") - part.count(_CELL)
        total += size
        if offset and contexts[at + offset - 1].flags & 1:  # "a" is the first ancestor flag
            linked += size
    return linked / total if total else 0.0


def _rows(starts: list[_Context | None], links: list[float], deepest: int, enter: _Enter) -> DomEvidence:
    """The evidence rows of the lines (columns :data:`~cleaner.text.dom.DOM_NAMES`; blank lines zeros)."""
    rows = np.zeros((len(starts), len(WALKED_NAMES)), dtype=np.float32)
    parents = np.array(enter.parents, dtype=np.int64)
    elements = np.zeros(len(starts), dtype=np.int64)
    filled = [i for i, context in enumerate(starts) if context is not None]
    if not filled:
        return DomEvidence(rows, elements, parents)
    count = enter.count
    table = np.array([starts[i] for i in filled], dtype=np.int64)  # the _Context fields, one row each
    block, flags, own, up, roles, heading, lists, tables, depth, index, itemprop = table.T
    bits = [np.arange(len(ANCESTOR_FLAGS)), np.arange(len(VOCABULARIES)), np.arange(len(ROLES) + 1)]
    columns = [
        np.eye(9, dtype=np.float32)[block],
        (flags[:, None] >> bits[0]) & 1,
        np.column_stack([heading, lists, tables]),
        (own[:, None] >> bits[1]) & 1,
        (up[:, None] >> bits[1]) & 1,
        (roles[:, None] >> bits[2]) & 1,
        np.column_stack([np.array(links)[filled], np.log1p(depth), depth / max(deepest, 1),
                         index / max(count, 1), itemprop]),
    ]
    rows[filled] = np.hstack([np.asarray(column, dtype=np.float32) for column in columns])
    elements[filled] = index
    return DomEvidence(rows, elements, parents)

"""The walk with the markup's evidence: the whole-page text and, per line, what its markup says.

The same pass as :func:`cleaner.inputs.html_dom.walk` (same marks, same text, byte for byte),
plus, for every text it writes, the context of the element the text stands in: its nearest
block's tag, the ancestors it is inside (nav, footer, a link...), the class/id vocabularies
its element and ancestors match (``dom_tokens.tsv`` beside this module), ARIA roles, depth and
place among the elements. Each line gets the context its text starts in and the share of its
characters inside links: a :class:`~cleaner.text.dom.DomEvidence` row (columns
:data:`~cleaner.text.dom.DOM_NAMES`). A separate function, so the walk without evidence keeps
its speed.

What keeps it cheap (it runs on every HTML page the model engine reads): the walk itself only
numbers the elements and codes each text with its element and whether it is inside a link; the
contexts are made afterwards, from the top down, only for the elements the lines start in and
their ancestors; an element's attributes are read in one call; a class/id value's words are
found by two compiled searches, once per distinct value in a page; the rows are filled by
column ranges of one array.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from cleaner.inputs import html_dom
from cleaner.text.dom import ANCESTOR_FLAGS, BLOCK_TAGS, ROLES, VOCABULARIES, WALKED_NAMES, DomEvidence
from cleaner.text.page import INVISIBLE

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["TOKENS_FILE", "Vocabulary", "evidence_walk", "vocabulary"]

TOKENS_FILE = Path(__file__).parent / "dom_tokens.tsv"
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


_new = tuple.__new__
_ROOT = _Context(_OTHER_BLOCK, 0, 0, 0, 0, 0, 0, 0, 0, 0, False)


@dataclass(frozen=True)
class Vocabulary:
    """The class/id words: exact token -> bits, prefix -> bits, and the two searches that find them in a value."""

    exact: dict[str, int]
    prefixes: dict[str, int]
    exact_search: re.Pattern[str]  # a whole token that is a word
    prefix_search: re.Pattern[str]  # a token's start that is a prefix (none is a prefix of another: one a token)

    def bits(self, value: str) -> int:
        """The bits of the words matching ``value``'s tokens (two C-speed searches, not a loop over tokens)."""
        found = 0
        lowered = value.lower()
        for match in self.exact_search.finditer(lowered):
            found |= self.exact[match.group()]
        for match in self.prefix_search.finditer(lowered):
            found |= self.prefixes[match.group()]
        return found


def _search(words: list[str], whole: bool) -> re.Pattern[str]:
    """Words at a token's start (``whole``: the whole token); a word with a character no token holds never matches."""
    usable = sorted((word for word in words if word.isalnum() and word.isascii()), key=len, reverse=True)
    pattern = "(?<![a-z0-9])(?:" + "|".join(map(re.escape, usable)) + ")" + ("(?![a-z0-9])" if whole else "")
    return re.compile(pattern if usable else "(?!)")


@cache
def vocabulary() -> Vocabulary:
    """The vocabularies of :data:`TOKENS_FILE` (a pure read of a package file, cached per process)."""
    exact: dict[str, int] = {}
    prefixes: dict[str, int] = {}
    for line in TOKENS_FILE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("vocabulary\t"):
            continue
        name, words = line.split("\t")
        bit = 1 << VOCABULARIES.index(name)
        for word in words.split():
            if word.endswith("*"):
                prefixes[word[:-1]] = prefixes.get(word[:-1], 0) | bit
            else:
                exact[word] = exact.get(word, 0) | bit
    if any(a != b and b.startswith(a) for a in prefixes for b in prefixes):
        raise ValueError(f"{TOKENS_FILE.name}: a prefix word starts another (one match a token is searched)")
    return Vocabulary(exact, prefixes, _search(list(exact), True), _search(list(prefixes), False))


class _Enter:
    """Makes an element's context from its parent's (class/id bits remembered per distinct value, per walk)."""

    def __init__(self, blocks: frozenset[str]) -> None:
        self.blocks, self.words, self.seen = blocks, vocabulary(), {}
        self.tags: dict[str, tuple[int, int, int, int, int]] = {}  # tag -> what it adds (see _tag)

    def _tag(self, tag: str) -> tuple[int, int, int, int, int]:
        """A tag's block (0: not one), ancestor flag bit, heading level (-1: not one), list and table counts."""
        block = tag in self.blocks or tag in ("td", "th")
        found = self.tags[tag] = (_BLOCK_OF.get(tag, _OTHER_BLOCK) if block else 0, _FLAG_BITS.get(tag, 0),
                                  _HEADINGS.get(tag, -1), tag in ("ul", "ol"), tag == "table")
        return found

    def __call__(self, element: HtmlElement, parent: _Context, index: int) -> _Context:
        tag = element.tag
        block, flag, heading, lists, tables = self.tags.get(tag) or self._tag(tag)
        p_block, p_flags, p_own, p_up, roles, p_heading, p_lists, p_tables, p_depth, _, itemprop = parent
        words = 0
        items = element.items()  # one call, not a get per attribute
        if items:
            cls = ident = role = hidden = prop = None
            for key, text in items:
                if key == "class":
                    cls = text
                elif key == "id":
                    ident = text
                elif key == "role":
                    role = text
                elif key == "aria-hidden":
                    hidden = text
                elif key == "itemprop":
                    prop = text
            value = (cls or "") + " " + (ident or "")
            if value != " ":
                words = self.seen.get(value)
                if words is None:
                    words = self.seen[value] = self.words.bits(value)
            roles |= _ROLE_BITS.get(role or "", 0)
            if hidden == "true":
                roles |= _ARIA_HIDDEN
            itemprop = itemprop or (prop or "").lower() in _ITEMPROPS
        heading = p_heading if heading < 0 else heading
        if block:  # (tuple.__new__: a NamedTuple's own __new__ is a Python call, on every element)
            return _new(_Context, (block, p_flags | flag, words, p_up | p_own, roles, heading, p_lists + lists,
                                   p_tables + tables, p_depth + 1, index, itemprop))
        return _new(_Context, (p_block, p_flags | flag, p_own | words, p_up, roles, heading, p_lists + lists,
                               p_tables + tables, p_depth + 1, index, itemprop))


class _Tree(NamedTuple):
    """What the walk keeps of the elements: each one (numbered from 1 in document order) and its parent."""

    elements: list[HtmlElement | None]  # [None, element 1, element 2, ...]
    parents: list[int]  # element -> its parent (0 at the top)
    texts: list[int]  # each text after an _EL: the element it stands in (0: none) * 2 + 1 inside a link


def evidence_walk(root: HtmlElement, title: str) -> tuple[str, int, DomEvidence]:
    """The marked text's lines joined (as the plain walk writes them), the deepest level, and the evidence.

    Called by :func:`cleaner.inputs.html_dom.walk` (``evidence=True``), whose marks and tables it uses.
    The contexts are made after the walk (:func:`_contexts`).
    """
    from lxml import etree

    opens, closes, invisible = html_dom._OPENS, html_dom._CLOSES, html_dom._INVISIBLE
    hiding, hidden = html_dom._HIDING, html_dom._hidden
    pieces = [title, _GAP] if title else []
    tree = _Tree([None], [0], [])
    append, record, number, parent = pieces.append, tree.texts.append, tree.elements.append, tree.parents.append
    body = root.find("body")
    walker = etree.iterwalk(body if body is not None else root, events=("start", "end"))
    stack, pre, count, deepest, skipped = [0], 0, 0, 0, None  # stack: the open elements' codes, as tree.texts
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
            count += 1
            top = stack[-1]
            parent(top >> 1)
            stack.append(count << 1 | top & 1 | (tag == "a"))
            number(element)
            if len(stack) > deepest:
                deepest = len(stack)
            mark = opens.get(tag)
            if mark:
                append(mark)
                if tag == "pre":
                    pre += 1
            text = element.text
        else:
            stack.pop()
            mark = closes.get(tag)
            if mark:
                append(mark)
                if tag == "pre":
                    pre -= 1
            text = element.tail
        if text:
            append(_EL)
            append(text.replace("\n", _BREAK) if pre else text)
            record(stack[-1])
    lines, starts, shares = _assemble("".join(pieces), tree)
    deepest = max(deepest - 1, 0)  # (the stack holds the top's 0 too)
    return "\n".join(lines) + "\n" if lines else "", deepest, _rows(starts, shares, deepest, tree)


_TITLE = -1  # a line's start: the <title>'s text, before any element


def _assemble(marked: str, tree: _Tree) -> tuple[list[str], list[int | None], list[float]]:
    """html_dom's line assembly, plus each line's starting element and link share (blank lines: None, 0)."""
    lines: list[str] = []
    starts: list[int | None] = []
    shares: list[float] = []
    owners = [code >> 1 for code in tree.texts]
    linked = [code & 1 for code in tree.texts]
    gap, prefix, at = False, "", 0  # at: the text record of the next _EL
    chunks = _MARKS.split(marked)
    for index in range(0, len(chunks), 2):
        marked_chunk = chunks[index]
        texts = marked_chunk.count(_EL)
        chunk = marked_chunk.replace(_EL, "") if texts else marked_chunk
        if chunk and not chunk.isspace():
            cells = chunk.split(_CELL) if _CELL in chunk else (chunk,)
            line = html_dom.CELL_SEPARATOR.join(" ".join(words) for cell in cells if (words := cell.split()))
            if line.strip(INVISIBLE):
                if gap and lines:
                    lines.append("")
                    starts.append(None)
                    shares.append(0.0)
                lines.append(prefix + line)
                parts = marked_chunk.split(_EL)  # parts[k + 1]: the text of record at + k
                second = parts[1] if texts and not parts[0] else ""  # the common case: the line opens on a text
                if second and _CELL not in second and second.strip() and second.strip(INVISIBLE):
                    starts.append(owners[at])
                else:
                    starts.append(_starting(parts, owners, at))
                shares.append(_link_share(chunk, parts, linked, at) if 1 in linked[at:at + texts] else 0.0)
                prefix, gap = "", False
        at += texts
        mark = chunks[index + 1] if index + 1 < len(chunks) else ""
        if mark == _GAP:
            gap = True
        elif mark == _ITEM:
            prefix = html_dom.BULLET
    return lines, starts, shares


def _starting(parts: list[str], owners: list[int], at: int) -> int:
    """The element of the first visible text of a line's parts (``parts[0]``: the title's, before any element)."""
    for offset, part in enumerate(parts):
        part = part.replace(_CELL, "")  # a cell's mark shows nothing
        if part.strip() and part.strip(INVISIBLE):
            return _TITLE if offset == 0 else owners[at + offset - 1]
    return 0


def _size(text: str) -> int:
    """The characters of ``text`` that count for the link share: not spaces, tabs, line breaks or cell marks."""
    return len(text) - text.count(" ") - text.count("\t") - text.count("\n") - text.count(_CELL)


def _link_share(chunk: str, parts: list[str], linked: list[int], at: int) -> float:
    """The share of a line's counted characters (``chunk``: its parts joined) that stand inside a link."""
    total = _size(chunk)
    inside = sum(_size(parts[offset]) for offset in range(1, len(parts)) if linked[at + offset - 1])
    return inside / total if total else 0.0


def _contexts(starts: list[int | None], tree: _Tree) -> list[_Context]:
    """The contexts of the lines' starting elements, made from the top down through their ancestors only."""
    parents, needed = tree.parents, set()
    for start in starts:
        element = start or 0  # (None: a blank line; _TITLE: before any element)
        while element > 0 and element not in needed:
            needed.add(element)
            element = parents[element]
    enter, elements = _Enter(html_dom._BLOCK), tree.elements
    made: list[_Context] = [_ROOT] * len(elements)  # (by element; only the needed ones are made)
    for element in sorted(needed):  # parents are numbered before their children
        made[element] = enter(elements[element], made[parents[element]], element)
    title = _ROOT._replace(block=0)
    return [title if element == _TITLE else made[element] for element in starts if element is not None]


_BIT_FIELDS = (len(ANCESTOR_FLAGS), len(VOCABULARIES), len(VOCABULARIES), len(ROLES) + 1)  # flags, own, up, roles


def _rows(starts: list[int | None], shares: list[float], deepest: int, tree: _Tree) -> DomEvidence:
    """The evidence rows of the lines (columns :data:`~cleaner.text.dom.DOM_NAMES`; blank lines zeros).

    Filled by column ranges of one array (a few numpy steps a page, not one per column group).
    """
    rows = np.zeros((len(starts), len(WALKED_NAMES)), dtype=np.float32)
    parents = np.array(tree.parents, dtype=np.int64)
    elements = np.zeros(len(starts), dtype=np.int64)
    filled = [i for i, element in enumerate(starts) if element is not None]
    if not filled:
        return DomEvidence(rows, elements, parents)
    count = len(tree.elements) - 1
    table = np.array(_contexts(starts, tree), dtype=np.int64)  # the _Context fields, one row each
    block, flags, own, up, roles, heading, lists, tables, depth, index, itemprop = table.T
    out = np.zeros((len(filled), len(WALKED_NAMES)), dtype=np.float32)
    out[np.arange(len(filled)), block] = 1.0  # the block's one-hot columns come first
    bits = (np.column_stack([flags, own, up, roles])[:, :, None] >> np.arange(max(_BIT_FIELDS))) & 1
    at = len(BLOCK_TAGS)
    for field, width in enumerate(_BIT_FIELDS):
        out[:, at : at + width] = bits[:, field, :width]
        at += width
        if field == 0:  # heading level, list and table depth follow the ancestor flags
            out[:, at : at + 3] = table[:, 5:8]
            at += 3
    out[:, at:] = np.column_stack([np.array(shares)[filled], np.log1p(depth), depth / max(deepest, 1),
                                   index / max(count, 1), itemprop])
    rows[filled] = out
    elements[filled] = index
    return DomEvidence(rows, elements, parents)

"""The dump's layout: how the tool that turned the web page into text laid it out.

Text dumps of whole pages come in a few layouts, and the detectors must judge the same
article the same way in each:

* **one line per block** (html-text, inscriptis, trafilatura's dumps; the dev set): each
  paragraph is one long line, blocks separated by blank lines (inscriptis adds
  indentation and ``*`` bullets);
* **WET-like** (Common Crawl's text records): one line per block and no blank line at all;
* **hard-wrapped** (``lynx -dump``, ``w3m -dump``, ``links -dump``, e-mail): paragraphs
  broken into lines of at most a fixed width. A wrapped paragraph is judged as one *unit*
  (:func:`page_units`): shared signals are computed on its joined text and given to each
  of its lines, so labels stay per original line and the report keeps the input's line
  numbers;
* **numbered link markers** (``lynx -dump``, ``elinks -dump``, ``w3m -o display_link_number=1``):
  every link's text is preceded by ``[12]`` and the page ends with a numbered list of the
  links' URLs under a "References" heading.

:func:`detect_layout` finds these from the text alone (line-length statistics, marker
numbering, the trailing URL list), never from a renderer's name, and keeps the result in the
page's facts (:data:`LAYOUT`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from operator import attrgetter
from typing import TypeVar

import numpy as np

from cleaner.text.facts import Fact
from cleaner.text.page import BULLET, LINK_MARKER, Line, Page
from cleaner.text.phrases import PhraseBook, normalize

__all__ = [
    "ANY_MARKER",
    "LAYOUT",
    "UNITS",
    "UNIT_LINES",
    "UNIT_OF",
    "WIDE",
    "DumpLayout",
    "Unit",
    "close_units",
    "detect_layout",
    "find_references",
    "is_reference_heading",
    "reference_headings",
    "join_wrapped",
    "link_density",
    "marker_spans",
    "page_units",
    "unit_line",
    "unit_lines",
    "unit_of",
    "wrapped_unit_of",
    "uses_link_markers",
    "wrap_width",
]

# Hard-wrap detection: the most consistent width must explain at least this many line
# breaks, with few multi-word lines longer than it (a wrapping renderer would have broken them).
MIN_WRAP_HITS = 8
MAX_OVER_SHARE = 1 / 8  # multi-word lines longer than the width, per explained break
_NUMBER = attrgetter("number")
WIDTH_SLACK = 2  # renderers let some elements run a column or two past the width
MIN_WIDTH, MAX_WIDTH = 30, 250
MIN_WRAPPED_RUNS = 2  # wrapped paragraphs (runs of full lines closed by a shorter line)
MAX_RUN_LINES = 15  # full lines per wrapped paragraph, on average
# Numbered link markers: enough of them, mostly numbered one after the other (lynx numbers links in page order).
MIN_MARKERS = 5
MIN_SEQUENTIAL_SHARE = 0.6
# A reference list: numbered URL lines, at least this many when no heading announces them.
MIN_BARE_REFERENCES = 3
MIN_REFERENCE_SHARE = 0.6  # after a heading, at least this share of the lines are numbered URLs
MAX_STRAY_LINES = 2  # consecutive non-URL lines inside the list (pieces of a URL with a line break)

T = TypeVar("T")

ANY_MARKER = re.compile(r"\[\d{1,5}\]")
# "  12. https://example.com/a", "[3] https://…", "[3]: https://…", "4. file:///…", "5. mailto:x@y".
REFERENCE_LINE = re.compile(
    r"^\s*(?:\d{1,5}\.|\[\d{1,5}\]:?)\s+(?:[a-z][a-z0-9+.-]{1,15}://|mailto:|javascript:|tel:|data:|news:)\S", re.I
)
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*$")
_HYPHEN_BREAK = re.compile(r"\w-$")
_SENTENCE_STOP = re.compile(r"[.!?…。！？](?=\s|$)")


class Unit:
    """Lines ``first..last`` (1-based, inclusive) that hold one block: a line, or a wrapped paragraph.

    Immutable by convention, equal and hashed by ``(first, last)``. Slots instead of a frozen
    dataclass: a page has one unit per non-blank line (half a million on a 20 MB page), and a
    per-unit ``__dict__`` tripled their memory.
    """

    __slots__ = ("first", "last")

    def __init__(self, first: int, last: int) -> None:
        self.first = first
        self.last = last

    @property
    def numbers(self) -> range:
        return range(self.first, self.last + 1)

    def __len__(self) -> int:
        return self.last - self.first + 1

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Unit:
            return NotImplemented
        return self.first == other.first and self.last == other.last  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((self.first, self.last))

    def __repr__(self) -> str:
        return f"Unit(first={self.first!r}, last={self.last!r})"


@dataclass(frozen=True)
class DumpLayout:
    """What :func:`detect_layout` found out about a page's layout.

    ``wrap_width``: the width paragraphs were hard-wrapped at (``None``: one line per block);
    ``link_markers``: the text marks links with numbered ``[12]`` markers;
    ``references``: the line range of the trailing numbered list of link URLs (with its heading);
    ``blank_lines``: the page separates blocks with blank lines (``False``: WET-like, none at all).
    """

    wrap_width: int | None = None
    link_markers: bool = False
    references: tuple[int, int] | None = None
    blank_lines: bool = True

    @property
    def wrapped(self) -> bool:
        return self.wrap_width is not None

    @property
    def name(self) -> str:
        """A short description for messages and tests: "wrapped at 79, link markers", "one line per block"."""
        parts = [f"wrapped at {self.wrap_width}" if self.wrapped else "one line per block"]
        if not self.blank_lines:
            parts.append("no blank lines")
        if self.link_markers:
            parts.append("link markers")
        if self.references:
            parts.append(f"reference list {self.references[0]}-{self.references[1]}")
        return ", ".join(parts)


# The page facts this module computes (see cleaner.text.facts), each by the function named.
LAYOUT: Fact[DumpLayout] = Fact("layout")  # detect_layout
WIDE: Fact[bool] = Fact("wide")  # _has_wide: some character takes two display columns
UNITS: Fact[tuple[Unit, ...]] = Fact("units")  # page_units
UNIT_OF: Fact[list[Unit | None]] = Fact("unit_of", per_line=True)  # unit_of
UNIT_LINES: Fact[list[Line | None]] = Fact("unit_lines", per_line=True)  # unit_lines


def detect_layout(page: Page) -> DumpLayout:
    """The page's layout, computed once and kept in the page's facts."""
    found = page.facts.get(LAYOUT)
    if found is None:
        references = find_references(page)
        nonblank = len(page.nonblank())
        found = page.facts.put(LAYOUT, DumpLayout(
            wrap_width=wrap_width(page, references),
            link_markers=uses_link_markers(page, references),
            references=references,
            blank_lines=nonblank < 2 or nonblank < len(page),
        ))
    return found


# --- hard wrapping ------------------------------------------------------------------------------


def _columns(text: str) -> int:
    """Display width: East Asian wide characters take two columns (how w3m and links count)."""
    if text.isascii() or max(text) <= "\u10ff":
        return len(text)
    return len(text) + sum(count for char, count in Counter(text).items() if _wide(char))


def _wide(char: str) -> bool:
    return char > "\u10ff" and unicodedata.east_asian_width(char) in "WF"


def _has_wide(page: Page) -> bool:
    """True when some line is wider in display columns than in characters (CJK text)."""
    found = page.facts.get(WIDE)
    if found is None:
        # The page's distinct characters: line endings (\r, \n) are never wide.
        found = page.facts.put(WIDE, not page.text.isascii() and any(_wide(char) for char in set(page.text)))
    return found


def _measure(text: str, columns: bool) -> int:
    # Renderers that print link markers do not count them in the width (lynx).
    bare = text.rstrip()
    if "[" in bare:
        bare = ANY_MARKER.sub("", bare)
    return _columns(bare) if columns else len(bare)


def _line_measures(page: Page, columns: bool) -> tuple[list[int], list[int], list[bool]]:
    """Per line (index ``number - 1``; 0 or ``False`` for blank lines): its measured width, its first
    word's, and whether it has two words or more besides a list marker.

    Only :func:`wrap_width` needs them (computed once there, not kept on the page: on a 20 MB
    page the lists would hold tens of megabytes until the page is rendered).
    """
    sizes, heads, multi = [], [], []
    for line in page.lines:
        if line.is_blank:
            sizes.append(0)
            heads.append(0)
            multi.append(False)
            continue
        text = line.text
        # The first word and the word count of the stripped text (split skips white space at either end).
        words = text.split(None, 2)
        if columns or "[" in text:
            sizes.append(_measure(text, columns))
            heads.append(_measure(words[0], columns))
        else:  # _measure without link markers or wide characters: the length without trailing space
            sizes.append(len(text.rstrip()))
            heads.append(len(words[0]))
        # A list marker is the line's first word (it is followed by white space): it does not count.
        multi.append(len(words) - line.bulleted >= 2)
    return sizes, heads, multi


Measures = tuple[list[int], list[int], list[bool]]


def _best_width(page: Page, measures: Measures, end: int) -> tuple[int, int, int]:
    """(hits, over, width) of the width that best explains the page's line breaks.

    A break after line ``a`` is explained by width ``W`` when ``a`` fits (``len(a) <= W``)
    but would not have fitted with the next line's first word added (``len(a) + 1 +
    len(word) > W``). A multi-word line longer than ``W`` (give or take :data:`WIDTH_SLACK`)
    contradicts ``W``. Only lines before ``end`` count (a reference list is never wrapped).
    """
    # Counted with numpy over the page's lines (integers only: the same counts as a loop per line).
    span = MAX_WIDTH + 2
    count = min(end, len(page))
    filled = np.zeros(count, dtype=bool)
    numbers = np.fromiter(map(_NUMBER, page.nonblank()), dtype=np.intp)
    filled[numbers[numbers <= count] - 1] = True
    sizes = np.minimum(np.array(measures[0][:count], dtype=np.intp), MAX_WIDTH + 1)
    over = np.bincount(np.maximum(sizes[filled & np.array(measures[2][:count], dtype=bool)] - WIDTH_SLACK, 0),
                       minlength=span)
    # A break between two non-blank lines is explained for size <= W < size + 1 + the next line's first word.
    pair = filled[:-1] & filled[1:]
    low = sizes[:-1][pair]
    high = np.minimum(low + np.array(measures[1][1:count], dtype=np.intp)[pair], MAX_WIDTH)
    low, high = low[low <= high], high[low <= high]
    running = np.cumsum(np.bincount(low, minlength=span) - np.bincount(high + 1, minlength=span))[: MAX_WIDTH + 1]
    longer = over.sum() - np.cumsum(over)[: MAX_WIDTH + 1]
    score = (running - 2 * longer)[MIN_WIDTH:]
    width = int(np.argmax(score))  # the first best width; none unless it beats (0, 0)
    if score[width] <= 0:
        return (0, 0, 0)
    return int(running[MIN_WIDTH + width]), int(longer[MIN_WIDTH + width]), MIN_WIDTH + width


def wrap_width(page: Page, references: tuple[int, int] | None = None) -> int | None:
    """The width the page's paragraphs are hard-wrapped at, or ``None`` for one line per block.

    Found statistically: the width that explains the most line breaks (see :func:`_best_width`)
    must explain at least :data:`MIN_WRAP_HITS` of them, with few lines longer than it. Both
    character counts and display columns are tried (renderers differ for wide scripts).
    """
    end = references[0] - 1 if references else len(page)
    measures = {False: _line_measures(page, False)}
    if _has_wide(page):
        measures[True] = _line_measures(page, True)
    candidates = [(*_best_width(page, measured, end), columns) for columns, measured in measures.items()]
    hits, over, width, columns = max(candidates, key=lambda c: c[0] - 2 * c[1])
    if hits < MIN_WRAP_HITS or over > hits * MAX_OVER_SHARE:
        return None
    # Wrapped text is paragraphs: runs of full lines, each closed by a shorter last line. A
    # list of equally long lines (a menu) "explains" its breaks too, but as one endless run.
    runs = _wrapped_runs(page, end, width, measures[columns])
    return width if runs >= MIN_WRAPPED_RUNS and hits <= MAX_RUN_LINES * runs else None


def _wrapped_runs(page: Page, end: int, width: int, measures: Measures) -> int:
    """How many runs of full lines (breaks explained by ``width``) among the first ``end`` lines end in a
    line that is not full."""
    lines = page.lines[:end]
    sizes, heads, _ = measures
    runs, in_run = 0, False
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        full = (
            not line.is_blank
            and following is not None
            and not following.is_blank
            and sizes[index] <= width < sizes[index] + 1 + heads[index + 1]
        )
        if in_run and not full and not line.is_blank:
            runs += 1
        in_run = full
    return runs


def _continues(prev: Line, line: Line, body_indent: int, width: int, columns: bool) -> bool:
    """True when ``line`` is the next wrapped line of the paragraph ``prev`` belongs to."""
    if line.is_blank or BULLET.match(line.stripped) or line.indent not in (prev.indent, body_indent):
        return False
    word = line.stripped.split()[0]
    # Some renderers count link markers in the width and some do not: the longer measure decides.
    size = max(_measure(prev.text, columns), _columns(prev.text.rstrip()) if columns else len(prev.text.rstrip()))
    return size + 1 + _measure(word, columns) > width  # else the word would have fitted: a new block


def _closes_block(page: Page, line: Line) -> bool:
    following = page.lines[line.number] if line.number < len(page) else None
    return following is None or following.is_blank or following.indent != line.indent


def _units(page: Page) -> tuple[Unit, ...]:
    layout_width = detect_layout(page).wrap_width
    if layout_width is None:  # one line per block: every non-blank line is a unit
        return tuple(Unit(line.number, line.number) for line in page.lines if not line.is_blank)
    columns = _has_wide(page)
    units: list[Unit] = []
    first: Line | None = None
    body_indent = 0
    prev: Line | None = None
    for line in page.lines:
        if line.is_blank:
            if first is not None and prev is not None:
                units.append(Unit(first.number, prev.number))
            first = prev = None
            continue
        joined = (
            layout_width is not None
            and prev is not None
            and _continues(prev, line, body_indent, layout_width, columns)
            # "...since the launch." + "Advertisement" closing the block: a separate short block.
            and not (_SENTENCE_END.search(prev.stripped) and not _SENTENCE_END.search(line.stripped)
                     and _closes_block(page, line))
        )
        if not joined:
            if first is not None and prev is not None:
                units.append(Unit(first.number, prev.number))
            first = line
            bullet = BULLET.match(line.stripped)
            body_indent = line.indent + (bullet.end() if bullet else 0)
        prev = line
    if first is not None and prev is not None:
        units.append(Unit(first.number, prev.number))
    return tuple(units)


def page_units(page: Page) -> tuple[Unit, ...]:
    """The page's non-blank units in order: each line alone, except wrapped paragraphs (cached)."""
    found = page.facts.get(UNITS)
    return page.facts.put(UNITS, _units(page)) if found is None else found


def wrapped_unit_of(page: Page) -> list[Unit | None] | None:
    """:func:`unit_of` on a hard-wrapped page; ``None`` elsewhere, where every unit is one line (none made)."""
    return unit_of(page) if detect_layout(page).wrapped else None


def unit_of(page: Page) -> list[Unit | None]:
    """For every line (index ``number - 1``), the unit it belongs to (``None`` for blank lines)."""
    found = page.facts.get(UNIT_OF)
    if found is None:
        found = [None] * len(page)
        for unit in page_units(page):
            for number in unit.numbers:
                found[number - 1] = unit
        page.facts.put(UNIT_OF, found)
    return found


def join_wrapped(parts: list[str]) -> str:
    """Rejoin a wrapped paragraph's stripped lines: a space between, none after a word-final hyphen."""
    text = parts[0] if parts else ""
    for part in parts[1:]:
        text += part if _HYPHEN_BREAK.search(text) and part[:1].islower() else " " + part
    return text


def unit_line(page: Page, unit: Unit) -> Line:
    """The unit as one :class:`Line` (numbered like its first line): the line itself, or the rejoined paragraph."""
    if len(unit) == 1:
        return page.line(unit.first)
    text = join_wrapped([page.line(number).stripped for number in unit.numbers])
    return Line(unit.first, text, "")


def unit_lines(page: Page) -> list[Line | None]:
    """For every line, the line its signals are computed on: its unit's rejoined line (``None`` when blank).

    Lines of one wrapped paragraph share the same object, so a caller can compute once per unit.
    """
    found = page.facts.get(UNIT_LINES)
    if found is None:
        if not detect_layout(page).wrapped:  # every unit is one line, its own unit line
            found = [None if line.is_blank else line for line in page.lines]
        else:
            joined = {unit: unit_line(page, unit) for unit in page_units(page)}
            found = [None if unit is None else joined[unit] for unit in unit_of(page)]
        page.facts.put(UNIT_LINES, found)
    return found


def close_units(page: Page, verdicts: dict[int, T]) -> dict[int, T]:
    """``verdicts`` (line number -> label) with no wrapped paragraph left half removed.

    A unit at least half of whose lines are labelled goes whole, every line with the label of
    its first labelled line; otherwise its labels are dropped and it stays whole (a detector
    that matched a phrase on one line of a paragraph saw only a fragment of it).
    """
    out = dict(verdicts)
    if not detect_layout(page).wrapped:  # every unit is one line: nothing to close
        return out
    for unit in page_units(page):
        if len(unit) == 1:
            continue
        labelled = [n for n in unit.numbers if n in verdicts]
        if not labelled or len(labelled) == len(unit):
            continue
        if 2 * len(labelled) >= len(unit):
            for number in unit.numbers:
                out.setdefault(number, verdicts[labelled[0]])
        else:
            for number in labelled:
                del out[number]
    return out


# --- link markers and the reference list ---------------------------------------------------------


def reference_headings(book: PhraseBook) -> frozenset[str]:
    """The headings of a reference list in ``book`` ("References", "Visible links:", "Verweise"), normalized."""
    return book.derived(("layout", "reference headings"), _reference_headings)


def _reference_headings(book: PhraseBook) -> frozenset[str]:
    return frozenset(normalize(phrase) for phrase in book.section("link-list", "heading"))


def is_reference_heading(line: Line, headings: frozenset[str]) -> bool:
    """A heading of a reference list: one of ``headings`` (:func:`reference_headings`)."""
    return not line.is_blank and len(line.stripped) <= 40 and normalize(line.stripped) in headings


def find_references(page: Page) -> tuple[int, int] | None:
    """The line range of the trailing list of numbered link URLs, with its heading(s), or ``None``.

    The list is the run of numbered URL lines and list headings ("References", "Visible
    links:", "Verweise", …) that ends the page (with at most :data:`MAX_STRAY_LINES` other
    lines in a row inside it: pieces of a URL that had a line break in it); it starts at
    its first heading, or, without one, at its first URL line when there are at least
    :data:`MIN_BARE_REFERENCES` of them. A heading followed by URL lines that make most of
    the rest of the page also starts it, however many stray lines lie between.
    """
    nonblank, headings = page.nonblank(), reference_headings(page.phrases)
    start, stray = len(nonblank), 0
    for index in range(len(nonblank) - 1, -1, -1):
        if _is_reference(nonblank[index]) or is_reference_heading(nonblank[index], headings):
            start, stray = index, 0
        else:
            stray += 1
            # The list ends the page; inside it a few stray lines in a row are tolerated.
            if start == len(nonblank) or stray > MAX_STRAY_LINES:
                break
    tail = nonblank[start:]
    numbered = [line for line in tail if _is_reference(line)]
    heading = next((line for line in tail if is_reference_heading(line, headings)), None)
    anchored = _anchored_heading(nonblank, headings)
    if anchored is not None and (heading is None or anchored.number < heading.number):
        heading = anchored
    if heading is not None:
        return heading.number, page.lines[-1].number
    if len(numbered) >= MIN_BARE_REFERENCES:
        return numbered[0].number, page.lines[-1].number
    return None


def _is_reference(line: Line) -> bool:
    return bool(REFERENCE_LINE.match(line.text))


def _anchored_heading(nonblank: list[Line], headings: frozenset[str]) -> Line | None:
    """The first reference heading, right above a URL line, after which the page is mostly numbered URLs."""
    references, found = 0, None
    for index in range(len(nonblank) - 1, -1, -1):
        line = nonblank[index]
        if _is_reference(line):
            references += 1
        # The share of URL lines below is tested first: on most pages there are none, and no line
        # needs the heading test.
        elif references >= MIN_REFERENCE_SHARE * (len(nonblank) - index - 1) and is_reference_heading(line, headings):
            near = nonblank[index + 1: index + 3]
            if any(_is_reference(other) or is_reference_heading(other, headings) for other in near):
                found = line
    return found


def uses_link_markers(page: Page, references: tuple[int, int] | None = None) -> bool:
    """True when the text marks links with numbered ``[n]`` markers (outside the reference list).

    Renderers number links in page order, so the markers mostly count up one by one; a page
    with a reference list needs fewer of them.
    """
    numbers = [
        int(match.group(1))
        for line in page.lines
        if (references is None or line.number < references[0]) and "[" in line.text
        for match in LINK_MARKER.finditer(line.text)
    ]
    if len(numbers) < (2 if references else MIN_MARKERS):
        return False
    sequential = sum(1 for a, b in zip(numbers, numbers[1:], strict=False) if b == a + 1)
    return sequential >= MIN_SEQUENTIAL_SHARE * (len(numbers) - 1)


def marker_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every link marker in ``text``; a free-standing one takes the space after it."""
    spans = []
    for match in ANY_MARKER.finditer(text):
        start, end = match.span()
        alone = (start == 0 or text[start - 1].isspace()) and text[end: end + 1] == " "
        spans.append((start, end + 1 if alone else end))
    return spans


def link_density(page: Page, unit: Unit) -> float:
    """Estimated share of the unit's characters inside links (0.0 on pages without link markers).

    Markers show where a link starts, not where it ends: a link is taken to run to the next
    marker or the first sentence stop, so a menu item or a wrapped teaser headline is all
    link, while a paragraph with a link in one sentence is mostly not.
    """
    if not detect_layout(page).link_markers:
        return 0.0
    text = BULLET.sub("", join_wrapped([page.line(number).stripped for number in unit.numbers]), count=1)
    total = len(ANY_MARKER.sub("", text).strip())
    marks = list(ANY_MARKER.finditer(text))
    linked = 0
    for index, mark in enumerate(marks):
        stop = marks[index + 1].start() if index + 1 < len(marks) else len(text)
        anchor = _SENTENCE_STOP.split(text[mark.end(): stop], maxsplit=1)[0]
        linked += len(anchor.strip())
    return min(1.0, linked / total) if total else 0.0

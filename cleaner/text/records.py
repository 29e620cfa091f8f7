"""Record lists in a text dump: entries of one shape, each with the same labelled fields.

A directory, a results list or a programme renders each entry as a few lines, some of them
labelled fields that every entry repeats ("Civic Address: 465 Brandy Cove Road", "Rates: $55",
"Season: April 1 to October 31"), with a line of description between them. Line by line the
fields look like chrome, so the main-body locator's densest stretch holds two or three entries
of a list of twenty. :func:`record_span` widens a stretch that repeats a field over the entries
around it that repeat the same field.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from cleaner.text.page import Line, Page
from cleaner.text.signals import page_signals

__all__ = ["MAX_GAP", "record_span"]

MAX_GAP = 8  # non-blank lines from one entry's field to the next entry's same field
MAX_FIELD_WORDS = 25  # a field line holds a short value or a line of description
# "Civic Address: ...", "Distance: ...": a short label (one to three words), a colon, a value.
_FIELD = re.compile(r"^\s*(\w[\w'’&/-]*(?: [\w'’&/-]+){0,2})\s?:\s+\S", re.UNICODE)


def _field(line: Line) -> str | None:
    found = _FIELD.match(line.content)
    if found is None or len(line.content.split()) > MAX_FIELD_WORDS:
        return None
    return found.group(1).lower()


def record_span(page: Page, first: int, last: int, removed: Callable[[int], bool]) -> tuple[int, int]:
    """Lines ``first``-``last`` widened over the record list they are part of (unchanged when none).

    The stretch is part of one when a field label occurs in it twice or more; the entries
    before and after it that repeat that field every :data:`MAX_GAP` non-blank lines or
    sooner are taken in, with an entry's lines around its fields (the lines between two
    fields; before the first, one line, the entry's name; after the last, up to the rest of
    one entry: its length less its name and that field). The widening stops at a line a specific detector
    labelled (``removed``), and happens only when the entries taken in hold running text
    (a line of prose for every two entries): a list of teaser headlines and dates repeats its
    "Posted on:" field too, with nothing to read between.
    """
    nonblank = [line for line in page.lines if not line.is_blank]
    inside = [i for i, line in enumerate(nonblank) if first <= line.number <= last]
    if not inside:
        return first, last
    counts = Counter(key for i in inside if (key := _field(nonblank[i])) is not None)
    keys = {key for key, n in counts.items() if n >= 2}
    if not keys:
        return first, last
    hits = [i for i in inside if _field(nonblank[i]) in keys]
    period = max(2, min(MAX_GAP, (hits[-1] - hits[0]) // max(len(hits) - 1, 1)))
    low, high = _walk(nonblank, keys, hits[0], -1, removed), _walk(nonblank, keys, hits[-1], 1, removed)
    if low < hits[0] and low > 0 and not removed(nonblank[low - 1].number):
        low -= 1  # the first entry's name, above its field
    low = min(low, inside[0])
    if high > hits[-1]:
        for _ in range(period - 2):  # the last entry's lines after its field (the entry less its name and field)
            if high + 1 >= len(nonblank) or removed(nonblank[high + 1].number):
                break
            high += 1
    high = max(high, inside[-1])
    added = [*range(low, inside[0]), *range(inside[-1] + 1, high + 1)]
    if not added:
        return first, last
    signals = page_signals(page)
    entries = sum(1 for i in added if _field(nonblank[i]) in keys)
    prose = sum(1 for i in added if signals[nonblank[i].number - 1].is_prose)
    if 2 * prose < entries:
        return first, last
    return min(first, nonblank[low].number), max(last, nonblank[high].number)


def _walk(nonblank: list[Line], keys: set[str], start: int, step: int, removed: Callable[[int], bool]) -> int:
    """The farthest field line of ``keys`` reached from ``start`` in direction ``step``, no gap over MAX_GAP."""
    reached, at = start, start + step
    while 0 <= at < len(nonblank) and abs(at - reached) <= MAX_GAP:
        if removed(nonblank[at].number):
            break
        if _field(nonblank[at]) in keys:
            reached = at
        at += step
    return reached

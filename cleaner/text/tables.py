"""Tables and definition lists in a text dump: runs of rows that share a shape.

A renderer turns a table into one line per row ("3 St Anne's 22 13 5 4 +15 44") and a
specification list into "Key: value" lines ("Capacity: 1.7 litres"). Line by line these look
like chrome: short, title case, few stopwords, no sentence. As a run they are recognisable by
shape alone: several consecutive rows that each carry numeric cells, or that each pair a short
key with a value. :func:`table_end` finds such a run where it starts, so the main-body locator
can take a table that follows the article into it, as it takes a subheading.
"""

from __future__ import annotations

import re

from cleaner.text.page import Page

__all__ = ["MIN_ROWS", "is_key_value_row", "is_numeric_row", "table_end", "table_rows"]

MIN_ROWS = 3  # fewer rows than this are not a table (a date line and a score line are not)
MAX_ROW_WORDS = 16  # a longer line is a sentence that mentions numbers, not a row
_CELL_NUMBER = re.compile(r"[-+−±]?[$€£¥]?\d[\d.,:/'’]*(?:%|°|[a-zA-Z]{1,3})?")
_KEY_VALUE = re.compile(r"(?P<key>[^:：\s][^:：]{0,38}?)\s*[:：]\s+(?P<value>\S.*)")
_KEY_WORDS = 4  # "Cordless base", "Date of birth": a key is a short name, not a clause
_VALUE_WORDS = 10


def is_numeric_row(text: str) -> bool:
    """A table row: several cells, at least two of them numbers, and not a sentence.

    Three cells must all be numbers: "12 June 2023" is a date, "7 14 21" a row.
    """
    cells = text.split()
    if not 3 <= len(cells) <= MAX_ROW_WORDS or text.rstrip().endswith((".", "!", "?")):
        return False
    numbers = sum(1 for cell in cells if _CELL_NUMBER.fullmatch(cell))
    return numbers >= 2 if len(cells) >= 4 else numbers == len(cells)


def is_key_value_row(text: str) -> bool:
    """A definition-list row: a short key, a colon, a short value ("Power: 2200 W")."""
    match = _KEY_VALUE.fullmatch(text.strip())
    if match is None or "://" in text:
        return False
    return len(match["key"].split()) <= _KEY_WORDS and len(match["value"].split()) <= _VALUE_WORDS


def table_end(page: Page, first: int) -> int | None:
    """The last line of the table that starts at line ``first``, or ``None`` when none does.

    A table is at least :data:`MIN_ROWS` consecutive rows of one kind (numeric, or key: value),
    with no blank line between them, optionally under one header line: a row of short cells
    above numeric rows ("Pos Club P W D L Pts"), or a short heading above key: value rows
    ("Specifications").
    """
    lines = page.lines
    for row_kind in (is_numeric_row, is_key_value_row):
        start = first + 1 if _is_header(lines[first - 1].content) else first
        end = start
        while end <= len(lines) and not lines[end - 1].is_blank and row_kind(lines[end - 1].content):
            end += 1
        if end - start >= MIN_ROWS:
            return end - 1
    return None


def _is_header(text: str) -> bool:
    """A table's header or a list's heading: a few short words, no sentence, no colon pair."""
    cells = text.split()
    return 0 < len(cells) <= 10 and all(len(cell) <= 14 for cell in cells) and not text.rstrip().endswith(".")


def table_rows(page: Page, span: tuple[int, int]) -> frozenset[int]:
    """The line numbers of every table (:func:`table_end`) that starts inside ``span`` (first, last)."""
    rows: set[int] = set()
    number = span[0]
    while number <= span[1]:
        end = None if page.lines[number - 1].is_blank else table_end(page, number)
        if end is None:
            number += 1
            continue
        rows.update(range(number, end + 1))
        number = end + 1
    return frozenset(rows)

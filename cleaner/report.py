"""What was removed and why, in two forms: the JSON record per input, and the line-by-line review.

Both are built only from a :class:`~cleaner.render.CleanResult`.

The JSON record (one line of ``report.jsonl`` per input)::

    {"path": "seeds/a.txt", "status": "ok", "error": null,
     "output": "seeds.clean/a.txt", "encoding": "utf-8",
     "metadata": {"title": ..., "author": ..., "date": ..., "language": ...},
     "lines_total": 30, "lines_kept": 12, "notes": [],
     "removed": [{"detector": "main-body", "rule": "BODY1", "first_line": 1, "last_line": 2,
                  "text": "exact text of lines 1-2, line endings included", "reason": ""}],
     "edits": [{"line": 5, "start": 0, "end": 2, "text": "  ", "detector": "layout", "rule": "LAY2"}]}

Line numbers are 1-based and inclusive; ``start``/``end`` are character offsets in the input
line. ``edits`` are the cuts inside kept lines: the renderer's whitespace trimming (``layout``
``LAY2``) and cuts a detector asked for, such as a ``[12]`` link marker (``link-list``
``LINK3``); the review shows the latter under their line. A failed input has
``"status": "error"``, the message in ``error``, ``null`` metadata and line counts and
empty lists. :func:`rebuild_from_record` puts the clean text and a record back
together into the exact input text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cleaner.page import Page
from cleaner.render import LAYOUT, LAYOUT_WHITESPACE, CleanResult, Edit, RemovedSpan, rebuild

Record = dict[str, Any]
OK = "ok"
ERROR = "error"


def record(
    result: CleanResult, *, path: str | None = None, output: str | None = None, encoding: str | None = None
) -> Record:
    """The JSON-ready record of one cleaned input (``path`` defaults to ``result.source``)."""
    return {
        "path": result.source if path is None else path,
        "status": OK,
        "error": None,
        "output": output,
        "encoding": encoding,
        "metadata": result.metadata.to_dict(),
        "lines_total": result.lines_total,
        "lines_kept": result.lines_kept,
        "notes": list(result.notes),
        "removed": [asdict(span) for span in result.removed],
        "edits": [asdict(edit) for edit in result.edits],
    }


def error_record(path: str, error: str) -> Record:
    """The record of an input that could not be cleaned."""
    return {
        "path": path,
        "status": ERROR,
        "error": error,
        "output": None,
        "encoding": None,
        "metadata": None,
        "lines_total": None,
        "lines_kept": None,
        "notes": [],
        "removed": [],
        "edits": [],
    }


def dumps(rec: Record) -> str:
    """One record as one JSON line (UTF-8 text, non-ASCII kept as is), newline included."""
    return json.dumps(rec, ensure_ascii=False) + "\n"


def read_report(path: str | Path) -> list[Record]:
    """The records of a ``report.jsonl`` file, in order."""
    with open(path, encoding="utf-8") as stream:
        return [json.loads(line) for line in stream if line.strip()]


def rebuild_from_record(text: str, rec: Record) -> str:
    """The input text, from its clean ``text`` and its record (as written or read back from JSON)."""
    if rec.get("status") != OK:
        raise ValueError(f"{rec.get('path')}: record has status {rec.get('status')!r}, nothing to rebuild")
    removed = [RemovedSpan(**span) for span in rec["removed"]]
    edits = [Edit(**edit) for edit in rec["edits"]]
    return rebuild(text, removed, edits)


@dataclass(frozen=True)
class ReviewRow:
    """One row of the review: an input line (or a run of ``count`` removed blank lines).

    ``detector``/``rule`` are ``None`` for a kept line; ``edits`` are its in-line cuts other
    than whitespace trimming.
    """

    number: int
    text: str
    detector: str | None = None
    rule: str | None = None
    count: int = 1
    edits: tuple[Edit, ...] = ()

    @property
    def removed(self) -> bool:
        return self.detector is not None

    @property
    def label(self) -> str:
        return f"{self.detector} {self.rule}" if self.removed else ""


def is_trim(edit: Edit) -> bool:
    """True for the renderer's leading/trailing whitespace trimming (not worth showing)."""
    return (edit.detector, edit.rule) == (LAYOUT, LAYOUT_WHITESPACE) or not edit.text.strip()


def review(result: CleanResult) -> list[ReviewRow]:
    """Every input line in order, removed ones labelled; runs of removed blank lines as one row."""
    page = Page(result.rebuild())
    owner = {n: span for span in result.removed for n in range(span.first_line, span.last_line + 1)}
    edits: dict[int, list[Edit]] = {}
    for edit in result.edits:
        if not is_trim(edit):
            edits.setdefault(edit.line, []).append(edit)
    rows: list[ReviewRow] = []
    for line in page.lines:
        span = owner.get(line.number)
        if span is None:
            cuts = tuple(sorted(edits.get(line.number, []), key=lambda e: e.start))
            rows.append(ReviewRow(line.number, line.text, edits=cuts))
            continue
        last = rows[-1] if rows else None
        if line.is_blank and last and _continues_blank_run(last, span, line.number):
            rows[-1] = ReviewRow(last.number, last.text, last.detector, last.rule, last.count + 1)
            continue
        rows.append(ReviewRow(line.number, line.text, span.detector, span.rule))
    return rows


def _continues_blank_run(row: ReviewRow, span: RemovedSpan, number: int) -> bool:
    same = (row.detector, row.rule) == (span.detector, span.rule)
    return same and row.removed and not row.text.strip() and row.number + row.count == number


@dataclass(frozen=True)
class ReviewLayout:
    """Column widths shared by the rows of one review."""

    number: int
    label: int

    @classmethod
    def of(cls, rows: Iterable[ReviewRow]) -> ReviewLayout:
        rows = list(rows)
        return cls(
            number=max((len(str(row.number)) for row in rows), default=1) + 2,
            label=max((len(label) for row in rows for label in _labels(row)), default=0),
        )


def _labels(row: ReviewRow) -> list[str]:
    return [row.label] + [f"{edit.detector} {edit.rule}" for edit in row.edits]


def row_parts(row: ReviewRow, layout: ReviewLayout) -> tuple[str, str]:
    """The row as (gutter, text): ``  12 - main-body BODY1 | `` and the line text shown."""
    mark = "-" if row.removed else " "
    gutter = f"{row.number:>{layout.number}} {mark} {row.label:<{layout.label}} | "
    text = row.text
    if row.count > 1:
        text = f"({row.count} blank lines, {row.number}-{row.number + row.count - 1})"
    return gutter, text


def edit_parts(edit: Edit, layout: ReviewLayout) -> tuple[str, str]:
    """An in-line cut as (gutter, marker): carets under the characters left out."""
    label = f"{edit.detector} {edit.rule}"
    gutter = f"{'':>{layout.number}} ~ {label:<{layout.label}} | "
    return gutter, " " * edit.start + "^" * max(1, edit.end - edit.start)


def format_review(result: CleanResult) -> str:
    """The review as plain text, one row a line (what ``clean --diff`` prints without colour)."""
    rows = review(result)
    layout = ReviewLayout.of(rows)
    out: list[str] = []
    for row in rows:
        out.append("".join(row_parts(row, layout)).rstrip() + "\n")
        out.extend("".join(edit_parts(edit, layout)).rstrip() + "\n" for edit in row.edits)
    return "".join(out)

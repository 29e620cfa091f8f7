"""What was removed and why, as the JSON record (one line of ``report.jsonl`` per input), built only
from a :class:`~cleaner.render.CleanResult`; the same result as ``clean --diff`` shows it (the
line-by-line review, the unified diff) is :mod:`cleaner.outputs.diff`.

The JSON record (one line of ``report.jsonl`` per input), described exactly by the JSON Schema
``cleaner/outputs/schemas/report.schema.json`` (:data:`SCHEMA_PATH`, :func:`schema`; its ``$id``
carries the version, :data:`SCHEMA_ID`)::

    {"path": "seeds/a.txt", "status": "ok", "error": null,
     "output": "seeds.clean/a.txt", "encoding": "utf-8", "encoding_confidence": 1.0, "bom": null,
     "metadata": {"title": ..., "author": ..., "date": ..., "language": ...},
     "lines_total": 30, "lines_kept": 12, "notes": [],
     "removed": [{"detector": "main-body", "rule": "BODY1", "first_line": 1, "last_line": 2,
                  "start": 0, "end": 31, "text": "exact text of lines 1-2, line endings included",
                  "reason": ""}],
     "edits": [{"line": 5, "start": 0, "end": 2, "text": "  ", "detector": "layout", "rule": "LAY2"}]}

Line numbers are 1-based and inclusive. A removed span's ``start``/``end`` are 0-based
character offsets into the whole decoded input (Python string indices, i.e. code points;
``end`` exclusive), so ``input[start:end] == text``. An edit's ``start``/``end`` are character
offsets into its input line. ``edits`` are the cuts inside kept lines: the renderer's whitespace
trimming (``layout`` ``LAY2``) and cuts a detector asked for, such as a ``[12]`` link marker
(``link-list`` ``LINK3``); the review shows the latter under their line. A failed input has
``"status": "error"``, the message in ``error``, ``null`` metadata and line counts and empty
lists. :func:`rebuild_from_record` puts the clean text and a record back together into the
exact input text, the text that ``encoding`` decodes the input bytes to; ``bom`` names the
byte-order mark the input began with (``utf-8``, ``utf-16-le``, ``utf-16-be``, ``utf-32-le``,
``utf-32-be``; ``null``: none), which is no part of that text, and :func:`rebuild_input_bytes`
gives the exact input bytes, mark included.

Records of runs (:meth:`Outcome.record`) end with ``"input_format"``: ``"text"``,
or ``"html"`` for an HTML page, whose "input" is its whole-page text (every visible block
a line, see :mod:`cleaner.inputs.html`): lines, offsets and the rebuilt input refer to that text,
and its metadata may add ``site_name`` and ``url`` (the canonical address). The run then
appends its provenance, ``"cleaner_version"``, ``"model_version"`` and ``"settings_hash"``
(:func:`cleaner.options.provenance`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, fields
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any

from cleaner.inputs.decoding import BOM_BYTES
from cleaner.render import CleanResult, Edit, RemovedSpan, rebuild
from cleaner.text.page import split_lines

__all__ = [
    "ERROR",
    "OK",
    "Outcome",
    "SCHEMA_ID",
    "SCHEMA_PATH",
    "SCHEMA_VERSION",
    "counted",
    "dumps",
    "error_record",
    "line_starts",
    "read_report",
    "rebuild_from_record",
    "rebuild_input_bytes",
    "record",
    "schema",
    "skipped_record",
]

Record = dict[str, Any]
OK = "ok"
ERROR = "error"
SKIPPED = "skipped"
EMPTY = "empty"  # cleaned, but nothing kept: the record has its spans and rebuilds the input, as for OK
SCHEMA_PATH = Path(__file__).parent / "schemas" / "report.schema.json"
SCHEMA_VERSION = "1.4"
SCHEMA_ID = f"urn:cleaner:schema:report:{SCHEMA_VERSION}"


@dataclass
class Outcome:
    """What happened to one input: its result, or the one-line reason it failed."""

    path: str
    result: CleanResult | None = None
    error: str | None = None
    encoding: str | None = None
    output: Path | None = None
    notes: list[str] = field(default_factory=list)
    input_format: str | None = None  # "text" or "html" (None: the input could not be read)
    bom: str | None = None  # the input's byte-order mark (its codec), see cleaner.inputs.decoding.Decoded
    encoding_confidence: float | None = None  # how sure the codec is, 0..1 (see cleaner.inputs.decoding.Decoded)
    skipped: str | None = None  # why the input was not cleaned in this run (its output exists)

    @property
    def ok(self) -> bool:
        return self.error is None

    def record(self) -> Record:
        """The input's JSON record."""
        if self.skipped is not None:
            return skipped_record(self.path, str(self.output) if self.output else None, self.skipped)
        if self.result is None:
            return error_record(self.path, self.error or "not cleaned")
        out = str(self.output) if self.output is not None else None
        return record(
            self.result, path=self.path, output=out, encoding=self.encoding, input_format=self.input_format,
            bom=self.bom, encoding_confidence=self.encoding_confidence,
        )


@cache
def _schema_text() -> str:
    return SCHEMA_PATH.read_text(encoding="utf-8")


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one record, as a fresh dict."""
    return json.loads(_schema_text())


def record(
    result: CleanResult,
    *,
    path: str | None = None,
    output: str | None = None,
    encoding: str | None = None,
    input_format: str | None = None,
    bom: str | None = None,
    encoding_confidence: float | None = None,
) -> Record:
    """The JSON-ready record of one cleaned input (``path`` defaults to ``result.source``).

    ``input_format`` (``"text"`` or ``"html"``), when given, is added last: for HTML the
    record's lines and offsets are those of the whole-page text, not of the markup. ``bom``:
    the codec of the byte-order mark the input began with (see :func:`rebuild_input_bytes`);
    ``encoding_confidence``: how sure ``encoding`` is, 0..1 (1 when the bytes say it).
    """
    rec: Record = {
        "path": result.source if path is None else path,
        "status": OK if result.text.strip() else EMPTY,
        "error": None,
        "output": output,
        "encoding": encoding,
        "encoding_confidence": encoding_confidence,
        "bom": bom,
        "metadata": result.metadata.to_dict(),
        "lines_total": result.lines_total,
        "lines_kept": result.lines_kept,
        "notes": list(result.notes),
        "removed": _removed_spans(result),
        "edits": [_edit_record(edit) for edit in result.edits],
    }
    if input_format is not None:
        rec["input_format"] = input_format
    return rec


_EDIT_FIELDS = tuple(f.name for f in fields(Edit))


def _edit_record(edit: Edit) -> Record:
    """``dataclasses.asdict(edit)`` without its recursive copy (an edit's fields are numbers and strings)."""
    return {name: getattr(edit, name) for name in _EDIT_FIELDS}


def _span_starts(result: CleanResult) -> list[int]:
    """The input offset of each removed span, in order: the lengths of what :func:`rebuild` would put
    before it (kept lines with their edits put back, and earlier spans), without building the input."""
    kept_lengths = list(map(len, split_lines(result.text)))
    spans = {span.first_line: span for span in result.removed}
    edited: dict[int, int] = {}  # line -> characters its edits take out
    for edit in result.edits:
        edited[edit.line] = edited.get(edit.line, 0) + len(edit.text)
    starts: dict[int, int] = {}
    offset, number, kept_index = 0, 1, 0
    while kept_index < len(kept_lengths) or number in spans:
        span = spans.get(number)
        if span is not None:
            starts[number] = offset
            offset += len(span.text)
            number = span.last_line + 1
            continue
        offset += kept_lengths[kept_index] + edited.get(number, 0)
        kept_index += 1
        number += 1
    if any(span.first_line not in starts for span in result.removed):  # not a result render() made
        lines = line_starts(result.rebuild())
        return [lines[span.first_line - 1] for span in result.removed]
    return [starts[span.first_line] for span in result.removed]


def _removed_spans(result: CleanResult) -> list[Record]:
    """The removed spans with their character offsets in the input (``end`` exclusive)."""
    spans = []
    for span, start in zip(result.removed, _span_starts(result), strict=True):
        spans.append({
            "detector": span.detector, "rule": span.rule, "first_line": span.first_line,
            "last_line": span.last_line, "start": start, "end": start + len(span.text),
            "text": span.text, "reason": span.reason,
        })
    return spans


def line_starts(text: str) -> list[int]:
    """The offset of each line of ``text`` (as :class:`Page` splits it), then ``len(text)``."""
    return list(accumulate(map(len, split_lines(text)), initial=0))


def counted(number: int, noun: str) -> str:
    """``1 line``, ``2 lines``, ``0 lines``: a count with its noun (a regular plural) in the right number."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def error_record(path: str, error: str) -> Record:
    """The record of an input that could not be cleaned."""
    return {
        "path": path,
        "status": ERROR,
        "error": error,
        "output": None,
        "encoding": None,
        "encoding_confidence": None,
        "bom": None,
        "metadata": None,
        "lines_total": None,
        "lines_kept": None,
        "notes": [],
        "removed": [],
        "edits": [],
    }


def skipped_record(path: str, output: str | None, reason: str) -> Record:
    """The record of an input not cleaned in this run (``--skip-existing``: its output was already there).

    Only for an input without an earlier record to keep (see :class:`cleaner.runs.resume.EarlierReport`).
    """
    return {**error_record(path, reason), "status": SKIPPED, "error": None, "output": output, "skipped": reason}


def dumps(rec: Record) -> str:
    """One record as one JSON line (UTF-8 text, non-ASCII kept as is), newline included.

    A path that is not valid UTF-8 comes as :func:`os.fsdecode` gives it, its bad bytes as lone
    surrogates: those are written as JSON ``\\udcXX`` escapes, so the line stays valid UTF-8 and
    ``os.fsencode(json.loads(line)["path"])`` gives the name's bytes back.
    """
    line = json.dumps(rec, ensure_ascii=False) + "\n"
    return _SURROGATE.sub(_json_escape, line) if _SURROGATE.search(line) else line


_SURROGATE = re.compile("[\ud800-\udfff]")


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def read_report(path: str | Path) -> list[Record]:
    """The records of a ``report.jsonl`` file, in order."""
    with open(path, encoding="utf-8") as stream:
        return [json.loads(line) for line in stream if line.strip()]


_SPAN_FIELDS = ("detector", "rule", "first_line", "last_line", "text", "reason")


def rebuild_from_record(text: str, rec: Record) -> str:
    """The input text, from its clean ``text`` and its record (as written or read back from JSON)."""
    if rec.get("status") not in (OK, EMPTY):
        raise ValueError(f"{rec.get('path')}: record has status {rec.get('status')!r}, nothing to rebuild")
    removed = [RemovedSpan(**{key: span[key] for key in _SPAN_FIELDS if key in span}) for span in rec["removed"]]
    edits = [Edit(**edit) for edit in rec["edits"]]
    return rebuild(text, removed, edits)


def rebuild_input_bytes(text: str, rec: Record) -> bytes:
    """The input's bytes, from its clean ``text`` and its record: its byte-order mark included.

    Exact for UTF-8, UTF-16 and UTF-32 (with or without a mark) and for single-byte codecs; a
    legacy multi-byte codec with two byte forms of one character gives the one its encoder writes.
    An HTML page's record rebuilds its whole-page text, not its markup: :class:`ValueError`.
    """
    if rec.get("input_format") == "html":
        raise ValueError(f"{rec.get('path')}: an HTML record rebuilds the page's text, not its bytes")
    if not rec.get("encoding"):
        raise ValueError(f"{rec.get('path')}: record names no encoding, the bytes cannot be rebuilt")
    decoded = rebuild_from_record(text, rec)
    bom = rec.get("bom")
    if bom:  # the mark's own codec: "utf-16" alone would write this machine's byte order
        return BOM_BYTES[bom] + decoded.encode(bom)
    return decoded.encode(rec["encoding"])

"""What was removed and why, in three forms: the JSON record, the unified diff and the line-by-line review.

All are built only from a :class:`~cleaner.render.CleanResult`.

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
appends its provenance, ``"cleaner_version"`` and ``"settings_hash"`` (:func:`cleaner.options.provenance`).

The unified diff (:func:`unified_diff`) goes from the decoded input to the clean text;
``patch`` applied to the input (UTF-8, no byte-order mark; otherwise to the input converted to
UTF-8) writes the clean output byte for byte.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any

from rich.cells import cell_len

from cleaner.inputs.decoding import BOM_BYTES
from cleaner.render import LAYOUT, LAYOUT_WHITESPACE, CleanResult, Edit, RemovedSpan, rebuild
from cleaner.text.page import Page, split_lines

__all__ = [
    "ERROR",
    "LegendEntry",
    "NO_NEWLINE",
    "OK",
    "Outcome",
    "ReviewLayout",
    "ReviewRow",
    "SCHEMA_ID",
    "SCHEMA_PATH",
    "SCHEMA_VERSION",
    "counted",
    "dumps",
    "edit_columns",
    "edit_parts",
    "error_record",
    "format_review",
    "is_trim",
    "legend",
    "legend_parts",
    "line_starts",
    "read_report",
    "rebuild_from_record",
    "rebuild_input_bytes",
    "record",
    "review",
    "row_parts",
    "schema",
    "shown",
    "skipped_record",
    "unified_diff",
]

Record = dict[str, Any]
OK = "ok"
ERROR = "error"
SKIPPED = "skipped"
EMPTY = "empty"  # cleaned, but nothing kept: the record has its spans and rebuilds the input, as for OK
SCHEMA_PATH = Path(__file__).parent / "schemas" / "report.schema.json"
SCHEMA_VERSION = "1.3"
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


# --- the unified diff (clean --diff --diff-format unified) ------------------------------------

CONTEXT = 3
NO_NEWLINE = "\\ No newline at end of file\n"
Opcode = tuple[str, int, int, int, int]  # difflib's (tag, i1, i2, j1, j2)
# patch reads a quoted name with C escapes; these characters would otherwise end or garble a plain one
_NEEDS_QUOTES = re.compile(r'[\s"\\]|[^\x20-\x7e]')


def unified_diff(result: CleanResult, path: str, *, context: int = CONTEXT) -> str:
    """A unified diff from the input of ``result`` to its clean text ("" when nothing changed).

    Headers are ``--- a/PATH`` and ``+++ b/PATH`` (so ``patch -p1`` finds the file; a leading
    ``/`` is dropped, names with spaces or non-ASCII characters are C-quoted as git does). Line
    endings are kept in the diff's lines, so CRLF pages diff and patch exactly, and a last line
    without a newline is followed by ``\\ No newline at end of file``.
    """
    source = result.rebuild()
    before, after = _patch_lines(source), _patch_lines(result.text)
    opcodes = _structural_opcodes(result, Page(source), before, after)
    if opcodes is None:  # lines ending in a lone CR: patch sees other lines than the page; compare them
        opcodes = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    if all(tag == "equal" for tag, *_ in opcodes):
        return ""
    name = path.lstrip("/") or "stdin"
    out = [f"--- {_quoted('a/' + name)}\n", f"+++ {_quoted('b/' + name)}\n"]
    for group in _grouped(opcodes, context):
        out.extend(_hunk(group, before, after))
    return "".join(out)


def _patch_lines(text: str) -> list[str]:
    """Lines as ``patch`` sees them: split after each ``\\n`` only, endings kept."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def _structural_opcodes(result: CleanResult, page: Page, before: list[str], after: list[str]) -> list[Opcode] | None:
    """Opcodes read from the report itself: removed lines deleted, edited kept lines replaced.

    ``None`` when the page's lines are not patch's lines: a lone CR ends a line on the page, and
    adds one to its count (a lone CR at the very end adds none, and there the lines still match).
    """
    if len(page) != len(before) or len(Page(result.text)) != len(after):
        return None
    removed = {n for span in result.removed for n in range(span.first_line, span.last_line + 1)}
    codes: list[Opcode] = []
    j = 0
    for i, line in enumerate(before):
        kept = i + 1 not in removed
        if kept and j >= len(after):
            return None  # the record and the clean text disagree: let difflib compare them
        tag = "equal" if kept and after[j] == line else "replace" if kept else "delete"
        step = 1 if kept else 0
        if codes and codes[-1][0] != "equal" and tag != "equal":
            _, i1, _, j1, _ = codes[-1]
            merged = "replace" if "replace" in (tag, codes[-1][0]) else "delete"
            codes[-1] = (merged, i1, i + 1, j1, j + step)
        elif codes and codes[-1][0] == tag == "equal":
            codes[-1] = ("equal", codes[-1][1], i + 1, codes[-1][3], j + 1)
        else:
            codes.append((tag, i, i + 1, j, j + step))
        j += step
    return codes if j == len(after) else None


def _grouped(opcodes: list[Opcode], n: int) -> Iterator[list[Opcode]]:
    """Hunks: changes with ``n`` lines of context, joined when less than ``2n`` lines apart."""
    codes = list(opcodes)
    if codes[0][0] == "equal":
        tag, i1, i2, j1, j2 = codes[0]
        codes[0] = (tag, max(i1, i2 - n), i2, max(j1, j2 - n), j2)
    if codes[-1][0] == "equal":
        tag, i1, i2, j1, j2 = codes[-1]
        codes[-1] = (tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n))
    group: list[Opcode] = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > 2 * n:
            group.append((tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n)))
            yield group
            group = []
            i1, j1 = max(i1, i2 - n), max(j1, j2 - n)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        yield group


def _hunk(group: list[Opcode], before: list[str], after: list[str]) -> list[str]:
    first, last = group[0], group[-1]
    out = [f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n"]
    for tag, i1, i2, j1, j2 in group:
        if tag == "equal":
            out.extend(_diff_line(" ", line) for line in before[i1:i2])
            continue
        out.extend(_diff_line("-", line) for line in before[i1:i2])
        out.extend(_diff_line("+", line) for line in after[j1:j2])
    return out


def _range(start: int, stop: int) -> str:
    """``start,length`` of a hunk side (1-based; an empty side names the line before it)."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


def _diff_line(mark: str, line: str) -> str:
    return mark + line if line.endswith("\n") else mark + line + "\n" + NO_NEWLINE


def _quoted(name: str) -> str:
    if not _NEEDS_QUOTES.search(name):
        return name
    escaped = name.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")
    octal = "".join(
        char if " " <= char <= "~" else "".join(f"\\{byte:03o}" for byte in char.encode("utf-8", "surrogateescape"))
        for char in escaped
    )
    return f'"{octal}"'


# --- the review (clean --diff) ------------------------------------------------------------------


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


def shown(text: str) -> str:
    """``text`` as the review prints it: tabs expanded, control characters as visible symbols.

    A page's escape sequences must not reach the terminal, and a form feed or vertical tab
    would break the one-row-per-line layout. Each character maps to its own piece, so the
    shown form of a prefix is a prefix of the shown form (edit markers rely on that).
    """
    if text.isprintable() and "\t" not in text:
        return text
    out: list[str] = []
    column = 0
    for char in text:
        piece = _shown_char(char, column)
        out.append(piece)
        column += len(piece)
    return "".join(out)


def _shown_char(char: str, column: int) -> str:
    if char == "\t":
        return " " * (8 - column % 8)
    if ord(char) < 0x20:
        return chr(0x2400 + ord(char))  # ␛ for ESC, ␌ for form feed...
    if char == "\x7f":
        return "\u2421"
    if unicodedata.category(char) in ("Cc", "Zl", "Zp"):
        return "\ufffd"
    return char


def row_parts(row: ReviewRow, layout: ReviewLayout) -> tuple[str, str]:
    """The row as (gutter, text): ``  12 - main-body BODY1 | `` and the line text shown."""
    mark = "-" if row.removed else " "
    gutter = f"{row.number:>{layout.number}} {mark} {row.label:<{layout.label}} | "
    text = shown(row.text)
    if row.count > 1:
        text = f"({row.count} blank lines, {row.number}-{row.number + row.count - 1})"
    return gutter, text


def edit_columns(line: str, edit: Edit) -> tuple[int, int]:
    """Where the cut ``edit`` of ``line`` appears on screen: (first cell, cells wide), at least 1 wide."""
    before = cell_len(shown(line[: edit.start]))
    return before, max(1, cell_len(shown(line[: edit.end])) - before)


def edit_parts(edit: Edit, layout: ReviewLayout, line: str | None = None) -> tuple[str, str]:
    """An in-line cut as (gutter, marker): carets under the characters left out of ``line``."""
    label = f"{edit.detector} {edit.rule}"
    gutter = f"{'':>{layout.number}} ~ {label:<{layout.label}} | "
    start, width = edit_columns(line, edit) if line is not None else (edit.start, max(1, edit.end - edit.start))
    return gutter, " " * start + "^" * width


@dataclass(frozen=True)
class LegendEntry:
    """One detector of a review: input lines it removed and in-line cuts it made."""

    detector: str
    lines: int
    cuts: int = 0


def legend(result: CleanResult) -> list[LegendEntry]:
    """The detectors present in ``result``, most lines first (shown edits counted as cuts)."""
    lines: dict[str, int] = {}
    cuts: dict[str, int] = {}
    for span in result.removed:
        lines[span.detector] = lines.get(span.detector, 0) + span.last_line - span.first_line + 1
    for edit in result.edits:
        if not is_trim(edit):
            cuts[edit.detector] = cuts.get(edit.detector, 0) + 1
    names = sorted(set(lines) | set(cuts), key=lambda name: (-lines.get(name, 0), -cuts.get(name, 0), name))
    return [LegendEntry(name, lines.get(name, 0), cuts.get(name, 0)) for name in names]


def legend_parts(result: CleanResult, layout: ReviewLayout) -> list[tuple[str, str | None]]:
    """The legend row as pieces of text, each with the detector it names (``None``: plain text).

    ``     = removed 70 of 112 lines: job-ads 26, navigation 9, link-list 2; in-line cuts: link-list 12``
    """
    entries = legend(result)
    pieces: list[tuple[str, str | None]] = [
        (f"{'':>{layout.number}} = removed {result.lines_removed} of {counted(result.lines_total, 'line')}", None)
    ]
    for index, entry in enumerate(entry for entry in entries if entry.lines):
        pieces += [(": " if index == 0 else ", ", None), (f"{entry.detector} {entry.lines}", entry.detector)]
    cuts = sorted((entry for entry in entries if entry.cuts), key=lambda entry: (-entry.cuts, entry.detector))
    for index, entry in enumerate(cuts):
        joint = "; in-line cuts: " if index == 0 else ", "
        pieces += [(joint, None), (f"{entry.detector} {entry.cuts}", entry.detector)]
    return pieces


def format_review(result: CleanResult, *, with_legend: bool = False) -> str:
    """The review as plain text, one row a line (what ``clean --diff`` prints into a pipe or file).

    ``with_legend`` adds the legend row at the end (a terminal gets it; a pipe keeps one row per input row).
    """
    rows = review(result)
    layout = ReviewLayout.of(rows)
    out: list[str] = []
    for row in rows:
        out.append("".join(row_parts(row, layout)).rstrip() + "\n")
        out.extend("".join(edit_parts(edit, layout, row.text)).rstrip() + "\n" for edit in row.edits)
    if with_legend:
        out.append("".join(text for text, _ in legend_parts(result, layout)) + "\n")
    return "".join(out)

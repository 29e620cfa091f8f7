"""What ``clean --diff`` prints, built only from a :class:`~cleaner.render.CleanResult`: the
line-by-line review (the default) and the unified diff (``--diff-format unified``).

The review lists every input line, removed ones labelled with their detector and rule, and
the in-line cuts under their line; :mod:`cleaner.outputs.terminal` colours the same rows,
columns and legend. The unified diff (:func:`unified_diff`) goes from the decoded input to the
clean text; ``patch`` applied to the input (UTF-8, no byte-order mark; otherwise to the input
converted to UTF-8) writes the clean output byte for byte.

The JSON record of the same result is :mod:`cleaner.outputs.report`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rich.cells import cell_len

from cleaner.outputs.report import counted
from cleaner.render import LAYOUT, LAYOUT_WHITESPACE, CleanResult, Edit, RemovedSpan
from cleaner.text.page import Page

__all__ = [
    "CONTEXT",
    "NO_NEWLINE",
    "LegendEntry",
    "ReviewLayout",
    "ReviewRow",
    "edit_columns",
    "edit_parts",
    "format_review",
    "is_trim",
    "legend",
    "legend_parts",
    "review",
    "row_parts",
    "shown",
    "unified_diff",
]


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

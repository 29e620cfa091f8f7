"""The ``clean --diff`` views for a person at a terminal: the review and the unified diff, coloured with rich.

Both are the plain texts of :mod:`cleaner.outputs.diff` (same columns, markers and legend) with
styles on top, so piping to a file or ``less`` loses nothing but the colours:

* review - a gutter with right-aligned line numbers, ``-`` for removed lines in red, the
  detector and rule in the detector's colour (a fixed palette by name), the text: kept lines
  plain, removed ones dimmed in their detector's colour; in-line cuts are marked under their
  line; the legend row at the bottom lists the detectors present with their colour and counts
  (in colour or on a terminal; into a pipe, every line stays one row, for grep and sed).
* unified diff - ``-`` lines red, ``+`` lines green, hunk headers cyan.

Colour uses the 16 standard ANSI colours only (what ``less -R`` passes through). Lines longer
than the terminal are cropped with an ellipsis, only when writing to a terminal: in a pipe the
full text is kept for the pager to fold or chop.
"""

from __future__ import annotations

import shutil
import sys
import zlib
from io import StringIO

from rich.console import Console
from rich.text import Text

from cleaner.detectors.registry import REGISTRY
from cleaner.outputs.diff import ReviewLayout, ReviewRow, edit_parts, legend_parts, review, row_parts, shown
from cleaner.render import LAYOUT, CleanResult, Edit

__all__ = [
    "MIN_TEXT_WIDTH",
    "PALETTE",
    "REMOVED",
    "detector_color",
    "render_review",
    "render_unified",
    "review_lines",
    "terminal_width",
]

REMOVED = "red"
ADDED = "green"
HUNK = "cyan"
GUTTER = "dim"
# One colour per detector, fixed so a reader learns them: the registry's (cleaner.detectors.registry).
# Red is kept for the removal marks. Unknown detectors get a colour from their name's hash.
PALETTE = {**{entry.name: entry.color for entry in REGISTRY if entry.color}, LAYOUT: "bright_black"}
_SPARE = ("yellow", "blue", "magenta", "cyan", "green", "bright_yellow", "bright_blue", "bright_magenta",
          "bright_cyan", "bright_green")
MIN_TEXT_WIDTH = 20  # narrower than this, cropping would leave nothing readable: let the terminal fold


def detector_color(name: str) -> str:
    """The colour of a detector's name and lines, stable across runs and pages."""
    return PALETTE.get(name) or _SPARE[zlib.crc32(name.encode("utf-8")) % len(_SPARE)]


def terminal_width() -> int | None:
    """The width to crop review lines to: the terminal's, or ``None`` when stdout is not a terminal."""
    try:
        if not sys.stdout.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    return shutil.get_terminal_size().columns


def review_lines(result: CleanResult, *, with_legend: bool = True) -> list[Text]:
    """The review of ``result`` as styled lines; their plain text is :func:`~cleaner.outputs.diff.format_review`."""
    rows = review(result)
    layout = ReviewLayout.of(rows)
    lines: list[Text] = []
    for row in rows:
        lines.append(_row(row, layout))
        lines.extend(_edit_row(edit, layout, row.text) for edit in row.edits)
    if with_legend:
        legend = Text()
        for piece, detector in legend_parts(result, layout):
            legend.append(piece, style=detector_color(detector) if detector else "bold")
        lines.append(legend)
    return lines


def _row(row: ReviewRow, layout: ReviewLayout) -> Text:
    gutter, text = row_parts(row, layout)
    number, label = f"{row.number:>{layout.number}} ", f" {row.label:<{layout.label}} "
    line = Text()
    line.append(number, style=GUTTER)
    if not row.removed:
        line.append(" " + label + "| ", style=GUTTER)
        line.append(text)
        for edit in row.edits:
            start, end = len(shown(row.text[: edit.start])), len(shown(row.text[: edit.end]))
            line.stylize(f"{REMOVED} reverse", len(gutter) + start, len(gutter) + end)
        return line
    color = detector_color(row.detector or "")
    line.append("-", style=REMOVED)
    line.append(label, style=color)
    line.append("| ", style=GUTTER)
    line.append(text, style=f"dim italic {color}" if row.count > 1 else f"dim {color}")
    return line


def _edit_row(edit: Edit, layout: ReviewLayout, text: str) -> Text:
    _, carets = edit_parts(edit, layout, text)
    line = Text()
    line.append(f"{'':>{layout.number}} ", style=GUTTER)
    line.append("~", style=REMOVED)
    line.append(f" {edit.detector + ' ' + edit.rule:<{layout.label}} ", style=detector_color(edit.detector))
    line.append("| ", style=GUTTER)
    line.append(carets, style=REMOVED)
    return line


def render_review(
    result: CleanResult, *, color: bool, width: int | None = None, header: str = "", with_legend: bool | None = None
) -> str:
    """The review as text to print: coloured (ANSI) or plain, cropped to ``width`` cells when given.

    ``header`` (e.g. ``==> path <==``) goes first, in bold. The legend row ends it when someone
    looks at it (``with_legend`` ``None``: in colour or on a terminal); plain into a pipe, every
    line is a row, and this is ``header + format_review(result)`` (:mod:`cleaner.outputs.diff`).
    """
    legend = (color or width is not None) if with_legend is None else with_legend
    lines = review_lines(result, with_legend=legend)
    if width is not None:
        lines = [_cropped(line, width) for line in lines]
    if header:
        lines.insert(0, Text(header.rstrip("\n"), style="bold"))
    return _render(lines, color)


def render_unified(diff: str, *, color: bool) -> str:
    """A unified diff as text to print: unchanged when plain (so ``patch`` can read it), else coloured."""
    if not color:
        return diff
    lines = []
    for line in diff.splitlines():
        style = ""
        if line.startswith(("---", "+++")):
            style = "bold"
        elif line.startswith("@@"):
            style = HUNK
        elif line.startswith(("-", "+")):
            style = REMOVED if line[0] == "-" else ADDED
        lines.append(Text(shown(line.rstrip("\r")), style=style))
    return _render(lines, color)


def _cropped(line: Text, width: int) -> Text:
    """``line`` cut to ``width`` cells with an ellipsis; left whole when the terminal is too narrow."""
    if width < MIN_TEXT_WIDTH or line.cell_len <= width:
        return line
    cropped = line.copy()
    cropped.truncate(width, overflow="ellipsis")
    return cropped


def _render(lines: list[Text], color: bool) -> str:
    if not color:
        return "".join(line.plain.rstrip() + "\n" for line in lines)
    console = Console(
        file=StringIO(), force_terminal=True, color_system="standard", highlight=False, markup=False,
        emoji=False, soft_wrap=True, width=1 << 16,
    )
    with console.capture() as captured:
        for line in lines:
            line.rstrip()
            console.print(line)
    return captured.get()

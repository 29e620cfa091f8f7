"""Labels -> clean text, removed spans and in-line edits. The only place that builds output.

The result is lossless: :func:`rebuild` puts the removed spans and edits back into the clean
text and returns the input exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from cleaner.metadata import Metadata
from cleaner.text.labels import InlineEdit, Labels, Removal
from cleaner.text.layout import close_units
from cleaner.text.page import Line, Page, split_lines

__all__ = [
    "CleanResult", "Edit", "LAYOUT", "LAYOUT_BLANK", "LAYOUT_WHITESPACE", "RemovedSpan", "rebuild", "render",
    "render_verdicts", "settle",
]

LAYOUT = "layout"
LAYOUT_BLANK = "LAY1"  # blank lines left over around removed blocks
LAYOUT_WHITESPACE = "LAY2"  # leading/trailing whitespace of kept lines


@dataclass(frozen=True)
class RemovedSpan:
    """Consecutive input lines removed for one reason, with their exact text."""

    detector: str
    rule: str
    first_line: int
    last_line: int
    text: str
    reason: str = ""


@dataclass(frozen=True)
class Edit:
    """Characters ``start:end`` of kept input line ``line`` left out of the output."""

    line: int
    start: int
    end: int
    text: str
    detector: str = LAYOUT
    rule: str = LAYOUT_WHITESPACE


@dataclass
class CleanResult:
    """The clean text of one input, what was removed and why, and the page's metadata."""

    source: str
    text: str
    removed: list[RemovedSpan] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)
    metadata: Metadata = field(default_factory=Metadata)
    lines_total: int = 0
    lines_kept: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def lines_removed(self) -> int:
        return self.lines_total - self.lines_kept

    def removals_by_detector(self) -> dict[str, int]:
        """Removed non-blank lines per detector (layout clean-up not counted)."""
        counts: dict[str, int] = {}
        for span in self.removed:
            if span.detector != LAYOUT:
                lines = sum(1 for line in span.text.splitlines() if line.strip())
                counts[span.detector] = counts.get(span.detector, 0) + lines
        return counts

    def rebuild(self) -> str:
        """The original input, from the clean text plus the removed spans and edits."""
        return rebuild(self.text, self.removed, self.edits)


def _blank_labels(page: Page, labels: Labels) -> dict[int, Removal]:
    """Blank lines go with the removed block beside them, except one run that keeps paragraphs apart.

    Around a block removed from inside the article (an ad between two paragraphs), the first
    blank run stays so the paragraphs on either side do not run together; at the page edges
    and between two removed blocks every blank line goes.
    """
    kept = [line.number for line in page.lines if not line.is_blank and not labels.is_removed(line.number)]
    extra: dict[int, Removal] = {}
    first_kept, last_kept = (kept[0], kept[-1]) if kept else (len(page) + 1, 0)
    previous: Removal | None = None
    separated = True  # a blank run already separates the last kept line from what follows
    pending: list[int] = []
    for line in page.lines:
        if line.is_blank:
            pending.append(line.number)
            continue
        label = labels.by_line.get(line.number)
        if pending:
            outside = pending[0] < first_kept or pending[-1] > last_kept
            between_kept = label is None and previous is None
            keep = not outside and (between_kept or not separated and (label is None or previous is None))
            if not keep:
                owner = previous or label
                for number in pending:
                    extra[number] = owner or Removal(LAYOUT, LAYOUT_BLANK, number, number)
            separated = keep or (separated and previous is not None)
            pending = []
        if label is None:
            separated = False
        previous = label
    for number in pending:
        extra[number] = previous or Removal(LAYOUT, LAYOUT_BLANK, number, number)
    return extra


def _requested_cuts(line: Line, requests: list[InlineEdit]) -> list[Edit]:
    """The detectors' in-line cuts on ``line``, in order, clipped to the line, overlaps dropped."""
    cuts: list[Edit] = []
    for request in sorted(requests, key=lambda r: (r.start, r.end)):
        start, end = max(0, request.start), min(len(line.text), request.end)
        if start >= end or (cuts and start < cuts[-1].end):
            continue
        cuts.append(Edit(line.number, start, end, line.text[start:end], request.detector, request.rule))
    return cuts


def _whitespace_edits(line: Line) -> list[Edit]:
    text = line.text
    lead = len(text) - len(text.lstrip())
    trail = len(text.rstrip())
    if not text.strip():
        return [Edit(line.number, 0, len(text), text)] if text else []
    edits = []
    if lead:
        edits.append(Edit(line.number, 0, lead, text[:lead]))
    if trail < len(text):
        edits.append(Edit(line.number, trail, len(text), text[trail:]))
    return edits


def _kept_line_edits(line: Line, requests: list[InlineEdit]) -> list[Edit]:
    """Every cut of a kept line, in order: requested cuts, then the whitespace left at either end."""
    cuts = _requested_cuts(line, requests)
    if cuts and not line.ending and not _apply(line.text, cuts).strip():
        cuts = []  # the page's last line cut to nothing would vanish from the clean text: keep it whole
    if not cuts:
        return _whitespace_edits(line)
    text = line.text
    positions = [i for i in range(len(text)) if not any(cut.start <= i < cut.end for cut in cuts)]
    visible = [i for i in positions if not text[i].isspace()]
    if not visible:  # nothing but whitespace left: all of it goes
        trims = [(i, i + 1) for i in positions]
    else:
        trims = [(i, i + 1) for i in positions if i < visible[0] or i > visible[-1]]
    edits = cuts + [Edit(line.number, a, b, text[a:b]) for a, b in _merge(trims)]
    return sorted(edits, key=lambda e: e.start)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Adjacent one-character spans joined: ``[(0,1),(1,2),(5,6)]`` -> ``[(0,2),(5,6)]``."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _apply(text: str, edits: list[Edit]) -> str:
    """``text`` with the characters of ``edits`` (sorted, not overlapping) left out."""
    parts, position = [], 0
    for edit in edits:
        parts.append(text[position: edit.start])
        position = edit.end
    parts.append(text[position:])
    return "".join(parts)


def render(page: Page, labels: Labels, metadata: Metadata | None = None) -> CleanResult:
    """Build the clean text and the lossless report from the final labels."""
    return render_verdicts(page, settle(page, labels), labels.edits, labels.notes, metadata)


def settle(page: Page, labels: Labels) -> dict[int, Removal]:
    """The removal that takes each removed line: the labels, wrapped paragraphs and the blank lines beside blocks.

    A hard-wrapped paragraph is never left half removed (see :func:`cleaner.text.layout.close_units`).
    """
    labels = replace(labels, by_line=close_units(page, labels.by_line))
    verdict = dict(labels.by_line)
    verdict.update(_blank_labels(page, labels))
    return verdict


def render_verdicts(
    page: Page, verdict: dict[int, Removal], edits_asked: Sequence[InlineEdit], notes: Sequence[str],
    metadata: Metadata | None = None,
) -> CleanResult:
    """Build the clean text and the lossless report from settled per-line verdicts (:func:`settle`).

    ``edits_asked``: the detectors' in-line cuts (applied to kept lines); ``notes`` go to the result.
    """
    requests: dict[int, list[InlineEdit]] = {}
    for request in edits_asked:
        requests.setdefault(request.line, []).append(request)
    out: list[str] = []
    removed: list[RemovedSpan] = []
    edits: list[Edit] = []
    run: list[Line] = []
    run_label: Removal | None = None

    def flush() -> None:
        if run and run_label is not None:
            removed.append(
                RemovedSpan(
                    run_label.detector, run_label.rule, run[0].number, run[-1].number,
                    "".join(line.text + line.ending for line in run), run_label.reason,
                )
            )

    for line in page.lines:
        label = verdict.get(line.number)
        if label is None:
            line_edits, piece = _kept_piece(line, requests.get(line.number))
            if piece.startswith("\n") and out and out[-1].endswith("\r"):
                # The last kept line ends in a lone CR: "\r" + "\n" would read back as one CRLF line.
                line_edits, piece = _after_lone_cr(line, verdict)
                label = verdict.get(line.number)
        if label is None:
            if run:
                flush()
                run, run_label = [], None
            if line_edits:
                edits.extend(line_edits)
            out.append(piece)
            continue
        if run_label is None or (label.detector, label.rule) != (run_label.detector, run_label.rule):
            flush()
            run, run_label = [], label
        run.append(line)
    flush()
    return CleanResult(
        source=page.source,
        text="".join(out),
        removed=removed,
        edits=edits,
        metadata=metadata or Metadata(),
        lines_total=len(page),
        lines_kept=len(page) - len(verdict),
        notes=list(notes),
    )


def _kept_piece(line: Line, requests: list[InlineEdit] | None) -> tuple[list[Edit], str]:
    """A kept line's cuts and what it adds to the clean text."""
    text = line.text
    if requests is None and text and not text[0].isspace() and not text[-1].isspace():
        return [], text + line.ending  # most kept lines: no cut asked for and no white space to trim at either end
    line_edits = _kept_line_edits(line, requests or [])
    return line_edits, _apply(text, line_edits) + line.ending


def _after_lone_cr(line: Line, verdict: dict[int, Removal]) -> tuple[list[Edit], str]:
    """The edits and output of a kept ``line`` that must not start with ``\\n`` (it follows a lone CR).

    A line with visible text keeps it (requested cuts dropped, only its ends trimmed); a blank
    line goes as layout (``LAY1``): what is left of it, its ``\\n``, cannot follow the CR.
    """
    if line.stripped:
        line_edits = _whitespace_edits(line)
        return line_edits, _apply(line.text, line_edits) + line.ending
    verdict[line.number] = Removal(LAYOUT, LAYOUT_BLANK, line.number, line.number)
    return [], ""


def rebuild(text: str, removed: list[RemovedSpan], edits: list[Edit]) -> str:
    """Merge the clean ``text`` with ``removed`` spans and in-line ``edits`` back into the input."""
    kept_lines = split_lines(text)
    spans = {span.first_line: span for span in removed}
    by_line: dict[int, list[Edit]] = {}
    for edit in edits:
        by_line.setdefault(edit.line, []).append(edit)
    parts: list[str] = []
    number, kept_index = 1, 0
    while kept_index < len(kept_lines) or number in spans:
        span = spans.get(number)
        if span is not None:
            parts.append(span.text)
            number = span.last_line + 1
            continue
        line = kept_lines[kept_index]
        edits_here = by_line.get(number)
        if edits_here:
            body = line.rstrip("\r\n")
            ending = line[len(body):]
            for edit in sorted(edits_here, key=lambda e: e.start):
                body = body[: edit.start] + edit.text + body[edit.start:]
            line = body + ending
        parts.append(line)
        kept_index += 1
        number += 1
    return "".join(parts)

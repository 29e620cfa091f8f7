"""The review page: one self-contained HTML file showing what a run removed, input by input.

``clean DIR --review review.html`` (or :func:`write_review`) writes it. The file needs no
network: CSS and JavaScript are inline (vanilla, no libraries, no web fonts) and the run's
data is embedded as JSON in ``<script type="application/json">`` elements, one for the index
and one per input, so the browser parses an input's page only when it is opened.

What it shows, built only from the run's :class:`~cleaner.outputs.report.Outcome` objects:

* an index of the inputs (path, language, title, lines total/kept/removed, detectors fired
  with their removed-line counts; failed inputs with their error), sortable by any column,
  filterable by detector, by failure and by a text search on path and title, 100 rows a page;
* per input the metadata, a legend of the detectors' colours (click one to dim its
  highlights), then the whole page (``result.rebuild()``) with line numbers, each removed span
  in its detector's colour with a ``detector RULE`` badge and the reason on hover, and the
  in-line edits (a lynx ``[12]`` marker) struck through in their detector's colour;
* keys: ``j``/``k`` (or the arrow keys) move between inputs in the current order, Enter
  opens, Esc returns to the index, ``/`` searches, ``?`` shows the keys.

Page text never becomes HTML: the JSON is escaped so that no ``<`` survives inside the script
elements, and the script builds every node with ``textContent``. Character offsets of edits
are converted to UTF-16 code units, the unit of JavaScript strings.

The page's code lives beside this module as plain files, package data: ``page.html`` (the
skeleton, with ``__TITLE__``, ``__STYLE__``, ``__DATA__`` and ``__SCRIPT__`` markers),
``review.css`` and ``review.js``; :func:`asset` reads each once per process.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

from cleaner.detectors.registry import REGISTRY
from cleaner.inputs.decoding import STDIN
from cleaner.outputs import files
from cleaner.outputs.diff import is_trim
from cleaner.outputs.report import Outcome
from cleaner.render import LAYOUT
from cleaner.text.page import Page

__all__ = [
    "ASSETS",
    "CHUNK_LINES",
    "DEFAULT_SAMPLE",
    "HUES",
    "PAGE_SIZE",
    "DetectorStyle",
    "OutputSample",
    "ReviewData",
    "ReviewEdit",
    "ReviewEntry",
    "ReviewSpan",
    "asset",
    "check_review_target",
    "embed_json",
    "hue",
    "review_data",
    "review_html",
    "sample_output",
    "write_review",
]

# A fixed hue per detector, so a detector keeps its colour from run to run and page to page: the
# registry's (cleaner.detectors.registry), where the most frequent ones are kept far apart. Other
# names get a hue from a hash of the name.
HUES = {entry.name: entry.hue for entry in REGISTRY if entry.hue is not None}
HASH_HUES = 24  # hues 15 degrees apart for names not in HUES
PAGE_SIZE = 100  # index rows per page
CHUNK_LINES = 2000  # lines of an input rendered at a time (a "show more" button adds the next)
_PLACEHOLDER = re.compile(r"__(TITLE|STYLE|DATA|SCRIPT)__")  # the markers of page.html
ASSETS = ("page.html", "review.css", "review.js")  # the page's files, shipped beside this module


@cache  # the files are immutable package data: read once per process
def asset(name: str) -> str:
    """The text of the page's file ``name`` (one of :data:`ASSETS`), read from the installed package."""
    if name not in ASSETS:
        raise ValueError(f"{name!r} is not a review page asset (one of {', '.join(ASSETS)})")
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class DetectorStyle:
    """A detector of the run and its hue (degrees; ``None``: grey, the renderer's layout clean-up)."""

    name: str
    hue: int | None


@dataclass(frozen=True)
class ReviewSpan:
    """A removed span: lines ``first..last`` (1-based, inclusive), by detector number ``detector``."""

    first: int
    last: int
    detector: int
    rule: str
    reason: str


@dataclass(frozen=True)
class ReviewEdit:
    """An in-line cut of kept line ``line``: UTF-16 offsets ``start:end`` (what JavaScript indexes)."""

    line: int
    start: int
    end: int
    detector: int
    rule: str


@dataclass
class ReviewEntry:
    """One input as the page shows it: the index row (``row``) and the detail (``detail``)."""

    row: dict[str, Any]
    detail: dict[str, Any] | None = None


@dataclass
class ReviewData:
    """Everything the page embeds: detector colours, one entry per input, in run order."""

    detectors: list[DetectorStyle] = field(default_factory=list)
    entries: list[ReviewEntry] = field(default_factory=list)


def review_data(outcomes: Iterable[Outcome]) -> ReviewData:
    """The run's data as the review page embeds it (detector numbers index ``detectors``)."""
    registry = _Registry()
    entries = [_entry(number, outcome, registry) for number, outcome in enumerate(outcomes)]
    return ReviewData(registry.styles(), entries)


def review_html(outcomes: Iterable[Outcome], *, title: str = "clean review") -> str:
    """The review page of ``outcomes`` as one self-contained HTML document."""
    data = review_data(outcomes)
    index = {
        "title": title,
        "pageSize": PAGE_SIZE,
        "chunkLines": CHUNK_LINES,
        "detectors": [asdict(style) for style in data.detectors],
        "rows": [entry.row for entry in data.entries],
    }
    scripts = [_json_script("review-index", index)]
    scripts += [
        _json_script(f"review-{number}", entry.detail)
        for number, entry in enumerate(data.entries)
        if entry.detail is not None
    ]
    values = {
        "TITLE": escape(title),
        "STYLE": asset("review.css") + _detector_css(data.detectors),
        "DATA": "\n".join(scripts),
        "SCRIPT": asset("review.js"),
    }
    # One pass: text put in (a page containing "__SCRIPT__") is never scanned for placeholders again.
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], asset("page.html"))


def write_review(
    path: str | Path,
    outcomes: Sequence[Outcome],
    *,
    input_paths: Sequence[str | Path] = (),
    keep: Sequence[str | Path] = (),
    title: str = "clean review",
) -> None:
    """Write the review page of ``outcomes`` to ``path``, atomically, under the heading ``title``.

    Refuses (:class:`~cleaner.outputs.files.OutputError`, nothing written) to write over an input, a
    cleaned output or a file of ``keep`` (the run's report), or inside one of the
    ``input_paths`` folders (the paths the run was given); see :func:`check_review_target`.
    """
    target = Path(path)
    check_review_target(target, input_paths, outcomes)
    protected = [outcome.output for outcome in outcomes if outcome.output is not None] + [Path(p) for p in keep]
    if target.resolve() in {Path(other).resolve() for other in protected}:
        raise files.OutputError(f"{target}: the review would overwrite an output of the run")
    files.atomic_write(target, review_html(outcomes, title=title).encode("utf-8"))


def check_review_target(
    path: str | Path, input_paths: Sequence[str | Path], outcomes: Sequence[Outcome] = ()
) -> None:
    """Raise :class:`~cleaner.outputs.files.OutputError` if ``path`` is an input or lies inside an input folder.

    ``input_paths`` are the paths given to the run (files, folders, ``-``); callers check
    before the run, so that a bad review path costs nothing, and again with the ``outcomes``.
    """
    target = Path(path)
    real = target.resolve()
    given = [Path(item) for item in input_paths if str(item) != STDIN]
    for folder in (item for item in given if item.is_dir()):
        if real == folder.resolve() or folder.resolve() in real.parents:
            raise files.OutputError(f"{target}: the review would be inside the input folder {folder}")
    given_files = [item for item in given if not item.is_dir()]  # not `files`: that is the module
    given_files += [Path(outcome.path) for outcome in outcomes if outcome.path != STDIN]
    for item in given_files:
        if real == item.resolve():
            raise files.OutputError(f"{target}: the review would overwrite the input {item}")


DEFAULT_SAMPLE = 200  # records of a corpus output shown by --review --from (--sample N)


@dataclass(frozen=True)
class OutputSample:
    """Records of a clean-corpus output as review outcomes: ``shown`` of ``total``, drawn with ``seed``."""

    outcomes: list[Outcome]
    total: int
    seed: int

    def title(self, path: str | Path) -> str:
        """The page's heading, which says whether (and how) the records were sampled."""
        if len(self.outcomes) == self.total:
            return f"clean review: {path} (all {self.total} records)"
        return (f"clean review: {path} (a random sample of {len(self.outcomes)} of {self.total} records, "
                f"seed {self.seed})")


def sample_output(path: str | Path, size: int = DEFAULT_SAMPLE, seed: int = 0) -> OutputSample:
    """At most ``size`` records of a clean-corpus output (``clean crawl.wet.gz -o out.jsonl``), in file order.

    Reservoir sampling over the raw lines, seeded: the same file, size and seed give the same
    sample, and memory holds ``size`` lines whatever the file's length. Only the lines drawn are
    parsed; :class:`~cleaner.errors.InputError` if one is not an output record.
    """
    import random

    from cleaner.outputs import corpus_output

    draw = random.Random(seed)
    kept: list[tuple[int, bytes]] = []
    total = 0
    for number, line in corpus_output.iter_output_lines(path):
        total += 1
        if len(kept) < size:
            kept.append((number, line))
            continue
        slot = draw.randrange(total)
        if slot < size:
            kept[slot] = (number, line)
    kept.sort()
    outcomes = [_output_outcome(corpus_output.parse_output_line(number, line)) for number, line in kept]
    return OutputSample(outcomes, total, seed)


def _output_outcome(rec: dict[str, Any]) -> Outcome:
    """One output record as the review shows it: ``SOURCE#POSITION ID``, its spans or its error."""
    from cleaner.errors import InputError
    from cleaner.outputs import corpus_output

    name = f"{rec['source']}#{rec['position']} {rec['id']}"
    if "error" in rec:
        return Outcome(name, error=str(rec["error"]))
    try:
        result = corpus_output.result_from_output(rec)
    except InputError as err:
        return Outcome(name, error=str(err))
    return Outcome(name, result, encoding=rec.get("encoding"), notes=list(result.notes),
                   input_format=rec.get("input_format"))


class _Registry:
    """Numbers the detectors met in the run, in order of appearance."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.numbers: dict[str, int] = {}

    def number(self, name: str) -> int:
        if name not in self.numbers:
            self.numbers[name] = len(self.names)
            self.names.append(name)
        return self.numbers[name]

    def styles(self) -> list[DetectorStyle]:
        return [DetectorStyle(name, hue(name)) for name in self.names]


def hue(name: str) -> int | None:
    """The colour of detector ``name``: its hue in :data:`HUES`, else one from a hash of the name."""
    if name == LAYOUT:
        return None
    if name in HUES:
        return HUES[name]
    return zlib.crc32(name.encode("utf-8")) % HASH_HUES * (360 // HASH_HUES)


def _entry(number: int, outcome: Outcome, registry: _Registry) -> ReviewEntry:
    result = outcome.result
    row: dict[str, Any] = {"i": number, "path": files.printable(outcome.path), "error": outcome.error}
    if result is None:
        row |= {"lang": "", "title": "", "total": None, "kept": None, "removed": None, "fired": {}}
        return ReviewEntry(row)
    fired = {str(registry.number(name)): lines for name, lines in sorted(result.removals_by_detector().items())}
    row |= {
        "lang": result.metadata.language or "",
        "title": result.metadata.title or "",
        "total": result.lines_total,
        "kept": result.lines_kept,
        "removed": result.lines_removed,
        "fired": fired,
    }
    lines = [line.text for line in Page(result.rebuild()).lines]
    spans = [
        ReviewSpan(span.first_line, span.last_line, registry.number(span.detector), span.rule, span.reason)
        for span in result.removed
    ]
    edits = [
        ReviewEdit(
            edit.line, _utf16(lines[edit.line - 1], edit.start), _utf16(lines[edit.line - 1], edit.end),
            registry.number(edit.detector), edit.rule,
        )
        for edit in result.edits
        if not is_trim(edit) and 0 < edit.line <= len(lines)
    ]
    detail = {
        "metadata": result.metadata.to_dict(),
        "encoding": outcome.encoding,
        "output": files.printable(str(outcome.output)) if outcome.output is not None else None,
        "notes": list(outcome.notes),
        "lines": lines,
        "spans": [_as_array(span) for span in spans],
        "edits": [_as_array(edit) for edit in edits],
    }
    return ReviewEntry(row, detail)


def _as_array(item: ReviewSpan | ReviewEdit) -> list[Any]:
    """A span or edit as a JSON array (field order as declared): a thousand pages stay small."""
    return list(asdict(item).values())


def _utf16(text: str, index: int) -> int:
    """Python's code-point offset ``index`` into ``text`` as a UTF-16 offset (astral characters count 2)."""
    prefix = text[:index]
    return index if prefix.isascii() else len(prefix.encode("utf-16-le")) // 2


def _json_script(element_id: str, data: Any) -> str:
    """``data`` as a JSON script element that no page text can break out of."""
    return f'<script type="application/json" id="{element_id}">{embed_json(data)}</script>'


def embed_json(data: Any) -> str:
    """JSON for a ``<script>`` element: ``<``, ``>`` and ``&`` (only possible inside strings) as ``\\u`` escapes.

    Neither ``</script>`` nor ``<!--`` can then appear, and JSON.parse reads the same strings.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _detector_css(styles: Sequence[DetectorStyle]) -> str:
    """One class per detector number: its colours (light and dark) and the rule that dims it."""
    light, dark = [], []
    for number, style in enumerate(styles):
        if style.hue is None:
            light.append(f".det-{number}{{--bg:#eeeeee;--fg:#888888;--ink:#fff}}")
            dark.append(f".det-{number}{{--bg:#2a2a2a;--fg:#777777;--ink:#000}}")
        else:
            h = style.hue
            light.append(f".det-{number}{{--bg:hsl({h} 85% 90%);--fg:hsl({h} 60% 38%);--ink:#fff}}")
            dark.append(f".det-{number}{{--bg:hsl({h} 35% 22%);--fg:hsl({h} 65% 68%);--ink:#000}}")
        light.append(f".page.dim-{number} .det-{number}{{--bg:transparent;opacity:.45}}")
    return "\n".join(light) + "\n@media (prefers-color-scheme: dark){\n" + "\n".join(dark) + "\n}\n"

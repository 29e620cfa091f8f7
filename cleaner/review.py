"""The review page: one self-contained HTML file showing what a run removed, input by input.

``clean DIR --review review.html`` (or :func:`write_review`) writes it. The file needs no
network: CSS and JavaScript are inline (vanilla, no libraries, no web fonts) and the run's
data is embedded as JSON in ``<script type="application/json">`` elements, one for the index
and one per input, so the browser parses an input's page only when it is opened.

What it shows, built only from the run's :class:`~cleaner.api.Outcome` objects:

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
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from cleaner import output
from cleaner.api import Outcome
from cleaner.decoding import STDIN
from cleaner.render import LAYOUT
from cleaner.report import is_trim
from cleaner.text.page import Page

# A fixed hue per detector, so a detector keeps its colour from run to run and page to page; the
# detectors that fire most often (main-body, navigation, teasers, footer, social, signup,
# comments) are kept far apart. Other names get a hue from a hash of the name.
HUES = {
    "link-list": 0, "cookies": 28, "job-ads": 45, "main-body": 60, "signup": 90, "social": 125,
    "site-repetition": 150, "sponsored": 170, "captions": 188, "footer": 205, "bylines": 228,
    "navigation": 250, "teasers": 290, "comments": 330,
}
HASH_HUES = 24  # hues 15 degrees apart for names not in HUES
PAGE_SIZE = 100  # index rows per page
CHUNK_LINES = 2000  # lines of an input rendered at a time (a "show more" button adds the next)
_PLACEHOLDER = re.compile(r"__(TITLE|STYLE|DATA|SCRIPT)__")


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
        "STYLE": _CSS + _detector_css(data.detectors),
        "DATA": "\n".join(scripts),
        "SCRIPT": _JS,
    }
    # One pass: text put in (a page containing "__SCRIPT__") is never scanned for placeholders again.
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], _TEMPLATE)


def write_review(
    path: str | Path,
    outcomes: Sequence[Outcome],
    *,
    input_paths: Sequence[str | Path] = (),
    keep: Sequence[str | Path] = (),
    title: str = "clean review",
) -> None:
    """Write the review page of ``outcomes`` to ``path``, atomically, under the heading ``title``.

    Refuses (:class:`~cleaner.output.OutputError`, nothing written) to write over an input, a
    cleaned output or a file of ``keep`` (the run's report), or inside one of the
    ``input_paths`` folders (the paths the run was given); see :func:`check_review_target`.
    """
    target = Path(path)
    check_review_target(target, input_paths, outcomes)
    protected = [outcome.output for outcome in outcomes if outcome.output is not None] + [Path(p) for p in keep]
    if target.resolve() in {Path(other).resolve() for other in protected}:
        raise output.OutputError(f"{target}: the review would overwrite an output of the run")
    output.atomic_write(target, review_html(outcomes, title=title).encode("utf-8"))


def check_review_target(
    path: str | Path, input_paths: Sequence[str | Path], outcomes: Sequence[Outcome] = ()
) -> None:
    """Raise :class:`~cleaner.output.OutputError` if ``path`` is an input or lies inside an input folder.

    ``input_paths`` are the paths given to the run (files, folders, ``-``); callers check
    before the run, so that a bad review path costs nothing, and again with the ``outcomes``.
    """
    target = Path(path)
    real = target.resolve()
    given = [Path(item) for item in input_paths if str(item) != STDIN]
    for folder in (item for item in given if item.is_dir()):
        if real == folder.resolve() or folder.resolve() in real.parents:
            raise output.OutputError(f"{target}: the review would be inside the input folder {folder}")
    files = [item for item in given if not item.is_dir()]
    files += [Path(outcome.path) for outcome in outcomes if outcome.path != STDIN]
    for item in files:
        if real == item.resolve():
            raise output.OutputError(f"{target}: the review would overwrite the input {item}")


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

    from cleaner import corpus

    draw = random.Random(seed)
    kept: list[tuple[int, bytes]] = []
    total = 0
    for number, line in corpus.iter_output_lines(path):
        total += 1
        if len(kept) < size:
            kept.append((number, line))
            continue
        slot = draw.randrange(total)
        if slot < size:
            kept[slot] = (number, line)
    kept.sort()
    outcomes = [_output_outcome(corpus.parse_output_line(number, line)) for number, line in kept]
    return OutputSample(outcomes, total, seed)


def _output_outcome(rec: dict[str, Any]) -> Outcome:
    """One output record as the review shows it: ``SOURCE#POSITION ID``, its spans or its error."""
    from cleaner import corpus
    from cleaner.errors import InputError

    name = f"{rec['source']}#{rec['position']} {rec['id']}"
    if "error" in rec:
        return Outcome(name, error=str(rec["error"]))
    try:
        result = corpus.result_from_output(rec)
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
    row: dict[str, Any] = {"i": number, "path": output.printable(outcome.path), "error": outcome.error}
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
        "output": output.printable(str(outcome.output)) if outcome.output is not None else None,
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


_TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; \
script-src 'unsafe-inline'; img-src data:">
<title>__TITLE__</title>
<style>
__STYLE__
</style>
</head>
<body>
<header class="top">
  <h1 id="title">__TITLE__</h1>
  <span id="summary"></span>
  <button id="help-button" type="button" title="Keyboard shortcuts (?)">?</button>
</header>
<main>
<section id="index">
  <div class="controls">
    <input id="search" type="search" placeholder="Search path or title (/)" aria-label="Search path or title">
    <div id="chips" role="group" aria-label="Show only inputs where these detectors fired"></div>
  </div>
  <div id="count" class="muted"></div>
  <table id="table">
    <thead><tr>
      <th data-key="i" class="num">#</th><th data-key="path">path</th><th data-key="lang">lang</th>
      <th data-key="title">title</th><th data-key="total" class="num">lines</th>
      <th data-key="kept" class="num">kept</th><th data-key="removed" class="num">removed</th>
      <th data-key="fired">detectors fired (lines)</th>
    </tr></thead>
    <tbody id="rows"></tbody>
  </table>
  <nav class="pager">
    <button id="page-prev" type="button">&lsaquo; previous</button>
    <span id="page-info"></span>
    <button id="page-next" type="button">next &rsaquo;</button>
  </nav>
</section>
<section id="detail" hidden>
  <nav class="bar">
    <button id="back" type="button">&larr; index (Esc)</button>
    <button id="prev" type="button">&uarr; previous (k)</button>
    <button id="next" type="button">next (j) &darr;</button>
    <span id="position" class="muted"></span>
  </nav>
  <h2 id="detail-path"></h2>
  <dl id="meta"></dl>
  <div id="legend"></div>
  <div id="page" class="page"></div>
  <button id="more" type="button" hidden></button>
</section>
</main>
<div id="help" hidden>
  <div class="help-box" role="dialog" aria-label="Keyboard shortcuts">
    <h2>Keys</h2>
    <table>
      <tr><td><kbd>j</kbd> <kbd>k</kbd></td><td>next / previous input, in the index's order
        (index: select it; input page: open it)</td></tr>
      <tr><td><kbd>&darr;</kbd> <kbd>&uarr;</kbd></td><td>the same, in the index</td></tr>
      <tr><td><kbd>&rarr;</kbd> <kbd>&larr;</kbd></td><td>the same, on an input's page</td></tr>
      <tr><td><kbd>Enter</kbd></td><td>open the selected input</td></tr>
      <tr><td><kbd>Esc</kbd></td><td>back to the index (or close this help)</td></tr>
      <tr><td><kbd>/</kbd></td><td>search paths and titles</td></tr>
      <tr><td><kbd>n</kbd> <kbd>p</kbd></td><td>next / previous page of the index</td></tr>
      <tr><td><kbd>?</kbd></td><td>this help</td></tr>
    </table>
    <p class="muted">Click a column header to sort, a detector chip to show only inputs where it fired,
    a legend entry on an input's page to dim that detector's highlights.</p>
  </div>
</div>
__DATA__
<script>
__SCRIPT__
</script>
</body>
</html>
"""

_CSS = """
:root{color-scheme:light dark;--text:#1d1d1f;--back:#ffffff;--muted:#6b6b70;--line:#e3e3e8;--head:#f5f5f7;
  --sel:#fff3c4;--err:#b00020;--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace}
@media (prefers-color-scheme: dark){:root{--text:#e6e6e6;--back:#161618;--muted:#9a9aa0;--line:#333338;
  --head:#222226;--sel:#4a3f10;--err:#ff6b81}}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
  color:var(--text);background:var(--back)}
header.top{display:flex;gap:1em;align-items:baseline;padding:.6em 1em;border-bottom:1px solid var(--line);
  background:var(--head);position:sticky;top:0;z-index:2}
header.top h1{font-size:1.1em;margin:0}
#help-button{margin-left:auto}
main{padding:.6em 1em 2em}
.muted{color:var(--muted)}
button{font:inherit;color:inherit;background:var(--head);border:1px solid var(--line);border-radius:4px;
  padding:.15em .6em;cursor:pointer}
button:disabled{opacity:.4;cursor:default}
.controls{display:flex;flex-wrap:wrap;gap:.5em;align-items:center;margin-bottom:.4em}
#search{font:inherit;padding:.25em .5em;min-width:18em;border:1px solid var(--line);border-radius:4px;
  background:var(--back);color:inherit}
.chip{display:inline-flex;align-items:center;gap:.3em;padding:.05em .55em;border-radius:1em;
  border:1px solid var(--fg,var(--line));background:var(--bg,transparent);cursor:pointer;font-size:.9em;
  white-space:nowrap;user-select:none}
.chip input{margin:0}
.chip.off{opacity:.45}
.chip.failed{--bg:transparent;--fg:var(--err)}
table#table{border-collapse:collapse;width:100%}
#table th,#table td{padding:.25em .5em;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
#table th{background:var(--head);cursor:pointer;user-select:none;white-space:nowrap;position:sticky;top:2.6em}
#table th.sorted-asc::after{content:" \\25B2";font-size:.75em}
#table th.sorted-desc::after{content:" \\25BC";font-size:.75em}
#table .num{text-align:right;font-variant-numeric:tabular-nums}
#table td.path{font-family:var(--mono);font-size:.9em;word-break:break-all;min-width:16em}
#table td.title{max-width:28em;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
#table tbody tr{cursor:pointer}
#table tbody tr:hover{background:var(--head)}
#table tbody tr.selected{background:var(--sel);outline:1px solid var(--muted)}
#table tr.failed td.title{color:var(--err);white-space:normal}
.fired{display:flex;flex-wrap:wrap;gap:.25em}
.tag{font-size:.8em;padding:0 .45em;border-radius:1em;background:var(--bg);border:1px solid var(--fg);
  white-space:nowrap}
.pager{display:flex;gap:1em;align-items:center;margin-top:.6em}
.bar{display:flex;gap:.5em;align-items:center;position:sticky;top:2.6em;background:var(--back);
  padding:.3em 0;z-index:1}
#detail-path{font-family:var(--mono);font-size:1em;margin:.4em 0;word-break:break-all}
#meta{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em;margin:.4em 0 .6em}
#meta dt{color:var(--muted)}
#meta dd{margin:0}
#meta dd.error{color:var(--err)}
#legend{display:flex;flex-wrap:wrap;gap:.35em;margin:.4em 0 .8em}
#legend .chip{font-size:.85em}
.page{font-family:var(--mono);font-size:12.5px;line-height:1.45;border:1px solid var(--line);border-radius:4px}
.l{display:grid;grid-template-columns:4.2em 11em minmax(0,1fr)}
.l .n{color:var(--muted);text-align:right;padding-right:.7em;user-select:none;
  font-variant-numeric:tabular-nums}
.l .b{overflow:hidden;white-space:nowrap;text-overflow:ellipsis;padding-right:.4em}
.l .t{white-space:pre-wrap;overflow-wrap:anywhere;min-height:1.45em}
.span{background:var(--bg);border-left:4px solid var(--fg)}
.span>.l:first-child{border-top:1px solid var(--fg)}
.badge{display:inline-block;font-size:.85em;line-height:1.3;padding:0 .4em;border-radius:3px;
  background:var(--fg);color:var(--ink);max-width:100%;overflow:hidden;text-overflow:ellipsis;vertical-align:top}
.kept{border-left:4px solid transparent}
del.edit{background:var(--bg);color:var(--fg);text-decoration:line-through;text-decoration-thickness:2px;
  border-radius:2px}
#more{margin-top:.6em}
#help{position:fixed;inset:0;background:rgba(0,0,0,.4);display:flex;align-items:center;justify-content:center;
  z-index:5}
#help[hidden]{display:none}
.help-box{background:var(--back);padding:1em 1.4em;border-radius:6px;max-width:34em;
  box-shadow:0 4px 24px rgba(0,0,0,.3)}
.help-box h2{margin-top:0;font-size:1.1em}
kbd{font-family:var(--mono);font-size:.9em;border:1px solid var(--line);border-radius:3px;padding:0 .3em;
  background:var(--head)}
"""

_JS = r"""
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const INDEX = JSON.parse($("review-index").textContent);
  const DETS = INDEX.detectors;
  const ROWS = INDEX.rows;
  const LAYOUT = "layout";
  const state = {
    sortKey: "i", sortDir: 1, query: "", filters: new Set(), failedOnly: false,
    page: 0, selected: 0, open: null, dimmed: new Set(), order: [], shown: 0,
  };

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function firedSum(row, dets) {
    let sum = 0;
    for (const d of dets) sum += row.fired[d] || 0;
    return sum;
  }

  function sortValue(row, key) {
    if (key === "fired") {
      if (state.filters.size) return firedSum(row, state.filters);
      return Object.keys(row.fired).length;
    }
    const value = row[key];
    if (value === null || value === undefined) return null;
    return typeof value === "string" ? value.toLowerCase() : value;
  }

  function compare(a, b) {
    const x = sortValue(a, state.sortKey), y = sortValue(b, state.sortKey);
    if (x === y) return a.i - b.i;
    if (x === null) return 1;  // failed inputs (no counts) last in either direction
    if (y === null) return -1;
    return (x < y ? -1 : 1) * state.sortDir;
  }

  function matches(row) {
    if (state.failedOnly && !row.error) return false;
    if (state.filters.size) {
      let any = false;
      for (const d of state.filters) if (row.fired[d]) { any = true; break; }
      if (!any) return false;
    }
    if (state.query) {
      const q = state.query;
      if (!row.path.toLowerCase().includes(q) && !row.title.toLowerCase().includes(q)) return false;
    }
    return true;
  }

  // A new sort or filter starts at the top of the new order.
  function recompute() {
    state.order = ROWS.filter(matches).sort(compare).map((row) => row.i);
    state.selected = 0;
    state.page = 0;
  }

  // ---- index -------------------------------------------------------------
  function detTag(d, lines) {
    const tag = el("span", "tag det-" + d, DETS[d].name + " " + lines);
    tag.dataset.detector = DETS[d].name;
    return tag;
  }

  function renderChips() {
    const box = $("chips");
    const totals = new Map();
    let failed = 0;
    for (const row of ROWS) {
      if (row.error) failed++;
      for (const d in row.fired) totals.set(d, (totals.get(d) || 0) + 1);
    }
    const names = [...totals.keys()].sort((a, b) => DETS[a].name.localeCompare(DETS[b].name));
    for (const d of names) {
      const chip = el("label", "chip det-" + d);
      const box2 = el("input");
      box2.type = "checkbox";
      box2.value = d;
      box2.addEventListener("change", () => {
        if (box2.checked) state.filters.add(d); else state.filters.delete(d);
        recompute(); renderIndex();
      });
      chip.dataset.detector = DETS[d].name;
      chip.title = "Show only inputs where " + DETS[d].name + " removed lines (" + totals.get(d) + " inputs)";
      chip.append(box2, document.createTextNode(DETS[d].name + " (" + totals.get(d) + ")"));
      box.append(chip);
    }
    if (failed) {
      const chip = el("label", "chip failed");
      const box2 = el("input");
      box2.type = "checkbox";
      box2.id = "failed-only";
      box2.addEventListener("change", () => { state.failedOnly = box2.checked; recompute(); renderIndex(); });
      chip.append(box2, document.createTextNode("failed (" + failed + ")"));
      box.append(chip);
    }
  }

  function renderRow(row, position) {
    const tr = el("tr", row.error ? "failed" : "");
    tr.dataset.i = row.i;
    tr.dataset.position = position;
    if (position === state.selected) tr.classList.add("selected");
    tr.append(el("td", "num", row.i + 1), el("td", "path", row.path), el("td", "", row.lang));
    const title = el("td", "title", row.error ? "error: " + row.error : row.title);
    title.title = row.error || row.title;
    tr.append(title, el("td", "num", row.total), el("td", "num", row.kept), el("td", "num", row.removed));
    const fired = el("td");
    const box = el("div", "fired");
    const dets = Object.keys(row.fired).sort((a, b) => row.fired[b] - row.fired[a]);
    for (const d of dets) box.append(detTag(d, row.fired[d]));
    fired.append(box);
    tr.append(fired);
    tr.addEventListener("click", () => { state.selected = position; openInput(row.i, true); });
    return tr;
  }

  function renderIndex() {
    const size = INDEX.pageSize, total = state.order.length;
    const pages = Math.max(1, Math.ceil(total / size));
    state.page = Math.min(Math.max(0, state.page), pages - 1);
    const start = state.page * size, end = Math.min(total, start + size);
    const body = $("rows");
    const fragment = document.createDocumentFragment();
    for (let p = start; p < end; p++) fragment.append(renderRow(ROWS[state.order[p]], p));
    body.replaceChildren(fragment);
    const filtered = total === ROWS.length ? "" : " (filtered from " + ROWS.length + ")";
    $("count").textContent = total ? "showing " + (start + 1) + "\u2013" + end + " of " + total + filtered
      : "no input matches" + filtered;
    $("page-info").textContent = "page " + (state.page + 1) + " of " + pages;
    $("page-prev").disabled = state.page === 0;
    $("page-next").disabled = state.page >= pages - 1;
    for (const th of document.querySelectorAll("#table th")) {
      th.classList.remove("sorted-asc", "sorted-desc");
      if (th.dataset.key === state.sortKey) th.classList.add(state.sortDir > 0 ? "sorted-asc" : "sorted-desc");
    }
  }

  function select(position) {
    if (!state.order.length) return;
    state.selected = Math.min(Math.max(0, position), state.order.length - 1);
    const page = Math.floor(state.selected / INDEX.pageSize);
    if (page !== state.page) { state.page = page; renderIndex(); }
    for (const tr of $("rows").children) {
      const on = Number(tr.dataset.position) === state.selected;
      tr.classList.toggle("selected", on);
      if (on) tr.scrollIntoView({block: "nearest"});
    }
  }

  // ---- detail ------------------------------------------------------------
  function detailData(i) {
    const node = $("review-" + i);
    return node ? JSON.parse(node.textContent) : null;
  }

  function metaRow(list, label, value, cls) {
    if (value === null || value === undefined || value === "") return;
    list.append(el("dt", "", label), el("dd", cls || "", value));
  }

  function legendChip(d, text, hint) {
    const chip = el("button", "chip det-" + d, text);
    chip.type = "button";
    chip.dataset.detector = DETS[d].name;
    chip.title = hint;
    if (state.dimmed.has(String(d))) chip.classList.add("off");
    chip.addEventListener("click", () => {
      const key = String(d);
      if (state.dimmed.has(key)) state.dimmed.delete(key); else state.dimmed.add(key);
      chip.classList.toggle("off", state.dimmed.has(key));
      $("page").classList.toggle("dim-" + d, state.dimmed.has(key));
    });
    return chip;
  }

  function renderLegend(row, data) {
    const legend = $("legend");
    legend.replaceChildren();
    const rules = new Map();
    for (const [, , d, rule] of data.spans.concat(data.edits.map((e) => [0, 0, e[3], e[4]]))) {
      if (!rules.has(d)) rules.set(d, new Map());
      rules.get(d).set(rule, (rules.get(d).get(rule) || 0) + 1);
    }
    const order = [...rules.keys()].sort((a, b) => (row.fired[b] || 0) - (row.fired[a] || 0) || a - b);
    for (const d of order) {
      const parts = [...rules.get(d)].map(([rule, n]) => rule + (n > 1 ? " \u00d7" + n : ""));
      const count = row.fired[d] || 0;
      const lines = count ? ", " + count + (count === 1 ? " line" : " lines") : "";
      legend.append(legendChip(d, DETS[d].name + ": " + parts.join(" ") + lines, "Click to dim/undim " +
        DETS[d].name + "'s highlights"));
    }
    if (!order.length) legend.append(el("span", "muted", "nothing removed"));
  }

  function lineNode(number, text, badge, edits) {
    const line = el("div", "l");
    line.dataset.line = number;
    line.append(el("span", "n", number));
    const label = el("span", "b");
    if (badge) label.append(badge);
    line.append(label);
    const body = el("span", "t");
    if (edits && edits.length) {
      let at = 0;
      for (const [, start, end, d, rule] of edits) {
        if (start < at) continue;
        body.append(document.createTextNode(text.slice(at, start)));
        const cut = el("del", "edit det-" + d, text.slice(start, end));
        cut.dataset.detector = DETS[d].name;
        cut.title = DETS[d].name + " " + rule + ": cut from the kept line";
        body.append(cut);
        at = end;
      }
      body.append(document.createTextNode(text.slice(at)));
    } else {
      body.textContent = text;
    }
    line.append(body);
    return line;
  }

  // Blocks: a kept line, or a removed span cut into pieces of at most chunkLines lines.
  function blocks(data) {
    const starts = new Map();
    for (const span of data.spans) starts.set(span[0], span);
    const out = [];
    const n = data.lines.length;
    for (let number = 1; number <= n;) {
      const span = starts.get(number);
      if (!span) { out.push({first: number, last: number, span: null}); number++; continue; }
      const last = Math.min(span[1], n);
      for (let first = number; first <= last; first += INDEX.chunkLines) {
        out.push({first: first, last: Math.min(last, first + INDEX.chunkLines - 1), span: span,
          cont: first !== number});
      }
      number = last + 1;
    }
    return out;
  }

  function blockNode(block, data, editsByLine) {
    if (!block.span) {
      const kept = el("div", "kept");
      kept.append(lineNode(block.first, data.lines[block.first - 1], null, editsByLine.get(block.first)));
      return kept;
    }
    const [first, last, d, rule, reason] = block.span;
    const name = DETS[d].name;
    const box = el("div", "span det-" + d);
    box.dataset.detector = name;
    box.dataset.rule = rule;
    box.title = name + " " + rule + " (lines " + first + "\u2013" + last + ")" + (reason ? ": " + reason : "");
    for (let number = block.first; number <= block.last; number++) {
      let badge = null;
      if (number === block.first && name !== LAYOUT) {
        badge = el("span", "badge", name + " " + rule + (block.cont ? " (cont.)" : ""));
      }
      box.append(lineNode(number, data.lines[number - 1], badge, null));
    }
    return box;
  }

  function renderMore() {
    const view = state.view;
    const page = $("page");
    const fragment = document.createDocumentFragment();
    let lines = 0;
    while (view.next < view.blocks.length && lines < INDEX.chunkLines) {
      const block = view.blocks[view.next++];
      fragment.append(blockNode(block, view.data, view.edits));
      lines += block.last - block.first + 1;
    }
    page.append(fragment);
    const more = $("more");
    const left = view.blocks.length ? view.data.lines.length - view.blocks[view.next - 1].last : 0;
    more.hidden = view.next >= view.blocks.length;
    more.textContent = "show " + Math.min(left, INDEX.chunkLines) + " more lines (" + left + " left)";
  }

  function renderDetail(i) {
    const row = ROWS[i];
    const data = detailData(i);
    $("detail-path").textContent = row.path;
    const position = state.order.indexOf(i);
    $("position").textContent = position >= 0 ? "input " + (position + 1) + " of " + state.order.length
      : "input #" + (i + 1) + " (hidden by the filter)";
    $("prev").disabled = position <= 0;
    $("next").disabled = position < 0 || position >= state.order.length - 1;
    const meta = $("meta");
    meta.replaceChildren();
    const page = $("page");
    page.replaceChildren();
    page.className = "page";
    for (const d of state.dimmed) page.classList.add("dim-" + d);
    if (!data) {
      metaRow(meta, "error", row.error || "not cleaned", "error");
      $("legend").replaceChildren();
      $("more").hidden = true;
      state.view = null;
      return;
    }
    const m = data.metadata || {};
    metaRow(meta, "title", m.title);
    metaRow(meta, "author", m.author);
    metaRow(meta, "date", m.date);
    metaRow(meta, "language", m.language);
    metaRow(meta, "lines", row.total + " total, " + row.kept + " kept, " + row.removed + " removed");
    metaRow(meta, "encoding", data.encoding);
    metaRow(meta, "output", data.output);
    for (const note of data.notes || []) metaRow(meta, "note", note);
    renderLegend(row, data);
    const edits = new Map();
    for (const edit of data.edits) {
      if (!edits.has(edit[0])) edits.set(edit[0], []);
      edits.get(edit[0]).push(edit);
    }
    for (const list of edits.values()) list.sort((a, b) => a[1] - b[1]);
    state.view = {data: data, blocks: blocks(data), next: 0, edits: edits};
    renderMore();
  }

  function openInput(i, push) {
    state.open = i;
    const position = state.order.indexOf(i);
    if (position >= 0) state.selected = position;
    $("index").hidden = true;
    $("detail").hidden = false;
    renderDetail(i);
    window.scrollTo(0, 0);
    const hash = "#input=" + (i + 1);
    try {
      if (push) history.pushState({i: i}, "", hash); else history.replaceState({i: i}, "", hash);
    } catch (e) { /* file:// in some browsers: the view still works without history */ }
  }

  function showIndex(push) {
    state.open = null;
    $("detail").hidden = true;
    $("index").hidden = false;
    state.page = Math.floor(state.selected / INDEX.pageSize);
    renderIndex();
    select(state.selected);
    if (push) {
      try { history.pushState(null, "", location.pathname + location.search); } catch (e) { /* see above */ }
    }
  }

  function step(delta) {
    if (state.open === null) { select(state.selected + delta); return; }
    const position = state.order.indexOf(state.open) + delta;
    if (position >= 0 && position < state.order.length) openInput(state.order[position], false);
  }

  function fromHash() {
    const match = /^#input=(\d+)$/.exec(location.hash);
    const i = match ? Number(match[1]) - 1 : -1;
    if (i >= 0 && i < ROWS.length) openInput(i, false); else showIndex(false);
  }

  // ---- keys and wiring ---------------------------------------------------
  function toggleHelp(show) {
    $("help").hidden = show === undefined ? !$("help").hidden : !show;
  }

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const typing = event.target instanceof HTMLInputElement && event.target.type !== "checkbox";
    if (typing) {
      if (event.key === "Escape" || event.key === "Enter") { event.target.blur(); event.preventDefault(); }
      return;
    }
    const inDetail = state.open !== null;
    const key = event.key;
    if (key === "?") { toggleHelp(); }
    else if (key === "Escape") {
      if (!$("help").hidden) toggleHelp(false); else if (inDetail) showIndex(true);
    }
    else if (key === "j" || (key === "ArrowDown" && !inDetail) || (key === "ArrowRight" && inDetail)) step(1);
    else if (key === "k" || (key === "ArrowUp" && !inDetail) || (key === "ArrowLeft" && inDetail)) step(-1);
    else if (key === "Enter" && !inDetail && state.order.length) openInput(state.order[state.selected], true);
    else if (key === "/" && !inDetail) { $("search").focus(); }
    else if (key === "n" && !inDetail) select((state.page + 1) * INDEX.pageSize);
    else if (key === "p" && !inDetail) select((state.page - 1) * INDEX.pageSize);
    else return;
    event.preventDefault();
  }

  function summary() {
    let total = 0, removed = 0, failed = 0;
    for (const row of ROWS) {
      if (row.error) { failed++; continue; }
      total += row.total; removed += row.removed;
    }
    return ROWS.length + " inputs" + (failed ? " (" + failed + " failed)" : "") + ", " + total +
      " lines, " + removed + " removed";
  }

  function init() {
    $("summary").textContent = summary();
    renderChips();
    for (const th of document.querySelectorAll("#table th")) {
      th.addEventListener("click", () => {
        const key = th.dataset.key;
        if (state.sortKey === key) state.sortDir = -state.sortDir;
        else { state.sortKey = key; state.sortDir = ["i", "path", "lang", "title"].includes(key) ? 1 : -1; }
        recompute(); renderIndex();
      });
    }
    $("search").addEventListener("input", (event) => {
      state.query = event.target.value.trim().toLowerCase(); recompute(); renderIndex();
    });
    $("page-prev").addEventListener("click", () => { select((state.page - 1) * INDEX.pageSize); });
    $("page-next").addEventListener("click", () => { select((state.page + 1) * INDEX.pageSize); });
    $("back").addEventListener("click", () => showIndex(true));
    $("prev").addEventListener("click", () => step(-1));
    $("next").addEventListener("click", () => step(1));
    $("more").addEventListener("click", renderMore);
    $("help-button").addEventListener("click", () => toggleHelp());
    $("help").addEventListener("click", (event) => { if (event.target === $("help")) toggleHelp(false); });
    document.addEventListener("keydown", onKey);
    window.addEventListener("popstate", fromHash);
    recompute();
    fromHash();
    document.body.dataset.ready = "1";
  }

  init();
})();
"""

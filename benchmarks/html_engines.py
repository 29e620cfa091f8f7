#!/usr/bin/env python3
"""HTML engines side by side: F1 (P/R) per collection and macro, and speed, of every engine in one run.

usage: python benchmarks/html_engines.py [--sets ...] [--engines ...] [--limit N] [--jobs N] [--shared DIR]

Engines (:data:`ENGINES`, a name -> :class:`Engine` table: a new engine is one line there):

* ``trafilatura``: ``trafilatura.extract(html)``, trafilatura as most people call it (its defaults:
  balanced mode, comments in, fallback extractors on);
* ``trafilatura-nocomments``: the same with ``include_comments=False``, which comes closest to the
  issue's trafilatura figures (see below);
* ``readability``: readability-lxml, ``Document(html).summary()`` turned into text one block a line
  (cleaner's own DOM walk, :func:`cleaner.inputs.html_dom.walk`, of the summary's HTML);
* ``resiliparse``: ``resiliparse.extract.html2text.extract_plain_text(html, main_content=True)``, its
  other options at their defaults (formatting kept, list bullets, alt texts, comment sections and post
  meta data kept; no links, form fields, noscript, hidden elements);
* ``clean-model``, ``clean-trafilatura``, ``clean-ensemble``: ``clean --engine ENGINE page.html``
  in-process through the library (:func:`cleaner.runs.page.clean_loaded`, default options otherwise):
  the learned model reading text and markup; trafilatura (clean's settings) then the detectors (what
  ``clean`` did before issue 15); the model also reading trafilatura's decision (:mod:`cleaner.inputs.engines`).

Every engine gets the same decoded page: the page's bytes are decoded once by clean's own
decoder (:func:`cleaner.inputs.html_source.decode_html`: BOM, declared charset checked against
the bytes, else detection), untimed; the peers get its text, ``clean`` the :class:`DecodedHtml`
(the same text, plus the bytes when they are plain UTF-8, which its parser reads faster: what
``clean`` does with a file). The engines run on the same pages in the same run, one page at a
time, each engine on the page in turn (the first engine of the turn rotates from page to page), so
whatever else loads the machine hits them all alike. Before timing, each runs once on the first
page (imports, models). Each call is timed by CPU time (``time.process_time``) and the clock; an
engine that raises on a page gives an empty text there (counted as ``failed``).

Scored with the sets' own metric (``shared/dev-sets/score.py``, loaded by
:func:`cleaner.training.dataset.dev_scorer`): every page of the set's ``gold.json`` counts (with
``--limit N`` only the first N pages by id), a missing output as an empty one. It prints F1 per
collection and engine with the macro mean, pages/s by the clock, CPU ms/page and each engine's CPU
time over trafilatura's on the same pages; then precision and recall. Speed is printed, never asserted.

A peer whose package is missing is skipped with a word saying which (``pip install -e ".[bench]"``).

How close it comes to the issue's table (F1, scrapinghub / dragnet / pagesignal / cleanportal /
cleaneval-dev; the README's "HTML engines side by side" has the full run): ``clean`` matches it within
0.001 but on pagesignal (0.901 vs 0.892: the code has moved on since). The peers' figures were made
with older releases than pip installs now: resiliparse 0.15.2 gives the issue's 0.868 / 0.821 / 0.820 /
0.798 / 0.873 within 0.002 (2.0.1: 0.888 / 0.830 / 0.835 / 0.885 / 0.860); readability-lxml 0.8.1 gives
0.931 / 0.835 / 0.927 / 0.953 / 0.855, within 0.008 of the issue's (0.9: 0.954 / 0.845 / 0.929 / 0.959 /
0.860). trafilatura's defaults give 0.951 / 0.893 / 0.898 / 0.934 / 0.810 (2.3.1; 2.2.0, 2.0.0 and 1.12.2
also 0.950-0.951 on scrapinghub and 0.888-0.893 on dragnet; letting trafilatura decode the bytes
itself changes nothing): the issue's 0.963 / 0.840 / 0.905 / 0.948 / 0.790 is within 0.012 of
``trafilatura-nocomments`` (0.962 / 0.840 / 0.907 / 0.955 / 0.802), so comments were most likely left
out there. Dragnet's gold keeps the comments: with them trafilatura scores 0.053 higher on it.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib.util
import json
import multiprocessing
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from cleaner.errors import InputError
from cleaner.inputs.html_source import DecodedHtml, decode_html
from cleaner.training.dataset import SET_NAMES, dev_scorer, set_folder

if TYPE_CHECKING:
    from cleaner.options import Options

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REFERENCE = "trafilatura"  # the engine every time is compared with
PROGRESS = 200  # pages between two progress lines (on standard error)


# --- the engines ------------------------------------------------------------------------------------


def trafilatura_alone(page: DecodedHtml) -> str:
    import trafilatura

    return trafilatura.extract(page.text) or ""


def trafilatura_no_comments(page: DecodedHtml) -> str:
    """``trafilatura.extract(html, include_comments=False)``: the row that comes closest to the issue's figures."""
    import trafilatura

    return trafilatura.extract(page.text, include_comments=False) or ""


def readability_alone(page: DecodedHtml) -> str:
    from cleaner.training.extractor_rows import readability_text

    return readability_text(page.text)


def resiliparse_alone(page: DecodedHtml) -> str:
    from resiliparse.extract.html2text import extract_plain_text

    return extract_plain_text(page.text, main_content=True)


@functools.cache
def clean_settings(engine: str, model: Path | None = None) -> Options:
    """The options of ``clean --engine ENGINE``, made once per process (``model``: another HTML model file)."""
    from cleaner.detectors.forest import ENSEMBLE_COLUMNS, HTML_COLUMNS, Forest
    from cleaner.detectors.registry import html_model_detectors
    from cleaner.options import Options

    if model is None:
        return Options(engine=engine)
    ensemble = engine == "ensemble"
    forest = Forest.load(model, ENSEMBLE_COLUMNS if ensemble else HTML_COLUMNS)
    return Options(engine=engine, detectors=tuple(html_model_detectors(ensemble, model=forest)))


def clean_page_with(engine: str, page: DecodedHtml, model: Path | None = None) -> str:
    """``clean --engine ENGINE page.html``, in-process through the library (default options otherwise).

    ``model``: the HTML model file to use in the shipped one's place (a held-out model, ``--held-out``).
    """
    from cleaner.inputs.html import read_html
    from cleaner.runs.page import Loaded, clean_loaded

    settings = clean_settings(engine, model)
    return clean_loaded(Loaded.from_html(page, read_html(page, settings.favor, engine)), "-", settings).text


def clean_with(engine: str) -> Callable[[DecodedHtml], str]:
    """:func:`clean_page_with` for ``engine`` (a partial: engines go to worker processes pickled)."""
    return functools.partial(clean_page_with, engine)


@dataclass(frozen=True)
class Engine:
    """One way to turn an HTML page into its main text; ``needs``: the module an optional peer imports."""

    name: str
    run: Callable[[DecodedHtml], str]
    needs: str | None = None
    package: str | None = None  # the distribution that brings ``needs``
    model: str | None = None  # a clean engine's HTML model file name: held out per set with --held-out DIR

    def for_set(self, held_out: Path | None, set_name: str) -> Engine:
        """The engine as it runs on set ``set_name``: with ``held_out``, a model engine reads the model fitted
        without that set (``DIR/<model>-without-<set>.json``, ``python -m cleaner.training.train --held-out DIR``)."""
        if held_out is None or self.model is None:
            return self
        path = held_out / f"{Path(self.model).stem}-without-{set_name}.json"
        return replace(self, run=functools.partial(clean_page_with, self.name.removeprefix("clean-"), model=path))

    def missing(self) -> str | None:
        """Why the engine cannot run here, or ``None``."""
        if self.needs is None or importlib.util.find_spec(self.needs) is not None:
            return None
        return f"{self.package or self.needs} is not installed; the README says how: pip install -e \".[bench]\""


ENGINES: dict[str, Engine] = {
    "trafilatura": Engine("trafilatura", trafilatura_alone, "trafilatura", "trafilatura"),
    "trafilatura-nocomments": Engine("trafilatura-nocomments", trafilatura_no_comments, "trafilatura", "trafilatura"),
    "readability": Engine("readability", readability_alone, "readability", "readability-lxml"),
    "resiliparse": Engine("resiliparse", resiliparse_alone, "resiliparse", "resiliparse"),
    "clean-model": Engine("clean-model", clean_with("model"), model="content_html.json"),
    "clean-trafilatura": Engine("clean-trafilatura", clean_with("trafilatura")),
    "clean-ensemble": Engine("clean-ensemble", clean_with("ensemble"), model="content_html_trafilatura.json"),
}


# --- running them -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Output:
    """One engine on one page: its text, CPU and clock seconds, and whether it raised."""

    text: str
    cpu: float
    wall: float
    failed: bool = False


def decoded(path: Path) -> DecodedHtml | None:
    """The page as clean decodes it, or ``None`` when its bytes are no usable text (every engine gets nothing)."""
    try:
        return decode_html(path.read_bytes())
    except InputError:
        return None


def run_page(engines: Sequence[Engine], path: Path, turn: int) -> dict[str, Output]:
    """Every engine on one page, in turn, starting with engine number ``turn`` (modulo their count)."""
    page = decoded(path)
    if page is None:
        return {engine.name: Output("", 0.0, 0.0, failed=True) for engine in engines}
    first = turn % len(engines)
    outputs = {}
    for engine in [*engines[first:], *engines[:first]]:
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            text, failed = engine.run(page), False
        except Exception:  # noqa: BLE001 - a peer failing on a page scores an empty output there
            text, failed = "", True
        outputs[engine.name] = Output(text, time.process_time() - cpu, time.perf_counter() - wall, failed)
    return outputs


Results = dict[str, dict[str, dict[str, Output]]]  # set -> page -> engine -> output


def _run_task(task: tuple[Sequence[Engine], Path, int]) -> dict[str, Output]:
    return run_page(*task)


@dataclass(frozen=True)
class Pages:
    """One set's pages to run: the gold texts scored and the HTML files by page id."""

    name: str
    gold: dict[str, str]
    html: dict[str, Path]


def set_pages(shared: Path, name: str, limit: int | None) -> Pages:
    folder = set_folder(shared, name)
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    ids = sorted(gold)[:limit] if limit else sorted(gold)
    html = {page: folder / "html" / f"{page}.html" for page in ids}
    found = {page: path for page, path in html.items() if path.is_file()}
    return Pages(name, {page: gold[page] for page in ids}, found)


def run_all(engines: Sequence[Engine], sets: Sequence[Pages], jobs: int, held_out: Path | None = None) -> Results:
    """set -> page -> engine -> output, the engines alternating page by page (``jobs`` processes).

    ``held_out``: the model engines read, on each set, the model fitted without it (:meth:`Engine.for_set`).
    """
    per_set = {pages.name: [engine.for_set(held_out, pages.name) for engine in engines] for pages in sets}
    tasks = [(per_set[set_name], path, turn) for turn, ((set_name, _), path) in enumerate(_paths(sets))]
    keys = list(_paths(sets))
    for pages in sets:  # imports, model files and caches loaded before any call is timed
        first = next(iter(pages.html.values()), None)
        if first is not None:
            run_page(per_set[pages.name], first, 0)
    results: Results = {pages.name: {} for pages in sets}
    with contextlib.ExitStack() as stack:
        if jobs > 1:
            pool = stack.enter_context(multiprocessing.get_context("fork").Pool(jobs))
            done: Iterable[dict[str, Output]] = pool.imap(_run_task, tasks, chunksize=4)
        else:
            done = (run_page(*task) for task in tasks)
        started = time.perf_counter()
        for count, (((set_name, page), _), outputs) in enumerate(zip(keys, done, strict=True), start=1):
            results[set_name][page] = outputs
            if count % PROGRESS == 0 or count == len(tasks):
                print(f"{count}/{len(tasks)} pages, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return results


def _paths(sets: Sequence[Pages]) -> Iterator[tuple[tuple[str, str], Path]]:
    for pages in sets:
        for page, path in pages.html.items():
            yield (pages.name, page), path


# --- scores and speed ---------------------------------------------------------------------------------


@dataclass
class Row:
    """One engine's scores per set (the score module's metrics) and its time over every page."""

    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    cpu: float = 0.0
    wall: float = 0.0
    pages: int = 0
    failed: int = 0


def tally(score: ModuleType, engines: Sequence[Engine], sets: Sequence[Pages], results: Results) -> dict[str, Row]:
    """Each engine's row: F1/P/R per set with the sets' metric, CPU and clock time, failures."""
    rows = {engine.name: Row() for engine in engines}
    for pages in sets:
        outputs = results[pages.name]
        for name, row in rows.items():
            done = [outputs[page][name] for page in outputs]
            row.cpu += sum(output.cpu for output in done)
            row.wall += sum(output.wall for output in done)
            row.pages += len(done)
            row.failed += sum(output.failed for output in done)
            counts = [score.page_counts(body, outputs[page][name].text if page in outputs else "")
                      for page, body in pages.gold.items()]
            row.scores[pages.name] = score.metrics(counts)
    return rows


def macro(row: Row, key: str) -> float:
    return sum(metrics[key] for metrics in row.scores.values()) / len(row.scores) if row.scores else 0.0


def f1_table(rows: dict[str, Row], set_names: Sequence[str]) -> list[str]:
    """The markdown table of F1 per set, macro F1 and speed, one engine a row."""
    reference = rows.get(REFERENCE)
    lines = ["| engine | " + " | ".join(set_names) + " | macro | pages/s | CPU ms/page | time / trafilatura | failed |",
             "|---|" + "---:|" * (len(set_names) + 5)]
    for name, row in rows.items():
        ratio = f"{row.cpu / reference.cpu:.2f}x" if reference and reference.cpu else "-"
        speed = f"{row.pages / row.wall:.1f}" if row.wall else "-"
        per_page = f"{1000 * row.cpu / row.pages:.1f}" if row.pages else "-"
        cells = [f"{row.scores[s]['f1']:.3f}" for s in set_names]
        lines.append(f"| {name} | " + " | ".join(cells)
                     + f" | **{macro(row, 'f1'):.3f}** | {speed} | {per_page} | {ratio} | {row.failed} |")
    return lines


def pr_table(rows: dict[str, Row], set_names: Sequence[str]) -> list[str]:
    """The markdown table of precision / recall per set and macro, one engine a row."""
    lines = ["| engine (P / R) | " + " | ".join(set_names) + " | macro |", "|---|" + "---:|" * (len(set_names) + 1)]
    for name, row in rows.items():
        cells = [f"{row.scores[s]['precision']:.3f} / {row.scores[s]['recall']:.3f}" for s in set_names]
        cells.append(f"{macro(row, 'precision'):.3f} / {macro(row, 'recall'):.3f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


# --- the command ----------------------------------------------------------------------------------------


def available(names: Sequence[str]) -> tuple[list[Engine], list[str]]:
    """The engines that can run here, and a line for each one skipped."""
    engines, skipped = [], []
    for name in names:
        engine = ENGINES[name]
        why = engine.missing()
        if why is None:
            engines.append(engine)
        else:
            skipped.append(f"{name}: skipped ({why})")
    return engines, skipped


def arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", default=list(SET_NAMES), choices=SET_NAMES)
    parser.add_argument("--engines", nargs="+", default=list(ENGINES), choices=list(ENGINES))
    parser.add_argument("--limit", type=int, default=None, help="the first N pages of each set (by id)")
    parser.add_argument("--jobs", type=int, default=1, help="processes (default 1: the engines share one core)")
    parser.add_argument("--shared", type=Path, default=SHARED, help="the folder holding bench-data/ and dev-sets/")
    parser.add_argument("--held-out", type=Path, metavar="DIR",
                        help="score clean's model engines out of set: on each set, the HTML models fitted without it "
                        "(python -m cleaner.training.train --html [--ensemble] --held-out DIR)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = arguments(argv)
    engines, skipped = available(args.engines)
    for line in skipped:
        print(line)
    if not engines:
        print("no engine to run")
        return 1
    score = dev_scorer(args.shared)
    sets = [set_pages(args.shared, name, args.limit) for name in args.sets]
    started = time.perf_counter()
    results = run_all(engines, sets, args.jobs, args.held_out)
    seconds = time.perf_counter() - started
    rows = tally(score, engines, sets, results)
    pages = sum(len(p.html) for p in sets)
    print(f"\nHTML engines side by side: {len(sets)} sets, {pages} pages, --jobs {args.jobs}, {seconds:.0f} s")
    if args.held_out:
        print("clean's model engines out of set: each set scored with the HTML models fitted without it "
              f"({args.held_out})")
    else:
        print("clean's model engines in sample: the shipped HTML models were fitted on these pages (see --held-out)")
    print("\nF1 (the sets' metric), speed (pages/s by the clock; CPU ms/page; CPU time over trafilatura's)\n")
    print("\n".join(f1_table(rows, args.sets)))
    print("\nprecision / recall\n")
    print("\n".join(pr_table(rows, args.sets)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

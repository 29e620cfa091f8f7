#!/usr/bin/env python3
"""Quality over the five dev sets: per set and macro F1/P/R, per dump format, against two floors.

usage: python benchmarks/sets.py [--sets ...] [--formats dump_ht dump_in lynx w3m links wet]
                                 [--methods unchanged baseline clean] [--jobs N] [--cache DIR] [--detail]

For every dev set (scrapinghub = ../shared/bench-data; dragnet, pagesignal, cleanportal,
cleaneval-dev in ../shared/dev-sets) and every format, each method turns each page's dump
into a text, scored with the sets' own metric (../shared/dev-sets/score.py). Formats:

* ``dump_ht``, ``dump_in``: the sets' own whole-page dumps (html-text, inscriptis);
* ``lynx``, ``w3m``, ``links``: the set's HTML rendered by that text browser (hard-wrapped;
  lynx with ``[12]`` link markers and a reference list), cached under ``--cache``; a browser
  that is not installed is skipped (``apt-get install lynx w3m links``);
* ``wet``: ``dump_ht`` with every blank line dropped (Common Crawl WET-like).

Methods: ``unchanged`` (the dump as it is: the floor), ``baseline`` (:func:`prose_baseline`, the
20-line prose-block baseline), ``clean`` (``cleaner.clean_text`` with the default options, run
in this process). It prints one table per format (F1 per set and method, and the macro mean
over the sets), and with ``--detail`` precision and recall too. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SET_NAMES = ("scrapinghub", "dragnet", "pagesignal", "cleanportal", "cleaneval-dev")
FORMATS = ("dump_ht", "dump_in", "lynx", "w3m", "links", "wet")
METHODS = ("unchanged", "baseline", "clean")
RENDERERS: dict[str, list[str]] = {
    "lynx": ["lynx", "-dump", "-force_html", "-display_charset=utf-8", "-assume_charset=utf-8"],
    "w3m": ["w3m", "-dump", "-T", "text/html", "-O", "UTF-8"],
    "links": ["links", "-dump", "-codepage", "utf-8"],
}
RENDER_SECONDS = 30

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?。！？]")


def prose_baseline(text: str) -> str:
    """The 20-line baseline: the maximum-sum stretch of blocks, prose blocks counting their words.

    A block is a line, or in a hard-wrapped dump a wrapped paragraph. A prose block (6+ words
    and a sentence end) adds its words, any other block subtracts twice its words: the one
    stretch richest in prose is kept, plus the block above it.
    """
    blocks = _blocks(text)
    best, running, start, span = 0, 0, 0, (0, -1)
    for index, block in enumerate(blocks):
        words = len(_WORD.findall(block))
        prose = words >= 6 and _SENTENCE_END.search(block) is not None
        if running <= 0:
            running, start = 0, index
        running += words if prose else -2 * max(words, 1)
        if running > best:
            best, span = running, (start, index)
    first, last = span
    return "\n".join(blocks[max(first - 1, 0) : last + 1])


def _blocks(text: str) -> list[str]:
    """The dump's lines, or its wrapped paragraphs joined where the dump is hard-wrapped.

    (Where the wrapping is, cleaner's own layout reading says: a baseline on the lines of a lynx
    dump would only measure that its lines are short.)
    """
    from cleaner.text.layout import page_units
    from cleaner.text.page import Page

    page = Page(text)
    return [" ".join(page.line(n).content for n in range(unit.first, unit.last + 1)) for unit in page_units(page)]




def dumps(set_folder: Path, fmt: str, cache: Path) -> dict[str, str]:
    """Each page's dump in ``fmt`` (rendering and caching it from the HTML when needed)."""
    if fmt in ("dump_ht", "dump_in"):
        paths = sorted((set_folder / fmt).glob("*.txt"))
        return {path.stem: path.read_text(encoding="utf-8", errors="replace") for path in paths}
    if fmt == "wet":
        return {page: "\n".join(line for line in text.splitlines() if line.strip()) + "\n"
                for page, text in dumps(set_folder, "dump_ht", cache).items()}
    out = cache / set_folder.name / fmt
    out.mkdir(parents=True, exist_ok=True)
    rendered = {}
    for html in sorted((set_folder / "html").glob("*.html")):
        target = out / f"{html.stem}.txt"
        if not target.exists():
            target.write_text(_render(RENDERERS[fmt], html), encoding="utf-8")
        rendered[html.stem] = target.read_text(encoding="utf-8")
    return rendered


def _render(command: list[str], html: Path) -> str:
    try:
        done = subprocess.run([*command, str(html)], capture_output=True, timeout=RENDER_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        return ""
    return done.stdout.decode("utf-8", errors="replace")


def _clean(text: str) -> str:
    from cleaner import clean_text

    try:
        return clean_text(text).text
    except Exception:  # a page the cleaner refuses scores as an empty output
        return ""


def method(name: str) -> Callable[[str], str]:
    return {"unchanged": lambda text: text, "baseline": prose_baseline, "clean": _clean}[name]


def run(name: str, texts: dict[str, str], jobs: int) -> dict[str, str]:
    pages = sorted(texts)
    if jobs > 1 and name == "clean":
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return dict(zip(pages, pool.map(_clean, [texts[p] for p in pages], chunksize=8), strict=True))
    apply = method(name)
    return {page: apply(texts[page]) for page in pages}


def score_set(score: ModuleType, set_name: str, predictions: dict[str, str]) -> dict[str, float]:
    gold = json.loads((Path(score.SETS[set_name]) / "gold.json").read_text(encoding="utf-8"))
    return score.metrics([score.page_counts(body, predictions.get(page, "")) for page, body in gold.items()])


def table(fmt: str, results: dict[str, dict[str, dict[str, float]]], methods: list[str], detail: bool) -> None:
    cells = ["F1", "P", "R"] if detail else ["F1"]
    print(f"\n{fmt}")
    print("| set | " + " | ".join(f"{m} {c}" for m in methods for c in cells) + " |")
    print("|---|" + "---|" * (len(methods) * len(cells)))
    keys = {"F1": "f1", "P": "precision", "R": "recall"}
    for set_name, row in results.items():
        print(f"| {set_name} | " + " | ".join(f"{row[m][keys[c]]:.3f}" for m in methods for c in cells) + " |")
    macro = {m: {k: sum(r[m][k] for r in results.values()) / len(results) for k in keys.values()} for m in methods}
    print("| **macro** | " + " | ".join(f"**{macro[m][keys[c]]:.3f}**" for m in methods for c in cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", default=list(SET_NAMES), choices=SET_NAMES)
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "cleaner-bench")
    parser.add_argument("--detail", action="store_true", help="precision and recall beside F1")
    parser.add_argument("--shared", type=Path, default=SHARED)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from cleaner.training.dataset import dev_scorer
    score = dev_scorer(args.shared)
    for fmt in args.formats:
        if fmt in RENDERERS and shutil.which(RENDERERS[fmt][0]) is None:
            print(f"\n{fmt}: skipped ({RENDERERS[fmt][0]} is not installed)")
            continue
        results = {}
        for set_name in args.sets:
            texts = dumps(Path(score.SETS[set_name]), fmt, args.cache)
            results[set_name] = {m: score_set(score, set_name, run(m, texts, args.jobs)) for m in args.methods}
        table(fmt, results, args.methods, args.detail)


if __name__ == "__main__":
    main()

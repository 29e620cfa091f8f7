#!/usr/bin/env python3
"""Where the model engine's time goes on HTML, stage by stage, beside trafilatura on the same pages.

usage: python benchmarks/html_stages.py [--sets ...] [--limit N] [--rounds 3] [--shared DIR]

Each page of the chosen collections' HTML is decoded once (untimed), then, in one process and
page by page in turn, timed by CPU time (best of ``--rounds`` per page):

* ``parse``: lxml's parse (:func:`cleaner.inputs.html_dom.parse_html`);
* ``walk + evidence``: the whole-page text with the markup's evidence per line (``walk(root, evidence=True)``);
* ``metadata``: the markup's metadata (:func:`cleaner.inputs.html_metadata.html_metadata`);
* ``detectors + model + render``: :func:`cleaner.inputs.html.clean_extraction` with the model engine's
  detectors (text features, the HTML model, the specific detectors, the report's spans);
* ``clean --engine model``: all of it through :func:`cleaner.inputs.html.read_html` and ``clean_extraction``;
* ``trafilatura.extract``: trafilatura alone with its defaults, the issue's reference.

It prints ms/page (mean) per stage and the engine's total over trafilatura's. Printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from cleaner.detectors.registry import html_model_detectors
from cleaner.errors import InputError
from cleaner.inputs.engines import MODEL
from cleaner.inputs.html import clean_extraction, read_html
from cleaner.inputs.html_dom import html_language, parse_html, walk
from cleaner.inputs.html_metadata import html_metadata
from cleaner.inputs.html_source import DecodedHtml, decode_html
from cleaner.training.dataset import SET_NAMES, set_folder

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("parse", "walk + evidence", "metadata", "detectors + model + render", "clean --engine model",
          "trafilatura.extract")


def pages_of(shared: Path, sets: Sequence[str], limit: int | None) -> list[DecodedHtml]:
    """The decodable HTML pages of ``sets`` (the first ``limit`` by id of each)."""
    found = []
    for name in sets:
        folder = set_folder(shared, name)
        ids = sorted(json.loads((folder / "gold.json").read_text(encoding="utf-8")))
        for page_id in ids[:limit] if limit else ids:
            path = folder / "html" / f"{page_id}.html"
            try:
                found.append(decode_html(path.read_bytes()))
            except (InputError, OSError):
                continue
    return found


def best_cpu(call: Callable[[], object], rounds: int) -> float:
    """The least CPU seconds of ``rounds`` calls."""
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        call()
        best = min(best, time.process_time() - started)
    return best


def stage_calls(page: DecodedHtml) -> dict[str, Callable[[], object]] | None:
    """Each stage's call on ``page`` (the inputs of a stage made beforehand, untimed); ``None``: no visible text."""
    import trafilatura

    detectors = html_model_detectors()
    root = parse_html(page)
    try:
        extraction = read_html(page, engine=MODEL)
    except InputError:
        return None
    language = html_language(root)
    return {
        "parse": lambda: parse_html(page),
        "walk + evidence": lambda: walk(root, evidence=True),
        "metadata": lambda: html_metadata(root, language),
        "detectors + model + render": lambda: clean_extraction(extraction, "-", detectors),
        "clean --engine model": lambda: clean_extraction(read_html(page, engine=MODEL), "-", detectors),
        "trafilatura.extract": lambda: trafilatura.extract(page.text),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", default=list(SET_NAMES), choices=SET_NAMES)
    parser.add_argument("--limit", type=int, default=60, help="pages a set (default 60; 0: all)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args(argv)
    pages = pages_of(args.shared, args.sets, args.limit or None)
    totals = dict.fromkeys(STAGES, 0.0)
    counted = 0
    for number, page in enumerate(pages):
        calls = stage_calls(page)
        if calls is None:
            continue
        if number == 0:
            for call in calls.values():  # imports and model files, before any timing
                call()
        counted += 1
        for stage in STAGES:
            totals[stage] += best_cpu(calls[stage], args.rounds)
    print(f"\nHTML model engine by stage: {counted} pages ({', '.join(args.sets)}), CPU ms/page, best of "
          f"{args.rounds}\n")
    print("| stage | ms/page |\n|---|---:|")
    for stage in STAGES:
        print(f"| {stage} | {1000 * totals[stage] / max(counted, 1):.2f} |")
    ratio = totals["clean --engine model"] / max(totals["trafilatura.extract"], 1e-9)
    print(f"\nclean --engine model / trafilatura.extract: {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())

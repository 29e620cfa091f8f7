#!/usr/bin/env python3
"""The walk's cost with and without the DOM evidence, on the five dev collections' HTML.

usage: python benchmarks/dom_walk.py [--shared ../shared] [--rounds 3]

Every page is decoded and parsed once (not timed); then the walk alone runs on each tree,
``walk(root)`` and ``walk(root, evidence=True)`` in turn, ``--rounds`` times; the minimum of
the rounds' totals is printed as ms/page for each, per collection and over all. It also checks
that both walks give the same text, byte for byte (a difference is printed and fails the run).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from lxml.html import HtmlElement

from cleaner.errors import InputError
from cleaner.inputs.html_dom import parse_html, walk
from cleaner.training.dataset import SET_NAMES, set_folder
from cleaner.training.html_rows import decoded


def _tree(path: Path) -> HtmlElement | None:
    """The page's tree, ``None`` when it does not parse (left out of the timing)."""
    try:
        return parse_html(decoded(path.read_bytes()))
    except InputError:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    totals = {False: 0.0, True: 0.0}
    pages = 0
    print("| collection | pages | walk ms/page | walk with evidence ms/page |\n|---|---|---|---|")
    for name in SET_NAMES:
        trees = [root for path in sorted((set_folder(args.shared, name) / "html").glob("*.html"))
                 if (root := _tree(path)) is not None]
        for root in trees:
            if walk(root).text != walk(root, evidence=True).text:
                sys.exit(f"{name}: the walk with evidence gives another text")
        best = {}
        for evidence in (False, True):
            rounds = []
            for _ in range(args.rounds):
                start = time.perf_counter()
                for root in trees:
                    walk(root, evidence=evidence)
                rounds.append(time.perf_counter() - start)
            best[evidence] = min(rounds)
            totals[evidence] += best[evidence]
        pages += len(trees)
        print(f"| {name} | {len(trees)} | {1000 * best[False] / len(trees):.2f} | "
              f"{1000 * best[True] / len(trees):.2f} |", flush=True)
    print(f"| **all** | {pages} | {1000 * totals[False] / pages:.2f} | {1000 * totals[True] / pages:.2f} |")


if __name__ == "__main__":
    main()

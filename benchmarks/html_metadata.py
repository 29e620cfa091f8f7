#!/usr/bin/env python3
"""The markup's metadata without trafilatura (cleaner.inputs.html_metadata): its cost, its agreement with trafilatura.

usage: python benchmarks/html_metadata.py [--shared ../shared] [--rounds 3] [--show 0]

Every dev page of the five collections is decoded and parsed once (not timed). Printed:
``html_metadata``'s cost (ms/page, the minimum of ``--rounds`` totals), htmldate's
``find_date(tree, extensive_search=False, original_date=True)`` cost for comparison, and per
field (title, author, date, site name, url) how often ours and trafilatura's
(``bare_extraction(root, with_metadata=True, favor_precision=True, include_comments=False,
include_tables=True)``) are equal after whitespace and case are normalised, found by one side
only, or differ (neither found: the rest). ``--show N`` prints N differing pairs per field.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import trafilatura
from htmldate import find_date

from cleaner.errors import InputError
from cleaner.inputs.html_dom import html_language, parse_html
from cleaner.inputs.html_metadata import html_metadata
from cleaner.metadata import Metadata
from cleaner.training.dataset import SET_NAMES, set_folder
from cleaner.training.html_rows import decoded

FIELDS = (("title", "title"), ("author", "author"), ("date", "date"), ("site_name", "sitename"), ("url", "url"))


def _norm(value: object, name: str) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = " ".join(value.split()).casefold()
    return text.rstrip("/") if name == "url" else text


def _theirs(source: bytes) -> dict[str, str | None]:
    try:
        document = trafilatura.bare_extraction(parse_html(decoded(source)), with_metadata=True, favor_precision=True,
                                               include_comments=False, include_tables=True)
    except Exception:  # noqa: BLE001 - a page trafilatura fails on counts as "found nothing"
        document = None
    return {theirs: getattr(document, theirs, None) if document is not None else None for _, theirs in FIELDS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args()
    pages: list[tuple[bytes, object, str | None]] = []
    for name in SET_NAMES:
        for path in sorted((set_folder(args.shared, name) / "html").glob("*.html")):
            source = path.read_bytes()
            try:
                root = parse_html(decoded(source))
            except InputError:
                continue
            pages.append((source, root, html_language(root)))
    rounds = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        ours = [html_metadata(root, language) for _, root, language in pages]
        rounds.append(time.perf_counter() - start)
    start = time.perf_counter()
    for _, root, _ in pages:
        find_date(root, extensive_search=False, original_date=True)
    htmldate_cost = time.perf_counter() - start
    print(f"pages: {len(pages)}; html_metadata {1000 * min(rounds) / len(pages):.3f} ms/page; "
          f"htmldate find_date (extensive_search=False) {1000 * htmldate_cost / len(pages):.3f} ms/page\n")
    _agreement(ours, [_theirs(source) for source, _, _ in pages], args.show)


def _agreement(ours: list[Metadata], theirs: list[dict[str, str | None]], show: int) -> None:
    total = len(ours)
    print("| field | equal | only ours | only trafilatura | differ | neither |\n|---|---|---|---|---|---|")
    for mine, other in FIELDS:
        counts = {"equal": 0, "ours": 0, "theirs": 0, "differ": 0, "neither": 0}
        shown = 0
        for meta, document in zip(ours, theirs, strict=True):
            a, b = _norm(getattr(meta, mine), mine), _norm(document[other], mine)
            kind = ("neither" if a is None and b is None else "ours" if b is None else "theirs" if a is None
                    else "equal" if a == b else "differ")
            counts[kind] += 1
            if kind == "differ" and shown < show:
                shown += 1
                print(f"  {mine}: ours {getattr(meta, mine)!r} / trafilatura {document[other]!r}")
        print(f"| {mine} | " + " | ".join(f"{100 * counts[k] / total:.1f}%" for k in counts) + " |")


if __name__ == "__main__":
    main()

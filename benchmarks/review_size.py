#!/usr/bin/env python3
"""How the review page copes with a large run: file size, build time, load and open times in Chromium.

usage: python benchmarks/review_size.py [--inputs 1000] [--data ../shared/bench-data] [--keep PATH]

Cleans the dev set's dumps once (dump_ht and dump_in, in-process), repeats the outcomes under
distinct paths until there are ``--inputs`` of them, adds one long page (30,000 lines, to
time the chunked rendering), writes the review and times in headless Chromium (Debian's
/usr/bin/chromium via playwright): loading the file until the index is drawn, sorting by a
column, filtering by a detector, going to the last index page, opening an input and
opening the long page. Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import cleaner  # noqa: E402
from cleaner.outputs.review import write_review  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LONG_LINES = 30_000


def dev_outcomes(data: Path) -> list[cleaner.Outcome]:
    return [outcome for kind in ("dump_ht", "dump_in") for outcome in cleaner.iter_outcomes([data / kind])]


def long_outcome() -> cleaner.Outcome:
    """One page of LONG_LINES lines: a menu, then paragraphs of prose."""
    prose = ("The council said the new bridge would open in spring, after two years of work on the river banks "
             "and a long argument about its cost.")
    lines = ["Home", "News", "Sport", ""] + [prose if n % 2 == 0 else "" for n in range(LONG_LINES - 4)]
    return cleaner.Outcome("long/page.txt", cleaner.clean_text("\n".join(lines) + "\n", source="long/page.txt"))


def repeated(outcomes: list[cleaner.Outcome], count: int) -> list[cleaner.Outcome]:
    """``count`` outcomes: the given ones again and again, under ``copyN/`` paths."""
    copies = []
    for n in range(count):
        outcome = outcomes[n % len(outcomes)]
        copies.append(replace(outcome, path=f"copy{n // len(outcomes)}/{outcome.path.lstrip('/')}"))
    return copies


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def browse(path: Path, long_number: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        figures = {"load (index drawn)": timed(lambda: (page.goto(path.as_uri()),
                                                         page.wait_for_selector("body[data-ready='1']")))}
        figures["sort by removed"] = timed(lambda: page.click("#table th[data-key='removed']"))
        chip = "#chips .chip[data-detector='teasers'] input"
        figures["filter by a detector"] = timed(lambda: page.click(chip))
        page.click(chip)
        figures["next index page"] = timed(lambda: page.click("#page-next"))
        figures["open an input"] = timed(lambda: (page.click("#rows tr:nth-child(3)"),
                                                  page.wait_for_selector("#page .l")))
        figures["next input (j)"] = timed(lambda: page.keyboard.press("j"))
        figures["open the long page"] = timed(lambda: (
            page.evaluate(f"location.hash = '#input={long_number}'"),
            page.wait_for_selector("#more:not([hidden])")))
        figures["show 2000 more lines"] = timed(lambda: page.click("#more"))
        browser.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=1000)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "bench-data")
    parser.add_argument("--keep", type=Path, help="also keep the review page here")
    args = parser.parse_args()
    started = time.perf_counter()
    base = dev_outcomes(args.data)
    cleaned = time.perf_counter() - started
    outcomes = [*repeated(base, args.inputs - 1), long_outcome()]
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "review.html"
        build = timed(lambda: write_review(path, outcomes))
        size = path.stat().st_size
        figures = browse(path, len(outcomes))
    print(f"{len(outcomes)} inputs ({len(base)} dev dumps cleaned in {cleaned:.1f} s, repeated; "
          f"one page of {LONG_LINES} lines)")
    print(f"review page: {size / 1e6:.1f} MB, written in {build:.2f} s")
    for name, seconds in figures.items():
        print(f"  {name:<22} {seconds * 1000:7.0f} ms")


if __name__ == "__main__":
    main()

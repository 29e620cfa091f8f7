#!/usr/bin/env python3
"""Content-model feature cost: in-process ms/page of ``line_features`` and ``claim_features``.

usage: python benchmarks/features_speed.py [--data ../shared/bench-data] [--rounds 5]

Every dev dump (``dump_ht`` + ``dump_in``) is read, decoded and cleaned by the default pipeline
first (untimed), so the page's facts (signals, layout) are cached as they are when the content
model runs inside a clean; then the two feature functions are timed on that page, the claims
taken from the labels the pipeline already has (``labels.by_line``: no detector runs again).
Prints the median over ``--rounds`` rounds (speed is printed, never asserted), next to the
whole in-process clean for scale, and apart what is built once per process (the character-class
table ``line_features`` looks characters up in), before the rounds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "bench-data"
KINDS = ("dump_ht", "dump_in")


def prepared(paths: list[Path]) -> tuple[list[tuple[object, dict]], float]:
    """(page, claims) per dump after a default clean, and the seconds the cleans took."""
    from cleaner.detectors.registry import default_detectors
    from cleaner.inputs.decoding import decode, read_bytes
    from cleaner.pipeline import run
    from cleaner.text.page import Page

    out = []
    started = time.perf_counter()
    for path in paths:
        page = Page(decode(read_bytes(path)).text, str(path))
        labels = run(page, default_detectors()).labels
        out.append((page, labels.by_line))
    return out, time.perf_counter() - started


def first_call(page: object) -> float:
    """Seconds of the first ``line_features`` call beyond a second one: what is built once per process."""
    from cleaner.text.features import line_features

    began = time.perf_counter()
    line_features(page)
    first = time.perf_counter() - began
    began = time.perf_counter()
    line_features(page)
    return max(first - (time.perf_counter() - began), 0.0)


def timed(pages: list[tuple[object, dict]]) -> tuple[float, float]:
    """Seconds spent in ``line_features`` and in ``claim_features`` over ``pages`` (one round)."""
    from cleaner.detectors.claims import claim_features
    from cleaner.text.features import line_features

    features = claims = 0.0
    for page, by_line in pages:
        began = time.perf_counter()
        lines, _ = line_features(page)
        middle = time.perf_counter()
        claim_features(page, lines, by_line)
        features += middle - began
        claims += time.perf_counter() - middle
    return features, claims


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    paths = sorted(path for kind in KINDS for path in (args.data / kind).glob("*.txt"))
    if not paths:
        sys.exit(f"benchmarks/features_speed.py: no dumps under {args.data}")
    prepared(paths[:1])  # load the language model and phrase data before timing
    pages, cleaning = prepared(paths)
    once = first_call(pages[0][0])
    rounds = [timed(pages) for _ in range(args.rounds)]
    features = statistics.median(r[0] for r in rounds)
    claims = statistics.median(r[1] for r in rounds)
    count = len(paths)
    print(f"{count} dev dumps, median of {args.rounds} rounds (pages cleaned first: signals and layout cached)")
    print(f"\n{'step':<34}{'ms/page':>10}")
    print(f"{'line_features':<34}{1000 * features / count:>10.3f}")
    print(f"{'claim_features (labels.by_line)':<34}{1000 * claims / count:>10.3f}")
    print(f"{'features + claims':<34}{1000 * (features + claims) / count:>10.3f}")
    print(f"{'(default clean, one pass, scale)':<34}{1000 * cleaning / count:>10.3f}")
    print(f"\nonce per process: the character-class table of line_features, {1000 * once:.1f} ms (not in the above)")


if __name__ == "__main__":
    main()

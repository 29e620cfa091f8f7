#!/usr/bin/env python3
"""Dev-set benchmark: run the `clean` CLI on the bench-data dumps, score, print a table.

usage: python benchmarks/run.py [--data ../shared/bench-data] [--kinds dump_ht dump_in] [--per-page N]

For each dump folder it runs `clean DIR -o TMP` (the installed command, as a user would),
times the whole run (process start-up included), scores TMP with bench-data's score.py
and prints F1, precision, recall and pages/s. `--per-page N` also lists the N worst pages.
Speed is printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "bench-data"


def clean_command() -> list[str]:
    """The `clean` installed beside this Python, else the one on PATH."""
    beside = Path(sys.executable).with_name("clean")
    found = str(beside) if beside.exists() else shutil.which("clean")
    if not found:
        sys.exit("benchmarks/run.py: `clean` is not installed (see README)")
    return [found]


def run_kind(data: Path, kind: str, out: Path, extra: list[str]) -> dict:
    folder = data / kind
    pages = len(list(folder.glob("*.txt")))
    started = time.perf_counter()
    proc = subprocess.run([*clean_command(), str(folder), "-o", str(out), *extra], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"benchmarks/run.py: clean failed on {folder}: {proc.stderr.strip()[-500:]}")
    scored = subprocess.run(
        [sys.executable, str(data / "score.py"), str(out), "--json"], capture_output=True, text=True, check=True
    )
    result = json.loads(scored.stdout)
    result.update(kind=kind, seconds=seconds, pages_per_s=pages / seconds)
    return result


def worst_pages(data: Path, out: Path, count: int) -> list[str]:
    listing = subprocess.run(
        [sys.executable, str(data / "score.py"), str(out), "--per-page"], capture_output=True, text=True, check=True
    )
    return listing.stdout.splitlines()[1 : count + 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="bench-data folder")
    parser.add_argument("--kinds", nargs="+", default=["dump_ht", "dump_in"], help="dump folders to run")
    parser.add_argument("--per-page", type=int, default=0, metavar="N", help="also list the N worst pages")
    parser.add_argument("clean_args", nargs="*", help="extra options passed to clean (after --)")
    args = parser.parse_args()
    if not (args.data / "score.py").is_file():
        sys.exit(f"benchmarks/run.py: no bench data at {args.data}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.kinds:
            out = Path(tmp) / kind
            rows.append(run_kind(args.data, kind, out, args.clean_args))
            if args.per_page:
                print(f"worst pages, {kind}:")
                for line in worst_pages(args.data, out, args.per_page):
                    print("  " + line)
    print()
    print("| input | F1 | precision | recall | pages | pages/s |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['kind']} | {row['f1']:.3f} | {row['precision']:.3f} | {row['recall']:.3f} "
            f"| {row['pages']} | {row['pages_per_s']:.0f} |"
        )


if __name__ == "__main__":
    main()

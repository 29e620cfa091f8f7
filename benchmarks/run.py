#!/usr/bin/env python3
"""Dev-set benchmark: run the `clean` CLI on the bench-data dumps, score, print a table.

usage: python benchmarks/run.py [--data ../shared/bench-data] [--kinds dump_ht dump_in] [--per-page N]
                                [--modes default precision recall no-title] [--ablation]

For each dump folder and mode it runs `clean DIR -o TMP` (the installed command, as a user
would; modes add `--favor precision`, `--favor recall` or `--no-title`), times the whole run
(process start-up included), scores TMP with bench-data's score.py and prints F1, precision,
recall and pages/s. `--per-page N` also lists the N worst pages of the default mode.
`--ablation` then cleans the dumps in-process once per detector with that detector switched
off and prints the F1 change (quality only). Speed is printed, never asserted.
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


MODES = {
    "default": [],
    "precision": ["--favor", "precision"],
    "recall": ["--favor", "recall"],
    "no-title": ["--no-title"],
}


def ablation(data: Path, kinds: list[str]) -> list[tuple[str, dict[str, float]]]:
    """F1 per dump with every detector, then with each one switched off (in-process, library API)."""
    import importlib.util

    from cleaner.api import clean_text
    from cleaner.pipeline import default_detectors

    spec = importlib.util.spec_from_file_location("score", data / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    gold = json.loads((data / "gold.json").read_text(encoding="utf-8"))
    texts = {
        kind: {path.stem: path.read_text(encoding="utf-8") for path in sorted((data / kind).glob("*.txt"))}
        for kind in kinds
    }

    def f1_without(name: str | None) -> dict[str, float]:
        result = {}
        for kind in kinds:
            counts = []
            for page_id, text in texts[kind].items():
                detectors = [d for d in default_detectors() if d.name != name]
                counts.append(score.page_counts(gold.get(page_id, ""), clean_text(text, page_id, detectors).text))
            result[kind] = score.metrics(counts)["f1"]
        return result

    rows = [("(all detectors)", f1_without(None))]
    rows.extend((detector.name, f1_without(detector.name)) for detector in default_detectors())
    return rows


def print_ablation(rows: list[tuple[str, dict[str, float]]], kinds: list[str]) -> None:
    base = rows[0][1]
    print()
    print("| switched off | " + " | ".join(f"F1 {kind} (change)" for kind in kinds) + " |")
    print("|---|" + "---|" * len(kinds))
    for name, scores in rows:
        cells = [
            f"{scores[kind]:.3f}" + ("" if name.startswith("(") else f" ({scores[kind] - base[kind]:+.3f})")
            for kind in kinds
        ]
        print(f"| {name} | " + " | ".join(cells) + " |")


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
    parser.add_argument(
        "--modes", nargs="+", choices=sorted(MODES), default=["default", "precision", "recall"], help="modes to run"
    )
    parser.add_argument("--ablation", action="store_true", help="also print F1 with each detector switched off")
    parser.add_argument("clean_args", nargs="*", help="extra options passed to clean (after --)")
    args = parser.parse_args()
    if not (args.data / "score.py").is_file():
        sys.exit(f"benchmarks/run.py: no bench data at {args.data}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for mode in args.modes:
            for kind in args.kinds:
                out = Path(tmp) / mode / kind
                rows.append(run_kind(args.data, kind, out, [*MODES[mode], *args.clean_args]) | {"mode": mode})
                if args.per_page and mode == args.modes[0]:
                    print(f"worst pages, {kind} ({mode}):")
                    for line in worst_pages(args.data, out, args.per_page):
                        print("  " + line)
    print()
    print("| input | mode | F1 | precision | recall | pages | pages/s |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['kind']} | {row['mode']} | {row['f1']:.3f} | {row['precision']:.3f} | {row['recall']:.3f} "
            f"| {row['pages']} | {row['pages_per_s']:.0f} |"
        )
    if args.ablation:
        print_ablation(ablation(args.data, args.kinds), args.kinds)


if __name__ == "__main__":
    main()

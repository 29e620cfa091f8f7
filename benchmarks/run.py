#!/usr/bin/env python3
"""Dev-set benchmark: run the `clean` CLI on the bench-data dumps and HTML, score, print a table.

usage: python benchmarks/run.py [--data ../shared/bench-data] [--kinds dump_ht dump_in html] [--per-page N]
                                [--modes default precision recall no-title] [--ablation] [--repeat N]

For each dump folder and mode it runs `clean DIR -o TMP` (the installed command, as a user
would; modes add `--favor precision`, `--favor recall` or `--no-title`), times the whole run
(process start-up included), scores TMP with bench-data's score.py and prints F1, precision,
recall and pages/s. `--per-page N` also lists the N worst pages of the default mode.
`--ablation` then cleans the dumps in-process once per detector with that detector switched
off and prints the F1 change (quality only). Speed is printed, never asserted.

The `html` kind (bench-data/html, the same 91 pages as HTML) runs `clean` on the HTML and, in
the same run, trafilatura alone (benchmarks/trafilatura_alone.py: the extraction call `clean`
makes, with the same settings, metadata included), each as its own process timed from start-up
to exit, alternately, best of `--repeat` runs. It prints both rows, the speed ratio (clean's
seconds / trafilatura's) and the pages where clean scores below trafilatura alone.
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


def pages_in(folder: Path) -> int:
    return sum(1 for path in folder.iterdir() if path.suffix.lower() in (".txt", ".html", ".htm"))


def timed(command: list[str], what: str) -> float:
    """Seconds from start-up to exit of ``command``; a failure ends the benchmark."""
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"benchmarks/run.py: {what} failed: {proc.stderr.strip()[-500:]}")
    return seconds


def scored(data: Path, out: Path, kind: str, seconds: float, pages: int) -> dict:
    proc = subprocess.run(
        [sys.executable, str(data / "score.py"), str(out), "--json"], capture_output=True, text=True, check=True
    )
    result = json.loads(proc.stdout)
    result.update(kind=kind, seconds=seconds, pages_per_s=pages / seconds)
    return result


def run_kind(data: Path, kind: str, out: Path, extra: list[str]) -> dict:
    folder = data / kind
    seconds = timed([*clean_command(), str(folder), "-o", str(out), *extra], f"clean on {folder}")
    return scored(data, out, kind, seconds, pages_in(folder))


def run_html(data: Path, out: Path, extra: list[str], favor: str, repeat: int) -> tuple[dict, dict]:
    """clean and trafilatura alone on bench-data/html, alternately, best of ``repeat`` timings each."""
    from cleaner.html import trafilatura_options

    folder = data / "html"
    alone = [sys.executable, str(ROOT / "benchmarks" / "trafilatura_alone.py"), str(folder), str(out / "trafilatura"),
             "--options", json.dumps(trafilatura_options(favor))]
    clean = [*clean_command(), str(folder), "-o", str(out / "clean"), *extra]
    best = {"clean": float("inf"), "trafilatura": float("inf")}
    for _ in range(repeat):
        best["clean"] = min(best["clean"], timed(clean, f"clean on {folder}"))
        best["trafilatura"] = min(best["trafilatura"], timed(alone, "trafilatura alone"))
    pages = pages_in(folder)
    return (scored(data, out / "clean", "html", best["clean"], pages),
            scored(data, out / "trafilatura", "html", best["trafilatura"], pages) | {"mode": "trafilatura alone"})


def below_trafilatura(data: Path, out: Path) -> list[tuple[str, float, float]]:
    """(page, clean F1, trafilatura F1) of the pages where clean scores lower, worst first."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("score", data / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    _, ours = score.score(out / "clean")
    _, theirs = score.score(out / "trafilatura")

    def f1(counts: tuple[float, float, float]) -> float:
        tp, fp, fn = counts
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    rows = [(page, f1(ours[page]), f1(theirs[page])) for page in ours if f1(ours[page]) < f1(theirs[page]) - 1e-9]
    return sorted(rows, key=lambda row: row[1] - row[2])


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
    parser.add_argument("--kinds", nargs="+", default=["dump_ht", "dump_in", "html"], help="folders to run")
    parser.add_argument("--per-page", type=int, default=0, metavar="N", help="also list the N worst pages")
    parser.add_argument(
        "--modes", nargs="+", choices=sorted(MODES), default=["default", "precision", "recall"], help="modes to run"
    )
    parser.add_argument("--ablation", action="store_true", help="also print F1 with each detector switched off")
    parser.add_argument("--repeat", type=int, default=3, metavar="N", help="html: best of N timings (default 3)")
    parser.add_argument("clean_args", nargs="*", help="extra options passed to clean (after --)")
    args = parser.parse_args()
    if not (args.data / "score.py").is_file():
        sys.exit(f"benchmarks/run.py: no bench data at {args.data}")
    rows, speed, below = [], [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for mode in args.modes:
            for kind in args.kinds:
                out = Path(tmp) / mode / kind
                extra = [*MODES[mode], *args.clean_args]
                if kind == "html":
                    favor = extra[extra.index("--favor") + 1] if "--favor" in extra else "balanced"
                    ours, theirs = run_html(args.data, out, extra, favor, args.repeat)
                    rows += [ours | {"mode": mode}, theirs]
                    speed.append((mode, ours["seconds"] / theirs["seconds"]))
                    below[mode] = below_trafilatura(args.data, out)
                    out = out / "clean"
                else:
                    rows.append(run_kind(args.data, kind, out, extra) | {"mode": mode})
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
    for mode, ratio in speed:
        print(f"\nhtml ({mode}): clean takes {ratio:.2f}x the time of trafilatura alone (both as processes, "
              f"start-up included, best of {args.repeat})")
    for mode, pages in below.items():
        print(f"\nhtml ({mode}): {len(pages)} pages where clean scores below trafilatura alone "
              "(F1 clean / trafilatura):")
        for page, ours, theirs in pages:
            print(f"  {page}  {ours:.3f} / {theirs:.3f}")
    if args.ablation:
        print_ablation(ablation(args.data, args.kinds), args.kinds)


if __name__ == "__main__":
    main()

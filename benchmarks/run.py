#!/usr/bin/env python3
"""Dev-set benchmark: run the `clean` CLI on the bench-data dumps and HTML, score, print a table.

usage: python benchmarks/run.py [--data ../shared/bench-data] [--kinds dump_ht dump_in html] [--per-page N]
                                [--modes default precision recall no-title] [--ablation] [--repeat N]
                                [--candidates]

For each dump folder and mode it runs `clean DIR -o TMP` (the installed command, as a user
would; modes add `--favor precision`, `--favor recall` or `--no-title`), times the whole run
(process start-up included), scores TMP with bench-data's score.py and prints F1, precision,
recall and pages/s. `--per-page N` also lists the N worst pages of the default mode.
`--ablation` then cleans the dumps in-process once per detector with that detector switched
off and prints the F1 change (quality only). Speed is printed, never asserted.

`--candidates` cleans bench-data/html in-process once per candidate set of trafilatura options
(clean's own, fast mode, balanced mode...) and prints F1 and CPU ms/page of clean and of
trafilatura alone with those options: how clean's settings were chosen.

The `html` kind (bench-data/html, the same 91 pages as HTML) runs, in the same run and
alternately, each as a process timed from start-up to exit, best of `--repeat` runs: `clean`
on the HTML with `--jobs 1` (one core, as trafilatura alone uses); trafilatura alone with
clean's settings (benchmarks/trafilatura_alone.py: the `bare_extraction` call `clean` makes,
same options, metadata included); trafilatura alone as most people call it,
`trafilatura.extract(html)` with its defaults (fallback extractors on, comments in, no
metadata; the issue's 0.963 reference); and `clean` on every core (its default; not in the
ratios). Each also runs on a one-page folder, for its start-up. It prints the rows (pages/s
by the clock and by CPU time, which other processes on the machine disturb less), the time
ratios of one-core clean to each trafilatura, for the whole run and per page (start-up
excluded), and the pages where clean scores below trafilatura with its settings.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Timing:
    """One process run: seconds by the clock, and CPU seconds (user + system) of the process."""

    wall: float
    cpu: float

    def best(self, other: Timing) -> Timing:
        return Timing(min(self.wall, other.wall), min(self.cpu, other.cpu))


SLOWEST = Timing(float("inf"), float("inf"))


def timed(command: list[str], what: str) -> Timing:
    """Clock and CPU seconds from start-up to exit of ``command``; a failure ends the benchmark."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"benchmarks/run.py: {what} failed: {proc.stderr.strip()[-500:]}")
    return Timing(seconds, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def scored(data: Path, out: Path, kind: str, timing: Timing, pages: int) -> dict:
    proc = subprocess.run(
        [sys.executable, str(data / "score.py"), str(out), "--json"], capture_output=True, text=True, check=True
    )
    result = json.loads(proc.stdout)
    result.update(kind=kind, seconds=timing.wall, pages_per_s=pages / timing.wall, cpu_pages_per_s=pages / timing.cpu)
    return result


def run_kind(data: Path, kind: str, out: Path, extra: list[str]) -> dict:
    folder = data / kind
    timing = timed([*clean_command(), str(folder), "-o", str(out), *extra], f"clean on {folder}")
    return scored(data, out, kind, timing, pages_in(folder))


CLEAN, SAME, DEFAULT = "clean", "trafilatura alone, clean's settings", "trafilatura alone, default extract()"
EVERY_CORE = "clean, every core"


@dataclass
class HtmlRun:
    """The html kind of one mode: a row per tool, and each tool's best timings on all pages and on one."""

    rows: list[dict]
    full: dict[str, Timing]
    one: dict[str, Timing]
    pages: int

    def ratios(self, reference: str) -> tuple[Timing, Timing]:
        """clean's time / ``reference``'s: whole runs (start-up included), and per page (start-up excluded)."""
        def per_page(tool: str) -> Timing:
            full, one = self.full[tool], self.one[tool]
            return Timing((full.wall - one.wall) / (self.pages - 1), (full.cpu - one.cpu) / (self.pages - 1))

        ours, theirs = per_page(CLEAN), per_page(reference)
        ours_all, theirs_all = self.full[CLEAN], self.full[reference]
        whole = Timing(ours_all.wall / theirs_all.wall, ours_all.cpu / theirs_all.cpu)
        return whole, Timing(ours.wall / theirs.wall, ours.cpu / theirs.cpu)


def run_html(data: Path, out: Path, extra: list[str], favor: str, repeat: int) -> HtmlRun:
    """clean and trafilatura alone (two ways) on bench-data/html, alternately, best of ``repeat`` timings each."""
    from cleaner.inputs.html import trafilatura_options

    folder = data / "html"
    one = out / "one-page"
    one.mkdir(parents=True)
    first = min(path for path in folder.iterdir() if path.suffix.lower() in (".html", ".htm"))
    shutil.copy(first, one / first.name)
    alone = [sys.executable, str(ROOT / "benchmarks" / "trafilatura_alone.py")]

    # clean works on one core, like trafilatura alone (its default is every core: that run is a row of its own).
    one_core = [] if {"-j", "--jobs"} & set(extra) else ["--jobs", "1"]

    def commands(source: Path, target: Path) -> dict[str, list[str]]:
        return {
            CLEAN: [*clean_command(), str(source), "-o", str(target / "clean"), *one_core, *extra],
            SAME: [*alone, str(source), str(target / "same"), "--options", json.dumps(trafilatura_options(favor))],
            DEFAULT: [*alone, str(source), str(target / "default"), "--default"],
            EVERY_CORE: [*clean_command(), str(source), "-o", str(target / "every-core"), *extra],
        }

    full = dict.fromkeys(commands(folder, out), SLOWEST)
    single = dict.fromkeys(full, SLOWEST)
    everything, start_up = commands(folder, out), commands(one, out / "one-out")
    for _ in range(repeat):
        for tool in full:
            full[tool] = full[tool].best(timed(everything[tool], f"{tool} on {folder}"))
            single[tool] = single[tool].best(timed(start_up[tool], f"{tool} on one page"))
    pages = pages_in(folder)
    rows = [scored(data, out / name, "html", full[tool], pages) | {"mode": tool}
            for tool, name in ((CLEAN, "clean"), (SAME, "same"), (DEFAULT, "default"), (EVERY_CORE, "every-core"))]
    return HtmlRun(rows, full, single, pages)


def below_trafilatura(data: Path, out: Path) -> list[tuple[str, float, float]]:
    """(page, clean F1, trafilatura F1) of the pages where clean scores lower, worst first."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("score", data / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    _, ours = score.score(out / "clean")
    _, theirs = score.score(out / "same")

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

    from cleaner import clean_text
    from cleaner.detectors.registry import default_detectors

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


# Candidate trafilatura settings, on top of clean's (cleaner.inputs.html.TRAFILATURA_OPTIONS). Not `deduplicate`: its
# cache lives for the whole process, so a page seen twice (a second round, a re-run) loses its text.
CANDIDATES: list[dict[str, bool]] = [
    {},
    {"fast": True},
    {"favor_precision": False},
    {"favor_precision": False, "fast": True},
    {"favor_precision": False, "favor_recall": True},
    {"include_comments": True},
    {"include_tables": False},
]


def candidates(data: Path, rounds: int = 2) -> list[tuple[dict[str, bool], dict, dict]]:
    """(extra options, clean's F1 and ms/page, trafilatura alone's) for each of :data:`CANDIDATES`, in-process.

    ms/page is CPU time, the best of ``rounds`` per page (other processes disturb it less than the clock).
    """
    import importlib.util

    import trafilatura

    from cleaner import clean_html
    from cleaner.inputs import html

    spec = importlib.util.spec_from_file_location("score", data / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    gold = json.loads((data / "gold.json").read_text(encoding="utf-8"))
    pages = {path.stem: path.read_bytes() for path in sorted((data / "html").glob("*.htm*"))}
    saved = dict(html.TRAFILATURA_OPTIONS)
    found = []
    try:
        for extra in CANDIDATES:
            html.TRAFILATURA_OPTIONS.clear()
            html.TRAFILATURA_OPTIONS.update({**saved, **extra})
            options = html.trafilatura_options()

            def ours(page: bytes) -> str:
                return clean_html(page, engine="trafilatura").text  # the engine these options are for

            def theirs(page: bytes, options: dict = options) -> str:
                document = trafilatura.bare_extraction(page, with_metadata=True, **options)
                return (document.text or "") if document is not None else ""

            found.append((extra, *(_scored_in_process(run, pages, gold, score, rounds) for run in (ours, theirs))))
    finally:
        html.TRAFILATURA_OPTIONS.clear()
        html.TRAFILATURA_OPTIONS.update(saved)
    return found


def _scored_in_process(run: Callable[[bytes], str], pages: dict[str, bytes], gold: dict, score, rounds: int) -> dict:
    best: dict[str, float] = {}
    texts: dict[str, str] = {}
    for _ in range(rounds):
        for page_id, page in pages.items():
            started = time.process_time()
            texts[page_id] = run(page)
            best[page_id] = min(best.get(page_id, float("inf")), time.process_time() - started)
    result = score.metrics([score.page_counts(gold.get(page_id, ""), text) for page_id, text in texts.items()])
    return result | {"ms": 1000 * sum(best.values()) / len(pages)}


def print_candidates(rows: list[tuple[dict[str, bool], dict, dict]]) -> None:
    print()
    print("| trafilatura options (on top of clean's) | clean F1 | clean ms/page | alone F1 | alone ms/page |")
    print("|---|---|---|---|---|")
    for extra, ours, theirs in rows:
        name = ", ".join(f"{key}={value}" for key, value in extra.items()) or "(clean's settings)"
        print(f"| {name} | {ours['f1']:.3f} | {ours['ms']:.1f} | {theirs['f1']:.3f} | {theirs['ms']:.1f} |")


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


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="bench-data folder")
    parser.add_argument("--kinds", nargs="+", default=["dump_ht", "dump_in", "html"], help="folders to run")
    parser.add_argument("--per-page", type=int, default=0, metavar="N", help="also list the N worst pages")
    parser.add_argument(
        "--modes", nargs="+", choices=sorted(MODES), default=["default", "precision", "recall"], help="modes to run"
    )
    parser.add_argument("--ablation", action="store_true", help="also print F1 with each detector switched off")
    parser.add_argument("--candidates", action="store_true", help="also print F1 and speed of trafilatura settings")
    parser.add_argument("--repeat", type=int, default=3, metavar="N", help="html: best of N timings (default 3)")
    parser.add_argument("clean_args", nargs="*", help="extra options passed to clean (after --)")
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    if not (args.data / "score.py").is_file():
        sys.exit(f"benchmarks/run.py: no bench data at {args.data}")
    rows, runs, below = [], {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for mode in args.modes:
            for kind in args.kinds:
                out = Path(tmp) / mode / kind
                extra = [*MODES[mode], *args.clean_args]
                if kind == "html":
                    favor = extra[extra.index("--favor") + 1] if "--favor" in extra else "balanced"
                    runs[mode] = run_html(args.data, out, extra, favor, args.repeat)
                    rows += [runs[mode].rows[0] | {"mode": f"{mode} (one core)"}, *runs[mode].rows[1:]]
                    below[mode] = below_trafilatura(args.data, out)
                    out = out / "clean"
                else:
                    rows.append(run_kind(args.data, kind, out, extra) | {"mode": mode})
                if args.per_page and mode == args.modes[0]:
                    print(f"worst pages, {kind} ({mode}):")
                    for line in worst_pages(args.data, out, args.per_page):
                        print("  " + line)
    _print_scores(rows)
    _print_html(runs, below, args.repeat)
    if args.candidates:
        print_candidates(candidates(args.data))
    if args.ablation:
        print_ablation(ablation(args.data, args.kinds), args.kinds)


def _print_scores(rows: list[dict]) -> None:
    print()
    print("| input | mode | F1 | precision | recall | pages | pages/s | pages/s (CPU) |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['kind']} | {row['mode']} | {row['f1']:.3f} | {row['precision']:.3f} | {row['recall']:.3f} "
            f"| {row['pages']} | {row['pages_per_s']:.1f} | {row['cpu_pages_per_s']:.1f} |"
        )


def _print_html(runs: dict, below: dict, repeat: int) -> None:
    """The HTML runs against trafilatura alone: time ratios, start-up, and the pages where clean scores below it."""
    for mode, run in runs.items():
        print(f"\nhtml ({mode}): clean's time / trafilatura alone's, best of {repeat} (clock; CPU in brackets)")
        print("| trafilatura alone | whole run, start-up included | per page, start-up excluded |")
        print("|---|---|---|")
        for reference in (SAME, DEFAULT):
            whole, page = run.ratios(reference)
            print(f"| {reference.removeprefix('trafilatura alone, ')} | {whole.wall:.2f}x ({whole.cpu:.2f}x) "
                  f"| {page.wall:.2f}x ({page.cpu:.2f}x) |")
        start = ", ".join(f"{tool.removeprefix('trafilatura alone, ')} {run.one[tool].wall:.2f} s"
                          for tool in (CLEAN, SAME, DEFAULT))
        print(f"start-up (one page): {start}")
    for mode, pages in below.items():
        print(f"\nhtml ({mode}): {len(pages)} pages where clean scores below trafilatura alone with its settings "
              "(F1 clean / trafilatura):")
        for page, ours, theirs in pages:
            print(f"  {page}  {ours:.3f} / {theirs:.3f}")


if __name__ == "__main__":
    main()

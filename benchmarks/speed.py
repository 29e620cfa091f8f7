#!/usr/bin/env python3
"""Speed benchmark: in-process ms/page with a per-stage breakdown, CLI throughput, start-up, peak RSS.

usage: python benchmarks/speed.py [--data ../shared/bench-data] [--rounds 3] [--startup-runs 5] [--no-cli]

Prints one table (speed is printed, never asserted):

* **in-process**: every dev dump (``dump_ht`` + ``dump_in``) read, decoded, cleaned and turned
  into its report record in this process; median of ``--rounds`` rounds (the language model is
  loaded before timing; the per-text phrase cache is emptied before each round, so a round
  costs what a first pass over new pages costs);
* **stages**: the same work split into decode, page (lines), layout (wrap width, link markers,
  units), language, signals, each detector, the over-removal guard, metadata, render and the
  report record; median per stage over the rounds;
* **CLI**: ``clean DIR -o OUT`` on each dump folder as a user runs it (process start-up, model
  load, site learning, outputs and report.jsonl included), median of the rounds, with the
  child's peak RSS (``getrusage`` of the command, started by a small launcher process);
* **start-up**: ``clean --help`` and ``clean -`` with one dev page on standard input, median of
  ``--startup-runs``, and which heavy modules ``clean --help`` imports;
* **big pages** (``--big``, slow): ``clean PAGE > /dev/null`` on pages built from the dev dumps
  up to 16 or 20 MB or the line limit (``cleaner.inputs.decoding.MAX_LINES``), whichever comes first,
  and one at the line limit with lines lengthened to fill 20 MB; wall time and peak RSS (the
  target is under 500 MB whatever the input size).
  Two kinds: the ``dump_ht`` pages repeated, and the same with a distinct tag word appended to
  every non-blank line (no two lines alike: per-text caches and shared signals cannot help).
"""

from __future__ import annotations

import argparse
import os
import statistics
import string
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import installed  # benchmarks/installed.py: this folder is on sys.path when a script runs

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "bench-data"
KINDS = ("dump_ht", "dump_in")
# Modules `clean --help` should not need: each costs start-up time when imported for nothing.
HEAVY = ("numpy", "py3langid", "charset_normalizer", "stopwordsiso", "trafilatura", "lxml", "hypothesis",
         "rich.table", "rich.progress", "jsonschema", "cleaner.pipeline", "cleaner.outputs.review")


def clean_command() -> str:
    return installed.clean_command("speed.py")


# --- in-process ---------------------------------------------------------------------------------


def staged_clean(path: Path, timer: Callable[[str], Callable[[], None]]) -> str:
    """Clean one input the way :func:`cleaner.clean_file` does, timing each stage; the record as JSON."""
    from cleaner.detectors.registry import default_detectors
    from cleaner.inputs.decoding import decode, read_bytes
    from cleaner.metadata import extract_metadata
    from cleaner.outputs import report
    from cleaner.pipeline import Step, guard, run
    from cleaner.render import render
    from cleaner.text.language import page_language, stopword_floor
    from cleaner.text.layout import detect_layout, unit_lines
    from cleaner.text.page import Page
    from cleaner.text.signals import page_signals

    done = timer("decode")
    decoded = decode(read_bytes(path))
    done()
    done = timer("page (lines)")
    page = Page(decoded.text, str(path))
    done()
    done = timer("layout + units")
    detect_layout(page)
    unit_lines(page)
    done()
    done = timer("language")
    page_language(page)
    stopword_floor(page)
    done()
    done = timer("signals")
    page_signals(page)
    done()
    detectors = default_detectors()
    # The driver calls the observer once a detector has found what it finds: that ends its stage.
    pending = [timer("detector " + detectors[0].name)] if detectors else []

    def stage_done(step: Step) -> None:
        pending.pop()()
        position = detectors.index(step.detector) + 1
        if position < len(detectors):
            pending.append(timer("detector " + detectors[position].name))

    labels = run(page, detectors, stage_done).labels
    done = timer("guard")
    guard(page, labels)
    done()
    done = timer("metadata")
    metadata = extract_metadata(page, labels)
    done()
    done = timer("render")
    result = render(page, labels, metadata)
    done()
    done = timer("report record")
    line = report.dumps(report.record(result, path=str(path), encoding=decoded.encoding))
    done()
    return line


def plain_clean(path: Path) -> str:
    import cleaner
    from cleaner.outputs import report

    outcome = cleaner.clean_input(path)
    assert outcome.result is not None, outcome.error
    return report.dumps(report.record(outcome.result, path=str(path), encoding=outcome.encoding))


def forget_texts() -> None:
    """Empty the caches keyed on page text, so a round costs what new pages cost."""
    from cleaner.text.phrases import clear_text_caches

    clear_text_caches()


def stage_timer(spent: dict[str, float]) -> Callable[[str], Callable[[], None]]:
    """A ``timer(stage)`` that starts a clock and returns the function that adds the time to ``spent[stage]``."""

    def timer(stage: str) -> Callable[[], None]:
        began = time.perf_counter()

        def stop() -> None:
            spent[stage] += time.perf_counter() - began

        return stop

    return timer


def in_process(paths: list[Path], rounds: int) -> tuple[list[float], dict[str, list[float]], bool]:
    """(seconds per round, stage -> seconds per round, staged records equal the library's)."""
    plain_clean(paths[0])  # load the language model and phrase data before timing
    totals: list[float] = []
    stages: dict[str, list[float]] = defaultdict(list)
    same = True
    for _ in range(rounds):
        forget_texts()
        started = time.perf_counter()
        expected = [plain_clean(path) for path in paths]
        totals.append(time.perf_counter() - started)
        forget_texts()
        spent: dict[str, float] = defaultdict(float)
        staged = [staged_clean(path, stage_timer(spent)) for path in paths]
        same = same and staged == expected
        for stage, seconds in spent.items():
            stages[stage].append(seconds)
    return totals, stages, same


# --- subprocesses -------------------------------------------------------------------------------


def child_env() -> dict[str, str]:
    """The environment of the timed commands: as installed software runs, with Python's bytecode cache on.

    (``PYTHONDONTWRITEBYTECODE`` makes every start compile each module from source again.)
    """
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


# Runs one command and reports its wall time, exit status and peak RSS. A small process of its own
# starts the command: a child forked straight from this benchmark (which holds the language model)
# would count the benchmark's memory in its peak RSS until it execs.
_LAUNCHER = """
import resource, subprocess, sys, time
started = time.perf_counter()
status = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
seconds = time.perf_counter() - started
print(seconds, status, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def run_child(args: list[str], stdin: bytes | None = None) -> tuple[float, int, int]:
    """(wall seconds, exit status, peak RSS in KiB) of one child process."""
    proc = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *args], input=stdin or b"", capture_output=True, env=child_env(), check=True
    )
    seconds, status, rss = proc.stdout.split()
    return float(seconds), int(status), int(rss)


def cli_runs(data: Path, rounds: int) -> list[tuple[str, int, float, int]]:
    """(folder, pages, median seconds, peak RSS KiB) of ``clean DIR -o OUT`` per dump folder."""
    clean = clean_command()
    rows = []
    for kind in KINDS:
        folder = data / kind
        pages = len(list(folder.glob("*.txt")))
        times, peak = [], 0
        for _ in range(rounds):
            with tempfile.TemporaryDirectory() as tmp:
                seconds, status, rss = run_child([clean, str(folder), "-o", str(Path(tmp) / "out")])
            if status != 0:
                sys.exit(f"benchmarks/speed.py: clean failed on {folder} (exit {status})")
            times.append(seconds)
            peak = max(peak, rss)
        rows.append((kind, pages, statistics.median(times), peak))
    return rows


def startup(page: Path, runs: int) -> list[tuple[str, float, int]]:
    """(command, median seconds, peak RSS KiB) of ``clean --help`` and a one-page ``clean -``."""
    clean = clean_command()
    rows = []
    for label, args, stdin in (
        ("clean --help", [clean, "--help"], None),
        ("clean - (one page)", [clean, "-"], page.read_bytes()),
    ):
        run_child(args, stdin)  # not timed: writes the bytecode and language-model caches
        measured = [run_child(args, stdin) for _ in range(runs)]
        rows.append((label, statistics.median(m[0] for m in measured), max(m[2] for m in measured)))
    return rows


def help_imports() -> list[str]:
    """The heavy modules a ``clean --help`` process has imported when it exits."""
    code = (
        "import sys\n"
        "sys.argv = ['clean', '--help']\n"
        "from cleaner.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=child_env())
    return proc.stderr.split()


BIG_SIZES = (16, 20)  # MB (10**6 bytes): the default size limit is 20 MiB


def _tag(number: int) -> str:
    """A distinct lower-case word per number ("baaa", "baab", ...): makes every line unique."""
    letters, number = "", number + 26**3
    while number:
        number, rest = divmod(number, 26)
        letters = string.ascii_lowercase[rest] + letters
    return letters


def big_page(data: Path, megabytes: int, distinct: bool, padded: bool = False) -> str:
    """Dev dumps one after the other up to ``megabytes`` of UTF-8 or the line limit (whole pages).

    ``distinct``: a tag word on every non-blank line, so no two lines are alike. ``padded``: the
    non-blank lines then lengthened evenly so that the page at the line limit still fills ``megabytes``.
    """
    from cleaner.inputs.decoding import MAX_LINES

    sources = [path.read_text(encoding="utf-8") for kind in KINDS for path in sorted((data / kind).glob("*.txt"))]
    parts, size, lines, tags = [], 0, 0, 0
    while True:
        text = sources[len(parts) % len(sources)]
        if distinct:
            split = text.split("\n")
            for index, line in enumerate(split):
                if line.strip():
                    split[index] = f"{line} {_tag(tags)}"
                    tags += 1
            text = "\n".join(split)
        length = len(text.encode("utf-8"))
        if size + length > megabytes * 10**6 or lines + text.count("\n") > MAX_LINES:
            break
        parts.append(text)
        size += length
        lines += text.count("\n")
    page = "".join(parts)
    if not padded:
        return page
    split = page.split("\n")
    filled = [index for index, line in enumerate(split) if line.strip()]
    extra = max(0, (megabytes * 10**6 - size) // max(1, len(filled)) - 1)
    words = " and more words" * (extra // 15 + 1)
    for index in filled:
        split[index] += words[:extra]
    return "\n".join(split)


def big_runs(data: Path) -> list[tuple[str, int, float, int, int]]:
    """(kind, bytes, seconds, exit status, peak RSS KiB) of ``clean PAGE`` on each big page."""
    clean = clean_command()
    rows = []
    # (16 MB, as 20 MB, reaches the line limit first unless the lines are lengthened)
    kinds = [(BIG_SIZES[0], False, True), (BIG_SIZES[-1], False, False), (BIG_SIZES[-1], True, False),
             (BIG_SIZES[-1], True, True)]
    with tempfile.TemporaryDirectory() as tmp:
        for megabytes, distinct, padded in kinds:
            path = Path(tmp) / f"big-{megabytes}.txt"
            page = big_page(data, megabytes, distinct, padded)
            path.write_text(page, encoding="utf-8")
            # --timeout: a big page takes longer than the default per-input limit.
            seconds, status, rss = run_child([clean, "--timeout", "3600", str(path)])
            shape = ("long " if padded else "") + ("distinct lines" if distinct else "pages repeated")
            kind = f"{path.stat().st_size / 10**6:.0f} MB, {page.count(chr(10)) // 1000}k lines, {shape}"
            rows.append((kind, path.stat().st_size, seconds, status, rss))
    return rows


# --- table --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--startup-runs", type=int, default=5)
    parser.add_argument("--no-cli", action="store_true", help="in-process figures only")
    parser.add_argument("--big", action="store_true", help="also time 16 and 20 MB pages (peak RSS; slow)")
    args = parser.parse_args()
    paths = sorted(path for kind in KINDS for path in (args.data / kind).glob("*.txt"))
    if not paths:
        sys.exit(f"benchmarks/speed.py: no dumps under {args.data}")
    totals, stages, same = in_process(paths, args.rounds)
    total = statistics.median(totals)
    print(f"in-process: {len(paths)} dev dumps, median of {args.rounds} rounds")
    print(f"  {1000 * total / len(paths):8.2f} ms/page   {len(paths) / total:8.1f} pages/s")
    if not same:
        print("  WARNING: the staged run's records differ from the library's (stage table is off)")
    staged_total = sum(statistics.median(v) for v in stages.values())
    print(f"\n{'stage':<26}{'ms/page':>10}{'share':>8}")
    for stage, values in stages.items():
        seconds = statistics.median(values)
        print(f"{stage:<26}{1000 * seconds / len(paths):>10.3f}{100 * seconds / staged_total:>7.1f}%")
    print(f"{'(sum of stages)':<26}{1000 * staged_total / len(paths):>10.3f}")
    if args.big:
        print(f"\n{'big page (clean PAGE)':<34}{'seconds':>9}{'exit':>6}{'peak RSS':>10}")
        for kind, _, seconds, status, rss in big_runs(args.data):
            print(f"{kind:<44}{seconds:>9.1f}{status:>6}{rss / 1024:>7.0f} MB")
    if args.no_cli:
        return
    print(f"\n{'CLI folder run':<26}{'pages':>7}{'seconds':>9}{'pages/s':>9}{'peak RSS':>10}")
    for kind, pages, seconds, rss in cli_runs(args.data, args.rounds):
        print(f"{'clean ' + kind + ' -o OUT':<26}{pages:>7}{seconds:>9.2f}{pages / seconds:>9.1f}{rss / 1024:>7.0f} MB")
    print(f"\n{'start-up':<26}{'seconds':>9}{'peak RSS':>10}")
    for label, seconds, rss in startup(paths[0], args.startup_runs):
        print(f"{label:<26}{seconds:>9.3f}{rss / 1024:>7.0f} MB")
    heavy = help_imports()
    print(f"\nheavy modules imported by `clean --help`: {', '.join(heavy) if heavy else 'none'}")
    print("(commands run with Python's bytecode cache on, after one untimed run that fills it and the")
    print(" language-model cache; see cleaner.text.langid_cache)")


if __name__ == "__main__":
    main()

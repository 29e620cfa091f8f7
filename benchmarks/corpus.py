#!/usr/bin/env python3
"""Corpus-scale benchmark: pages/s with one core and with --jobs, on the dev dumps and a generated WET file.

usage: python benchmarks/corpus.py [--data ../shared/bench-data] [--records 100000] [--jobs 1 2]
                                   [--rounds 1] [--keep]

Prints one table (speed is printed, never asserted). Every row is ``clean`` run as a user runs
it (process start-up, model load, outputs written), measured from outside:

* **folder**: ``clean DUMP_DIR -o OUT -q --jobs J`` on each dev dump folder (91 whole news pages);
* **WET**: ``clean crawl.warc.wet.gz -o out.jsonl -q --jobs J`` on a generated WET file of
  ``--records`` conversion records, gzip member per record like Common Crawl's. Its pages are
  the dev dumps with every line's words re-drawn at random from the dev vocabulary (30% of
  them), so no two records share a line: per-line caches cannot make the run look faster than
  new pages would be. The file is made once and kept in ``benchmarks/out/``.

``text MB/s`` is the input's text (the dump files; the WET records' payloads) cleaned per second:
unlike pages/s it does not depend on how long the pages are (the dev pages are whole news pages
of about 11 KB of text each).

Peak RSS is sampled every 50 ms from ``/proc`` over the whole process tree (the parent and
its workers): ``peak tree`` is the largest sum seen, ``peak proc`` the largest single process.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import installed  # benchmarks/installed.py: this folder is on sys.path when a script runs

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "bench-data"
OUT = ROOT / "benchmarks" / "out"
KINDS = ("dump_ht", "dump_in")
TARGET_ONE_CORE = 1000.0  # pages/s, issue 7
TARGET_RSS_MB = 500.0


def clean_command() -> str:
    return installed.clean_command("corpus.py")


# --- the generated WET file ---------------------------------------------------------------------


def make_wet(data: Path, records: int, seed: int = 7) -> Path:
    """A Common Crawl-like WET file (one gzip member per record, warcinfo first) of perturbed dev pages."""
    target = OUT / f"generated-{records}.warc.wet.gz"
    if target.exists():
        return target
    pages = [path.read_text(encoding="utf-8") for kind in KINDS for path in sorted((data / kind).glob("*.txt"))]
    vocabulary = sorted({word for page in pages for word in page.split() if word.isalpha()})
    rng = random.Random(seed)
    OUT.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    with open(partial, "wb") as stream:
        info = _record("warcinfo", "", b"software: benchmarks/corpus.py\r\n", "application/warc-fields")
        stream.write(gzip.compress(info))
        for number in range(records):
            page = _perturbed(pages[number % len(pages)], vocabulary, rng)
            url = f"https://site{number % 997}.example/article/{number}"
            stream.write(gzip.compress(_record("conversion", url, page.encode("utf-8"), "text/plain"), 1))
    partial.rename(target)
    return target


def text_megabytes(wet: Path) -> float:
    """The payload MB of the WET file's conversion records (the text that is cleaned)."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    with open(wet, "rb") as stream:
        records = ArchiveIterator(stream, record_types=WarcRecordType.conversion, parse_http=False)
        return sum(record.content_length for record in records) / 2**20


def _perturbed(page: str, vocabulary: list[str], rng: random.Random) -> str:
    lines = []
    for line in page.split("\n"):
        words = line.split(" ")
        for index, word in enumerate(words):
            if word.isalpha() and rng.random() < 0.3:
                words[index] = rng.choice(vocabulary)
        lines.append(" ".join(words))
    return "\n".join(lines)


def _record(kind: str, url: str, block: bytes, content_type: str) -> bytes:
    headers = [
        "WARC/1.0", f"WARC-Type: {kind}", f"WARC-Record-ID: <urn:uuid:{uuid.uuid4()}>",
        "WARC-Date: 2026-11-23T00:00:00Z", f"Content-Type: {content_type}", f"Content-Length: {len(block)}",
    ]
    if url:
        headers.insert(2, f"WARC-Target-URI: {url}")
    return ("\r\n".join(headers) + "\r\n\r\n").encode("ascii") + block + b"\r\n\r\n"


# --- measuring a run ----------------------------------------------------------------------------


class TreeRss:
    """Samples the RSS of a process and its descendants from /proc while it runs."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_tree, self.peak_proc = pid, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            sizes = [_rss(pid) for pid in _tree(self.pid)]
            self.peak_tree = max(self.peak_tree, sum(sizes))
            self.peak_proc = max([self.peak_proc, *sizes])
            self._stop.wait(0.05)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as stat:
                    parent = int(stat.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def timed_run(command: list[str]) -> tuple[float, float, float]:
    """(seconds, peak tree RSS MB, peak single-process RSS MB) of one command, which must succeed."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = TreeRss(process.pid)
    _, errors = process.communicate()
    seconds = time.perf_counter() - started
    sampler.stop()
    if process.returncode not in (0, 1):
        sys.exit(f"benchmarks/corpus.py: {' '.join(command)} failed ({process.returncode}): {errors.decode()[-500:]}")
    return seconds, sampler.peak_tree / 2**20, sampler.peak_proc / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=1, help="runs per folder row (best kept)")
    parser.add_argument("--keep", action="store_true", help="keep the outputs in benchmarks/out/")
    args = parser.parse_args()
    clean = clean_command()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for kind in KINDS:
            files = sorted((args.data / kind).glob("*.txt"))
            pages, megabytes = len(files), sum(path.stat().st_size for path in files) / 2**20
            for jobs in args.jobs:
                runs = []
                for number in range(args.rounds):
                    out = Path(scratch) / f"{kind}-{jobs}-{number}"
                    runs.append(timed_run([clean, str(args.data / kind), "-o", str(out), "-q", "--jobs", str(jobs)]))
                seconds, tree, proc = min(runs)
                rows.append((f"folder {kind}", pages, megabytes, jobs, seconds, tree, proc))
                print(f"  {rows[-1][0]} --jobs {jobs}: {pages / seconds:.1f} pages/s", file=sys.stderr)
        wet = make_wet(args.data, args.records)
        wet_megabytes = text_megabytes(wet)
        for jobs in args.jobs:
            out = (OUT if args.keep else Path(scratch)) / f"generated-{args.records}-jobs{jobs}.jsonl"
            seconds, tree, proc = timed_run([clean, str(wet), "-o", str(out), "-q", "--jobs", str(jobs)])
            rows.append((f"WET {args.records:,} records", args.records, wet_megabytes, jobs, seconds, tree, proc))
            print(f"  {rows[-1][0]} --jobs {jobs}: {args.records / seconds:.1f} pages/s", file=sys.stderr)
    print_table(rows, wet)


def print_table(rows: list[tuple[str, int, float, int, float, float, float]], wet: Path) -> None:
    size = wet.stat().st_size / 2**20
    print(f"cores available: {len(os.sched_getaffinity(0))}; WET file: {wet.name} ({size:.0f} MB)")
    print("| input | pages | text MB | jobs | seconds | pages/s | text MB/s | speed-up | peak tree MB | peak proc MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    single: dict[str, float] = {}
    for name, pages, megabytes, jobs, seconds, tree, proc in rows:
        rate = pages / seconds
        single.setdefault(name, rate if jobs == 1 else 0.0)
        speedup = f"{rate / single[name]:.2f}x" if single[name] else "-"
        print(f"| {name} | {pages} | {megabytes:.1f} | {jobs} | {seconds:.1f} | {rate:.1f} | {megabytes / seconds:.2f} "
              f"| {speedup} | {tree:.0f} | {proc:.0f} |")
    print(f"targets: >= {TARGET_ONE_CORE:.0f} pages/s on one core; peak RSS < {TARGET_RSS_MB:.0f} MB")


if __name__ == "__main__":
    main()

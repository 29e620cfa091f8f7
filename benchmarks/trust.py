#!/usr/bin/env python3
"""The hostile-input and corpus-builder matrix of issue 12, run against one installed ``clean``.

usage: python benchmarks/trust.py [--clean PATH/TO/.venv/bin/clean] [--only 1,3a,...] [--cap SECONDS]

Each case runs the real command in a scratch folder (special files, signals, closed descriptors,
bombs) and prints one table row: the case, what a user expects, what happened, pass or FAIL.
Run it with an older checkout's ``clean`` to get the "before" column: nothing here imports the
package under test, so any version can be measured. Cases that used to hang are capped
(``--cap``, default 60 s) and say so. Run as root (mknod); never touches a real device but
``/dev/full`` (writing to it is harmless).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLES = SHARED / "corpus-samples"
PAGE_TEXT = (ROOT / "seeds" / "000_e9e38ccef3864a27.txt").read_bytes()
SENTENCE = "The council met on Tuesday to discuss the new budget for the harbour and the schools. "


@dataclass(frozen=True)
class Run:
    code: int | None  # None: killed at the cap
    out: bytes
    err: str
    seconds: float

    @property
    def traceback(self) -> bool:
        return "Traceback" in self.err

    @property
    def last(self) -> str:
        lines = self.err.strip().splitlines()
        return lines[-1][:90] if lines else ""


@dataclass(frozen=True)
class Outcome:
    passed: bool
    seen: str


class Matrix:
    """The command under test, a scratch folder per case, and the cap on each run."""

    def __init__(self, clean: Path, cap: float) -> None:
        self.clean = clean
        self.python = clean.parent / "python"
        self.cap = cap
        self.tmp = Path(".")

    def run(self, *args: str | os.PathLike[str] | bytes, stdin: bytes | None = b"", **kw: object) -> Run:
        start = time.monotonic()
        try:
            done = subprocess.run(
                [self.clean, *args], input=stdin, capture_output=True, timeout=self.cap, cwd=self.tmp, **kw
            )
        except subprocess.TimeoutExpired as err:
            return Run(None, err.stdout or b"", (err.stderr or b"").decode(errors="replace"), self.cap)
        return Run(done.returncode, done.stdout, done.stderr.decode(errors="replace"), time.monotonic() - start)

    def shell(self, script: str) -> Run:
        start = time.monotonic()
        env = {**os.environ, "CLEAN": str(self.clean)}
        try:
            done = subprocess.run(["bash", "-c", script], capture_output=True, timeout=self.cap, cwd=self.tmp, env=env)
        except subprocess.TimeoutExpired:
            return Run(None, b"", "", self.cap)
        return Run(done.returncode, done.stdout, done.stderr.decode(errors="replace"), time.monotonic() - start)

    def page(self, name: str = "page.txt", data: bytes = PAGE_TEXT) -> Path:
        path = self.tmp / name
        path.write_bytes(data)
        return path


def _kind(path: Path) -> str:
    mode = os.lstat(path).st_mode
    for test, name in ((stat.S_ISLNK, "symlink"), (stat.S_ISCHR, "char device"), (stat.S_ISFIFO, "fifo")):
        if test(mode):
            return name
    return "regular file" if stat.S_ISREG(mode) else "directory" if stat.S_ISDIR(mode) else "other"


def _drain(path: Path) -> threading.Thread:
    """A reader on a FIFO, so a writer that opens it does not block forever."""

    def read() -> None:
        with open(path, "rb") as fifo:
            fifo.read()

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def _clean_exit(run: Run, code: int) -> Outcome:
    seen = f"exit {run.code}" + (", traceback" if run.traceback else "") + (f": {run.last}" if run.last else "")
    return Outcome(run.code == code and not run.traceback and len(run.err.strip().splitlines()) <= 3, seen)


# --- 1: special files --------------------------------------------------------------------------


def case_1a(m: Matrix) -> Outcome:
    target = m.tmp / "n"
    os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    run = m.run(m.page(), "--review", target)
    return Outcome(_kind(target) == "char device", f"exit {run.code}; n is now a {_kind(target)}")


def case_1b(m: Matrix) -> Outcome:
    target = m.tmp / "f"
    os.mkfifo(target)
    reader = _drain(target)
    run = m.run(m.page(), "--report", target)
    kind = _kind(target)
    if kind == "fifo" and reader.is_alive():
        with open(target, "wb"):
            pass  # release the reader
    return Outcome(kind == "fifo", f"exit {run.code}; fifo is now a {kind}")


def case_1c(m: Matrix) -> Outcome:
    link = m.tmp / "to-stdout"
    link.symlink_to("/proc/self/fd/1")
    run = m.run(m.page(), "--report", link, "-q")
    kind = _kind(link)
    return Outcome(kind == "symlink" and b'"removed"' in run.out, f"exit {run.code}; link is now a {kind}")


def case_1d(m: Matrix) -> Outcome:
    target = m.tmp / "out.jsonl"
    os.mkfifo(target)
    _drain(target)
    run = m.run(SAMPLES / "cc-whirlwind.warc.wet.gz", "-o", target)
    return Outcome(_kind(target) == "fifo", f"exit {run.code}; corpus -o fifo is now a {_kind(target)}")


# --- 2: a non-UTF-8 file name --------------------------------------------------------------------


def case_2(m: Matrix) -> Outcome:
    folder = m.tmp / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(PAGE_TEXT)
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as bad:
        bad.write(PAGE_TEXT)
    (folder / "z.txt").write_bytes(PAGE_TEXT)
    run = m.run(folder, "-o", m.tmp / "out", "-j", "1")
    report = m.tmp / "out" / "report.jsonl"
    records = len(report.read_bytes().splitlines()) if report.exists() else 0
    cleaned = len(list((m.tmp / "out").glob("*.txt"))) if (m.tmp / "out").exists() else 0
    seen = f"exit {run.code}{', traceback' if run.traceback else ''}; {records} records, {cleaned} outputs"
    return Outcome(not run.traceback and records == 3 and cleaned == 3 and run.code == 0, seen)


# --- 3: the time limit holds in C code -----------------------------------------------------------


def case_3(m: Matrix) -> Outcome:
    attributes = " ".join(f'a{i}="v"' for i in range(200_000))
    page = m.page("slow.html", f"<html><body><p {attributes}>Hello world. A sentence here.</p></body></html>".encode())
    run = m.run(page, "--timeout", "5")
    seen = f"exit {run.code}, {run.seconds:.0f} s" + (" (killed at the cap)" if run.code is None else f": {run.last}")
    return Outcome(run.code == 1 and run.seconds < 15, seen)


def case_3b(m: Matrix) -> Outcome:
    attributes = " ".join(f'a{i}="v{i}"' for i in range(10_000))  # the most a tag may hold, on nine tags
    tags = "".join(f"<p {attributes}>Hello world. A sentence here.</p>" for _ in range(9))
    page = m.page("slow.html", f"<html><body>{tags}</body></html>".encode())
    run = m.run(page, "--timeout", "1")
    seen = f"exit {run.code}, {run.seconds:.1f} s" + (" (killed at the cap)" if run.code is None else f": {run.last}")
    return Outcome(run.code == 1 and "took longer" in run.err and run.seconds < 10, seen)


# --- 4: memory ----------------------------------------------------------------------------------


def _peak(m: Matrix, page: Path) -> tuple[Run, float]:
    run = m.shell(f'/usr/bin/time -f "%M" "$CLEAN" {page} -j 1 > /dev/null')
    try:
        return run, int(run.err.strip().splitlines()[-1]) / 1024
    except (ValueError, IndexError):
        return run, float("nan")


def _memory_case(m: Matrix, name: str, data: bytes) -> Outcome:
    run, peak = _peak(m, m.page(name, data))
    verdict = "cleaned" if "refus" not in run.err and "too" not in run.err else "refused"
    return Outcome(peak < 500, f"{len(data) / 1e6:.1f} MB -> peak {peak:.0f} MB ({verdict})")


def case_4a(m: Matrix) -> Outcome:
    return _memory_case(m, "br.html", b"<html><body>" + b"word <br>" * 1_500_000 + b"</body></html>")


def case_4b(m: Matrix) -> Outcome:
    return _memory_case(m, "a.html", b"<html><body>" + b"<a href=x>y</a>" * 1_300_000 + b"</body></html>")


def case_4c(m: Matrix) -> Outcome:
    return _memory_case(m, "line.txt", b"a " * 10_000_000 + b"\n")


# --- 5: SIGTERM / SIGHUP --------------------------------------------------------------------------


def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        return "Z" not in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False


def _signal_case(m: Matrix, signum: int, code: int) -> Outcome:
    folder = m.tmp / "in"
    folder.mkdir()
    dumps = sorted((SHARED / "bench-data" / "dump_ht").glob("*.txt"))
    for copy in range(4):
        for dump in dumps:
            (folder / f"{copy}-{dump.name}").write_bytes(dump.read_bytes())
    out = m.tmp / "out"
    proc = subprocess.Popen([m.clean, folder, "-o", out, "-j", "2"], cwd=m.tmp, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (out.exists() and len(list(out.glob("*.txt"))) > 5):
        time.sleep(0.05)
    workers = _descendants(proc.pid)
    proc.send_signal(signum)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    time.sleep(1)
    orphans = [pid for pid in workers if _alive(pid)]
    for pid in orphans:
        os.kill(pid, signal.SIGKILL)
    temps = [p.name for p in out.rglob("*") if ".tmp" in p.name] if out.exists() else []
    seen = f"exit {proc.returncode}; {len(temps)} temp files, {len(orphans)} of {len(workers)} workers alive"
    return Outcome(proc.returncode == code and not temps and not orphans, seen)


def case_5a(m: Matrix) -> Outcome:
    return _signal_case(m, signal.SIGTERM, 143)


def case_5b(m: Matrix) -> Outcome:
    return _signal_case(m, signal.SIGHUP, 129)


# --- 6: --skip-existing keeps the report lossless ---------------------------------------------------


def case_6(m: Matrix) -> Outcome:
    folder = m.tmp / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_bytes(PAGE_TEXT)
    out = m.tmp / "out"
    m.run(folder, "-o", out, "-j", "1")
    (out / "c.txt").unlink()  # as if the run had stopped before c
    run = m.run(folder, "-o", out, "-j", "1", "--skip-existing")
    records = [json.loads(line) for line in (out / "report.jsonl").read_bytes().splitlines()]
    lossless = [rec for rec in records if rec.get("status") == "ok" and rec.get("lines_total")]
    return Outcome(len(lossless) == 3, f"exit {run.code}; {len(lossless)} of {len(records)} records hold their spans")


# --- 7: tracebacks ----------------------------------------------------------------------------------


def case_7a(m: Matrix) -> Outcome:
    line = b'{"id": "1", "text": "Hello world.", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}\n"
    page = m.page("deep.jsonl", line + b'{"id": "2", "text": "' + SENTENCE.encode() * 3 + b'"}\n')
    run = m.run(page, "-o", m.tmp / "o.jsonl")
    out = m.tmp / "o.jsonl"
    records = [json.loads(record) for record in out.read_bytes().splitlines()] if out.is_file() else []
    errors = [str(record.get("error")) for record in records if record.get("error")]
    seen = f"exit {run.code}" + (", traceback" if run.traceback else "") + f"; {len(records)} records, errors {errors}"
    return Outcome(run.code == 1 and not run.traceback and len(records) == 2 and len(errors) == 1, seen[:120])


def case_7b(m: Matrix) -> Outcome:
    config = m.page("cleaner.toml", b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n")
    return _clean_exit(m.run(m.page(), "--config", config), 2)


def case_7c(m: Matrix) -> Outcome:
    return _clean_exit(m.shell(f'"$CLEAN" {m.page()} > /dev/full'), 1)


def case_7d(m: Matrix) -> Outcome:
    return _clean_exit(m.shell(f'"$CLEAN" {m.page()} >&-'), 1)


def case_7e(m: Matrix) -> Outcome:
    return _clean_exit(m.shell('"$CLEAN" - <&-'), 1)


def case_7f(m: Matrix) -> Outcome:
    return _clean_exit(m.run(m.page(), "--timeout", "inf"), 2)


def case_7g(m: Matrix) -> Outcome:
    run = m.shell('"$CLEAN" --help | head -1 > /dev/null; echo "${PIPESTATUS[0]}"')
    code = int(run.out.strip() or -1)
    return Outcome(code in (0, 141) and not run.err.strip(), f"exit {code}" + (", messages" if run.err.strip() else ""))


def case_7h(m: Matrix) -> Outcome:
    run = m.run(m.tmp / "no\nsuch.txt")
    lines = run.err.strip().splitlines()
    return Outcome(len(lines) == 1 and run.code == 1, f"exit {run.code}; error in {len(lines)} lines")


# --- 8: BOM -----------------------------------------------------------------------------------------


def case_8(m: Matrix) -> Outcome:
    data = b"\xef\xbb\xbfHello world. A sentence.\n"
    page = m.page("b.txt", data)
    (m.tmp / "clean.txt").write_bytes(m.run(page, "--report", m.tmp / "r.json", "-q").out)
    code = (
        "import json, sys\n"
        "try:\n    from cleaner.outputs.report import rebuild_from_record\n"
        "except ImportError:  # before the outputs/ layout\n"
        "    from cleaner.report import rebuild_from_record\n"
        "rec = json.loads(open('r.json').read())\n"
        "text = open('clean.txt', encoding='utf-8', newline='').read()\n"
        "sys.stdout.buffer.write(rebuild_from_record(text, rec).encode(rec.get('encoding') or 'utf-8'))\n"
    )
    done = subprocess.run([m.python, "-c", code], capture_output=True, cwd=m.tmp)
    rebuilt = done.stdout
    return Outcome(
        rebuilt == data, f"rebuilt {len(rebuilt)} of {len(data)} bytes" + (" (equal)" if rebuilt == data else "")
    )


# --- 9: a WARC record with a 70 KB header line ------------------------------------------------------


def _warc_record(number: int, header_extra: bytes = b"") -> bytes:
    body = (f"Page {number}. " + SENTENCE * 4 + "\n").encode()
    headers = (
        b"WARC/1.0\r\nWARC-Type: conversion\r\n"
        + f"WARC-Target-URI: https://example.org/{number}\r\nWARC-Record-ID: <urn:uuid:{number:08d}>\r\n".encode()
        + b"WARC-Date: 2024-01-01T00:00:00Z\r\nContent-Type: text/plain\r\n"
        + header_extra
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
    )
    return headers + body + b"\r\n\r\n"


def case_9(m: Matrix) -> Outcome:
    bad = _warc_record(2, b"X-Long: " + b"x" * 70_000 + b"\r\n")
    data = _warc_record(1) + bad + b"".join(_warc_record(n) for n in (3, 4, 5))
    page = m.page("crawl.warc", data)
    run = m.run(page, "-o", m.tmp / "o.jsonl")
    out = (m.tmp / "o.jsonl").read_bytes().splitlines() if (m.tmp / "o.jsonl").exists() else []
    ok = sum(1 for line in out if "error" not in json.loads(line) and json.loads(line).get("text"))
    return Outcome(ok == 4, f"exit {run.code}; {ok} of 4 valid records cleaned, {len(out)} records out")


# --- 10: cp1252 -------------------------------------------------------------------------------------


def case_10(m: Matrix) -> Outcome:
    text = (
        "Los niños de la escuela celebran el año nuevo con sus familias y amigos en la plaza.\n"
        "A população não gosta da situação, disse o governador à imprensa na manhã de sábado.\n"
    ) * 3
    run = m.run(m.page("es.txt", text.encode("cp1252")), "-q")
    out = run.out.decode("utf-8", errors="replace")
    kept = "niños" in out and "não" in out
    return Outcome(kept, "niños, não kept" if kept else f"read as {out[:40]!r}")


# --- 11: distribution name --------------------------------------------------------------------------


def case_11(m: Matrix) -> Outcome:
    checkout = m.clean.resolve().parent.parent.parent
    name = tomllib.loads((checkout / "pyproject.toml").read_text())["project"]["name"]
    return Outcome(name != "cleaner", f"distribution {name!r}")


# --- 12: WAT and ARC --------------------------------------------------------------------------------


def case_12a(m: Matrix) -> Outcome:
    run = m.run(SAMPLES / "cc-whirlwind.warc.wat.gz")
    garbage = b"WARC" in run.out or b"Envelope" in run.out
    return Outcome(
        run.code != 0 and not garbage and not run.traceback, f"exit {run.code}; {run.last or run.out[:60]!r}"
    )


def case_12b(m: Matrix) -> Outcome:
    run = m.run(SAMPLES / "warcio-example.arc.gz", "-o", m.tmp / "arc.jsonl")
    out = m.tmp / "arc.jsonl"
    records = [json.loads(line) for line in out.read_bytes().splitlines()] if out.is_file() else []
    texts = [rec.get("text") or "" for rec in records]
    css = any("{" in text and "}" in text for text in texts)
    refused = run.code not in (0, None) and len(run.err.strip().splitlines()) == 1
    read = run.code == 0 and records and any(texts) and not css
    return Outcome(bool(read or refused), f"exit {run.code}; {len(records)} records" + (", CSS as text" if css else ""))


# --- 13-16, 18: corpus runs ---------------------------------------------------------------------------


def case_13(m: Matrix) -> Outcome:
    out = m.tmp / "o.jsonl"
    m.run(SAMPLES / "cc-whirlwind.warc.wet.gz", "-o", out)
    run = m.run("--review", m.tmp / "review.html", "--from", out)
    page = (m.tmp / "review.html").read_text(errors="replace") if (m.tmp / "review.html").exists() else ""
    wet = SAMPLES / "cc-whirlwind.warc.wet.gz"
    piped = m.shell(f'zcat {wet} | "$CLEAN" --diff - | head -c 2000 >/dev/null; echo "${{PIPESTATUS[1]}}"')
    said = f"exit {piped.out.decode().strip()}, {piped.last or 'no message'}"
    seen = f"from JSONL: exit {run.code}, {len(page) // 1000} KB; WET on stdin --diff: {said}"
    return Outcome(run.code == 0 and "Escopete" in page, seen)


def _jsonl_run(m: Matrix, *extra: str) -> tuple[Run, list[dict[str, object]]]:
    records = [
        {
            "text": SENTENCE * 5,
            "id": "a",
            "metadata": {"url": "https://example.org/a"},
            "dump": "CC-MAIN-2024-10",
            "language_score": 0.93,
        },
        {
            "text": "Skip to main content\n\nShare on Facebook\n",
            "id": "b",
            "metadata": {"url": "https://example.org/b"},
        },
    ]
    page = m.page("in.jsonl", b"".join(json.dumps(rec).encode() + b"\n" for rec in records))
    out = m.tmp / "o.jsonl"
    run = m.run(page, "-o", out, *extra)
    return run, [json.loads(line) for line in out.read_bytes().splitlines()] if out.exists() else []


def case_14(m: Matrix) -> Outcome:
    run, records = _jsonl_run(m, "--drop-empty")
    kept = {**(records[0] if records else {}), **(records[0].get("metadata") or {} if records else {})}
    passed = kept.get("dump") == "CC-MAIN-2024-10" and kept.get("language_score") == 0.93 and len(records) == 1
    seen = f"dump={kept.get('dump')!r}, language_score={kept.get('language_score')!r}"
    return Outcome(passed, f"exit {run.code}; {seen}; {len(records)} of 2 records with --drop-empty")


def case_15(m: Matrix) -> Outcome:
    run = m.run(SAMPLES / "cc-whirlwind.warc.gz", "-o", m.tmp / "o.jsonl")
    words = ("read", "cleaned", "failed", "skipped")
    return Outcome(all(word in run.err for word in words), f"summary: {' / '.join(run.err.strip().splitlines())[:100]}")


def case_16(m: Matrix) -> Outcome:
    (m.tmp / "cleaner.toml").write_text('favor = "recall"\n')
    (m.tmp / "in").mkdir()
    m.page("in/a.txt")
    run = m.run(m.tmp / "in", "-o", m.tmp / "out")
    report = m.tmp / "out" / "report.jsonl"
    rec = json.loads(report.read_bytes().splitlines()[0]) if report.exists() else {}
    keys = [key for key in rec if "version" in key or "settings" in key]
    named = "cleaner.toml" in run.err
    return Outcome(len(keys) >= 2 and named, f"record fields {keys}; config named in summary: {named}")


def case_18(m: Matrix) -> Outcome:
    m.run(SAMPLES / "warcio-example-wget-bad-target-uri.warc.gz", "-o", m.tmp / "o.jsonl")
    out = m.tmp / "o.jsonl"
    urls = [json.loads(line).get("url") for line in out.read_bytes().splitlines()] if out.exists() else []
    bracketed = [url for url in urls if url and url.startswith("<")]
    return Outcome(bool(urls) and not bracketed, f"{len(bracketed)} of {len(urls)} urls in angle brackets")


# --- 17, 19: the command line ---------------------------------------------------------------------------


def case_17a(m: Matrix) -> Outcome:
    run = m.run(m.page(), "-o", m.tmp / "out.txt", "-q")
    return Outcome(
        _kind(m.tmp / "out.txt") == "regular file",
        f"exit {run.code}; out.txt is a {_kind(m.tmp / 'out.txt')}"
        if (m.tmp / "out.txt").exists()
        else f"exit {run.code}; no out.txt",
    )


def case_17b(m: Matrix) -> Outcome:
    run = m.run(SAMPLES / "cc-whirlwind.warc.wet.gz", "--compress", "zstd", "-o", m.tmp / "o.jsonl")
    return _clean_exit(run, 2)


def case_19a(m: Matrix) -> Outcome:
    return _clean_exit(m.run(m.page(), "--only", "social", "--skip", "social"), 2)


def case_19b(m: Matrix) -> Outcome:
    folder = m.tmp / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(PAGE_TEXT)
    run = m.run(folder, "-o", m.tmp / "out")
    help_text = m.run("--help").out.decode()
    plural = "1 files" in run.err
    corpora = all(word in help_text for word in ("WARC", "WET", "JSONL"))
    return Outcome(not plural and corpora, f"'1 files' said: {plural}; --help names WARC/WET/JSONL: {corpora}")


CASES: dict[str, tuple[str, Callable[[Matrix], Outcome]]] = {
    "1a": ("--review onto a character device", case_1a),
    "1b": ("--report onto a FIFO", case_1b),
    "1c": ("--report onto a symlink to /proc/self/fd/1", case_1c),
    "1d": ("corpus -o onto a FIFO", case_1d),
    "2": ("non-UTF-8 file name in a folder run", case_2),
    "3": ("--timeout 5 on HTML slow in C code", case_3),
    "3b": ("--timeout 1 on the slowest HTML the markup limits accept", case_3b),
    "4a": ("memory: `word <br>` x 1.5M (13.5 MB HTML)", case_4a),
    "4b": ("memory: 1.3M `<a>` tags (20 MB HTML)", case_4b),
    "4c": ("memory: one 20 MB text line `a a a`", case_4c),
    "5a": ("SIGTERM to a --jobs 2 folder run", case_5a),
    "5b": ("SIGHUP to a --jobs 2 folder run", case_5b),
    "6": ("--skip-existing keeps earlier records", case_6),
    "7a": ("JSONL line nested 5,000 deep", case_7a),
    "7b": ("TOML config nested 5,000 deep", case_7b),
    "7c": ("stdout to /dev/full", case_7c),
    "7d": ("stdout closed", case_7d),
    "7e": ("stdin closed", case_7e),
    "7f": ("--timeout inf", case_7f),
    "7g": ("clean --help | head -1", case_7g),
    "7h": ("error for a name with a newline", case_7h),
    "8": ("leading BOM rebuilt from the report", case_8),
    "9": ("WARC record with a 70 KB header line", case_9),
    "10": ("cp1252 Spanish/Portuguese page", case_10),
    "11": ("distribution name free on PyPI", case_11),
    "12a": ("real WAT file", case_12a),
    "12b": ("real ARC file", case_12b),
    "13": ("review a corpus run from its JSONL", case_13),
    "14": ("JSONL fields passed through, --drop-empty", case_14),
    "15": ("corpus run summary counts", case_15),
    "16": ("provenance: version, settings hash, config named", case_16),
    "17a": ("clean page.txt -o out.txt", case_17a),
    "17b": ("--compress zstd -o x.jsonl", case_17b),
    "18": ("wget target URIs in angle brackets", case_18),
    "19a": ("--only X --skip X", case_19a),
    "19b": ("'1 files'; --help names corpora", case_19b),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clean", type=Path, default=Path(sys.executable).parent / "clean")
    parser.add_argument("--only", default="", help="comma-separated case ids")
    parser.add_argument("--cap", type=float, default=60.0, help="seconds before a run is killed")
    args = parser.parse_args()
    matrix = Matrix(args.clean.absolute(), args.cap)
    wanted = [case for case in args.only.split(",") if case] or list(CASES)
    print(f"`{args.clean}`\n\n| case | what | seen | result |\n|---|---|---|---|")
    failures = 0
    for case in wanted:
        title, check = CASES[case]
        with tempfile.TemporaryDirectory(prefix=f"trust-{case}-") as tmp:
            matrix.tmp = Path(tmp)
            try:
                outcome = check(matrix)
            except Exception as err:  # a case that cannot even run is a failure of the command, said in one cell
                outcome = Outcome(False, f"case error: {type(err).__name__}: {err}"[:100])
        failures += not outcome.passed
        print(
            f"| {case} | {title} | {outcome.seen.replace('|', '/')} | {'pass' if outcome.passed else 'FAIL'} |",
            flush=True,
        )
    print(f"\n{len(wanted) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

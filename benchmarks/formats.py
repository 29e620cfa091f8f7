#!/usr/bin/env python3
"""Other dump formats: render the dev set's HTML with text browsers, clean, score, print a table.

usage: python benchmarks/formats.py [--data ../shared/bench-data] [--formats lynx w3m links wet] [--keep DIR]

The dev dumps (dump_ht, dump_in) are one line per block. This renders the same pages the
way other tools dump them, to measure the cleaner on those layouts:

* ``lynx``  - ``lynx -dump``: hard-wrapped at 79 columns, 3-space paragraph indent, ``[12]``
  link markers and a trailing "References" list of URLs;
* ``w3m``   - ``w3m -dump``: hard-wrapped at 80 columns, no link markers;
* ``links`` - ``links -dump``: hard-wrapped, 3-space indent, no link markers;
* ``wet``   - dump_ht with every blank line dropped (Common Crawl WET-like: one line per
  block, no blank lines).

A format whose program is not installed (``apt-get install lynx w3m links``) is skipped.
Each rendered folder is cleaned with the installed ``clean`` and scored with bench-data's
``score.py``; the table also scores the rendered dump unchanged, as a floor.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import installed  # benchmarks/installed.py: this folder is on sys.path when a script runs

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "bench-data"
RENDER_SECONDS = 30

RENDERERS: dict[str, list[str]] = {
    "lynx": ["lynx", "-dump", "-force_html", "-display_charset=utf-8"],
    "w3m": ["w3m", "-dump", "-T", "text/html", "-O", "UTF-8"],
    "links": ["links", "-dump", "-codepage", "utf-8"],
}


def render_html(command: list[str]) -> Callable[[Path, Path], None]:
    def render(data: Path, out: Path) -> None:
        for page in sorted((data / "html").glob("*.html")):
            try:
                proc = subprocess.run([*command, str(page)], capture_output=True, timeout=RENDER_SECONDS)
                text = proc.stdout.decode("utf-8", errors="replace")
            except subprocess.TimeoutExpired:
                text = ""
            (out / f"{page.stem}.txt").write_text(text or "\n", encoding="utf-8")

    return render


def render_wet(data: Path, out: Path) -> None:
    """dump_ht without blank lines: what a WET record of the page looks like."""
    for page in sorted((data / "dump_ht").glob("*.txt")):
        lines = [line for line in page.read_text(encoding="utf-8").splitlines() if line.strip()]
        (out / page.name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def renderers() -> dict[str, Callable[[Path, Path], None]]:
    found: dict[str, Callable[[Path, Path], None]] = {}
    for name, command in RENDERERS.items():
        if shutil.which(command[0]):
            found[name] = render_html(command)
    found["wet"] = render_wet
    return found


def clean_command() -> str:
    return installed.clean_command("formats.py")


def score(data: Path, folder: Path) -> dict:
    scored = subprocess.run(
        [sys.executable, str(data / "score.py"), str(folder), "--json"], capture_output=True, text=True, check=True
    )
    return json.loads(scored.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="bench-data folder")
    parser.add_argument("--formats", nargs="+", default=["lynx", "w3m", "links", "wet"])
    parser.add_argument("--keep", type=Path, help="keep the rendered dumps and clean outputs in this folder")
    args = parser.parse_args()
    if not (args.data / "score.py").is_file():
        sys.exit(f"benchmarks/formats.py: no bench data at {args.data}")
    available = renderers()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        for name in args.formats:
            if name not in available:
                print(f"skipped {name}: not installed", file=sys.stderr)
                continue
            dumps, cleaned = base / name, base / f"{name}.clean"
            dumps.mkdir(parents=True, exist_ok=True)
            if not any(dumps.glob("*.txt")):
                available[name](args.data, dumps)
            shutil.rmtree(cleaned, ignore_errors=True)
            proc = subprocess.run([clean_command(), str(dumps), "-o", str(cleaned)], capture_output=True, text=True)
            if proc.returncode != 0:
                sys.exit(f"benchmarks/formats.py: clean failed on {dumps}: {proc.stderr.strip()[-500:]}")
            rows.append((name, score(args.data, dumps), score(args.data, cleaned)))
    print()
    print("| format | F1 | precision | recall | dump unchanged F1 |")
    print("|---|---|---|---|---|")
    for name, raw, row in rows:
        print(f"| {name} | {row['f1']:.3f} | {row['precision']:.3f} | {row['recall']:.3f} | {raw['f1']:.3f} |")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""trafilatura alone on a folder of HTML pages: what `clean` is compared with in benchmarks/run.py.

usage: python benchmarks/trafilatura_alone.py HTML_DIR OUT_DIR [--options JSON]

For every ``*.html``/``*.htm`` file: the bytes go to ``trafilatura.bare_extraction`` with the
settings ``clean`` gives it (``--options``: the JSON of :func:`cleaner.html.trafilatura_options`,
which benchmarks/run.py passes; metadata on, as ``clean`` asks for it too), and its text is
written to ``OUT_DIR/<stem>.txt``. Run as its own process, like ``clean``, so both timings
include start-up and imports; it imports nothing of ``cleaner``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import trafilatura


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("html_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--options", default="{}", help="trafilatura keyword arguments as JSON")
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    options = json.loads(args.options)
    for path in sorted(args.html_dir.iterdir()):
        if path.suffix.lower() not in (".html", ".htm"):
            continue
        document = trafilatura.bare_extraction(path.read_bytes(), with_metadata=True, **options)
        text = (document.text or "") if document is not None else ""
        (args.out_dir / f"{path.stem}.txt").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

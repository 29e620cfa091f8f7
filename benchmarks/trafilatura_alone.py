#!/usr/bin/env python3
"""trafilatura alone on a folder of HTML pages: what `clean` is compared with in benchmarks/run.py.

usage: python benchmarks/trafilatura_alone.py HTML_DIR OUT_DIR [--options JSON | --default]

For every ``*.html``/``*.htm`` file its bytes go to trafilatura and the text is written to
``OUT_DIR/<stem>.txt``. Two ways of calling it:

* ``--options JSON`` (what benchmarks/run.py passes: the JSON of
  :func:`cleaner.inputs.html.trafilatura_options`): ``trafilatura.bare_extraction(data, with_metadata=True,
  **options)``, the extraction ``clean`` makes, with its settings and metadata;
* ``--default``: ``trafilatura.extract(data)``, trafilatura as most people call it (balanced
  mode, comments included, fallback extractors on, no metadata) -- the issue's reference.

Run as its own process, like ``clean``, so both timings include start-up and imports; it
imports nothing of ``cleaner``.
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
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--options", default="{}", help="bare_extraction keyword arguments as JSON (metadata on)")
    how.add_argument("--default", action="store_true", help="trafilatura.extract(data) with its defaults")
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    options = json.loads(args.options)
    for path in sorted(args.html_dir.iterdir()):
        if path.suffix.lower() not in (".html", ".htm"):
            continue
        data = path.read_bytes()
        if args.default:
            text = trafilatura.extract(data) or ""
        else:
            document = trafilatura.bare_extraction(data, with_metadata=True, **options)
            text = (document.text or "") if document is not None else ""
        (args.out_dir / f"{path.stem}.txt").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

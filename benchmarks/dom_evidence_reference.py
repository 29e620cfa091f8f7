#!/usr/bin/env python3
"""A fingerprint of the walk with evidence on every dev page, to change its code without changing its output.

usage: python benchmarks/dom_evidence_reference.py save|check [--shared ../shared] [--reference FILE]

``save`` writes, per page of the five dev collections, the sha256 of the walk's text, evidence rows,
line elements, element parents and deepest level (``walk(root, evidence=True)``), after checking
that the plain walk gives the same text, title and deepest level; ``check`` recomputes them and
lists the pages that differ (exit 1 when any does). Save before a change, check after it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from cleaner.errors import InputError
from cleaner.inputs.html_dom import parse_html, walk
from cleaner.training.dataset import SET_NAMES, set_folder
from cleaner.training.html_rows import decoded


def _fingerprints(shared: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in SET_NAMES:
        for path in sorted((set_folder(shared, name) / "html").glob("*.html")):
            try:
                root = parse_html(decoded(path.read_bytes()))
            except InputError:
                continue
            walked, plain = walk(root, evidence=True), walk(root)
            if (plain.text, plain.title, plain.deepest) != (walked.text, walked.title, walked.deepest):
                sys.exit(f"{name}/{path.name}: the walk with evidence gives another text")
            evidence = walked.evidence
            assert evidence is not None and evidence.elements is not None and evidence.parents is not None
            digest = hashlib.sha256(walked.text.encode("utf-8", "surrogatepass"))
            for part in (evidence.rows.tobytes(), str(evidence.rows.shape).encode(), evidence.elements.tobytes(),
                         evidence.parents.tobytes(), str(walked.deepest).encode()):
                digest.update(part)
            found[f"{name}/{path.name}"] = digest.hexdigest()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("save", "check"))
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared")
    parser.add_argument("--reference", type=Path, default=Path("/tmp/dom_evidence_reference.json"))
    args = parser.parse_args()
    found = _fingerprints(args.shared)
    if args.action == "save":
        args.reference.write_text(json.dumps(found), encoding="utf-8")
        print(f"saved {len(found)} pages to {args.reference}")
        return
    saved = json.loads(args.reference.read_text(encoding="utf-8"))
    differ = sorted(key for key in saved.keys() | found.keys() if saved.get(key) != found.get(key))
    print(f"{len(found)} pages; {len(differ)} differ" + (": " + ", ".join(differ[:10]) if differ else ""))
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The model engine out of set, one change at a time: each detector skipped, other thresholds.

usage: python benchmarks/html_ablation.py --held-out DIR [--sets ...] [--limit N] [--ensemble]
                                          [--thresholds 0.4 0.45 0.55 0.6] [--shared DIR]

Every page of the five collections' HTML is read once (parsed, walked with the markup's evidence,
as ``clean --engine model`` reads it); then, for each set, the detectors of the model engine with
the HTML model fitted WITHOUT that set (``python -m cleaner.training.train --html --held-out DIR``)
clean it as the engine does, and so does every variant: one detector skipped at a time, and the
model's threshold moved. F1 per set (the sets' metric) and macro, each variant against the engine
as shipped. What this table chooses is tuned on the five sets' out-of-set scores, so a change it
picks needs a margin larger than the noise between sets, and the README says it was chosen so.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from cleaner.detectors.content_model import ContentModelDetector
from cleaner.detectors.forest import ENSEMBLE_COLUMNS, HTML_COLUMNS, Forest
from cleaner.detectors.registry import html_model_detectors
from cleaner.errors import InputError
from cleaner.inputs.engines import ENSEMBLE, MODEL
from cleaner.inputs.html import Extraction, clean_extraction, read_html
from cleaner.training.dataset import SET_NAMES, dev_scorer, set_folder
from cleaner.training.html_rows import decoded

ROOT = Path(__file__).resolve().parent.parent


def read_set(shared: Path, name: str, limit: int | None, engine: str) -> list[tuple[str, Extraction | None]]:
    """Each gold page's read HTML (``None``: no file, or not readable), by page id."""
    folder = set_folder(shared, name)
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(gold)[:limit] if limit else sorted(gold):
        path = folder / "html" / f"{page_id}.html"
        extraction = None
        if path.is_file():
            with contextlib.suppress(InputError):  # decoded(): leniently, as training reads
                extraction = read_html(decoded(path.read_bytes()), engine=engine)
        pages.append((page_id, extraction))
    return pages


def variants(model: Forest, ensemble: bool, thresholds: Sequence[float]) -> dict[str, list]:
    """Variant name -> its detectors: the engine, each detector skipped, each other threshold."""
    shipped = html_model_detectors(ensemble, model=model)
    out = {"engine": shipped}
    for detector in shipped:
        if detector.name != "main-body":
            out[f"skip {detector.name}"] = [d for d in shipped if d is not detector]
    for threshold in thresholds:
        out[f"threshold {threshold}"] = [ContentModelDetector(model, threshold) if d.name == "main-body" else d
                                         for d in shipped]
    out["model alone"] = [d for d in shipped if d.name == "main-body"]
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--held-out", type=Path, required=True, metavar="DIR")
    parser.add_argument("--sets", nargs="+", default=list(SET_NAMES), choices=SET_NAMES)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--ensemble", action="store_true", help="the ensemble's model (reads trafilatura's decision)")
    parser.add_argument("--thresholds", nargs="*", type=float, default=[0.4, 0.45, 0.55, 0.6])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args(argv)
    score = dev_scorer(args.shared)
    stem = "content_html_trafilatura" if args.ensemble else "content_html"
    columns = ENSEMBLE_COLUMNS if args.ensemble else HTML_COLUMNS
    results: dict[str, dict[str, float]] = {}
    for name in args.sets:
        gold = json.loads((set_folder(args.shared, name) / "gold.json").read_text(encoding="utf-8"))
        pages = read_set(args.shared, name, args.limit, ENSEMBLE if args.ensemble else MODEL)
        model = Forest.load(args.held_out / f"{stem}-without-{name}.json", columns)
        for variant, detectors in variants(model, args.ensemble, args.thresholds).items():
            counts = [score.page_counts(gold[page_id], clean_extraction(found, page_id, detectors).text
                                        if found is not None else "") for page_id, found in pages]
            results.setdefault(variant, {})[name] = score.metrics(counts)["f1"]
        print(f"html_ablation: {name} done", file=sys.stderr, flush=True)
    base = results["engine"]
    print("| variant | " + " | ".join(args.sets) + " | macro | vs engine |")
    print("|---|" + "---:|" * (len(args.sets) + 2))
    for variant, row in results.items():
        macro = sum(row.values()) / len(row)
        delta = macro - sum(base.values()) / len(base)
        print(f"| {variant} | " + " | ".join(f"{row[s]:.3f}" for s in args.sets) + f" | {macro:.3f} | {delta:+.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

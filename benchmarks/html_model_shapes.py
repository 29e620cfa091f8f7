#!/usr/bin/env python3
"""Leave-one-set-out of the model engine's HTML model under other tree shapes and set weights.

usage: python benchmarks/html_model_shapes.py [SHAPE ...]     (needs the train extra: LightGBM)

Each SHAPE is comma-separated ``key=value`` pairs: ``rounds`` (default 60), ``balance`` (0: the
rows' own weights; 1: each training set weighs the same in total; 0.5: half way) and any LightGBM
parameter (``num_leaves=7,max_depth=3``, ``feature_fraction=0.5``, ``lambda_l2=10.0``...); the
shipped shape's others (:data:`cleaner.training.loso.PARAMS`, ``min_data_in_leaf`` 200) stay. For
each shape and each collection held out, the text + DOM model is fitted on the four others' HTML rows
and the held-out pages are cleaned as the model engine cleans them (the default detectors with the
model in the locator's place, P >= 0.5), scored with the sets' metric. Default: the shipped shape.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from cleaner.pipeline import clean_page
from cleaner.training.dataset import SET_NAMES, PageRows, dev_scorer
from cleaner.training.html_rows import HTML_COLUMNS, html_page_rows, html_pages
from cleaner.training.loso import fit_booster, model_pipeline
from cleaner.training.loso_html import columns, with_dom
from cleaner.training.train import HTML_MIN_DATA_IN_LEAF

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def balanced(rows: Sequence[PageRows], power: float) -> list[PageRows]:
    """``rows`` with each set's weights scaled towards the same total (``power`` 1: equal; 0: unchanged)."""
    totals: dict[str, float] = {}
    for r in rows:
        totals[r.set_name] = totals.get(r.set_name, 0.0) + float(r.w.sum())
    mean = float(np.mean(list(totals.values())))
    return [replace(r, w=r.w * (mean / totals[r.set_name]) ** power) for r in rows]


def parsed(shape: str) -> tuple[int, float, dict[str, float | int]]:
    """``rounds``, ``balance`` and the LightGBM parameters of one SHAPE argument."""
    values = dict(part.split("=", 1) for part in shape.split(",") if part)
    rounds, power = int(values.pop("rounds", 60)), float(values.pop("balance", 0))
    params: dict[str, float | int] = {k: float(v) if "." in v else int(v) for k, v in values.items()}
    params.setdefault("min_data_in_leaf", HTML_MIN_DATA_IN_LEAF)
    return rounds, power, {**params, "num_threads": 1}


def main(argv: Sequence[str] | None = None) -> int:
    shapes = list(argv if argv is not None else sys.argv[1:]) or ["rounds=60"]
    if any(shape.startswith("-") or "=" not in shape for shape in shapes):
        print(__doc__)
        return 2
    score = dev_scorer(SHARED)
    pages = {name: list(html_pages(SHARED, name)) for name in SET_NAMES}
    rows = [found for name in SET_NAMES for item in pages[name] if (found := html_page_rows(item)) is not None]
    print("| shape | " + " | ".join(SET_NAMES) + " | macro |\n|---|" + "---:|" * (len(SET_NAMES) + 1))
    for shape in shapes:
        rounds, power, params = parsed(shape)
        started, scores = time.perf_counter(), []
        for held in SET_NAMES:
            train = [columns(r, len(HTML_COLUMNS)) for r in rows if r.set_name != held]
            predict = fit_booster(balanced(train, power) if power else train, rounds, 7, params).predict
            counts = [score.page_counts(item.gold, "" if item.page is None else clean_page(
                item.page, model_pipeline(with_dom(predict, item.page), 0.5)).text) for item in pages[held]]
            scores.append(score.metrics(counts)["f1"])
        print(f"| {shape} | " + " | ".join(f"{value:.3f}" for value in scores) + f" | {np.mean(scores):.3f} |",
              flush=True)
        print(f"html_model_shapes: {shape}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

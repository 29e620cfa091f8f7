#!/usr/bin/env python3
"""The shipped HTML content models on the dev sets' HTML: F1 per set, file sizes, and predict cost per page.

usage: python benchmarks/html_models.py [--shared ../shared] [--repeat 5]

Every dev page's HTML is read as the training reads it (:mod:`cleaner.training.html_rows`: the
walk with the DOM's evidence, trafilatura's kept lines as clean runs it) and cleaned with
:func:`cleaner.detectors.registry.html_model_detectors` (the text + DOM model, then the text +
DOM + trafilatura model, whose page carries :data:`~cleaner.text.extracted.EXTRACTOR_KEPT`);
each set scored with its own metric. IN-SAMPLE: the shipped models were fitted on these very
pages, so these numbers are no evidence of quality on unseen pages (leave-one-set-out is:
``python -m cleaner.training.loso_html``); they check that the shipped files and the detectors
that build their rows work together as the training did.

Then the forests' cost: on every page, the median of ``--repeat`` builds of each model's rows
(:func:`~cleaner.detectors.content_model.model_rows`: features, claims, DOM columns, trafilatura's; the page's
line signals, shared with the detectors, computed once before)
and of ``--repeat`` predict calls, text forest (its 60 columns) against each HTML forest; mean and
median ms per page. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner.detectors.content_model import (  # noqa: E402
    ENSEMBLE_MODEL_FILE,
    HTML_MODEL_FILE,
    MODEL_FILE,
    model_rows,
    shipped_html_model,
    shipped_model,
)
from cleaner.detectors.registry import html_model_detectors  # noqa: E402
from cleaner.pipeline import clean_page  # noqa: E402
from cleaner.text.extracted import EXTRACTOR_KEPT  # noqa: E402
from cleaner.text.labels import Labels  # noqa: E402
from cleaner.training.dataset import SET_NAMES, dev_scorer  # noqa: E402
from cleaner.training.html_rows import HtmlPage, html_pages  # noqa: E402
from cleaner.training.loso_html import set_table  # noqa: E402

MODELS = ("text + DOM", "text + DOM + trafilatura")


def _cleaned(item: HtmlPage) -> list[str]:
    """The page's text by each shipped HTML model ("" when the page could not be read)."""
    if item.page is None:
        return [""] * len(MODELS)
    item.page.facts.put(EXTRACTOR_KEPT, item.extractor.kept if item.extractor is not None else None)
    return [clean_page(item.page, html_model_detectors(ensemble)).text for ensemble in (False, True)]


def _median_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _predict_ms(item: HtmlPage, repeat: int) -> list[float] | None:
    """Median ms of the rows, then of one predict over them: the text forest, then each HTML forest."""
    if item.page is None or not item.page.nonblank():
        return None
    rows_ms, predict_ms = [], []
    for forest in (shipped_model(), shipped_html_model(False), shipped_html_model(True)):
        labels = Labels(size=len(item.page))
        rows_ms.append(_median_ms(lambda: model_rows(item.page, labels, forest.features), repeat))  # noqa: B023
        rows = model_rows(item.page, labels, forest.features)[1]
        predict_ms.append(_median_ms(lambda: forest.predict(rows), repeat))  # noqa: B023
    return [*rows_ms, *predict_ms]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    score = dev_scorer(args.shared)
    results, costs, lines = {}, [], []
    for name in SET_NAMES:
        counts: list[list] = [[] for _ in MODELS]
        for item in html_pages(args.shared, name, extractor=True):
            for model, text in enumerate(_cleaned(item)):
                counts[model].append(score.page_counts(item.gold, text))
            cost = _predict_ms(item, args.repeat)
            if cost is not None and item.page is not None:
                costs.append(cost)
                lines.append(len(item.page.nonblank()))
        results[name] = [score.metrics(each) for each in counts]
        print(f"html_models: {name}: " + ", ".join(f"{m} {r['f1']:.3f}" for m, r in zip(MODELS, results[name],
                                                                                    strict=True)), file=sys.stderr)
    print("\nShipped HTML models, IN-SAMPLE (fitted on these pages: no evidence of quality), F1 (P / R)\n")
    print(set_table(results, MODELS, "set"))
    print("\n| model file | size | trees | rows ms/page (mean / median) | predict ms/page (mean / median) |")
    print("|---|---|---|---|---|")
    table = np.array(costs)
    for column, (label, path) in enumerate((("text", MODEL_FILE), ("text + DOM", HTML_MODEL_FILE),
                                            ("text + DOM + trafilatura", ENSEMBLE_MODEL_FILE))):
        forest = (shipped_model(), shipped_html_model(False), shipped_html_model(True))[column]
        rows, predict = table[:, column], table[:, 3 + column]
        print(f"| {label}: {path.name} | {path.stat().st_size / 1000:.0f} KB | {len(forest)} | "
              f"{rows.mean():.2f} / {np.median(rows):.2f} | {predict.mean():.2f} / {np.median(predict):.2f} |")
    print(f"\n{len(costs)} pages, {np.mean(lines):.0f} non-blank lines on average (median {np.median(lines):.0f})")


if __name__ == "__main__":
    main()

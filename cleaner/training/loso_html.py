"""Leave-one-set-out on the dev sets' HTML: the content model with and without the DOM's evidence.

usage: python -m cleaner.training.loso_html [--shared ../shared] [--rounds 60] [--threshold 0.5] [--seed 7]
                                            [--importance 15] (and the tree shape options of loso)

Every page's HTML is walked with the markup's evidence (:mod:`cleaner.training.html_rows`). For each
of the five dev sets in turn, two LightGBM models are fitted on the other four sets' HTML rows:
one on the text features and claims alone, one on those and the DOM's columns. Every page of
the held-out set is then cleaned, and scored with the sets' metric, as:

* **text model**: the default detectors with the text-only model in the locator's place;
* **text + DOM model**: the same with the model that also reads the markup;
* **text + DOM, bare**: the lines that model gives P >= threshold, no detector at all;
* **locator + text + DOM**: the locator corrected by that model (:class:`LocatorWithModel`);
* **default text path**: the shipped default detectors on the walked text (locator + the shipped
  text model, which was fitted on these sets' text dumps: not out-of-set);
* **oracle**: the lines the gold keeps (:func:`~cleaner.training.labels.align`), the ceiling of any line choice.

A page that cannot be read counts as an empty prediction. Then a model fitted on all five sets
prints its top features by LightGBM gain. Fixed seed: the same tables every run on the same data.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import numpy as np

from cleaner.detectors.claims import claim_features
from cleaner.detectors.registry import default_detectors
from cleaner.pipeline import clean_page
from cleaner.text.dom import dom_features
from cleaner.text.features import line_features
from cleaner.text.page import Page
from cleaner.training.dataset import COLUMNS, SET_NAMES, PageRows, dev_scorer
from cleaner.training.html_rows import HTML_COLUMNS, HtmlPage, html_page_rows, html_pages
from cleaner.training.labels import align
from cleaner.training.loso import (
    ROUNDS,
    add_shape_arguments,
    ensemble_pipeline,
    fit_booster,
    model_pipeline,
    shape_params,
)

__all__ = ["ENGINES", "bare_text", "main", "oracle_text", "text_only"]

ENGINES = ("text model", "text + DOM model", "text + DOM, bare", "locator + text + DOM", "default text path",
           "oracle")
Predict = Callable[[np.ndarray], np.ndarray]


def text_only(rows: PageRows) -> PageRows:
    """``rows`` with the text features and claims alone (the DOM's columns left out)."""
    return replace(rows, x=rows.x[:, : len(COLUMNS)])


def _with_dom(predict: Predict, page: Page) -> Predict:
    """``predict`` of text + claim rows of ``page``, with the page's DOM columns put beside them."""
    dom = dom_features(page, page.nonblank())
    return lambda rows: predict(np.hstack([rows, dom[: len(rows)]]))


def bare_text(predict: Predict, page: Page, threshold: float) -> str:
    """The lines ``predict`` (on all :data:`HTML_COLUMNS`) gives P >= ``threshold``, one a line."""
    lines, features = line_features(page)
    if not lines:
        return ""
    probability = predict(np.hstack([features, claim_features(page, lines), dom_features(page, lines)]))
    return "\n".join(line.content for line, p in zip(lines, probability, strict=True) if p >= threshold)


def oracle_text(page: Page, gold: str) -> str:
    """The lines the gold keeps, by the training alignment."""
    labels = align([line.content for line in page.lines], gold)
    return "\n".join(line.content for line, label in zip(page.lines, labels.lines, strict=True) if label.content)


def _texts(item: HtmlPage, text: Predict, full: Predict, threshold: float) -> list[str]:
    """The page's text by each of :data:`ENGINES` ("" for all when it could not be read)."""
    page = item.page
    if page is None:
        return [""] * len(ENGINES)
    with_dom = _with_dom(full, page)
    return [
        clean_page(page, model_pipeline(text, threshold)).text,
        clean_page(page, model_pipeline(with_dom, threshold)).text,
        bare_text(full, page, threshold),
        clean_page(page, ensemble_pipeline(with_dom, 0.85, 0.1)).text,
        clean_page(page, default_detectors()).text,
        oracle_text(page, item.gold),
    ]


def _held_out(score: ModuleType, pages: Sequence[HtmlPage], text: Predict, full: Predict,
              threshold: float) -> list[dict[str, float]]:
    """The set's metric of each engine over the held-out ``pages``."""
    counts: list[list[tuple[float, float, float]]] = [[] for _ in ENGINES]
    for item in pages:
        for engine, cleaned in enumerate(_texts(item, text, full, threshold)):
            counts[engine].append(score.page_counts(item.gold, cleaned))
    return [score.metrics(each) for each in counts]


def _importance(rows: Sequence[PageRows], args: argparse.Namespace) -> list[tuple[str, float]]:
    """The top features of a text + DOM model fitted on every set, by LightGBM gain (share of the total)."""
    booster = fit_booster(rows, args.rounds, args.seed, shape_params(args))
    gain = booster.feature_importance(importance_type="gain")
    order = np.argsort(-gain)[: args.importance]
    return [(HTML_COLUMNS[i], float(gain[i] / max(gain.sum(), 1e-9))) for i in order]


def _print(results: dict[str, list[dict[str, float]]], importance: list[tuple[str, float]]) -> None:
    print("\nHTML, leave-one-set-out (the models never saw the set they are scored on), F1 (P / R)\n")
    print("| held-out set | " + " | ".join(ENGINES) + " |")
    print("|---" * (len(ENGINES) + 1) + "|")
    for held in SET_NAMES:
        print(f"| {held} | " + " | ".join(f"{r['f1']:.3f} ({r['precision']:.3f} / {r['recall']:.3f})"
                                          for r in results[held]) + " |")
    macro = [np.mean([results[s][i]["f1"] for s in SET_NAMES]) for i in range(len(ENGINES))]
    print("| **macro** | " + " | ".join(f"**{value:.3f}**" for value in macro) + " |")
    print("\ntext + DOM model fitted on all five sets: top features by gain (share of the total)\n")
    print("| feature | gain |\n|---|---|")
    for name, share in importance:
        print(f"| {name} | {share:.3f} |")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2].parent / "shared")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    add_shape_arguments(parser)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--importance", type=int, default=15, help="how many top features to print")
    args = parser.parse_args(argv)
    score = dev_scorer(args.shared)
    pages = {name: list(html_pages(args.shared, name)) for name in SET_NAMES}
    rows = [found for name in SET_NAMES for item in pages[name] if (found := html_page_rows(item)) is not None]
    print(f"loso_html: {sum(map(len, pages.values()))} pages, {len(rows)} labelled", file=sys.stderr, flush=True)
    results = {}
    for held in SET_NAMES:
        train = [r for r in rows if r.set_name != held]
        text = fit_booster([text_only(r) for r in train], args.rounds, args.seed, shape_params(args)).predict
        full = fit_booster(train, args.rounds, args.seed, shape_params(args)).predict
        results[held] = _held_out(score, pages[held], text, full, args.threshold)
        print(f"loso_html: {held}: " + ", ".join(f"{engine} {r['f1']:.3f}" for engine, r in zip(ENGINES, results[held],
                                                                                             strict=True)),
              file=sys.stderr, flush=True)
    _print(results, _importance(rows, args))


if __name__ == "__main__":
    main()

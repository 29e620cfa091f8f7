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
* **text + DOM + trafilatura**: the default detectors with a model that also reads trafilatura's
  decision per line (:mod:`cleaner.training.extractor_rows`: kept, its neighbours kept, ...) in the
  locator's place: the ensemble of trafilatura and the model, learned;
* **text + DOM + trafilatura, bare**: that model's lines at P >= threshold, no detector at all;
* **default text path**: the shipped default detectors on the walked text (locator + the shipped
  text model, which was fitted on these sets' text dumps: not out-of-set);
* **trafilatura (clean's settings)**: trafilatura's own text, as `clean` runs it (not its defaults);
* **oracle**: the lines the gold keeps (:func:`~cleaner.training.labels.align`), the ceiling of any line choice.

``--stack`` measures a second stage over the text + DOM model instead (stacking, fixed-window
smoothing, a page-relative cut: :mod:`cleaner.training.stack_html`).

``--peers`` chooses whose decisions the "+ trafilatura" models read (:data:`~cleaner.training.extractor_rows.PEERS`,
comma-separated; default clean's trafilatura alone): trafilatura's defaults and readability can join or replace it.

A page that cannot be read counts as an empty prediction. Then a text + DOM + trafilatura model
fitted on all five sets prints its top features by LightGBM gain.
Fixed seed: the same tables every run on the same data.
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
from cleaner.training.extractor_rows import PEERS, ExtractorDecision, peer_columns, peers_features
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
from cleaner.training.stack_html import add_stack_arguments, run

__all__ = ["ENGINES", "bare_text", "columns", "main", "oracle_text", "set_table", "text_only", "with_dom"]

ENGINES = ("text model", "text + DOM model", "text + DOM, bare", "text + DOM + trafilatura",
           "text + DOM + trafilatura, bare", "locator + text + DOM", "default text path",
           "trafilatura (clean's settings)", "oracle")
Predict = Callable[[np.ndarray], np.ndarray]


def columns(rows: PageRows, count: int) -> PageRows:
    """``rows`` with their first ``count`` columns alone."""
    return replace(rows, x=rows.x[:, :count])


def text_only(rows: PageRows) -> PageRows:
    """``rows`` with the text features and claims alone (the DOM's columns left out)."""
    return columns(rows, len(COLUMNS))


Decisions = ExtractorDecision | Sequence[ExtractorDecision] | None


def with_dom(predict: Predict, page: Page, extractor: Decisions = None) -> Predict:
    """``predict`` of text + claim rows of ``page``, with the page's DOM columns (and trafilatura's) beside them."""
    lines = page.nonblank()
    extra = dom_features(page, lines)
    if extractor is not None:
        extra = np.hstack([extra, peers_features(lines, extractor)])
    return lambda rows: predict(np.hstack([rows, extra[: len(rows)]]))


def bare_text(predict: Predict, page: Page, threshold: float, extractor: Decisions = None) -> str:
    """The lines ``predict`` (on all :data:`HTML_COLUMNS`, with ``extractor``: :data:`ENSEMBLE_COLUMNS`) gives
    P >= ``threshold``, one a line."""
    lines, features = line_features(page)
    if not lines:
        return ""
    x = np.hstack([features, claim_features(page, lines), dom_features(page, lines)])
    if extractor is not None:
        x = np.hstack([x, peers_features(lines, extractor)])
    probability = predict(x)
    return "\n".join(line.content for line, p in zip(lines, probability, strict=True) if p >= threshold)


def oracle_text(page: Page, gold: str) -> str:
    """The lines the gold keeps, by the training alignment."""
    labels = align([line.content for line in page.lines], gold)
    return "\n".join(line.content for line, label in zip(page.lines, labels.lines, strict=True) if label.content)


def _texts(item: HtmlPage, models: Sequence[Predict], threshold: float) -> list[str]:
    """The page's text by each of :data:`ENGINES` ("" for all when it could not be read).

    ``models``: the text model, the text + DOM model, the text + DOM + trafilatura model.
    """
    page = item.page
    if page is None:
        return [""] * len(ENGINES)
    text, full, ensemble = models
    decision = item.extractor or ExtractorDecision(None)
    dom_model = with_dom(full, page)
    chosen = item.peers or decision
    return [
        clean_page(page, model_pipeline(text, threshold)).text,
        clean_page(page, model_pipeline(dom_model, threshold)).text,
        bare_text(full, page, threshold),
        clean_page(page, model_pipeline(with_dom(ensemble, page, chosen), threshold)).text,
        bare_text(ensemble, page, threshold, chosen),
        clean_page(page, ensemble_pipeline(dom_model, 0.85, 0.1)).text,
        clean_page(page, default_detectors()).text,
        decision.text,
        oracle_text(page, item.gold),
    ]


def _held_out(score: ModuleType, pages: Sequence[HtmlPage], models: Sequence[Predict],
              threshold: float) -> list[dict[str, float]]:
    """The set's metric of each engine over the held-out ``pages``."""
    counts: list[list[tuple[float, float, float]]] = [[] for _ in ENGINES]
    for item in pages:
        for engine, cleaned in enumerate(_texts(item, models, threshold)):
            counts[engine].append(score.page_counts(item.gold, cleaned))
    return [score.metrics(each) for each in counts]


def _importance(rows: Sequence[PageRows], args: argparse.Namespace) -> list[tuple[str, float]]:
    """The top features of a text + DOM + trafilatura model fitted on every set, by LightGBM gain (share of the
    total)."""
    booster = fit_booster(rows, args.rounds, args.seed, shape_params(args))
    gain = booster.feature_importance(importance_type="gain")
    order = np.argsort(-gain)[: args.importance]
    names = (*HTML_COLUMNS, *peer_columns(args.peers))
    return [(names[i], float(gain[i] / max(gain.sum(), 1e-9))) for i in order]


def set_table(results: dict[str, list[dict[str, float]]], names: Sequence[str], first: str = "held-out set") -> str:
    """A markdown table of F1 (P / R): a row per dev set (``results[set]``: a metrics dict per name), then macro."""
    lines = ["| " + first + " | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for held in SET_NAMES:
        lines.append(f"| {held} | " + " | ".join(f"{r['f1']:.3f} ({r['precision']:.3f} / {r['recall']:.3f})"
                                                 for r in results[held]) + " |")
    macro = [np.mean([results[s][i]["f1"] for s in SET_NAMES]) for i in range(len(names))]
    lines.append("| **macro** | " + " | ".join(f"**{value:.3f}**" for value in macro) + " |")
    return "\n".join(lines)


def _print(results: dict[str, list[dict[str, float]]], importance: list[tuple[str, float]]) -> None:
    print("\nHTML, leave-one-set-out (the models never saw the set they are scored on), F1 (P / R)\n")
    print(set_table(results, ENGINES))
    print("\ntext + DOM + trafilatura model fitted on all five sets: top features by gain (share of the total)\n")
    print("| feature | gain |\n|---|---|")
    for name, share in importance:
        print(f"| {name} | {share:.3f} |")


def _peers(value: str) -> tuple[str, ...]:
    """The ``--peers`` list, each one of :data:`PEERS`."""
    chosen = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = [peer for peer in chosen if peer not in PEERS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"unknown peers {unknown}: choose from {', '.join(PEERS)}")
    return chosen


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2].parent / "shared")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    add_shape_arguments(parser)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--importance", type=int, default=15, help="how many top features to print")
    parser.add_argument("--peers", type=_peers, default=("trafilatura",),
                        help="whose decisions the + trafilatura models read, comma-separated: " + ",".join(PEERS))
    add_stack_arguments(parser)
    args = parser.parse_args(argv)
    if args.stack:
        run(args)
        return
    score = dev_scorer(args.shared)
    pages = {name: list(html_pages(args.shared, name, extractor=True, peers=args.peers)) for name in SET_NAMES}
    rows = [found for name in SET_NAMES for item in pages[name]
            if (found := html_page_rows(item, extractor=True)) is not None]
    kept = sum(item.extractor is not None and item.extractor.kept is not None for found in pages.values()
               for item in found)
    print(f"loso_html: {sum(map(len, pages.values()))} pages, {len(rows)} labelled, {kept} with trafilatura's lines",
          file=sys.stderr, flush=True)
    results = {}
    for held in SET_NAMES:
        train = [r for r in rows if r.set_name != held]
        models = [fit_booster([columns(r, count) for r in train], args.rounds, args.seed, shape_params(args)).predict
                  for count in (len(COLUMNS), len(HTML_COLUMNS), len(HTML_COLUMNS) + len(peer_columns(args.peers)))]
        results[held] = _held_out(score, pages[held], models, args.threshold)
        print(f"loso_html: {held}: " + ", ".join(f"{engine} {r['f1']:.3f}" for engine, r in zip(ENGINES, results[held],
                                                                                             strict=True)),
              file=sys.stderr, flush=True)
    _print(results, _importance(rows, args))


if __name__ == "__main__":
    main()

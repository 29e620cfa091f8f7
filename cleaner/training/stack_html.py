"""Leave-one-set-out of a second stage over the HTML model: stacking, fixed-window smoothing, a page-relative cut.

Run as ``python -m cleaner.training.loso_html --stack [--windows 1,2] [--relative 0.5,0.7]`` (the
tree shape options as loso_html's; ``--min-data-in-leaf 200`` is the shipped HTML model's).

Stage 1 is the HTML model (text + claims + DOM columns, :data:`HTML_COLUMNS`). Stage 2 is a
second LightGBM model on the same columns and :data:`~cleaner.detectors.stacking.STACK_NAMES`:
aggregates of stage 1's P over the neighbouring lines, the page and the enclosing elements. For
each held-out set, stage 1 is fitted on the four other sets; stage 2's training rows read stage
1's P **out of fold**: on each of the four sets, the P of a stage 1 fitted on the three others
(so stage 2 learns from P as unsure as on an unseen set). Neither stage ever sees the held-out set.
Each engine cleans every held-out page with the default detectors (the model in the locator's
place, :func:`~cleaner.training.loso.model_pipeline`) and bare (its lines at P >= ``--threshold``):

* **stage 1**: the HTML model alone (loso_html's "text + DOM model");
* **stacked**: stage 2 over stage 1;
* **window k**: stage 1's P averaged over +-k non-blank lines, no second model;
* **relative c**: stage 1's P, a line kept only at P >= max(threshold, c x the page's highest P).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from types import ModuleType

import numpy as np

from cleaner.detectors.claims import claim_features
from cleaner.detectors.stacking import STACK_NAMES, _window_mean, stack_features
from cleaner.pipeline import clean_page
from cleaner.text.dom import dom_features
from cleaner.text.features import line_features
from cleaner.text.page import Line, Page
from cleaner.training.dataset import SET_NAMES, PageRows, dev_scorer
from cleaner.training.html_rows import HTML_COLUMNS, HtmlPage, html_page_rows, html_pages
from cleaner.training.loso import fit_booster, model_pipeline, shape_params

__all__ = ["Transform", "add_stack_arguments", "engines", "run", "stack_rows", "stacked_text"]

Predict = Callable[[np.ndarray], np.ndarray]
# (page, its non-blank lines, their stage-1 rows, stage 1's P) -> the P the engine decides by.
Transform = Callable[[Page, Sequence[Line], np.ndarray, np.ndarray], np.ndarray]


def stack_rows(rows: PageRows, page: Page, probability: np.ndarray) -> PageRows:
    """``rows`` (stage 1's columns) with the stage-2 columns of ``probability`` (stage 1's P) after them."""
    lines = page.nonblank()
    if [line.number for line in lines] != rows.numbers:
        raise ValueError(f"page {page.source!r}: its rows are not its non-blank lines")
    return replace(rows, x=np.hstack([rows.x, stack_features(page, lines, probability)]))


def _stacked(stage2: Predict) -> Transform:
    return lambda page, lines, x, p: stage2(np.hstack([x, stack_features(page, lines, p)]))


def _window(k: int) -> Transform:
    return lambda page, lines, x, p: _window_mean(p, k)


def _relative(share: float, threshold: float) -> Transform:
    def cut(page: Page, lines: Sequence[Line], x: np.ndarray, p: np.ndarray) -> np.ndarray:
        if not len(p):
            return p
        return np.where(p >= share * p.max(), p, np.minimum(p, threshold * 0.999))
    return cut


def engines(stage2: Predict, windows: Sequence[int], relative: Sequence[float],
            threshold: float) -> dict[str, Transform]:
    """The engines by name: stage 1 alone, stacked, each window, each page-relative share."""
    found: dict[str, Transform] = {"stage 1": lambda page, lines, x, p: p, "stacked": _stacked(stage2)}
    found.update({f"window {k}": _window(k) for k in windows})
    found.update({f"relative {c:g}": _relative(c, threshold) for c in relative})
    return found


def _pipeline_predict(stage1: Predict, transform: Transform, page: Page) -> Predict:
    """The detectors' predictor (text + claim rows in): the DOM columns added, stage 1, then ``transform``."""
    lines = page.nonblank()
    dom = dom_features(page, lines)

    def predict(rows: np.ndarray) -> np.ndarray:
        x = np.hstack([rows, dom[: len(rows)]])
        return transform(page, lines, x, stage1(x))
    return predict


def stacked_text(stage1: Predict, transform: Transform, page: Page, threshold: float) -> str:
    """The lines ``transform`` of stage 1's P keeps (P >= ``threshold``), no detector at all, one a line."""
    lines, features = line_features(page)
    if not lines:
        return ""
    x = np.hstack([features, claim_features(page, lines), dom_features(page, lines)])
    p = transform(page, lines, x, stage1(x))
    return "\n".join(line.content for line, each in zip(lines, p, strict=True) if each >= threshold)


def _out_of_fold(rows: Sequence[PageRows], pages: dict[tuple[str, str], Page], train_sets: Sequence[str],
                 stage1_without: Callable[[frozenset[str]], Predict]) -> list[PageRows]:
    """Stage 2's training rows: each training set's rows with the P of a stage 1 fitted without that set."""
    stacked = []
    for name in train_sets:
        predict = stage1_without(frozenset(set(SET_NAMES) - set(train_sets)) | {name})
        stacked.extend(stack_rows(r, pages[(r.set_name, r.page_id)], predict(r.x)) for r in rows if r.set_name == name)
    return stacked


def _score(score: ModuleType, items: Sequence[HtmlPage], stage1: Predict, found: dict[str, Transform],
           threshold: float) -> dict[str, dict[str, float]]:
    """Each engine's metric over the held-out ``items``, with the detectors and bare."""
    counts: dict[str, list] = {f"{name}{how}": [] for name in found for how in ("", ", bare")}
    for item in items:
        for name, transform in found.items():
            if item.page is None:
                texts = ("", "")
            else:
                detectors = model_pipeline(_pipeline_predict(stage1, transform, item.page), threshold)
                texts = (clean_page(item.page, detectors).text, stacked_text(stage1, transform, item.page, threshold))
            for how, text in zip(("", ", bare"), texts, strict=True):
                counts[name + how].append(score.page_counts(item.gold, text))
    return {name: score.metrics(each) for name, each in counts.items()}


def _cell(result: dict[str, float]) -> str:
    return f"{result['f1']:.3f} ({result['precision']:.3f} / {result['recall']:.3f})"


def _print(results: dict[str, dict[str, dict[str, float]]], gain: np.ndarray) -> None:
    names = list(results[SET_NAMES[0]])
    print("\nHTML, leave-one-set-out, second stage (neither stage saw the held-out set), F1 (P / R)\n")
    print("| engine | " + " | ".join(SET_NAMES) + " | macro |")
    print("|---" * (len(SET_NAMES) + 2) + "|")
    for name in names:
        cells = [_cell(results[s][name]) for s in SET_NAMES]
        macro = np.mean([results[s][name]["f1"] for s in SET_NAMES])
        print(f"| {name} | " + " | ".join(cells) + f" | **{macro:.3f}** |")
    names2 = (*HTML_COLUMNS, *STACK_NAMES)
    share = gain / max(gain.sum(), 1e-9)
    print("\nstage 2, top features by gain (share of the total, summed over the five fits)\n")
    print("| feature | gain |\n|---|---|")
    for i in np.argsort(-gain)[:15]:
        print(f"| {names2[i]} | {share[i]:.3f} |")


def run(args: argparse.Namespace) -> None:
    """The second stage's leave-one-set-out (``args``: loso_html's, with ``windows`` and ``relative``)."""
    score, params = dev_scorer(args.shared), shape_params(args)
    items = {name: list(html_pages(args.shared, name)) for name in SET_NAMES}
    pages = {(item.set_name, item.page_id): item.page for found in items.values() for item in found
             if item.page is not None}
    rows = [found for name in SET_NAMES for item in items[name] if (found := html_page_rows(item)) is not None]
    print(f"stack: {len(pages)} pages read, {len(rows)} labelled", file=sys.stderr, flush=True)
    fits: dict[frozenset[str], Predict] = {}

    def stage1_without(left_out: frozenset[str]) -> Predict:
        if left_out not in fits:
            fits[left_out] = fit_booster([r for r in rows if r.set_name not in left_out], args.rounds, args.seed,
                                         params).predict
        return fits[left_out]

    results, gain = {}, np.zeros(len(HTML_COLUMNS) + len(STACK_NAMES))
    for held in SET_NAMES:
        train_sets = [name for name in SET_NAMES if name != held]
        booster2 = fit_booster(_out_of_fold(rows, pages, train_sets, stage1_without), args.rounds, args.seed, params)
        gain += booster2.feature_importance(importance_type="gain")
        found = engines(booster2.predict, args.windows, args.relative, args.threshold)
        results[held] = _score(score, items[held], stage1_without(frozenset({held})), found, args.threshold)
        print(f"stack: {held}: " + ", ".join(f"{name} {r['f1']:.3f}" for name, r in results[held].items()),
              file=sys.stderr, flush=True)
    _print(results, gain)


def _numbers(kind: type) -> Callable[[str], tuple]:
    return lambda value: tuple(kind(part) for part in value.split(",") if part.strip())


def add_stack_arguments(parser: argparse.ArgumentParser) -> None:
    """``--stack``, ``--windows`` and ``--relative`` (loso_html's options for this measurement)."""
    parser.add_argument("--stack", action="store_true", help="measure the second stage instead (cleaner.training."
                        "stack_html): stacked, window-smoothed, page-relative")
    parser.add_argument("--windows", type=_numbers(int), default=(1, 2), help="with --stack: smoothing windows +-k")
    parser.add_argument("--relative", type=_numbers(float), default=(0.5, 0.7),
                        help="with --stack: page-relative shares c (keep P >= max(threshold, c x page max))")


if __name__ == "__main__":  # (a shortcut: the same as loso_html --stack)
    from cleaner.training.loso_html import main

    main([*sys.argv[1:], "--stack"])

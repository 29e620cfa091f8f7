"""Leave-one-set-out of a second stage over the HTML model: stacking, fixed-window smoothing, a page-relative cut.

Run as ``python -m cleaner.training.loso_html --stack [--stage2 "stacked; residual"] [--oof-pages K]
[--windows 1,2] [--relative 0.5,0.7] [--hysteresis 0.3]`` (the tree shape options as loso_html's;
``--min-data-in-leaf 200`` is the shipped HTML model's).

Stage 1 is the HTML model (text + claims + DOM columns, :data:`HTML_COLUMNS`). Stage 2 is a
second LightGBM model on the same columns and :data:`~cleaner.training.stack_features.STACK_NAMES`:
aggregates of stage 1's P over the neighbouring lines, the page and the enclosing elements. For
each held-out set, stage 1 is fitted on the four other sets; stage 2's training rows read stage
1's P **out of fold**: on each of the four sets, the P of a stage 1 fitted on the three others
(so stage 2 learns from P as unsure as on an unseen set; ``--oof-pages K``: by K folds of pages).
Neither stage ever sees the held-out set.
Each engine cleans every held-out page with the default detectors (the model in the locator's
place, :func:`~cleaner.training.loso.model_pipeline`) and bare (its lines at P >= ``--threshold``):

* **stage 1**: the HTML model alone (loso_html's "text + DOM model");
* **stacked**: stage 2 over stage 1; **residual**: a stage 2 boosted on from stage 1's log-odds
  (``--residual-rounds``, ``--residual-rate``), learning corrections; **residual, stack only**:
  the same reading the stage-2 columns alone; each also as a **blend** (the mean of both stages' P);
* **window k**: stage 1's P averaged over +-k non-blank lines, no second model;
* **relative c**: stage 1's P, a line kept only at P >= max(threshold, c x the page's highest P);
* **hysteresis low**: stage 1's P, and every run of consecutive lines at P >= low that holds a line
  at P >= threshold kept whole.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from types import ModuleType

import numpy as np

from cleaner.detectors.claims import claim_features
from cleaner.pipeline import clean_page
from cleaner.text.dom import dom_features
from cleaner.text.features import line_features
from cleaner.text.page import Line, Page
from cleaner.training.dataset import SET_NAMES, PageRows, dev_scorer
from cleaner.training.html_rows import HTML_COLUMNS, HtmlPage, html_page_rows, html_pages
from cleaner.training.loso import PARAMS, fit_booster, model_pipeline, shape_params
from cleaner.training.stack_features import STACK_NAMES, stack_features, window_mean

__all__ = ["STAGE2", "Transform", "fit_stage2", "add_stack_arguments", "engines", "run", "stack_rows", "stacked_text"]

Predict = Callable[[np.ndarray], np.ndarray]
STAGE2 = ("stacked", "residual", "residual, stack only")  # the second stages fit_stage2 makes
# (page, its non-blank lines, their stage-1 rows, stage 1's P) -> the P the engine decides by.
Transform = Callable[[Page, Sequence[Line], np.ndarray, np.ndarray], np.ndarray]


def stack_rows(rows: PageRows, page: Page, probability: np.ndarray) -> PageRows:
    """``rows`` (stage 1's columns) with the stage-2 columns of ``probability`` (stage 1's P) after them."""
    lines = page.nonblank()
    if [line.number for line in lines] != rows.numbers:
        raise ValueError(f"page {page.source!r}: its rows are not its non-blank lines")
    return replace(rows, x=np.hstack([rows.x, stack_features(page, lines, probability)]))


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def fit_stage2(rows: Sequence[PageRows], variant: str, args: argparse.Namespace) -> tuple[Predict, np.ndarray]:
    """A second stage of :data:`STAGE2` ``variant`` fitted on stacked ``rows``: its predict (of stacked rows) and
    its gain per stacked column.

    ``stacked``: a model on every column; ``residual``: boosting on from stage 1's P (its log-odds the
    starting score), fewer, slower rounds: it learns corrections to stage 1; ``residual, stack only``:
    the same on the stage-2 columns alone.
    """
    import lightgbm

    x, y, w = (np.vstack([r.x for r in rows]), np.concatenate([r.y for r in rows]),
               np.concatenate([r.w for r in rows]))
    first = len(HTML_COLUMNS) if variant.endswith("stack only") else 0
    params = {**PARAMS, **shape_params(args), "seed": args.seed}
    if variant == "stacked":
        booster = lightgbm.train(params, lightgbm.Dataset(x, y, weight=w), args.rounds)
        return booster.predict, booster.feature_importance(importance_type="gain")
    start = _logit(x[:, len(HTML_COLUMNS)])  # stack_p: stage 1's (out-of-fold) P
    data = lightgbm.Dataset(x[:, first:], y, weight=w, init_score=start)
    booster = lightgbm.train({**params, "learning_rate": args.residual_rate}, data, args.residual_rounds)
    gain = np.concatenate([np.zeros(first), booster.feature_importance(importance_type="gain")])

    def predict(rows2: np.ndarray) -> np.ndarray:
        raw = booster.predict(rows2[:, first:], raw_score=True) + _logit(rows2[:, len(HTML_COLUMNS)])
        return 1.0 / (1.0 + np.exp(-raw))
    return predict, gain


def _stacked(stage2: Predict, blend: bool = False) -> Transform:
    """Stage 2 over stage 1's P; ``blend``: the mean of both stages' P."""
    def decide(page: Page, lines: Sequence[Line], x: np.ndarray, p: np.ndarray) -> np.ndarray:
        second = stage2(np.hstack([x, stack_features(page, lines, p)]))
        return (second + p) / 2 if blend else second
    return decide


def _window(k: int) -> Transform:
    return lambda page, lines, x, p: window_mean(p, k)


def _relative(share: float, threshold: float) -> Transform:
    def cut(page: Page, lines: Sequence[Line], x: np.ndarray, p: np.ndarray) -> np.ndarray:
        if not len(p):
            return p
        return np.where(p >= share * p.max(), p, np.minimum(p, threshold * 0.999))
    return cut


def _hysteresis(low: float, threshold: float) -> Transform:
    def rescue(page: Page, lines: Sequence[Line], x: np.ndarray, p: np.ndarray) -> np.ndarray:
        candidate = p >= low
        run = np.cumsum(~candidate)  # consecutive candidates share a run number
        sure = np.bincount(run[p >= threshold], minlength=len(p) + 1) > 0
        return np.where(candidate & sure[run], np.maximum(p, threshold), p)
    return rescue


def engines(stage2: dict[str, Predict], windows: Sequence[int], relative: Sequence[float],
            threshold: float, hysteresis: Sequence[float] = ()) -> dict[str, Transform]:
    """The engines by name: stage 1 alone, each second stage, each window, each page-relative share, each
    hysteresis (a run of lines at P >= low kept whole when one of them is at P >= threshold)."""
    found: dict[str, Transform] = {"stage 1": lambda page, lines, x, p: p}
    found.update({name: _stacked(predict) for name, predict in stage2.items()})
    found.update({f"{name}, blend": _stacked(predict, blend=True) for name, predict in stage2.items()})
    found.update({f"window {k}": _window(k) for k in windows})
    found.update({f"relative {c:g}": _relative(c, threshold) for c in relative})
    found.update({f"hysteresis {low:g}": _hysteresis(low, threshold) for low in hysteresis})
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


def _out_of_fold_pages(rows: Sequence[PageRows], pages: dict[tuple[str, str], Page], folds: int,
                       fit: Callable[[Sequence[PageRows]], Predict]) -> list[PageRows]:
    """As :func:`_out_of_fold`, the folds by page (every ``folds``-th page of ``rows``) instead of by set."""
    stacked = []
    for fold in range(folds):
        predict = fit([r for i, r in enumerate(rows) if i % folds != fold])
        stacked.extend(stack_rows(r, pages[(r.set_name, r.page_id)], predict(r.x)) for i, r in enumerate(rows)
                       if i % folds == fold)
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


def _print(results: dict[str, dict[str, dict[str, float]]], gains: dict[str, np.ndarray]) -> None:
    names = list(results[SET_NAMES[0]])
    print("\nHTML, leave-one-set-out, second stage (neither stage saw the held-out set), F1 (P / R)\n")
    print("| engine | " + " | ".join(SET_NAMES) + " | macro |")
    print("|---" * (len(SET_NAMES) + 2) + "|")
    for name in names:
        cells = [_cell(results[s][name]) for s in SET_NAMES]
        macro = np.mean([results[s][name]["f1"] for s in SET_NAMES])
        print(f"| {name} | " + " | ".join(cells) + f" | **{macro:.3f}** |")
    names2 = (*HTML_COLUMNS, *STACK_NAMES)
    for variant, gain in gains.items():
        share = gain / max(gain.sum(), 1e-9)
        print(f"\n{variant}: top features by gain (share of the total, summed over the five fits)\n")
        print("| feature | gain |\n|---|---|")
        for i in np.argsort(-gain)[:12]:
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

    results: dict[str, dict[str, dict[str, float]]] = {}
    gain: dict[str, np.ndarray] = {}
    for held in SET_NAMES:
        train_sets = [name for name in SET_NAMES if name != held]
        train = [r for r in rows if r.set_name != held]
        if not args.stage2:
            stacked = []
        elif args.oof_pages:
            stacked = _out_of_fold_pages(train, pages, args.oof_pages,
                                         lambda part: fit_booster(part, args.rounds, args.seed, params).predict)
        else:
            stacked = _out_of_fold(rows, pages, train_sets, stage1_without)
        stage2 = {}
        for variant in args.stage2:
            stage2[variant], each = fit_stage2(stacked, variant, args)
            gain[variant] = gain.get(variant, 0) + each
        found = engines(stage2, args.windows, args.relative, args.threshold, args.hysteresis)
        results[held] = _score(score, items[held], stage1_without(frozenset({held})), found, args.threshold)
        print(f"stack: {held}: " + ", ".join(f"{name} {r['f1']:.3f}" for name, r in results[held].items()),
              file=sys.stderr, flush=True)
    _print(results, gain)


def _numbers(kind: type) -> Callable[[str], tuple]:
    return lambda value: tuple(kind(part) for part in value.split(",") if part.strip())


def _names(value: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in value.split(";") if part.strip())
    if not set(chosen) <= set(STAGE2):
        raise argparse.ArgumentTypeError(f"unknown second stages {chosen}: choose from {'; '.join(STAGE2)}")
    return chosen


def add_stack_arguments(parser: argparse.ArgumentParser) -> None:
    """``--stack``, ``--windows`` and ``--relative`` (loso_html's options for this measurement)."""
    parser.add_argument("--stack", action="store_true", help="measure the second stage instead (cleaner.training."
                        "stack_html): stacked, window-smoothed, page-relative")
    parser.add_argument("--stage2", type=_names, default=STAGE2, help="with --stack: the second stages, "
                        "separated by ;: " + "; ".join(STAGE2))
    parser.add_argument("--residual-rounds", type=int, default=30, help="with --stack: the residual stages' rounds")
    parser.add_argument("--residual-rate", type=float, default=0.1, help="with --stack: their learning rate")
    parser.add_argument("--oof-pages", type=int, default=0, metavar="K",
                        help="with --stack: stage 1's out-of-fold P by K folds of pages (default: by set)")
    parser.add_argument("--windows", type=_numbers(int), default=(1, 2), help="with --stack: smoothing windows +-k")
    parser.add_argument("--relative", type=_numbers(float), default=(0.5, 0.7),
                        help="with --stack: page-relative shares c (keep P >= max(threshold, c x page max))")
    parser.add_argument("--hysteresis", type=_numbers(float), default=(0.3,),
                        help="with --stack: low bounds (a run of lines at P >= low kept when one is >= threshold)")


if __name__ == "__main__":  # (a shortcut: the same as loso_html --stack)
    from cleaner.training.loso_html import main

    main([*sys.argv[1:], "--stack"])

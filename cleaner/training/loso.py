"""Leave-one-set-out: fit the content model on four dev sets, score the fifth, beside the hand-weighted locator.

usage: python -m cleaner.training.loso [--shared ../shared] [--kinds dump_ht dump_in] [--rounds 60]
                                       [--num-leaves 15] [--max-depth 5] [--min-data-in-leaf 50]
                                       [--learning-rate 0.2] [--threads 1] [--threshold 0.5] [--seed 7]

The defaults are the shipped model's shape (:data:`ROUNDS`, :data:`PARAMS`); the first model
was 200 rounds of 31 leaves, no depth limit, learning rate 0.1 (``--rounds 200 --num-leaves 31
--max-depth -1 --learning-rate 0.1``).

For each of the five dev sets in turn, a LightGBM model (``pip install -e '.[train]'``) is fitted
on the line labels (:mod:`cleaner.training.labels`) of the four others, both dump kinds, then
every page of the held-out set is cleaned three times with the default detectors: with the
main-body locator (today's default), with :class:`~cleaner.detectors.content_model.
ContentModelDetector` in its place, and with :class:`~cleaner.detectors.content_model.
LocatorWithModel` (the locator, corrected where the model is sure: ``--rescue``, ``--cut``).
All are scored with the sets' own metric; one table per dump kind, F1 (P / R) per set and the
macro mean. No page a model is scored on was seen in its
fit. Fixed seed: the same table every run on the same data.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from cleaner.detectors.base import Detector
from cleaner.detectors.content_model import ContentModelDetector, LocatorWithModel
from cleaner.detectors.registry import default_detectors
from cleaner.pipeline import clean_page
from cleaner.text.page import Page
from cleaner.training.dataset import SET_NAMES, PageRows, dev_scorer, page_rows, set_pages

__all__ = ["PARAMS", "ROUNDS", "add_shape_arguments", "ensemble_pipeline", "fit", "fit_booster", "load_rows", "main",
           "model_pipeline", "shape_params"]

# The shipped shape: 60 trees of at most 15 leaves, 5 levels deep. The walk costs a step per level
# for every (line, tree) pair, so 200 trees of 31 leaves (18 levels) cost 7x more per page, and
# scored no better out-of-set (README: the LOSO tables of both shapes).
ROUNDS = 60
PARAMS = {
    "objective": "binary", "learning_rate": 0.2, "num_leaves": 15, "max_depth": 5, "min_data_in_leaf": 50,
    "feature_fraction": 0.8, "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0,
    "verbose": -1, "num_threads": 1,
}
# The tree shape options (command line -> LightGBM parameter): the walk's cost grows with depth and trees.
_SHAPE = {"num_leaves": int, "max_depth": int, "min_data_in_leaf": int, "learning_rate": float, "threads": int}


def add_shape_arguments(parser: argparse.ArgumentParser) -> None:
    """``--num-leaves``, ``--max-depth`` (-1: no limit), ``--min-data-in-leaf``, ``--learning-rate``, ``--threads``."""
    for name, kind in _SHAPE.items():
        default = PARAMS["num_threads" if name == "threads" else name]
        parser.add_argument("--" + name.replace("_", "-"), type=kind, default=default)


def shape_params(args: argparse.Namespace) -> dict[str, Any]:
    """LightGBM parameters from the parsed shape options (:func:`add_shape_arguments`)."""
    params = {name: getattr(args, name) for name in _SHAPE if name != "threads"}
    return {**params, "num_threads": args.threads}


def fit_booster(rows: Sequence[PageRows], rounds: int, seed: int, params: dict[str, Any] | None = None) -> Any:
    """A LightGBM booster of P(content) fitted on ``rows`` (``lightgbm.Booster``: the train extra).

    ``params`` override :data:`PARAMS` (the tree shape, threads).
    """
    import lightgbm

    data = lightgbm.Dataset(
        np.vstack([r.x for r in rows]), np.concatenate([r.y for r in rows]), weight=np.concatenate([r.w for r in rows])
    )
    return lightgbm.train({**PARAMS, **(params or {}), "seed": seed}, data, rounds)


def fit(rows: Sequence[PageRows], rounds: int, seed: int,
        params: dict[str, Any] | None = None) -> Callable[[np.ndarray], np.ndarray]:
    """A LightGBM model of P(content) fitted on ``rows``; returns its predict function."""
    return fit_booster(rows, rounds, seed, params).predict


def model_pipeline(predict: Callable[[np.ndarray], np.ndarray], threshold: float) -> list[Detector]:
    """The default detectors with the content model in the main-body locator's place."""
    return _in_locators_place(ContentModelDetector(predict, threshold))


def ensemble_pipeline(predict: Callable[[np.ndarray], np.ndarray], rescue: float, cut: float) -> list[Detector]:
    """The default detectors with the locator corrected by the content model (:class:`LocatorWithModel`)."""
    return _in_locators_place(LocatorWithModel(predict, rescue, cut))


def _in_locators_place(replacement: Detector) -> list[Detector]:
    return [replacement if detector.name == "main-body" else detector
            for detector in default_detectors(content_model=False)]


def _score(score: ModuleType, pages: Sequence[tuple[str, str, str]], detectors: Sequence[Detector]) -> dict[str, float]:
    """The set's metric over ``pages`` (id, dump, gold) cleaned with ``detectors``."""
    return score.metrics([score.page_counts(gold, clean_page(Page(text, page_id), detectors).text)
                          for page_id, text, gold in pages])


def load_rows(shared: Path, kinds: Sequence[str]) -> list[PageRows]:
    """The labelled rows of every page of the five sets in dump ``kinds`` (broken golds left out)."""
    rows = []
    for kind in kinds:
        for name in SET_NAMES:
            for page_id, text, gold in set_pages(shared, name, kind):
                found = page_rows(name, page_id, kind, text, gold)
                if found is not None:
                    rows.append(found)
        print(f"loso: {kind}: {len(rows)} labelled pages so far", file=sys.stderr, flush=True)
    return rows


def _cell(result: dict[str, float]) -> str:
    return f"{result['f1']:.3f} ({result['precision']:.3f} / {result['recall']:.3f})"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2].parent / "shared")
    parser.add_argument("--kinds", nargs="+", default=["dump_ht", "dump_in"], choices=["dump_ht", "dump_in"])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    add_shape_arguments(parser)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rescue", type=float, default=0.85, help="locator + model: keep what the model is sure of")
    parser.add_argument("--cut", type=float, default=0.1, help="locator + model: cut inside the article under this")
    args = parser.parse_args(argv)
    score, rows = dev_scorer(args.shared), load_rows(args.shared, ["dump_ht", "dump_in"])
    results: dict[tuple[str, str], tuple[dict[str, float], ...]] = {}
    for held in SET_NAMES:
        predict = fit([r for r in rows if r.set_name != held], args.rounds, args.seed, shape_params(args))
        for kind in args.kinds:
            pages = list(set_pages(args.shared, held, kind))  # read once, cleaned three ways
            locator = _score(score, pages, default_detectors(content_model=False))
            model = _score(score, pages, model_pipeline(predict, args.threshold))
            both = _score(score, pages, ensemble_pipeline(predict, args.rescue, args.cut))
            results[(held, kind)] = (locator, model, both)
            print(f"loso: {held} {kind}: locator {locator['f1']:.3f}, model {model['f1']:.3f}, "
                  f"locator + model {both['f1']:.3f}", file=sys.stderr)
    for kind in args.kinds:
        print(f"\n{kind}, leave-one-set-out (the model never saw the set it is scored on)\n")
        print("| held-out set | locator F1 (P / R) | model F1 (P / R) | locator + model F1 (P / R) |")
        print("|---|---|---|---|")
        for held in SET_NAMES:
            print(f"| {held} | " + " | ".join(_cell(result) for result in results[(held, kind)]) + " |")
        macro = [np.mean([results[(s, kind)][i]["f1"] for s in SET_NAMES]) for i in range(3)]
        print("| **macro** | " + " | ".join(f"**{value:.3f}**" for value in macro) + " |")


if __name__ == "__main__":
    main()

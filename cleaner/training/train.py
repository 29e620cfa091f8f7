"""Fit the content model on all five dev sets and write it as the package's model file.

usage: python -m cleaner.training.train [--out cleaner/detectors/models/content.json] [--shared ../shared]
                                        [--rounds 60] [--num-leaves 15] [--max-depth 5] [--min-data-in-leaf 50]
                                        [--learning-rate 0.2] [--threads 1] [--seed 7]
                                        [--booster-out PATH] [--model-version NAME]

Both dump kinds of every set (``pip install -e ".[train]"``, LightGBM), the parameters and fixed
seed of :mod:`cleaner.training.loso`: the same file every run on the same data. The file
(:mod:`cleaner.training.export`) is read by :class:`cleaner.detectors.forest.Forest` with numpy
alone. ``--booster-out`` also saves LightGBM's own text model (to compare the two,
``benchmarks/model_speed.py``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cleaner.training.dataset import COLUMNS, SET_NAMES, PageRows
from cleaner.training.export import export_booster
from cleaner.training.loso import ROUNDS, add_shape_arguments, fit_booster, load_rows, shape_params

__all__ = ["main", "summary"]

ROOT = Path(__file__).resolve().parents[2]
KINDS = ("dump_ht", "dump_in")


def summary(rows: Sequence[PageRows], seed: int, rounds: int, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the model was fitted on, for the file: sets, kinds, pages, lines, seed, rounds, tree shape."""
    return {
        "sets": sorted({r.set_name for r in rows}), "kinds": sorted({r.kind for r in rows}),
        "pages": len(rows), "lines": int(sum(len(r.y) for r in rows)),
        "content_lines": int(sum(int(r.y.sum()) for r in rows)), "seed": seed, "rounds": rounds,
        **({"params": {k: v for k, v in params.items() if k != "num_threads"}} if params else {}),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "cleaner" / "detectors" / "models" / "content.json")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    add_shape_arguments(parser)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--booster-out", type=Path, help="also save LightGBM's own text model here")
    parser.add_argument("--model-version", help="the model's name in the file (default: content- and a hash)")
    args = parser.parse_args(argv)
    rows = load_rows(args.shared, KINDS)
    if {r.set_name for r in rows} != set(SET_NAMES):
        parser.error(f"found pages of {sorted({r.set_name for r in rows})} only in {args.shared}")
    params = shape_params(args)
    booster = fit_booster(rows, args.rounds, args.seed, params)
    training = summary(rows, args.seed, args.rounds, params)
    content = export_booster(booster, args.out, COLUMNS, training, args.model_version)
    if args.booster_out:
        booster.save_model(str(args.booster_out))
    print(f"train: {content['model_version']}: {len(content['trees'])} trees on {content['training']['pages']} "
          f"pages, {content['training']['lines']} lines -> {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)",
          file=sys.stderr)


if __name__ == "__main__":
    main()

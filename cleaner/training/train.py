"""Fit the content model on all five dev sets and write it as the package's model file.

usage: python -m cleaner.training.train [--html [--ensemble]] [--out PATH] [--shared ../shared]
                                        [--rounds 60] [--num-leaves 15] [--max-depth 5] [--min-data-in-leaf 50]
                                        [--learning-rate 0.2] [--threads 1] [--seed 7]
                                        [--booster-out PATH] [--model-version NAME] [--held-out DIR]

Without ``--html``: the text model (``content.json``, :data:`~cleaner.detectors.forest.COLUMNS`).
``--html``: the HTML model on the sets' HTML pages walked with the markup's evidence
(:mod:`cleaner.training.html_rows`; ``content_html.json``, :data:`~cleaner.detectors.forest.HTML_COLUMNS`);
with ``--ensemble`` also trafilatura's decision per line as clean runs it
(``content_html_trafilatura.json``, :data:`~cleaner.detectors.forest.ENSEMBLE_COLUMNS`). The HTML
models default to ``--min-data-in-leaf`` :data:`HTML_MIN_DATA_IN_LEAF` (leave-one-set-out,
``python -m cleaner.training.loso_html``: macro 0.900 against 0.897 at 50 for the HTML model,
0.909 against 0.902 with trafilatura's columns).

Both dump kinds of every set (``pip install -e ".[train]"``, LightGBM), the parameters and fixed
seed of :mod:`cleaner.training.loso`: the same file every run on the same data. The file
(:mod:`cleaner.training.export`) is read by :class:`cleaner.detectors.forest.Forest` with numpy
alone. ``--booster-out`` also saves LightGBM's own text model (to compare the two,
``benchmarks/model_speed.py``).

``--held-out DIR`` writes, instead of the package's file, one model per dev set fitted on the other
four (``DIR/<file stem>-without-<set>.json``): what ``benchmarks/html_engines.py --held-out DIR``
scores each set with, so the engines' table is out of set as the targets ask.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cleaner.detectors.content_model import ENSEMBLE_MODEL_FILE, HTML_MODEL_FILE, MODEL_FILE
from cleaner.detectors.forest import ENSEMBLE_COLUMNS, HTML_COLUMNS
from cleaner.training.dataset import COLUMNS, SET_NAMES, PageRows
from cleaner.training.export import export_booster
from cleaner.training.html_rows import html_page_rows, html_pages
from cleaner.training.loso import ROUNDS, add_shape_arguments, fit_booster, load_rows, shape_params

__all__ = ["HTML_MIN_DATA_IN_LEAF", "html_rows", "main", "summary"]

ROOT = Path(__file__).resolve().parents[2]
KINDS = ("dump_ht", "dump_in")
# The HTML models' leaves hold at least this many lines: the HTML pages' rows are fewer and more
# alike within a site than the dumps', and bigger leaves held out better (module doc: LOSO macro).
HTML_MIN_DATA_IN_LEAF = 200


def html_rows(shared: Path, ensemble: bool) -> list[PageRows]:
    """The labelled rows of every dev page's HTML (``ensemble``: with trafilatura's columns), broken golds left out."""
    rows = []
    for name in SET_NAMES:
        rows.extend(found for item in html_pages(shared, name, extractor=ensemble)
                    if (found := html_page_rows(item, extractor=ensemble)) is not None)
        print(f"train: {name}: {len(rows)} labelled HTML pages so far", file=sys.stderr, flush=True)
    return rows


def _model(args: argparse.Namespace) -> tuple[Path, tuple[str, ...], str]:
    """The default file, the columns and the version prefix of the model ``args`` ask for."""
    if not args.html:
        return MODEL_FILE, COLUMNS, "content"
    if args.ensemble:
        return ENSEMBLE_MODEL_FILE, ENSEMBLE_COLUMNS, "content-html-trafilatura"
    return HTML_MODEL_FILE, HTML_COLUMNS, "content-html"


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
    parser.add_argument("--html", action="store_true", help="the HTML model (text + DOM columns)")
    parser.add_argument("--ensemble", action="store_true", help="with --html: also trafilatura's decision")
    parser.add_argument("--out", type=Path, help="where to write it (default: the package's file for that model)")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    add_shape_arguments(parser)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--booster-out", type=Path, help="also save LightGBM's own text model here")
    parser.add_argument("--model-version", help="the model's name in the file (default: content[-html...]- and a hash)")
    parser.add_argument("--held-out", type=Path, metavar="DIR",
                        help="write one model per set, fitted without it, into DIR (not the package's file)")
    args = parser.parse_args(argv)
    if args.ensemble and not args.html:
        parser.error("--ensemble is the HTML model's: give --html too")
    if args.html:  # the HTML models' own default leaf size; an explicit --min-data-in-leaf still wins
        parser.set_defaults(min_data_in_leaf=HTML_MIN_DATA_IN_LEAF)
        args = parser.parse_args(argv)
    default_out, columns, prefix = _model(args)
    out = args.out or default_out
    rows = html_rows(args.shared, args.ensemble) if args.html else load_rows(args.shared, KINDS)
    if {r.set_name for r in rows} != set(SET_NAMES):
        parser.error(f"found pages of {sorted({r.set_name for r in rows})} only in {args.shared}")
    params = shape_params(args)
    if args.held_out:
        _write_held_out(rows, args, params, columns, prefix, args.held_out / default_out.stem)
        return
    booster = fit_booster(rows, args.rounds, args.seed, params)
    training = summary(rows, args.seed, args.rounds, params)
    content = export_booster(booster, out, columns, training, args.model_version, prefix)
    if args.booster_out:
        booster.save_model(str(args.booster_out))
    print(f"train: {content['model_version']}: {len(content['trees'])} trees on {content['training']['pages']} "
          f"pages, {content['training']['lines']} lines -> {out} ({out.stat().st_size / 1e6:.2f} MB)",
          file=sys.stderr)


def _write_held_out(rows: Sequence[PageRows], args: argparse.Namespace, params: dict[str, Any],
                    columns: Sequence[str], prefix: str, stem: Path) -> None:
    """One model per set fitted on the other sets' ``rows``, written as ``<stem>-without-<set>.json``."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    for held in SET_NAMES:
        train = [r for r in rows if r.set_name != held]
        booster = fit_booster(train, args.rounds, args.seed, params)
        out = stem.parent / f"{stem.name}-without-{held}.json"
        content = export_booster(booster, out, columns, summary(train, args.seed, args.rounds, params), None,
                                 f"{prefix}-without-{held}")
        print(f"train: {content['model_version']}: {content['training']['pages']} pages -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()

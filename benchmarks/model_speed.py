#!/usr/bin/env python3
"""How big and how fast is the content model file, read with numpy (cleaner.detectors.forest)?

usage: python benchmarks/model_speed.py MODEL.json [--booster BOOSTER.txt] [--pages ../shared/bench-data/dump_ht]

MODEL.json is the shipped model (``cleaner/detectors/models/content.json``) or one made apart:

    python -m cleaner.training.train --out /tmp/model/content.json --booster-out /tmp/model/booster.txt

Prints the file's size, its load time, the predict time for a 150-line page (numpy forest, and
LightGBM's own predict when ``--booster`` is given and lightgbm is installed), then what a page
of ``--pages`` costs: line features, claims (the specific detectors run for their claims) and
predict, in ms per page. Medians of repeated runs; nothing is asserted.
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

from cleaner.detectors.claims import claim_features  # noqa: E402
from cleaner.detectors.content_model import MODEL_FILE, LocatorWithModel  # noqa: E402
from cleaner.detectors.forest import Forest  # noqa: E402
from cleaner.detectors.registry import default_detectors  # noqa: E402
from cleaner.pipeline import clean_page  # noqa: E402
from cleaner.text.features import line_features  # noqa: E402
from cleaner.text.page import Page  # noqa: E402


def median_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def page_costs(forest: Forest, folder: Path) -> tuple[list[np.ndarray], dict[str, list[float]]]:
    """Every page's rows, and per page the ms of features, claims and predict."""
    costs: dict[str, list[float]] = {"features": [], "claims": [], "predict": [], "lines": []}
    all_rows = []
    for path in sorted(folder.glob("*.txt")):
        page = Page(path.read_text(encoding="utf-8", errors="replace"), path.stem)
        start = time.perf_counter()
        lines, features = line_features(page)
        middle = time.perf_counter()
        claims = claim_features(page, lines)
        end = time.perf_counter()
        rows = np.hstack([features, claims])
        costs["features"].append((middle - start) * 1000)
        costs["claims"].append((end - middle) * 1000)
        costs["predict"].append(median_ms(lambda rows=rows: forest.predict(rows), 3) if len(rows) else 0.0)
        costs["lines"].append(len(rows))
        all_rows.append(rows)
    return all_rows, costs


def clean_costs(forest: Forest, folders: list[Path], rounds: int) -> tuple[list[float], list[float], int]:
    """ms/page of a default clean with the locator alone and with ``forest``, per round (pages in turn)."""
    texts = [path.read_text(encoding="utf-8", errors="replace") for folder in folders
             for path in sorted(folder.glob("*.txt"))]
    alone = default_detectors(content_model=False)
    model = [LocatorWithModel(forest, thresholds=d.thresholds) if d.name == "main-body" else d for d in alone]
    for text in texts[:5]:  # warm: the character table, the language model
        clean_page(Page(text), model)
    without, with_model = [], []
    for _ in range(rounds):
        spent = [0.0, 0.0]
        for text in texts:
            for which, detectors in enumerate((alone, model)):
                start = time.perf_counter()
                clean_page(Page(text), detectors)
                spent[which] += time.perf_counter() - start
        without.append(spent[0] * 1000 / len(texts))
        with_model.append(spent[1] * 1000 / len(texts))
    return without, with_model, len(texts)


def print_clean_costs(forest: Forest, pages: Path, rounds: int) -> None:
    folders = [pages, *(pages.parent / kind for kind in ("dump_ht", "dump_in") if pages.parent / kind != pages)]
    folders = [folder for folder in folders if folder.is_dir()]
    without, with_model, count = clean_costs(forest, folders, rounds)
    base, more = statistics.median(without), statistics.median(with_model)
    print(f"\na default clean, {count} pages ({', '.join(f.name for f in folders)}), median of {rounds} rounds:\n")
    print("| ms/page | locator alone | locator + model | added |\n|---|---:|---:|---:|")
    print(f"| median | {base:.2f} | {more:.2f} | +{more - base:.2f} ms (+{(more / base - 1) * 100:.1f}%) |")
    print(f"| rounds | {' '.join(f'{v:.2f}' for v in without)} | {' '.join(f'{v:.2f}' for v in with_model)} | |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", type=Path, nargs="?", default=MODEL_FILE)
    parser.add_argument("--booster", type=Path, help="LightGBM's own text model of the same fit, to compare")
    parser.add_argument("--pages", type=Path, default=ROOT.parent / "shared" / "bench-data" / "dump_ht")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the whole-clean comparison (0: none)")
    args = parser.parse_args()
    forest = Forest.load(args.model)
    all_rows, costs = page_costs(forest, args.pages)
    rng = np.random.default_rng(0)
    stacked = np.vstack(all_rows)
    page150 = stacked[rng.choice(len(stacked), 150, replace=False)]
    print(f"model {forest.model_version}: {len(forest)} trees, {forest.training.get('pages')} pages, "
          f"{forest.training.get('lines')} lines\n")
    print("| measure | value |\n|---|---|")
    print(f"| file size | {args.model.stat().st_size / 1e6:.2f} MB |")
    print(f"| load (numpy forest) | {median_ms(lambda: Forest.load(args.model), 10):.1f} ms |")
    print(f"| predict 150 lines, numpy forest | {median_ms(lambda: forest.predict(page150), 20):.2f} ms |")
    if args.booster:
        import lightgbm

        booster = lightgbm.Booster(model_file=str(args.booster))
        load = median_ms(lambda: lightgbm.Booster(model_file=str(args.booster)), 5)
        print(f"| load (LightGBM text model) | {load:.1f} ms |")
        for threads in (1, 2):
            cost = median_ms(lambda threads=threads: booster.predict(page150, num_threads=threads), 20)
            print(f"| predict 150 lines, LightGBM ({threads} thread{'s' * (threads > 1)}) | {cost:.2f} ms |")
        difference = np.abs(forest.predict(stacked) - booster.predict(stacked)).max()
        print(f"| max abs difference, {len(stacked)} rows | {difference:.1e} |")
    pages = len(costs["lines"])
    print(f"\nper page, {pages} pages of {args.pages} (median lines {statistics.median(costs['lines']):.0f}):\n")
    print("| step | median ms/page | mean ms/page |\n|---|---|---|")
    total = [sum(values) for values in zip(costs["features"], costs["claims"], costs["predict"], strict=True)]
    for name, values in (*((k, costs[k]) for k in ("features", "claims", "predict")), ("total", total)):
        print(f"| {name} | {statistics.median(values):.2f} | {statistics.mean(values):.2f} |")
    if args.rounds:
        print_clean_costs(forest, args.pages, args.rounds)


if __name__ == "__main__":
    main()

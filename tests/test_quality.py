"""Regression gates: the shipped seeds pass the seed check, dev-set F1 stays above its floors.

The floors sit a little below the scores measured when they were set (see README); a drop
below them means a change made the article text worse. The dev set lives in ../shared.
"""

import importlib.util
import json
import subprocess
import sys

import pytest
from conftest import ROOT, SHARED

from cleaner import clean_text

BENCH = SHARED / "bench-data"
F1_FLOORS = {"dump_ht": 0.95, "dump_in": 0.945}

needs_shared = pytest.mark.skipif(not BENCH.is_dir(), reason="../shared/bench-data is not beside the checkout")


def _score_module():
    spec = importlib.util.spec_from_file_location("bench_score", BENCH / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@needs_shared
@pytest.mark.parametrize("kind", sorted(F1_FLOORS))
def test_dev_set_f1_floor(kind):
    score = _score_module()
    gold = json.loads((BENCH / "gold.json").read_text(encoding="utf-8"))
    counts = []
    for path in sorted((BENCH / kind).glob("*.txt")):
        result = clean_text(path.read_text(encoding="utf-8"), str(path))
        counts.append(score.page_counts(gold[path.stem], result.text))
    metrics = score.metrics(counts)
    assert metrics["pages"] == 91
    assert metrics["f1"] >= F1_FLOORS[kind], metrics


# scrapinghub's HTML, default mode (headline kept), per engine: the model measured 0.962 (in sample: the
# shipped HTML model was fitted on these pages among others; out of set it scores 0.947), trafilatura 0.971.
HTML_F1_FLOORS = {"model": 0.955, "trafilatura": 0.965}


@needs_shared
@pytest.mark.parametrize("engine", sorted(HTML_F1_FLOORS))
def test_dev_set_html_f1_floor(engine):
    from cleaner import clean_html

    score = _score_module()
    gold = json.loads((BENCH / "gold.json").read_text(encoding="utf-8"))
    counts = [
        score.page_counts(gold[path.stem], clean_html(path.read_bytes(), str(path), engine=engine).text)
        for path in sorted((BENCH / "html").glob("*.html"))
    ]
    metrics = score.metrics(counts)
    assert metrics["pages"] == 91
    assert metrics["f1"] >= HTML_F1_FLOORS[engine], metrics


@needs_shared
def test_seeds_pass_the_seed_check(tmp_path):
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        (tmp_path / seed.name).write_text(clean_text(seed.read_text(encoding="utf-8")).text, encoding="utf-8")
    check = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "check_seeds.py"), str(tmp_path)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout

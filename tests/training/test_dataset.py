"""Training rows from labelled pages (cleaner.training.dataset)."""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from conftest import SHARED, TESTS
from test_labels import DUMP, GOLD

from cleaner.text.page import Page
from cleaner.training.dataset import COLUMNS, SET_NAMES, dev_scorer, page_rows, set_pages


def test_rows_hold_features_labels_and_weights_of_the_non_blank_lines():
    rows = page_rows("demo", "page", "dump_ht", DUMP, GOLD)
    assert rows is not None and rows.x.shape == (len(rows.numbers), len(COLUMNS))
    content = {number for number, label in zip(rows.numbers, rows.y, strict=True) if label}
    lines = DUMP.splitlines()
    kept = {lines[n - 1] for n in content}
    assert "Reactions" in kept and "Skip to main content" not in kept
    assert all(0.1 <= w <= 1.0 for w in rows.w)


def test_a_page_with_a_broken_gold_gives_no_rows():
    assert page_rows("demo", "page", "dump_ht", DUMP, "Nothing of this page is in here at all, truly nothing.") is None


@pytest.mark.skipif(not (SHARED / "dev-sets" / "score.py").is_file(), reason="needs ../shared/dev-sets")
def test_the_dev_sets_own_metric_is_used():
    score = dev_scorer(SHARED)
    assert score.page_counts("a b c d e", "a b c d e") == (1.0, 0.0, 0.0)


def _test_module(relative: str) -> ModuleType:
    """A test module of another folder (the references live with the tests of what they check)."""
    spec = importlib.util.spec_from_file_location(f"reference_{Path(relative).stem}", TESTS / relative)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (SHARED / "dev-sets" / "score.py").is_file(), reason="needs ../shared/dev-sets")
def test_the_leave_one_set_out_rows_are_the_reference_features_and_claims():
    """The rows `python -m cleaner.training.loso` trains on are those of the line-by-line reference."""
    features = _test_module("text/test_features.py").reference_line_features
    claims = _test_module("detectors/test_claims.py").reference_claim_features
    checked = 0
    for name in SET_NAMES:
        for kind in ("dump_ht", "dump_in"):
            for page_id, text, gold in itertools.islice(set_pages(SHARED, name, kind), 0, 60, 12):
                rows = page_rows(name, page_id, kind, text, gold)
                if rows is None:
                    continue
                lines, expected = features(Page(text, page_id))
                expected = np.hstack([expected, claims(Page(text, page_id), lines, None)])
                assert rows.numbers == [line.number for line in lines] and np.array_equal(rows.x, expected)
                checked += 1
    assert checked >= 20

"""Training rows from labelled pages (cleaner.training.dataset)."""

from __future__ import annotations

import pytest
from conftest import SHARED
from test_labels import DUMP, GOLD

from cleaner.training.dataset import COLUMNS, dev_scorer, page_rows


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

"""Per-line features for the content model (cleaner.text.features)."""

from __future__ import annotations

import numpy as np
from conftest import PROSE, seed_files

from cleaner.text.features import FEATURE_NAMES, FEATURE_WORDS, line_features
from cleaner.text.page import Page


def test_one_row_per_non_blank_line_and_one_column_per_name():
    page = Page("Home\n\n" + PROSE + "\n\nShare on Facebook\n")
    lines, rows = line_features(page)
    assert [line.content for line in lines] == ["Home", PROSE, "Share on Facebook"]
    assert rows.shape == (3, len(FEATURE_NAMES)) and rows.dtype == np.float32
    assert set(FEATURE_WORDS) == set(FEATURE_NAMES) and len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)


def test_features_say_what_they_name():
    page = Page("Home\n\n" + PROSE + "\n\nShare on Facebook\n")
    _, rows = line_features(page)
    column = {name: index for index, name in enumerate(FEATURE_NAMES)}
    assert rows[1, column["prose"]] == 1.0 and rows[0, column["prose"]] == 0.0
    assert rows[0, column["prose_down1"]] == 1.0 and rows[2, column["prose_up1"]] == 1.0  # neighbours
    assert rows[0, column["position"]] == 0.0 and rows[2, column["position"]] == 1.0
    assert rows[0, column["prose_below"]] == 1.0 and rows[2, column["prose_above"]] == 1.0
    assert rows[1, column["blank_before"]] == 1.0 and rows[1, column["blank_after"]] == 1.0


def test_every_feature_is_finite_on_real_pages():
    for seed in seed_files():
        _, rows = line_features(Page(seed.read_text(encoding="utf-8")))
        assert len(rows) > 10 and np.isfinite(rows).all()


def test_an_empty_page_has_no_rows():
    lines, rows = line_features(Page("\n\n"))
    assert lines == [] and rows.shape == (0, len(FEATURE_NAMES))

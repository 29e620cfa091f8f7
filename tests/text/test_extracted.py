"""trafilatura's kept lines as a page fact and the ensemble model's five columns (cleaner.text.extracted)."""

from __future__ import annotations

import numpy as np

from cleaner.text.extracted import EXTRACTOR_COLUMNS, EXTRACTOR_KEPT, GAP_CAP, extractor_features, kept_features
from cleaner.text.page import Page


def column(x: np.ndarray, name: str) -> np.ndarray:
    return x[:, EXTRACTOR_COLUMNS.index(name)]


def test_the_page_fact_gives_the_kept_lines_columns():
    page = Page("a\n\nb\nc\n\nd\n", "p")
    lines = page.nonblank()
    page.facts.put(EXTRACTOR_KEPT, frozenset({3, 4}))
    x = extractor_features(page, lines)
    assert x.shape == (4, len(EXTRACTOR_COLUMNS)) and x.dtype == np.float32
    assert column(x, "ext_keeps").tolist() == [0, 1, 1, 0] and set(column(x, "ext_found")) == {1.0}
    assert (column(x, "ext_gap") * GAP_CAP).tolist() == [1, 0, 0, 1]  # counted in non-blank lines
    assert np.array_equal(x, kept_features(lines, frozenset({3, 4})))


def test_no_fact_and_nothing_found_read_alike_zeros_and_the_farthest_gap():
    page = Page("a\nb\n", "p")
    absent = extractor_features(page, page.nonblank())
    page.facts.put(EXTRACTOR_KEPT, None)
    found_nothing = extractor_features(page, page.nonblank())
    assert np.array_equal(absent, found_nothing) and np.all(column(absent, "ext_gap") == 1.0)
    assert absent[:, [0, 1, 2, 4]].sum() == 0
    assert extractor_features(page, []).shape == (0, len(EXTRACTOR_COLUMNS))

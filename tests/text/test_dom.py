"""The DOM evidence fact (cleaner.text.dom): its columns, its shape check, and reading it per line."""

from __future__ import annotations

import numpy as np
import pytest

from cleaner.text.dom import DOM_EVIDENCE, DOM_NAMES, DOM_WORDS, WALKED_NAMES, DomEvidence, dom_features
from cleaner.text.page import Page


def test_every_column_has_a_unique_name_and_words():
    assert len(set(DOM_NAMES)) == len(DOM_NAMES) and set(DOM_WORDS) == set(DOM_NAMES)
    assert all(name.startswith("dom_") for name in DOM_NAMES) and DOM_NAMES[: len(WALKED_NAMES)] == WALKED_NAMES


def test_the_rows_need_one_column_per_name():
    with pytest.raises(ValueError, match="columns"):
        DomEvidence(np.zeros((3, 2), dtype=np.float32))


def test_a_page_without_evidence_reads_zeros():
    page = Page("One line\n\nTwo line\n")
    assert not dom_features(page, page.nonblank()).any()


def test_the_rows_of_the_asked_lines_are_read_by_line_number():
    page = Page("One line\n\nTwo line\n")
    rows = np.zeros((3, len(WALKED_NAMES)), dtype=np.float32)
    rows[0, 0], rows[2, 1] = 1.0, 2.0
    page.facts.put(DOM_EVIDENCE, DomEvidence(rows))
    found = dom_features(page, page.nonblank())
    assert found.shape == (2, len(DOM_NAMES)) and found[0, 0] == 1.0 and found[1, 1] == 2.0

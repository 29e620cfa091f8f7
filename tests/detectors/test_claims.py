"""The specific detectors' claims as features (cleaner.detectors.claims), against a straightforward reference."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pytest
from conftest import bench_files, generated_page, seed_files

from cleaner.detectors.claims import CLAIM_DETECTORS, CLAIM_NAMES, claim_features, claims_of
from cleaner.detectors.registry import default_detectors
from cleaner.pipeline import run
from cleaner.text.labels import Removal
from cleaner.text.page import Line, Page

NAMES = [detector.name for detector in CLAIM_DETECTORS]


def reference_claim_features(page: Page, lines: Sequence[Line], claims: Mapping[int, Removal] | None) -> np.ndarray:
    """The first implementation, line by line: cleaner.detectors.claims must give exactly its values."""
    claims = claims_of(page) if claims is None else claims
    out = np.zeros((len(lines), len(CLAIM_NAMES)), dtype=np.float32)
    for row, line in enumerate(lines):
        removal = claims.get(line.number)
        if removal is not None and removal.detector in NAMES:
            out[row, NAMES.index(removal.detector)] = 1.0
    claimed = out[:, : len(NAMES)].max(axis=1) if len(lines) else np.zeros(0)
    for offset, width in enumerate((3, 10)):
        for row in range(len(lines)):
            low, high = max(row - width, 0), min(row + width + 1, len(lines))
            out[row, len(NAMES) + offset] = claimed[low:high].sum() / max(high - low, 1)
    return out


def _same_as_reference(text: str) -> None:
    page = Page(text)
    lines = page.nonblank()
    labels = run(page, default_detectors()).labels  # every detector's labels: main-body's are not claims
    for claims in (None, labels.by_line, {}):
        rows = claim_features(page, lines, claims)
        assert rows.dtype == np.float32
        assert np.array_equal(rows, reference_claim_features(page, lines, claims))
    assert claim_features(page, [], labels.by_line).shape == (0, len(CLAIM_NAMES))


def test_the_claims_equal_the_reference_on_the_seeds_and_generated_pages():
    for text in [path.read_text(encoding="utf-8") for path in seed_files()] + [generated_page(s) for s in range(30)]:
        _same_as_reference(text)


@pytest.mark.skipif(not bench_files(), reason="needs ../shared/bench-data")
def test_the_claims_equal_the_reference_on_dev_dumps():
    for path in bench_files()[::9]:
        _same_as_reference(Path(path).read_text(encoding="utf-8", errors="replace"))

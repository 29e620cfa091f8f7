"""An HTML extractor's decision on each line of the whole-page text, as a page fact and five model columns.

The ensemble content model of issue 15 reads, beside the text, claim and DOM columns, what
trafilatura (run as `clean` runs it) keeps of the same whole-page text. The HTML input puts the
kept line numbers on the page (:data:`EXTRACTOR_KEPT`: a frozenset of whole-page line numbers, or
``None`` when trafilatura found nothing); :func:`extractor_features` turns them into the
:data:`EXTRACTOR_COLUMNS` of the lines the model reads. A page without the fact (a text dump, or
trafilatura not run) reads as one where nothing was kept: zeros, and the farthest gap.
Here, in the text layer, so the detectors can build the rows the shipped model was fitted on.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cleaner.text.facts import Fact
from cleaner.text.page import Line, Page

__all__ = ["EXTRACTOR_COLUMNS", "EXTRACTOR_KEPT", "GAP_CAP", "NEAR", "extractor_features", "kept_features"]

EXTRACTOR_COLUMNS: tuple[str, ...] = (
    "ext_keeps",  # trafilatura keeps this line
    "ext_found",  # trafilatura found main content on the page at all
    "ext_near_share",  # share of the NEAR non-blank lines on each side that it keeps
    "ext_gap",  # non-blank lines to the nearest line it keeps, over GAP_CAP (1: none within reach)
    "ext_page_share",  # share of the page's non-blank lines it keeps
)
NEAR = 3
GAP_CAP = 10
# The whole-page line numbers the extractor kept; None: it found nothing on the page.
EXTRACTOR_KEPT: Fact[frozenset[int] | None] = Fact("extractor_kept")


def extractor_features(page: Page, lines: Sequence[Line]) -> np.ndarray:
    """The :data:`EXTRACTOR_COLUMNS` of ``lines`` (the page's non-blank lines, in order) from :data:`EXTRACTOR_KEPT`."""
    return kept_features(lines, page.facts.get(EXTRACTOR_KEPT))


def kept_features(lines: Sequence[Line], kept: frozenset[int] | None) -> np.ndarray:
    """The :data:`EXTRACTOR_COLUMNS` of non-blank ``lines`` (in page order) when the lines ``kept`` were kept.

    ``None`` or nothing kept: zeros but the gap (every line :data:`GAP_CAP` or more from a kept one).
    """
    kept = kept or frozenset()
    keeps = np.array([line.number in kept for line in lines], dtype=np.float32)
    out = np.zeros((len(lines), len(EXTRACTOR_COLUMNS)), dtype=np.float32)
    if not len(lines):
        return out
    out[:, 0] = keeps
    out[:, 1] = float(bool(kept))
    padded = np.concatenate([np.zeros(NEAR), keeps, np.zeros(NEAR)])
    window = np.convolve(padded, np.ones(2 * NEAR + 1), mode="valid") - keeps
    count = np.convolve(np.concatenate([np.zeros(NEAR), np.ones(len(lines)), np.zeros(NEAR)]),
                        np.ones(2 * NEAR + 1), mode="valid") - 1
    out[:, 2] = np.where(count > 0, window / np.maximum(count, 1), 0.0)
    out[:, 3] = _gaps(keeps) / GAP_CAP
    out[:, 4] = keeps.mean()
    return out


def _gaps(keeps: np.ndarray) -> np.ndarray:
    """Per position, the distance to the nearest kept position, capped at :data:`GAP_CAP`."""
    where = np.flatnonzero(keeps)
    if not len(where):
        return np.full(len(keeps), float(GAP_CAP))
    positions = np.arange(len(keeps))
    after = np.clip(np.searchsorted(where, positions), 0, len(where) - 1)
    before = np.clip(after - 1, 0, len(where) - 1)
    nearest = np.minimum(np.abs(positions - where[after]), np.abs(positions - where[before]))
    return np.minimum(nearest, GAP_CAP).astype(np.float32)

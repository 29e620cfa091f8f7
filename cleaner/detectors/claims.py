"""The specific detectors' claims as content-model features: which detector labelled a line, and around it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from cleaner.detectors.base import Detector
from cleaner.detectors.comments import CommentsDetector
from cleaner.detectors.cookies import CookieNoticeDetector
from cleaner.detectors.footer import FooterDetector
from cleaner.detectors.job_ads import JobAdDetector
from cleaner.detectors.link_list import LinkListDetector
from cleaner.detectors.social import SocialShareDetector
from cleaner.detectors.sponsored import SponsoredDetector
from cleaner.text.labels import Labels, Removal
from cleaner.text.page import Line, Page

__all__ = ["CLAIM_DETECTORS", "CLAIM_NAMES", "CLAIM_WORDS", "claim_features", "claims_of"]

# The detectors that run before the content decision and need no article position.
CLAIM_DETECTORS: tuple[type[Detector], ...] = (
    LinkListDetector, CookieNoticeDetector, SocialShareDetector, JobAdDetector, FooterDetector,
    SponsoredDetector, CommentsDetector,
)
_NAMES = tuple(detector.name for detector in CLAIM_DETECTORS)
CLAIM_NAMES: tuple[str, ...] = (*(f"claimed_{name}" for name in _NAMES), "claimed_window3", "claimed_window10")
CLAIM_WORDS: dict[str, str] = {
    **{f"claimed_{name}": f"labelled by {name}" for name in _NAMES},
    "claimed_window3": "lines labelled by a specific detector within 3 lines",
    "claimed_window10": "lines labelled by a specific detector within 10 lines",
}
_COLUMN = {name: index for index, name in enumerate(_NAMES)}


def claims_of(page: Page) -> Mapping[int, Removal]:
    """Line -> the specific detectors' label, running :data:`CLAIM_DETECTORS` alone (for training)."""
    labels = Labels(size=len(page))
    for detector_type in CLAIM_DETECTORS:
        for removal in detector_type().detect(page, labels):
            labels.add(removal)
    return labels.by_line


def claim_features(page: Page, lines: Sequence[Line], claims: Mapping[int, Removal] | None = None) -> np.ndarray:
    """One row per line of ``lines``: which claim detector labelled it, and the share claimed nearby."""
    claims = claims_of(page) if claims is None else claims
    out = np.zeros((len(lines), len(CLAIM_NAMES)), dtype=np.float32)
    # (rows, columns) of the claimed lines, set in one assignment: a numpy item write per line cost more.
    rows, columns = [], []
    for row, removal in enumerate(map(claims.get, [line.number for line in lines])):
        if removal is not None and removal.detector in _COLUMN:
            rows.append(row)
            columns.append(_COLUMN[removal.detector])
    out[rows, columns] = 1.0
    claimed = np.zeros(len(lines) + 1)
    claimed[1 + np.array(rows, dtype=np.int64)] = 1.0  # then its running count, for the windows
    np.cumsum(claimed, out=claimed)
    index = np.arange(len(lines))
    for offset, width in enumerate((3, 10)):
        low, high = np.maximum(index - width, 0), np.minimum(index + width + 1, len(lines))
        out[:, len(_NAMES) + offset] = (claimed[high] - claimed[low]) / np.maximum(high - low, 1)
    return out

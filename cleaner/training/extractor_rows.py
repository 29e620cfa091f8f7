"""trafilatura's decision per whole-page line, as optional columns of the HTML training rows.

The ensemble of issue 15 is learned, not voted: the content model gets, beside the text, claim and
DOM columns, what trafilatura (run as `clean` runs it, :func:`cleaner.inputs.html.read_html`, with
clean's own settings) keeps of the same whole-page text (:func:`~cleaner.inputs.html.covered_lines`).
These columns are only made when asked (``python -m cleaner.training.loso_html`` does): the pure
model's rows stay trafilatura-free.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cleaner.errors import InputError
from cleaner.inputs.html import read_html
from cleaner.inputs.html_source import DecodedHtml
from cleaner.text.page import Line

__all__ = ["EXTRACTOR_COLUMNS", "GAP_CAP", "NEAR", "ExtractorDecision", "extractor_decision", "extractor_features"]

EXTRACTOR_COLUMNS: tuple[str, ...] = (
    "ext_keeps",  # trafilatura keeps this line
    "ext_found",  # trafilatura found main content on the page at all
    "ext_near_share",  # share of the NEAR non-blank lines on each side that it keeps
    "ext_gap",  # non-blank lines to the nearest line it keeps, over GAP_CAP (1: none within reach)
    "ext_page_share",  # share of the page's non-blank lines it keeps
)
NEAR = 3
GAP_CAP = 10


@dataclass(frozen=True)
class ExtractorDecision:
    """What trafilatura keeps of one page's whole-page text: line numbers (``None``: nothing found) and its text."""

    kept: frozenset[int] | None
    text: str = ""


def extractor_decision(source: DecodedHtml, whole_page: str) -> ExtractorDecision:
    """trafilatura's kept lines of ``source`` as clean reads it; nothing kept when its text is not ``whole_page``.

    (The training walk and clean's walk write the same text; the check guards the line numbers.)
    """
    try:
        extraction = read_html(source)
    except InputError:
        return ExtractorDecision(None)
    if extraction.text != whole_page:
        return ExtractorDecision(None, extraction.extracted)
    return ExtractorDecision(extraction.kept, extraction.extracted)


def extractor_features(lines: Sequence[Line], decision: ExtractorDecision | None) -> np.ndarray:
    """The :data:`EXTRACTOR_COLUMNS` of non-blank ``lines`` (in page order); zeros but the gap when nothing kept."""
    kept = decision.kept if decision is not None and decision.kept else frozenset()
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

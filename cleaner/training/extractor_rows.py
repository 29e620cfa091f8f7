"""trafilatura's decision per whole-page line, as optional columns of the HTML training rows.

The ensemble of issue 15 is learned, not voted: the content model gets, beside the text, claim and
DOM columns, what trafilatura (run as `clean` runs it, :func:`cleaner.inputs.html.read_html`, with
clean's own settings) keeps of the same whole-page text (:func:`~cleaner.inputs.html.covered_lines`).
These columns are only made when asked (``python -m cleaner.training.loso_html`` does): the pure
model's rows stay trafilatura-free.

Two more peers can give the same five columns each (:data:`PEERS`, :func:`peer_decision`):
trafilatura with its own defaults (``trafilatura.extract(html)``: comments in, fallbacks on) and
readability-lxml (the ``bench`` extra; without it its columns are zeros and a warning says so).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cleaner.errors import InputError
from cleaner.inputs.engines import TRAFILATURA
from cleaner.inputs.html import covered_lines, read_html
from cleaner.inputs.html_dom import parse_html, walk
from cleaner.inputs.html_source import DecodedHtml
from cleaner.text.page import Line

__all__ = [
    "EXTRACTOR_COLUMNS", "GAP_CAP", "NEAR", "PEERS", "ExtractorDecision", "extractor_decision", "extractor_features",
    "peer_columns", "peer_decision", "peers_features",
]

EXTRACTOR_COLUMNS: tuple[str, ...] = (
    "ext_keeps",  # trafilatura keeps this line
    "ext_found",  # trafilatura found main content on the page at all
    "ext_near_share",  # share of the NEAR non-blank lines on each side that it keeps
    "ext_gap",  # non-blank lines to the nearest line it keeps, over GAP_CAP (1: none within reach)
    "ext_page_share",  # share of the page's non-blank lines it keeps
)
NEAR = 3
GAP_CAP = 10
# Whose decisions can be columns: clean's trafilatura (the columns above), its defaults, readability.
PEERS: tuple[str, ...] = ("trafilatura", "trafilatura-defaults", "readability")
_PREFIX = {"trafilatura": "ext_", "trafilatura-defaults": "tdef_", "readability": "read_"}


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
        extraction = read_html(source, engine=TRAFILATURA)
    except InputError:
        return ExtractorDecision(None)
    if extraction.text != whole_page:
        return ExtractorDecision(None, extraction.extracted)
    return ExtractorDecision(extraction.kept, extraction.extracted)


def peer_columns(peers: Sequence[str]) -> tuple[str, ...]:
    """The column names of ``peers``' decisions, in order (trafilatura's are :data:`EXTRACTOR_COLUMNS`)."""
    return tuple(_PREFIX[peer] + name.removeprefix("ext_") for peer in peers for name in EXTRACTOR_COLUMNS)


def _peer_text(peer: str, html: str) -> str | None:
    """The peer's main text of ``html``; ``None`` when the peer is not installed."""
    if peer == "trafilatura-defaults":
        import trafilatura

        return trafilatura.extract(html) or ""
    try:
        from readability import Document
    except ImportError:
        warnings.warn("readability-lxml is not installed (the bench extra): its columns are zeros", stacklevel=3)
        return None
    summary = Document(html).summary()
    return walk(parse_html(summary)).text if summary.strip() else ""


def peer_decision(peer: str, source: DecodedHtml, whole_page: str) -> ExtractorDecision:
    """What ``peer`` (one of :data:`PEERS`) keeps of ``whole_page``, mapped to its lines as clean's trafilatura is."""
    if peer == "trafilatura":
        return extractor_decision(source, whole_page)
    try:
        text = _peer_text(peer, source.text)
    except Exception:  # noqa: BLE001 - a peer that fails on a page decides nothing there, as trafilatura's None
        return ExtractorDecision(None)
    if not text or not text.strip():
        return ExtractorDecision(None, text or "")
    return ExtractorDecision(covered_lines(whole_page.split("\n"), text) or None, text)


def peers_features(lines: Sequence[Line], decisions: ExtractorDecision | Sequence[ExtractorDecision | None] | None,
                   ) -> np.ndarray:
    """:func:`extractor_features` of each decision, side by side (one decision: its five columns)."""
    if decisions is None or isinstance(decisions, ExtractorDecision):
        return extractor_features(lines, decisions)
    return np.hstack([extractor_features(lines, each) for each in decisions]) if decisions else \
        np.zeros((len(lines), 0), dtype=np.float32)


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

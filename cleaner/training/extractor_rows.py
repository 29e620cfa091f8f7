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
from cleaner.text.extracted import EXTRACTOR_COLUMNS, GAP_CAP, NEAR, kept_features
from cleaner.text.page import Line

__all__ = [
    "EXTRACTOR_COLUMNS", "GAP_CAP", "NEAR", "PEERS", "ExtractorDecision", "extractor_decision", "extractor_features",
    "peer_columns", "peer_decision", "peers_features", "readability_text",
]

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
        return readability_text(html)
    except ImportError:
        warnings.warn("readability-lxml is not installed (the bench extra): its columns are zeros", stacklevel=3)
        return None


def readability_text(html: str) -> str:
    """readability-lxml's main content of ``html``, one block a line (clean's walk of its summary's HTML).

    Raises :class:`ImportError` without readability-lxml (the ``bench`` extra).
    """
    from readability import Document

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
    """The :data:`EXTRACTOR_COLUMNS` of non-blank ``lines`` (in page order); zeros but the gap when nothing kept.

    The computation is the text layer's (:func:`cleaner.text.extracted.kept_features`), the one the
    shipped ensemble model's detector runs on a page's :data:`~cleaner.text.extracted.EXTRACTOR_KEPT`.
    """
    return kept_features(lines, decision.kept if decision is not None else None)

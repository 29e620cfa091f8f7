"""Training rows from the dev sets' HTML: the walked whole-page text, its line labels, text + claim + DOM features.

Each page is decoded (:func:`~cleaner.inputs.html_source.decode_html`), parsed and walked with
the markup's evidence (:func:`~cleaner.inputs.html_dom.walk`), and becomes the :class:`Page`
the HTML path cleans (the whole-page text, the declared language, the evidence as a page fact).
Its lines are aligned to the gold (:func:`~cleaner.training.labels.align`) as the text dumps'
are; the rows are :data:`HTML_COLUMNS`: the text features, the claims, then the DOM's columns.
(Training stands on the inputs' rung of the layers, so it may read HTML itself.)
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cleaner.detectors.claims import claim_features
from cleaner.detectors.forest import ENSEMBLE_COLUMNS, HTML_COLUMNS
from cleaner.errors import InputError
from cleaner.inputs.decoding import check_line_length
from cleaner.inputs.html_dom import html_language, parse_html, walk
from cleaner.inputs.html_source import DecodedHtml, decode_html
from cleaner.text.dom import DOM_EVIDENCE, dom_features
from cleaner.text.features import line_features
from cleaner.text.language import LANGUAGE
from cleaner.text.page import Page
from cleaner.training.dataset import PageRows, labelled_rows, set_folder
from cleaner.training.extractor_rows import (
    ExtractorDecision,
    extractor_decision,
    peer_decision,
    peers_features,
)
from cleaner.training.labels import align

__all__ = [
    "ENSEMBLE_COLUMNS", "HTML_COLUMNS", "HtmlPage", "decoded", "html_page", "html_page_rows", "html_pages",
    "page_rows_of",
]

# HTML_COLUMNS (COLUMNS then DOM_NAMES) and ENSEMBLE_COLUMNS (then EXTRACTOR_COLUMNS) are declared beside the
# forest that reads them (cleaner.detectors.forest): the detectors build the same rows (content_model.model_rows).


@dataclass
class HtmlPage:
    """One dev page read from its HTML: the walked page (``None`` when it could not be read) and its gold."""

    set_name: str
    page_id: str
    page: Page | None
    gold: str
    extractor: ExtractorDecision | None = None  # trafilatura's decision, only when asked (html_pages(extractor=True))
    peers: tuple[ExtractorDecision, ...] = ()  # the asked peers' decisions (html_pages(peers=...)), in their order


def decoded(data: bytes) -> DecodedHtml:
    """The page's decoded HTML; bytes the decoder refuses (mixed encodings) as UTF-8 with replacements.

    The dev sets are scored on every page, so a page `clean` would refuse is still read, not dropped.
    """
    try:
        return decode_html(data)
    except InputError:
        return DecodedHtml(data.decode("utf-8", errors="replace"), "utf-8")


def html_page(data: bytes | DecodedHtml, page_id: str) -> Page | None:
    """The whole-page text of HTML ``data`` as a :class:`Page` with its DOM evidence; ``None`` if unreadable."""
    try:
        root = parse_html(data if isinstance(data, DecodedHtml) else decoded(data))
        walked = walk(root, evidence=True)
        text = check_line_length(walked.text)
    except InputError:
        return None
    if not text.strip() or walked.evidence is None:
        return None
    page = Page(text, page_id)
    page.facts.put(DOM_EVIDENCE, walked.evidence)
    language = html_language(root)
    if language:  # as the HTML path does (cleaner.inputs.html.whole_page): the declared language, not a guess
        page.facts.put(LANGUAGE, language)
    return page


def html_pages(shared: Path, name: str, extractor: bool = False, peers: Sequence[str] = ()) -> Iterator[HtmlPage]:
    """Every page of set ``name`` that has HTML, read (:func:`html_page`), with its gold.

    ``extractor``: trafilatura's decision too (:func:`~cleaner.training.extractor_rows.extractor_decision`);
    ``peers``: each named peer's (:func:`~cleaner.training.extractor_rows.peer_decision`).
    """
    folder = set_folder(shared, name)
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    for page_id in sorted(gold):
        path = folder / "html" / f"{page_id}.html"
        if path.is_file():
            source = decoded(path.read_bytes())  # once, for the walk and every extractor
            page = html_page(source, page_id)
            decision = extractor_decision(source, page.text) if extractor and page is not None else None
            chosen = tuple(peer_decision(peer, source, page.text) for peer in peers) if page is not None else ()
            yield HtmlPage(name, page_id, page, gold[page_id], decision, chosen)


def page_rows_of(set_name: str, page: Page, gold: str, kind: str = "html",
                 extractor: ExtractorDecision | Sequence[ExtractorDecision] | None = None) -> PageRows | None:
    """The rows of ``page`` (:data:`HTML_COLUMNS`), or ``None`` when its gold is not found in it.

    With ``extractor``, trafilatura's columns follow (:data:`ENSEMBLE_COLUMNS`); with several decisions, each one's.
    """
    labels = align([line.content for line in page.lines], gold)
    if labels.broken:
        return None
    lines, features = line_features(page)
    if not lines:
        return None
    x = np.hstack([features, claim_features(page, lines), dom_features(page, lines)])
    if extractor is not None:
        x = np.hstack([x, peers_features(lines, extractor)])
    return labelled_rows(set_name, page.source, kind, lines, x, labels)


def html_page_rows(item: HtmlPage, extractor: bool = False) -> PageRows | None:
    """The rows of a read dev page, ``None`` when it could not be read or its gold is broken.

    ``extractor``: with trafilatura's columns (:data:`ENSEMBLE_COLUMNS`; none kept when the page has no decision),
    or the page's peers' when it has them.
    """
    if item.page is None:
        return None
    decision = (item.peers or item.extractor or ExtractorDecision(None)) if extractor else None
    return page_rows_of(item.set_name, item.page, item.gold, extractor=decision)

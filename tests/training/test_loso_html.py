"""The HTML leave-one-set-out command's parts (cleaner.training.loso_html), on a page made here (no dev data)."""

from __future__ import annotations

import argparse

import numpy as np
import pytest
from conftest import HARBOUR_HTML, HARBOUR_PROSE

from cleaner.training.dataset import COLUMNS
from cleaner.training.extractor_rows import EXTRACTOR_COLUMNS, ExtractorDecision, extractor_decision
from cleaner.training.html_rows import ENSEMBLE_COLUMNS, HTML_COLUMNS, HtmlPage, decoded, html_page, html_page_rows
from cleaner.training.loso_html import ENGINES, _peers, _texts, bare_text, columns, oracle_text, text_only

PROSE, HTML = HARBOUR_PROSE, HARBOUR_HTML


def _links_out(rows: np.ndarray) -> np.ndarray:
    """A stand-in model: content unless the line's text lies inside links (the DOM's link density)."""
    assert rows.shape[1] == len(HTML_COLUMNS)
    return 1.0 - rows[:, HTML_COLUMNS.index("dom_link_density")]


def _trafilatura_keeps(rows: np.ndarray) -> np.ndarray:
    """A stand-in ensemble model: content where trafilatura keeps the line."""
    assert rows.shape[1] == len(ENSEMBLE_COLUMNS)
    return rows[:, ENSEMBLE_COLUMNS.index("ext_keeps")]


def test_text_only_rows_drop_the_dom_columns():
    rows = html_page_rows(HtmlPage("set", "p", html_page(HTML, "p"), PROSE))
    assert rows is not None and text_only(rows).x.shape[1] == len(COLUMNS) < rows.x.shape[1]


def test_columns_keep_the_first_ones():
    page = html_page(HTML, "p")
    assert page is not None
    item = HtmlPage("set", "p", page, PROSE, extractor_decision(decoded(HTML), page.text))
    rows = html_page_rows(item, extractor=True)
    assert rows is not None and rows.x.shape[1] == len(ENSEMBLE_COLUMNS)
    assert columns(rows, len(HTML_COLUMNS)).x.shape[1] == len(HTML_COLUMNS)


def test_bare_with_trafilatura_columns_follows_its_decision():
    page = html_page(HTML, "p")
    assert page is not None
    decision = extractor_decision(decoded(HTML), page.text)
    assert bare_text(_trafilatura_keeps, page, 0.5, decision) == PROSE
    assert bare_text(_trafilatura_keeps, page, 0.5, ExtractorDecision(None)) == ""


def test_bare_and_oracle_keep_their_lines():
    page = html_page(HTML, "p")
    assert page is not None
    bare = bare_text(_links_out, page, 0.5)
    assert PROSE in bare and "Home" not in bare and "Copyright" in bare
    assert oracle_text(page, PROSE) == PROSE


def test_every_engine_cleans_the_page_and_an_unread_page_is_empty():
    page = html_page(HTML, "p")
    assert page is not None
    item = HtmlPage("set", "p", page, PROSE, extractor_decision(decoded(HTML), page.text))
    models = (lambda rows: np.full(len(rows), 0.9), _links_out, _trafilatura_keeps)
    texts = _texts(item, models, 0.5)
    assert len(texts) == len(ENGINES) and all(PROSE in text for text in texts)
    assert texts[ENGINES.index("text + DOM + trafilatura, bare")] == PROSE
    assert _texts(HtmlPage("set", "q", None, PROSE), models, 0.5) == [""] * len(ENGINES)


def test_peers_option_takes_known_peers_only():
    assert _peers("trafilatura, readability") == ("trafilatura", "readability")
    with pytest.raises(argparse.ArgumentTypeError):
        _peers("trafilatura,boilerpipe")


def test_the_ensemble_reads_the_pages_peers_when_it_has_them():
    page = html_page(HTML, "p")
    assert page is not None
    peers = (extractor_decision(decoded(HTML), page.text), ExtractorDecision(None))
    item = HtmlPage("set", "p", page, PROSE, peers[0], peers)
    wide = len(HTML_COLUMNS) + 2 * len(EXTRACTOR_COLUMNS)

    def keeps(rows: np.ndarray) -> np.ndarray:
        assert rows.shape[1] in (len(COLUMNS), len(HTML_COLUMNS), wide)
        return np.ones(len(rows)) if rows.shape[1] < wide else rows[:, len(HTML_COLUMNS)]

    texts = _texts(item, [keeps, keeps, keeps], 0.5)
    assert PROSE in texts[ENGINES.index("text + DOM + trafilatura, bare")]

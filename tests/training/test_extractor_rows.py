"""trafilatura's decision as optional columns of the HTML rows (cleaner.training.extractor_rows)."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from cleaner.text.page import Page
from cleaner.training.extractor_rows import (
    EXTRACTOR_COLUMNS,
    GAP_CAP,
    PEERS,
    ExtractorDecision,
    extractor_decision,
    extractor_features,
    peer_columns,
    peer_decision,
    peers_features,
)
from cleaner.training.html_rows import ENSEMBLE_COLUMNS, HTML_COLUMNS, HtmlPage, decoded, html_page, html_page_rows

ARTICLE = ("The harbour board met on Tuesday evening and agreed, after a long debate about the cost of repairs, "
           "that the old pier would be rebuilt in stone before the summer season begins next year. ")
HTML = (f"<html lang='en'><head><title>Harbour news</title></head><body><nav><a href='/'>Home</a> "
        f"<a href='/news'>News</a></nav><article><p>{ARTICLE * 3}</p><p>{ARTICLE * 2}</p></article>"
        "<footer>Copyright the owners</footer></body></html>").encode()


def _column(x: np.ndarray, name: str) -> np.ndarray:
    return x[:, EXTRACTOR_COLUMNS.index(name)]


def test_the_features_read_kept_lines_their_neighbours_and_gaps():
    page = Page("a\nb\nc\nd\ne\n", "p")
    x = extractor_features(page.nonblank(), ExtractorDecision(frozenset({2, 3})))
    assert x.shape == (5, len(EXTRACTOR_COLUMNS))
    assert list(_column(x, "ext_keeps")) == [0, 1, 1, 0, 0] and set(_column(x, "ext_found")) == {1.0}
    assert list(_column(x, "ext_gap") * GAP_CAP) == [1, 0, 0, 1, 2]
    assert _column(x, "ext_near_share")[0] == 2 / 3  # of lines 2-4 (nothing left of it), 2 and 3 kept
    assert np.allclose(_column(x, "ext_page_share"), 0.4)


def test_nothing_kept_is_zeros_and_the_farthest_gap():
    page = Page("a\n\nb\n", "p")
    for decision in (None, ExtractorDecision(None)):
        x = extractor_features(page.nonblank(), decision)
        assert x.shape == (2, len(EXTRACTOR_COLUMNS)) and np.all(_column(x, "ext_gap") == 1.0)
        assert x[:, [0, 1, 2, 4]].sum() == 0
    assert extractor_features([], None).shape == (0, len(EXTRACTOR_COLUMNS))


def test_trafilatura_keeps_the_article_of_the_walked_page():
    page = html_page(HTML, "p")
    assert page is not None
    decision = extractor_decision(decoded(HTML), page.text)
    assert decision.kept and "harbour board" in decision.text
    kept = {page.lines[number - 1].content for number in decision.kept}
    assert any("harbour board" in line for line in kept) and not any("Home" in line for line in kept)
    assert extractor_decision(decoded(HTML), "another text").kept is None  # line numbers of another text: none


def test_the_rows_have_trafilatura_columns_only_when_asked():
    page = html_page(HTML, "p")
    assert page is not None
    item = HtmlPage("set", "p", page, ARTICLE.strip(), extractor_decision(decoded(HTML), page.text))
    plain, ensemble = html_page_rows(item), html_page_rows(item, extractor=True)
    assert plain is not None and plain.x.shape[1] == len(HTML_COLUMNS)
    assert ensemble is not None and ensemble.x.shape[1] == len(ENSEMBLE_COLUMNS) == len(HTML_COLUMNS) + 5
    assert np.array_equal(ensemble.x[:, : len(HTML_COLUMNS)], plain.x)
    keeps = ensemble.x[:, ENSEMBLE_COLUMNS.index("ext_keeps")]
    assert keeps.sum() >= 1 and set(keeps) <= {0.0, 1.0}
    undecided = html_page_rows(HtmlPage("set", "p", page, ARTICLE.strip()), extractor=True)
    assert undecided is not None and undecided.x[:, ENSEMBLE_COLUMNS.index("ext_keeps")].sum() == 0


def test_peer_columns_name_each_peers_five():
    assert peer_columns(["trafilatura"]) == EXTRACTOR_COLUMNS
    names = peer_columns(PEERS)
    assert len(names) == 3 * len(EXTRACTOR_COLUMNS) == len(set(names))
    assert "tdef_keeps" in names and "read_gap" in names


def test_trafilatura_defaults_keep_the_article_lines():
    page = html_page(HTML, "p")
    assert page is not None
    decision = peer_decision("trafilatura-defaults", decoded(HTML), page.text)
    assert decision.kept and ARTICLE.strip()[:40] in decision.text
    lines = page.text.split("\n")
    assert all(ARTICLE[:20] in lines[n - 1] for n in decision.kept)
    assert peer_decision("trafilatura", decoded(HTML), page.text) == extractor_decision(decoded(HTML), page.text)


def test_readability_keeps_the_article_lines():
    pytest.importorskip("readability")
    page = html_page(HTML, "p")
    assert page is not None
    decision = peer_decision("readability", decoded(HTML), page.text)
    assert decision.kept and all(ARTICLE[:20] in page.text.split("\n")[n - 1] for n in decision.kept)


def test_readability_missing_is_zeros_and_a_warning(monkeypatch):
    monkeypatch.setitem(sys.modules, "readability", None)  # import fails as when the bench extra is absent
    page = html_page(HTML, "p")
    assert page is not None
    with pytest.warns(UserWarning, match="readability-lxml"):
        decision = peer_decision("readability", decoded(HTML), page.text)
    assert decision.kept is None
    assert peers_features(page.nonblank(), [decision])[:, 0].sum() == 0


def test_peers_rows_carry_each_decision_side_by_side():
    page = html_page(HTML, "p")
    assert page is not None
    peers = tuple(peer_decision(peer, decoded(HTML), page.text) for peer in ("trafilatura", "trafilatura-defaults"))
    rows = html_page_rows(HtmlPage("set", "p", page, ARTICLE * 5, None, peers), extractor=True)
    assert rows is not None and rows.x.shape[1] == len(HTML_COLUMNS) + 2 * len(EXTRACTOR_COLUMNS)
    assert peers_features(page.nonblank(), []).shape == (len(page.nonblank()), 0)


def test_the_training_columns_are_the_text_layers_on_the_page_fact():
    """The rows the ensemble model was fitted on are the ones its detector builds from EXTRACTOR_KEPT."""
    from cleaner.text.extracted import EXTRACTOR_KEPT
    from cleaner.text.extracted import extractor_features as page_features

    pages = [html_page(HTML, "p"), html_page(HTML.replace(b"<footer>", b"<aside>Read more</aside><footer>"), "q")]
    for page in pages:
        assert page is not None
        source = HTML if page.source == "p" else HTML.replace(b"<footer>", b"<aside>Read more</aside><footer>")
        decision = extractor_decision(decoded(source), page.text)
        page.facts.put(EXTRACTOR_KEPT, decision.kept)
        lines = page.nonblank()
        assert decision.kept and np.array_equal(extractor_features(lines, decision), page_features(page, lines))
        rows = html_page_rows(HtmlPage("set", page.source, page, ARTICLE.strip(), decision), extractor=True)
        assert rows is not None and np.array_equal(rows.x[:, len(HTML_COLUMNS) :], page_features(page, lines))

"""Training rows from HTML (cleaner.training.html_rows): the walked page with its evidence, labelled by the gold."""

from __future__ import annotations

from cleaner.text.dom import DOM_EVIDENCE, WALKED_NAMES
from cleaner.text.language import LANGUAGE
from cleaner.training.dataset import COLUMNS
from cleaner.training.html_rows import HTML_COLUMNS, HtmlPage, decoded, html_page, html_page_rows

ARTICLE = ("The harbour board met on Tuesday evening and agreed, after a long debate about the cost of repairs, "
           "that the old pier would be rebuilt in stone before the summer season begins next year.")
HTML = (f"<html lang='en'><head><title>Harbour news</title></head><body><nav><a href='/'>Home</a> "
        f"<a href='/news'>News</a></nav><article><p>{ARTICLE}</p></article><footer>Copyright the owners</footer>"
        "</body></html>").encode()


def test_the_page_is_the_walked_text_with_its_evidence_and_declared_language():
    page = html_page(HTML, "p1")
    assert page is not None and page.source == "p1" and ARTICLE in page.text
    evidence = page.facts.get(DOM_EVIDENCE)
    assert evidence is not None and evidence.rows.shape == (len(page), len(WALKED_NAMES))
    assert page.facts.get(LANGUAGE) == "en"


def test_unreadable_bytes_give_no_page_and_mixed_encodings_still_decode():
    assert html_page(b"<html><body></body></html>", "empty") is None
    assert "caf" in decoded("<p>café</p>".encode() + b" \x92 <p>x</p>").text


def test_rows_have_text_claim_and_dom_columns_and_gold_labels():
    rows = html_page_rows(HtmlPage("set", "p1", html_page(HTML, "p1"), ARTICLE))
    assert rows is not None and rows.kind == "html" and rows.x.shape[1] == len(HTML_COLUMNS)
    assert HTML_COLUMNS[: len(COLUMNS)] == COLUMNS
    assert rows.y.sum() == 1 and rows.numbers[int(rows.y.argmax())] == 5  # the article, under the title and the nav
    assert html_page_rows(HtmlPage("set", "gone", None, ARTICLE)) is None

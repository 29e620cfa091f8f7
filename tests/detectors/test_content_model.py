"""The content model in the locator's place (cleaner.detectors.content_model), with a stand-in model."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import PROSE

from cleaner.detectors.claims import CLAIM_NAMES, claim_features
from cleaner.detectors.content_model import ContentModelDetector, model_rows
from cleaner.detectors.forest import COLUMNS, ENSEMBLE_COLUMNS, HTML_COLUMNS
from cleaner.detectors.registry import default_detectors
from cleaner.pipeline import clean_page
from cleaner.text.dom import DOM_EVIDENCE, dom_features
from cleaner.text.extracted import EXTRACTOR_KEPT, kept_features
from cleaner.text.features import FEATURE_NAMES
from cleaner.text.labels import Labels
from cleaner.text.page import Page

PROSE_COLUMN = FEATURE_NAMES.index("prose")
PAGE = "Home\nNews\n\n" + PROSE + "\n\nRelated\n\n" + PROSE.replace("harbour", "river") + "\n\nContact us\n"


def prose_only(rows: np.ndarray) -> np.ndarray:
    """A stand-in model: content exactly where a line reads as prose."""
    assert rows.shape[1] == len(FEATURE_NAMES) + len(CLAIM_NAMES)
    return rows[:, PROSE_COLUMN].astype(float)


def test_low_probability_runs_are_removed_and_several_stretches_kept():
    result = clean_page(Page(PAGE), [ContentModelDetector(prose_only)])
    assert result.text.count("Residents of the") == 2  # both prose stretches stay: not one stretch only
    removed = {span.text.strip() for span in result.removed if span.detector == "main-body"}
    assert {"Home\nNews", "Related", "Contact us"} <= removed
    assert all(span.rule == "MODEL1" and span.reason for span in result.removed if span.detector == "main-body")


def test_the_article_position_spans_the_kept_lines():
    found = list(ContentModelDetector(prose_only).detect(Page(PAGE), Labels(size=10)))
    assert found[0].body == (4, 8)


def test_it_stands_in_for_the_locator_in_the_default_order():
    detectors = [ContentModelDetector(prose_only) if d.name == "main-body" else d for d in default_detectors()]
    assert "Residents of the" in clean_page(Page(PAGE), detectors).text


def test_claims_mark_what_the_specific_detectors_labelled():
    page = Page("We use cookies. Accept all cookies to continue.\n\n" + PROSE + "\n")
    lines = [line for line in page.lines if not line.is_blank]
    rows = claim_features(page, lines)
    assert rows[0, CLAIM_NAMES.index("claimed_cookies")] == 1.0 and rows[1, :7].sum() == 0.0


def test_the_locator_with_the_model_keeps_a_second_stretch_the_model_is_sure_of():
    from cleaner.detectors.content_model import LocatorWithModel

    menu = "\n".join(f"Menu item {n}" for n in range(12))
    second = PROSE.replace("harbour", "valley")
    page = Page("Home\n\n" + PROSE + "\n\n" + menu + "\n\n" + second + "\n")
    alone = clean_page(page, [d for d in default_detectors() if d.name == "main-body"]).text
    both = clean_page(Page(page.text), [LocatorWithModel(prose_only)]).text
    assert "valley" not in alone and "valley" in both  # the locator keeps one stretch; the model rescues the other
    assert "Menu item 3" not in both


def thread(posts: int) -> str:
    """A forum thread: posts of running text, each under a poster's name and over a Reply link."""
    topics = ("harbour", "valley", "river", "meadow", "forest")
    parts = [f"poster_{n}\nMember\n\n{PROSE.replace('harbour', topics[n])}\n\nReply\n" for n in range(posts)]
    return "Forums\nLog in\n\n" + "\n".join(parts) + "\nContact us\n"


def test_the_model_decides_a_page_whose_content_lies_mostly_outside_the_locators_stretch():
    from cleaner.detectors.content_model import LocatorWithModel

    result = clean_page(Page(thread(3)), [LocatorWithModel(prose_only)])
    assert all(topic in result.text for topic in ("harbour", "valley", "river"))  # every post, not the first only
    replies = [span for span in result.removed if span.text.strip().startswith("Reply")]
    assert replies and all(span.rule == "MODEL3" and "the model decides the page" in span.reason for span in replies)


def test_the_locators_stretch_stands_when_it_holds_most_of_what_the_model_takes_for_content():
    from cleaner.detectors.content_model import LocatorWithModel

    result = clean_page(Page(thread(1)), [LocatorWithModel(prose_only)])
    assert "harbour" in result.text and not any(span.rule == "MODEL3" for span in result.removed)


def test_the_model_never_cuts_the_rows_of_a_table_the_locator_took_in():
    from cleaner.detectors.content_model import LocatorWithModel

    table = "Pos Club P Pts\n1 Harbour United 22 49\n2 Millbrook Rovers 21 49\n3 Eastfield Town 22 39"
    page = Page("Home\n\n" + PROSE + "\n\n" + table + "\n\n" + PROSE.replace("harbour", "valley") + "\n\nContact us\n")
    result = clean_page(page, [LocatorWithModel(prose_only)])  # the stand-in gives every table row 0.0
    assert "2 Millbrook Rovers 21 49" in result.text and "valley" in result.text
    assert not any(span.rule == "MODEL2" for span in result.removed)


LOG_WORDS_COLUMN = FEATURE_NAMES.index("log_words")


def short_lines_sure(rows: np.ndarray) -> np.ndarray:
    """A stand-in model sure of the short lines (under six words) and unsure of the long ones."""
    return np.where(rows[:, LOG_WORDS_COLUMN] < np.log1p(6), 0.9, 0.3)


def test_a_few_words_outside_the_stretch_do_not_let_the_model_decide_the_page():
    from cleaner.detectors.content_model import DECIDES_MIN_WORDS, LocatorWithModel

    # The model is unsure of the article (0.3) and sure of a five-word dateline above it: five words
    # are no evidence that the content lies elsewhere, so the locator's stretch stands.
    page = Page("Nov. 18, 2019 7:04 pm ET\n\n" + PROSE + "\n")
    result = clean_page(page, [LocatorWithModel(short_lines_sure)])
    assert "Residents of the" in result.text and not any(span.rule == "MODEL3" for span in result.removed)
    assert DECIDES_MIN_WORDS > 5


def test_the_model_never_cuts_the_whole_stretch_away():
    from cleaner.detectors.content_model import LocatorWithModel

    # A text browser's table row holding the article beside the menu: the model gives it 0.05,
    # under the cut, but cutting it would leave the page empty: the stretch stays whole.
    page = Page("Home\n\n" + PROSE + "\n\nContact us\n")
    result = clean_page(page, [LocatorWithModel(lambda rows: np.full(len(rows), 0.05))])
    assert "Residents of the" in result.text and not any(span.rule == "MODEL2" for span in result.removed)


def test_the_model_still_cuts_a_few_lines_inside_the_stretch():
    from cleaner.detectors.content_model import LocatorWithModel

    # Short lines inside the article (a "Advertisement" label) are cut: they hold few of its words.
    page = Page("Home\n\n" + PROSE + "\nAdvertisement\n" + PROSE.replace("harbour", "valley") + "\n\nContact us\n")
    result = clean_page(page, [LocatorWithModel(lambda rows: np.where(rows[:, LOG_WORDS_COLUMN] < 2, 0.05, 0.9))])
    assert "valley" in result.text and "Advertisement" not in result.text
    assert any(span.rule == "MODEL2" for span in result.removed)


def test_a_probability_next_to_its_bound_is_shown_with_a_third_decimal():
    from cleaner.detectors.content_model import shown

    assert shown(0.0996, 0.10) == "0.0996" and shown(0.0949, 0.10) == "0.09" and shown(0.101, 0.10) == "0.101"
    assert shown(0.5, 0.85) == "0.50"


def html_page() -> Page:
    """A walked HTML page with its DOM evidence (a menu, an article), as the HTML path reads it."""
    from cleaner.inputs.html_dom import parse_html, walk

    walked = walk(parse_html(f"<html><body><nav><a href='/'>Home</a> <a href='/n'>News</a></nav>"
                             f"<article><p>{PROSE}</p><p>{PROSE}</p></article></body></html>"), evidence=True)
    page = Page(walked.text, "p.html")
    page.facts.put(DOM_EVIDENCE, walked.evidence)
    return page


def test_model_rows_are_as_wide_as_the_columns_the_model_names():
    page = html_page()
    labels = Labels(size=len(page))
    text_lines, text_rows = model_rows(page, labels)
    for columns in (COLUMNS, HTML_COLUMNS, ENSEMBLE_COLUMNS):
        lines, rows = model_rows(page, labels, columns)
        assert lines == text_lines and rows.shape == (len(lines), len(columns)) and rows.dtype == np.float64
        assert np.array_equal(rows[:, : len(COLUMNS)], text_rows)  # the text's columns first, the same values
    lines, rows = model_rows(page, labels, HTML_COLUMNS)
    assert np.array_equal(rows[:, len(COLUMNS) :], dom_features(page, lines))
    assert rows[:, HTML_COLUMNS.index("dom_in_nav")].tolist()[0] == 1.0  # the menu line
    _, rows = model_rows(page, labels, ENSEMBLE_COLUMNS)
    assert np.array_equal(rows[:, len(HTML_COLUMNS) :], kept_features(lines, None))  # no trafilatura fact: none kept
    page.facts.put(EXTRACTOR_KEPT, frozenset({lines[1].number}))
    _, rows = model_rows(page, labels, ENSEMBLE_COLUMNS)
    assert rows[:, ENSEMBLE_COLUMNS.index("ext_keeps")].tolist() == [0.0, 1.0, 0.0]


def test_model_rows_refuse_unknown_columns_and_html_columns_without_evidence():
    with pytest.raises(ValueError, match="no rows for a model of 3 features"):
        model_rows(html_page(), Labels(size=10), ("a", "b", "c"))
    page = Page(PAGE, "dump.txt")
    with pytest.raises(ValueError, match="needs the markup's evidence") as caught:
        model_rows(page, Labels(size=len(page)), HTML_COLUMNS)
    assert "\n" not in str(caught.value) and "dump.txt" in str(caught.value)
    assert model_rows(page, Labels(size=len(page)))[1].shape[1] == len(COLUMNS)  # the text model reads no markup


def test_a_bare_predictor_reads_the_text_columns_and_explains_nothing():
    detector = ContentModelDetector(prose_only)
    assert detector.columns == COLUMNS and detector.model_version == "unversioned"
    result = clean_page(Page(PAGE), [detector])
    assert {span.reason for span in result.removed} == {"learned model: content probability 0.00 (< 0.50)",
                                                         "learned model: content probability 0.00 on average (< 0.50)"}


def test_the_title_elements_line_is_cut_even_when_the_model_keeps_it():
    from cleaner.inputs.html_dom import parse_html, walk

    walked = walk(parse_html(f"<html><head><title>Harbour news | Courier</title></head><body>"
                             f"<h1>Harbour news</h1><p>{PROSE}</p></body></html>"), evidence=True)
    page = Page(walked.text, "t.html")
    page.facts.put(DOM_EVIDENCE, walked.evidence)
    result = clean_page(page, [ContentModelDetector(lambda rows: np.full(len(rows), 0.9))])  # keeps every line
    assert [(span.rule, span.text.strip()) for span in result.removed] == [("MODEL4", "Harbour news | Courier")]
    assert result.text.startswith("Harbour news\n") and PROSE in result.text
    text_page = clean_page(Page(walked.text, "t.txt"), [ContentModelDetector(lambda rows: np.full(len(rows), 0.9))])
    assert not text_page.removed  # a text page has no <title> element: its first line is judged as any other

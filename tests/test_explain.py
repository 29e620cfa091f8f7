"""explain_line: the verdict on one line agrees with the output, and names the labels and signals behind it."""


import pytest
from conftest import FIXTURES, seed_files
from test_config import CREDIT, PAGE, PARAGRAPHS, PHRASES, PROMPT

from cleaner import clean_file, clean_text, explain_file, explain_line
from cleaner.detectors.html_extractor import HtmlExtractorDetector
from cleaner.explain import LineOutOfRange, format_explanation
from cleaner.options import Options
from cleaner.text.page import Page


def removed_lines(text: str, **options) -> set[int]:
    return {n for s in clean_text(text, **options).removed for n in range(s.first_line, s.last_line + 1)}


def test_verdicts_agree_with_the_output_on_every_line():
    gone = removed_lines(PAGE)
    for number in range(1, len(Page(PAGE)) + 1):
        explanation = explain_line(PAGE, number)
        assert explanation.kept == (number not in gone), number
        assert (explanation.decided_by is None) == explanation.kept


def test_verdicts_agree_with_the_output_on_a_seed():
    text = seed_files()[0].read_text(encoding="utf-8")
    gone = removed_lines(text)
    numbers = range(1, len(Page(text)) + 1, 7)
    for explanation in explain_file(seed_files()[0], numbers):
        assert explanation.kept == (explanation.number not in gone), explanation.number


def test_removed_menu_line_names_detector_rule_and_the_generic_cut_it_replaced():
    explanation = explain_line(PAGE, 2)  # "Home": before the article, and a menu
    assert not explanation.kept and explanation.text == "Home"
    assert (explanation.decided_by.detector, explanation.decided_by.rule) == ("navigation", "NAV2")
    assert explanation.decided_by.rule_summary  # the rule's meaning, from the detector's declaration
    assert [v.detector for v in explanation.overridden] == ["main-body"]
    assert explanation.main_body.body is not None and not explanation.main_body.inside
    assert explanation.main_body.score < 0


def test_a_specific_label_stays_when_the_generic_cut_comes_later():
    last = len(Page(PAGE))  # the copyright line: footer runs before the main-body locator
    explanation = explain_line(PAGE, last)
    assert explanation.decided_by.detector == "footer"
    assert "main-body" in [v.detector for v in explanation.also_matched]
    assert explanation.main_body.labelled_before


def test_kept_prose_line_shows_its_signals_and_body_score():
    explanation = explain_line(PAGE, 8)
    assert explanation.kept and explanation.text == PARAGRAPHS[0]
    sig = explanation.signals
    assert sig.is_prose and sig.sentence_end and sig.words > 15 and sig.stopword_ratio >= sig.stopword_floor
    assert explanation.language == "en" and explanation.headline == 6
    assert explanation.main_body.inside and explanation.main_body.score > 0
    text = format_explanation(explanation, "page.txt")
    assert "verdict       kept" in text and "prose         yes" in text and "line          8 of page.txt" in text
    assert "this line is inside it" in text


def test_blank_line_has_no_signals():
    explanation = explain_line(PAGE, 7)
    assert explanation.signals is None and explanation.main_body.score is None
    assert "(blank)" in format_explanation(explanation)


def test_config_and_selection_are_explained_as_they_clean():
    assert explain_line(PAGE, PROMPT).kept
    configured = explain_line(PAGE, PROMPT, options=PHRASES)
    assert configured.decided_by.detector == "signup"
    assert explain_line(PAGE, CREDIT, options=PHRASES).decided_by.detector == "captions"
    without = explain_line(PAGE, 2, options=Options(skip=("navigation",)))
    assert without.decided_by.detector == "main-body" and without.overridden == ()
    assert explain_line(PAGE, 2, skip=["main-body", "navigation"]).main_body is None


@pytest.mark.parametrize("number", [0, -1, 23])
def test_out_of_range_is_a_one_line_error(number):
    with pytest.raises(LineOutOfRange, match=r"line -?\d+ is out of range: the page has 22 lines"):
        explain_line(PAGE, number)


@pytest.mark.parametrize("name", ["html/harbour_article.html", "html-extractor/allotment_blog.html"])
def test_html_verdicts_name_the_reports_spans_on_every_line(name):
    # One run, observed: a line's verdict is the report's span (in whole-page numbers), inside
    # the html-extractor's scope and outside it.
    path = FIXTURES / name
    result = clean_file(path)
    spans = {n: span for span in result.removed for n in range(span.first_line, span.last_line + 1)}
    numbers = range(1, result.lines_total + 1)
    for explanation in explain_file(path, numbers):
        span = spans.get(explanation.number)
        assert explanation.kept == (span is None), explanation.number
        if span is not None:
            decided = explanation.decided_by
            assert (decided.detector, decided.first_line, decided.last_line) == (
                span.detector, span.first_line, span.last_line), explanation.number
        if span is not None and span.detector == "html-extractor":
            assert explanation.main_body is None and explanation.notes == (HtmlExtractorDetector.outside_note,)

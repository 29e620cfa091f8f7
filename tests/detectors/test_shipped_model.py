"""The shipped content model as the default main-body decision (cleaner.detectors.content_model, registry)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import FIXTURES, MODEL_PAGE, PROSE, stand_in_forest_content

from cleaner.detectors import content_model
from cleaner.detectors.content_model import (
    ENSEMBLE_MODEL_FILE,
    FAVOR_PROBABILITIES,
    HTML_MODEL_FILE,
    MODEL_FILE,
    ContentModelDetector,
    LocatorWithModel,
    describe,
    feature_words,
    shipped_html_model,
    shipped_model,
    top_features,
)
from cleaner.detectors.forest import BIAS, COLUMNS, ENSEMBLE_COLUMNS, HTML_COLUMNS, Forest, ModelFileError
from cleaner.detectors.main_body import MainBodyDetector
from cleaner.detectors.registry import default_detectors, html_model_detectors
from cleaner.pipeline import clean_page
from cleaner.text.dom import DOM_EVIDENCE
from cleaner.text.extracted import EXTRACTOR_KEPT
from cleaner.text.page import Page


def main_body(detectors: list) -> object:
    return next(d for d in detectors if d.name == "main-body")


def test_the_shipped_model_is_package_data_small_and_made_for_these_features():
    assert MODEL_FILE.is_file() and MODEL_FILE.stat().st_size < 2_000_000
    model = shipped_model()
    assert model.features == COLUMNS and model.model_version.startswith("content-")
    assert model.training["sets"] and model.training["pages"] > 1000
    assert model.depth <= 8  # the shape chosen for its cost (README: the model section)


def test_the_model_is_read_once_per_process():
    assert shipped_model() is shipped_model()
    first, second = main_body(default_detectors()), main_body(default_detectors("precision"))
    assert first.model is second.model is shipped_model()


def test_the_default_main_body_decision_is_the_locator_with_the_model():
    detector = main_body(default_detectors())
    assert isinstance(detector, LocatorWithModel) and (detector.rescue, detector.cut) == FAVOR_PROBABILITIES["balanced"]
    assert type(main_body(default_detectors(content_model=False))) is MainBodyDetector
    assert all(d.name != "main-body" for d in default_detectors(skip=["main-body"]))


def test_favor_moves_the_model_thresholds_both_ways():
    (p_rescue, p_cut), (b_rescue, b_cut), (r_rescue, r_cut) = (
        FAVOR_PROBABILITIES[f] for f in ("precision", "balanced", "recall"))
    assert p_rescue > b_rescue > r_rescue and p_cut > b_cut > r_cut
    for favor in ("precision", "recall"):
        detector = main_body(default_detectors(favor))
        assert (detector.rescue, detector.cut) == FAVOR_PROBABILITIES[favor]


def test_every_feature_has_words_for_low_and_high_values():
    words = feature_words()
    assert set(words) == set(ENSEMBLE_COLUMNS)  # the text's, the DOM's and trafilatura's: every model's columns
    assert all(word.low and word.high and word.low != word.high for word in words.values())
    assert describe("link_density", -1.26, 0.8) == "link-like (much link text) (-1.3)"
    assert describe("link_density", 0.4, 0.0) == "little link text (+0.4)"
    assert describe("log_words", -0.5, 0.7) == "a short line (few words) (-0.5)"  # one word: log1p(1)


def test_top_features_by_size_and_side():
    parts = {BIAS: -5.0, "a": -1.0, "b": 0.5, "c": -2.0, "d": 0.1}
    assert top_features(parts, 2) == [("c", -2.0), ("a", -1.0)]
    assert top_features(parts, 3, sign=1) == [("b", 0.5), ("d", 0.1)]


def test_a_cut_inside_the_article_names_probability_and_features(stand_in_model):
    result = clean_page(Page(MODEL_PAGE), default_detectors())
    cut = next(span for span in result.removed if span.rule == "MODEL2")
    assert cut.first_line == cut.last_line == 4 and "Harbour notes" in cut.text
    assert cut.reason == "learned model: content probability 0.05 (< 0.10): does not read like prose (-3.0)"


def test_outside_the_article_the_sure_lines_are_kept_and_the_cut_says_the_mean(stand_in_model):
    result = clean_page(Page(MODEL_PAGE), default_detectors())
    assert "valley" in result.text and "Menu item 3" not in result.text  # rescued; the menu stays cut
    after = next(span for span in result.removed if span.rule == "BODY2")
    assert after.reason.startswith("after the article;")
    assert "learned model: content probability 0.05 on average over lines 6-19 (12 read" in after.reason
    alone = clean_page(Page(MODEL_PAGE), default_detectors(content_model=False))
    assert "valley" not in alone.text and "Harbour notes" in alone.text


def test_the_lines_a_specific_detector_labelled_are_not_read():
    def no_reading(rows):
        raise AssertionError(f"read {len(rows)} rows")

    page = Page("We use cookies. Accept all cookies to continue.\n")
    detector = LocatorWithModel(no_reading)
    from cleaner.detectors.cookies import CookieNoticeDetector

    assert "cookies" in clean_page(page, [CookieNoticeDetector(), detector]).removed[0].text


def test_the_headline_cut_by_no_title_is_never_rescued():
    text = "Cruise ships banned from the harbour\n\n" + PROSE + "\n\n" + PROSE.replace("harbour", "port") + "\n"
    sure_of_everything = LocatorWithModel(lambda rows: np.ones(len(rows)), keep_title=False)
    result = clean_page(Page(text), [sure_of_everything])
    assert [span.rule for span in result.removed] == ["BODY3"] and "Cruise ships" not in result.text


def test_a_missing_or_foreign_model_file_is_one_line(tmp_path):
    with pytest.raises(ModelFileError) as missing:
        Forest.load(tmp_path / "none.json")
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"format": "cleaner-forest", "format_version": 99}), encoding="utf-8")
    with pytest.raises(ModelFileError) as foreign:
        Forest.load(other)
    assert "\n" not in str(missing.value) and "\n" not in str(foreign.value)
    assert "format version 99" in str(foreign.value)


def test_skipping_main_body_needs_no_model(monkeypatch, tmp_path):
    monkeypatch.setattr(content_model, "MODEL_FILE", tmp_path / "missing.json")
    content_model.shipped_model.cache_clear()
    try:
        assert all(d.name != "main-body" for d in default_detectors(skip=["main-body"]))
        with pytest.raises(ModelFileError):
            default_detectors()
    finally:
        content_model.shipped_model.cache_clear()


def test_every_way_in_cleans_with_the_one_shipped_model():
    """Folder and corpus runs, their workers and the datatrove step all build their detectors here."""
    from cleaner.options import Options
    from cleaner.runs.page import pipeline_for

    detector = main_body(pipeline_for(Options()))
    assert isinstance(detector, LocatorWithModel) and detector.model is shipped_model()
    assert all(d.name != "main-body" for d in pipeline_for(Options(skip=("main-body",))))


# -- The HTML content models (issue 15): text + DOM, and text + DOM + trafilatura's decision.

HTML_PAGE = FIXTURES / "html" / "harbour_gazette.html"  # a header, a menu <nav>, an <article>, a <footer>


def walked_page(kept: frozenset[int] | None = None, *, evidence: bool = True) -> Page:
    """The fixture as the HTML path reads it: the whole-page text with its DOM evidence (and trafilatura's lines)."""
    from cleaner.inputs.html_dom import parse_html, walk

    walked = walk(parse_html(HTML_PAGE.read_text(encoding="utf-8")), evidence=True)
    page = Page(walked.text, "harbour_gazette.html")
    if evidence:
        page.facts.put(DOM_EVIDENCE, walked.evidence)
    if kept is not None:
        page.facts.put(EXTRACTOR_KEPT, kept)
    return page


def numbers_of(page: Page, words: str) -> list[int]:
    return [line.number for line in page.lines if words in line.content]


@pytest.mark.parametrize(("ensemble", "columns", "version"), [
    (False, HTML_COLUMNS, "content-html-"), (True, ENSEMBLE_COLUMNS, "content-html-trafilatura-")])
def test_the_shipped_html_models_are_small_versioned_and_read_once(ensemble, columns, version):
    path = ENSEMBLE_MODEL_FILE if ensemble else HTML_MODEL_FILE
    assert path.is_file() and path.stat().st_size < 300_000
    model = shipped_html_model(ensemble)
    assert model is shipped_html_model(ensemble) and model is not shipped_model()
    assert model.features == columns and model.model_version.startswith(version)
    assert model.model_version[len(version):].isalnum()  # the hash, not a further name part
    assert model.training["kinds"] == ["html"] and model.training["pages"] > 1000
    assert model.training["params"]["min_data_in_leaf"] == 200 and model.depth <= 8


def test_a_model_file_for_other_columns_is_refused_in_one_line(tmp_path, monkeypatch):
    path = tmp_path / "content_html.json"
    path.write_text(json.dumps(stand_in_forest_content()), encoding="utf-8")  # a text model's columns
    monkeypatch.setattr(content_model, "HTML_MODEL_FILE", path)
    shipped_html_model.cache_clear()
    try:
        with pytest.raises(ModelFileError, match="features are not this cleaner's") as caught:
            shipped_html_model(False)
        assert "\n" not in str(caught.value)
    finally:
        shipped_html_model.cache_clear()


@pytest.mark.parametrize("ensemble", [False, True])
def test_the_html_model_keeps_the_article_and_cuts_the_menu_and_footer(ensemble):
    page = walked_page()
    kept = frozenset(n for words in ("harbour board", "Residents", "contractor") for n in numbers_of(page, words))
    if ensemble:
        page.facts.put(EXTRACTOR_KEPT, kept)
    result = clean_page(page, html_model_detectors(ensemble))
    for words in ("The harbour board met", "Residents who had", "The board will publish"):
        assert words in result.text
    for words in ("Sport", "Weather", "Copyright 2024", "Privacy"):
        assert words not in result.text
    alone = clean_page(walked_page(kept if ensemble else None), [ContentModelDetector(shipped_html_model(ensemble))])
    menu = next(span for span in alone.removed if "Weather" in span.text)
    assert menu.rule == "MODEL1" and menu.detector == "main-body" and "Opinion" in menu.text
    assert menu.reason.startswith("learned model: content probability") and "(-" in menu.reason  # what pushed it


def test_keep_title_false_cuts_the_headline_the_model_keeps():
    page = walked_page()
    result = clean_page(page, html_model_detectors(keep_title=False))
    headline = numbers_of(page, "Pier to be rebuilt in stone")[-1]  # (the first is the <title> line)
    cut = next(span for span in result.removed if span.first_line == headline)
    assert cut.rule == "BODY3" and "The harbour board met" in result.text


def test_an_html_model_on_a_page_without_dom_evidence_is_a_one_line_error():
    with pytest.raises(ValueError, match="markup's evidence") as caught:
        clean_page(walked_page(evidence=False), html_model_detectors())
    assert "\n" not in str(caught.value)
    assert "The harbour board met" in clean_page(walked_page(evidence=False), default_detectors()).text  # text: as ever


def test_the_html_detectors_are_the_default_ones_with_the_model_in_the_locators_place():
    names = [d.name for d in default_detectors()]
    for ensemble in (False, True):
        detectors = html_model_detectors(ensemble)
        assert [d.name for d in detectors] == names
        body = main_body(detectors)
        assert isinstance(body, ContentModelDetector) and body.model is shipped_html_model(ensemble)
        assert body.threshold == 0.5 and body.model_version == shipped_html_model(ensemble).model_version
    assert all(d.name != "main-body" for d in html_model_detectors(skip=["main-body"]))
    assert [d.name for d in html_model_detectors(only=["footer", "main-body"])] == ["footer", "main-body"]
    with pytest.raises(ValueError, match="unknown threshold"):
        html_model_detectors(thresholds={"nope": 1.0})
    assert type(main_body(default_detectors())) is LocatorWithModel  # the text path is unchanged


def test_skipping_main_body_reads_no_html_model(monkeypatch, tmp_path):
    monkeypatch.setattr(content_model, "HTML_MODEL_FILE", tmp_path / "missing.json")
    shipped_html_model.cache_clear()
    try:
        assert all(d.name != "main-body" for d in html_model_detectors(skip=["main-body"]))
        with pytest.raises(ModelFileError):
            html_model_detectors()
    finally:
        shipped_html_model.cache_clear()

"""The shipped content model as the default main-body decision (cleaner.detectors.content_model, registry)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import MODEL_PAGE, PROSE

from cleaner.detectors import content_model
from cleaner.detectors.content_model import (
    FAVOR_PROBABILITIES,
    MODEL_FILE,
    LocatorWithModel,
    describe,
    feature_words,
    shipped_model,
    top_features,
)
from cleaner.detectors.forest import BIAS, COLUMNS, Forest, ModelFileError
from cleaner.detectors.main_body import MainBodyDetector
from cleaner.detectors.registry import default_detectors
from cleaner.pipeline import clean_page
from cleaner.text.dom import DOM_NAMES
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
    assert set(words) == set(COLUMNS) | set(DOM_NAMES)  # the DOM's columns: the HTML model's (issue 15)
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

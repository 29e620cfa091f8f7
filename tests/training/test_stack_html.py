"""The second stage's leave-one-set-out parts (cleaner.training.stack_html), on a page made here (no dev data)."""

from __future__ import annotations

import argparse

import numpy as np
from conftest import HARBOUR_HTML, HARBOUR_PROSE

from cleaner.pipeline import clean_page
from cleaner.text.page import Page
from cleaner.training.html_rows import HTML_COLUMNS, HtmlPage, html_page, html_page_rows
from cleaner.training.loso import model_pipeline
from cleaner.training.stack_features import STACK_NAMES
from cleaner.training.stack_html import (
    STAGE2,
    _pipeline_predict,
    add_stack_arguments,
    engines,
    fit_stage2,
    stack_rows,
    stacked_text,
)

PROSE, HTML = HARBOUR_PROSE, HARBOUR_HTML


def _links_out(rows: np.ndarray) -> np.ndarray:
    """A stand-in stage 1: content unless the line's text lies inside links."""
    assert rows.shape[1] == len(HTML_COLUMNS)
    return 1.0 - rows[:, HTML_COLUMNS.index("dom_link_density")] * 0.4


def _stage2(rows: np.ndarray) -> np.ndarray:
    """A stand-in stage 2: stage 1's P, kept only where it is the page's highest."""
    assert rows.shape[1] == len(HTML_COLUMNS) + len(STACK_NAMES)
    p = rows[:, len(HTML_COLUMNS) + STACK_NAMES.index("stack_p")]
    return (p >= rows[:, len(HTML_COLUMNS) + STACK_NAMES.index("stack_page_max")]).astype(float)


def test_stack_rows_add_the_second_stage_columns():
    page = html_page(HTML, "p")
    rows = html_page_rows(HtmlPage("set", "p", page, PROSE))
    assert page is not None and rows is not None
    stacked = stack_rows(rows, page, np.full(len(rows.y), 0.5))
    assert stacked.x.shape == (len(rows.y), len(HTML_COLUMNS) + len(STACK_NAMES))


def test_each_engine_bare_and_with_the_detectors():
    page = html_page(HTML, "p")
    assert page is not None
    found = engines({"stacked": _stage2}, (1,), (0.9,), 0.5)
    assert list(found) == ["stage 1", "stacked", "stacked, blend", "window 1", "relative 0.9"]
    assert "Home" in stacked_text(_links_out, found["stage 1"], page, 0.5)
    assert stacked_text(_links_out, found["stacked"], page, 0.5).count("\n") == 2  # title, prose, footer
    assert "Home" not in stacked_text(_links_out, found["relative 0.9"], page, 0.5)
    for transform in found.values():
        detectors = model_pipeline(_pipeline_predict(_links_out, transform, page), 0.5)
        assert PROSE in clean_page(page, detectors).text


def test_the_options_parse_lists():
    parser = argparse.ArgumentParser()
    add_stack_arguments(parser)
    args = parser.parse_args(["--stack", "--windows", "1,3", "--relative", "0.6", "--stage2", "residual; stacked"])
    assert args.stack and args.windows == (1, 3) and args.relative == (0.6,)
    assert args.stage2 == ("residual", "stacked")


def test_each_second_stage_fits_and_predicts_probabilities():
    page = html_page(HTML, "p")
    rows = html_page_rows(HtmlPage("set", "p", page, PROSE))
    assert page is not None and rows is not None
    stacked = [stack_rows(rows, page, np.linspace(0.2, 0.8, len(rows.y)))] * 4
    parser = argparse.ArgumentParser()
    add_stack_arguments(parser)
    args = parser.parse_args([])
    args.rounds, args.seed, args.residual_rounds, args.residual_rate = 3, 7, 3, 0.1
    args.num_leaves, args.max_depth, args.min_data_in_leaf, args.learning_rate, args.threads = 3, 2, 1, 0.2, 1
    for variant in STAGE2:
        predict, gain = fit_stage2(stacked, variant, args)
        p = predict(stacked[0].x)
        assert p.shape == (len(rows.y),) and ((p >= 0) & (p <= 1)).all()
        assert gain.shape == (len(HTML_COLUMNS) + len(STACK_NAMES),)


def test_hysteresis_keeps_a_run_that_holds_a_sure_line():
    found = engines({}, (), (), 0.5, (0.3,))
    p = np.array([0.4, 0.6, 0.35, 0.1, 0.45, 0.2])
    kept = found["hysteresis 0.3"](Page("x\n"), [], np.zeros((6, 1)), p) >= 0.5
    assert kept.tolist() == [True, True, True, False, False, False]

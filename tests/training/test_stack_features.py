"""The second stage's columns (cleaner.training.stack_features): windows, the page, the enclosing elements."""

from __future__ import annotations

import numpy as np

from cleaner.text.page import Page
from cleaner.training.html_rows import html_page
from cleaner.training.stack_features import STACK_NAMES, STACK_WORDS, stack_features

HTML = (b"<html><body><nav><ul><li><a href='/'>Home</a></li><li><a href='/n'>News</a></li></ul></nav>"
        b"<div><p>The first paragraph of the story.</p><p>The second one.</p></div>"
        b"<footer>Contact</footer></body></html>")


def _column(rows: np.ndarray, name: str) -> list[float]:
    return np.round(rows[:, STACK_NAMES.index(name)], 4).tolist()


def test_every_column_has_words():
    assert set(STACK_WORDS) == set(STACK_NAMES)


def test_windows_and_neighbours_over_the_lines():
    page = Page("a\nb\n\nc\nd\ne\n")
    rows = stack_features(page, page.nonblank(), np.array([0.1, 0.2, 0.9, 0.8, 0.3]))
    assert rows.shape == (5, len(STACK_NAMES))
    assert _column(rows, "stack_mean1") == [0.15, 0.4, 0.6333, 0.6667, 0.55]
    assert _column(rows, "stack_max3") == [0.9, 0.9, 0.8, 0.9, 0.9]  # the line itself left out
    assert _column(rows, "stack_min3") == [0.2, 0.1, 0.1, 0.1, 0.2]
    assert _column(rows, "stack_prev")[:2] == [-1.0, 0.1] and _column(rows, "stack_next")[-1] == -1.0
    assert _column(rows, "stack_rank") == [0.0, 0.25, 1.0, 0.75, 0.5]
    assert _column(rows, "stack_gap") == np.round(np.log1p([2, 1, 1, 1, 1]), 4).tolist()
    assert _column(rows, "stack_up1") == [0.46] * 5  # no markup: the page's mean


def test_one_line_and_no_line():
    page = Page("alone\n")
    rows = stack_features(page, page.nonblank(), np.array([0.7]))
    assert _column(rows, "stack_max3") == [0.7] and _column(rows, "stack_kept_words") == [1.0]
    assert stack_features(page, [], np.zeros(0)).shape == (0, len(STACK_NAMES))


def test_enclosing_elements_share_their_lines_mean():
    page = html_page(HTML, "p")
    assert page is not None
    lines = page.nonblank()
    assert [line.content for line in lines][:4] == ["Home", "News", "The first paragraph of the story.",
                                                   "The second one."]
    rows = stack_features(page, lines, np.array([0.1, 0.3, 0.9, 0.7, 0.2]))
    assert _column(rows, "stack_up1")[2:4] == [0.8, 0.8]  # the two paragraphs' <div>
    assert _column(rows, "stack_up2")[:2] == [0.2, 0.2]  # the two links' <ul>
    assert _column(rows, "stack_path")[:4] == [0.2, 0.2, 0.8, 0.8]  # alike: the two links, the two paragraphs

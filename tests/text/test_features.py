"""Per-line features for the content model (cleaner.text.features)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from conftest import PROSE, bench_files, generated_page, seed_files

from cleaner.text import features
from cleaner.text.features import FEATURE_NAMES, FEATURE_WORDS, line_features
from cleaner.text.layout import detect_layout
from cleaner.text.page import Line, Page
from cleaner.text.signals import LineSignals, page_signals


def test_one_row_per_non_blank_line_and_one_column_per_name():
    page = Page("Home\n\n" + PROSE + "\n\nShare on Facebook\n")
    lines, rows = line_features(page)
    assert [line.content for line in lines] == ["Home", PROSE, "Share on Facebook"]
    assert rows.shape == (3, len(FEATURE_NAMES)) and rows.dtype == np.float32
    assert set(FEATURE_WORDS) == set(FEATURE_NAMES) and len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)


def test_features_say_what_they_name():
    page = Page("Home\n\n" + PROSE + "\n\nShare on Facebook\n")
    _, rows = line_features(page)
    column = {name: index for index, name in enumerate(FEATURE_NAMES)}
    assert rows[1, column["prose"]] == 1.0 and rows[0, column["prose"]] == 0.0
    assert rows[0, column["prose_down1"]] == 1.0 and rows[2, column["prose_up1"]] == 1.0  # neighbours
    assert rows[0, column["position"]] == 0.0 and rows[2, column["position"]] == 1.0
    assert rows[0, column["prose_below"]] == 1.0 and rows[2, column["prose_above"]] == 1.0
    assert rows[1, column["blank_before"]] == 1.0 and rows[1, column["blank_after"]] == 1.0


def test_every_feature_is_finite_on_real_pages():
    for seed in seed_files():
        _, rows = line_features(Page(seed.read_text(encoding="utf-8")))
        assert len(rows) > 10 and np.isfinite(rows).all()


def test_an_empty_page_has_no_rows():
    lines, rows = line_features(Page("\n\n"))
    assert lines == [] and rows.shape == (0, len(FEATURE_NAMES))


# --- the fast implementation against a straightforward one ------------------------------------
# The reference below is the first implementation, line by line in Python (kept here, not in the
# package): cleaner.text.features must give exactly its values, or the README's leave-one-set-out
# figures, measured on its columns, would no longer describe the model.

_REF_SEPARATORS = re.compile(r"\s[|·•/»›]\s|\s[|·•]$|^[|·•]\s")


def reference_line_features(page: Page) -> tuple[list[Line], np.ndarray]:
    signals = page_signals(page)
    lines = [line for line in page.lines if not line.is_blank]
    if not lines:
        return lines, np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    own = np.array([_ref_own(line, signals[line.number - 1]) for line in lines], dtype=np.float64)
    prose, log_words, words = own[:, 13], own[:, 0], np.expm1(own[:, 0])
    count = len(lines)
    position = np.arange(count) / max(count - 1, 1)
    word_position = (np.cumsum(words) - words) / max(words.sum(), 1)
    prose_words = prose * words
    total = max(prose_words.sum(), 1)
    above = (np.cumsum(prose_words) - prose_words) / total
    below = 1 - above - prose_words / total
    blank_before = [float(n > 1 and page.lines[n - 2].is_blank) for n in (line.number for line in lines)]
    blank_after = [float(n < len(page.lines) and page.lines[n].is_blank) for n in (line.number for line in lines)]
    distance = [min((abs(i - j) for j in range(count) if prose[j]), default=count) for i in range(count)]
    place = [position, word_position, above, below, blank_before, blank_after, np.log1p(distance)]
    neighbours = [_ref_shifted(v, by) for k in (1, 2, 3) for by in (k, -k) for v in (prose, log_words)]
    repeated = (own[:, 10] > 0).astype(np.float64)
    windows = [_ref_window(v, w) for w in (3, 10, 30) for v in (prose, own[:, 12], repeated)]
    whole = [np.log1p(count), prose.mean(), np.log1p(prose_words.sum()), float(detect_layout(page).wrapped)]
    columns = [own, np.column_stack(place + neighbours + windows), np.tile(whole, (count, 1))]
    return lines, np.hstack(columns).astype(np.float32)


def _ref_own(line: Line, sig: LineSignals) -> tuple[float, ...]:
    text = line.content.strip()
    chars = max(len(text), 1)
    letters = sum(1 for char in text if char.isalpha()) or 1
    return (
        np.log1p(sig.words), np.log1p(sig.chars), sig.stopword_ratio, sig.stopword_ratio - sig.stopword_floor,
        float(sig.sentence_end), min(sig.inner_punct, 10), float(sig.title_case), float(sig.bulleted),
        float(sig.urlish), float(sig.cjk), np.log(max(sig.repeats, 1)), float(sig.truncated), sig.link_density,
        float(sig.is_prose), float(text.endswith(":")), len(_REF_SEPARATORS.findall(text)),
        len(re.findall(r"\d", text)) / chars, len(re.findall(r"[A-ZÀ-Þ]", text)) / letters,
        float(text[:1].islower()),
    )


def _ref_shifted(values: np.ndarray, by: int) -> np.ndarray:
    return np.array([values[i - by] if 0 <= i - by < len(values) else 0.0 for i in range(len(values))])


def _ref_window(values: np.ndarray, width: int) -> np.ndarray:
    padded = np.concatenate([[0.0], np.cumsum(values)])
    index = np.arange(len(values))
    low, high = (index - width).clip(0), (index + width + 1).clip(max=len(values))
    return (padded[high] - padded[low]) / (high - low)


def _same_as_reference(page: Page) -> None:
    lines, rows = line_features(page)
    expected_lines, expected = reference_line_features(Page(page.text))
    assert [line.number for line in lines] == [line.number for line in expected_lines]
    assert rows.dtype == expected.dtype and rows.shape == expected.shape
    assert np.array_equal(rows, expected), FEATURE_NAMES[int(np.argwhere(rows != expected)[0][1])]


def test_the_features_equal_the_reference_on_the_seeds():
    for seed in seed_files():
        _same_as_reference(Page(seed.read_text(encoding="utf-8")))


@pytest.mark.parametrize("seed", range(40))
def test_the_features_equal_the_reference_on_generated_pages(seed):
    _same_as_reference(Page(generated_page(seed)))


def test_the_features_equal_the_reference_on_odd_pages():
    for text in ("one line", "\n\n* \n\n", "\u200b\nx\n", "a\n" * 3 + "\n" * 5, "| Menu\n» Next\n😀\n"):
        _same_as_reference(Page(text))


@pytest.mark.skipif(not bench_files(), reason="needs ../shared/bench-data")
def test_the_features_equal_the_reference_on_dev_dumps():
    for path in bench_files()[::6]:
        _same_as_reference(Page(path.read_text(encoding="utf-8", errors="replace")))


def test_the_features_equal_the_reference_when_texts_are_measured_in_chunks(monkeypatch):
    """A big page's texts are measured a chunk at a time (bounded arrays): the values do not change."""
    monkeypatch.setattr(features, "_CHUNK", 40)
    for seed in (0, 4, 8, 38):
        _same_as_reference(Page(generated_page(seed)))


_ODD_TEXTS = (
    "", "a", " a ", "a  b", "a\u00a0b", "a\tb\nc", "\u3000x\u3000", "x\U0001f600 y", "\u2028a", "a\x1cb c",
    "a\x85b", "ab\ud800 c", " ", "\u200bx \ufeff", "one two three",
)


@pytest.mark.parametrize("chunk", [features._CHUNK, 5])
def test_word_counts_equal_str_split(monkeypatch, chunk):
    """word_counts counts what ``len(text.split())`` does: every kind of white space, none above the BMP."""
    monkeypatch.setattr(features, "_CHUNK", chunk)
    texts = list(_ODD_TEXTS) + [line.content for line in Page(generated_page(4)).lines]
    assert features.word_counts(texts).tolist() == [len(text.split()) for text in texts]
    assert features.word_counts([]).tolist() == []

"""Per-line features for the content model: what a line looks like, where it stands, what surrounds it.

Every feature is a number computed from the text layer alone (a line's signals, its place on the
page, its neighbours), so the same code serves training (``cleaner.training``) and cleaning.
Rows are the page's non-blank lines, in order; blank lines carry no evidence (the renderer
settles them from their neighbours). :data:`FEATURE_NAMES` names the columns, and
:data:`FEATURE_WORDS` says each in words for ``--explain`` and the removal reasons.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from cleaner.text.layout import detect_layout
from cleaner.text.page import Line, Page
from cleaner.text.signals import LineSignals, page_signals

__all__ = ["FEATURE_NAMES", "FEATURE_WORDS", "line_features"]

# (name, words) of each column, in order. Words complete "this line ..." in an explanation.
_LINE = (
    ("log_words", "length in words"),
    ("log_chars", "length in characters"),
    ("stopwords", "share of common words (the, and, of...)"),
    ("stopword_margin", "common words above what prose needs on this page"),
    ("sentence_end", "ends like a sentence"),
    ("inner_punct", "punctuation inside the line"),
    ("title_case", "Title Case Words"),
    ("bulleted", "a bullet in front"),
    ("urlish", "looks like a web address"),
    ("cjk", "Chinese or Japanese script"),
    ("log_repeats", "its shape repeats on the page"),
    ("truncated", "cut off with an ellipsis"),
    ("link_density", "share of link text"),
    ("prose", "reads like prose"),
    ("ends_colon", "ends with a colon"),
    ("separators", "separators (| · / •) between items"),
    ("digit_share", "share of digits"),
    ("upper_share", "share of capitals"),
    ("starts_lower", "starts in lower case"),
)
_PLACE = (
    ("position", "place among the page's lines"),
    ("word_position", "share of the page's words above it"),
    ("prose_above", "share of the page's prose above it"),
    ("prose_below", "share of the page's prose below it"),
    ("blank_before", "a blank line above"),
    ("blank_after", "a blank line below"),
    ("prose_distance", "lines to the nearest prose line"),
)
_NEIGHBOURS = tuple(
    (f"{what}_{side}{k}", f"{'prose' if what == 'prose' else 'length'} of the {k}. line {side_word}")
    for k in (1, 2, 3)
    for side, side_word in (("up", "above"), ("down", "below"))
    for what in ("prose", "words")
)
_WINDOWS = tuple(
    (f"{what}_window{w}", f"{words} within {w} lines")
    for w in (3, 10, 30)
    for what, words in (("prose", "share of prose lines"), ("link", "link text"), ("repeats", "repeated lines"))
)
_PAGE = (
    ("page_lines", "lines on the page"),
    ("page_prose_share", "share of the page's lines that are prose"),
    ("page_prose_words", "prose words on the page"),
    ("wrapped", "a hard-wrapped dump"),
)
_COLUMNS = (*_LINE, *_PLACE, *_NEIGHBOURS, *_WINDOWS, *_PAGE)
FEATURE_NAMES: tuple[str, ...] = tuple(name for name, _ in _COLUMNS)
FEATURE_WORDS: dict[str, str] = dict(_COLUMNS)

_SEPARATORS = re.compile(r"\s[|·•/»›]\s|\s[|·•]$|^[|·•]\s")
_DIGIT = re.compile(r"\d")
_UPPER = re.compile(r"[A-ZÀ-Þ]")


def line_features(page: Page) -> tuple[list[Line], np.ndarray]:
    """The page's non-blank lines and their feature rows (``float32``, columns :data:`FEATURE_NAMES`)."""
    signals = page_signals(page)
    lines = [line for line in page.lines if not line.is_blank]
    sigs = [signals[line.number - 1] for line in lines]
    if not lines:
        return lines, np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    own = np.array([_own(line, sig) for line, sig in zip(lines, sigs, strict=True)], dtype=np.float64)
    prose, words = own[:, 13], np.expm1(own[:, 0])
    columns = [own, _place(page, lines, prose, words), _neighbours(prose, own[:, 0])]
    columns.append(_windows(prose, own[:, 12], own[:, 10]))
    columns.append(np.tile(_page(page, prose, words), (len(lines), 1)))
    return lines, np.hstack(columns).astype(np.float32)


def _own(line: Line, sig: LineSignals) -> tuple[float, ...]:
    text = line.content.strip()
    chars = max(len(text), 1)
    letters = sum(1 for char in text if char.isalpha()) or 1
    return (
        np.log1p(sig.words), np.log1p(sig.chars), sig.stopword_ratio, sig.stopword_ratio - sig.stopword_floor,
        float(sig.sentence_end), min(sig.inner_punct, 10), float(sig.title_case), float(sig.bulleted),
        float(sig.urlish), float(sig.cjk), np.log(max(sig.repeats, 1)), float(sig.truncated), sig.link_density,
        float(sig.is_prose), float(text.endswith(":")), len(_SEPARATORS.findall(text)),
        len(_DIGIT.findall(text)) / chars, len(_UPPER.findall(text)) / letters, float(text[:1].islower()),
    )


def _place(page: Page, lines: Sequence[Line], prose: np.ndarray, words: np.ndarray) -> np.ndarray:
    count = len(lines)
    position = np.arange(count) / max(count - 1, 1)
    word_position = (np.cumsum(words) - words) / max(words.sum(), 1)
    prose_words = prose * words
    total = max(prose_words.sum(), 1)
    above = (np.cumsum(prose_words) - prose_words) / total
    below = 1 - above - prose_words / total
    numbers = [line.number for line in lines]
    blank_before = [float(n > 1 and page.lines[n - 2].is_blank) for n in numbers]
    blank_after = [float(n < len(page.lines) and page.lines[n].is_blank) for n in numbers]
    return np.column_stack([position, word_position, above, below, blank_before, blank_after, _distance(prose)])


def _distance(prose: np.ndarray) -> np.ndarray:
    """log1p of the distance, in non-blank lines, to the nearest prose line (the page's length if none)."""
    count = len(prose)
    where = np.flatnonzero(prose)
    if not len(where):
        return np.full(count, np.log1p(count))
    index = np.arange(count)
    right = np.searchsorted(where, index).clip(0, len(where) - 1)
    left = (right - 1).clip(0, len(where) - 1)
    nearest = np.minimum(np.abs(where[right] - index), np.abs(where[left] - index))
    return np.log1p(nearest)


def _shifted(values: np.ndarray, by: int) -> np.ndarray:
    """``values`` moved ``by`` places down (positive: each row sees the row ``by`` above); zeros past the ends."""
    out = np.zeros_like(values)
    if by > 0:
        out[by:] = values[:-by]
    else:
        out[:by] = values[-by:]
    return out


def _neighbours(prose: np.ndarray, log_words: np.ndarray) -> np.ndarray:
    columns = []
    for k in (1, 2, 3):
        for by in (k, -k):
            columns += [_shifted(prose, by), _shifted(log_words, by)]
    return np.column_stack(columns)


def _window_mean(values: np.ndarray, width: int) -> np.ndarray:
    """Mean of ``values`` over the ``width`` rows on each side of each row (and the row itself)."""
    padded = np.concatenate([[0.0], np.cumsum(values)])
    index = np.arange(len(values))
    low, high = (index - width).clip(0), (index + width + 1).clip(max=len(values))
    return (padded[high] - padded[low]) / (high - low)


def _windows(prose: np.ndarray, link: np.ndarray, log_repeats: np.ndarray) -> np.ndarray:
    repeated = (log_repeats > 0).astype(np.float64)
    return np.column_stack([_window_mean(v, w) for w in (3, 10, 30) for v in (prose, link, repeated)])


def _page(page: Page, prose: np.ndarray, words: np.ndarray) -> np.ndarray:
    return np.array([
        np.log1p(len(prose)), prose.mean(), np.log1p((prose * words).sum()), float(detect_layout(page).wrapped),
    ])

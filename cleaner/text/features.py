"""Per-line features for the content model: what a line looks like, where it stands, what surrounds it.

Every feature is a number computed from the text layer alone (a line's signals, its place on the
page, its neighbours), so the same code serves training (``cleaner.training``) and cleaning.
Rows are the page's non-blank lines, in order; blank lines carry no evidence (the renderer
settles them from their neighbours). :data:`FEATURE_NAMES` names the columns, and
:data:`FEATURE_WORDS` says each in words for ``--explain`` and the removal reasons.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
from collections.abc import Callable, Sequence

import numpy as np

from cleaner.text.layout import detect_layout
from cleaner.text.page import Line, Page
from cleaner.text.signals import PROSE_INNER_PUNCT, PROSE_LONG_WORDS, PROSE_MIN_WORDS, LineSignals, page_signals

__all__ = ["FEATURE_NAMES", "FEATURE_WORDS", "line_features", "word_counts"]

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
_NUMBER, _CONTENT = operator.attrgetter("number"), operator.attrgetter("content")
_SIGNAL_FIELDS = operator.attrgetter(
    "words", "chars", "stopword_ratio", "stopword_floor", "sentence_end", "inner_punct", "title_case", "bulleted",
    "urlish", "cjk", "repeats", "truncated", "link_density",
)
# Character classes, one bit each: str.isalpha, str.isdecimal (what re's \d matches), the
# [A-ZÀ-Þ] of upper_share, a separator character (a text without one has no separator: the
# regex runs on the few that have one), str.islower. Looked up for the whole page at once in a
# table of the Basic Multilingual Plane; the rare characters above it are classed one by one.
_ALPHA, _DIGIT, _UPPER, _SEPARATOR, _LOWER, _SPACE = 1, 2, 4, 8, 16, 32  # (_SPACE: str.isspace)
_COUNTED = (_ALPHA, _DIGIT, _UPPER, _SEPARATOR)  # summed per text
_BMP = 0x10000
_CHUNK = 1 << 20  # characters measured at once (arrays of about 4 MB)


@functools.cache
def _char_classes() -> np.ndarray:
    """The class bits of every BMP character (built once per process: about 20 ms)."""
    chars = "".join(map(chr, range(_BMP)))

    def where(test: Callable[[str], bool]) -> np.ndarray:
        return np.frombuffer(bytes(map(test, chars)), dtype=np.uint8)

    bits = (where(str.isalpha) * _ALPHA | where(str.isdecimal) * _DIGIT | where(str.islower) * _LOWER
            | where(str.isspace) * _SPACE)
    bits = bits.astype(np.uint8)
    bits[ord("A") : ord("Z") + 1] |= _UPPER
    bits[ord("À") : ord("Þ") + 1] |= _UPPER
    for char in "|·•/»›":
        bits[ord(char)] |= _SEPARATOR
    return bits


def _classes_of(char: str) -> int:
    """The class bits of a character above the BMP (none is upper case A-Þ or a separator)."""
    return _ALPHA * char.isalpha() | _DIGIT * char.isdecimal() | _LOWER * char.islower()


def line_features(page: Page) -> tuple[list[Line], np.ndarray]:
    """The page's non-blank lines and their feature rows (``float32``, columns :data:`FEATURE_NAMES`)."""
    signals = page_signals(page)
    lines = page.nonblank()
    if not lines:
        return lines, np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    numbers = np.fromiter(map(_NUMBER, lines), dtype=np.int64, count=len(lines))
    own = _own(lines, list(map(signals.__getitem__, (numbers - 1).tolist())))
    prose, log_words = own[:, 13], own[:, 0]
    words = np.expm1(log_words)
    blocks = (own, _place(page, numbers, prose, words), _neighbours(prose, log_words),
              _windows(prose, own[:, 12], own[:, 10]), _page(page, prose, words))
    out = np.empty((len(lines), len(FEATURE_NAMES)), dtype=np.float32)  # (each block cast as it is copied in)
    at = 0
    for block in blocks:
        out[:, at : at + block.shape[-1]] = block
        at += block.shape[-1]
    return lines, out


def _own(lines: list[Line], sigs: list[LineSignals]) -> np.ndarray:
    """The columns of :data:`_LINE`: read once per distinct signals object, then the line's text measured.

    Lines with the same text share one signals object (cleaner.text.signals): reading its
    fields in Python is the dear part, so each object is read once and the rows gathered.
    """
    ids = np.fromiter(map(id, sigs), dtype=np.int64, count=len(sigs))
    _, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
    own = np.empty((len(lines), len(_LINE)))
    own[:, :14] = _signal_columns(list(map(sigs.__getitem__, first.tolist())))[inverse]
    own[:, 14:] = _text_columns(list(map(_CONTENT, lines)))  # (a line's content is stripped)
    return own


def _signal_columns(distinct: list[LineSignals]) -> np.ndarray:
    """The first 14 columns of :data:`_LINE`, read from the signals: one row per signals object.

    :data:`_SIGNAL_FIELDS` reads the first 13 in the columns' order; five are then transformed in
    place. The 14th, ``is_prose``, is its property's test on the 13, for every object at once.
    """
    values = itertools.chain.from_iterable(map(_SIGNAL_FIELDS, distinct))
    fields = np.empty((len(distinct), 14))
    fields[:, :13] = np.fromiter(values, dtype=np.float64, count=13 * len(distinct)).reshape(-1, 13)
    words, ratio, floor, sentence_end, inner, title_case, truncated = fields[:, [0, 2, 3, 4, 5, 6, 11]].T
    long_or_punctuated = (sentence_end > 0) | (inner >= PROSE_INNER_PUNCT) | (words >= PROSE_LONG_WORDS)
    fields[:, 13] = ((words >= PROSE_MIN_WORDS) & long_or_punctuated & (ratio >= floor)
                     & (title_case == 0) & (truncated == 0))  # LineSignals.is_prose
    fields[:, 3] = fields[:, 2] - fields[:, 3]  # stopword_margin: the ratio above the page's floor
    np.log1p(fields[:, :2], out=fields[:, :2])  # words, chars
    np.minimum(fields[:, 5], 10, out=fields[:, 5])  # inner_punct
    fields[:, 10] = np.log(np.maximum(fields[:, 10], 1))  # repeats
    return fields


def _text_columns(texts: list[str]) -> np.ndarray:
    """ends_colon, separators, digit_share, upper_share, starts_lower of each (stripped) text.

    The texts are measured together on their code points, not character by character in
    Python (the per-line loop was most of the features' cost), :data:`_CHUNK` characters or so
    at a time: a 20 MB page is not copied whole into arrays of four bytes a character.
    (Measuring each line's text, repeated or not, costs less than finding the distinct ones.)
    """
    return _by_chunks(texts, _chunk_columns)


def word_counts(texts: list[str]) -> np.ndarray:
    """``len(text.split())`` of each text (``int64``), counted on the texts' code points together."""
    return _by_chunks(texts, _chunk_words)


def _by_chunks(texts: list[str], measure: Callable[[list[str], np.ndarray], np.ndarray]) -> np.ndarray:
    """``measure(texts, lengths)`` on runs of texts of about :data:`_CHUNK` characters, the rows joined."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    ends = np.cumsum(lengths)
    parts, start = [], 0
    while start < len(texts) or not parts:
        reach = (ends[start - 1] if start else 0) + _CHUNK
        stop = max(int(np.searchsorted(ends, reach, side="right")), start + 1)
        parts.append(measure(texts[start:stop], lengths[start:stop]))
        start = stop
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _chunk_words(texts: list[str], lengths: np.ndarray) -> np.ndarray:
    """:func:`word_counts` of texts of ``lengths`` characters: the characters that start a word, per text.

    A word starts at a character that is not white space (``str.isspace``, as ``str.split`` cuts)
    after one that is, or at the start of a text. (No character above the BMP is white space: the
    clipped look-up classes them as U+FFFF, which is not either.)
    """
    counts = np.zeros(len(texts), dtype=np.int64)
    codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if not len(codes):
        return counts
    space = (_char_classes().take(codes, mode="clip") & _SPACE).astype(bool)
    starts = (np.cumsum(lengths) - lengths)[lengths > 0]
    after_space = np.empty(len(codes), dtype=bool)
    after_space[1:] = space[:-1]
    after_space[starts] = True
    counts[lengths > 0] = np.add.reduceat((after_space & ~space).view(np.uint8), starts)
    return counts


def _chunk_columns(texts: list[str], lengths: np.ndarray) -> np.ndarray:
    """:func:`_text_columns` of texts of ``lengths`` characters, measured at once."""
    table = _char_classes()
    codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    starts = np.cumsum(lengths) - lengths
    bits = table.take(codes, mode="clip")  # (clipped: the characters above the BMP are classed below)
    for at in np.flatnonzero(codes >= _BMP):
        bits[at] = _classes_of(chr(int(codes[at])))
    filled = lengths > 0
    counts = np.zeros((len(_COUNTED), len(texts)))
    if len(codes):  # (reduceat sums each text's characters: a text ends where the next filled one starts)
        begins, into = starts[filled], slice(None) if filled.all() else filled
        for row, bit in enumerate(_COUNTED):
            counts[row, into] = np.add.reduceat((bits & bit).astype(bool).view(np.uint8), begins)
    letters, digits, upper, separators = counts
    for index in np.flatnonzero(separators):
        separators[index] = len(_SEPARATORS.findall(texts[index]))
    first, last = np.where(filled, starts, 0), np.where(filled, starts + lengths - 1, 0)
    ends_colon = filled & (codes[last] == ord(":")) if len(codes) else filled
    starts_lower = filled & (bits[first] & _LOWER > 0) if len(codes) else filled
    return np.column_stack([
        ends_colon, separators, digits / np.maximum(lengths, 1), upper / np.maximum(letters, 1), starts_lower,
    ])


def _place(page: Page, line_numbers: np.ndarray, prose: np.ndarray, words: np.ndarray) -> np.ndarray:
    count = len(line_numbers)
    position = np.arange(count) / max(count - 1, 1)
    word_position = (np.cumsum(words) - words) / max(words.sum(), 1)
    prose_words = prose * words
    total = max(prose_words.sum(), 1)
    above = (np.cumsum(prose_words) - prose_words) / total
    below = 1 - above - prose_words / total
    # Between two non-blank lines stand only blank ones: a gap in the numbers is a blank line.
    numbers = np.empty(count + 2, dtype=np.int64)  # the lines' numbers, between 0 and one past the page
    numbers[0], numbers[-1] = 0, len(page) + 1
    numbers[1:-1] = line_numbers
    gaps = numbers[1:] - numbers[:-1] > 1
    out = np.empty((count, len(_PLACE)))
    out[:, 0], out[:, 1], out[:, 2], out[:, 3] = position, word_position, above, below
    out[:, 4], out[:, 5], out[:, 6] = gaps[:-1], gaps[1:], _distance(prose)
    return out


def _distance(prose: np.ndarray) -> np.ndarray:
    """log1p of the distance, in non-blank lines, to the nearest prose line (the page's length if none)."""
    count = len(prose)
    where = np.flatnonzero(prose)
    if not len(where):
        return np.full(count, np.log1p(count))
    index = np.arange(count)
    right = np.minimum(np.searchsorted(where, index), len(where) - 1)
    left = np.maximum(right - 1, 0)
    nearest = np.minimum(np.abs(where[right] - index), np.abs(where[left] - index))
    return np.log1p(nearest)


def _neighbours(prose: np.ndarray, log_words: np.ndarray) -> np.ndarray:
    """prose and log_words of the 1st, 2nd, 3rd line above and below (zeros past the page's ends)."""
    count = len(prose)
    padded = np.zeros((count + 6, 2))
    padded[3 : 3 + count, 0], padded[3 : 3 + count, 1] = prose, log_words
    out = np.empty((count, 12))
    for column, by in enumerate((1, -1, 2, -2, 3, -3)):  # positive: the line ``by`` above
        out[:, 2 * column : 2 * column + 2] = padded[3 - by : 3 - by + count]
    return out


def _windows(prose: np.ndarray, link: np.ndarray, log_repeats: np.ndarray) -> np.ndarray:
    """Mean prose, link density and repeated lines over 3, 10 and 30 lines on each side (and the line)."""
    return _window_means(np.column_stack([prose, link, log_repeats > 0]), (3, 10, 30))


def _window_means(values: np.ndarray, widths: Sequence[int]) -> np.ndarray:
    """The mean of each column of ``values`` over ``width`` rows on each side of each row (and the row).

    One column per (width, column of ``values``), widths first; the windows stop at the ends.
    """
    count, columns = values.shape
    sums = np.zeros((count + 1, columns))
    np.cumsum(values, axis=0, out=sums[1:])
    # Sums over rows max(i - width, 0) .. min(i + width, count - 1), every width at once:
    # a few gathers for the page, not a few numpy calls per width (the calls cost more than the data).
    index, reach = np.arange(count)[:, None], np.asarray(widths)
    high, low = np.minimum(index + reach + 1, count), np.maximum(index - reach, 0)
    return ((sums[high] - sums[low]) / (high - low)[..., None]).reshape(count, columns * len(widths))


def _page(page: Page, prose: np.ndarray, words: np.ndarray) -> np.ndarray:
    return np.array([
        np.log1p(len(prose)), prose.mean(), np.log1p((prose * words).sum()), float(detect_layout(page).wrapped),
    ])

"""The page's language (guessed once per page), its stopwords, and script-aware text measures.

The language is guessed by ``py3langid`` (a maintained n-gram classifier covering about 100
languages) on a bounded sample of the page's longest lines, cross-checked with stopword
coverage when the classifier hesitates between close languages, and guessed from
stopwords and script alone when the page has too little text for the classifier.

Stopwords come from the maintained ``stopwordsiso`` lists; they are the most frequent
words of a language, so their density marks running text in any language that has a list
and separates words with spaces. Where the list does not describe the page's running text
(no list, no spaces between words, words that glue particles on) the page's own measure
switches the stopword test off: see :func:`stopword_floor`.

Word counts are script-aware (:func:`word_count`): Chinese, Japanese, Thai, Lao, Khmer and
Myanmar write no spaces between words, so their characters are converted to words at a
measured rate, and thresholds written in words ("at least eight words") mean about the
same amount of text in every script.
"""

from __future__ import annotations

import heapq
import math
import re
import threading
import unicodedata
from collections.abc import Callable, Iterator
from functools import lru_cache
from operator import itemgetter
from statistics import median
from typing import Any

from cleaner.text.facts import Fact
from cleaner.text.page import Page

__all__ = [
    "ASCII_WORD",
    "CJK",
    "DEFAULT_LANGUAGE",
    "LANGUAGE",
    "PROSE_STOPWORD_FLOOR",
    "SAMPLE_LINES",
    "SAMPLE_LINE_CHARS",
    "WORD",  # noqa: F822 -- built on first use by the module's __getattr__ (PEP 562)
    "default_stopword_floor",
    "guess_language",
    "has_cjk",
    "has_unspaced",
    "language_sample",
    "page_language",
    "rank_languages",
    "stopword_floor",
    "stopword_ratio",
    "stopwords",
    "word_count",
    "words",
]

DEFAULT_LANGUAGE = "en"

# The page facts this module computes (see cleaner.text.facts), each by the function named.
# (cleaner.inputs.html sets LANGUAGE from the HTML's declared language before anything guesses.)
LANGUAGE: Fact[str] = Fact("language")  # page_language
LANGUAGE_SAMPLE: Fact[list[str]] = Fact("language_sample")  # language_sample
LANGUAGE_SAMPLE_WORDS: Fact[list[list[str]]] = Fact("language_sample_words")  # _sample_words
STOPWORD_FLOOR: Fact[float] = Fact("stopword_floor")  # stopword_floor


@lru_cache(maxsize=1)
def _marks() -> tuple[str, frozenset[str]]:
    """Every combining mark (Unicode category M) below U+20000: as a regex class body, and as a set.

    ``\\w`` stops at combining vowel signs, so "मंगलवार" (Hindi) or "เมื่อวาน" (Thai) would
    split into fragments; marks are part of the word. Built on first use (a scan of the
    Unicode table, ~20 ms), not at import: ``clean --help`` never needs it.
    """
    ranges: list[list[int]] = []
    for code in range(0x300, 0x20000):
        if unicodedata.category(chr(code))[0] == "M":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    body = "".join(f"{chr(a)}-{chr(b)}" if a != b else chr(a) for a, b in ranges)
    return body, frozenset(chr(code) for a, b in ranges for code in range(a, b + 1))


@lru_cache(maxsize=1)
def _word_regex() -> re.Pattern[str]:
    letter = rf"[\w{_marks()[0]}]"
    return re.compile(rf"{letter}+(?:['’]{letter}+)*", re.UNICODE)


# WORD without the marks: the same tokens on a text that has no combining mark, three times
# faster (a class of hundreds of ranges is slow to test).
_PLAIN_WORD = re.compile(r"\w+(?:['’]\w+)*")


def __getattr__(name: str) -> object:
    # ``WORD``, the word pattern (letters, digits and combining marks, inner apostrophes), is
    # compiled on first use.
    if name == "WORD":
        return _word_regex()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# WORD on an ASCII text: the same tokens, matched faster (an ASCII class, no backtracking).
ASCII_WORD = re.compile(r"[A-Za-z0-9_]++(?:'[A-Za-z0-9_]++)*+")


def words(text: str) -> list[str]:
    """The words of ``text`` (the matches of ``WORD``): letters, digits and combining marks, inner apostrophes."""
    if text.isascii():
        return ASCII_WORD.findall(text)
    if _marks()[1].isdisjoint(text):
        return _PLAIN_WORD.findall(text)
    return _word_regex().findall(text)


HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
KANA = "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"
HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
CJK = re.compile(f"[{HAN}{KANA}{HANGUL}]")


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a Chinese, Japanese or Korean character."""
    return CJK.search(text) is not None


# Scripts written without spaces between words, and their characters per word: measured
# by writing the same news sentences in English and in the language (Chinese 1.3-1.6 Han
# characters per English word; Japanese 1.5 per kanji word and about 2 per kana; Thai 4-5
# characters, vowel signs included). Lao, Khmer and Myanmar are written like Thai.
UNSPACED: dict[str, float] = {
    HAN: 1.5,
    KANA: 2.0,
    "\u0e00-\u0e7f\u0e80-\u0eff\u1780-\u17ff\u19e0-\u19ff\u1000-\u109f": 4.5,
}
_UNSPACED_RUNS = [(re.compile(f"[{chars}]+"), rate) for chars, rate in UNSPACED.items()]
_ANY_UNSPACED = re.compile("[" + "".join(UNSPACED) + "]")


def word_count(text: str) -> int:
    """Words in ``text``, comparable across scripts.

    Space-separated scripts count their words; runs of Chinese, Japanese, Thai, Lao,
    Khmer or Myanmar characters count as characters divided by the script's measured
    characters per word, so "市议会周二投票决定关闭旧港口道路" counts about ten words, not one.
    """
    if not has_unspaced(text):
        return len(words(text))
    count = 0.0
    for pattern, rate in _UNSPACED_RUNS:
        count += sum(len(run) for run in pattern.findall(text)) / rate
        text = pattern.sub(" ", text)
    return round(count) + len(words(text))


def has_unspaced(text: str) -> bool:
    """True when ``text`` has characters of a script written without spaces (see :data:`UNSPACED`)."""
    return not text.isascii() and _ANY_UNSPACED.search(text) is not None


# ---------------------------------------------------------------------------
# Stopwords.
# ---------------------------------------------------------------------------

# The stopword floor of prose in languages whose stoplist covers running text well:
# article sentences of English, German, French, Spanish, Russian... have 30-60 % stopwords,
# menus, headlines and name lists under 20 %.
PROSE_STOPWORD_FLOOR = 0.2
# Below this median coverage of a page's longest lines the stoplist does not describe the
# page's text: measured on news sentences, Korean, Turkish and Hebrew prose has 0-15 %
# stopwords and Arabic 4-45 % (particles and prefixes glue onto words: "وبالميناء"), and
# a page of Arabic prose has a median near 22 %; Chinese, Japanese and Thai tokens are
# whole phrases (0 %). European-language prose measures 30-60 %.
STOPLIST_FIT = 0.25


@lru_cache(maxsize=64)
def stopwords(language: str = DEFAULT_LANGUAGE) -> frozenset[str]:
    """The stopword list of an ISO 639-1 language (empty when the package has none)."""
    import stopwordsiso

    if not stopwordsiso.has_lang(language):
        return frozenset()
    return frozenset(word.lower() for word in stopwordsiso.stopwords(language))


def stopword_ratio(text: str, language: str) -> float:
    """Share of ``text``'s words that are stopwords of ``language`` (0.0 without words)."""
    tokens = words(text)
    if not tokens:
        return 0.0
    stop = stopwords(language)
    return sum(map(stop.__contains__, map(str.lower, tokens))) / len(tokens)


def default_stopword_floor(language: str) -> float:
    """The floor without page evidence: the prose floor where a stoplist exists, else none."""
    return PROSE_STOPWORD_FLOOR if stopwords(language) and not _unspaced_language(language) else 0.0


def _unspaced_language(language: str) -> bool:
    return language in {"zh", "ja", "th", "lo", "km", "my"}


def stopword_floor(page: Page) -> float:
    """The stopword ratio a line of this page needs to read as prose (cached on the page).

    Measured on the page's own running text (the longest lines): where the stoplist covers
    it well the floor is :data:`PROSE_STOPWORD_FLOOR` (lowered to two thirds of the page's
    median when that is lower); where it covers less than :data:`STOPLIST_FIT` the test is
    off (0.0), so prose of languages that glue particles onto words, or write no spaces,
    is not rejected for lack of stopwords.
    """
    found = page.facts.get(STOPWORD_FLOOR)
    if found is None:
        language = page_language(page)
        sample = language_sample(page)
        if not stopwords(language) or _unspaced_language(language):
            floor = 0.0
        elif not sample:
            floor = default_stopword_floor(language)
        else:
            stop = stopwords(language)
            typical = median(
                sum(map(stop.__contains__, map(str.lower, tokens))) / len(tokens) if tokens else 0.0
                for tokens in _sample_words(page)
            )  # stopword_ratio of each sample line, on the words the language guess already split
            floor = 0.0 if typical < STOPLIST_FIT else min(PROSE_STOPWORD_FLOOR, typical * 2 / 3)
        found = page.facts.put(STOPWORD_FLOOR, floor)
    return found


# ---------------------------------------------------------------------------
# Language guess.
# ---------------------------------------------------------------------------

SAMPLE_LINES = 10  # the longest lines are the page's running text; ten are plenty
SAMPLE_LINE_CHARS = 300  # and the start of each suffices (keeps the guess near a millisecond)
MIN_SAMPLE_LINE = 25  # characters (10 for CJK): shorter lines are menu items and labels
FALLBACK_LINES = 300  # lines a page without running text is guessed from
MIN_LETTERS = 12  # letters of running text below which the page is guessed from its short lines
MIN_CLASSIFIER_LETTERS = 60  # letters below which the classifier's guess is cross-checked by stopwords
CONFIDENT = 0.9  # classifier probability accepted without cross-check
CANDIDATE = 0.05  # classifier probability of a language considered in the cross-check
_URL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+")
# py3langid labels that are not ISO 639-1, mapped to the code whose stoplist and script fit.
_LANGID_ALIASES = {
    "ary": "ar", "arz": "ar", "yue": "zh", "wuu": "zh", "uzs": "uz", "hbo": "he",
    "grc": "el", "gug": "gn", "ltg": "lv", "sdh": "ku",
}


def page_language(page: Page) -> str:
    """The page's language as an ISO 639-1 code, guessed once and cached on the page."""
    found = page.facts.get(LANGUAGE)
    return page.facts.put(LANGUAGE, guess_language(page)) if found is None else found


def language_sample(page: Page) -> list[str]:
    """The page's running text: its longest lines (URLs removed), each cut to a bounded length.

    Deterministic (ties keep page order) and bounded, so guessing costs the same on a huge page.
    """
    found = page.facts.get(LANGUAGE_SAMPLE)
    if found is None:
        # The longest texts, ties in page order (nlargest is stable), without a list of every line.
        longest = heapq.nlargest(SAMPLE_LINES, _sample_candidates(page), key=lambda item: len(item[1]))
        found = page.facts.put(LANGUAGE_SAMPLE, [text[:SAMPLE_LINE_CHARS] for _, text in sorted(longest)])
    return found


def _sample_words(page: Page) -> list[list[str]]:
    """The words of each line of the language sample (cached: the guess and the stopword floor read them)."""
    found = page.facts.get(LANGUAGE_SAMPLE_WORDS)
    if found is None:
        found = page.facts.put(LANGUAGE_SAMPLE_WORDS, [words(text) for text in language_sample(page)])
    return found


def _sample_candidates(page: Page) -> Iterator[tuple[int, str]]:
    """(index, text) of the lines long enough to sample, URLs removed, in page order."""
    index = 0
    for line in page.lines:
        text = line.content
        if len(text) < 10:
            continue
        if "@" in text or "://" in text or "www." in text:  # what every match of _URL holds
            text = _URL.sub(" ", text).strip()
        if len(text) >= MIN_SAMPLE_LINE or (len(text) >= 10 and CJK.search(text)):
            yield index, text
            index += 1


@lru_cache(maxsize=1)
def _identifier():  # -> py3langid.langid.LanguageIdentifier (loaded once; see cleaner.text.langid_cache)
    from cleaner.text.langid_cache import load_identifier

    return load_identifier()


@lru_cache(maxsize=1)
def _ranker() -> Callable[[str], list[tuple[str, float]]]:
    """``py3langid``'s ``rank`` (same labels, same probabilities, bit for bit), with its feature walk vectorised.

    ``rank`` walks the text's UTF-8 bytes through the model's automaton one byte at a time in
    Python (about 0.2 microseconds a byte, half its time on a 2,500-byte sample). The walk is
    ``state[i] = next(state[i - 1], byte[i])`` from the start state; here every position is
    advanced together with numpy, ``state <- next(shifted state, byte)``, until nothing moves.
    The automaton only remembers the last few bytes (a state is the longest pattern prefix
    ending there: at most 6 bytes for this model), so that takes as many rounds as its depth;
    a fixed point of that step satisfies the recurrence at every position, so it *is* the
    byte-by-byte walk, whatever the model. Features are then counted in order of first
    occurrence, as ``rank``'s ``Counter`` does, so the scores are summed in the same order.
    Anything unexpected (another py3langid layout, a walk that does not settle) uses ``rank``.
    """
    identifier = _identifier()
    try:
        return _VectorRank(identifier)
    except (AttributeError, TypeError, ValueError):  # another py3langid layout
        return identifier.rank


class _VectorRank:
    """The vectorised ``rank`` of :func:`_ranker`, over one loaded py3langid identifier."""

    def __init__(self, identifier: Any) -> None:
        import numpy as np

        self._np = np
        self._rank = identifier.rank  # the byte-by-byte original, for anything unexpected
        self._nextmove = np.asarray(identifier.tk_nextmove)
        self._rowbase = np.asarray(identifier.tk_row).astype(np.intp) << 8
        self._output = np.asarray(identifier.tk_output, dtype=np.intp)
        self._table = np.asarray(identifier.nb_ptc)  # a memory map's array: no per-call wrapper
        self._prior, self._classes, self._aliases = identifier.nb_pc, identifier.nb_classes, identifier._alias_pairs
        self._encode, normalised = identifier._encode, identifier._norm_probs
        self._start = int(self._rowbase[0])
        self._half = self._table.dtype == np.float16
        if self._nextmove.ndim != 1 or not normalised:
            raise ValueError("unsupported py3langid model layout")
        # Work arrays for the rows a text uses, reused from text to text: arrays of this size (half a
        # megabyte) allocated afresh are new memory each time, and the page faults cost more than the
        # arithmetic. Bounded: a text with more features than this allocates its own.
        # Per thread: two threads ranking at once must not share them.
        self._local = threading.local()
        self._columns = self._table.shape[1] if self._table.ndim == 2 else 0

    def __call__(self, text: str) -> list[tuple[str, float]]:
        data = self._encode(text)
        if not isinstance(data, bytes):
            return self._rank(text)
        features = self._features(data)
        if features is None:
            return self._rank(text)
        return self._decide(self._scores(features), len(data))

    def _features(self, data: bytes) -> Any:  # -> numpy array of feature indexes; None: the walk did not settle
        """The model's features found in ``data``, one per position where one ends (the automaton walk)."""
        np = self._np
        if not data:
            return np.empty(0, dtype=np.intp)
        codes = np.frombuffer(data, dtype=np.uint8).astype(np.intp)
        nextmove = self._nextmove
        states = nextmove[self._start + codes]  # each position's state after its byte alone
        before = np.zeros(len(data), dtype=np.intp)
        for _ in range(_WALK_ROUNDS):
            before[1:] = states[:-1]
            moved = nextmove[self._rowbase[before] + codes]
            if np.array_equal(moved, states):
                break
            states = moved
        else:
            return None
        features = self._output[states]
        return features[features >= 0]

    def _scores(self, features: Any) -> Any:  # -> float32 array, one score per class
        """The naive Bayes scores, features counted in order of first occurrence (as ``rank``'s ``Counter``)."""
        np = self._np
        if not len(features):
            return np.full(len(self._classes), 0.0, dtype=np.float32)  # featureless: uniform
        found, first, counts = np.unique(features, return_index=True, return_counts=True)
        order = np.argsort(first)
        rows = self._rows(found[order])
        return np.log1p(counts[order].astype(np.float32)) @ rows + self._prior

    def _decide(self, scores: Any, size: int) -> list[tuple[str, float]]:
        """The rest as py3langid's ``_decide`` and ``rank`` do it (``norm_probs=True``)."""
        np = self._np
        scores *= 1.0 / math.sqrt(size or 1)
        np.exp(scores - scores.max(), out=scores)
        scores /= scores.sum()
        for first_column, dupe in self._aliases:
            scores[first_column] += scores[dupe]
            scores[dupe] = 0.0
        merged: dict[str, float] = {}
        for label, score in zip(self._classes, scores.tolist(), strict=True):
            merged.setdefault(label, score)
        return sorted(merged.items(), key=itemgetter(1), reverse=True)

    def _rows(self, indexes: Any) -> Any:  # -> the model's rows for these features, as float32
        np, table = self._np, self._table
        count = len(indexes)
        if not self._half or count > _SCRATCH_ROWS:
            return table[indexes]  # (numpy widens float16 rows in the product itself)
        scratch: dict[str, Any] = self._local.__dict__
        if len(scratch.get("half", ())) < count:
            scratch.update(
                half=np.empty((_SCRATCH_ROWS, self._columns), dtype=np.float16),
                bits=np.empty((_SCRATCH_ROWS, self._columns), dtype=np.uint32),
                magnitude=np.empty((_SCRATCH_ROWS, self._columns), dtype=np.uint32),
            )
        rows = np.take(table, indexes, axis=0, out=scratch["half"][:count])
        return _widen_half(rows, scratch["bits"][:count], scratch["magnitude"][:count], np)


def _widen_half(rows, bits, magnitude, np):  # (float16 array, two uint32 work arrays of its shape, numpy)
    """``rows.astype(numpy.float32)`` in integer operations, two to three times faster than numpy's cast.

    For normal numbers a float16 widens exactly by moving its bits: the sign to bit 31, the
    exponent re-biased (+112) and the fraction shifted up 13 bits. Zeros, subnormals, infinities
    and NaNs (none in py3langid's model) take numpy's own cast. The result is ``magnitude``
    viewed as float32.
    """
    np.copyto(bits, rows.view(np.uint16))
    np.bitwise_and(bits, 0x7FFF, out=magnitude)
    if magnitude.min() < 0x0400 or magnitude.max() >= 0x7C00:  # exponent all zeros or all ones
        return rows.astype(np.float32)
    np.bitwise_and(bits, 0x8000, out=bits)
    np.left_shift(bits, 16, out=bits)
    np.add(magnitude, 0x1C000, out=magnitude)  # (127 - 15) << 10: the exponent's bias, before the shift
    np.left_shift(magnitude, 13, out=magnitude)
    np.bitwise_or(magnitude, bits, out=magnitude)
    return magnitude.view(np.float32)


# Rows (features of one text) the ranking's work arrays hold: 4,096 rows of 142 classes take 5.8 MB
# in all; a language sample (ten lines of 300 characters) has about 1,000 to 2,500 features.
_SCRATCH_ROWS = 4096


# Rounds of the vectorised walk before giving up on it: the automaton's depth plus one is enough.
_WALK_ROUNDS = 32


def rank_languages(text: str) -> list[tuple[str, float]]:
    """``py3langid``'s languages for ``text`` with probabilities, best first, as ISO 639-1 codes.

    Labels without a two-letter code ("zxx" no language, regional varieties without a
    mapping) are dropped; aliases ("arz" Egyptian Arabic -> "ar") are merged.
    """
    merged: dict[str, float] = {}
    for label, probability in _ranker()(text):
        code = _LANGID_ALIASES.get(label, label)
        if len(code) == 2:
            merged[code] = merged.get(code, 0.0) + probability
    return sorted(merged.items(), key=lambda item: (-item[1], item[0]))


def guess_language(page: Page, default: str = DEFAULT_LANGUAGE) -> str:
    """The page's language (ISO 639-1): ``py3langid`` on the page's longest lines.

    When the classifier is unsure (close languages: Danish/Norwegian, Croatian/Serbian,
    Malay/Indonesian) or the text is short, the candidate whose stoplist covers most of
    the sample wins (the classifier's order breaks ties). Pages with almost no text fall
    back to stopword coverage and script, then to ``default``.
    """
    sample = language_sample(page)
    text = "\n".join(sample)
    # The words of the joined sample are those of its lines (no word runs over a line break).
    letters = sum(sum(map(len, tokens)) for tokens in _sample_words(page))
    if letters < MIN_LETTERS:
        # No running text: what the short lines (menus, labels) say, by script and stopwords.
        labels = [line.content[:SAMPLE_LINE_CHARS] for line in page.lines[:FALLBACK_LINES] if not line.is_blank]
        return _stopword_guess(labels, default)
    ranked = rank_languages(text)
    if not ranked:
        return _stopword_guess(sample, default)
    best, probability = ranked[0]
    if probability >= CONFIDENT and letters >= MIN_CLASSIFIER_LETTERS:
        return best
    candidates = [code for code, p in ranked[:3] if p >= CANDIDATE] or [best]
    return max(candidates, key=lambda code: stopword_ratio(text, code))


@lru_cache(maxsize=1)
def _stopword_index() -> dict[str, tuple[str, ...]]:
    """Word -> the languages whose stoplist holds it (built once, for the fallback guess)."""
    import stopwordsiso

    index: dict[str, list[str]] = {}
    for language in sorted(stopwordsiso.langs()):
        for word in stopwordsiso.stopwords(language):
            index.setdefault(word.lower(), []).append(language)
    return {word: tuple(languages) for word, languages in index.items()}


def _stopword_guess(texts: list[str], default: str = DEFAULT_LANGUAGE) -> str:
    """Fallback for short pages: CJK by script, else the stoplist that covers most words."""
    joined = "\n".join(texts)
    cjk = CJK.findall(joined)
    if cjk and len(cjk) > 0.3 * sum(ch.isalpha() for ch in joined):
        hangul = sum(1 for ch in cjk if re.match(f"[{HANGUL}]", ch))
        kana = sum(1 for ch in cjk if re.match(f"[{KANA}]", ch))
        if hangul > len(cjk) / 2:
            return "ko"
        return "ja" if kana > len(cjk) / 10 else "zh"
    index = _stopword_index()
    hits: dict[str, int] = {}
    for token in words(joined.lower()):
        for language in index.get(token, ()):
            hits[language] = hits.get(language, 0) + 1
    if not hits:
        return default
    return max(sorted(hits), key=lambda language: hits[language])

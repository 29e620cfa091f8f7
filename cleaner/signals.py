"""Shared per-line signals: prose density, sentence punctuation, link-likeness, stopwords.

Every detector reads these from one place instead of recomputing them. The signals are
language-aware where it matters: stopwords come from the maintained ``stopwordsiso`` lists,
and sentence ends cover Latin, CJK, Arabic and Indic punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from cleaner.page import Line, Page

WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
# Sentence-final punctuation in many scripts, optionally followed by closing quotes/brackets.
SENTENCE_END = re.compile(r"[.!?…。！？।؟።][\"'”’»)\]]*$|[\"'”’»][.!?…]$")
INNER_PUNCT = re.compile(r"[,;:，、；：]|[.!?。！？](?=\s)")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
URLISH = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|\S+\.(?:com|org|net|co\.uk)\b", re.I)
TRUNCATED = re.compile(r"(?:\.\.\.|…)[\"'”’»)\]]*$")
DIGITS = re.compile(r"\d+")
DEFAULT_LANGUAGE = "en"


@lru_cache(maxsize=64)
def stopwords(language: str = DEFAULT_LANGUAGE) -> frozenset[str]:
    """The stopword list of an ISO 639-1 language (empty when the package has none)."""
    import stopwordsiso

    if not stopwordsiso.has_lang(language):
        return frozenset()
    return frozenset(stopwordsiso.stopwords(language))


@dataclass(frozen=True)
class LineSignals:
    """What a line looks like, independent of its words' meaning."""

    words: int
    chars: int
    stopword_ratio: float
    sentence_end: bool
    inner_punct: int
    title_case: bool
    bulleted: bool
    urlish: bool
    cjk: bool
    repeats: int = 1
    truncated: bool = False

    @property
    def is_prose(self) -> bool:
        """A line that reads like article prose: long enough, punctuated, made of sentences."""
        if self.truncated:
            return False
        if self.cjk:
            return self.chars >= 25 and (self.sentence_end or self.inner_punct >= 2)
        return (
            self.words >= 8
            and (self.sentence_end or self.inner_punct >= 2 or self.words >= 25)
            and self.stopword_ratio >= 0.2
            and not self.title_case
        )

    @property
    def is_short(self) -> bool:
        return self.words <= 5 if not self.cjk else self.chars <= 12


def _title_case(tokens: list[str]) -> bool:
    """Most words capitalised: a headline, a menu item or a name, rarely a sentence."""
    alpha = [t for t in tokens if t[0].isalpha()]
    if len(alpha) < 3:
        return False
    capital = sum(1 for t in alpha if t[0].isupper())
    return capital / len(alpha) >= 0.75


def line_signals(line: Line, language: str = DEFAULT_LANGUAGE) -> LineSignals:
    text = line.content
    tokens = WORD.findall(text)
    stop = stopwords(language)
    lowered = [t.lower() for t in tokens]
    ratio = sum(1 for t in lowered if t in stop) / len(tokens) if tokens else 0.0
    return LineSignals(
        words=len(tokens),
        chars=len(text),
        stopword_ratio=ratio,
        sentence_end=bool(SENTENCE_END.search(text)),
        inner_punct=len(INNER_PUNCT.findall(text)),
        title_case=_title_case(tokens),
        bulleted=line.bulleted,
        urlish=bool(URLISH.search(text)),
        cjk=bool(CJK.search(text)),
        truncated=bool(TRUNCATED.search(text)) and len(text) < 300,
    )


def page_signals(page: Page, language: str | None = None) -> list[LineSignals]:
    """Signals for every line of ``page``, computed once and cached on the page.

    ``language`` defaults to the page's guessed language (:func:`page_language`).
    """
    language = language or page_language(page)
    cached = page.cache.get("signals")
    if cached is None or cached[0] != language:
        signals = [line_signals(line, language) for line in page.lines]
        cached = (language, _with_repeats(page, signals))
        page.cache["signals"] = cached
    return cached[1]


def line_shape(text: str) -> str:
    """A line's template: lower-cased, numbers replaced ("Rating: 36 Votes" -> "rating: # votes")."""
    return DIGITS.sub("#", " ".join(text.lower().split()))


def _with_repeats(page: Page, signals: list[LineSignals]) -> list[LineSignals]:
    """Record how often each short line's shape occurs on the page.

    Short lines that recur with the same shape ("Reply", "2 days ago at 07:52 am",
    "By STAFF") are produced by a template: comment metadata, teaser bylines, menu items.
    """
    shapes = ["" if line.is_blank else line_shape(line.content) for line in page.lines]
    counts: dict[str, int] = {}
    for shape in shapes:
        if shape:
            counts[shape] = counts.get(shape, 0) + 1
    return [
        replace(sig, repeats=counts[shape]) if shape and counts[shape] > 1 else sig
        for shape, sig in zip(shapes, signals, strict=True)
    ]


def page_language(page: Page) -> str:
    """The page's language, guessed once and cached on the page."""
    if "language" not in page.cache:
        page.cache["language"] = guess_language(page)
    return page.cache["language"]


@lru_cache(maxsize=1)
def _stopword_index() -> dict[str, tuple[str, ...]]:
    """Word -> the languages whose stoplist holds it (built once, for language guessing)."""
    import stopwordsiso

    index: dict[str, list[str]] = {}
    for language in sorted(stopwordsiso.langs()):
        for word in stopwordsiso.stopwords(language):
            index.setdefault(word, []).append(language)
    return {word: tuple(languages) for word, languages in index.items()}


def guess_language(page: Page, default: str = DEFAULT_LANGUAGE) -> str:
    """The page's language (ISO 639-1) by stopword coverage of its longer lines.

    Stopwords are the most frequent words of a language, so the stoplist that covers most
    of a page's running text names its language. CJK pages (no spaces between words) are
    recognised by script instead.
    """
    index = _stopword_index()
    hits: dict[str, int] = {}
    cjk_chars = kana = hangul = total_chars = 0
    for line in page.lines:
        text = line.content
        if len(text) < 30:
            continue
        total_chars += len(text)
        cjk_chars += len(CJK.findall(text))
        kana += len(re.findall(r"[\u3040-\u30ff]", text))
        hangul += len(re.findall(r"[\uac00-\ud7af]", text))
        for token in WORD.findall(text.lower()):
            for language in index.get(token, ()):
                hits[language] = hits.get(language, 0) + 1
    if cjk_chars > 0.3 * total_chars:
        if hangul > cjk_chars / 2:
            return "ko"
        return "ja" if kana > cjk_chars / 10 else "zh"
    if not hits:
        return default
    return max(sorted(hits), key=lambda language: hits[language])

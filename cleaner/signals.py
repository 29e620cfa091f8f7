"""Shared per-line signals: prose density, sentence punctuation, link-likeness, stopwords.

Every detector reads these from one place instead of recomputing them. The signals are
language-aware where it matters: stopwords come from the maintained ``stopwordsiso`` lists,
and sentence ends cover Latin, CJK, Arabic and Indic punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from cleaner.language import CJK, DEFAULT_LANGUAGE, WORD, page_language, stopwords
from cleaner.page import Line, Page

# Sentence-final punctuation in many scripts, optionally followed by closing quotes/brackets.
SENTENCE_END = re.compile(r"[.!?…。！？।؟።][\"'”’»)\]]*$|[\"'”’»][.!?…]$")
INNER_PUNCT = re.compile(r"[,;:，、；：]|[.!?。！？](?=\s)")
URLISH = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|\S+\.(?:com|org|net|co\.uk)\b", re.I)
TRUNCATED = re.compile(r"(?:\.\.\.|…)[\"'”’»)\]]*$")
DIGITS = re.compile(r"\d+")


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

"""Shared per-line signals: prose density, sentence punctuation, link-likeness, stopwords.

Every detector reads these from one place instead of recomputing them. The signals are
language-aware where it matters: stopwords come from the maintained ``stopwordsiso`` lists,
and sentence ends cover Latin, CJK, Arabic and Indic punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from cleaner.page import Line, Page

WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
# Sentence-final punctuation in many scripts, optionally followed by closing quotes/brackets.
SENTENCE_END = re.compile(r"[.!?…。！？।؟።][\"'”’»)\]]*$|[\"'”’»][.!?…]$")
INNER_PUNCT = re.compile(r"[,;:，、；：]|[.!?。！？](?=\s)")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
URLISH = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|\S+\.(?:com|org|net|co\.uk)\b", re.I)
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

    @property
    def is_prose(self) -> bool:
        """A line that reads like article prose: long enough, punctuated, made of sentences."""
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
    )


def page_signals(page: Page, language: str = DEFAULT_LANGUAGE) -> list[LineSignals]:
    """Signals for every line of ``page``, computed once and cached on the page."""
    cached = getattr(page, "_signals", None)
    if cached is None or cached[0] != language:
        cached = (language, [line_signals(line, language) for line in page.lines])
        page._signals = cached  # type: ignore[attr-defined]
    return cached[1]

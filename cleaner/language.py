"""The page's language: guessed once per page, and its stopword list.

Stopwords come from the maintained ``stopwordsiso`` lists; they are the most frequent
words of a language, so their density marks running text in any language that has a list.
"""

from __future__ import annotations

import re
from functools import lru_cache

from cleaner.page import Page

DEFAULT_LANGUAGE = "en"
WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


@lru_cache(maxsize=64)
def stopwords(language: str = DEFAULT_LANGUAGE) -> frozenset[str]:
    """The stopword list of an ISO 639-1 language (empty when the package has none)."""
    import stopwordsiso

    if not stopwordsiso.has_lang(language):
        return frozenset()
    return frozenset(stopwordsiso.stopwords(language))


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

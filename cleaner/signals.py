"""Shared per-line signals: prose density, sentence punctuation, link-likeness, stopwords.

Every detector reads these from one place instead of recomputing them. The signals are
language-aware where it matters: stopwords come from the maintained ``stopwordsiso`` lists
(their floor measured per page), word counts are script-aware, and sentence punctuation
covers Latin, CJK, Arabic, Indic, Armenian, Ethiopic and Southeast Asian scripts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from cleaner.formats import link_density, unit_lines, unit_of
from cleaner.language import (
    CJK,
    DEFAULT_LANGUAGE,
    PROSE_STOPWORD_FLOOR,
    WORD,
    default_stopword_floor,
    page_language,
    stopword_floor,
    stopwords,
    word_count,
)
from cleaner.page import Line, Page

# Sentence-final punctuation of many scripts: Latin, CJK (。！？ and half-width ｡), Devanagari
# and Bengali danda (। ॥), Arabic question mark (؟), Urdu full stop (۔), Armenian (։),
# Ethiopic (። ፧ ፨), Myanmar (။), Khmer (។ ៕), Tibetan shad (། ༎); optionally followed by
# closing quotes or brackets of any script (French sets a space before the closing »).
_ENDERS = ".!?…‼⁇⁈⁉。！？｡।॥؟۔։።፧፨။។៕།༎"
_CLOSERS = "\"'”’»)\\]」』）】》〉〕"
SENTENCE_END = re.compile(rf"[{_ENDERS}](?:\s?[{_CLOSERS}])*$|[\"'”’»][.!?…]$")
# Sentence ends that are ordinary marks elsewhere: Greek writes "?" as ";" and Armenian
# often types its full stop "։" as ":".
LANGUAGE_ENDERS = {"el": ";", "hy": ":"}
# Inner punctuation: commas, semicolons and colons of many scripts (Latin, full-width CJK
# and the ideographic comma 、, Arabic ، ؛, Armenian ՝, Ethiopic ፣ ፤ ፥ ፦, Myanmar ၊); a
# sentence end followed by a space; a CJK sentence end anywhere before the line's end (CJK
# puts no space after it); a Spanish ¿ ¡ opening a sentence mid-line; and the spaces that
# separate clauses in Thai, Lao and Khmer, which have no comma.
INNER_PUNCT = re.compile(
    r"[,;:，、；：､،؛՝፣፤፥፦၊]"
    r"|[.!?।॥؟۔։።፧။។](?=\s)"
    r"|[。！？｡](?=.)"
    r"|(?<=\s)[¿¡]"
    r"|(?<=[\u0e00-\u0eff\u1780-\u17ff])\s+(?=[\u0e00-\u0eff\u1780-\u17ff])"
)
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
    # The stopword ratio prose needs on this page (0.0 where the stoplist does not fit the
    # language: see cleaner.language.stopword_floor).
    stopword_floor: float = PROSE_STOPWORD_FLOOR
    # Estimated share of the line's (or wrapped paragraph's) text inside links; 0.0 unless the
    # dump marks links with numbered markers (cleaner.formats.link_density).
    link_density: float = 0.0

    @property
    def is_prose(self) -> bool:
        """A line that reads like article prose: long enough, punctuated, made of sentences.

        ``words`` are script-aware (Chinese, Japanese, Thai count characters at a measured
        rate), so one test serves every script.
        """
        if self.truncated:
            return False
        return (
            self.words >= 8
            and (self.sentence_end or self.inner_punct >= 2 or self.words >= 25)
            and self.stopword_ratio >= self.stopword_floor
            and not self.title_case
        )

    @property
    def is_short(self) -> bool:
        return self.words <= 5


def _title_case(tokens: list[str]) -> bool:
    """Most words capitalised: a headline, a menu item or a name, rarely a sentence."""
    alpha = [t for t in tokens if t[0].isalpha()]
    if len(alpha) < 3:
        return False
    capital = sum(1 for t in alpha if t[0].isupper())
    return capital / len(alpha) >= 0.75


def line_signals(line: Line, language: str = DEFAULT_LANGUAGE, floor: float | None = None) -> LineSignals:
    """The signals of one line of a page in ``language``.

    ``floor`` is the stopword ratio prose needs; by default the language's
    (:func:`cleaner.language.default_stopword_floor`), on a page the page's own measure.
    """
    text = line.content
    tokens = WORD.findall(text)
    stop = stopwords(language)
    ratio = sum(1 for t in tokens if t.lower() in stop) / len(tokens) if tokens else 0.0
    extra_end = LANGUAGE_ENDERS.get(language)
    return LineSignals(
        words=word_count(text),
        chars=len(text),
        stopword_ratio=ratio,
        sentence_end=bool(SENTENCE_END.search(text)) or bool(extra_end and text.endswith(extra_end)),
        inner_punct=len(INNER_PUNCT.findall(text)),
        title_case=_title_case(tokens),
        bulleted=line.bulleted,
        urlish=bool(URLISH.search(text)),
        cjk=bool(CJK.search(text)),
        truncated=bool(TRUNCATED.search(text)) and len(text) < 300,
        stopword_floor=default_stopword_floor(language) if floor is None else floor,
    )


def page_signals(page: Page, language: str | None = None) -> list[LineSignals]:
    """Signals for every line of ``page``, computed once and cached on the page.

    ``language`` defaults to the page's guessed language (:func:`page_language`).
    """
    language = language or page_language(page)
    cached = page.cache.get("signals")
    if cached is None or cached[0] != language:
        floor = stopword_floor(page) if language == page_language(page) else None
        signals = _unit_signals(page, language, floor)
        cached = (language, _with_repeats(page, signals))
        page.cache["signals"] = cached
    return cached[1]


def _unit_signals(page: Page, language: str, floor: float | None) -> list[LineSignals]:
    """Signals per unit (cleaner.formats.page_units), given to each of its lines.

    A hard-wrapped paragraph is judged on its rejoined text, so its lines read as the prose
    they are; in a one-line-per-block dump every unit is one line.
    """
    owners = unit_of(page)
    by_unit: dict[int, LineSignals] = {}
    out: list[LineSignals] = []
    for line, joined, unit in zip(page.lines, unit_lines(page), owners, strict=True):
        if joined is None or unit is None:
            out.append(line_signals(line, language, floor))
            continue
        if unit.first not in by_unit:
            sig = line_signals(joined, language, floor)
            density = link_density(page, unit)
            by_unit[unit.first] = replace(sig, link_density=density) if density else sig
        out.append(by_unit[unit.first])
    return out


def line_shape(text: str) -> str:
    """A line's template: lower-cased, numbers replaced ("Rating: 36 Votes" -> "rating: # votes")."""
    return DIGITS.sub("#", " ".join(text.lower().split()))


def _with_repeats(page: Page, signals: list[LineSignals]) -> list[LineSignals]:
    """Record how often each short line's shape occurs on the page.

    Short lines that recur with the same shape ("Reply", "2 days ago at 07:52 am",
    "By STAFF") are produced by a template: comment metadata, teaser bylines, menu items.
    """
    joined = unit_lines(page)
    shapes = ["" if unit is None else line_shape(unit.content) for unit in joined]
    counts: dict[str, int] = {}
    for line, unit, shape in zip(page.lines, joined, shapes, strict=True):
        # A wrapped paragraph counts once (on its first line), not once per line.
        if shape and unit is not None and unit.number == line.number:
            counts[shape] = counts.get(shape, 0) + 1
    return [
        replace(sig, repeats=counts[shape]) if shape and counts[shape] > 1 else sig
        for shape, sig in zip(shapes, signals, strict=True)
    ]

"""Shared per-line signals: prose density, sentence punctuation, link-likeness, stopwords.

Every detector reads these from one place instead of recomputing them. The signals are
language-aware where it matters: stopwords come from the maintained ``stopwordsiso`` lists
(their floor measured per page), word counts are script-aware, and sentence punctuation
covers Latin, CJK, Arabic, Indic, Armenian, Ethiopic and Southeast Asian scripts.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, fields
from operator import itemgetter

from cleaner.text.facts import Fact
from cleaner.text.language import (
    ASCII_WORD,
    CJK,
    DEFAULT_LANGUAGE,
    PROSE_STOPWORD_FLOOR,
    default_stopword_floor,
    has_unspaced,
    page_language,
    stopword_floor,
    stopwords,
    word_count,
    words,
)
from cleaner.text.layout import detect_layout, link_density, unit_lines, unit_of
from cleaner.text.page import Line, Page
from cleaner.text.phrases import TEXT_CACHE_SIZE

__all__ = [
    "INNER_PUNCT",
    "PROSE_INNER_PUNCT",
    "PROSE_LONG_WORDS",
    "PROSE_MIN_WORDS",
    "PHRASE_MASKS",
    "SENTENCE_END",
    "SIGNALS",
    "URLISH",
    "LineSignals",
    "line_shape",
    "line_signals",
    "page_signals",
    "phrase_masks",
]

# LineSignals.is_prose: at least PROSE_MIN_WORDS words, and a sentence end, PROSE_INNER_PUNCT inner
# punctuation marks or PROSE_LONG_WORDS words (cleaner.text.features tests the same on arrays).
PROSE_MIN_WORDS, PROSE_INNER_PUNCT, PROSE_LONG_WORDS = 8, 2, 25
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
# INNER_PUNCT on a text without any of its non-ASCII characters (nor Thai, Lao or Khmer): only
# these of its alternatives can match there. Most lines, curly quotes or not, take this path.
_ASCII_INNER_PUNCT = re.compile(r"[,;:]|[.!?](?=\s)")
_INNER_PUNCT_OTHER = frozenset(
    "，、；：､،؛՝፣፤፥፦၊।॥؟۔։።፧။។。！？｡¿¡" + "".join(map(chr, [*range(0x0E00, 0x0F00), *range(0x1780, 0x1800)]))
)
# URLISH for a yes/no answer, without its backtracking: a match of URLISH needs only one
# non-space character before the "@" or the ".com", and one after "https://".
_URL_TEST = re.compile(r"(?:https?://|www\.)\S|\S@\S+\.\w|\S\.(?:com|org|net|co\.uk)\b", re.I)
DIGITS = re.compile(r"\d+")


@dataclass(slots=True, unsafe_hash=True)
class LineSignals:
    """What a line looks like, independent of its words' meaning.

    Treat as immutable: lines with the same text share one object. (Not a frozen dataclass:
    its ``__init__`` sets each field through ``object.__setattr__``, and one object is made per
    distinct line; slots, because a page of half a million distinct lines held 400 bytes of
    ``__dict__`` per line.)
    """

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
    # language: see cleaner.text.language.stopword_floor).
    stopword_floor: float = PROSE_STOPWORD_FLOOR
    # Estimated share of the line's (or wrapped paragraph's) text inside links; 0.0 unless the
    # dump marks links with numbered markers (cleaner.text.layout.link_density).
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
            self.words >= PROSE_MIN_WORDS
            and (self.sentence_end or self.inner_punct >= PROSE_INNER_PUNCT or self.words >= PROSE_LONG_WORDS)
            and self.stopword_ratio >= self.stopword_floor
            and not self.title_case
        )

    @property
    def is_short(self) -> bool:
        return self.words <= 5


def _title_case(tokens: list[str]) -> bool:
    """Most words capitalised: a headline, a menu item or a name, rarely a sentence."""
    if len(tokens) < 3:
        return False
    heads = "".join(map(itemgetter(0), tokens))
    # The letters among the words' first characters (digits and marks do not count).
    alpha = heads if heads.isalpha() else "".join(filter(str.isalpha, heads))
    if len(alpha) < 3:
        return False
    capital = sum(map(str.isupper, alpha))
    return capital / len(alpha) >= 0.75


def line_signals(line: Line, language: str = DEFAULT_LANGUAGE, floor: float | None = None) -> LineSignals:
    """The signals of one line of a page in ``language``.

    ``floor`` is the stopword ratio prose needs; by default the language's
    (:func:`cleaner.text.language.default_stopword_floor`), on a page the page's own measure.
    """
    floor = default_stopword_floor(language) if floor is None else floor
    return _text_signals(line.content, line.bulleted, stopwords(language), LANGUAGE_ENDERS.get(language), floor)


def _text_signals(
    text: str, bulleted: bool, stop: frozenset[str], extra_end: str | None, floor: float, repeats: int = 1
) -> LineSignals:
    return _measure(text, bulleted, stop, extra_end, floor, repeats)[0]


def _measure(
    text: str, bulleted: bool, stop: frozenset[str], extra_end: str | None, floor: float, repeats: int
) -> tuple[LineSignals, list[str]]:
    """The text's signals, and its words lower-cased (the phrase gates want them too)."""
    ascii_text = text.isascii()
    # (words() without its own ASCII test: most lines are ASCII and take the cheaper pattern)
    tokens = ASCII_WORD.findall(text) if ascii_text else words(text)
    low = list(map(str.lower, tokens))
    ratio = sum(map(stop.__contains__, low)) / len(tokens) if tokens else 0.0
    last = text[-1:]
    # Positional, in field order: keywords cost a tenth of the whole per-text work.
    return LineSignals(
        len(tokens) if ascii_text or not has_unspaced(text) else word_count(text),  # words
        len(text),  # chars
        ratio,  # stopword_ratio
        (last in _END_LAST and _sentence_end(text)) or bool(extra_end and text.endswith(extra_end)),  # sentence_end
        len(_inner_punct_pattern(text, ascii_text).findall(text)),  # inner_punct
        _title_case(tokens),  # title_case
        bulleted,
        _urlish(text),  # urlish
        not ascii_text and bool(CJK.search(text)),  # cjk
        repeats,
        last in _TRUNCATED_LAST and len(text) < 300 and bool(TRUNCATED.search(text)),  # truncated
        floor,  # stopword_floor
    ), low


# The characters a match of SENTENCE_END (of TRUNCATED) can end with: other lines need no search.
# (Texts are stripped, so "$" never matches before a final newline.)
_END_LAST = frozenset(_ENDERS + _CLOSERS)
_TRUNCATED_LAST = frozenset(".…\"'”’»)]")
_CLOSER_SET = frozenset(_CLOSERS)


def _sentence_end(text: str) -> bool:
    """``SENTENCE_END.search(text)``, searched in the text's tail only.

    A match ends at the end of the text and holds one sentence mark followed by closing
    quotes or brackets and white space only (or is a quote and a mark): it starts at most
    two characters before the text with its trailing closers and white space stripped.
    """
    end = len(text)
    while end and (text[end - 1] in _CLOSER_SET or text[end - 1].isspace()):  # \s is str.isspace
        end -= 1
    return SENTENCE_END.search(text, max(0, end - 2)) is not None


def _inner_punct_pattern(text: str, ascii_text: bool) -> re.Pattern[str]:
    return _ASCII_INNER_PUNCT if ascii_text or _INNER_PUNCT_OTHER.isdisjoint(text) else INNER_PUNCT


def _urlish(text: str) -> bool:
    """``URLISH.search(text)`` as a yes/no, tried only when the text has what every match has:
    "://", "@", or (in any case) "www." or a ".com"-like ending."""
    if "://" not in text and "@" not in text:
        if "." not in text:
            return False
        low = text.lower()
        if "www." not in low and ".com" not in low and ".org" not in low and ".net" not in low and ".co.uk" not in low:
            return False
    return _URL_TEST.search(text) is not None


# The page facts this module computes (see cleaner.text.facts), each by the function named.
# page_signals: (the language they were measured for, one LineSignals per line).
SIGNALS: Fact[tuple[str, list[LineSignals]]] = Fact("signals", per_line=True)
# phrase_masks (or page_signals' pass, which splits the words anyway): (the book's gate version
# they were made with, one mask per line).
PHRASE_MASKS: Fact[tuple[int, list[int]]] = Fact("phrase_masks")


def page_signals(page: Page, language: str | None = None) -> list[LineSignals]:
    """Signals for every line of ``page``, computed once and cached on the page.

    ``language`` defaults to the page's guessed language (:func:`page_language`).
    """
    language = language or page_language(page)
    cached = page.facts.get(SIGNALS)
    if cached is None or cached[0] != language:
        floor = stopword_floor(page) if language == page_language(page) else None
        layout = detect_layout(page)
        if not layout.wrapped and not layout.link_markers:  # every line is its own unit, no link density
            signals = _line_signals(page, language, floor)
        else:
            signals = _with_repeats(page, _unit_signals(page, language, floor))
        cached = page.facts.put(SIGNALS, (language, signals))
    return cached[1]


def _unit_signals(page: Page, language: str, floor: float | None) -> list[LineSignals]:
    """Signals per unit (cleaner.text.layout.page_units), given to each of its lines (repeats not counted yet).

    A hard-wrapped paragraph is judged on its rejoined text, so its lines read as the prose
    they are. (A page whose every unit is one line takes :func:`_line_signals`.)
    """
    by_unit: dict[int, LineSignals] = {}
    out: list[LineSignals] = []
    stop, extra_end = stopwords(language), LANGUAGE_ENDERS.get(language)
    floor = default_stopword_floor(language) if floor is None else floor
    # Lines with the same text have the same signals: blank lines, repeated menu items and labels.
    # One table per value of ``bulleted`` (a tuple key per line cost memory and time on big pages).
    known: tuple[dict[str, LineSignals], dict[str, LineSignals]] = ({}, {})

    def signals_of(line: Line) -> LineSignals:
        table = known[line.bulleted]
        found = table.get(line.content)
        if found is None:
            found = table[line.content] = _text_signals(line.content, line.bulleted, stop, extra_end, floor)
        return found

    for line, joined, unit in zip(page.lines, unit_lines(page), unit_of(page), strict=True):
        if joined is None or unit is None:
            out.append(signals_of(line))
            continue
        if unit.first not in by_unit:
            sig = signals_of(joined)
            density = link_density(page, unit)
            by_unit[unit.first] = _with(sig, link_density=density) if density else sig
        out.append(by_unit[unit.first])
    return out


def _line_signals(page: Page, language: str, floor: float | None) -> list[LineSignals]:
    """Signals of every line of a page whose every unit is its line, repeats included.

    What :func:`_unit_signals` and :func:`_with_repeats` compute there, in one pass per distinct
    text: a page repeats about a quarter of its lines (menus, labels), and each text is measured,
    shaped and given its repeat count once. The same pass makes the page's phrase gates
    (:func:`phrase_masks`) from the words it splits anyway.
    """
    stop, extra_end = stopwords(language), LANGUAGE_ENDERS.get(language)
    floor = default_stopword_floor(language) if floor is None else floor
    lines = page.lines
    # How often each non-blank text occurs, then each shape (the sum over the texts that have it).
    counts = Counter([line.content for line in lines if not line.is_blank])
    shapes = {text: line_shape(text) for text in counts}
    shape_counts: dict[str, int] = {}
    for text, count in counts.items():
        shape = shapes[text]
        shape_counts[shape] = shape_counts.get(shape, 0) + count
    shape_counts.pop("", None)  # (an empty shape does not count as a repeat)
    del counts
    # One table per value of ``bulleted`` (a tuple key per line cost memory and time on big pages);
    # blank lines apart: they never count as repeats, even with the text of a non-blank line.
    known: tuple[dict[str, LineSignals], dict[str, LineSignals]] = ({}, {})
    blank: dict[str, LineSignals] = {}
    # Each text's phrase_masks entry, made from the words its signals split; kept for a bounded
    # number of texts (a big page of distinct lines repeats none: a repeat past it is gated again).
    version, mask_of = page.phrases.line_masker()
    known_masks: dict[str, int] = {}
    out: list[LineSignals] = []
    masks: list[int] = []
    for line in lines:
        content = line.content
        if line.is_blank:  # (invisible characters only: no phrase gate run)
            sig = blank.get(content)
            if sig is None:
                sig = blank[content] = _text_signals(content, False, stop, extra_end, floor)
            out.append(sig)
            masks.append(0)
            continue
        table = known[line.bulleted]
        sig = table.get(content)
        if sig is None:
            repeats = shape_counts.get(shapes[content], 1)
            sig, low = _measure(content, line.bulleted, stop, extra_end, floor, repeats)
            table[content] = sig
            mask = mask_of(content, low)
            if len(known_masks) < TEXT_CACHE_SIZE:
                known_masks[content] = mask
        else:
            mask = known_masks.get(content)
            if mask is None:
                mask = mask_of(content, None)
        out.append(sig)
        masks.append(mask)
    page.facts.put(PHRASE_MASKS, (version, masks))
    return out


def line_shape(text: str) -> str:
    """A line's template: lower-cased, numbers replaced ("Rating: 36 Votes" -> "rating: # votes")."""
    low = text.lower()
    # A printable text holds no white space but " " (U+0020): without a double or an outer space,
    # splitting and joining would give it back unchanged.
    if not (low.isprintable() and "  " not in low and low[:1] != " " and low[-1:] != " "):
        low = " ".join(low.split())
    return DIGITS.sub("#", low)


def _with_repeats(page: Page, signals: list[LineSignals]) -> list[LineSignals]:
    """Record how often each short line's shape occurs on the page.

    Short lines that recur with the same shape ("Reply", "2 days ago at 07:52 am",
    "By STAFF") are produced by a template: comment metadata, teaser bylines, menu items.
    """
    joined = unit_lines(page)
    known: dict[str, str] = {}  # text -> shape: repeated lines are shaped once
    shapes = [
        "" if unit is None else known.get(unit.content) or known.setdefault(unit.content, line_shape(unit.content))
        for unit in joined
    ]
    counts: dict[str, int] = {}
    for line, unit, shape in zip(page.lines, joined, shapes, strict=True):
        # A wrapped paragraph counts once (on its first line), not once per line.
        if shape and unit is not None and unit.number == line.number:
            counts[shape] = counts.get(shape, 0) + 1
    repeated: dict[tuple[int, int], LineSignals] = {}  # lines that share signals keep sharing them
    out = []
    for shape, sig in zip(shapes, signals, strict=True):
        count = counts[shape] if shape else 1
        if count > 1:
            key = (id(sig), count)
            if key not in repeated:
                repeated[key] = _with(sig, repeats=count)
            sig = repeated[key]
        out.append(sig)
    return out


_FIELDS = tuple(f.name for f in fields(LineSignals))


def _with(sig: LineSignals, **changes: object) -> LineSignals:
    """``dataclasses.replace`` without its per-call checks (thousands of calls per page)."""
    values = {name: getattr(sig, name) for name in _FIELDS}
    values.update(changes)
    return LineSignals(**values)  # type: ignore[arg-type]


def phrase_masks(page: Page) -> list[int]:
    """One integer per line of ``page``: the bits (:attr:`~cleaner.text.phrases.PhrasePatterns.bit`) of the
    sections of ``page.phrases`` it may match.

    A line may match a section when it holds the gate run of one of its phrases; detectors test a
    line with ``patterns.matches(text, mask)``, so most lines never get normalized or searched.
    Kept in the page's facts and made again when the book loaded a section since (the first page
    of a run). :func:`page_signals` makes them as it measures the lines, so this usually finds
    them made.
    """
    book = page.phrases
    cached = page.facts.get(PHRASE_MASKS)
    if cached is not None and cached[0] == book.gate_version:
        return cached[1]
    version, mask_of = book.line_masker()
    known: dict[str, int] = {"": 0}  # a page repeats about a quarter of its lines (menus, labels)
    masks = []
    for line in page.lines:
        content = line.content
        mask = known.get(content)
        if mask is None:
            mask = 0 if line.is_blank else mask_of(content, None)  # (blank: invisible characters, no runs)
            if len(known) < TEXT_CACHE_SIZE:  # bounded: a big page of distinct lines repeats none
                known[content] = mask
        masks.append(mask)
    page.facts.put(PHRASE_MASKS, (version, masks))
    return masks

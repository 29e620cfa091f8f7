"""Dates written in a page's lines, and the metadata phrase files the date, byline and headline finders read.

The words the finders need (month and weekday names, byline cues, job titles,
"published"/"updated" labels) are data, one file per language:
``cleaner/detectors/phrases/metadata.<lang>.txt``, read through :mod:`cleaner.text.phrases`; a
small table is enough and keeps the finders fast (``dateparser`` takes ~0.2 s to import and
5-45 ms per call). Their loaders sit here, at the bottom of the three vocabulary modules
(dates <- names <- headline), since dates need the month names and the labels first.

* Dates are ISO 8601 (``2015-03-03``); a date without a day ("March 2015") or relative to the
  visit ("5 hours ago") gives no date.
* "03/04/2015" is ambiguous. A reading forced by a number over 12 ("13/04/2015") wins; else
  the page's own convention decides (its other slash dates with a number over 12, see
  :func:`slash_convention`); else the caller's choice (:mod:`cleaner.metadata` takes month-first
  on English pages, the US convention of most English-language news, and day-first everywhere
  else). Dotted dates ("03.04.2015") are always day-first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

from cleaner.text.language import has_cjk
from cleaner.text.phrases import BUILT_IN, PhraseBook

__all__ = [
    "PHRASES",
    "VOCABULARY",
    "DateHit",
    "cue_pattern",
    "find_date",
    "find_dates",
    "label_rank",
    "month_names",
    "phrase_words",
    "slash_convention",
]

PHRASES = "metadata"  # cleaner/detectors/phrases/metadata.<lang>.txt
# The book the metadata vocabulary (months, cues, roles...) is read from: the data files alone.
# User phrases extend detectors' sections only (a config's [phrases.<name>] must name a detector,
# and "metadata" is none), so what is compiled from it here is the same for every page's book and
# kept in plain caches.
VOCABULARY: PhraseBook = BUILT_IN


# ---------------------------------------------------------------------------
# Vocabulary (data files)
# ---------------------------------------------------------------------------


@cache
def month_names() -> dict[str, int]:
    """Month name or abbreviation (lower case, any language with a data file) -> month number."""
    table: dict[str, int] = {}
    for entry in VOCABULARY.section(PHRASES, "months"):
        number, *names = entry.split()
        table.update(dict.fromkeys(names, int(number)))
    return table


@cache
def phrase_words(section: str) -> frozenset[str]:
    """Every word of every phrase of one section of the metadata data files."""
    return frozenset(word for phrase in VOCABULARY.section(PHRASES, section) for word in phrase.split())


@cache
def cue_pattern(section: str) -> re.Pattern[str]:
    """The (non-CJK) cues of ``section`` as one case-insensitive alternation, longest first."""
    cues = sorted((c for c in VOCABULARY.section(PHRASES, section) if not has_cjk(c)), key=len, reverse=True)
    return re.compile(r"(?i:" + "|".join(r"\s+".join(map(re.escape, c.split())) for c in cues) + r")")


@cache
def _label_pattern(section: str) -> re.Pattern[str]:
    """"Published", "Updated on" ...: the label of a date written after it."""
    return re.compile(r"\b(?:" + cue_pattern(section).pattern + r")\b", re.I)


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
_DAY = r"(?P<day>[0-3]?\d)"
_YEARISH = re.compile(r"(?:19|20)\d\d")
_SEPARATED_YEAR = re.compile(r"[/.-](?:19|20)\d\d")  # how a numeric date ends ("03/04/2015")


def _by_first_letter(words: list[str]) -> str:
    """``"|".join(map(re.escape, words))`` with the words grouped under their first letter: "j(?:anuary|une)|...".

    The same matches: words of different first letters never match at the same place, and
    the words of one letter keep their order. Faster under IGNORECASE, where the engine tries
    every alternative of a flat list at each position (the 142 month names made the
    month-first date pattern cost several microseconds a line).
    """
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[:1], []).append(word[1:])
    return "|".join(
        re.escape(first) + ("(?:" + "|".join(map(re.escape, rests)) + ")" if rests != [""] else "")
        for first, rests in groups.items()
    )


@cache
def _date_patterns() -> tuple[re.Pattern[str], ...]:
    names = sorted(month_names(), key=len, reverse=True)
    month = r"(?P<month>" + _by_first_letter(names) + r")\b\.?"
    return (
        # year first: ISO 8601, 2015/03/03, 2015. 3. 3.
        re.compile(r"(?<![\d.])" + _YEAR + r"(?P<sep>[-/.])\s?(?P<mnum>[01]?\d)(?P=sep)\s?" + _DAY + r"(?!\d)"),
        # CJK: 2015年3月3日, 2015년 3월 3일
        re.compile(r"(?P<year>(?:19|20)\d\d)\s*[年년]\s*(?P<mnum>[01]?\d)\s*[月월]\s*" + _DAY + r"(?!\d)"),
        # day first: 3 March 2015, 3rd March, 2015, 3. März 2015, 1er mars 2015, 3 de marzo de 2015
        re.compile(rf"(?<!\w){_DAY}(?:st|nd|rd|th|er|º|°)?\.?\s*(?:de\s+)?{month},?\s+(?:de\s+|del\s+)?{_YEAR}", re.I),
        # month first: March 3, 2015, Nov. 19 2019
        re.compile(rf"(?<!\w){month}\s*{_DAY}(?:st|nd|rd|th)?,?\s+{_YEAR}", re.I),
        # numbers only: 03/03/2015, 3.3.2015, 03-03-2015 (order resolved in _numeric_order)
        re.compile(r"(?<![\d./-])(?P<a>[0-3]?\d)(?P<sep>[/.-])(?P<b>[0-3]?\d)(?P=sep)" + _YEAR),
    )


@dataclass(frozen=True)
class DateHit:
    """A date written in a line: where it starts and its ISO form."""

    start: int
    iso: str


def _numeric_order(a: int, b: int, sep: str, month_first: bool) -> tuple[int, int]:
    """(month, day) of the numeric date a/b/yyyy: a number over 12 decides, dots mean day first."""
    if sep == "." or a > 12:
        return b, a
    if b > 12:
        return a, b
    return (a, b) if month_first else (b, a)


def _hit_date(parts: dict[str, str | None], month_first: bool) -> date | None:
    if parts.get("a"):
        month, day = _numeric_order(int(parts["a"] or 0), int(parts["b"] or 0), parts["sep"] or "/", month_first)
    else:
        month = int(parts["mnum"]) if parts.get("mnum") else month_names()[(parts["month"] or "").lower().rstrip(".")]
        day = int(parts["day"] or 0)
    try:
        return date(int(parts["year"] or 0), month, day)
    except ValueError:
        return None


def find_dates(text: str, month_first: bool = False) -> list[DateHit]:
    """Every date written in ``text``, in reading order (see the module notes for "03/04/2015")."""
    hits: list[DateHit] = []
    if not _YEARISH.search(text):  # every date form has a four-digit year: most lines end here, fast
        return hits
    for pattern in _date_patterns():
        for match in pattern.finditer(text):
            found = _hit_date(match.groupdict(), month_first)
            if found is not None and not any(h.start <= match.start() < h.start + 10 for h in hits):
                hits.append(DateHit(match.start(), found.isoformat()))
    return sorted(hits, key=lambda hit: hit.start)


def find_date(text: str, month_first: bool = False) -> str | None:
    """The first date written in ``text`` as ISO 8601 (``2015-03-03``), if any."""
    hits = find_dates(text, month_first)
    return hits[0].iso if hits else None


def slash_convention(texts: Iterable[str]) -> bool | None:
    """True if the page writes numeric dates month first, False if day first, None if it never shows.

    ``texts`` are lines, or whole texts of many lines.
    """
    votes = 0
    numeric = _date_patterns()[-1]
    for text in texts:
        # A numeric date ends with its separator and a four-digit year, and never spans a line
        # break: only the lines (of a text of many) holding those are searched, most never are.
        done = 0
        for year in _SEPARATED_YEAR.finditer(text):
            if year.start() < done:
                continue
            begin = text.rfind("\n", 0, year.start()) + 1
            done = text.find("\n", year.end())
            if done < 0:
                done = len(text)
            for match in numeric.finditer(text, begin, done):
                if match.group("sep") == ".":
                    continue
                a, b = int(match.group("a")), int(match.group("b"))
                votes += (b > 12 >= a) - (a > 12 >= b)
    return None if votes == 0 else votes > 0


def label_rank(text: str, start: int) -> int:
    """0 for a date labelled "published", 2 for "updated", 1 otherwise (the nearest label before it counts)."""
    before = text[max(0, start - 40) : start]
    ends = {rank: max((m.end() for m in _label_pattern(section).finditer(before)), default=-1)
            for rank, section in ((0, "published"), (2, "updated"))}
    if max(ends.values()) < 0:
        return 1
    return max(ends, key=lambda rank: ends[rank])

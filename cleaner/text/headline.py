"""The article's headline: the headline-like line just above the article, and the page's ``<title>`` line.

A whole-page dump shows the HTML ``<title>`` as its first line ("Headline | Site") and the
headline just above the article, over its byline and date. Main-body anchors the article
under it; the metadata takes it as the title.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from operator import attrgetter

from cleaner.text.dates import find_date
from cleaner.text.facts import Fact
from cleaner.text.language import has_cjk
from cleaner.text.layout import wrapped_unit_of
from cleaner.text.names import BYLINE, BylineReader, byline_reader, date_line, name_tokens, not_headline, read_names
from cleaner.text.page import Line, Page

__all__ = [
    "HEADLINE_REACH",
    "find_headline",
    "good_headline",
    "long_enough",
    "page_title_line",
    "site_suffix_stripped",
    "title_headline",
]

# The page facts this module computes (see cleaner.text.facts), each by the function named.
TITLE_LINE: Fact[Line | None] = Fact("title_line")  # page_title_line (None: no title-shaped first line)
# _headline_zone: per article start, the zone above it (main-body and the metadata search it).
HEADLINE_ZONES: Fact[dict[int, _HeadlineZone]] = Fact("headline_zones")
TITLE_HEADLINE: Fact[Line | None] = Fact("title_headline")  # title_headline at its default reach

_SITE_SEPARATOR = re.compile(r"\s+(?:[|–—»·]|-{1,2}|::)\s+|\s*｜\s*|(?<=\S)_(?=\S)")
_WORD = re.compile(r"\w+")
_CONTENT = attrgetter("content")


def _word_set(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _similar(a: str | set[str], b: str | set[str]) -> float:
    """Share of words two texts have in common; either may be given as its :func:`_word_set`."""
    wa, wb = (_word_set(a) if isinstance(a, str) else a), (_word_set(b) if isinstance(b, str) else b)
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


def _site_name(part: str) -> bool:
    """A short part of a page title that names the site: "The Coast Times", "ZDNet", "IGN"."""
    words = part.split()
    if not 1 <= len(words) <= 5:
        return False
    return all(not w[:1].isalpha() or not w[:1].islower() for w in words) or has_cjk(part) or "." in part


def site_suffix_stripped(title: str) -> str:
    """"Headline - Site" / "Headline | Section | Site" -> "Headline" (the HTML title's usual shape)."""
    while True:
        separators = list(_SITE_SEPARATOR.finditer(title))
        if not separators:
            return title.strip()
        head, tail = title[: separators[-1].start()], title[separators[-1].end() :]
        if not (_site_name(tail) and (len(head.split()) >= 2 or (has_cjk(head) and len(head) >= 4))):
            return title.strip()
        title = head


def _headline_like(text: str) -> bool:
    if text.endswith((".", ":", ",")):  # the cheapest test first: the others are searches
        return False
    size_ok = _two_to_thirty_words(text.split()) or (has_cjk(text) and 4 <= len(text) <= 120)
    return size_ok and not find_date(text) and not BYLINE.match(text)


def _has_letter(word: str) -> bool:
    return word.isalpha() or any(map(str.isalpha, word))


def _two_to_thirty_words(split: list[str]) -> bool:
    """Whether 2 to 30 of the words hold a letter; up to 30 words, the first two such words answer."""
    if len(split) < 2:
        return False
    if len(split) <= 30:
        found = 0
        for word in split:
            if _has_letter(word):
                found += 1
                if found == 2:
                    return True
        return False
    return 2 <= sum(1 for word in split if _has_letter(word)) <= 30


def good_headline(text: str) -> bool:
    """Headline-like, and not a caption, a widget label or a bare name."""
    if not _headline_like(text) or not_headline(text):
        return False
    names, tail = read_names(name_tokens(text), min_words=2)
    return not (names and not tail)


def page_title_line(page: Page) -> Line | None:
    """The first non-blank line when it is shaped like an HTML ``<title>``."""
    return page.facts.memo(TITLE_LINE, lambda: _title_line(page))  # read for every headline search and for the title


def _title_line(page: Page) -> Line | None:
    first = next((line for line in page.lines if not line.is_blank), None)
    return first if first is not None and _headline_like(first.content) else None


_TITLE_REACH = 400  # lines searched for the title repeated as a headline


def title_headline(page: Page, reach: int = _TITLE_REACH) -> Line | None:
    """The first line below the page's ``<title>`` line that repeats the title: the article's headline.

    Only the first ``reach`` lines are searched (the headline stands above the article, and a
    title repeated further down is a "related" list or a footer). The headline shares most of
    its words with the title and holds nearly all of the title's (a site banner that shares
    the blog's name is not it), and neither line is part of a hard-wrapped paragraph (a text
    browser's dump starts with link lists, not with the ``<title>``). ``None`` when the page
    has no title line, a title too short to match ("Coast News"), or no line repeating it.
    Computed once per page at the default reach: the locator and the content model both ask.
    """
    if reach == _TITLE_REACH:
        return page.facts.memo(TITLE_HEADLINE, lambda: _title_headline(page, reach))
    return _title_headline(page, reach)


def _title_headline(page: Page, reach: int) -> Line | None:
    title_line = page_title_line(page)
    title = site_suffix_stripped(title_line.content) if title_line is not None else ""
    if title_line is None or not long_enough(title):
        return None
    if _wrapped(page, title_line.number):
        return None
    titles = [_word_set(part) for part in _prefixes_stripped(title)]
    lines = page.lines[title_line.number : reach]
    lows = list(map(str.lower, map(_CONTENT, lines)))
    for index in _holding_title_words(lows, titles):
        line, low = lines[index], lows[index]
        text = line.content
        if line.is_blank or len(text) > 4 * len(title) + 40:
            continue
        near = [words for words in titles if sum(map(low.__contains__, words)) >= 0.8 * len(words)]
        if not near or not long_enough(text):
            continue
        found = _word_set(text)
        matches = any(_similar(found, words) >= 0.6 and len(words & found) >= 0.8 * len(words) for words in near)
        if matches and not _wrapped(page, line.number):
            return line
    return None


def _holding_title_words(lows: list[str], titles: list[set[str]]) -> list[int]:
    """Indices, ascending, of the lower-cased texts ``lows`` that may hold enough of a title's words to match it.

    A word of a line is a piece of its lower-cased text, and a line matching a title of n
    words holds ceil(0.8 n) of them, so one of any n - ceil(0.8 n) + 1 of them: the longest
    are looked for in the texts joined (a few searches a page), not line by line in Python.
    """
    # Joined with no separator: a word across two texts adds a line to check, never drops one.
    ends = list(itertools.accumulate(map(len, lows)))
    joined = "".join(lows)
    found: set[int] = set()
    for words in titles:
        longest = sorted(words, key=lambda word: (-len(word), word))
        for word in longest[: len(words) - math.ceil(0.8 * len(words)) + 1]:
            at = joined.find(word)
            while at >= 0:
                found.add(bisect.bisect_right(ends, at))
                at = joined.find(word, at + 1)
    return sorted(found)


_PREFIX = re.compile(r"\s*(?::|\s[|–—»-])\s+")


def _prefixes_stripped(title: str) -> list[str]:
    """``title`` and what is left of it after each leading short part ("Dude Craft: Headline",
    "Site | Section: Headline"): some sites put their name first."""
    found = [title]
    while (match := _PREFIX.search(found[-1])) and len(found[-1][: match.start()].split()) <= 4:
        rest = found[-1][match.end() :]
        if not long_enough(rest):
            break
        found.append(rest)
    return found


def _wrapped(page: Page, number: int) -> bool:
    """Whether line ``number`` is part of a hard-wrapped paragraph (a unit of several lines)."""
    units = wrapped_unit_of(page)
    if units is None:  # every unit is one line
        return False
    unit = units[number - 1]
    return unit is not None and unit.first != unit.last


def long_enough(text: str) -> bool:
    """Three words or more (six CJK characters): a title, not a bare site name like "Coast News"."""
    return len(text.split()) >= 3 or (has_cjk(text) and len(text) >= 6)


def _anchor(zone: list[Line], bylines: BylineReader | None = None) -> int | None:
    """Index in ``zone`` of the first byline or date line of the last few lines (the headline sits above)."""
    texts = [line.content for line in zone]
    read = (bylines or BylineReader()).read
    for index in range(max(0, len(zone) - 12), len(zone)):
        if date_line(texts[index]) or read(texts, index):
            return index
    return None


HEADLINE_REACH = 30  # non-blank lines above the article searched for its headline


class _HeadlineZone:
    """The non-blank lines just above the article and what :func:`find_headline` reads of them
    whatever lines it skips: which are headline-shaped, the byline/date anchor (each when asked)."""

    __slots__ = ("zone", "_shaped", "_anchor", "_bylines")

    def __init__(self, page: Page, body_start: int) -> None:
        # Walked back from the article: only the last HEADLINE_REACH non-blank lines count, and a
        # list of every line above a late article cost a pass over the page per search.
        zone: list[Line] = []
        lines = page.lines
        for index in range(min(max(0, body_start - 1), len(lines)) - 1, -1, -1):
            line = lines[index]
            if not line.is_blank:
                zone.append(line)
                if len(zone) == HEADLINE_REACH:
                    break
        zone.reverse()
        self.zone = zone
        self._shaped: list[bool | None] = [None] * len(zone)  # None: not tested yet (skipped lines never are)
        self._anchor: int | None | bool = False  # False: not computed yet
        self._bylines = byline_reader(page)

    def shaped(self, index: int) -> bool:
        """Whether ``zone[index]`` is headline-like."""
        found = self._shaped[index]
        if found is None:
            found = self._shaped[index] = _headline_like(self.zone[index].content)
        return found

    def anchor(self) -> int | None:
        if self._anchor is False:
            self._anchor = _anchor(self.zone, self._bylines)
        return self._anchor  # type: ignore[return-value]


def _headline_zone(page: Page, body_start: int) -> _HeadlineZone:
    """The zone above ``body_start``, made once per page and article start (main-body and the metadata search it)."""
    zones = page.facts.get(HEADLINE_ZONES)
    if zones is None:
        zones = page.facts.put(HEADLINE_ZONES, {})
    found = zones.get(body_start)
    if found is None:
        found = zones[body_start] = _HeadlineZone(page, body_start)
    return found


def find_headline(page: Page, body_start: int, skip: frozenset[int] = frozenset(), window: int = 8) -> Line | None:
    """The article's headline: a headline-like line among the lines just above the article.

    In order: a line repeating the page's ``<title>`` (the dump's first line, "Headline -
    Site"); the headline-like line just above the byline/date block (a standfirst or a photo
    caption may sit between); the nearest headline-like line among the last ``window``
    lines. Lines in ``skip`` (already labelled boilerplate) are ignored. Only the last
    ``HEADLINE_REACH`` non-blank lines above the article are searched; what does not depend
    on ``skip`` is kept in the page's facts (main-body and the metadata search the same lines).
    """
    searched = _headline_zone(page, body_start)
    zone = searched.zone
    candidates = [line for index, line in enumerate(zone) if line.number not in skip and searched.shaped(index)]
    if not candidates:
        return None
    title_line = page_title_line(page)
    title = site_suffix_stripped(title_line.content) if title_line is not None else ""
    if long_enough(title):  # "Coast News" alone is a site name, not a page title to match
        title_words = _word_set(title)
        scored = [(_similar(line.content, title_words), line) for line in candidates
                  if line is not title_line and long_enough(line.content)]
        best = max((sim for sim, _ in scored), default=0.0)
        if best >= 0.6:
            return max((line for sim, line in scored if sim >= best - 0.25), key=lambda line: line.number)
    anchor = searched.anchor()
    if anchor is not None:
        numbers = {line.number for line in candidates}
        for line in reversed(zone[max(0, anchor - 4) : anchor]):
            if line.number in numbers and good_headline(line.content):
                return line
    near = [line for line in candidates if line.number >= zone[-min(window, len(zone))].number]
    good = [line for line in near if good_headline(line.content)]
    return good[-1] if good else None

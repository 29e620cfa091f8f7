"""Title, author, date and language of a page, read from the dump around the article start.

A whole-page dump shows the article's metadata as plain lines near its start: the HTML
``<title>`` as the first line ("Headline | Site"), the headline just above the article, a
byline ("By Jane Doe", "Von Anna Schmidt", "記者 王小明") and a date line ("Published: Tue 3
Mar 2015"). This module is the extraction only: it picks which of those lines give the
metadata. The vocabulary that reads them, which the detectors share, is in the text layer:
:mod:`cleaner.text.dates`, :mod:`cleaner.text.names` and :mod:`cleaner.text.headline`.

Choices worth knowing:

* Dates are ISO 8601 (``2015-03-03``); a date without a day ("March 2015") or relative to the
  visit ("5 hours ago") gives no date.
* "03/04/2015" is ambiguous. A reading forced by a number over 12 ("13/04/2015") wins; else
  the page's own convention decides (its other slash dates with a number over 12); else
  month-first on English pages (the US convention of most English-language news) and
  day-first everywhere else. Dotted dates ("03.04.2015") are always day-first.
* The date next to the byline or headline wins over dates elsewhere; a "published" date wins
  over an "updated" one; dates inside article prose are not read.
* Several authors are joined with ``"; "``; names written in capitals are title-cased.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from cleaner.text.dates import DateHit, find_dates, label_rank, slash_convention
from cleaner.text.headline import find_headline, good_headline, long_enough, page_title_line, site_suffix_stripped
from cleaner.text.labels import Labels
from cleaner.text.language import page_language
from cleaner.text.names import BylineReader, byline_reader
from cleaner.text.page import Line, Page

__all__ = [
    "Metadata",
    "after_crawl",
    "extract_metadata",
    "find_title",
]

CUED_REACH = 20  # lines above the headline searched for a "By ..." byline (galleries and captions sit between)


@dataclass
class Metadata:
    """What the page says about itself; ``None`` where it does not say.

    ``language`` is the page's guessed language (ISO 639-1), see :mod:`cleaner.text.language`.
    ``site_name`` and ``url`` (the canonical address) come from an HTML page's markup; a
    text dump does not show them, and :meth:`to_dict` leaves them out while they are ``None``.
    """

    title: str | None = None
    author: str | None = None
    date: str | None = None
    language: str | None = None
    site_name: str | None = None
    url: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        fields = asdict(self)
        for optional in ("site_name", "url"):
            if fields[optional] is None:
                del fields[optional]
        return fields


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def after_crawl(date: object, crawled: object) -> bool:
    """True when the ISO day ``date`` (``2024-05-14``) is later than the day of ``crawled``.

    ``crawled``: when the page was fetched, an ISO time stamp (a WARC record's ``WARC-Date``,
    ``2024-05-01T00:00:00Z``). A page cannot be published after it was fetched: such a date is a
    misreading (a "next event" date, a copyright year's end, a date format read the wrong way round)
    and is dropped, not reported. Anything that is not an ISO day on either side compares as ``False``.
    """
    if not isinstance(date, str) or not isinstance(crawled, str):
        return False
    if not (_ISO_DAY.match(date) and _ISO_DAY.match(crawled)):
        return False  # only ISO days compare as strings
    return date[:10] > crawled[:10]


def _strip_site(text: str, page: Page, line: Line) -> str:
    """The headline without the site name the page's ``<title>`` line appends to it."""
    title_line = page_title_line(page)
    if title_line is None:
        return text
    if line.number == title_line.number:
        return site_suffix_stripped(text)
    site = title_line.content[len(site_suffix_stripped(title_line.content)) :]
    return text[: -len(site)].rstrip() if site.strip() and text.endswith(site) and text != site else text


def find_title(page: Page, body_start: int, skip: frozenset[int] = frozenset()) -> str | None:
    """The page's title: its headline, else the first line without a " - Site" suffix."""
    return _title(page, find_headline(page, body_start, skip))


def _title(page: Page, headline: Line | None) -> str | None:
    """:func:`find_title` once the headline is known."""
    if headline is not None:
        return _strip_site(headline.content, page, headline)
    first = page_title_line(page)
    if first is None:
        return None
    title = site_suffix_stripped(first.content)
    return title if long_enough(title) and good_headline(title) else None

# ---------------------------------------------------------------------------
# Putting it together
# ---------------------------------------------------------------------------


OPENING_LINES = 3  # the article's first lines searched for the byline and date
ABOVE_REACH = 40  # non-blank lines above the headline that _zones can reach
# Non-blank lines from the article's start the searches can read: the opening lines, and from a
# byline on the last of them, its next line (byline_at) and the two after it (the date pick).
BELOW_REACH = OPENING_LINES + 3


def _zones(lines: list[Line], start: int, headline: int | None) -> list[list[int]]:
    """Indexes of ``lines`` to search, nearest to the article first: between the headline and the
    article, the article's first lines, above the headline, then the rest of the page head."""
    body = next((i for i, line in enumerate(lines) if line.number >= start), len(lines))
    top = next((i for i, line in enumerate(lines) if line.number == headline), None)
    if top is None or top >= body:
        top = body
    between = list(range(top + 1, body))[:15]
    opening = list(range(body, min(body + OPENING_LINES, len(lines))))
    above = list(range(top - 1, max(-1, top - 9), -1))
    rest = list(range(top - 9, max(-1, top - ABOVE_REACH), -1))
    return [between, opening, above, rest]


def _near_lines(page: Page, start: int, headline: int | None) -> list[Line]:
    """The non-blank lines :func:`_zones` and the searches over its zones can read: up to
    ``ABOVE_REACH`` above the headline (or the article when there is no headline above it),
    those between the headline and the article, and ``BELOW_REACH`` from the article's start.

    Walked out from the article: a list of every non-blank line of the page cost a pass over
    a long page for a few dozen lines. Reading further than the ends of this list is never
    needed, so the searches see the same lines as in the whole page's list."""
    lines = page.lines
    first = min(max(0, start - 1), len(lines))  # index of the article's first line
    top = headline - 1 if headline is not None and 1 <= headline < start and not lines[headline - 1].is_blank else first
    above: list[Line] = []
    for index in range(top - 1, -1, -1):
        if not lines[index].is_blank:
            above.append(lines[index])
            if len(above) == ABOVE_REACH:
                break
    above.reverse()
    between = [line for line in lines[top:first] if not line.is_blank]
    below: list[Line] = []
    for index in range(first, len(lines)):
        if not lines[index].is_blank:
            below.append(lines[index])
            if len(below) == BELOW_REACH:
                break
    return above + between + below


def _date_only(text: str, month_first: bool, hits: list[DateHit] | None = None) -> bool:
    """A line that is little more than a date: "Published: Tue 3 Mar 2015 10.32 GMT", "March 3, 2015".

    ``hits``: the line's :func:`find_dates`, when the caller has them."""
    return len(text.split()) <= 8 and bool(find_dates(text, month_first) if hits is None else hits)


def _dateline(text: str, month_first: bool, max_words: int, hits: list[DateHit] | None = None) -> bool:
    """A date line, not prose: the first date opens the line, follows a few words or a
    "published"/"updated" label ("Tom Hill | 3 March 2015", "Port Elston, Bureau | Updated: 3 March 2015").

    ``hits``: the line's :func:`find_dates`, when the caller has them."""
    if hits is None:
        hits = find_dates(text, month_first)
    if not hits or len(text.split()) > max_words:
        return False
    return len(text[: hits[0].start].split()) <= 4 or label_rank(text, hits[0].start) != 1


def _zone_filters(month_first: bool) -> list:
    """Which lines of each zone may give the date (each filter takes a line and its dates): between
    the headline and the article short lines; elsewhere date lines only ("12 March 2015" late in a
    sentence is the story's, not the page's), and far above the headline short ones."""
    return [
        lambda text, hits: len(text.split()) <= 12 or _dateline(text, month_first, 25, hits),
        lambda text, hits: _dateline(text, month_first, 25, hits),
        lambda text, hits: _dateline(text, month_first, 20, hits),
        lambda text, hits: _dateline(text, month_first, 15, hits),
    ]


def _pick_date(texts: Sequence[str], zones: list[list[int]], byline: int | None, month_first: bool) -> str | None:
    """The date on or right after the byline, else the nearest to the headline; "published" beats "updated"."""
    known: dict[int, list[DateHit]] = {}

    def dates(index: int) -> list[DateHit]:  # each line searched once, though the filters read it too
        if index not in known:
            known[index] = find_dates(texts[index], month_first)
        return known[index]

    if byline is not None:
        for index in range(byline, min(byline + 3, len(texts))):
            hits = dates(index)
            if hits and (index == byline or _date_only(texts[index], month_first, hits)):
                return min(hits, key=lambda h: (label_rank(texts[index], h.start), h.start)).iso
    for zone, allowed in zip(zones, _zone_filters(month_first), strict=True):
        found = [
            (label_rank(texts[i], hit.start), order, hit.iso)
            for order, i in enumerate(zone)
            if (hits := dates(i)) and allowed(texts[i], hits)  # (a line without a date gives nothing)
            for hit in hits
        ]
        if found:
            return min(found)[2]
    return None


def _find_byline(
    texts: list[str], zones: list[list[int]], bylines: BylineReader | None = None
) -> tuple[str | None, int | None]:
    """(author, index of the byline): a cued byline anywhere near the headline first, then an uncued one."""
    read = (bylines or BylineReader()).read
    near = [i for zone in zones[:3] for i in zone]
    for index in near + zones[3][:CUED_REACH]:
        author = read(texts, index, cued_only=True)
        if author:
            return author, index
    # No cued byline among them: the near lines are read again for an uncued one only (the
    # reader keeps each line's cued reading).
    for index in near:
        author = read(texts, index)
        if author:
            return author, index
    return None, None


def extract_metadata(page: Page, labels: Labels) -> Metadata:
    """Title, author, date and language from the lines around the article the pipeline found."""
    start = labels.body[0] if labels.body else 1
    language = page_language(page)
    if labels.headline is not None:
        headline: int | None = labels.headline
        title: str | None = _strip_site(page.line(labels.headline).content, page, page.line(labels.headline))
    else:
        specific = frozenset(n for n, r in labels.by_line.items() if r.detector not in labels.generic)
        found = find_headline(page, start, specific)
        headline = found.number if found is not None else None
        title = _title(page, found)
    lines = _near_lines(page, start, headline)
    texts = [line.content for line in lines]
    zones = _zones(lines, start, headline)
    author, byline = _find_byline(texts, zones, byline_reader(page))
    # Dates are read from the whole line: "3. März 2015" is not a numbered list item.
    whole = [line.stripped for line in lines]
    # The convention over every line, read in one search of the page's text: a numeric date
    # never spans a line break nor takes in the white space a stripped line loses.
    convention = slash_convention((page.text,))
    month_first = convention if convention is not None else language == "en"
    return Metadata(
        title=title or None,
        author=author,
        date=_pick_date(whole, zones, byline, month_first),
        language=language,
    )

"""An HTML page's metadata read from its markup alone: no trafilatura, a few lookups in the parsed tree.

:func:`html_metadata` reads what a page says about itself in the places publishers put it, in
about trafilatura's order of trust:

* title: ``og:title``, ``twitter:title`` and the other title metas, JSON-LD ``headline``, the
  page's only ``<h1>``, the ``<title>`` without its " | Site" suffix, the first ``<h1>``;
* author: the author metas (``author``, ``article:author``, ``dc.creator``, ``parsely-author``...),
  JSON-LD ``author`` names, then in the body ``rel=author``, ``itemprop=author`` and byline classes;
* date (ISO ``yyyy-mm-dd``): ``article:published_time``, JSON-LD ``datePublished``, the date metas
  (``date``, ``pubdate``, ``dc.date``, ``parsely-pub-date``...), ``itemprop=datePublished``, the first
  ``<time datetime>``, a ``/yyyy/mm/dd/`` in the page's address; the first that reads as a day
  between 1995 and today (a later one is a misreading: an event's date, a template's);
* site name: ``og:site_name``, JSON-LD publisher or WebSite name, ``application-name``, the address's host;
* url: ``<link rel=canonical>``, ``og:url``.

The head's metas and JSON-LD are read in one pass; the body is searched (one XPath each) only for
what they did not give. A malformed JSON-LD block is read by patterns for its headline, date and
author name, and never raises.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from cleaner.metadata import Metadata
from cleaner.text.dates import find_dates
from cleaner.text.headline import site_suffix_stripped

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["EARLIEST_YEAR", "html_metadata", "iso_day"]

EARLIEST_YEAR = 1995  # no web page is older (htmldate's floor too): an earlier year is a misreading

_TITLE_METAS = ("og:title", "twitter:title", "title", "dc.title", "dcterms.title", "headline", "parsely-title",
                "sailthru.title", "citation_title", "fb_title")
_AUTHOR_METAS = ("author", "article:author", "og:article:author", "dc.creator", "dc:creator", "dcterms.creator",
                 "parsely-author", "sailthru.author", "citation_author", "byl", "authors", "creator")
_DATE_METAS = ("article:published_time", "og:published_time", "og:article:published_time", "datepublished",
               "date", "pubdate", "publishdate", "publish-date", "publish_date", "published_time", "dc.date",
               "dc.date.issued", "dc.date.created", "dcterms.date", "dcterms.issued", "dcterms.created",
               "parsely-pub-date", "sailthru.date", "citation_publication_date", "citation_date",
               "article.published", "originalpublicationdate", "date.available", "datecreated")
_SITE_METAS = ("og:site_name", "application-name", "twitter:site", "twitter:app:name:iphone")
_URL_METAS = ("og:url", "twitter:url")
_TAGS = re.compile(r"<[^>]*>")
_ISO = re.compile(r"\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_COMPACT = re.compile(r"\s*(\d{4})(\d{2})(\d{2})(?:$|[T\s])")
_URL_DAY = re.compile(r"[/_-]((?:19|20)\d{2})([/-])(\d{1,2})\2(\d{1,2})(?:[/_.-]|$)")
_HOST = re.compile(r"https?://(?:www\d*\.)?([^/:?#]+)", re.IGNORECASE)
_BY = re.compile(r"^(?:written\s+by|posted\s+by|words\s+by|by|von|par|por|door|di|av|af)\s*:?\s+", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|,|\||&|\band\b|\bund\b|\bet\b|\by\b)\s*", re.IGNORECASE)
# Words of a link or a role, not of a name ("Google profile", "Senior Contributor", "View all posts").
_NOT_NAMES = frozenset({"profile", "contributor", "contributors", "staff", "admin", "editor", "posts", "view",
                        "follow", "email", "comments", "reply", "share"})
_TITLE_SEPARATOR = re.compile(r"\s+[-–—|•·:»«/]\s+")
# Malformed JSON-LD: the fields read by pattern (the first match each).
_LD_FIELDS = {
    "title": re.compile(r'"headline"\s*:\s*"((?:[^"\\]|\\.)+)"'),
    "date": re.compile(r'"datePublished"\s*:\s*"([^"]+)"'),
    "author": re.compile(r'"author"\s*:\s*[\[{]?\s*\{[^}]*?"name"\s*:\s*"((?:[^"\\]|\\.)+)"', re.DOTALL),
    "site": re.compile(r'"publisher"\s*:\s*\{[^}]*?"name"\s*:\s*"((?:[^"\\]|\\.)+)"', re.DOTALL),
}
_ARTICLE_TYPES = ("article", "posting", "report", "review")  # NewsArticle, BlogPosting, Report, Review...
_SITE_TYPES = frozenset({"website", "organization", "newsmediaorganization", "corporation"})
# A class or id that may hold a byline or a date.
_CUES = re.compile(r"author|byl|date|publish|posted|meta|time|submitted|created|datum|fecha")
_GENERIC_AUTHOR = re.compile(r"byline|author[-_]?name|^byl$")
# (Not "footer", htmldate's cue: a footer's dates are the site's, a registration's, a copyright's.)
_DATED = re.compile(r"date|publish|posted|byline|meta|time|submitted|created|datum|fecha")
_DATED_TAGS = frozenset({"div", "span", "p", "time", "li", "small", "abbr"})
_DATED_READ = 8  # the body's date-named elements read, the first ones only
_AUTHOR_TAGS = frozenset({"a", "div", "p", "span", "address", "strong"})


@dataclass
class _Body:
    """The body's elements that may say who wrote the page and when, in document order, by kind."""

    authors: list[HtmlElement] = field(default_factory=list)  # rel/itemprop/id/class "author"
    bylines: list[HtmlElement] = field(default_factory=list)  # byline or author-name classes
    published: list[str] = field(default_factory=list)  # itemprop=datePublished values
    times: list[str] = field(default_factory=list)  # <time datetime>
    dated: list[HtmlElement] = field(default_factory=list)  # date-named elements (the first few)


def _read_body(root: HtmlElement) -> _Body:
    """One pass over the elements (cheaper than an XPath with ``contains()``, which libxml2 runs slowly)."""
    body = _Body()
    for element in root.iter():
        tag = element.tag
        if tag.__class__ is not str:
            continue
        if tag == "time" and (value := element.get("datetime")):
            body.times.append(value)
        itemprop = element.get("itemprop")
        if itemprop == "datePublished":
            body.published.append(element.get("datetime") or element.get("content") or element.text_content())
        named = ((element.get("class") or "") + " " + (element.get("id") or "")).lower()
        rel = (element.get("rel") or "").lower()
        if itemprop != "author" and "author" not in rel and not _CUES.search(named) or tag in ("link", "meta"):
            continue
        cls = (element.get("class") or "").strip()
        if itemprop == "author" or element.get("id") == "author" or cls == "author" or "author" in rel.split():
            body.authors.append(element)
        elif tag in _AUTHOR_TAGS and _GENERIC_AUTHOR.search(cls.lower()):
            body.bylines.append(element)
        if tag in _DATED_TAGS and len(body.dated) < _DATED_READ and _DATED.search(named):
            body.dated.append(element)
    return body


def _in_comments(element: HtmlElement) -> bool:
    return any("comment" in ((up.get("class") or "") + (up.get("id") or "")).lower()
               for up in element.iterancestors())


@dataclass
class _Found:
    """What the head's metas and the JSON-LD said, each field's candidates in order of trust."""

    metas: dict[str, str] = field(default_factory=dict)  # lower-case key -> the first non-empty content
    ld: dict[str, list[str]] = field(default_factory=lambda: {"title": [], "author": [], "date": [], "site": []})
    canonical: str | None = None
    title: str = ""  # the <title>


def html_metadata(root: HtmlElement, language: str | None) -> Metadata:
    """Title, author, date, site name and canonical address of the page ``root`` (see the module docstring).

    ``language``: the page's language (ISO 639-1), passed through, and read for "3/4/2015"
    (month first in English).
    """
    found = _read_head(root)
    metas = found.metas
    url = _url(found)
    site = _first(metas.get("og:site_name"), *found.ld["site"], metas.get("application-name"),
                  metas.get("twitter:site"), metas.get("twitter:app:name:iphone"))
    site = site.lstrip("@") or None if site else None  # a Twitter handle names the site without its "@"
    if site is None and url and (host := _HOST.match(url)):
        site = host.group(1)
    body: list[_Body] = []  # read once, and only when the head leaves the author or the date unknown

    def read_body() -> _Body:
        if not body:
            body.append(_read_body(root))
        return body[0]

    return Metadata(
        title=_title(root, found, site), author=_author(found, read_body), date=_date(found, read_body, url, language),
        language=language, site_name=site, url=url,
    )


def _read_head(root: HtmlElement) -> _Found:
    """The metas (head and body: some pages put them in the body), the canonical link, the <title>, the JSON-LD."""
    found = _Found()
    for element in root.iter("meta", "link", "title", "script"):
        tag = element.tag
        if tag == "meta":
            content = element.get("content")
            key = element.get("property") or element.get("name") or element.get("itemprop")
            if content and key:
                content = " ".join(_TAGS.sub("", content).split())
                if content:
                    found.metas.setdefault(key.strip().lower(), content)
        elif tag == "link":
            if found.canonical is None and "canonical" in (element.get("rel") or "").lower().split():
                found.canonical = (element.get("href") or "").strip() or None
        elif tag == "title":
            if not found.title:
                found.title = " ".join(element.text_content().split())
        elif (element.get("type") or "").strip().lower() == "application/ld+json" and element.text:
            _read_json_ld(element.text, found.ld)
    return found


def _read_json_ld(text: str, into: dict[str, list[str]]) -> None:
    """The JSON-LD block's headline, authors, publication date and site name added to ``into``."""
    try:
        data = json.loads(text, strict=False)
    except (ValueError, RecursionError):
        for name, pattern in _LD_FIELDS.items():
            if match := pattern.search(text):
                into[name].append(_unescaped(match.group(1)))
        return
    for item in _ld_items(data):
        kinds = [kind.lower() for kind in _as_list(item.get("@type")) if isinstance(kind, str)]
        if any(part in kind for kind in kinds for part in _ARTICLE_TYPES):
            into["title"].extend(_strings(item.get("headline")))
            into["date"].extend(_strings(item.get("datePublished")))
            if authors := _names(item.get("author")):
                into["author"].append("; ".join(authors))  # an article's authors together
            publisher = item.get("publisher")
            into["site"].extend(_names(publisher) if isinstance(publisher, dict) else ())
        elif _SITE_TYPES.intersection(kinds):
            into["site"].extend(_strings(item.get("name")))


def _ld_items(data: Any) -> Iterator[dict[str, Any]]:
    """The objects of a JSON-LD document: the top ones, and those of an ``@graph``."""
    for item in _as_list(data):
        if isinstance(item, dict):
            yield item
            for inner in _as_list(item.get("@graph")):
                if isinstance(inner, dict):
                    yield inner


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _strings(value: Any) -> list[str]:
    return [cleaned for item in _as_list(value) if isinstance(item, str) and (cleaned := " ".join(item.split()))]


def _names(value: Any) -> list[str]:
    """The names of JSON-LD people or organisations: strings, ``{"name": ...}`` objects, lists of either."""
    names: list[str] = []
    for item in _as_list(value):
        if isinstance(item, dict):
            names.extend(_strings(item.get("name")))
        elif isinstance(item, str) and not item.startswith("http"):
            names.extend(_strings(item))
    return names


def _unescaped(text: str) -> str:
    """A JSON string's body read as JSON (its escapes undone), as it is when that fails."""
    try:
        return " ".join(json.loads(f'"{text}"', strict=False).split())
    except ValueError:
        return " ".join(text.split())


def _first(*values: str | None) -> str | None:
    return next((value for value in values if value), None)


def _url(found: _Found) -> str | None:
    """The canonical address: ``<link rel=canonical>``, else ``og:url``; absolute (a relative one on og:url's host)."""
    base = _first(*(found.metas.get(key) for key in _URL_METAS))
    for candidate in (found.canonical, base):
        if not candidate:
            continue
        if candidate.startswith("//"):
            candidate = "https:" + candidate
        elif candidate.startswith("/") and base and (host := re.match(r"https?://[^/]+", base)):
            candidate = host.group(0) + candidate
        if re.match(r"https?://[^/\s]+\.[^/\s]+", candidate, re.IGNORECASE):
            return candidate
    return None


def _title(root: HtmlElement, found: _Found, site: str | None) -> str | None:
    """The headline (see the module docstring): a meta's, the JSON-LD's, an <h1>, the <title> less its site."""
    title = _first(*(found.metas.get(key) for key in _TITLE_METAS), *found.ld["title"])
    if title:
        return _without_site(title, site, guess=False)  # "og:title" too may end in " | Site"
    headings = [text for h1 in root.iter("h1") if (text := " ".join(h1.text_content().split()))]
    if len(headings) == 1:
        return headings[0]
    if found.title:
        return _without_site(found.title, site)
    return headings[0] if headings else None


def _without_site(title: str, site: str | None, guess: bool = True) -> str:
    """``"Headline | Site"`` -> ``"Headline"`` when the end (or the start) is the site's name.

    ``guess``: also when the end reads as a site's name (:func:`~cleaner.text.headline.site_suffix_stripped`).
    """
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) > 1 and site:
        name = site.casefold()
        if parts[-1].casefold() == name:
            return title[: title.rfind(parts[-1])].rstrip(" -–—|•·:»«/")
        if parts[0].casefold() == name:
            return title[len(parts[0]):].lstrip(" -–—|•·:»«/")
    return (site_suffix_stripped(title) or title) if guess else title


def _author(found: _Found, read_body: Callable[[], _Body]) -> str | None:
    """The author(s), ``"; "``-joined: the metas, the JSON-LD, then the body's author elements."""
    for value in (*(found.metas.get(key) for key in _AUTHOR_METAS), *found.ld["author"]):
        if value and (names := _author_names(value)):
            return names
    body = read_body()
    for element in (*body.authors, *body.bylines):
        text = " ".join(" ".join(element.itertext()).split())
        if 2 < len(text) < 120 and not _in_comments(element) and (names := _author_names(text)):
            return names  # (a commenter's name is not the author's)
    return None


def _author_names(value: str) -> str | None:
    """Names out of an author field: no address, no "By", one word alone is a handle, not a name."""
    if value.lower().startswith(("http", "www.")) or "@" in value and "." in value.split("@")[-1]:
        return None
    names: list[str] = []
    for part in _AUTHOR_SPLIT.split(_BY.sub("", value.strip())):
        name = _BY.sub("", part).strip(" .:-–—")
        if name and len(name) < 60 and not any(ch.isdigit() for ch in name) and name not in names:
            names.append(name.title() if name.islower() else name)
    if not names or all(" " not in name for name in names) or _NOT_NAMES.intersection(value.lower().split()):
        return None
    return "; ".join(names)


def _date(found: _Found, read_body: Callable[[], _Body], url: str | None, language: str | None) -> str | None:
    """The publication day: the metas, the JSON-LD, the body's datePublished and <time>, the address, dated elements."""
    month_first = language == "en"
    for value in (*(found.metas.get(key) for key in _DATE_METAS), *found.ld["date"]):
        if value and (day := iso_day(value, month_first)):
            return day
    body = read_body()
    for value in (*body.published, *body.times):
        if value and (day := iso_day(value, month_first)):
            return day
    if url and (match := _URL_DAY.search(url)) and (day := _checked(*map(int, match.group(1, 3, 4)))):
        return day
    for element in body.dated:
        text = " ".join(element.itertext())
        if len(text) < 200 and (day := iso_day(text, month_first)):
            return day
    return None


def iso_day(value: str, month_first: bool = False) -> str | None:
    """``value`` (``2015-03-03T10:00:00Z``, ``20150303``, ``March 3, 2015``...) as an ISO day, ``None`` when it
    reads as no day or as one before :data:`EARLIEST_YEAR` or after today."""
    match = _ISO.match(value) or _COMPACT.match(value)
    if match:
        return _checked(*map(int, match.groups()))
    hits = find_dates(value[:200], month_first)
    return _checked(*map(int, hits[0].iso.split("-"))) if hits else None


def _checked(year: int, month: int, day: int) -> str | None:
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    return found.isoformat() if year >= EARLIEST_YEAR and found <= date.today() else None

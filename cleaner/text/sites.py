"""What recurs across the pages of one site, learned in a first pass over a run's inputs.

A run of several pages (``clean DIR``) first groups its inputs by site (:func:`site_key`:
the URL host when the dump starts with a URL, else the file's folder), then learns, for
each group of at least :data:`MIN_PAGES` pages, on how many distinct pages every line
*shape* and every run of :data:`BLOCK_LINES` consecutive non-blank lines occurs
(:class:`SiteProfile`). A group whose pages share no template (no block of lines recurring on half of them:
unrelated sites in one folder) learns nothing. The second pass cleans each page with a
:class:`~cleaner.detectors.site_repetition.SiteRepetitionDetector` that reads its site's
profile.

Only 64-bit hashes of the shapes are kept, never page text: learning costs about 150 bytes
per distinct line of the group (measured: 2,000 pages of 130 distinct lines each, 39 MB at
peak, 3 ms a page), and the frozen profile keeps only the keys that recur on at least
:data:`MIN_RECURRENCE` pages. Counts are sums over pages, so the profile does not depend on the order the pages
are read in.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NamedTuple
from urllib.parse import urlsplit

from cleaner.text.page import Page
from cleaner.text.signals import line_shape

__all__ = [
    "BLOCK_LINES",
    "LineKey",
    "MIN_PAGES",
    "MIN_RECURRENCE",
    "PageSummary",
    "SiteLearner",
    "SiteProfile",
    "SiteProfiles",
    "block_keys",
    "is_url_line",
    "keys_of",
    "learn_profiles",
    "page_keys",
    "site_key",
    "site_label",
    "summarize",
    "url_host",
]

MIN_PAGES = 3  # a smaller group cannot tell a site's template from a coincidence
MIN_RECURRENCE = 3  # a key must occur on at least this many pages to be kept or used
BLOCK_LINES = 3  # consecutive non-blank lines hashed together as one block key
TEMPLATE_SHARE = 0.5  # a site's template: some block recurs on at least this share of its pages
_HOST_PREFIX = "host:"
_DIR_PREFIX = "dir:"
# A dump whose first line is the page's address ("https://...", "URL: https://...").
_URL_LINE = re.compile(r"^(?:(?:url|source|link)\s*:\s*)?(https?://\S+)$", re.IGNORECASE)


def _digest(data: bytes) -> bytes:
    # blake2b, not hash(): stable across processes (hash() of a str is salted per run).
    return hashlib.blake2b(data, digest_size=8).digest()


class LineKey(NamedTuple):
    """A non-blank line's number, the hash of its shape (numbers as ``#``), and whether it has letters."""

    number: int
    key: int
    letters: bool


def page_keys(page: Page) -> list[LineKey]:
    """The :class:`LineKey` of every non-blank line of ``page``, in order."""
    found = []
    for line in page.lines:
        if not line.is_blank:
            key = int.from_bytes(_digest(line_shape(line.content).encode("utf-8")), "big")
            found.append(LineKey(line.number, key, any(char.isalpha() for char in line.content)))
    return found


def block_keys(keys: list[LineKey]) -> list[int | None]:
    """One key per window of :data:`BLOCK_LINES` consecutive non-blank lines (index ``i`` starts at ``keys[i]``).

    A window without a letter ("*", "|", "12") says nothing about a site: its key is ``None``.
    """
    raw = [item.key.to_bytes(8, "big") for item in keys]
    return [
        int.from_bytes(_digest(b"".join(raw[start : start + BLOCK_LINES])), "big")
        if any(item.letters for item in keys[start : start + BLOCK_LINES])
        else None
        for start in range(len(raw) - BLOCK_LINES + 1)
    ]


@dataclass(frozen=True)
class SiteProfile:
    """How many distinct pages of one site each line key and block key occurs on.

    ``pages`` is the number of pages learned from; ``lines`` and ``blocks`` map hashed keys
    (see :func:`page_keys`, :func:`block_keys`) to page counts, keeping only keys on at least
    :data:`MIN_RECURRENCE` pages. ``label`` names the site for messages.
    """

    pages: int
    lines: Mapping[int, int] = field(default_factory=dict)
    blocks: Mapping[int, int] = field(default_factory=dict)
    label: str = ""

    @property
    def has_template(self) -> bool:
        """True when the pages share a template: some block recurs on at least :data:`TEMPLATE_SHARE` of them.

        Pages of one site repeat their menus and footers line for line; pages of unrelated
        sites that happen to share a folder only share single words ("News", "Video") in
        varying orders, and their recurring lines are not learned from.
        """
        return self.pages >= MIN_PAGES and max(self.blocks.values(), default=0) >= TEMPLATE_SHARE * self.pages

    def line_pages(self, key: int) -> int:
        return self.lines.get(key, 0)

    def block_pages(self, key: int) -> int:
        return self.blocks.get(key, 0)


class SiteLearner:
    """Counts, for one site, the pages each key occurs on (pass 1); :meth:`profile` freezes the counts."""

    def __init__(self) -> None:
        self.pages = 0
        self._lines: dict[int, int] = {}
        self._blocks: dict[int, int] = {}
        self._labels: set[str] = set()

    def add(self, page: Page | str, label: str = "") -> None:
        """Count one page (a :class:`Page` or its text); its text is not kept."""
        lines, blocks = keys_of(page)
        self.add_keys(lines, blocks, label)

    def add_keys(self, lines: frozenset[int], blocks: frozenset[int], label: str = "") -> None:
        """Count one page given by its keys (:func:`keys_of`, computed anywhere, e.g. in a worker process)."""
        self.pages += 1
        for key in lines:
            self._lines[key] = self._lines.get(key, 0) + 1
        for key in blocks:
            self._blocks[key] = self._blocks.get(key, 0) + 1
        if label:
            self._labels.add(label)

    def profile(self) -> SiteProfile | None:
        """The learned profile, or ``None`` for a group of fewer than :data:`MIN_PAGES` pages."""
        if self.pages < MIN_PAGES:
            return None
        return SiteProfile(
            self.pages,
            MappingProxyType({k: n for k, n in self._lines.items() if n >= MIN_RECURRENCE}),
            MappingProxyType({k: n for k, n in self._blocks.items() if n >= MIN_RECURRENCE}),
            min(self._labels, default=""),  # min, not first seen: the same whatever the order
        )


def keys_of(page: Page | str) -> tuple[frozenset[int], frozenset[int]]:
    """The line keys and block keys a page counts once each (a line repeated on one page counts once)."""
    page = page if isinstance(page, Page) else Page(page)
    keys = page_keys(page)
    return frozenset(item.key for item in keys), frozenset(set(block_keys(keys)) - {None})


@dataclass(frozen=True)
class PageSummary:
    """What pass 1 needs of one page, and nothing more: its site and keys (see :meth:`SiteProfiles.add_summary`)."""

    path: str
    site: str
    label: str
    lines: frozenset[int]
    blocks: frozenset[int]


def summarize(path: str, text: str) -> PageSummary:
    """One page's :class:`PageSummary`: the costly part of learning, done where the page is read."""
    key = site_key(path, text)
    lines, blocks = keys_of(text)
    return PageSummary(path, key, site_label(path, key), lines, blocks)


def is_url_line(text: str) -> bool:
    """True for a line that is only a web address (optionally labelled "URL:")."""
    return bool(_URL_LINE.match(text.strip()))


def url_host(text: str) -> str | None:
    """The host of the URL the dump starts with (first non-blank line), lower-cased, without ``www.``."""
    for raw in text.splitlines():
        if not raw.strip():
            continue
        match = _URL_LINE.match(raw.strip())
        if match is None:
            return None
        try:
            host = urlsplit(match.group(1)).hostname
        except ValueError:  # a malformed address ("http://[oops") is no site
            return None
        return host.removeprefix("www.") if host else None
    return None


def site_key(path: str, text: str | None = None) -> str:
    """The group a page belongs to: ``host:<host>`` when its text starts with a URL, else ``dir:<folder>``.

    The folder is the file's real parent folder, so the same folder reached by two
    spellings (``a/`` and ``./a``) is one site.
    """
    host = url_host(text) if text is not None else None
    if host:
        return _HOST_PREFIX + host
    return _DIR_PREFIX + os.path.realpath(os.path.dirname(os.path.abspath(path)))


def site_label(path: str, key: str) -> str:
    """A short name for messages: the host, or the folder as the user wrote it."""
    if key.startswith(_HOST_PREFIX):
        return key.removeprefix(_HOST_PREFIX)
    return os.path.dirname(path) or "."


@dataclass
class SiteProfiles:
    """Pass 1 of a run: pages grouped by :func:`site_key`, one :class:`SiteLearner` per group."""

    learners: dict[str, SiteLearner] = field(default_factory=dict)
    sites: dict[str, str] = field(default_factory=dict)  # input path -> site key

    def add(self, path: str, text: str) -> str:
        """Learn from one input's text; returns its site key."""
        key = site_key(path, text)
        self.sites[path] = key
        self.learners.setdefault(key, SiteLearner()).add(text, site_label(path, key))
        return key

    def add_summary(self, summary: PageSummary) -> str:
        """Learn from one page's :func:`summarize` (same counts as :meth:`add` of its text); its site key."""
        self.sites[summary.path] = summary.site
        self.learners.setdefault(summary.site, SiteLearner()).add_keys(summary.lines, summary.blocks, summary.label)
        return summary.site

    def frozen(self) -> dict[str, SiteProfile]:
        """The profile of every group large enough to learn from and sharing a template, by site key."""
        found = {key: learner.profile() for key, learner in self.learners.items()}
        return {key: profile for key, profile in found.items() if profile is not None and profile.has_template}


def learn_profiles(pages: Iterable[tuple[str, str]]) -> tuple[dict[str, str], dict[str, SiteProfile]]:
    """Group ``(path, text)`` pairs by site and learn each group: (path -> site key, site key -> profile)."""
    profiles = SiteProfiles()
    for path, text in pages:
        profiles.add(path, text)
    return profiles.sites, profiles.frozen()

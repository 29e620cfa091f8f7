"""Lines and blocks that recur across many pages of the same site (runs of several pages only)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from cleaner.detectors.base import Detector
from cleaner.text.labels import Labels, Removal, Rule
from cleaner.text.page import Line, Page
from cleaner.text.phrases import normalize
from cleaner.text.signals import LineSignals, page_signals
from cleaner.text.sites import BLOCK_LINES, MIN_RECURRENCE, LineKey, SiteProfile, block_keys, is_url_line, page_keys

__all__ = ["SiteRepetitionDetector", "SiteThresholds"]


@dataclass(frozen=True)
class SiteThresholds:
    """Shares of the site's pages a key must occur on (never fewer than ``MIN_RECURRENCE`` pages).

    ``line_share``: a single non-prose line (menu item, footer row, promo heading).
    ``block_share``: :data:`~cleaner.text.sites.BLOCK_LINES` consecutive lines recurring together
    (a whole footer or job box): strong evidence, so a lower share is enough; a block with a
    prose line in it needs ``line_share``, a block of prose only ``prose_share``.
    ``prose_share``: a single prose line: a stock sentence ("The company did not respond to a
    request for comment.") recurs across a site's articles, so only near-ubiquity counts.
    Checked, not tuned: the dev set has at most two pages per site, so within-site shares
    cannot be measured there; forcing one profile onto its folder of 91 unrelated pages
    (the worst case for false positives) leaves F1 unchanged (0.9371 -> 0.9372).
    """

    line_share: float = 0.2
    block_share: float = 0.05
    prose_share: float = 0.8

    def needed(self, share: float, pages: int) -> int:
        return max(MIN_RECURRENCE, math.ceil(share * pages - 1e-9))


class SiteRepetitionDetector(Detector):
    """Removes lines and blocks that recur on many pages of the same site (runs of 3+ pages only).

    **What**: in a run over several pages (``clean DIR``), pages are grouped by site (URL
    host when the dump starts with one, else folder) and a first pass counts on how many
    pages each line shape (numbers as ``#``) and each run of three consecutive non-blank
    lines occurs (:mod:`cleaner.text.sites`). SITE1 removes a single line that occurs on at least
    ``line_share`` of the site's pages (a prose line: ``prose_share``); SITE2 removes a run
    of lines that recur *together* on at least ``block_share`` of the pages (a footer, a
    promo box, a job board: at least two lines of every three-line window on about the same
    pages as the window); never fewer than three pages. Nothing is learned from a group
    of fewer than three pages, nor from one whose pages share no template (no block on half
    of them: unrelated sites in one folder); a single page or standard input has no profile.
    A page whose own prose recurs (half of its prose words or more: a copy of another page
    of the run) loses only non-prose lines. It runs after every other detector: they keep
    the lines they can name, and it takes what only the generic main-body cut removed, plus
    the recurring lines the cut kept (an inline newsletter box, a tip-off line under every
    article).

    **Why**: an article is written once; what a site prints on page after page (menus,
    footers, newsletter boxes, job boards, "most read" lists) is its template, whatever
    words it uses, so this works in any language and for chrome no phrase list knows.

    **Known false positives**: a standfirst or disclaimer a site repeats on most articles
    of a series ("This article is part of our series on..."); a quote or fact box shared
    by several articles when it recurs as a block; the byline of a prolific author; a
    subheading many articles share ("What happens next"); an article's own headline when
    other pages list it as a teaser - a line that is most of the page's first (title) line
    is therefore left to the per-page detectors.
    """

    name = "site-repetition"
    LINE = Rule("SITE1", "line recurring on many pages of the same site")
    BLOCK = Rule("SITE2", "block of lines recurring together on several pages of the same site")
    rules = (LINE, BLOCK)

    copy_share = 0.5  # recurring prose covering this share of a page's prose: the page is a copy
    together_ratio = 1.5  # lines on at most this many times the block's pages travel with the block

    def __init__(self, profile: SiteProfile | None = None, thresholds: SiteThresholds | None = None) -> None:
        self.profile = profile
        self.thresholds = thresholds or SiteThresholds()

    def detect(self, page: Page, labels: Labels) -> Iterable[Removal]:
        if self.profile is None or not self.profile.has_template:
            return []
        keys = page_keys(page)
        signals = page_signals(page)
        protected = _title_lines([page.line(item.number) for item in keys])
        blocks, singles = self._recurring(keys, signals, protected, with_prose=True)
        if _prose_share(keys, signals, blocks.keys() | singles.keys()) >= self.copy_share:
            # The page's own prose recurs: a copy of another page of the run (the same article
            # under two addresses), not a template. Its prose stays; only non-prose chrome goes.
            blocks, singles = self._recurring(keys, signals, protected, with_prose=False)
        out = [
            self.removal(self.BLOCK, keys[first].number, keys[last].number, self._reason(count, "recur together"))
            for first, last, count in _runs(blocks)
        ]
        out.extend(
            self.removal(self.LINE, keys[first].number, keys[last].number, self._reason(count, "recurs"))
            for first, last, count in _runs(singles)
        )
        return out

    def _recurring(
        self, keys: list[LineKey], signals: list[LineSignals], protected: set[int], with_prose: bool
    ) -> tuple[dict[int, int], dict[int, int]]:
        """Indices (in ``keys``) of lines in recurring blocks and of single recurring lines, with page counts."""
        assert self.profile is not None
        t, pages = self.thresholds, self.profile.pages
        line_needed = t.needed(t.line_share, pages)
        prose_needed = t.needed(t.prose_share, pages) if with_prose else pages + 1
        # A block with prose in it needs more pages, a block of prose only as many as a prose line.
        block_needed = [t.needed(t.block_share, pages), line_needed if with_prose else pages + 1, prose_needed]
        blocks: dict[int, int] = {}
        for start, key in enumerate(block_keys(keys)):
            window = keys[start : start + BLOCK_LINES]
            if key is None or any(item.number in protected for item in window):
                continue
            prose = sum(1 for item in window if signals[item.number - 1].is_prose)
            count = self.profile.block_pages(key)
            if count >= block_needed[0 if prose == 0 else 2 if prose == len(window) else 1] and self._together(
                window, count
            ):
                for index in range(start, start + BLOCK_LINES):
                    blocks[index] = max(blocks.get(index, 0), count)
        singles: dict[int, int] = {}
        for index, (number, key, letters) in enumerate(keys):
            # Lines of digits and symbols ("*", "12", "|") carry nothing site-specific.
            if index in blocks or number in protected or not letters:
                continue
            count = self.profile.line_pages(key)
            if count >= (prose_needed if signals[number - 1].is_prose else line_needed):
                singles[index] = count
        return blocks, singles

    def _together(self, window: list[LineKey], count: int) -> bool:
        """True when at least two lines of the window recur on about the same pages as the window itself.

        A line that recurs on a few pages right above the site's footer makes a window as rare
        as itself, but the footer lines in it recur everywhere: that is one recurring line
        (judged by the single-line rules), not a block of lines that travel together.
        """
        assert self.profile is not None
        limit = self.together_ratio * count
        return sum(1 for item in window if self.profile.line_pages(item.key) <= limit) >= 2

    def _reason(self, count: int, what: str) -> str:
        assert self.profile is not None
        site = f" ({self.profile.label})" if self.profile.label else ""
        return f"{what} on at least {count} of {self.profile.pages} pages of this site{site}"


def _prose_share(keys: list[LineKey], signals: list[LineSignals], marked: Iterable[int]) -> float:
    """The share of the page's prose words (by line) that lie on the ``marked`` indices of ``keys``."""
    words = [signals[item.number - 1].words if signals[item.number - 1].is_prose else 0 for item in keys]
    total = sum(words)
    return sum(words[index] for index in marked) / total if total else 0.0


def _runs(marked: dict[int, int]) -> list[tuple[int, int, int]]:
    """Consecutive indices of ``marked`` as (first, last, smallest count)."""
    runs: list[tuple[int, int, int]] = []
    for index in sorted(marked):
        if runs and runs[-1][1] == index - 1:
            first, _, low = runs[-1]
            runs[-1] = (first, index, min(low, marked[index]))
        else:
            runs.append((index, index, marked[index]))
    return runs


def _title_lines(lines: list[Line]) -> set[int]:
    """Lines that make up most of the page's first line (its title): the page's own headline.

    Other pages of the site may list this article as a teaser, so its headline recurs; it is
    left to the per-page detectors. A site name inside the title ("Storm hits coast | The
    Daily Clarion") is a minor part of it and is not protected.
    """
    heads = [line for line in lines[:2] if not is_url_line(line.content)]  # a dump may start with its URL
    if not heads:
        return set()
    title = normalize(heads[0].content)
    title_words = len(title.split())
    protected = set()
    for line in lines:
        text = normalize(line.content)
        words = len(text.split())
        if words >= 3 and 2 * words >= title_words and f" {text} " in f" {title} ":
            protected.add(line.number)
    return protected

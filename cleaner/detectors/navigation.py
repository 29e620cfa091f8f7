"""Navigation chrome: skip links, menus, breadcrumb trails, pagers and tag lists."""

from __future__ import annotations

import re
from collections.abc import Iterable

from cleaner.detectors.base import Detector, prose_span
from cleaner.text.labels import Labels, Removal, Rule
from cleaner.text.page import Line, Page
from cleaner.text.phrases import PhraseBook, PhrasePatterns, matches, normalize
from cleaner.text.signals import LineSignals, page_signals, phrase_masks

__all__ = ["NavigationDetector"]

# Breadcrumb separators; "/" only between spaces so that dates and paths do not split.
_CRUMB_SEP = re.compile(r"\s*(?:[>›»→]|>>|::)\s*|\s+/\s+|\s+\\\s+")
# A character every breadcrumb separator has: lines without one are not split at all.
_CRUMB_CHAR = re.compile(r"[>›»→:/\\]")
# A gallery position standing alone: "1 of 6", "Image 1 of 8", "3 / 12".
_GALLERY_POSITION = re.compile(
    r"^(?:(?:image|photo|picture|slide|bild|foto)\s+)?\d{1,3}\s*(?:of|/|von|sur|de)\s*\d{1,3}$", re.I
)


class NavigationDetector(Detector):
    """Removes skip links, menus, breadcrumb trails, pagers and tag lists.

    **What**: "Skip to main content"-style skip links (phrase data in several languages);
    breadcrumbs ("Home > News > World", "Главная » Интересное"): one line of two or more
    short steps joined by ``>``/``›``/``»``/`` / ``, starting at a home step or with three
    steps; menus: four or more consecutive lines (no blank between) that are each a short
    label of at most five words without sentence punctuation, lying before the page's
    first prose line or after its last one (bulleted runs of seven or more items anywhere);
    pagers: "Previous post"/"Next post" links and gallery positions ("Image 1 of 8"); tag
    lists: a line labelled "Tags:", "Filed Under:", "Topics:" … (phrase data), with the
    short lines right under a bare label.

    **Why**: a page dump renders the site's navigation as text; it repeats on every page
    of the site and is never part of the article.

    **Known false positives**: a run of short list items (ingredients, a table of names)
    placed before the first sentence of the page, e.g. a fact box above the text; an
    in-article bulleted list of seven or more one-to-three-word items; a line that is only
    "Next" or "3/12" inside the article; the short lines under an article sub-heading
    that reads "Topics:".
    """

    name = "navigation"
    SKIP = Rule("NAV1", "skip link ('Skip to main content')")
    MENU = Rule("NAV2", "menu: run of short link-like lines")
    CRUMB = Rule("NAV3", "breadcrumb trail ('Home > News > World')")
    PAGER = Rule("NAV4", "pager: previous/next post link or gallery position ('1 of 6')")
    TAGS = Rule("NAV5", "tag or category list ('Tags: …', 'Filed Under: …')")
    rules = (SKIP, MENU, CRUMB, PAGER, TAGS)

    min_menu = 4  # lines in a menu run
    min_inner_menu = 7  # bulleted items in a menu run between prose lines
    max_item_words = 5
    max_item_chars = 40
    max_tag_items = 15

    def detect(self, page: Page, labels: Labels) -> Iterable[Removal]:
        signals, book = page_signals(page), page.phrases
        skip, pager = book.patterns(self.name, "skip"), book.patterns(self.name, "pager")
        tags = book.patterns(self.name, "tags")
        # Phrase tests run only on the lines holding a gate word (phrase_masks); a tag label is
        # a part of its line cut at the colon, so the line's mask covers it.
        out: list[Removal] = []
        crumb_gate = _CRUMB_CHAR.search  # (is_breadcrumb's own first test, without a call per line)
        # The sections' gates tested here first (what matches() tests first; a book's sections all
        # have a bit): most lines have none of these bits, and a call per line and section cost more.
        skip_bit, pager_bit, tags_bit = skip.bit, pager.bit, tags.bit
        for line, sig, mask in zip(page.lines, signals, phrase_masks(page), strict=True):
            if line.is_blank:
                continue
            content = line.content
            if sig.words <= 10 and mask & skip_bit and skip.matches(content, mask):
                out.append(self.removal(self.SKIP, line.number, reason="skip link"))
            elif crumb_gate(content) and self.is_breadcrumb(line, book):
                out.append(self.removal(self.CRUMB, line.number, reason="breadcrumb trail"))
            # A gallery position ends with a digit: other lines skip the pattern.
            elif (content[-1:].isdecimal() and _GALLERY_POSITION.match(content)) or (
                sig.words <= 6 and mask & pager_bit and pager.matches(line.content, mask)
            ):
                out.append(self.removal(self.PAGER, line.number, reason="previous/next link"))
            elif sig.words <= 40 and mask & tags_bit and (last := self.tag_list_end(page, line, tags, mask)):
                out.append(self.removal(self.TAGS, line.number, last, "tag list"))
        out.extend(self.menus(page, signals))
        return out

    def tag_list_end(self, page: Page, line: Line, tags: PhrasePatterns, mask: int) -> int | None:
        """Last line of a tag list opened by ``line`` ("Tags: a, b" or "Tags:" over short lines), or None.

        ``tags``: the page's tag-label patterns; ``mask``: the line's phrase mask (the label is a
        part of the line, so the mask covers it).
        """
        label, colon, rest = line.content.partition(":")
        if not colon or not tags.matches(label, mask):
            return None
        last = line.number
        if rest.strip():
            return last
        for number in range(line.number + 1, min(len(page), line.number + self.max_tag_items) + 1):
            item = page.line(number)
            if item.is_blank or len(normalize(item.content).split()) > self.max_item_words:
                break
            last = number
        return last

    def is_breadcrumb(self, line: Line, book: PhraseBook) -> bool:
        if not _CRUMB_CHAR.search(line.content):
            return False
        steps = [s for s in _CRUMB_SEP.split(line.content) if s.strip()]
        if len(steps) < 2 or len(steps) > 8 or len(_CRUMB_SEP.findall(line.content)) != len(steps) - 1:
            return False
        words = [len(normalize(step).split()) for step in steps]
        if min(words) == 0 or max(words) > 5 or any(step.rstrip().endswith((".", "!", "?")) for step in steps):
            return False
        return len(steps) >= 3 or matches(steps[0], book.patterns(self.name, "home"))

    def is_item(self, line: Line, sig: LineSignals) -> bool:
        """A menu item: a short label, not a sentence."""
        return (
            not line.is_blank
            and 1 <= sig.words <= self.max_item_words
            and len(line.content) <= self.max_item_chars
            and not sig.sentence_end
            and sig.inner_punct <= 1
        )

    def menus(self, page: Page, signals: list[LineSignals]) -> list[Removal]:
        span = prose_span(page, signals)
        out: list[Removal] = []
        run: list[Line] = []

        def flush() -> None:
            if len(run) >= self.min_menu:
                first, last = run[0].number, run[-1].number
                outside = span is None or last < span[0] or first > span[1]
                bulleted = len(run) >= self.min_inner_menu and all(line.bulleted for line in run)
                if outside or bulleted:
                    out.append(self.removal(self.MENU, first, last, f"menu of {len(run)} short lines"))
            run.clear()

        is_item = self.is_item
        for line, sig in zip(page.lines, signals, strict=True):
            if not line.is_blank and is_item(line, sig):  # (a blank line is no item: no call for it)
                run.append(line)
            elif run:
                flush()
        flush()
        return out

"""HTML input: what trafilatura's main-content extraction leaves out of the whole-page text."""

from __future__ import annotations

from collections.abc import Iterable

from cleaner.detectors.base import Detector
from cleaner.text.labels import Labels, Located, Removal, Rule
from cleaner.text.page import Page

__all__ = ["HtmlExtractorDetector"]


class HtmlExtractorDetector(Detector):
    """Removes what trafilatura leaves outside an HTML page's main content (HTML inputs only).

    **What**: (HTML1) every line of the whole-page text (one visible block a line, see
    :mod:`cleaner.inputs.html_dom`) that trafilatura's main-content extraction does not cover, found by
    aligning its text with the page's lines; (HTML2) with ``--no-title``, the headline (the
    line reading as the title trafilatura found, just above the content), which stays in the
    metadata. Blank lines go with the text above them. The other detectors then judge only
    what is left, and label the page's lines with their own, more precise reasons when they
    run on the whole page (``--skip html-extractor`` cleans the whole-page text as a text dump).

    **Why**: trafilatura reads the DOM (element names, classes, link density, position), which
    a text dump no longer shows; what it leaves out of the main content is menus, sidebars,
    footers and other chrome. Its text alone has no line numbers: aligning it with the
    whole-page text keeps every cut reportable and the report lossless.

    **Known false positives**: whatever trafilatura misses (an article split across unusual
    containers, a lead paragraph styled as a teaser, a table it drops); a line less than half of
    whose words trafilatura kept (a paragraph it cut short).

    Built for one page (``kept`` = the covered line numbers); without them (text inputs,
    trafilatura found nothing) it removes nothing.
    """

    name = "html-extractor"
    OUTSIDE = Rule("HTML1", "outside the main content trafilatura found")
    HEADLINE = Rule("HTML2", "the article's headline, reported as the title in the metadata")
    rules = (OUTSIDE, HEADLINE)
    provides = frozenset({"body", "headline", "scope"})
    # What --explain says of a line outside the scope this step leaves.
    outside_note = "the other detectors run only on what trafilatura kept"

    def __init__(
        self, kept: frozenset[int] | None = None, headline: int | None = None, keep_title: bool = True
    ) -> None:
        self.kept = kept
        self.headline = headline
        self.keep_title = keep_title

    def content(self, page: Page) -> list[int]:
        """The line numbers left for the other detectors: covered lines, the headline, blank lines after them."""
        if self.kept is None:
            return [line.number for line in page.lines]
        wanted = set(self.kept)
        if self.headline is not None:
            (wanted.add if self.keep_title else wanted.discard)(self.headline)
        left: list[int] = []
        follows = False  # the nearest non-blank line above is content
        for line in page.lines:
            if line.is_blank:
                if follows:
                    left.append(line.number)
                continue
            follows = line.number in wanted
            if follows:
                left.append(line.number)
        return left

    def detect(self, page: Page, labels: Labels) -> Iterable[Removal | Located]:
        if self.kept is None:
            return []
        left = self.content(page)
        return [*self.cut(page, left), Located((left[0], left[-1]) if left else None, self.headline, tuple(left))]

    def cut(self, page: Page, left: Iterable[int]) -> list[Removal]:
        """The removals for the lines ``left`` (what :meth:`content` returned for ``page``): all the others."""
        left = set(left)
        out: list[Removal] = []
        start: int | None = None
        for line in page.lines:
            outside = line.number not in left and line.number != self.headline
            if outside and start is None:
                start = line.number
            elif not outside and start is not None:
                out.append(self.removal(self.OUTSIDE, start, line.number - 1))
                start = None
        if start is not None:
            out.append(self.removal(self.OUTSIDE, start, len(page)))
        if self.headline is not None and self.headline not in left:
            out.append(self.removal(self.HEADLINE, self.headline, self.headline))
        return out

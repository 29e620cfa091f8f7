"""Sponsored and partner content: ad markers and "Partner Content" teaser sections."""

from __future__ import annotations

from collections.abc import Iterable

from cleaner.detectors.base import Detector, teaser_list_end
from cleaner.text.labels import Labels, Removal, Rule
from cleaner.text.page import Page
from cleaner.text.signals import page_signals, phrase_masks

__all__ = ["SponsoredDetector"]


class SponsoredDetector(Detector):
    """Removes sponsored-content sections and single ad markers.

    **What**: a short heading from the phrase data ("Partner Content", "Sponsored
    Content", "Promoted Stories", "Paid content", "From our partners", "Around the web")
    with the teaser list that follows it — headline lines, each with at most one summary
    line, up to the first line that is not a teaser (see ``teaser_list_end``); and single
    ad markers standing alone on a line ("Advertisement", "Sponsored", "Ad", "Anzeige",
    "Continue reading the main story").

    **Why**: paid teasers and ad slots are advertising placed into the page layout; their
    text belongs to the advertiser, not to the article.

    **Known false positives**: a one-word line "Sponsored" or "Advertisement" used as a
    genuine heading inside an article about advertising; an article section that starts
    right after a "Presented by …" credit line with a one-sentence paragraph.
    """

    name = "sponsored"
    SECTION = Rule("SPON1", "sponsored/partner content section")
    MARKER = Rule("SPON2", "ad marker line ('Advertisement', 'Sponsored')")
    rules = (SECTION, MARKER)

    max_heading_words = 6

    def detect(self, page: Page, labels: Labels) -> Iterable[Removal]:
        signals = page_signals(page)
        headings = page.phrases.patterns(self.name, "heading")
        markers = page.phrases.patterns(self.name, "inline")
        out: list[Removal] = []
        covered = 0
        # Only the lines holding a gate word of either section are matched (phrase_masks).
        either = headings.bit | markers.bit
        for line, sig, mask in zip(page.lines, signals, phrase_masks(page), strict=True):
            if not mask & either or line.number <= covered or sig.words > self.max_heading_words:
                continue
            if headings.matches(line.content, mask):
                last, items = teaser_list_end(page, signals, labels, line.number)
                out.append(self.removal(self.SECTION, line.number, last, f"sponsored section, {items} teasers"))
                covered = last
            elif markers.matches(line.content, mask):
                out.append(self.removal(self.MARKER, line.number, reason="ad marker"))
        return out

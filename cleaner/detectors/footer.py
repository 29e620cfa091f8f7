"""Site footers: copyright lines, legal link rows and legal notices."""

from __future__ import annotations

import re
from collections.abc import Iterable

from cleaner.detectors.base import Detector, load_patterns, load_section, matches, normalize
from cleaner.page import Page
from cleaner.removal import Labels, Removal, Rule
from cleaner.signals import page_signals

# "© 2019 ...", "(c) 2019", "Copyright 2019", "ⓒ": a copyright sign near the start or with a year.
_COPYRIGHT = re.compile(
    r"^\W{0,3}(?:©|ⓒ|\(c\)\s*\d{4})|(?:©|ⓒ|\(c\)|\bcopyright\b)\s*(?:©\s*)?(?:\d{4}|\w+ \d{4})", re.I
)


class FooterDetector(Detector):
    """Removes copyright lines, legal link rows and legal notices of the site footer.

    **What**: copyright lines (a ``©``/"Copyright" at the start or before a year, or an
    "All rights reserved" formula; at most sixty words); rows made only of footer link
    labels from the phrase data ("Privacy Policy | Terms of Use | Contact us",
    "Impressum Datenschutz"), at most twenty words; and legal notices matching the phrase
    data ("Registration on or use of this site constitutes acceptance of our User
    Agreement…"). Footer rows are removed wherever they appear: a link row at the top of
    the page is the same chrome.

    **Why**: the footer repeats on every page of a site; its lines are legal and
    navigational, never article text.

    **Known false positives**: an image credit starting with "©" is removed as a copyright
    line (it is not article text either, but the reason is imprecise); a one-word line
    such as "Contact" or "About" inside the article (an address box) is taken for a footer
    link.
    """

    name = "footer"
    COPYRIGHT = Rule("FOOT1", "copyright line")
    LINKS = Rule("FOOT2", "footer link row (privacy, terms, contact)")
    NOTICE = Rule("FOOT3", "legal notice of the site footer")
    rules = (COPYRIGHT, LINKS, NOTICE)

    max_copyright_words = 60
    max_link_words = 20

    def is_link_row(self, text: str) -> bool:
        """A line made only of footer link labels: split greedily into known labels, longest first."""
        words = normalize(text).split()
        labels = load_section(self.name, "legal")
        longest = 6
        index = 0
        while index < len(words):
            for size in range(min(longest, len(words) - index), 0, -1):
                if " ".join(words[index: index + size]) in labels:
                    index += size
                    break
            else:
                return False
        return bool(words)

    def detect(self, page: Page, labels: Labels) -> Iterable[Removal]:
        signals = page_signals(page)
        copyright_phrases = load_patterns(self.name, "copyright")
        notices = load_patterns(self.name, "notice")
        out: list[Removal] = []
        for line, sig in zip(page.lines, signals, strict=True):
            if line.is_blank:
                continue
            text = line.content
            if sig.words <= self.max_copyright_words and (_COPYRIGHT.search(text) or matches(text, copyright_phrases)):
                out.append(self.removal(self.COPYRIGHT, line.number, reason="copyright line"))
            elif sig.words <= self.max_link_words and self.is_link_row(text):
                out.append(self.removal(self.LINKS, line.number, reason="footer links"))
            elif matches(text, notices):
                out.append(self.removal(self.NOTICE, line.number, reason="legal notice"))
        return out

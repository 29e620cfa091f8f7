"""Site footers: copyright lines, legal link rows and legal notices."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from cleaner.detectors.base import Detector
from cleaner.text.labels import Labels, Removal, Rule
from cleaner.text.page import Page
from cleaner.text.phrases import normalize
from cleaner.text.signals import page_signals, phrase_masks

__all__ = ["FooterDetector"]

# "© 2019 ...", "(c) 2019", "Copyright 2019", "ⓒ": a copyright sign near the start or with a year.
_COPYRIGHT = re.compile(
    r"^\W{0,3}(?:©|ⓒ|\(c\)\s*\d{4})|(?:©|ⓒ|\(c\)|\bcopyright\b)\s*(?:©\s*)?(?:\d{4}|\w+ \d{4})", re.I
)


def _copyright(text: str) -> bool:
    """``_COPYRIGHT.search(text)``, tried only on lines that have a copyright sign or word.

    Every match holds "©", "ⓒ" (or "Ⓒ"), "(c)" or "copyright" in any case; lower-cased, the line
    then has "©", "ⓒ", "(c)" or "copyr" ("copyright" with a Turkish dotted İ lowers to more characters).
    """
    low = text.lower()
    if "©" in low or "ⓒ" in low or "(c)" in low or "copyr" in low:
        return _COPYRIGHT.search(text) is not None
    return False


@lru_cache(maxsize=64)
def _first_words(labels: frozenset[str]) -> frozenset[str]:
    """The first word of every footer link label."""
    return frozenset(label.split()[0] for label in labels if label)


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

    def is_link_row(self, text: str, labels: frozenset[str]) -> bool:
        """A line made only of footer link labels: split greedily into known labels, longest first.

        ``labels``: the footer's link labels (the page's phrase book's ``[legal]`` section).
        """
        words = normalize(text).split()
        if words and words[0] not in _first_words(labels):
            return False  # no label starts with the line's first word
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
        book = page.phrases
        copyright_phrases = book.patterns(self.name, "copyright")
        notices = book.patterns(self.name, "notice")
        legal = book.section(self.name, "legal")
        # Phrase tests run only on the lines holding a gate word (phrase_masks); a link row
        # starts with a label's first word.
        legal_bit = book.section_bit(self.name, "legal", first_word=True)
        out: list[Removal] = []
        # The sections' gates tested here first (what matches() tests first; a book's sections all
        # have a bit): most lines have neither bit, and a call per line and section cost more.
        copyright_bit, notice_bit = copyright_phrases.bit, notices.bit
        for line, sig, mask in zip(page.lines, signals, phrase_masks(page), strict=True):
            if line.is_blank:
                continue
            text = line.content
            if sig.words <= self.max_copyright_words and (
                _copyright(text) or (mask & copyright_bit and copyright_phrases.matches(text, mask))
            ):
                out.append(self.removal(self.COPYRIGHT, line.number, reason="copyright line"))
            elif sig.words <= self.max_link_words and mask & legal_bit and self.is_link_row(text, legal):
                out.append(self.removal(self.LINKS, line.number, reason="footer links"))
            elif mask & notice_bit and notices.matches(text, mask):
                out.append(self.removal(self.NOTICE, line.number, reason="legal notice"))
        return out

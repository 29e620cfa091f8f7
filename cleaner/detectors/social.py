"""Share and follow widgets."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from cleaner.detectors.base import Detector
from cleaner.text.labels import Labels, Removal, Rule
from cleaner.text.page import Page
from cleaner.text.phrases import PhraseBook, PhrasePatterns, matches, normalize
from cleaner.text.signals import page_signals, phrase_masks

__all__ = ["SocialShareDetector"]

# "258 Shares", "[ 167 comments ]", "1.2K", "0": a widget counter.
_COUNT = re.compile(r"^[\[(]?\s*\d[\d.,]*\s*[kKmM]?\s*(?P<what>\w+)?\s*[\])]?$")
_COUNT_WORDS = {"share", "shares", "comment", "comments", "like", "likes", "tweet", "tweets", "view", "views",
                "reaction", "reactions", "pin", "pins", "reply", "replies"}


class SocialShareDetector(Detector):
    """Removes share and follow widgets.

    **What**: short lines (at most twelve words) that are a share or follow prompt from the
    phrase data ("Share", "Tweet", "Share on Facebook", "Click to share on Reddit (Opens in
    new window)", "Follow us on", "Like this story? Share it with a friend!") or that name
    only social networks, optionally with widget words ("Facebook Twitter LinkedIn",
    "LinkedIn Banner"); and widget counters ("258 Shares", "[ 167 comments ]", or a bare
    number right next to a share line).

    **Why**: share bars and follow boxes are the site's buttons rendered as text; they sit
    around every article and say nothing about it.

    **Known false positives**: a one-word line that is the name of a network used as a
    section heading inside an article about that network ("Twitter"); a bare number next to
    a share line that was part of a table.
    """

    name = "social"
    WIDGET = Rule("SOC1", "share or follow widget")
    COUNT = Rule("SOC2", "share or comment counter")
    rules = (WIDGET, COUNT)

    max_words = 12

    def is_widget(self, text: str, book: PhraseBook) -> bool:
        return self._is_widget(text, *self._phrases(book))

    def _phrases(self, book: PhraseBook) -> tuple[PhrasePatterns, frozenset[str], frozenset[str]]:
        return book.patterns(self.name, "share"), book.section(self.name, "network"), book.section(self.name, "filler")

    @staticmethod
    def _is_widget(
        text: str, share: Sequence[re.Pattern[str]], networks: frozenset[str], filler: frozenset[str]
    ) -> bool:
        if matches(text, share):
            return True
        words = normalize(text).split()
        return bool(words) and any(w in networks for w in words) and all(w in networks or w in filler for w in words)

    def detect(self, page: Page, labels: Labels) -> Iterable[Removal]:
        signals = page_signals(page)
        phrases = self._phrases(page.phrases)  # loaded once per page, not once per line
        # A widget matches a share phrase or names a network: lines with neither gate word are not tried.
        either = phrases[0].bit | page.phrases.section_bit(self.name, "network")
        lines = page.lines
        widgets = {
            number
            for number, mask in enumerate(phrase_masks(page), 1)
            if mask & either
            and signals[number - 1].words <= self.max_words
            and self._is_widget(lines[number - 1].content, *phrases)
        }
        out = [self.removal(self.WIDGET, n, reason="share/follow widget") for n in sorted(widgets)]
        nonblank = [line for line in page.lines if not line.is_blank]
        for index, line in enumerate(nonblank):
            head = line.content[:1]
            if not (head.isdecimal() or head in "[(") or line.number in widgets:
                continue  # a counter opens with a digit or a bracket: other lines skip the pattern
            count = _COUNT.match(line.content)
            if not count:
                continue
            what = (count.group("what") or "").lower()
            near = {n.number for n in nonblank[max(0, index - 2): index + 3]} & widgets
            if what in _COUNT_WORDS or (not what and near):
                out.append(self.removal(self.COUNT, line.number, reason="widget counter"))
        return out

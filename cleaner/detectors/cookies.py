"""Cookie and consent notices."""

from __future__ import annotations

import re
from collections.abc import Iterable

from cleaner.detectors.base import Detector
from cleaner.text.labels import Labels, Removal, Rule
from cleaner.text.page import Page
from cleaner.text.phrases import matches
from cleaner.text.signals import page_signals, phrase_masks

__all__ = ["CookieNoticeDetector"]

_CONSENT_WORD = re.compile(r"\b(?:cookies?|consent|gdpr|dsgvo|rgpd|tracking technologies)\b", re.I)


class CookieNoticeDetector(Detector):
    """Removes cookie banners and consent dialogs.

    **What**: a line that opens with a consent formula from the phrase data ("We use
    cookies…", "This website uses cookies…", "By continuing to browse…"; most formulas
    are anchored at the line's start, the rest must end within its first twelve words),
    plus the dialog around it: neighbouring lines (at most one blank line apart) that are
    dialog controls ("Accept all", "Manage preferences", "Necessary Always Enabled") or
    that name cookies or consent within their first six words (at most sixty words).

    **Why**: consent banners are site-wide legal chrome injected into every page; they
    read like prose, so the main-body locator alone can take them for article text.

    **Known false positives**: an article paragraph that *opens* with a quoted banner
    ("We use cookies to…", the notice read), and lines right next to it that name cookies
    in their first words.
    """

    name = "cookies"
    NOTICE = Rule("COOK1", "cookie or consent notice")
    DIALOG = Rule("COOK2", "consent dialog control or detail next to a notice")
    rules = (NOTICE, DIALOG)

    head_words = 12
    max_notice_words = 120
    max_detail_words = 60
    detail_head_words = 6

    def detect(self, page: Page, labels: Labels) -> Iterable[Removal]:
        signals = page_signals(page)
        notice = page.phrases.patterns(self.name, "notice")
        control = page.phrases.patterns(self.name, "control")
        lines = page.lines
        # Only the lines that hold a notice phrase's gate word are matched: on most pages, none.
        masks = phrase_masks(page)
        seeds = [
            number
            for number in notice.candidates(masks)
            if signals[number - 1].words <= self.max_notice_words
            and notice.matches(lines[number - 1].content, masks[number - 1], head_words=self.head_words)
        ]
        out = [self.removal(self.NOTICE, n, reason="cookie notice") for n in seeds]
        taken = set(seeds)

        def related(number: int) -> bool:
            line, sig = page.line(number), signals[number - 1]
            if matches(line.content, control):
                return True
            head = " ".join(line.content.split()[: self.detail_head_words])
            return sig.words <= self.max_detail_words and bool(_CONSENT_WORD.search(head))

        for seed in seeds:
            for step in (-1, 1):
                number, gap = seed + step, 0
                while 1 <= number <= len(page) and gap <= 1:
                    if page.line(number).is_blank:
                        gap += 1
                    elif number in taken or related(number):
                        if number not in taken:
                            out.append(self.removal(self.DIALOG, number, reason="consent dialog"))
                            taken.add(number)
                        gap = 0
                    else:
                        break
                    number += step
        return out

"""The structural main-body locator: where the article starts and ends."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cleaner.detectors.base import Detector
from cleaner.page import Page
from cleaner.removal import Labels, Removal, Rule
from cleaner.signals import LineSignals, page_signals


@dataclass(frozen=True)
class BodyThresholds:
    """Weights of the line scores; ``favor`` presets shift them towards precision or recall."""

    prose_chars_per_point: float = 80.0
    prose_cap: float = 6.0
    short_penalty: float = 1.0
    headline_penalty: float = 1.5
    bullet_penalty: float = 2.0
    labelled_penalty: float = 3.0
    medium_penalty: float = 1.0


class MainBodyDetector(Detector):
    """Removes everything before and after the article's main body.

    **What**: the lines outside the one stretch of the page that reads like an article.
    Every line gets a score: prose lines (long, punctuated, rich in stopwords) score by
    their length; menu items, headlines, bullets and lines other detectors already labelled
    score negative. The body is the stretch with the highest total (a maximum-sum
    segment), so a short heading between paragraphs is bridged while a menu is not.

    **Why**: page chrome (menus, teasers, footers) is made of short, link-like lines; the
    article is the densest run of sentences.

    **Known false positives**: an article made only of short lines (a poem, a list of
    bullet points) scores low and may lose its edges; a long prose comment section right
    after the article can be taken for more article.
    """

    name = "main-body"
    generic = True
    BEFORE = Rule("BODY1", "before the article's main body")
    AFTER = Rule("BODY2", "after the article's main body")
    rules = (BEFORE, AFTER)

    def __init__(self, thresholds: BodyThresholds | None = None) -> None:
        self.thresholds = thresholds or BodyThresholds()

    def line_score(self, signals: LineSignals, labelled: bool) -> float:
        t = self.thresholds
        if labelled:
            return -t.labelled_penalty
        if signals.is_prose:
            return min(signals.chars / t.prose_chars_per_point, t.prose_cap)
        if signals.bulleted:
            return -t.bullet_penalty
        if signals.title_case:
            return -t.headline_penalty
        if signals.is_short:
            return -t.short_penalty
        return -t.medium_penalty

    def locate(self, page: Page, labels: Labels) -> tuple[int, int] | None:
        """The (first, last) line numbers of the highest-scoring stretch, or ``None``."""
        signals = page_signals(page)
        best, best_range = 0.0, None
        total, start = 0.0, None
        for line, sig in zip(page.lines, signals):
            if line.is_blank:
                continue
            score = self.line_score(sig, labels.is_removed(line.number))
            if start is None or total <= 0:
                total, start = 0.0, line.number
            total += score
            if total > best:
                best, best_range = total, (start, line.number)
            if total <= 0:
                start = None
        return best_range

    def detect(self, page: Page, labels: Labels) -> Iterable[Removal]:
        body = self.locate(page, labels)
        labels.body = body
        if body is None:
            return []
        first, last = body
        out = []
        if first > 1:
            out.append(self.removal(self.BEFORE, 1, first - 1))
        if last < len(page):
            out.append(self.removal(self.AFTER, last + 1, len(page)))
        return out

"""The learned content model in the main-body locator's place: a probability of content per line."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from cleaner.detectors.base import Detector
from cleaner.detectors.claims import claim_features
from cleaner.detectors.main_body import BodyThresholds, MainBodyDetector
from cleaner.text.features import line_features
from cleaner.text.labels import Labels, Located, Removal, Rule
from cleaner.text.page import Line, Page

__all__ = ["ContentModelDetector", "LocatorWithModel", "Predictor", "content_probability"]

# Feature rows (``cleaner.text.features`` then ``cleaner.detectors.claims`` columns) -> P(content) per row.
Predictor = Callable[[np.ndarray], np.ndarray]


class ContentModelDetector(Detector):
    """Removes the lines a learned model gives a low probability of being the page's content.

    **What**: every non-blank line gets features (its shape, its place, its neighbours, what the
    specific detectors before it claimed) and a probability of content from ``predict``; runs of
    lines under ``threshold`` are removed (MODEL1), and the article's position for the detectors
    after it is the first to the last kept line. Unlike the main-body locator it may keep several
    stretches (a list, a forum thread, a page of short items).

    **Why**: boilerplate and content differ in layout, prose density and position in ways a
    model learned from labelled pages weighs better than hand-set scores, on pages of any genre.

    **Known false positives**: content that looks like chrome (a list of short link-like items)
    when the pages it learned from had little of it; a long prose block in a sidebar.
    """

    name = "main-body"  # the same place and switch (--skip main-body) as the locator it stands in for
    generic = True
    provides = frozenset({"body"})
    OUT = Rule("MODEL1", "not the page's content (learned model)")
    rules = (OUT,)

    def __init__(self, predict: Predictor, threshold: float = 0.5) -> None:
        self.predict = predict
        self.threshold = threshold

    def detect(self, page: Page, labels: Labels) -> Iterable[Removal | Located]:
        lines, probability = content_probability(self.predict, page, labels)
        kept = [line.number for line, p in zip(lines, probability, strict=True) if p >= self.threshold]
        out: list[Removal | Located] = [Located((kept[0], kept[-1]) if kept else None)]
        reason = f"content probability under {self.threshold:.2f}"
        numbers = [line.number for line in lines]
        under = {line.number for line, p in zip(lines, probability, strict=True) if p < self.threshold}
        # Runs of non-blank lines under the threshold; the blank lines between them go with them.
        out.extend(self.removal(self.OUT, first, last, reason) for first, last in _runs(numbers, under.__contains__))
        return out


def content_probability(predict: Predictor, page: Page, labels: Labels) -> tuple[list[Line], np.ndarray]:
    """The page's non-blank lines and the model's P(content) of each (features, then the claims so far)."""
    lines, features = line_features(page)
    if not lines:
        return lines, np.zeros(0)
    return lines, predict(np.hstack([features, claim_features(page, lines, labels.by_line)]))


def _runs(numbers: Iterable[int], removed: Callable[[int], bool]) -> list[tuple[int, int]]:
    """(first, last) of each run of ``numbers`` (in order) that ``removed`` says yes to, up to the next no."""
    runs: list[tuple[int, int]] = []
    first = last = None
    for number in numbers:
        if removed(number):
            first, last = (number if first is None else first), number
        elif first is not None and last is not None:
            runs.append((first, last))
            first = None
    if first is not None and last is not None:
        runs.append((first, last))
    return runs


class LocatorWithModel(MainBodyDetector):
    """The main-body locator, corrected by the content model where the model is sure.

    **What**: the locator's cut (BODY1-3), except the lines outside the article that the model
    gives at least ``rescue`` (kept: a second stretch of content, a list after the article), plus
    the lines inside it the model gives under ``cut`` (MODEL2: chrome inside the stretch).

    **Why**: the locator finds one article well on news pages; the model sees content in more
    than one place on pages of other genres. Each overrides the other only where it is sure.

    **Known false positives**: as the locator's, fewer on pages with several stretches of content;
    a teaser block the model is sure of is kept after the article.
    """

    INSIDE = Rule("MODEL2", "inside the article's stretch but not content (learned model)")
    rules = (*MainBodyDetector.rules, INSIDE)

    def __init__(
        self, predict: Predictor, rescue: float = 0.85, cut: float = 0.1,
        thresholds: BodyThresholds | None = None, keep_title: bool = True,
    ) -> None:
        super().__init__(thresholds, keep_title)
        self.predict, self.rescue, self.cut = predict, rescue, cut

    def detect(self, page: Page, labels: Labels) -> Iterable[Removal | Located]:
        found = list(super().detect(page, labels))
        lines, probability = content_probability(self.predict, page, labels)
        if not lines:
            return found
        sure = {line.number: p for line, p in zip(lines, probability, strict=True)}
        out: list[Removal | Located] = []
        for item in found:
            out.extend([item] if isinstance(item, Located) else self._unrescued(item, sure))
        body = next((item.body for item in found if isinstance(item, Located)), None)
        if body is not None:
            reason = f"content probability under {self.cut:.2f} inside the article"
            out.extend(
                self.removal(self.INSIDE, number, number, reason)
                for number, p in sure.items() if body[0] <= number <= body[1] and p < self.cut
            )
        return out

    def _unrescued(self, removal: Removal, sure: dict[int, float]) -> list[Removal]:
        """``removal`` without the lines the model is sure are content (split around them)."""
        lines = range(removal.first_line, removal.last_line + 1)
        return [
            Removal(removal.detector, removal.rule, first, last, removal.reason)
            for first, last in _runs(lines, lambda number: sure.get(number, 0.0) < self.rescue)
        ]

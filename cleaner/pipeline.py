"""The detector pipeline: an explicit ordered list, run once per page, with an over-removal guard."""

from __future__ import annotations

from collections.abc import Sequence

from cleaner.detectors.base import Detector
from cleaner.detectors.main_body import MainBodyDetector
from cleaner.metadata import extract_metadata
from cleaner.page import Page
from cleaner.removal import Labels
from cleaner.render import CleanResult, render


def default_detectors() -> list[Detector]:
    """The detectors in the order they run.

    Specific detectors that need no article position come first; the main-body locator
    then treats their labels as non-article; detectors that judge lines by their position
    relative to the article come last.
    """
    return [
        MainBodyDetector(),
    ]


def run_detectors(page: Page, detectors: Sequence[Detector]) -> Labels:
    """Run ``detectors`` in order over ``page`` and return the collected labels."""
    labels = Labels(size=len(page))
    for detector in detectors:
        if detector.generic:
            labels.generic.add(detector.name)
        for removal in detector.detect(page, labels):
            labels.add(removal)
    return labels


def clean_page(page: Page, detectors: Sequence[Detector] | None = None) -> CleanResult:
    """Label ``page`` with ``detectors`` (default: :func:`default_detectors`) and render the result."""
    labels = run_detectors(page, default_detectors() if detectors is None else detectors)
    return render(page, labels, extract_metadata(page, labels))

"""The library's entry points; the CLI calls only these."""

from __future__ import annotations

from collections.abc import Sequence

from cleaner.detectors.base import Detector
from cleaner.page import Page
from cleaner.pipeline import clean_page
from cleaner.render import CleanResult


def clean_text(text: str, source: str = "-", detectors: Sequence[Detector] | None = None) -> CleanResult:
    """Clean one page given as text: the article text, removed spans and metadata."""
    return clean_page(Page(text, source), detectors)

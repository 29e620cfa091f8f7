"""The library's entry points; the CLI calls only these."""

from __future__ import annotations

from collections.abc import Sequence

from cleaner.detectors.base import Detector
from cleaner.metadata import extract_metadata
from cleaner.page import Page
from cleaner.pipeline import default_detectors, run_detectors
from cleaner.render import CleanResult, render


def clean_text(text: str, source: str = "-", detectors: Sequence[Detector] | None = None) -> CleanResult:
    """Clean one page given as text: the article text, removed spans and metadata."""
    page = Page(text, source)
    labels = run_detectors(page, default_detectors() if detectors is None else detectors)
    metadata = extract_metadata(page, labels.body[0] if labels.body else None)
    return render(page, labels, metadata)

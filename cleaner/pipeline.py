"""The detector pipeline: an explicit ordered list, run once per page, with an over-removal guard."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import fields, replace
from functools import cache

from cleaner.detectors.base import Detector
from cleaner.detectors.bylines import BylineDetector
from cleaner.detectors.captions import CaptionDetector
from cleaner.detectors.comments import CommentsDetector
from cleaner.detectors.cookies import CookieNoticeDetector
from cleaner.detectors.footer import FooterDetector
from cleaner.detectors.html_extractor import HtmlExtractorDetector
from cleaner.detectors.job_ads import JobAdDetector
from cleaner.detectors.link_list import LinkListDetector
from cleaner.detectors.main_body import BodyThresholds, MainBodyDetector
from cleaner.detectors.navigation import NavigationDetector
from cleaner.detectors.signup import SignupPromptDetector
from cleaner.detectors.site_repetition import SiteRepetitionDetector
from cleaner.detectors.social import SocialShareDetector
from cleaner.detectors.sponsored import SponsoredDetector
from cleaner.detectors.teasers import RelatedTeaserDetector
from cleaner.metadata import extract_metadata
from cleaner.render import CleanResult, render
from cleaner.text.labels import Labels, Removal
from cleaner.text.language import word_count
from cleaner.text.page import Page
from cleaner.text.signals import page_signals

__all__ = [
    "MIN_ARTICLE_WORDS",
    "body_thresholds",
    "check_detector_names",
    "clean_page",
    "default_detectors",
    "detector_names",
    "guard",
    "release_line_caches",
    "run_detectors",
    "select_detectors",
    "selected",
    "threshold_names",
]


def default_detectors(
    favor: str = "balanced",
    keep_title: bool = True,
    *,
    only: Iterable[str] | None = None,
    skip: Iterable[str] = (),
    thresholds: Mapping[str, float] | None = None,
) -> list[Detector]:
    """The detectors in the order they run.

    ``favor`` (``precision``, ``balanced`` or ``recall``) shifts the main-body thresholds;
    ``thresholds`` (:class:`BodyThresholds` field -> value) then overrides single ones.
    ``keep_title=False`` removes the headline from the text (it stays in the metadata).
    ``only``/``skip`` choose detectors by name (see :func:`select_detectors`).

    Specific detectors that need no article position come first; the main-body locator
    then treats their labels as non-article; detectors that judge lines by their position
    relative to the article come last.
    """
    detectors = _pipeline(favor, keep_title, thresholds)
    return detectors if only is None and not skip else select_detectors(detectors, only, skip)


def _pipeline(favor: str, keep_title: bool, thresholds: Mapping[str, float] | None) -> list[Detector]:
    return [
        LinkListDetector(),
        CookieNoticeDetector(),
        SocialShareDetector(),
        JobAdDetector(),
        FooterDetector(),
        SponsoredDetector(),
        CommentsDetector(),
        MainBodyDetector(body_thresholds(favor, thresholds), keep_title=keep_title),
        # Navigation and sign-up prompts run after the locator: pager links, tag lists and
        # newsletter boxes sit inside or right next to the article, and scored there as
        # non-article they cut the article short (dev set: F1 -0.008 / -0.001 when run first).
        NavigationDetector(),
        SignupPromptDetector(),
        CaptionDetector(),
        BylineDetector(),
        RelatedTeaserDetector(),
    ]


@cache
def detector_names() -> tuple[str, ...]:
    """Every name ``only``/``skip`` accept: the default detectors in order, then site repetition."""
    names = (detector.name for detector in _pipeline("balanced", True, None))
    return (*names, HtmlExtractorDetector.name, SiteRepetitionDetector.name)


def check_detector_names(names: Iterable[str]) -> None:
    """Raise :class:`ValueError` naming the first unknown detector name and listing the valid ones."""
    valid = detector_names()
    for name in names:
        if name not in valid:
            raise ValueError(f"unknown detector {name!r} (valid: {', '.join(valid)})")


def selected(name: str, only: Iterable[str] | None = None, skip: Iterable[str] = ()) -> bool:
    """True when detector ``name`` runs under ``only`` (``None``: every detector) and ``skip``."""
    return (only is None or name in set(only)) and name not in set(skip)


def select_detectors(
    detectors: Sequence[Detector], only: Iterable[str] | None = None, skip: Iterable[str] = ()
) -> list[Detector]:
    """``detectors`` in their order, keeping only those named in ``only`` (if given) and not in ``skip``.

    Unknown names raise :class:`ValueError`. Skipping ``main-body`` leaves only the specific
    detectors' cuts; later detectors then see no article position (``labels.body`` is ``None``).
    """
    only = None if only is None else tuple(only)
    skip = tuple(skip)
    check_detector_names([*(only or ()), *skip])
    return [detector for detector in detectors if selected(detector.name, only, skip)]


def body_thresholds(favor: str = "balanced", overrides: Mapping[str, float] | None = None) -> BodyThresholds:
    """The ``favor`` preset, then the explicit ``overrides`` (:class:`BodyThresholds` field names)."""
    base = BodyThresholds.favoring(favor)
    if not overrides:
        return base
    unknown = sorted(set(overrides) - {f.name for f in fields(BodyThresholds)})
    if unknown:
        raise ValueError(f"unknown threshold {unknown[0]!r} (valid: {', '.join(threshold_names())})")
    return replace(base, **overrides)


def threshold_names() -> tuple[str, ...]:
    """The :class:`BodyThresholds` fields, in declaration order."""
    return tuple(f.name for f in fields(BodyThresholds))


# Called with each detector's labels before they are added (the labels show what came before).
Observer = Callable[[Detector, Labels, list[Removal]], None]


def run_detectors(page: Page, detectors: Sequence[Detector], observer: Observer | None = None) -> Labels:
    """Run ``detectors`` in order over ``page`` and return the collected labels.

    ``observer`` sees each detector's removals before they are added (``clean --explain``).
    """
    labels = Labels(size=len(page))
    for detector in detectors:
        if detector.generic:
            labels.generic.add(detector.name)
        removals = list(detector.detect(page, labels))
        if observer is not None:
            observer(detector, labels, removals)
        for removal in removals:
            labels.add(removal)
    return labels


MIN_ARTICLE_WORDS = 10  # fewer kept words than this on a page with prose means the cut went wrong
MIN_PAGE_PROSE_WORDS = 100


def clean_page(
    page: Page, detectors: Sequence[Detector] | None = None, observer: Observer | None = None
) -> CleanResult:
    """Label ``page`` with ``detectors`` (default: :func:`default_detectors`) and render the result.

    Over-removal guard: when the labels would leave almost nothing of a page that has
    prose, the generic main-body labels are dropped (only specific detectors' cuts stay)
    and the result's ``notes`` say so. ``observer``: see :func:`run_detectors`.
    """
    labels = run_detectors(page, default_detectors() if detectors is None else detectors, observer)
    guard(page, labels)
    metadata = extract_metadata(page, labels)
    release_line_caches(page)
    return render(page, labels, metadata)


def release_line_caches(page: Page) -> None:
    """Drop the page's per-line facts, signals and unit lines (recomputed, identical, if asked for again).

    A measured peak-memory fix: see :meth:`cleaner.text.facts.PageFacts.release_line_facts`.
    """
    page.facts.release_line_facts()


def guard(page: Page, labels: Labels) -> None:
    """The over-removal guard of :func:`clean_page`, applied to ``labels`` in place (notes say what it did)."""
    if labels.body is None and labels.generic:
        labels.notes.append("no main body found: kept every line no specific detector removed")
    elif _too_little_left(page, labels):
        kept_before = _kept_words(page, labels)
        labels.by_line = {n: r for n, r in labels.by_line.items() if r.detector not in labels.generic}
        labels.notes.append(
            f"fallback: the cut left {kept_before} words of a page with prose; "
            "kept every line no specific detector removed"
        )


def _kept_words(page: Page, labels: Labels, enough: int | None = None) -> int:
    """Words of the lines ``labels`` keep; counting stops once ``enough`` are found (the guard's question)."""
    total = 0
    for line in page.lines:
        if not line.is_blank and line.number not in labels.by_line:
            # Script-aware: a kept Chinese or Thai paragraph has no spaces but many words.
            total += word_count(line.content)
            if enough is not None and total >= enough:
                break
    return total


def _too_little_left(page: Page, labels: Labels) -> bool:
    prose_words = sum(sig.words for sig in page_signals(page) if sig.is_prose)
    return prose_words >= MIN_PAGE_PROSE_WORDS and _kept_words(page, labels, MIN_ARTICLE_WORDS) < MIN_ARTICLE_WORDS

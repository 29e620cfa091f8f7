"""The detectors in the order they run, one line each: colours for the views, and where each runs.

Order: specific detectors that need no article position come first; the main-body locator
then treats their labels as non-article; detectors that judge lines by their position
relative to the article come after it. What a detector reads from an earlier one is
declared on its class (``needs``/``provides``, :class:`~cleaner.detectors.base.Detector`) and
checked against this order by tests/test_detectors.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from functools import cache

from cleaner.detectors.base import Detector
from cleaner.detectors.bylines import BylineDetector
from cleaner.detectors.captions import CaptionDetector
from cleaner.detectors.comments import CommentsDetector
from cleaner.detectors.content_model import (
    FAVOR_PROBABILITIES,
    ContentModelDetector,
    LocatorWithModel,
    shipped_html_model,
    shipped_model,
)
from cleaner.detectors.cookies import CookieNoticeDetector
from cleaner.detectors.footer import FooterDetector
from cleaner.detectors.forest import Forest
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

__all__ = [
    "DEFAULT",
    "Entry",
    "HTML_FIRST",
    "HTML_MODEL_THRESHOLD",
    "LAST",
    "REGISTRY",
    "body_thresholds",
    "check_detector_names",
    "default_detectors",
    "detector_names",
    "entry",
    "html_model_detectors",
    "html_redundant",
    "select_detectors",
    "selected",
    "threshold_names",
]

DEFAULT = "default"  # every page, in the registry's order
HTML_FIRST = "html-first"  # HTML pages only, before every other detector (it narrows the page to the article)
LAST = "last"  # runs over several pages of a site only, after every other detector (site learning)


@dataclass(frozen=True)
class Entry:
    """One detector: its class, its colour in the terminal views and on the review page, and where it runs.

    ``color``: one of the 16 ANSI colours by rich's name; ``hue``: degrees on the review page;
    ``None`` for either: one from a hash of the name. ``on_html``: ``False`` leaves it out after
    the html-extractor step (trafilatura already found the article; see ``cleaner.runs.page.HTML_REDUNDANT``).
    """

    detector: type[Detector]
    color: str | None
    hue: int | None
    runs: str = DEFAULT
    on_html: bool = True

    @property
    def name(self) -> str:
        return self.detector.name


# Colours: a reader learns them, so they are fixed; detectors that often sit side by side differ
# (red is the terminal's removal mark), and the review page keeps the most frequent ones far apart.
# Navigation and sign-up prompts run after the locator: pager links, tag lists and newsletter
# boxes sit inside or right next to the article, and scored there as non-article they cut the
# article short (dev set: F1 -0.008 / -0.001 when run first).
REGISTRY: tuple[Entry, ...] = (
    Entry(HtmlExtractorDetector, None, None, runs=HTML_FIRST),
    Entry(LinkListDetector, "green", 0, on_html=False),
    Entry(CookieNoticeDetector, "bright_cyan", 28),
    Entry(SocialShareDetector, "bright_blue", 125),
    Entry(JobAdDetector, "bright_yellow", 45),
    Entry(FooterDetector, "cyan", 205),
    Entry(SponsoredDetector, "green", 170),
    Entry(CommentsDetector, "bright_green", 330),
    Entry(LocatorWithModel, "yellow", 60, on_html=False),  # the locator corrected by the shipped content model
    Entry(NavigationDetector, "blue", 250),
    Entry(SignupPromptDetector, "bright_magenta", 90),
    Entry(CaptionDetector, "bright_cyan", 188),
    Entry(BylineDetector, "bright_green", 228),
    Entry(RelatedTeaserDetector, "magenta", 290),
    Entry(SiteRepetitionDetector, "bright_magenta", 150, runs=LAST),
)


def entry(name: str) -> Entry | None:
    """The registry's entry for detector ``name`` (``None``: not a registered detector)."""
    return next((item for item in REGISTRY if item.name == name), None)


def html_redundant() -> tuple[str, ...]:
    """The default detectors left out after the html-extractor step, in order."""
    return tuple(item.name for item in REGISTRY if item.runs == DEFAULT and not item.on_html)


def default_detectors(
    favor: str = "balanced",
    keep_title: bool = True,
    *,
    only: Iterable[str] | None = None,
    skip: Iterable[str] = (),
    thresholds: Mapping[str, float] | None = None,
    content_model: bool = True,
) -> list[Detector]:
    """The detectors every page runs (the registry's ``default`` entries), in order.

    ``favor`` (``precision``, ``balanced`` or ``recall``) shifts the main-body thresholds and the
    content model's (rescue, cut) probabilities (:data:`FAVOR_PROBABILITIES`); ``thresholds``
    (:class:`BodyThresholds` field -> value) then overrides single ones. ``keep_title=False``
    removes the headline from the text (it stays in the metadata). ``only``/``skip`` choose
    detectors by name (see :func:`select_detectors`). ``content_model=False``: the locator alone,
    without the shipped model (what the leave-one-set-out runs compare against).
    """
    body = body_thresholds(favor, thresholds)

    def made(item: Entry) -> Detector:
        if item.detector is not LocatorWithModel:
            return item.detector()
        if not content_model or not selected(item.name, only, skip):  # skipped: its model is not even read
            return MainBodyDetector(body, keep_title=keep_title)
        rescue, cut = FAVOR_PROBABILITIES[favor]
        return LocatorWithModel(shipped_model(), rescue, cut, body, keep_title)

    detectors = [made(item) for item in REGISTRY if item.runs == DEFAULT]
    return detectors if only is None and not skip else select_detectors(detectors, only, skip)


# P(content) at which the HTML models keep a line: the threshold their leave-one-set-out was measured at.
HTML_MODEL_THRESHOLD = 0.5


def html_model_detectors(
    ensemble: bool = False,
    favor: str = "balanced",
    keep_title: bool = True,
    only: Iterable[str] | None = None,
    skip: Iterable[str] = (),
    thresholds: Mapping[str, float] | None = None,
    model: Forest | None = None,
) -> list[Detector]:
    """The default detectors of an HTML page cleaned by the shipped HTML content model, in order.

    As :func:`default_detectors`, with main-body the model alone (:class:`ContentModelDetector` on
    :func:`~cleaner.detectors.content_model.shipped_html_model`, P >= 0.5 kept; rule MODEL1): the
    engine leave-one-set-out measured on the dev sets' HTML (README). ``ensemble``: the model that
    also reads trafilatura's decision (the page then carries
    :data:`~cleaner.text.extracted.EXTRACTOR_KEPT`). Every page needs the DOM's evidence.
    ``favor`` and ``thresholds`` move only the locator's thresholds, which this main-body does not
    use: they are checked (an unknown threshold is refused) as everywhere. ``skip=["main-body"]``
    reads no model. ``model``: another HTML model in the shipped one's place (one fitted without a
    set, to score that set out of sample: ``benchmarks/html_engines.py --held-out``).
    """
    body_thresholds(favor, thresholds)  # (refuses an unknown favor or threshold, as default_detectors does)
    detectors = default_detectors(favor, keep_title, only=only, skip=skip, thresholds=thresholds, content_model=False)
    if not selected("main-body", only, skip):
        return detectors
    chosen = ContentModelDetector(model or shipped_html_model(ensemble), HTML_MODEL_THRESHOLD, keep_title)
    return [chosen if detector.name == "main-body" else detector for detector in detectors]


@cache
def detector_names() -> tuple[str, ...]:
    """Every name ``only``/``skip`` accept: the default detectors in order, then html-extractor and site repetition."""
    order = (DEFAULT, HTML_FIRST, LAST)
    return tuple(item.name for runs in order for item in REGISTRY if item.runs == runs)


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

"""One page in memory: :func:`clean_text`, :func:`clean_html`, :func:`explain_line`, and the detectors they run.

The pipeline is assembled here from the :class:`~cleaner.options.Options`: the default
detectors (or the explicit list) chosen by ``only``/``skip``, the ``html-extractor`` step first
for HTML, and a site-repetition detector last when a site profile is given.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from cleaner.detectors.base import Detector
from cleaner.detectors.content_model import shipped_html_model
from cleaner.detectors.forest import ModelFileError
from cleaner.detectors.html_extractor import HtmlExtractorDetector
from cleaner.detectors.registry import (
    REGISTRY,
    default_detectors,
    html_model_detectors,
    html_redundant,
    select_detectors,
)
from cleaner.detectors.site_repetition import SiteRepetitionDetector
from cleaner.explain import LineExplanation, LineOutOfRange, explain_lines
from cleaner.inputs import html, html_source
from cleaner.inputs.engines import ENSEMBLE, TRAFILATURA
from cleaner.options import Options, options_for
from cleaner.pipeline import clean_page
from cleaner.render import LAYOUT, LAYOUT_BLANK, LAYOUT_WHITESPACE, CleanResult
from cleaner.text.labels import Rule
from cleaner.text.page import Page
from cleaner.text.sites import SiteProfile

__all__ = [
    "HTML",
    "HTML_REDUNDANT",
    "TEXT",
    "DetectorInfo",
    "Loaded",
    "clean_html",
    "clean_loaded",
    "clean_text",
    "explain_line",
    "explain_loaded",
    "html_pipeline_for",
    "list_detectors",
    "pipeline_for",
    "warm_up",
]

TEXT, HTML = "text", "html"


def clean_text(
    text: str,
    source: str = "-",
    detectors: Sequence[Detector] | None = None,
    *,
    site_profile: SiteProfile | None = None,
    options: Options | None = None,
    **values: Any,
) -> CleanResult:
    """Clean one page given as text: the article text, removed spans and metadata.

    ``options`` (or keyword arguments over it: ``favor=``, ``keep_title=``, ``only=``, ``skip=``...)
    configure the detectors; ``only``/``skip`` choose them by name (of the given ``detectors``
    too; unknown names raise :class:`ValueError`), and the options' phrases (its phrase book) are
    the page's. ``site_profile`` (what recurs across the page's site, see :mod:`cleaner.text.sites`)
    adds a :class:`SiteRepetitionDetector` at the end of the pipeline.
    """
    settings = options_for(options, detectors=detectors, **values)
    return clean_page(Page(text, source, settings.phrase_book), pipeline_for(settings, site_profile))


def clean_html(
    page: str | bytes,
    source: str = "-",
    detectors: Sequence[Detector] | None = None,
    *,
    site_profile: SiteProfile | None = None,
    options: Options | None = None,
    **values: Any,
) -> CleanResult:
    """Clean one HTML page: the result's input is the page's whole visible text, one block a line.

    trafilatura finds the main content; the lines it leaves out are removed by the
    ``html-extractor`` step (rule HTML1), then the other detectors run on what it kept (see
    :mod:`cleaner.inputs.html`). Bytes are decoded by the page's declared charset, else detected
    (the options' ``encoding`` forces a codec). The metadata adds the site name and canonical URL.
    Raises :class:`InputError` for bytes that are no usable text or a page without visible text.
    Options as for :func:`clean_text`; ``skip=["html-extractor"]`` cleans the whole-page text as
    a text dump.
    """
    settings = options_for(options, detectors=detectors, **values)
    decoded = (html_source.decode_html(page, settings.encoding) if isinstance(page, bytes)
               else html_source.DecodedHtml(page, "str"))
    loaded = Loaded.from_html(decoded, html.read_html(decoded, settings.favor, settings.engine))
    return clean_loaded(loaded, source, settings, site_profile)


HTML_REDUNDANT = html_redundant()  # ("link-list", "main-body"): the registry's on_html=False
"""Detectors left out after the ``html-extractor`` step (unless named by ``only``): trafilatura has
already found the article, and the main-body locator then only cuts article lines (dev set HTML:
F1 -0.005 with it); the DOM text has no text-browser link markers for ``link-list``."""


def html_pipeline_for(
    options: Options | None = None, site_profile: SiteProfile | None = None, *, found: bool = True
) -> list[Detector]:
    """The detectors for an HTML page, by the options' engine (:mod:`cleaner.inputs.engines`).

    ``trafilatura``: the ``html-extractor`` step, then the defaults minus :data:`HTML_REDUNDANT`;
    with that step switched off (``skip``/``only``), or when trafilatura ``found`` no main
    content, the whole-page text is cleaned as a text dump (:func:`pipeline_for`). ``model`` and
    ``ensemble``: the defaults with the HTML content model in the main-body locator's place. An
    explicit detector list (the options' ``detectors``) runs as given.
    """
    settings = options or Options()
    if settings.engine != TRAFILATURA and settings.detectors is None:
        chosen = html_model_detectors(settings.engine == ENSEMBLE, settings.favor, settings.keep_title,
                                      only=settings.only, skip=settings.skip, thresholds=settings.thresholds)
        return _with_site_repetition(chosen, settings, site_profile)
    chosen = pipeline_for(settings, site_profile)
    if settings.detectors is not None or not found or not settings.runs(HtmlExtractorDetector.name):
        return chosen
    if settings.only is None:
        chosen = [detector for detector in chosen if detector.name not in HTML_REDUNDANT]
    return [HtmlExtractorDetector(), *chosen]


def pipeline_for(options: Options | None = None, site_profile: SiteProfile | None = None) -> list[Detector]:
    """The options' detectors (default: :func:`default_detectors`), and site repetition when a profile is given.

    The options choose the detectors (``only``/``skip``) and the main-body thresholds.
    The site-repetition detector runs last: the specific detectors keep the lines they name,
    it takes over what only the generic main-body cut removed, and it adds recurring lines
    inside the article. Run before the main-body locator, its labels inside the article (an
    inline newsletter box) split the article there and cut it short (see the README's
    site-repetition section).
    """
    settings = options or Options()
    if settings.detectors is None:
        chosen = default_detectors(settings.favor, settings.keep_title, only=settings.only, skip=settings.skip,
                                   thresholds=settings.thresholds)
    else:
        chosen = list(settings.detectors)
    return _with_site_repetition(select_detectors(chosen, settings.only, settings.skip), settings, site_profile)


def _with_site_repetition(
    chosen: list[Detector], settings: Options, site_profile: SiteProfile | None
) -> list[Detector]:
    """``chosen``, and the site-repetition detector last when a profile is given and it is selected."""
    if site_profile is None or not settings.runs(SiteRepetitionDetector.name):
        return chosen
    return [*chosen, SiteRepetitionDetector(site_profile)]


@dataclass(frozen=True)
class Loaded:
    """One input read: the text its report is about, its format and codec, and notes on reading it.

    For HTML, ``text`` is the whole-page text and ``extraction`` what trafilatura found in it.
    """

    text: str
    input_format: str
    encoding: str
    notes: tuple[str, ...] = ()
    extraction: html.Extraction | None = None
    bom: str | None = None  # the byte-order mark the input began with (its codec), not part of ``text``
    confidence: float = 1.0  # how sure ``encoding`` is (0..1)

    @classmethod
    def from_html(cls, decoded: html_source.DecodedHtml, extraction: html.Extraction) -> Loaded:
        return cls(extraction.text, HTML, decoded.encoding, decoded.notes, extraction, decoded.bom, decoded.confidence)


def clean_loaded(
    loaded: Loaded, name: str, settings: Options, site_profile: SiteProfile | None = None
) -> CleanResult:
    """Clean one input read: its text through the text pipeline, its HTML extraction through the HTML one."""
    if loaded.extraction is None:
        result = clean_text(loaded.text, source=name, site_profile=site_profile, options=settings)
    else:
        found = loaded.extraction.kept is not None
        pipeline = html_pipeline_for(settings, site_profile, found=found)
        result = html.clean_extraction(
            loaded.extraction, name, pipeline, settings.keep_title, phrases=settings.phrase_book
        )
    result.notes[:0] = loaded.notes
    return result


@cache
def warm_up() -> None:
    """Load what cleaning any page needs (the language model, phrase lists, patterns), once per process.

    Called before worker processes are forked (see :func:`cleaner.runs.parallel.ordered_map`): every
    worker, replacements included, then starts warm, and loading is not counted in a page's
    time limit. Cleaning one short page loads it all, the content model included.
    """
    text = "Warming up\n\nThe council met on Monday to agree the budget for the coming year, as planned.\n"
    try:
        clean_text(text)
    except ModelFileError:  # a run that needs the model was refused before (one line); one skipping main-body goes on
        clean_text(text, skip=("main-body",))
    for ensemble in (False, True):  # the HTML models too (83 KB each): an HTML page's time limit excludes loading
        with contextlib.suppress(ModelFileError):
            shipped_html_model(ensemble)


@dataclass(frozen=True)
class DetectorInfo:
    """A detector's name, the first line of its docstring, and its rules."""

    name: str
    summary: str
    rules: tuple[Rule, ...]


LAYOUT_INFO = DetectorInfo(
    LAYOUT,
    "Not a detector: the renderer's clean-up around what the detectors removed.",
    (Rule(LAYOUT_BLANK, "blank lines left over around removed blocks"),
     Rule(LAYOUT_WHITESPACE, "leading/trailing whitespace of kept lines")),
)


def list_detectors(detectors: Sequence[Detector] | None = None) -> list[DetectorInfo]:
    """The detectors in pipeline order, then the layout clean-up.

    Default: the registry's (:mod:`cleaner.detectors.registry`): the ``html-extractor`` step of HTML
    inputs, :func:`default_detectors` and, last, the site-repetition detector of runs over several pages of a site.
    """
    # The classes say it all (name, doc, rules): no detector is made, so no model file is read.
    kinds = [entry.detector for entry in REGISTRY] if detectors is None else [type(d) for d in detectors]
    infos = []
    for kind in kinds:
        doc = inspect.getdoc(kind) or ""
        infos.append(DetectorInfo(kind.name, doc.strip().splitlines()[0] if doc.strip() else "", kind.rules))
    return [*infos, LAYOUT_INFO]


def explain_line(
    text: str,
    line: int,
    source: str = "-",
    detectors: Sequence[Detector] | None = None,
    *,
    options: Options | None = None,
    **values: Any,
) -> LineExplanation:
    """Clean ``text`` as :func:`clean_text` would and explain line ``line`` (1-based).

    Says whether the line is kept, which detector and rule removed it and why, which generic
    label a specific one replaced, and the line's signals (prose, stopwords, repeats, link
    density, the main-body score and the article's range). Raises
    :class:`~cleaner.explain.LineOutOfRange` (a :class:`ValueError`) for a line the page does not have.
    """
    settings = options_for(options, detectors=detectors, **values)
    return _explain(Page(text, source, settings.phrase_book), [line], settings)[0]


def explain_loaded(loaded: Loaded, name: str, lines: Sequence[int], settings: Options) -> list[LineExplanation]:
    """:func:`explain_line` for ``lines`` of one input read (see :func:`cleaner.runs.one.explain_file`)."""
    if loaded.extraction is None:
        return _explain(Page(loaded.text, name, settings.phrase_book), lines, settings)
    pipeline = html_pipeline_for(settings, found=loaded.extraction.kept is not None)
    return html.explain_extraction(
        loaded.extraction, name, lines, pipeline, settings.keep_title, _rule_summaries(pipeline), settings.phrase_book
    )


def _explain(page: Page, lines: Sequence[int], settings: Options) -> list[LineExplanation]:
    for number in lines:  # every number checked before any work
        if not 1 <= number <= len(page):
            raise LineOutOfRange(f"line {number} is out of range: the page has {len(page)} lines")
    pipeline = pipeline_for(settings)
    rules = _rule_summaries(pipeline)
    return explain_lines(page, lines, lambda observer: clean_page(page, pipeline, observer), rules)


def _rule_summaries(detectors: Sequence[Detector]) -> Mapping[tuple[str, str], str]:
    infos = [*list_detectors(detectors), LAYOUT_INFO]
    return {(info.name, rule.code): rule.summary for info in infos for rule in info.rules}

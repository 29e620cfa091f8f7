"""The pipeline's driver: the one place detectors run, with a scope, an observer and an over-removal guard.

:func:`run` runs the detectors in order over a page and records what they find: their
removals and in-line cuts (:meth:`Labels.add`'s precedence) and where they locate the article
(:class:`~cleaner.text.labels.Located`). A step that narrows the page (the html-extractor's
``scope``) leaves the detectors after it a view of the lines it kept
(:class:`~cleaner.text.scope.Scope`); they see a page of their own, and the driver maps what
they find back to the whole page. An observer (``clean --explain``) watches the same run.
:func:`clean_page` is the run, the guard, the metadata and the rendering. The detectors and
their order are in :mod:`cleaner.detectors.registry`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cleaner.detectors.base import Detector
from cleaner.detectors.registry import default_detectors
from cleaner.metadata import extract_metadata
from cleaner.render import CleanResult, render, render_verdicts, settle
from cleaner.text.labels import InlineEdit, Labels, Located, Removal
from cleaner.text.language import word_count
from cleaner.text.page import Page
from cleaner.text.scope import Scope
from cleaner.text.signals import page_signals

__all__ = [
    "MIN_ARTICLE_WORDS",
    "Observer",
    "Run",
    "Step",
    "clean_page",
    "guard",
    "release_line_caches",
    "run",
]


@dataclass(frozen=True)
class Step:
    """What one detector found, as an observer sees it (before the driver records its removals).

    ``removals`` are in whole-page line numbers (a removal across lines outside the scope comes
    as one per run of lines in it). ``labels`` are those of the page the detector saw (``view``:
    the scope's, else the whole page), with its located article already recorded.
    """

    detector: Detector
    page: Page
    scope: Scope | None
    labels: Labels
    removals: tuple[Removal | InlineEdit, ...]
    narrows: Scope | None = None  # the view this step leaves the detectors after it (the html-extractor's)

    @property
    def view(self) -> Page:
        return self.page if self.scope is None else self.scope.view


Observer = Callable[[Step], None]


@dataclass
class Run:
    """The labels of one run: ``labels`` are those of the page the detectors finished on (:attr:`view`).

    With a ``scope``, ``outside`` holds the whole-page labels made before it narrowed the page.
    """

    page: Page
    labels: Labels
    scope: Scope | None = None
    outside: Labels | None = None

    @property
    def view(self) -> Page:
        return self.page if self.scope is None else self.scope.view


def run(page: Page, detectors: Sequence[Detector], observer: Observer | None = None) -> Run:
    """Run ``detectors`` in order over ``page`` and record what they find (see the module docstring).

    ``observer`` sees each detector's findings before they are recorded (``clean --explain``).
    """
    state = Run(page, Labels(size=len(page)))
    for detector in detectors:
        if detector.generic:
            state.labels.generic.add(detector.name)
        removals: list[Removal | InlineEdit] = []
        narrows = None
        for item in detector.detect(state.view, state.labels):
            if type(item) is Located:  # (one per locating detector: most items are removals)
                state.labels.locate(item)
                narrows = _scope(state, item.scope) if item.scope is not None else narrows
            else:
                removals.append(item)
        if observer is not None:
            whole = tuple(removals if state.scope is None else state.scope.findings(removals))
            observer(Step(detector, page, state.scope, state.labels, whole, narrows))
        for removal in removals:
            state.labels.add(removal)
        if narrows is not None:
            _narrow(state, narrows)
    return state


def _scope(state: Run, numbers: Sequence[int]) -> Scope:
    if state.scope is not None:
        raise ValueError("a scope narrows the whole page once: nested scopes are not supported")
    return Scope.of(state.page, numbers)


def _narrow(state: Run, scope: Scope) -> None:
    """Leave the detectors after this step the view of ``scope``; the whole page's labels stay for the rest."""
    state.scope, state.outside, state.labels = scope, state.labels, scope.into_view(state.labels)


MIN_ARTICLE_WORDS = 10  # fewer kept words than this on a page with prose means the cut went wrong
MIN_PAGE_PROSE_WORDS = 100


def clean_page(
    page: Page, detectors: Sequence[Detector] | None = None, observer: Observer | None = None
) -> CleanResult:
    """Label ``page`` with ``detectors`` (default: :func:`default_detectors`) and render the result.

    Over-removal guard: when the labels would leave almost nothing of a page that has
    prose, the generic main-body labels are dropped (only specific detectors' cuts stay)
    and the result's ``notes`` say so. ``observer``: see :func:`run`. With a scope, the guard,
    the metadata and the layout clean-up (blank lines, wrapped paragraphs) read the view, as
    the detectors did; the result is the whole page's.
    """
    done = run(page, default_detectors() if detectors is None else detectors, observer)
    view, labels = done.view, done.labels
    guard(view, labels)
    metadata = extract_metadata(view, labels)
    release_line_caches(view)
    if done.scope is None:
        return render(page, labels, metadata)
    verdict = done.scope.verdicts(settle(view, labels))
    if done.outside is not None:  # lines outside the scope keep the labels of the step that narrowed the page
        verdict |= {n: removal for n, removal in done.outside.by_line.items() if done.scope.local(n) is None}
    edits = [done.scope.edit(edit) for edit in labels.edits]
    return render_verdicts(page, verdict, edits, labels.notes, metadata)


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

"""The library's entry points; the CLI calls only these.

* :func:`clean_text` - one page given as a string.
* :func:`clean_html` - one HTML page (string or bytes): trafilatura's main content, then the detectors.
* :func:`clean_file` - one file (or ``"-"``, standard input): read, decode, clean.
* :func:`clean_input` - the same, but a bad input is an :class:`Outcome` with an error, not an exception.
* :func:`clean_input_isolated` - the same in a worker process that is killed past the timeout (``clean FILE``).
* :func:`iter_outcomes` - every input under some paths, cleaned, nothing written (``clean --diff``).
* :func:`clean_paths` - discover, clean, write outputs and ``report.jsonl``; keeps going past bad inputs.
* :func:`list_detectors` - the detectors, their rules and what they remove.
* :func:`explain_line` / :func:`explain_file` - which detector and rule decided one line, and its signals.

Every cleaning function takes a :class:`~cleaner.config.Config` (``config=``, e.g. from
:func:`cleaner.config.load_config`): detectors switched on or off, main-body thresholds,
extra phrases per detector. Keyword arguments given explicitly (``favor=``, ``keep_title=``,
``only=``, ``skip=``...) override it; left out (``None``) they take the config's value.

Runs over several inputs (:func:`iter_outcomes`, :func:`clean_paths`) read their inputs
twice: pass 1 groups them by site and learns what recurs across each site's pages
(:mod:`cleaner.sites`), pass 2 cleans each page with the default detectors plus a
:class:`~cleaner.detectors.site_repetition.SiteRepetitionDetector` for its site, run last.
``site_repetition=False`` cleans every page alone. HTML inputs are recognised by their
content (:func:`cleaner.inputs.html.looks_like_html`), whatever their name, and cleaned by
:func:`clean_html`; their site is the address they declare (else their folder) and is
learned from their whole-page text. With an
explicit ``detectors`` list nothing is learned or inserted: the list runs as given (learn
with :func:`cleaner.sites.learn_profiles` and pass ``site_profile=`` to :func:`clean_text`
to combine both).
"""

from __future__ import annotations

import inspect
import io
import json
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path, PurePosixPath
from typing import BinaryIO, TypeVar

from cleaner import parallel
from cleaner.config import Config
from cleaner.detectors.base import Detector
from cleaner.detectors.html_extractor import HtmlExtractorDetector
from cleaner.detectors.site_repetition import SiteRepetitionDetector
from cleaner.errors import InputError
from cleaner.explain import LineExplanation, LineOutOfRange, explain_page
from cleaner.inputs import corpus, discovery, html
from cleaner.inputs.decoding import DEFAULT_MAX_BYTES, STDIN, check_encoding, check_line_length, decode, read_bytes
from cleaner.outputs import corpus_output, files, report
from cleaner.outputs.report import Outcome  # what a run returns per input; the outputs read it
from cleaner.pipeline import clean_page, default_detectors, select_detectors
from cleaner.render import LAYOUT, LAYOUT_BLANK, LAYOUT_WHITESPACE, CleanResult
from cleaner.sites import MIN_PAGES, PageSummary, SiteProfile, SiteProfiles, site_key, site_label, summarize
from cleaner.text.labels import Rule
from cleaner.text.page import Page, split_lines

__all__ = [
    "CorpusFileCounts",
    "CorpusSummary",
    "DetectorInfo",
    "EarlierReport",
    "HTML",
    "Loaded",
    "Outcome",
    "RunSummary",
    "TEXT",
    "TimeLimitExceeded",
    "clean_corpus",
    "clean_file",
    "clean_html",
    "clean_input",
    "clean_input_isolated",
    "clean_paths",
    "clean_text",
    "explain_file",
    "explain_line",
    "guarded",
    "html_pipeline_for",
    "iter_outcomes",
    "list_detectors",
    "pipeline_for",
    "provenance",
    "settings_for",
    "time_limit",
    "timeout_error",
    "unexpected_error",
    "warm_up",
    "write_page",
    "write_report",
]

T = TypeVar("T")


def clean_text(
    text: str,
    source: str = "-",
    detectors: Sequence[Detector] | None = None,
    *,
    favor: str | None = None,
    keep_title: bool | None = None,
    site_profile: SiteProfile | None = None,
    config: Config | None = None,
    only: Iterable[str] | None = None,
    skip: Iterable[str] | None = None,
) -> CleanResult:
    """Clean one page given as text: the article text, removed spans and metadata.

    ``favor`` and ``keep_title`` configure the default detectors (see
    :func:`~cleaner.pipeline.default_detectors`); they are ignored when ``detectors`` is given.
    ``only``/``skip`` choose detectors by name (of the given list too; unknown names raise
    :class:`ValueError`). ``config`` supplies what is not given (its phrases are in force
    during the call). ``site_profile`` (what recurs across the page's site, see
    :mod:`cleaner.sites`) adds a :class:`SiteRepetitionDetector` at the end of the pipeline.
    """
    settings = settings_for(config, favor=favor, keep_title=keep_title, only=only, skip=skip)
    page = Page(text, source, settings.phrase_book)
    return clean_page(page, pipeline_for(detectors, site_profile=site_profile, config=settings))


def clean_html(
    page: str | bytes,
    source: str = "-",
    detectors: Sequence[Detector] | None = None,
    *,
    favor: str | None = None,
    keep_title: bool | None = None,
    site_profile: SiteProfile | None = None,
    config: Config | None = None,
    only: Iterable[str] | None = None,
    skip: Iterable[str] | None = None,
    encoding: str | None = None,
) -> CleanResult:
    """Clean one HTML page: the result's input is the page's whole visible text, one block a line.

    trafilatura finds the main content; the lines it leaves out are removed by the
    ``html-extractor`` step (rule HTML1), then the other detectors run on what it kept (see
    :mod:`cleaner.inputs.html`). Bytes are decoded by the page's declared charset, else detected
    (``encoding`` forces a codec). The metadata adds the site name and canonical URL.
    Raises :class:`InputError` for bytes that are no usable text or a page without visible text.
    Options as for :func:`clean_text`; ``--skip html-extractor`` (``skip=``) cleans the
    whole-page text as a text dump.
    """
    settings = settings_for(config, favor=favor, keep_title=keep_title, only=only, skip=skip)
    decoded = html.decode_html(page, encoding) if isinstance(page, bytes) else html.DecodedHtml(page, "str")
    loaded = Loaded.from_html(decoded, html.read_html(decoded, settings.favor))
    return _clean_loaded(loaded, source, detectors, site_profile, settings)


HTML_REDUNDANT = ("main-body", "link-list")
"""Detectors left out after the ``html-extractor`` step (unless named by ``only``): trafilatura has
already found the article, and the main-body locator then only cuts article lines (dev set HTML:
F1 -0.005 with it); the DOM text has no text-browser link markers for ``link-list``."""


def html_pipeline_for(
    detectors: Sequence[Detector] | None = None,
    site_profile: SiteProfile | None = None,
    *,
    config: Config | None = None,
    found: bool = True,
) -> list[Detector]:
    """The detectors for an HTML page: the ``html-extractor`` step, then the defaults minus :data:`HTML_REDUNDANT`.

    With ``html-extractor`` switched off (``skip``/``only``), or when trafilatura ``found`` no
    main content, the whole-page text is cleaned as a text dump (:func:`pipeline_for`); an
    explicit ``detectors`` list runs as given.
    """
    settings = settings_for(config)
    chosen = pipeline_for(detectors, site_profile=site_profile, config=settings)
    if detectors is not None or not found or not settings.runs(HtmlExtractorDetector.name):
        return chosen
    if settings.only is None:
        chosen = [detector for detector in chosen if detector.name not in HTML_REDUNDANT]
    return [HtmlExtractorDetector(), *chosen]


def settings_for(config: Config | None = None, **options: object) -> Config:
    """``config`` (default: the built-in :class:`Config`) with the ``options`` that are not ``None``.

    ``only``/``skip`` may be any iterable of names; :class:`~cleaner.config.ConfigError`
    (a :class:`ValueError`) for an unknown name or value.
    """
    for key in ("only", "skip"):
        names = options.get(key)
        if names is not None:
            options[key] = (names,) if isinstance(names, str) else tuple(names)  # type: ignore[call-overload]
    return (config or Config()).override(**options)


def pipeline_for(
    detectors: Sequence[Detector] | None = None,
    favor: str | None = None,
    keep_title: bool | None = None,
    site_profile: SiteProfile | None = None,
    *,
    config: Config | None = None,
) -> list[Detector]:
    """``detectors`` (default: :func:`default_detectors`), plus a site-repetition detector when a profile is given.

    ``config`` chooses the detectors (``only``/``skip``) and the main-body thresholds.
    The site-repetition detector runs last: the specific detectors keep the lines they name,
    it takes over what only the generic main-body cut removed, and it adds recurring lines
    inside the article. Run before the main-body locator, its labels inside the article (an
    inline newsletter box) split the article there and cut it short (see the README's
    site-repetition section).
    """
    settings = settings_for(config, favor=favor, keep_title=keep_title)
    if detectors is None:
        chosen = default_detectors(settings.favor, settings.keep_title, thresholds=settings.thresholds)
    else:
        chosen = list(detectors)
    chosen = select_detectors(chosen, settings.only, settings.skip)
    if site_profile is None or not settings.runs(SiteRepetitionDetector.name):
        return chosen
    return [*chosen, SiteRepetitionDetector(site_profile)]


def provenance(config: Config | None = None, encoding: str | None = None) -> dict[str, str]:
    """The fields every record of a run ends with: the tool's version and the hash of its settings.

    ``encoding`` is a codec forced outside the config (``--encoding``); see
    :func:`cleaner.config.settings_hash` for what the hash covers.
    """
    from cleaner.config import settings_hash
    from cleaner.version import __version__

    return {"cleaner_version": __version__, "settings_hash": settings_hash(settings_for(config), encoding)}


@dataclass
class RunSummary:
    """The outcome of :func:`clean_paths`: one :class:`Outcome` per input, in sorted input order.

    The totals (lines, removals per detector and rule) are added up as outcomes arrive, so they
    hold when ``keep_results`` is off and the outcomes keep no :class:`CleanResult`.
    """

    outcomes: list[Outcome] = field(default_factory=list)
    out_dir: Path | None = None
    report: Path | None = None
    sites: dict[str, int] = field(default_factory=dict)  # site learned from (label) -> its pages
    keep_results: bool = True
    lines_total: int = 0
    lines_kept: int = 0
    removals_by_detector: dict[str, int] = field(default_factory=dict)
    rules: dict[tuple[str, str], int] = field(default_factory=dict)  # removed spans per (detector, rule)

    def add(self, outcome: Outcome) -> None:
        """Count one outcome in; keep it (without its result unless ``keep_results``)."""
        result = outcome.result
        if result is not None:
            self.lines_total += result.lines_total
            self.lines_kept += result.lines_kept
            for detector, lines in result.removals_by_detector().items():
                self.removals_by_detector[detector] = self.removals_by_detector.get(detector, 0) + lines
            for span in result.removed:
                if span.detector != LAYOUT:
                    key = (span.detector, span.rule)
                    self.rules[key] = self.rules.get(key, 0) + 1
            if not self.keep_results:
                outcome = replace(outcome, result=None, notes=[])
        self.outcomes.append(outcome)

    @property
    def ok(self) -> bool:
        return all(outcome.ok for outcome in self.outcomes)

    @property
    def files_cleaned(self) -> int:
        return sum(1 for outcome in self.outcomes if outcome.ok and outcome.skipped is None)

    @property
    def files_skipped(self) -> int:
        return sum(1 for outcome in self.outcomes if outcome.skipped is not None)

    @property
    def files_failed(self) -> int:
        return sum(1 for outcome in self.outcomes if not outcome.ok)

    @property
    def lines_removed(self) -> int:
        return self.lines_total - self.lines_kept

    @property
    def removals(self) -> dict[str, int]:
        """Removed non-blank lines per detector, over all inputs (most first)."""
        return dict(sorted(self.removals_by_detector.items(), key=lambda item: (-item[1], item[0])))


def clean_file(
    path: str | Path,
    *,
    max_bytes: int | None = None,
    encoding: str | None = None,
    detectors: Sequence[Detector] | None = None,
    favor: str | None = None,
    keep_title: bool | None = None,
    config: Config | None = None,
    only: Iterable[str] | None = None,
    skip: Iterable[str] | None = None,
    timeout: float | None = None,
) -> CleanResult:
    """Read, decode and clean one file (``"-"``: standard input), text or HTML (recognised by content).

    Raises :class:`InputError` (``"PATH: reason"``, one line) for a missing, empty, binary,
    undecodable, mixed-encoding or too large input (``max_bytes``, default the config's
    ``max-size`` or 20 MiB), an HTML page without visible text, or one over ``timeout``
    seconds. ``encoding`` forces a codec; an unknown codec name raises
    :class:`LookupError`. One page has no site to learn from: no site repetition.
    """
    outcome = clean_input(
        path, max_bytes=max_bytes, encoding=encoding, detectors=detectors,
        config=settings_for(config, favor=favor, keep_title=keep_title, only=only, skip=skip), timeout=timeout,
    )
    if outcome.result is None:
        raise InputError(f"{_shown(outcome.path)}: {outcome.error}")
    return outcome.result


def clean_input(
    path: str | Path,
    *,
    max_bytes: int | None = None,
    encoding: str | None = None,
    detectors: Sequence[Detector] | None = None,
    stdin: BinaryIO | None = None,
    favor: str | None = None,
    keep_title: bool | None = None,
    site_profile: SiteProfile | None = None,
    config: Config | None = None,
    only: Iterable[str] | None = None,
    skip: Iterable[str] | None = None,
    timeout: float | None = None,
) -> Outcome:
    """Like :func:`clean_file`, but a bad input gives an :class:`Outcome` with ``error`` set.

    HTML is recognised by content and cleaned as :func:`clean_html` does, anything else as text.
    ``site_profile`` is what a run learned about the input's site (see :func:`clean_text`).
    ``timeout``: seconds one input may take (``None`` or 0: no limit; enforced with ``SIGALRM``,
    so only in the main thread of a POSIX process); an input over it fails with a one-line error.
    """
    settings = settings_for(config, favor=favor, keep_title=keep_title, only=only, skip=skip)
    name = str(path)

    def work() -> tuple[Loaded, CleanResult]:
        loaded = _read(name, settings, max_bytes, encoding, stdin)
        return loaded, _clean_loaded(loaded, name, detectors, site_profile, settings)

    done, error = guarded(work, timeout)
    if done is None:
        return Outcome(name, error=error)
    loaded, result = done
    return Outcome(
        name, result, encoding=loaded.encoding, notes=list(result.notes), input_format=loaded.input_format,
        bom=loaded.bom, encoding_confidence=loaded.confidence,
    )


def clean_input_isolated(
    path: str | Path,
    *,
    max_bytes: int | None = None,
    encoding: str | None = None,
    stdin: BinaryIO | None = None,
    config: Config | None = None,
    timeout: float | None = None,
) -> Outcome:
    """:func:`clean_input` in a worker process, killed if the input takes longer than ``timeout``.

    What ``clean FILE`` runs: ``SIGALRM`` alone cannot stop C code (lxml parsing a pathological
    page), a kill can. The worker is forked for this one input (standard input is read here and
    handed over). Without a timeout the input is cleaned in this process.
    """
    settings = settings_for(config)
    if not timeout or timeout <= 0:
        return clean_input(path, max_bytes=max_bytes, encoding=encoding, stdin=stdin, config=settings)
    reader = _Reader(max_bytes, encoding, None, settings, timeout)
    item = discovery.Input(str(path), PurePosixPath(Path(str(path)).name))
    tasks = _tasks([item], stdin, reader.limit)
    with closing(parallel.ordered_map(_clean_task, tasks, 1, state=reader, on_death=_died, timeout=timeout,
                                      on_timeout=reader.timed_out)) as outcomes:
        return next(outcomes)


def guarded(work: Callable[[], T], timeout: float | None) -> tuple[T, None] | tuple[None, str]:
    """``(work(), None)``, or ``(None, reason)``: the one line saying why one input could not be cleaned.

    A bad input (:class:`InputError`), one over ``timeout`` seconds, and a bug (any other
    exception: it must cost one input, not a corpus run; the message names it) all end up
    as the reason. An unknown codec (:class:`LookupError`) is the caller's mistake, not the
    input's, and is raised.
    """
    try:
        with time_limit(timeout):
            return work(), None
    except InputError as err:
        return None, str(err)
    except TimeLimitExceeded:
        return None, timeout_error(timeout)
    except LookupError:
        raise
    except Exception as err:
        return None, unexpected_error(err)


def timeout_error(timeout: float | None) -> str:
    """The one line for an input over the time limit (in Python code, or killed with its worker process)."""
    return f"took longer than {timeout or 0:g} s (see --timeout)"


def unexpected_error(err: BaseException) -> str:
    """One line for an exception that is a bug in ``clean``, not a bad input."""
    detail = " ".join(str(err).split())[:200]
    return f"internal error ({type(err).__name__}{': ' + detail if detail else ''}); please report it"


TEXT, HTML = "text", "html"


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
    def from_html(cls, decoded: html.DecodedHtml, extraction: html.Extraction) -> Loaded:
        return cls(extraction.text, HTML, decoded.encoding, decoded.notes, extraction, decoded.bom, decoded.confidence)


def _read(
    name: str, settings: Config, max_bytes: int | None, encoding: str | None, stdin: BinaryIO | None,
    *, extract: bool = True,
) -> Loaded:
    """Read one input with the explicit limits, else the config's, else the defaults; HTML or text by content.

    ``extract=False`` reads an HTML page's whole-page text only (no trafilatura: site learning).
    """
    codec = encoding if encoding is not None else settings.encoding
    if codec is not None:
        check_encoding(codec)
    limit = max_bytes if max_bytes is not None else settings.max_bytes or DEFAULT_MAX_BYTES
    named_html = discovery.uncompressed_name(name).lower().endswith(discovery.HTML_SUFFIXES)
    data = read_bytes(name, limit, stdin)
    _refuse_corpus(data)
    return _load(data, settings, codec, named_html=named_html, extract=extract)


def _refuse_corpus(data: bytes) -> None:
    """A WARC or ARC file read as a page would be cleaned as one page of headers and records: refuse it."""
    kind = corpus.sniff_corpus(data[: corpus.SNIFF_BYTES])
    if kind in (corpus.WARC, corpus.ARC):
        raise InputError(f"a {kind.upper()} corpus file, not a page: clean it as a corpus (named .{kind} or "
                         f".{kind}.gz, or on standard input without --report or --review)")


def _load(
    data: bytes, settings: Config, codec: str | None, *, named_html: bool = False, extract: bool = True,
    hint: str | None = None,
) -> Loaded:
    """Decode one input's bytes as HTML (recognised by content) or as text.

    ``hint``: the charset the input's source declared (a corpus record's HTTP header).
    """
    hint = html.charset_codec(hint)
    if html.looks_like_html(data):
        decoded = html.decode_html(data, codec, hint)
        if not extract:
            return Loaded(html.page_text(html.parse_html(decoded)), HTML, decoded.encoding, decoded.notes,
                          bom=decoded.bom, confidence=decoded.confidence)
        return Loaded.from_html(decoded, html.read_html(decoded, settings.favor))
    try:
        decoded_text = decode(data, codec, declared=hint)
    except InputError as err:
        if named_html and str(err).startswith("binary"):
            raise InputError(f"not HTML or text: {err}") from None
        raise
    notes = ("no HTML markup despite the file name: cleaned as text",) if named_html else ()
    return Loaded(check_line_length(decoded_text.text), TEXT, decoded_text.encoding, notes, bom=decoded_text.bom,
                  confidence=decoded_text.confidence)


def _clean_loaded(
    loaded: Loaded, name: str, detectors: Sequence[Detector] | None, site_profile: SiteProfile | None,
    settings: Config,
) -> CleanResult:
    if loaded.extraction is None:
        pipeline = pipeline_for(detectors, site_profile=site_profile, config=settings)
        result = clean_text(loaded.text, source=name, detectors=pipeline, config=settings)
    else:
        found = loaded.extraction.kept is not None
        pipeline = html_pipeline_for(detectors, site_profile, config=settings, found=found)
        result = html.clean_extraction(loaded.extraction, name, pipeline, settings.keep_title, settings.phrase_book)
    result.notes[:0] = loaded.notes
    return result


@cache
def warm_up() -> None:
    """Load what cleaning any page needs (the language model, phrase lists, patterns), once per process.

    Called before worker processes are forked (see :func:`cleaner.parallel.ordered_map`): every
    worker, replacements included, then starts warm, and loading is not counted in a page's
    time limit. Cleaning one short page loads it all.
    """
    clean_text("Warming up\n\nThe council met on Monday to agree the budget for the coming year, as planned.\n")


class TimeLimitExceeded(BaseException):
    """One input took longer than its time limit.

    A :class:`BaseException`, like :class:`KeyboardInterrupt`: third-party code that catches
    ``Exception`` to carry on (trafilatura does) must not swallow it.
    """


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`TimeLimitExceeded` in the block after ``seconds`` (POSIX main thread; elsewhere no limit)."""
    usable = hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    if not seconds or seconds <= 0 or not usable:
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise TimeLimitExceeded

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def iter_outcomes(
    paths: Iterable[str | Path],
    *,
    max_bytes: int | None = None,
    encoding: str | None = None,
    detectors: Sequence[Detector] | None = None,
    stdin: BinaryIO | None = None,
    favor: str | None = None,
    keep_title: bool | None = None,
    site_repetition: bool | None = None,
    config: Config | None = None,
    only: Iterable[str] | None = None,
    skip: Iterable[str] | None = None,
    timeout: float | None = None,
    jobs: int = 1,
) -> Iterator[Outcome]:
    """Clean every input under ``paths`` (files, folders, ``-``) in sorted order, writing nothing.

    With ``site_repetition`` (and the default detectors) the inputs are read twice: see the module docstring.
    ``timeout``: see :func:`clean_input`. ``jobs``: worker processes (see :func:`clean_paths`).
    """
    settings = settings_for(
        config, favor=favor, keep_title=keep_title, site_repetition=site_repetition, only=only, skip=skip
    )
    if encoding is not None:
        check_encoding(encoding)  # LookupError before any work (the config's was checked when it was made)
    inputs = discovery.discover(_as_list(paths))
    read = _Reader(max_bytes, encoding, detectors, settings, timeout).learning(inputs, jobs)
    yield from parallel.ordered_map(
        _clean_task, _tasks(inputs, stdin, read.limit), parallel.workers(jobs, len(inputs)), state=read, on_death=_died,
        timeout=timeout, on_timeout=read.timed_out,
    )


def clean_paths(
    paths: Sequence[str | Path],
    out_dir: str | Path | None = None,
    *,
    report_path: str | Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    encoding: str | None = None,
    detectors: Sequence[Detector] | None = None,
    stdin: BinaryIO | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    favor: str | None = None,
    keep_title: bool | None = None,
    site_repetition: bool | None = None,
    config: Config | None = None,
    only: Iterable[str] | None = None,
    skip: Iterable[str] | None = None,
    on_start: Callable[[int], None] | None = None,
    on_input: Callable[[str], None] | None = None,
    timeout: float | None = None,
    jobs: int = 1,
    skip_existing: bool = False,
    keep_results: bool = True,
) -> RunSummary:
    """Clean every input under ``paths`` into ``out_dir`` and write the report; see :mod:`cleaner.outputs.files`.

    ``out_dir`` defaults to ``<DIR>.clean`` beside a single input folder; ``report_path`` to
    ``OUT/report.jsonl`` (one JSON record per input, failed ones included). A bad input is
    recorded and skipped; an unsafe or unwritable output folder or report raises
    :class:`~cleaner.outputs.files.OutputError` before anything is written. ``on_start`` gets the
    number of inputs found, ``on_input`` each input's path before its outcome is handled, and
    ``on_outcome`` its :class:`Outcome` after (e.g. a progress bar, errors as they happen).
    ``site_repetition``: learn what recurs across the pages of each site first (see the
    module docstring); ``favor`` and ``keep_title`` configure the default detectors.
    ``timeout``: seconds one input may take (see :func:`clean_input`).

    ``jobs``: worker processes cleaning inputs (``0``: every core); outputs, report and
    callbacks are the same bytes, in the same order, whatever the number. ``skip_existing``:
    an input whose output file already exists is not cleaned again (resuming a stopped run); its
    record is the one the report already there holds for it, if that still fits (see
    :class:`EarlierReport`), else a ``skipped`` record saying why. Interrupted
    (:class:`KeyboardInterrupt`, raised again), the run still writes the report of the inputs it
    finished, and the earlier records of those it did not reach. ``keep_results=False`` keeps no
    :class:`CleanResult` in the summary's outcomes, so memory stays flat over any number of
    inputs (the totals are kept either way).
    """
    settings = settings_for(
        config, favor=favor, keep_title=keep_title, site_repetition=site_repetition, only=only, skip=skip
    )
    if encoding is not None:
        check_encoding(encoding)  # LookupError before any work (the config's was checked when it was made)
    paths = _as_list(paths)
    inputs = discovery.discover(paths)
    if all(item.error is not None for item in inputs):
        return _report_only_errors(inputs, on_outcome)
    plan = _plan(paths, inputs, out_dir, report_path)
    files.make_dir(plan.out_dir)
    done = {item.path for item in inputs if skip_existing and _output_exists(plan.outputs.get(item.path))}
    todo = [item for item in inputs if item.path not in done]
    read = _Reader(max_bytes, encoding, detectors, settings, timeout).learning(todo, jobs)
    summary = RunSummary(out_dir=plan.out_dir, report=plan.report, sites=read.site_pages(), keep_results=keep_results)
    if on_start is not None:
        on_start(len(inputs))
    tasks = _tasks(todo, stdin, read.limit)
    cleaned = parallel.ordered_map(_clean_task, tasks, parallel.workers(jobs, len(todo)), state=read, on_death=_died,
                                   timeout=timeout, on_timeout=read.timed_out)
    stamp = provenance(settings, encoding)
    earlier = EarlierReport(plan.report if skip_existing else None)
    written, interrupted = 0, None  # inputs whose record is written; the stop that ended the loop
    with closing(cleaned), closing(earlier), files.atomic_open(plan.report) as report_stream:
        try:
            for item in inputs:
                if on_input is not None:
                    on_input(item.path)
                cleaned_item = None if item.path in done else next(cleaned)
                with files.stop_signals_held():  # an output and its record are written together, or neither
                    outcome = _settle(item, cleaned_item, plan, earlier, stamp, report_stream)
                    written += 1
                summary.add(outcome)
                if on_outcome is not None:
                    on_outcome(outcome)
        except KeyboardInterrupt as stop:  # Ctrl-C, or SIGTERM/SIGHUP (errors.Stopped)
            # The report is kept with what is done, and the earlier records of the inputs not reached
            # whose outputs are still there: --skip-existing then resumes without losing a record.
            interrupted = stop
            _carry_over(report_stream, inputs[written:], plan, earlier.reopen(plan.report))
    if interrupted is not None:
        raise interrupted
    return summary


SKIPPED_EXISTING = "output exists (--skip-existing)"
NO_EARLIER_RECORD = f"{SKIPPED_EXISTING}; no earlier record of it to keep"
EARLIER_MISMATCH = f"{SKIPPED_EXISTING}; its earlier record does not match the output, so it is not kept"


def _settle(
    item: discovery.Input,
    cleaned: Outcome | None,
    plan: _Plan,
    earlier: EarlierReport,
    stamp: Mapping[str, str],
    report_stream: BinaryIO,
) -> Outcome:
    """Write one input's output (``cleaned``; ``None``: skipped, its output exists) and its report line."""
    if cleaned is None:
        outcome, line = _skipped(item, plan.outputs[item.path], earlier, stamp)
    else:
        outcome = _write_output(item, cleaned, plan)
        line = report.dumps({**outcome.record(), **stamp}).encode("utf-8")
    report_stream.write(line)
    return outcome


def _skipped(
    item: discovery.Input, target: Path, earlier: EarlierReport, stamp: Mapping[str, str]
) -> tuple[Outcome, bytes]:
    """A skipped input's outcome and report line: its earlier record (byte for byte, its own provenance
    included) when that still fits, else a stub of this run saying why."""
    line, why = earlier.line(item.path, target, deep=True)
    outcome = Outcome(item.path, output=target, skipped=SKIPPED_EXISTING if line is not None else why)
    return outcome, line if line is not None else report.dumps({**outcome.record(), **stamp}).encode("utf-8")


def _carry_over(stream: BinaryIO, rest: Sequence[discovery.Input], plan: _Plan, earlier: EarlierReport) -> None:
    """Write the earlier records of ``rest`` whose outputs still exist (checked lightly: Ctrl-C wants a quick end)."""
    for item in rest:
        target = plan.outputs.get(item.path)
        line = earlier.line(item.path, target, deep=False)[0] if target is not None else None
        if line is not None:
            stream.write(line)


class EarlierReport:
    """The report an earlier run left where this run writes its own, read back record by record.

    Only each record's offset is kept (by input path), so a report of millions of records costs
    little memory. A line that is no whole JSON record (a run killed while writing it, a damaged
    file) is passed over: its input simply has no earlier record. Only a regular file is read:
    a FIFO or a device there is an output, not a report to read back.
    """

    def __init__(self, path: Path | None) -> None:
        self._stream: BinaryIO | None = None
        self._offsets: dict[str, int] = {}
        if path is not None and path.is_file():
            try:
                self._stream = open(path, "rb")  # noqa: SIM115 (closed by close())
                self._index(self._stream)
            except OSError:
                self.close()
                self._offsets = {}

    def _index(self, stream: BinaryIO) -> None:
        offset = 0
        for line in stream:
            rec = _parse_record(line)
            if rec is not None:
                self._offsets[rec["path"]] = offset
            offset += len(line)

    def reopen(self, path: Path) -> EarlierReport:
        """This report, or (not read yet: the run did not skip) the one at ``path`` now."""
        return self if self._stream is not None else EarlierReport(path)

    def line(self, path: str, target: Path, *, deep: bool) -> tuple[bytes | None, str]:
        """``path``'s earlier record line if it still describes ``target``, else ``(None, why not)``.

        It must be an ``ok`` record naming the same output file, which must exist; ``deep`` also
        reads that file and checks it holds the ``lines_kept`` lines the record counts.
        """
        offset = self._offsets.get(path)
        if offset is None or self._stream is None:
            return None, NO_EARLIER_RECORD
        try:
            self._stream.seek(offset)
            line = self._stream.readline()
        except OSError:
            return None, NO_EARLIER_RECORD
        rec = _parse_record(line)
        if rec is None or rec.get("status") == report.SKIPPED:
            return None, NO_EARLIER_RECORD
        if not _record_fits(rec, target, deep):
            return None, EARLIER_MISMATCH
        return (line if line.endswith(b"\n") else line + b"\n"), ""

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()


def _parse_record(line: bytes) -> dict[str, object] | None:
    try:
        rec = json.loads(line)
    except ValueError:  # UnicodeDecodeError included
        return None
    return rec if isinstance(rec, dict) and isinstance(rec.get("path"), str) else None


def _record_fits(rec: Mapping[str, object], target: Path, deep: bool) -> bool:
    written = rec.get("output")
    if rec.get("status") != report.OK or not isinstance(written, str):
        return False
    if os.path.realpath(written) != os.path.realpath(target) or not target.is_file():
        return False
    if not deep:
        return True
    try:
        text = target.read_bytes().decode("utf-8", "replace")
    except OSError:
        return False
    return len(split_lines(text)) == rec.get("lines_kept")


def _output_exists(target: Path | None) -> bool:
    return target is not None and target.is_file()


@dataclass(frozen=True)
class _Task:
    """One input for a worker: its path, or (standard input) the bytes the parent read."""

    item: discovery.Input
    data: bytes | None = None


def _tasks(inputs: Sequence[discovery.Input], stdin: BinaryIO | None, limit: int) -> Iterator[_Task]:
    """Standard input can be read by the parent only; it is read when its turn comes."""
    for item in inputs:
        if item.is_stdin and item.error is None:
            try:
                data = read_bytes(STDIN, limit, stdin)
            except InputError as err:
                yield _Task(discovery.Input(item.path, item.rel, str(err)))
                continue
            yield _Task(item, data)
        else:
            yield _Task(item)


def _clean_task(task: _Task) -> Outcome:
    """Clean one input in a worker (or in the parent, with one job) with the run's :class:`_Reader`."""
    item = task.item
    if item.error is not None:
        return Outcome(item.path, error=item.error)
    read = parallel.worker_state()
    assert isinstance(read, _Reader)
    return read(item.path, io.BytesIO(task.data) if task.data is not None else None)


def _died(task: _Task) -> Outcome:
    return Outcome(task.item.path, error=parallel.WORKER_DIED)


@dataclass(frozen=True)
class _Plan:
    out_dir: Path
    report: Path
    names: dict[str, PurePosixPath]  # input path -> output path relative to out_dir
    outputs: dict[str, Path]  # input path -> output path


def _plan(
    paths: Sequence[str | Path],
    inputs: list[discovery.Input],
    out_dir: str | Path | None,
    report_path: str | Path | None,
) -> _Plan:
    """Where every output goes, after refusing anything unsafe (:class:`OutputError`)."""
    target = Path(out_dir) if out_dir is not None else _default_out_dir(paths)
    report_file = Path(report_path) if report_path is not None else target / files.REPORT_NAME
    names = files.output_names(inputs)
    outputs = {path: target / name for path, name in names.items()}
    files.check_out_dir(target)
    files.check_targets(paths, inputs, [target, report_file, *outputs.values()])
    if report_file.resolve() in {path.resolve() for path in outputs.values()}:
        raise files.OutputError(f"{report_file}: the report would overwrite a cleaned output")
    return _Plan(target, report_file, names, outputs)


@dataclass(frozen=True)
class _Reader:
    """Reads and cleans one input of a run, with its site's profile when one was learned."""

    max_bytes: int | None
    encoding: str | None
    detectors: Sequence[Detector] | None
    config: Config
    timeout: float | None = None
    sites: dict[str, str] = field(default_factory=dict)  # input path -> site key
    profiles: dict[str, SiteProfile] = field(default_factory=dict)  # site key -> profile
    parse_html: bool = False  # pass 1, phase B: summarise HTML pages too (see learning)
    late: frozenset[str] = frozenset()  # inputs whose worker pass 1 killed past the time limit

    @property
    def limit(self) -> int:
        """The size limit of one input: explicit, else the config's, else the default."""
        return self.max_bytes if self.max_bytes is not None else self.config.max_bytes or DEFAULT_MAX_BYTES

    def warm_up(self) -> None:
        warm_up()

    def __call__(self, path: str, stdin: BinaryIO | None = None) -> Outcome:
        if path in self.late:  # pass 1 could not even parse it in time: cleaning it would take longer
            return Outcome(path, error=timeout_error(self.timeout))
        return clean_input(
            path, max_bytes=self.max_bytes, encoding=self.encoding, detectors=self.detectors, stdin=stdin,
            config=self.config, site_profile=self.profiles.get(self.sites.get(path, "")), timeout=self.timeout,
        )

    def timed_out(self, task: _Task) -> Outcome:
        """The outcome of an input whose worker was killed past the time limit (C code ignores SIGALRM)."""
        return Outcome(task.item.path, error=timeout_error(self.timeout))

    def learning(self, inputs: Sequence[discovery.Input], jobs: int = 1) -> _Reader:
        """Pass 1: this reader with the site profiles learned from ``inputs``.

        Nothing is learned with site repetition off (or skipped), with an explicit detector list, or with
        fewer inputs than a site needs. Inputs that fail to read are skipped here and
        reported by pass 2. Only regular files are read twice: standard input, pipes and
        process substitutions (``clean <(cmd) ...``) can be read once, so they belong to no site.
        HTML inputs belong to the site whose address they declare (canonical link or ``og:url``,
        read without parsing; else their folder) and are learned from their whole-page text
        (the lines their reports are about), never from their markup; only the HTML pages of
        a site with enough pages are parsed here. Pages are read and summarised on ``jobs``
        processes and counted here in input order, so what is learned does not depend on ``jobs``.
        """
        usable = [item for item in inputs if item.error is None and not item.is_stdin and os.path.isfile(item.path)]
        enabled = self.config.site_repetition and self.config.runs(SiteRepetitionDetector.name)
        if not enabled or self.detectors is not None or len(usable) < MIN_PAGES:
            return self
        workers = parallel.workers(jobs, len(usable))
        learned = SiteProfiles()
        # Phase A: every input's site. Text pages are summarised at once; an HTML page only gets
        # its site key (the address it declares, found without parsing, else its folder).
        html_sites: dict[str, str] = {}
        pages: dict[str, int] = {}
        with closing(parallel.ordered_map(_summarize, usable, workers, state=self, on_death=_no_summary,
                                          timeout=self.timeout, on_timeout=_no_summary)) as found:
            for item, summary in zip(usable, found, strict=True):
                if isinstance(summary, str):
                    html_sites[item.path] = summary
                elif summary is not None:
                    learned.add_summary(summary)
                site = summary if isinstance(summary, str) else summary.site if summary else None
                if site is not None:
                    pages[site] = pages.get(site, 0) + 1
        # Phase B: only the HTML pages of a site with enough pages are parsed and summarised.
        wanted = [item for item in usable if pages.get(html_sites.get(item.path, ""), 0) >= MIN_PAGES]
        late: set[str] = set()

        def timed_out(item: discovery.Input) -> None:
            late.add(item.path)

        with closing(parallel.ordered_map(_summarize, wanted, workers, state=replace(self, parse_html=True),
                                          on_death=_no_summary, timeout=self.timeout,
                                          on_timeout=timed_out)) as found:
            for item, summary in zip(wanted, found, strict=True):
                if isinstance(summary, PageSummary):
                    site = html_sites[item.path]
                    learned.add_summary(replace(summary, site=site, label=site_label(item.path, site)))
        return replace(self, sites=learned.sites, profiles=learned.frozen(), late=frozenset(late))

    def summarize(self, item: discovery.Input) -> PageSummary | str | None:
        """Pass 1 for one input: a text page's site and keys; an HTML page's site key only (unless
        ``parse_html``: then its whole-page text's keys); ``None`` when it cannot be read (pass 2 says why)."""

        def work() -> PageSummary | str:
            data = read_bytes(item.path, self.limit, None)
            _refuse_corpus(data)  # a corpus file teaches no site anything (pass 2 reports it)
            if html.looks_like_html(data) and not self.parse_html:
                return site_key(item.path, html.site_url(data))
            codec = self.encoding if self.encoding is not None else self.config.encoding
            return summarize(item.path, _load(data, self.config, codec, extract=False).text)

        return guarded(work, self.timeout)[0]  # a failure is reported by pass 2

    def site_pages(self) -> dict[str, int]:
        """Label -> page count of every site profile in use."""
        return {profile.label: profile.pages for profile in sorted(self.profiles.values(), key=lambda p: p.label)}


def _summarize(item: discovery.Input) -> PageSummary | str | None:
    read = parallel.worker_state()
    assert isinstance(read, _Reader)
    return read.summarize(item)


def _no_summary(item: discovery.Input) -> None:
    return None


def _write_output(item: discovery.Input, outcome: Outcome, plan: _Plan) -> Outcome:
    """Write one cleaned input's output; a failure to write ends up in the outcome."""
    target, name = plan.outputs.get(item.path), plan.names.get(item.path)
    if outcome.result is None or target is None:
        return outcome
    natural = files.natural_output(item.rel)
    if name != natural:
        outcome.notes.insert(0, f"written as {target.name}: another input already maps to {natural.name}")
    try:
        files.atomic_write(target, outcome.result.text.encode("utf-8"))
    except files.OutputError as err:
        return Outcome(item.path, error=str(err))
    outcome.output = target
    return outcome


@dataclass
class CorpusFileCounts(corpus.ReadCounts):
    """One corpus file of a run: records read and passed over (no document), then its documents:
    failed ones, and ``empty`` ones (cleaned, but nothing of the page kept)."""

    documents: int = 0
    failed: int = 0
    empty: int = 0

    @property
    def cleaned(self) -> int:
        return self.documents - self.failed

    def add(self, record: Mapping[str, object]) -> None:
        """Count one output record in."""
        self.documents += 1
        if "error" in record:
            self.failed += 1
        elif record.get("status") == report.EMPTY:
            self.empty += 1


@dataclass
class CorpusSummary:
    """The outcome of :func:`clean_corpus`: counts over every document, and what was written where."""

    lines_total: int = 0
    lines_kept: int = 0
    outputs: list[str] = field(default_factory=list)  # JSONL files written ("-": standard output)
    skipped: list[str] = field(default_factory=list)  # corpus files not read: their output existed
    errors: list[str] = field(default_factory=list)  # "FILE: reason" for corpus files that could not be read
    files: dict[str, CorpusFileCounts] = field(default_factory=dict)  # corpus file read -> its counts
    damaged: int = 0  # stretches of damaged WARC data passed over (each also an error record)
    damaged_bytes: int = 0  # the bytes in them
    dropped: int = 0  # documents cleaned to no text not written (drop_empty)

    @property
    def documents(self) -> int:
        """Documents read (each is an output line, failed ones included)."""
        return sum(counts.documents for counts in self.files.values())

    @property
    def failed(self) -> int:
        return sum(counts.failed for counts in self.files.values())

    @property
    def cleaned(self) -> int:
        return self.documents - self.failed

    @property
    def records(self) -> int:
        """Records read (WARC records, JSON lines), documents or not."""
        return sum(counts.records for counts in self.files.values())

    @property
    def passed_over(self) -> int:
        """Records that held no document (WARC requests, metadata, non-HTML responses...)."""
        return sum(counts.passed_over for counts in self.files.values())

    @property
    def empty(self) -> int:
        """Documents cleaned to an empty text (nothing of the page kept)."""
        return sum(counts.empty for counts in self.files.values())

    @property
    def ok(self) -> bool:
        return not self.failed and not self.errors


def clean_corpus(
    paths: Sequence[str | Path],
    out: str | Path | None = None,
    *,
    options: corpus.CorpusOptions | None = None,
    config: Config | None = None,
    jobs: int = 1,
    compression: str | None = None,
    spans: bool = True,
    skip_existing: bool = False,
    timeout: float | None = None,
    encoding: str | None = None,
    stdin: BinaryIO | None = None,
    stdout: BinaryIO | None = None,
    on_document: Callable[[dict[str, object]], None] | None = None,
    drop_empty: bool = False,
) -> CorpusSummary:
    """Clean every document of some corpus files (WARC, WET, JSONL; see :mod:`cleaner.inputs.corpus`) into JSONL.

    Each corpus file is streamed record by record; each document is cleaned as its content says
    (HTML or text) and becomes one JSON line (id, url, clean text, metadata, and the removed spans,
    or with ``spans=False`` a summary per detector), in input order whatever ``jobs`` is. Where:
    ``out`` ``None`` or ``"-"``: standard output; a name ending in ``.jsonl`` (``.gz``/``.zst``):
    one file for every input; else a folder with ``<name>.jsonl`` per corpus file.
    ``compression`` (``gzip``, ``zstd``, ``none``) chooses for a folder's files; for one file it must
    agree with the name's suffix (:class:`ValueError` otherwise: ``x.jsonl`` is never zstd). A bad document is a
    record with an ``error`` and the run goes on; a corpus file that cannot be read at all is
    listed in ``errors``. Outputs are written atomically; ``skip_existing`` leaves a corpus file
    whose output file exists alone (resuming a stopped run). Documents are cleaned one by one:
    no site repetition (that needs a site's pages side by side; see :mod:`cleaner.sites`).
    ``on_document`` gets each output record (e.g. progress, errors as they happen). Every record
    ends with the run's :func:`provenance` (version and settings hash). A document cleaned to no
    text has ``"status": "empty"``; ``drop_empty`` leaves it out of the output.
    """
    if out is not None:
        corpus_output.check_compression(str(out), compression)  # ValueError before anything is read or written
    settings = settings_for(config)
    reading = options or corpus.CorpusOptions(max_bytes=settings.max_bytes or DEFAULT_MAX_BYTES)
    if encoding is not None:
        check_encoding(encoding)
    state = _DocumentCleaner(settings, encoding, timeout, spans)
    stamp = provenance(settings, encoding)
    summary = CorpusSummary()
    for target, sources in _corpus_targets(paths, out, compression):
        if skip_existing and target != STDIN and Path(target).is_file():
            summary.skipped.extend(str(source) for source in sources)
            continue
        refused = len(summary.errors)
        documents = corpus.first_read(_documents(sources, reading, stdin, summary))  # opens the first readable source
        if target != STDIN and len(summary.errors) - refused == len(sources):
            continue  # none could be read (not a corpus, a WAT file...): each is reported, no empty output
        if target != STDIN:
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        sink = stdout if target == STDIN and stdout is not None else target
        with corpus_output.JsonlWriter(sink, compression) as writer:
            records = parallel.ordered_map(_clean_document, documents, parallel.workers(jobs), state=state,
                                           on_death=_document_died, timeout=timeout, on_timeout=state.timed_out)
            with closing(records):
                for record in records:
                    record = {**record, **stamp}  # added in the parent: error records and dead workers' too
                    dropped = drop_empty and record.get("status") == report.EMPTY
                    summary.dropped += dropped
                    if not dropped:
                        writer.write(record)
                    summary.damaged += "skipped_bytes" in record
                    summary.damaged_bytes += int(record.get("skipped_bytes") or 0)  # type: ignore[call-overload]
                    summary.lines_total += int(record.get("lines_total") or 0)  # type: ignore[call-overload]
                    summary.lines_kept += int(record.get("lines_kept") or 0)  # type: ignore[call-overload]
                    summary.files[str(record["source"])].add(record)
                    if on_document is not None:
                        on_document(record)
        summary.outputs.append(str(target))
    return summary


def _corpus_targets(
    paths: Sequence[str | Path], out: str | Path | None, compression: str | None
) -> list[tuple[str, list[str]]]:
    """(output, corpus files written to it), in input order; :class:`~cleaner.outputs.files.OutputError` if unsafe.

    No ``out``: standard output, except for one folder: ``DIR.clean/`` beside it, as for pages.
    """
    args = _as_list(paths)
    if [str(arg) for arg in args] == [STDIN]:  # a corpus on standard input (``zcat x.wet.gz | clean -``)
        inputs = [discovery.Input(STDIN, PurePosixPath(discovery.STDIN_NAME))]
    else:
        inputs = discovery.corpus_inputs(args, corpus.is_corpus_path) or []
    if not inputs:
        raise InputError(f"{', '.join(map(str, args))}: no corpus files (WARC, WET, JSONL)")
    folders = [arg for arg in args if str(arg) != STDIN and Path(arg).is_dir()]
    if out is None and len(args) == 1 and folders:
        out = files.default_out_dir(folders[0])
    if out is None or str(out) == STDIN:
        return [(STDIN, [item.path for item in inputs])]
    if corpus_output.is_jsonl_output(str(out)):
        targets = [(str(out), [item.path for item in inputs])]
    else:
        suffix = corpus_output.output_suffix(compression)
        targets = [(str(Path(out) / item.rel.parent / (corpus_output.stem(item.path) + suffix)), [item.path])
                   for item in inputs]
        written = [target for target, sources in targets if not corpus.is_wat_name(sources[0])]  # WAT: refused
        if len(set(written)) < len(written):
            raise files.OutputError(f"{out}: two corpus files would write the same output; use separate runs")
    files.check_targets(args, inputs, [Path(target) for target, _ in targets])
    if not corpus_output.is_jsonl_output(str(out)):
        files.make_dir(Path(out))
    return targets


def _documents(
    sources: Sequence[str], reading: corpus.CorpusOptions, stdin: BinaryIO | None, summary: CorpusSummary
) -> Iterator[corpus.Document]:
    for source in sources:
        counts = CorpusFileCounts()
        try:
            documents = corpus.iter_documents(source, reading, stdin=stdin, counts=counts)
            summary.files[source] = counts  # once it opened: a file that cannot be read is an error
            yield from documents
        except InputError as err:
            summary.errors.append(f"{_shown(source)}: {err}")


@dataclass(frozen=True)
class _DocumentCleaner:
    """Cleans one corpus document in a worker: the run's settings."""

    config: Config
    encoding: str | None
    timeout: float | None
    spans: bool

    def warm_up(self) -> None:
        warm_up()

    def __call__(self, document: corpus.Document) -> dict[str, object]:
        if document.error is not None or document.content is None:
            return corpus_output.output_record(document, None, document.error or "no content", spans=self.spans)
        content, name = document.content, f"{document.source}#{document.position}"

        def work() -> tuple[Loaded, CleanResult]:
            loaded = _load(content, self.config, self.encoding, hint=document.charset)
            return loaded, _clean_loaded(loaded, name, None, None, self.config)

        done, error = guarded(work, self.timeout)
        if done is None:
            return corpus_output.output_record(document, None, error, spans=self.spans)
        loaded, result = done
        return corpus_output.output_record(
            document, result, None, spans=self.spans, input_format=loaded.input_format, encoding=loaded.encoding,
            bom=loaded.bom, encoding_confidence=loaded.confidence,
        )

    def timed_out(self, document: corpus.Document) -> dict[str, object]:
        """The record of a document whose worker was killed past the time limit (C code ignores SIGALRM)."""
        return corpus_output.output_record(document, None, timeout_error(self.timeout), spans=self.spans)


def _clean_document(document: corpus.Document) -> dict[str, object]:
    cleaner = parallel.worker_state()
    assert isinstance(cleaner, _DocumentCleaner)
    return cleaner(document)


def _document_died(document: corpus.Document) -> dict[str, object]:
    return corpus_output.output_record(document, None, parallel.WORKER_DIED)


def write_report(
    path: str | Path, outcomes: Sequence[Outcome], stamp: Mapping[str, str] | None = None
) -> None:
    """Write the records of ``outcomes`` as JSON Lines to ``path``, atomically, never over an input.

    ``stamp`` (:func:`provenance`) ends every record.
    """
    inputs = [discovery.Input(outcome.path, PurePosixPath(Path(outcome.path).name)) for outcome in outcomes]
    files.check_targets([], inputs, [Path(path)])
    lines = "".join(report.dumps({**outcome.record(), **(stamp or {})}) for outcome in outcomes)
    files.atomic_write(Path(path), lines.encode("utf-8"))


def write_page(path: str | Path, text: str) -> None:
    """Write one page's clean ``text`` (UTF-8) to ``path`` atomically; gzip or zstd when the name ends ``.gz``/``.zst``.

    The suffix says what the file holds, as for corpus outputs; gzip's header has no time stamp,
    so the same text gives the same bytes.
    """
    compression = corpus_output.compression_for(str(path))
    with files.atomic_open(Path(path)) as stream, corpus_output.Compressing(stream, compression) as writer:
        writer.write(text.encode("utf-8"))


def _default_out_dir(paths: Sequence[str | Path]) -> Path:
    folders = [path for path in paths if str(path) != STDIN and Path(path).is_dir()]
    if len(paths) != 1 or len(folders) != 1:
        raise files.OutputError("an output folder (-o OUT) is needed unless the input is a single folder")
    return files.default_out_dir(folders[0])


def _report_only_errors(inputs: list[discovery.Input], on_outcome: Callable[[Outcome], None] | None) -> RunSummary:
    summary = RunSummary(outcomes=[Outcome(item.path, error=item.error) for item in inputs])
    if on_outcome is not None:
        for outcome in summary.outcomes:
            on_outcome(outcome)
    return summary


def _as_list(paths: Iterable[str | Path] | str | Path) -> list[str | Path]:
    """``"seeds"`` alone means one path, not five one-letter ones."""
    return [paths] if isinstance(paths, str | Path) else list(paths)


def _shown(path: str) -> str:
    return "<stdin>" if path == STDIN else path


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

    Default: the ``html-extractor`` step of HTML inputs, :func:`default_detectors` and, last,
    the site-repetition detector of runs over several pages of a site.
    """
    if detectors is None:
        detectors = [HtmlExtractorDetector(), *default_detectors(), SiteRepetitionDetector()]
    infos = []
    for detector in detectors:
        doc = inspect.getdoc(type(detector)) or ""
        infos.append(DetectorInfo(detector.name, doc.strip().splitlines()[0] if doc.strip() else "", detector.rules))
    return [*infos, LAYOUT_INFO]


def explain_line(
    text: str,
    line: int,
    source: str = "-",
    detectors: Sequence[Detector] | None = None,
    *,
    config: Config | None = None,
    favor: str | None = None,
    keep_title: bool | None = None,
    only: Iterable[str] | None = None,
    skip: Iterable[str] | None = None,
) -> LineExplanation:
    """Clean ``text`` as :func:`clean_text` would and explain line ``line`` (1-based).

    Says whether the line is kept, which detector and rule removed it and why, which generic
    label a specific one replaced, and the line's signals (prose, stopwords, repeats, link
    density, the main-body score and the article's range). Raises
    :class:`~cleaner.explain.LineOutOfRange` (a :class:`ValueError`) for a line the page does not have.
    """
    settings = settings_for(config, favor=favor, keep_title=keep_title, only=only, skip=skip)
    return _explain(Page(text, source, settings.phrase_book), [line], detectors, settings)[0]


def _explain(
    page: Page, lines: Sequence[int], detectors: Sequence[Detector] | None, settings: Config
) -> list[LineExplanation]:
    for number in lines:  # every number checked before any work
        if not 1 <= number <= len(page):
            raise LineOutOfRange(f"line {number} is out of range: the page has {len(page)} lines")
    pipeline = pipeline_for(detectors, config=settings)
    rules = _rule_summaries(pipeline)
    return [explain_page(page, number, pipeline, rules) for number in lines]


def explain_file(
    path: str | Path,
    lines: Sequence[int],
    *,
    max_bytes: int | None = None,
    encoding: str | None = None,
    stdin: BinaryIO | None = None,
    config: Config | None = None,
    favor: str | None = None,
    keep_title: bool | None = None,
    only: Iterable[str] | None = None,
    skip: Iterable[str] | None = None,
) -> list[LineExplanation]:
    """:func:`explain_line` for ``lines`` of one file (``"-"``: standard input, read once), read as
    :func:`clean_file` reads it.

    Raises :class:`InputError` for a bad input and :class:`~cleaner.explain.LineOutOfRange`
    (before any work) for a line the page does not have.
    """
    settings = settings_for(config, favor=favor, keep_title=keep_title, only=only, skip=skip)
    name = str(path)
    try:
        loaded = _read(name, settings, max_bytes, encoding, stdin)
    except InputError as err:
        raise InputError(f"{_shown(name)}: {err}") from None
    if loaded.extraction is None:
        return _explain(Page(loaded.text, name, settings.phrase_book), lines, None, settings)
    pipeline = html_pipeline_for(config=settings, found=loaded.extraction.kept is not None)
    return html.explain_extraction(
        loaded.extraction, name, lines, pipeline, settings.keep_title, _rule_summaries(pipeline), settings.phrase_book
    )


def _rule_summaries(detectors: Sequence[Detector]) -> Mapping[tuple[str, str], str]:
    infos = [*list_detectors(detectors), LAYOUT_INFO]
    return {(info.name, rule.code): rule.summary for info in infos for rule in info.rules}

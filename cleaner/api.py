"""The library's entry points; the CLI calls only these.

* :func:`clean_text` - one page given as a string.
* :func:`clean_file` - one file (or ``"-"``, standard input): read, decode, clean.
* :func:`clean_input` - the same, but a bad input is an :class:`Outcome` with an error, not an exception.
* :func:`iter_outcomes` - every input under some paths, cleaned, nothing written (``clean --diff``).
* :func:`clean_paths` - discover, clean, write outputs and ``report.jsonl``; keeps going past bad inputs.
* :func:`list_detectors` - the detectors, their rules and what they remove.

Runs over several inputs (:func:`iter_outcomes`, :func:`clean_paths`) read their inputs
twice: pass 1 groups them by site and learns what recurs across each site's pages
(:mod:`cleaner.sites`), pass 2 cleans each page with the default detectors plus a
:class:`~cleaner.detectors.site_repetition.SiteRepetitionDetector` for its site, run last.
``site_repetition=False`` cleans every page alone. With an
explicit ``detectors`` list nothing is learned or inserted: the list runs as given (learn
with :func:`cleaner.sites.learn_profiles` and pass ``site_profile=`` to :func:`clean_text`
to combine both).
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from cleaner import output, report
from cleaner.decoding import DEFAULT_MAX_BYTES, STDIN, check_encoding, read_text
from cleaner.detectors.base import Detector
from cleaner.detectors.site_repetition import SiteRepetitionDetector
from cleaner.errors import InputError
from cleaner.page import Page
from cleaner.pipeline import clean_page, default_detectors
from cleaner.removal import Rule
from cleaner.render import LAYOUT, LAYOUT_BLANK, LAYOUT_WHITESPACE, CleanResult
from cleaner.sites import MIN_PAGES, SiteProfile, SiteProfiles


def clean_text(
    text: str,
    source: str = "-",
    detectors: Sequence[Detector] | None = None,
    *,
    favor: str = "balanced",
    keep_title: bool = True,
    site_profile: SiteProfile | None = None,
) -> CleanResult:
    """Clean one page given as text: the article text, removed spans and metadata.

    ``favor`` and ``keep_title`` configure the default detectors (see
    :func:`~cleaner.pipeline.default_detectors`); they are ignored when ``detectors`` is given.
    ``site_profile`` (what recurs across the page's site, see :mod:`cleaner.sites`) adds a
    :class:`SiteRepetitionDetector` at the end of the pipeline (of the given list too).
    """
    return clean_page(Page(text, source), pipeline_for(detectors, favor, keep_title, site_profile))


def pipeline_for(
    detectors: Sequence[Detector] | None = None,
    favor: str = "balanced",
    keep_title: bool = True,
    site_profile: SiteProfile | None = None,
) -> list[Detector]:
    """``detectors`` (default: :func:`default_detectors`), plus a site-repetition detector when a profile is given.

    It runs last: the specific detectors keep the lines they name, it takes over what only
    the generic main-body cut removed, and it adds recurring lines inside the article. Run
    before the main-body locator, its labels inside the article (an inline newsletter box)
    split the article there and cut it short (see the README's site-repetition section).
    """
    chosen = list(default_detectors(favor, keep_title=keep_title) if detectors is None else detectors)
    return chosen if site_profile is None else [*chosen, SiteRepetitionDetector(site_profile)]


@dataclass
class Outcome:
    """What happened to one input: its result, or the one-line reason it failed."""

    path: str
    result: CleanResult | None = None
    error: str | None = None
    encoding: str | None = None
    output: Path | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None

    def record(self) -> report.Record:
        """The input's JSON record (see :mod:`cleaner.report`)."""
        if self.result is None:
            return report.error_record(self.path, self.error or "not cleaned")
        out = str(self.output) if self.output is not None else None
        return report.record(self.result, path=self.path, output=out, encoding=self.encoding)


@dataclass
class RunSummary:
    """The outcome of :func:`clean_paths`: one :class:`Outcome` per input, in sorted input order."""

    outcomes: list[Outcome] = field(default_factory=list)
    out_dir: Path | None = None
    report: Path | None = None
    sites: dict[str, int] = field(default_factory=dict)  # site learned from (label) -> its pages

    @property
    def ok(self) -> bool:
        return all(outcome.ok for outcome in self.outcomes)

    @property
    def files_cleaned(self) -> int:
        return sum(1 for outcome in self.outcomes if outcome.ok)

    @property
    def files_failed(self) -> int:
        return len(self.outcomes) - self.files_cleaned

    @property
    def lines_total(self) -> int:
        return sum(result.lines_total for result in self._results())

    @property
    def lines_kept(self) -> int:
        return sum(result.lines_kept for result in self._results())

    @property
    def lines_removed(self) -> int:
        return self.lines_total - self.lines_kept

    @property
    def removals(self) -> dict[str, int]:
        """Removed non-blank lines per detector, over all inputs (most first)."""
        counts: dict[str, int] = {}
        for result in self._results():
            for detector, lines in result.removals_by_detector().items():
                counts[detector] = counts.get(detector, 0) + lines
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    @property
    def rules(self) -> dict[tuple[str, str], int]:
        """Removed spans per (detector, rule), layout clean-up not counted."""
        counts: dict[tuple[str, str], int] = {}
        for result in self._results():
            for span in result.removed:
                if span.detector != LAYOUT:
                    key = (span.detector, span.rule)
                    counts[key] = counts.get(key, 0) + 1
        return counts

    def _results(self) -> Iterator[CleanResult]:
        return (outcome.result for outcome in self.outcomes if outcome.result is not None)


def clean_file(
    path: str | Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    encoding: str | None = None,
    detectors: Sequence[Detector] | None = None,
    favor: str = "balanced",
    keep_title: bool = True,
) -> CleanResult:
    """Read, decode and clean one file (``"-"``: standard input).

    Raises :class:`InputError` (``"PATH: reason"``, one line) for a missing, empty, binary,
    undecodable, mixed-encoding or too large input. ``encoding`` forces a codec; an unknown
    codec name raises :class:`LookupError`. One page has no site to learn from: no site
    repetition.
    """
    outcome = clean_input(
        path, max_bytes=max_bytes, encoding=encoding, detectors=detectors, favor=favor, keep_title=keep_title
    )
    if outcome.result is None:
        raise InputError(f"{_shown(outcome.path)}: {outcome.error}")
    return outcome.result


def clean_input(
    path: str | Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    encoding: str | None = None,
    detectors: Sequence[Detector] | None = None,
    stdin: BinaryIO | None = None,
    favor: str = "balanced",
    keep_title: bool = True,
    site_profile: SiteProfile | None = None,
) -> Outcome:
    """Like :func:`clean_file`, but a bad input gives an :class:`Outcome` with ``error`` set.

    ``site_profile`` is what a run learned about the input's site (see :func:`clean_text`).
    """
    if encoding is not None:
        check_encoding(encoding)
    name = str(path)
    try:
        decoded = read_text(name, max_bytes=max_bytes, encoding=encoding, stdin=stdin)
    except InputError as err:
        return Outcome(name, error=str(err))
    pipeline = pipeline_for(detectors, favor, keep_title, site_profile)
    result = clean_text(decoded.text, source=name, detectors=pipeline)
    return Outcome(name, result, encoding=decoded.encoding, notes=list(result.notes))


def iter_outcomes(
    paths: Iterable[str | Path],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    encoding: str | None = None,
    detectors: Sequence[Detector] | None = None,
    stdin: BinaryIO | None = None,
    favor: str = "balanced",
    keep_title: bool = True,
    site_repetition: bool = True,
) -> Iterator[Outcome]:
    """Clean every input under ``paths`` (files, folders, ``-``) in sorted order, writing nothing.

    With ``site_repetition`` (and the default detectors) the inputs are read twice: see the module docstring.
    """
    if encoding is not None:
        check_encoding(encoding)
    inputs = output.discover(_as_list(paths))
    read = _Reader(max_bytes, encoding, detectors, stdin, favor, keep_title).learning(inputs, site_repetition)
    for item in inputs:
        yield Outcome(item.path, error=item.error) if item.error is not None else read(item.path)


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
    favor: str = "balanced",
    keep_title: bool = True,
    site_repetition: bool = True,
) -> RunSummary:
    """Clean every input under ``paths`` into ``out_dir`` and write the report; see :mod:`cleaner.output`.

    ``out_dir`` defaults to ``<DIR>.clean`` beside a single input folder; ``report_path`` to
    ``OUT/report.jsonl`` (one JSON record per input, failed ones included). A bad input is
    recorded and skipped; an unsafe or unwritable output folder or report raises
    :class:`~cleaner.output.OutputError` before anything is written. ``on_outcome`` is called
    after each input (e.g. to print errors as they happen). ``site_repetition``: learn what
    recurs across the pages of each site first (see the module docstring); ``favor`` and
    ``keep_title`` configure the default detectors.
    """
    if encoding is not None:
        check_encoding(encoding)
    paths = _as_list(paths)
    inputs = output.discover(paths)
    if all(item.error is not None for item in inputs):
        return _report_only_errors(inputs, on_outcome)
    plan = _plan(paths, inputs, out_dir, report_path)
    output.make_dir(plan.out_dir)
    read = _Reader(max_bytes, encoding, detectors, stdin, favor, keep_title).learning(inputs, site_repetition)
    summary = RunSummary(out_dir=plan.out_dir, report=plan.report, sites=read.site_pages())
    with output.atomic_open(plan.report) as report_stream:
        for item in inputs:
            outcome = _clean_one(item, plan.outputs.get(item.path), plan.names.get(item.path), read)
            report_stream.write(report.dumps(outcome.record()).encode("utf-8"))
            summary.outcomes.append(outcome)
            if on_outcome is not None:
                on_outcome(outcome)
    return summary


@dataclass(frozen=True)
class _Plan:
    out_dir: Path
    report: Path
    names: dict[str, PurePosixPath]  # input path -> output path relative to out_dir
    outputs: dict[str, Path]  # input path -> output path


def _plan(
    paths: Sequence[str | Path], inputs: list[output.Input], out_dir: str | Path | None, report_path: str | Path | None
) -> _Plan:
    """Where every output goes, after refusing anything unsafe (:class:`OutputError`)."""
    target = Path(out_dir) if out_dir is not None else _default_out_dir(paths)
    report_file = Path(report_path) if report_path is not None else target / output.REPORT_NAME
    names = output.output_names(inputs)
    outputs = {path: target / name for path, name in names.items()}
    output.check_out_dir(target)
    output.check_targets(paths, inputs, [target, report_file, *outputs.values()])
    if report_file.resolve() in {path.resolve() for path in outputs.values()}:
        raise output.OutputError(f"{report_file}: the report would overwrite a cleaned output")
    return _Plan(target, report_file, names, outputs)


@dataclass(frozen=True)
class _Reader:
    """Reads and cleans one input of a run, with its site's profile when one was learned."""

    max_bytes: int
    encoding: str | None
    detectors: Sequence[Detector] | None
    stdin: BinaryIO | None
    favor: str = "balanced"
    keep_title: bool = True
    sites: dict[str, str] = field(default_factory=dict)  # input path -> site key
    profiles: dict[str, SiteProfile] = field(default_factory=dict)  # site key -> profile

    def __call__(self, path: str) -> Outcome:
        return clean_input(
            path, max_bytes=self.max_bytes, encoding=self.encoding, detectors=self.detectors, stdin=self.stdin,
            favor=self.favor, keep_title=self.keep_title, site_profile=self.profiles.get(self.sites.get(path, "")),
        )

    def learning(self, inputs: Sequence[output.Input], enabled: bool = True) -> _Reader:
        """Pass 1: this reader with the site profiles learned from ``inputs``.

        Nothing is learned with site repetition off, with an explicit detector list, or with
        fewer inputs than a site needs. Inputs that fail to read are skipped here and
        reported by pass 2. Only regular files are read twice: standard input, pipes and
        process substitutions (``clean <(cmd) ...``) can be read once, so they belong to no site.
        """
        usable = [item for item in inputs if item.error is None and not item.is_stdin and os.path.isfile(item.path)]
        if not enabled or self.detectors is not None or len(usable) < MIN_PAGES:
            return self
        learned = SiteProfiles()
        for item in usable:
            try:
                decoded = read_text(item.path, max_bytes=self.max_bytes, encoding=self.encoding)
            except InputError:
                continue
            learned.add(item.path, decoded.text)
        return replace(self, sites=learned.sites, profiles=learned.frozen())

    def site_pages(self) -> dict[str, int]:
        """Label -> page count of every site profile in use."""
        return {profile.label: profile.pages for profile in sorted(self.profiles.values(), key=lambda p: p.label)}


def _clean_one(item: output.Input, target: Path | None, name: PurePosixPath | None, read: _Reader) -> Outcome:
    """Clean one input and write its output; any failure ends up in the outcome."""
    if item.error is not None or target is None:
        return Outcome(item.path, error=item.error or "not cleaned")
    outcome = read(item.path)
    if outcome.result is None:
        return outcome
    natural = item.rel.with_suffix(output.OUTPUT_SUFFIX)
    if name != natural:
        outcome.notes.insert(0, f"written as {target.name}: another input already maps to {natural.name}")
    try:
        output.atomic_write(target, outcome.result.text.encode("utf-8"))
    except output.OutputError as err:
        return Outcome(item.path, error=str(err))
    outcome.output = target
    return outcome


def write_report(path: str | Path, outcomes: Sequence[Outcome]) -> None:
    """Write the records of ``outcomes`` as JSON Lines to ``path``, atomically, never over an input."""
    inputs = [output.Input(outcome.path, PurePosixPath(Path(outcome.path).name)) for outcome in outcomes]
    output.check_targets([], inputs, [Path(path)])
    lines = "".join(report.dumps(outcome.record()) for outcome in outcomes)
    output.atomic_write(Path(path), lines.encode("utf-8"))


def _default_out_dir(paths: Sequence[str | Path]) -> Path:
    folders = [path for path in paths if str(path) != STDIN and Path(path).is_dir()]
    if len(paths) != 1 or len(folders) != 1:
        raise output.OutputError("an output folder (-o OUT) is needed unless the input is a single folder")
    return output.default_out_dir(folders[0])


def _report_only_errors(inputs: list[output.Input], on_outcome: Callable[[Outcome], None] | None) -> RunSummary:
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

    Default: :func:`default_detectors` and, last, the site-repetition detector of runs
    over several pages of a site.
    """
    if detectors is None:
        detectors = [*default_detectors(), SiteRepetitionDetector()]
    infos = []
    for detector in detectors:
        doc = inspect.getdoc(type(detector)) or ""
        infos.append(DetectorInfo(detector.name, doc.strip().splitlines()[0] if doc.strip() else "", detector.rules))
    return [*infos, LAYOUT_INFO]

"""A folder run: every page under some paths cleaned into an output folder, with ``report.jsonl``.

* :func:`clean_paths` - discover, learn each site (pass 1, :mod:`cleaner.runs.learning`), clean
  (pass 2, on worker processes), write the outputs and the report; keeps going past bad inputs,
  resumes with ``skip_existing`` (:mod:`cleaner.runs.resume`).
* :func:`iter_outcomes` - the same cleaning, nothing written (``clean --diff``).

HTML inputs are recognised by their content (:func:`cleaner.inputs.html_source.looks_like_html`),
whatever their name; their site is the address they declare (else their folder) and is learned
from their whole-page text. With explicit ``detectors`` nothing is learned or inserted: the list
runs as given (learn with :func:`cleaner.text.sites.learn_profiles` and pass ``site_profile=`` to
:func:`cleaner.runs.page.clean_text` to combine both). ``site_repetition=False`` cleans every page alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from cleaner.inputs import discovery
from cleaner.inputs.decoding import STDIN
from cleaner.options import Options, options_for, provenance
from cleaner.outputs import files, report
from cleaner.outputs.report import Outcome
from cleaner.render import LAYOUT
from cleaner.runs import parallel
from cleaner.runs.learning import learn_sites
from cleaner.runs.one import Reader, as_list, clean_task, task_died, tasks
from cleaner.runs.resume import EarlierReport, carry_over, output_exists, skipped

__all__ = ["RunSummary", "clean_paths", "iter_outcomes", "write_report"]


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


def iter_outcomes(
    paths: Iterable[str | Path], *, stdin: BinaryIO | None = None, options: Options | None = None, **values: Any
) -> Iterator[Outcome]:
    """Clean every input under ``paths`` (files, folders, ``-``) in sorted order, writing nothing.

    With site repetition (and the default detectors) the inputs are read twice: see the module
    docstring. The options' ``timeout`` and ``jobs`` as for :func:`clean_paths`.
    """
    settings = options_for(options, **values)
    inputs = discovery.discover(as_list(paths))
    yield from _cleaned(learn_sites(Reader(settings), inputs, settings.jobs), inputs, stdin)


def clean_paths(
    paths: Sequence[str | Path],
    out_dir: str | Path | None = None,
    *,
    report_path: str | Path | None = None,
    stdin: BinaryIO | None = None,
    on_start: Callable[[int], None] | None = None,
    on_input: Callable[[str], None] | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    keep_results: bool = True,
    options: Options | None = None,
    **values: Any,
) -> RunSummary:
    """Clean every input under ``paths`` into ``out_dir`` and write the report; see :mod:`cleaner.outputs.files`.

    ``out_dir`` defaults to ``<DIR>.clean`` beside a single input folder; ``report_path`` to
    ``OUT/report.jsonl`` (one JSON record per input, failed ones included). A bad input is
    recorded and skipped; an unsafe or unwritable output folder or report raises
    :class:`~cleaner.outputs.files.OutputError` before anything is written. ``on_start`` gets the
    number of inputs found, ``on_input`` each input's path before its outcome is handled, and
    ``on_outcome`` its :class:`Outcome` after (e.g. a progress bar, errors as they happen).
    The options (``options=`` and keyword arguments over it): ``site_repetition`` learns what
    recurs across the pages of each site first (see the module docstring); ``timeout``: seconds
    one input may take (see :func:`cleaner.runs.one.clean_input`); ``jobs``: worker processes
    cleaning inputs (``0``: every core); outputs, report and callbacks are the same bytes, in the
    same order, whatever the number. ``skip_existing``: an input whose output file already exists
    is not cleaned again (resuming a stopped run); its record is the one the report already there
    holds for it, if that still fits (see :class:`~cleaner.runs.resume.EarlierReport`), else a
    ``skipped`` record saying why. Interrupted (:class:`KeyboardInterrupt`, raised again), the run
    still writes the report of the inputs it finished, and the earlier records of those it did not
    reach. ``keep_results=False`` keeps no :class:`CleanResult` in the summary's outcomes, so
    memory stays flat over any number of inputs (the totals are kept either way).
    """
    settings = options_for(options, **values)
    paths = as_list(paths)
    inputs = discovery.discover(paths)
    if all(item.error is not None for item in inputs):
        return _report_only_errors(inputs, on_outcome)
    plan = _plan(paths, inputs, out_dir, report_path)
    files.make_dir(plan.out_dir)
    done = {item.path for item in inputs if settings.skip_existing and output_exists(plan.outputs.get(item.path))}
    todo = [item for item in inputs if item.path not in done]
    read = learn_sites(Reader(settings), todo, settings.jobs)
    summary = RunSummary(out_dir=plan.out_dir, report=plan.report, sites=read.site_pages(), keep_results=keep_results)
    if on_start is not None:
        on_start(len(inputs))
    earlier = EarlierReport(plan.report if settings.skip_existing else None)
    writing = _Writing(plan, earlier, provenance(settings), summary, on_input, on_outcome)
    with closing(_cleaned(read, todo, stdin)) as cleaned, closing(earlier):
        writing.run(inputs, done, cleaned)
    return summary


def _cleaned(read: Reader, inputs: Sequence[discovery.Input], stdin: BinaryIO | None) -> Iterator[Outcome]:
    """Pass 2: each input's outcome, in input order, from ``jobs`` worker processes."""
    settings = read.options
    return parallel.ordered_map(
        clean_task, tasks(inputs, stdin, settings.size_limit), parallel.workers(settings.jobs, len(inputs)),
        state=read, on_death=task_died, timeout=settings.timeout, on_timeout=read.timed_out,
    )


@dataclass
class _Writing:
    """Writes each input's output and report line, in input order, as the outcomes arrive."""

    plan: _Plan
    earlier: EarlierReport
    stamp: Mapping[str, str]
    summary: RunSummary
    on_input: Callable[[str], None] | None
    on_outcome: Callable[[Outcome], None] | None

    def run(self, inputs: Sequence[discovery.Input], done: set[str], cleaned: Iterator[Outcome]) -> None:
        """Settle every input; ``done`` ones (output exists, skipped) take no outcome from ``cleaned``."""
        written, interrupted = 0, None  # inputs whose record is written; the stop that ended the loop
        with files.atomic_open(self.plan.report) as report_stream:
            try:
                for item in inputs:
                    if self.on_input is not None:
                        self.on_input(item.path)
                    cleaned_item = None if item.path in done else next(cleaned)
                    with files.stop_signals_held():  # an output and its record are written together, or neither
                        outcome = self.settle(item, cleaned_item, report_stream)
                        written += 1
                    self.summary.add(outcome)
                    if self.on_outcome is not None:
                        self.on_outcome(outcome)
            except KeyboardInterrupt as stop:  # Ctrl-C, or SIGTERM/SIGHUP (errors.Stopped)
                # The report is kept with what is done, and the earlier records of the inputs not reached
                # whose outputs are still there: --skip-existing then resumes without losing a record.
                interrupted = stop
                carry_over(report_stream, inputs[written:], self.plan.outputs, self.earlier.reopen(self.plan.report))
        if interrupted is not None:
            raise interrupted

    def settle(self, item: discovery.Input, cleaned: Outcome | None, report_stream: BinaryIO) -> Outcome:
        """Write one input's output (``cleaned``; ``None``: skipped, its output exists) and its report line."""
        if cleaned is None:
            outcome, line = skipped(item, self.plan.outputs[item.path], self.earlier, self.stamp)
        else:
            outcome = _write_output(item, cleaned, self.plan)
            line = report.dumps({**outcome.record(), **self.stamp}).encode("utf-8")
        report_stream.write(line)
        return outcome


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

"""What each ``clean`` run does: one library call (:mod:`cleaner.runs`) with the options, then printing.

:func:`dispatch` picks the run from the arguments: a corpus into JSON Lines, one page onto
standard output (or ``-o FILE``), pages into a folder, ``--diff``, ``--explain``, or a review
of a corpus run's output (``--from``).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, BinaryIO, cast

from cleaner.cli import progress
from cleaner.cli.arguments import (
    COMPRESS_PAGES,
    NO_CORPUS_REVIEW,
    Args,
    ColorMode,
    DiffFormat,
    UsageProblem,
    build_options,
    is_corpus_run,
    options_module,
    page_out_file,
    reviews,
)
from cleaner.cli.console import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    PROG,
    Stdout,
    error,
    messages_via,
    notes,
    shown,
    write_stdout,
)
from cleaner.cli.progress import CorpusProgress, FolderProgress
from cleaner.cli.summaries import print_config, print_corpus_summary, print_summary
from cleaner.errors import InputError
from cleaner.inputs.decoding import STDIN

if TYPE_CHECKING:
    from cleaner.options import Options
    from cleaner.outputs.report import Outcome

__all__ = ["dispatch", "print_detectors", "use_color"]


def dispatch(args: Args) -> int:
    try:
        options = build_options(args)
    except UsageProblem as problem:
        error(f"{problem} (see {PROG} --help)")
        return EXIT_USAGE
    except options_module().ConfigError as err:
        error(str(err))
        return EXIT_USAGE
    if not _model_ok(options):
        return EXIT_FAILED
    if STDIN in args.paths and sys.stdin is None:  # clean - <&-
        error("<stdin>: standard input is closed")
        return EXIT_FAILED
    if args.from_output is not None:
        return _from_output(args)
    if is_corpus_run(args.paths):
        return _corpus(args, options)
    page_out = page_out_file(args)
    stdin: BinaryIO | None = None
    if args.paths == [STDIN]:  # a corpus on standard input, with or without -o, is told by its bytes
        stdin, kind = _sniff_stdin()
        if kind is not None and reviews(args):
            error(f"{NO_CORPUS_REVIEW} (see {PROG} --help)")
            return EXIT_USAGE
        if kind is not None:
            return _corpus(args, options, stdin)
    if args.compress is not None:  # standard input held no corpus: pages are never compressed by --compress
        error(f"{COMPRESS_PAGES} (see {PROG} --help)")
        return EXIT_USAGE
    if args.explain:
        return _explain(args.paths[0], args.lines, options, stdin)
    if args.diff:
        return _diff(args, options, stdin)
    if not _review_target_ok(args.review, args.paths):
        return EXIT_FAILED
    if (args.out is None or page_out) and len(args.paths) == 1 and not Path(args.paths[0]).is_dir():
        return _to_stdout(args, options, stdin, out=page_out)
    return _to_folder(args, options, stdin)


def _model_ok(options: Options) -> bool:
    """Read the content model before any page: a missing or incompatible file is one line, not a failure a page."""
    from cleaner.detectors.forest import ModelFileError

    try:
        options_module().model_version(options)
    except ModelFileError as err:
        error(f"content model: {err} (reinstall cleaner, or --skip main-body)")
        return False
    return True


def _sniff_stdin() -> tuple[BinaryIO, str | None]:
    """Standard input, decompressed, and ``"warc"``/``"jsonl"`` when it is a corpus (``zcat x.wet.gz | clean -``)."""
    from cleaner.inputs import corpus
    from cleaner.inputs.compression import open_decompressed, peek_head

    try:
        stream = open_decompressed(sys.stdin.buffer)
        head, stream = peek_head(stream, corpus.SNIFF_BYTES)
    except InputError:
        return sys.stdin.buffer, None  # damaged compression: the page reader reports it
    kind = corpus.sniff_corpus(head)
    if kind == corpus.JSONL and not _first_line_is_json(head):
        return stream, None  # a page that merely starts with {"
    return stream, kind


def _first_line_is_json(head: bytes) -> bool:
    line, newline, _ = head.partition(b"\n")
    if not newline:
        return True  # a first line longer than the sniffed bytes: only its start can be judged
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False
    except RecursionError:
        return True  # JSON nested too deeply: a corpus line, which the corpus reader reports


def _to_stdout(args: Args, options: Options, stdin: BinaryIO | None = None, *, out: Path | None = None) -> int:
    """Clean one page onto standard output, or into the file ``out`` (``-o FILE``)."""
    from cleaner.options import provenance
    from cleaner.runs.folder import write_report
    from cleaner.runs.one import clean_input_isolated, write_page
    from cleaner.runs.resume import SKIPPED_EXISTING

    path, report_path = args.paths[0], args.report

    if out is not None and not _page_output_ok(path, out, report_path):
        return EXIT_FAILED
    if out is not None and options.skip_existing and out.is_file():  # its report, if any, is left as it was
        if not args.quiet:
            error(f"{out}: skipped: {SKIPPED_EXISTING}")
        return EXIT_OK
    outcome = clean_input_isolated(path, stdin=stdin, options=options)
    if out is not None and outcome.result is not None:  # written first, so that the report can name it
        try:
            write_page(out, outcome.result.text)
        except InputError as err:
            error(str(err))
            return EXIT_FAILED
        outcome.output = out
    if report_path is not None:
        try:
            write_report(report_path, [outcome], provenance(options))
        except InputError as err:
            error(str(err))
            return EXIT_FAILED
    if not _write_review(args, [outcome], [path], [p for p in (report_path, out) if p is not None]):
        return EXIT_FAILED
    if outcome.result is None:
        error(f"{shown(outcome.path)}: {outcome.error}")
        return EXIT_FAILED
    if out is None:
        write_stdout(outcome.result.text)
    notes(outcome, args.quiet)
    return EXIT_OK


def _page_output_ok(path: str, out: Path, report_path: Path | None) -> bool:
    """Refuse an ``-o FILE`` over the input or over the report, before any work (one error line)."""
    from cleaner.inputs import discovery
    from cleaner.outputs import files

    try:
        files.check_targets([], [discovery.Input(path, PurePosixPath(Path(path).name))], [out])
        if report_path is not None and report_path.resolve() == out.resolve():
            raise files.OutputError(f"{report_path}: the report would overwrite the output {out}")
    except InputError as err:
        error(str(err))
        return False
    return True


def _to_folder(args: Args, options: Options, stdin: BinaryIO | None = None) -> int:
    """Clean pages into a folder (``-o OUT``, or ``DIR.clean/``) with their report."""
    from cleaner.runs.folder import clean_paths

    paths = args.paths
    bar = FolderProgress(enabled=not args.quiet and progress.stderr_is_terminal())

    def done(outcome: Outcome) -> None:
        bar.advance()
        if not outcome.ok:
            error(f"{shown(outcome.path)}: {outcome.error}")
        notes(outcome, args.quiet)

    started = time.perf_counter()
    try:
        with messages_via(bar):
            summary = clean_paths(
                paths, args.out, report_path=args.report, stdin=stdin, on_start=bar.start, on_input=bar.begin,
                on_outcome=done, keep_results=args.review is not None, options=options,
            )
    except InputError as err:
        error(str(err))
        return EXIT_FAILED
    if not args.quiet and summary.out_dir is not None:
        print_summary(summary, time.perf_counter() - started)
        print_config(options)
    if not _write_review(args, summary.outcomes, paths, [summary.report] if summary.report is not None else []):
        return EXIT_FAILED
    return EXIT_OK if summary.ok else EXIT_FAILED


def _corpus(args: Args, options: Options, stdin: BinaryIO | None = None) -> int:
    """Clean corpus files into JSONL (``clean crawl.warc.wet.gz > clean.jsonl``)."""
    from cleaner.inputs import corpus
    from cleaner.runs.corpus import clean_corpus

    if reviews(args):
        error(f"{NO_CORPUS_REVIEW} (see {PROG} --help)")
        return EXIT_USAGE
    bar = CorpusProgress(enabled=not args.quiet and progress.stderr_is_terminal())

    def done(record: dict[str, object]) -> None:
        bar.document(shown(str(record.get("source"))))
        if "error" in record:
            error(f"{record.get('source')}#{record.get('position')} ({record.get('id')}): {record['error']}")

    reading = corpus.CorpusOptions(text_key=args.text_key, id_key=args.id_key, url_key=args.url_key,
                                   max_bytes=options.size_limit)
    started = time.perf_counter()
    try:
        with messages_via(bar):
            bar.start()
            summary = clean_corpus(
                args.paths, args.out, reading=reading, compression=args.compress, spans=args.spans,
                drop_empty=args.drop_empty, stdin=stdin, stdout=cast(BinaryIO, Stdout(sys.stdout.buffer)),
                on_document=done, options=options,
            )
    except InputError as err:
        error(str(err))
        return EXIT_FAILED
    Stdout(sys.stdout.buffer).flush()  # a zstd stream ends without flushing: fail here, not at exit
    for message in summary.errors:
        error(message)
    if not args.quiet:
        print_corpus_summary(summary, time.perf_counter() - started)
        print_config(options)
    return EXIT_OK if summary.ok else EXIT_FAILED


def _explain(path: str, lines: Sequence[int], options: Options, stdin: BinaryIO | None = None) -> int:
    """Print why each line in ``lines`` of ``path`` is kept or removed (``--explain --line N``)."""
    from cleaner.explain import LineOutOfRange, format_explanation
    from cleaner.runs.one import explain_file

    try:
        explained = explain_file(path, lines, stdin=stdin, options=options)
    except InputError as err:
        error(str(err))
        return EXIT_FAILED
    except LineOutOfRange as err:
        error(f"--line: {err}")
        return EXIT_USAGE
    write_stdout("\n".join(format_explanation(explanation, shown(path)) for explanation in explained))
    return EXIT_OK


def _diff(args: Args, options: Options, stdin: BinaryIO | None = None) -> int:
    """Print each input's review (``--diff``), or its unified diff, without writing anything."""
    from cleaner.outputs import diff as diffs
    from cleaner.outputs import terminal
    from cleaner.runs.folder import iter_outcomes

    paths, color, diff_format = args.paths, use_color(args.color), args.diff_format or DiffFormat.review

    several = len(paths) > 1 or any(path != STDIN and Path(path).is_dir() for path in paths)
    width = terminal.terminal_width()
    failed = False
    printed = 0
    for outcome in iter_outcomes(paths, stdin=stdin, options=options):
        if outcome.result is None:
            error(f"{shown(outcome.path)}: {outcome.error}")
            failed = True
            continue
        if diff_format is DiffFormat.unified:  # its ---/+++ lines name the input: no header
            diff = diffs.unified_diff(outcome.result, "stdin" if outcome.path == STDIN else outcome.path)
            write_stdout(terminal.render_unified(diff, color=color))
        else:
            header = ("\n" if printed else "") + f"==> {outcome.path} <==\n" if several else ""
            write_stdout(terminal.render_review(outcome.result, color=color, width=width, header=header))
        printed += 1
        notes(outcome, args.quiet)
    return EXIT_FAILED if failed else EXIT_OK


def _from_output(args: Args) -> int:
    """``--review HTML --from OUT.jsonl`` or ``--diff --from OUT.jsonl --id ID``: a corpus run, reviewed."""
    from cleaner.outputs import review

    assert args.from_output is not None
    source = args.from_output
    if args.diff:
        return _diff_records(source, args.ids, use_color(args.color), args.diff_format or DiffFormat.review)
    assert args.review is not None
    try:
        review.check_review_target(args.review, [source])
    except InputError as err:
        error(str(err))
        return EXIT_FAILED
    try:
        drawn = review.sample_output(source, args.sample or review.DEFAULT_SAMPLE, args.seed or 0)
    except InputError as err:
        error(f"{source}: {err}")
        return EXIT_FAILED
    try:
        review.write_review(args.review, drawn.outcomes, input_paths=[source], title=drawn.title(source))
    except InputError as err:
        error(str(err))
        return EXIT_FAILED
    if not args.quiet:
        error(f"review page: {args.review} ({len(drawn.outcomes)} of {drawn.total} records)")
    return EXIT_OK


def _diff_records(source: Path, ids: Sequence[str], color: bool, diff_format: DiffFormat) -> int:
    """Print the review (or unified diff) of each record of ``source`` whose id is in ``ids``, in file order."""
    from cleaner.outputs import corpus_output, terminal
    from cleaner.outputs import diff as diffs

    found: set[str] = set()
    failed = False
    try:
        for rec in corpus_output.records_with_ids(source, ids):
            found.add(rec["id"])
            name = f"{rec['source']}#{rec['position']}"
            if "error" in rec:
                error(f"{name} ({rec['id']}): {rec['error']}")
                failed = True
                continue
            result = corpus_output.result_from_output(rec)
            if diff_format is DiffFormat.unified:
                write_stdout(terminal.render_unified(diffs.unified_diff(result, name), color=color))
            else:
                header = f"==> {name} {rec['id']} <==\n" if len(ids) > 1 else ""
                write_stdout(terminal.render_review(result, color=color, width=terminal.terminal_width(),
                                                     header=header))
    except InputError as err:
        error(f"{source}: {err}")
        return EXIT_FAILED
    for missing in (wanted_id for wanted_id in ids if wanted_id not in found):
        error(f"{source}: no record with id {missing!r}")
        failed = True
    return EXIT_FAILED if failed else EXIT_OK


def _review_target_ok(target: Path | None, paths: Sequence[str]) -> bool:
    """Refuse a --review path over an input or inside an input folder before any work is done."""
    from cleaner.outputs import review

    try:
        if target is not None:
            review.check_review_target(target, paths)
    except InputError as err:
        error(str(err))
        return False
    return True


def _write_review(args: Args, outcomes: Sequence[Outcome], paths: Sequence[str], keep: Sequence[Path]) -> bool:
    """Write the --review page, if asked; False (after one error line) when it cannot be written."""
    from cleaner.outputs import review

    if args.review is None:
        return True
    try:
        review.write_review(args.review, outcomes, input_paths=paths, keep=keep)
    except InputError as err:
        error(str(err))
        return False
    if not args.quiet:
        error(f"review page: {args.review}")
    return True


def print_detectors() -> int:
    from cleaner.runs.page import list_detectors

    infos = list_detectors()
    width = max(len(info.name) for info in infos)
    lines = []
    for info in infos:
        lines.append(f"{info.name:<{width}}  {info.summary}".rstrip() + "\n")
        lines.extend(f"  {rule.code:<{width}}  {rule.summary}\n" for rule in info.rules)
    write_stdout("".join(lines))
    return EXIT_OK


def use_color(mode: ColorMode) -> bool:
    if mode is not ColorMode.auto:
        return mode is ColorMode.always
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")

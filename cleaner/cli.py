"""The ``clean`` command: parses options, calls one function of :mod:`cleaner.api`, prints.

Standard output carries only clean text (or the ``--diff`` review, or ``--list-detectors``);
every message goes to standard error, one line each, as ``clean: PATH: reason``.

Exit codes: 0 every input cleaned; 1 some input failed (the others are still written) or
the output cannot be written; 2 usage error; 130 interrupted; 141 standard output closed
early (e.g. ``clean - < page.txt | head -1``; nothing is printed about it).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cleaner import __version__, api, report
from cleaner.decoding import STDIN, check_encoding, parse_size
from cleaner.errors import InputError
from cleaner.output import TEXT_SUFFIXES

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_PIPE = 0, 1, 2, 130, 141
PROG = "clean"
_CHUNK = 1 << 16

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class ColorMode(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


class Favor(StrEnum):
    precision = "precision"
    balanced = "balanced"
    recall = "recall"


class UsageProblem(Exception):
    """A bad combination of arguments: one line on stderr, exit code 2."""


@dataclass(frozen=True)
class Options:
    max_bytes: int
    encoding: str | None
    quiet: bool
    favor: str = "balanced"
    keep_title: bool = True
    site_repetition: bool = True


def _version(value: bool) -> None:
    if value:
        typer.echo(f"{PROG} {__version__}")
        raise typer.Exit()


@app.command(
    help=(
        "Strip boilerplate (menus, footers, ads, comments...) from plain-text dumps of web pages "
        "and report exactly what was removed and why.\n\n"
        "clean FILE or clean - (standard input) prints the clean text. "
        f"clean DIR cleans every {' and '.join(TEXT_SUFFIXES)} file under DIR (hidden files and folders "
        "skipped) into DIR.clean/ beside it, or into -o OUT, mirroring the folder layout, and writes "
        "OUT/report.jsonl: one JSON record per input, failed ones included."
    ),
    epilog="Exit status: 0 all inputs cleaned, 1 some input failed, 2 usage error, 130 interrupted, "
    "141 output pipe closed.",
)
def clean(
    paths: Annotated[
        list[str] | None,
        typer.Argument(metavar="PATH", help="Text files, folders, or - for standard input.", show_default=False),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("-o", "--output", metavar="OUT", help="Write <stem>.txt files into this folder."),
    ] = None,
    report_path: Annotated[
        Path | None,
        typer.Option(
            "--report", metavar="PATH",
            help="Write the JSON Lines report here (one record per input; default for folders: OUT/report.jsonl).",
        ),
    ] = None,
    diff: Annotated[
        bool, typer.Option("--diff", metavar="", help="Print each line with the detector and rule that removed it.")
    ] = False,
    list_detectors: Annotated[
        bool, typer.Option("--list-detectors", metavar="", help="List the detectors and their rule codes, then exit.")
    ] = False,
    encoding: Annotated[
        str | None,
        typer.Option("--encoding", metavar="NAME", help="Decode inputs with this codec instead of detecting it."),
    ] = None,
    max_size: Annotated[
        str, typer.Option("--max-size", metavar="SIZE", help="Refuse inputs larger than this (K/M/G = KiB/MiB/GiB).")
    ] = "20M",
    favor: Annotated[
        Favor,
        typer.Option(
            "--favor", help="Cut more at the article's edges (precision) or keep more around it (recall)."
        ),
    ] = Favor.balanced,
    title: Annotated[
        bool,
        typer.Option(
            "--title/--no-title",
            help="Keep the headline as the first line of the text (--no-title: only in the metadata and report).",
        ),
    ] = True,
    site_repetition: Annotated[
        bool,
        typer.Option(
            "--site-repetition/--no-site-repetition",
            help="With 3+ pages of one site (same folder, or same URL host on the first line), also remove lines "
            "and blocks that recur across its pages (--no-site-repetition: clean every page alone).",
        ),
    ] = True,
    color: Annotated[
        ColorMode, typer.Option("--color", help="Colour the --diff review (auto: on a terminal, unless NO_COLOR).")
    ] = ColorMode.auto,
    quiet: Annotated[
        bool, typer.Option("-q", "--quiet", metavar="", help="No summary and no notes; errors only.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", metavar="", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    args = Args(paths or [], out, report_path, diff, encoding, max_size, color, quiet, favor, title, site_repetition)
    with _guard():
        code = _list_detectors() if list_detectors else _dispatch(args)
    raise typer.Exit(code)


@dataclass(frozen=True)
class Args:
    paths: list[str]
    out: Path | None
    report: Path | None
    diff: bool
    encoding: str | None
    max_size: str
    color: ColorMode
    quiet: bool
    favor: Favor = Favor.balanced
    title: bool = True
    site_repetition: bool = True


def _dispatch(args: Args) -> int:
    try:
        options = _options(args)
    except UsageProblem as problem:
        _error(f"{problem} (see {PROG} --help)")
        return EXIT_USAGE
    if args.diff:
        return _diff(args.paths, options, _use_color(args.color))
    if args.out is None and len(args.paths) == 1 and not Path(args.paths[0]).is_dir():
        return _to_stdout(args.paths[0], args.report, options)
    return _to_folder(args.paths, args.out, args.report, options)


def _options(args: Args) -> Options:
    """Check the combination of arguments (:class:`UsageProblem`) and parse the values."""
    if not args.paths:
        raise UsageProblem("missing PATH: a file, a folder, or - for standard input")
    if STDIN in args.paths and len(args.paths) > 1:
        raise UsageProblem("- (standard input) cannot be combined with other inputs")
    if args.diff and (args.out is not None or args.report is not None):
        raise UsageProblem("--diff only prints the review; it cannot be combined with -o or --report")
    if args.out is None and not args.diff and len(args.paths) > 1:
        raise UsageProblem("several inputs need an output folder: -o OUT")
    try:
        max_bytes = parse_size(args.max_size)
        codec = check_encoding(args.encoding) if args.encoding is not None else None
    except ValueError as err:
        raise UsageProblem(f"--max-size: {err}") from None
    except LookupError as err:
        raise UsageProblem(f"--encoding: {err}") from None
    return Options(max_bytes, codec, args.quiet, args.favor.value, args.title, args.site_repetition)


def _to_stdout(path: str, report_path: Path | None, options: Options) -> int:
    outcome = api.clean_input(
        path, max_bytes=options.max_bytes, encoding=options.encoding, favor=options.favor,
        keep_title=options.keep_title,
    )
    if report_path is not None:
        try:
            api.write_report(report_path, [outcome])
        except InputError as err:
            _error(str(err))
            return EXIT_FAILED
    if outcome.result is None:
        _error(f"{_shown(outcome.path)}: {outcome.error}")
        return EXIT_FAILED
    _write_stdout(outcome.result.text)
    _notes(outcome, options)
    return EXIT_OK


def _to_folder(paths: Sequence[str], out: Path | None, report_path: Path | None, options: Options) -> int:
    def progress(outcome: api.Outcome) -> None:
        if not outcome.ok:
            _error(f"{_shown(outcome.path)}: {outcome.error}")
        _notes(outcome, options)

    try:
        summary = api.clean_paths(
            paths, out, report_path=report_path, max_bytes=options.max_bytes, encoding=options.encoding,
            on_outcome=progress, favor=options.favor, keep_title=options.keep_title,
            site_repetition=options.site_repetition,
        )
    except InputError as err:
        _error(str(err))
        return EXIT_FAILED
    if not options.quiet and summary.out_dir is not None:
        _print_summary(summary)
    return EXIT_OK if summary.ok else EXIT_FAILED


def _diff(paths: Sequence[str], options: Options, color: bool) -> int:
    several = len(paths) > 1 or any(path != STDIN and Path(path).is_dir() for path in paths)
    failed = False
    shown = 0
    for outcome in api.iter_outcomes(
        paths, max_bytes=options.max_bytes, encoding=options.encoding, favor=options.favor,
        keep_title=options.keep_title, site_repetition=options.site_repetition,
    ):
        if outcome.result is None:
            _error(f"{_shown(outcome.path)}: {outcome.error}")
            failed = True
            continue
        header = ("\n" if shown else "") + f"==> {outcome.path} <==\n" if several else ""
        shown += 1
        if color:
            _print_review_color(header, outcome.result)
        else:
            _write_stdout(header + report.format_review(outcome.result))
        _notes(outcome, options)
    return EXIT_FAILED if failed else EXIT_OK


def _print_review_color(header: str, result: api.CleanResult) -> None:
    console = Console(force_terminal=True, color_system="standard", highlight=False, soft_wrap=True, emoji=False)
    with console.capture() as captured:
        if header:
            console.print(Text(header.rstrip("\n"), style="bold"))
        rows = report.review(result)
        layout = report.ReviewLayout.of(rows)
        for row in rows:
            gutter, text = report.row_parts(row, layout)
            if row.removed:
                console.print(Text(gutter + text, style="red"))
                continue
            line = Text(gutter, style="dim") + Text(text)
            for edit in row.edits:
                line.stylize("red reverse", len(gutter) + edit.start, len(gutter) + edit.end)
            console.print(line)
            for edit in row.edits:
                console.print(Text("".join(report.edit_parts(edit, layout)), style="red"))
    _write_stdout(captured.get())  # written by us: a closed pipe ends the run like everywhere else


def _list_detectors() -> int:
    infos = api.list_detectors()
    width = max(len(info.name) for info in infos)
    lines = []
    for info in infos:
        lines.append(f"{info.name:<{width}}  {info.summary}".rstrip() + "\n")
        lines.extend(f"  {rule.code:<{width}}  {rule.summary}\n" for rule in info.rules)
    _write_stdout("".join(lines))
    return EXIT_OK


def _print_summary(summary: api.RunSummary) -> None:
    console = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
    files = f"{summary.files_cleaned} files cleaned, {summary.files_failed} failed"
    console.print(Text(f"{PROG}: {files} -> {summary.out_dir}/ (report: {summary.report})"))
    console.print(
        Text(f"{PROG}: {summary.lines_total} lines: {summary.lines_kept} kept, {summary.lines_removed} removed")
    )
    if summary.sites:
        learned = ", ".join(f"{label} ({pages} pages)" for label, pages in summary.sites.items())
        console.print(Text(f"{PROG}: site repetition learned from {learned}"))
    if summary.removals:
        console.print(_removals_table(summary))


def _removals_table(summary: api.RunSummary) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("detector")
    table.add_column("lines removed", justify="right")
    table.add_column("rules (spans)")
    rules = summary.rules
    for detector, lines in summary.removals.items():
        by_rule = ", ".join(f"{rule} {count}" for (name, rule), count in sorted(rules.items()) if name == detector)
        table.add_row(detector, str(lines), by_rule)
    return table


def _notes(outcome: api.Outcome, options: Options) -> None:
    if not options.quiet:
        for note in outcome.notes:
            _error(f"{_shown(outcome.path)}: note: {note}")


def _use_color(mode: ColorMode) -> bool:
    if mode is not ColorMode.auto:
        return mode is ColorMode.always
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _shown(path: str) -> str:
    return "<stdin>" if path == STDIN else path


def _error(message: str) -> None:
    typer.echo(f"{PROG}: {message}", err=True)


def _write_stdout(text: str) -> None:
    """Write ``text`` as UTF-8, line endings untouched."""
    sys.stdout.flush()
    data = text.encode("utf-8")
    for start in range(0, len(data), _CHUNK):  # small writes: a closed pipe is noticed at once
        sys.stdout.buffer.write(data[start:start + _CHUNK])
    sys.stdout.buffer.flush()


@contextmanager
def _guard() -> Iterator[None]:
    """Ctrl-C: one line, exit 130. Reader gone (``| head``): quiet exit 141, no traceback."""
    try:
        yield
    except KeyboardInterrupt:
        _error("interrupted")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except BrokenPipeError:
        _silence_stdout()
        raise typer.Exit(EXIT_PIPE) from None


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (tests): nothing to protect


def main() -> None:
    """Console-script entry point (``clean``)."""
    app(prog_name=PROG)

"""The ``clean`` command: parses options, calls one function of :mod:`cleaner.api`, prints.

Standard output carries only clean text (or the ``--diff`` review, ``--explain``, or ``--list-detectors``);
every message goes to standard error, one line each, as ``clean: PATH: reason``.

Exit codes: 0 every input cleaned; 1 some input failed (the others are still written) or
the output cannot be written; 2 usage error; 130 interrupted; 143/129 stopped by SIGTERM/SIGHUP;
141 standard output closed early (e.g. ``clean - < page.txt | head -1``; nothing is printed about it).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import TYPE_CHECKING, Annotated, BinaryIO, cast

import typer
from rich.console import Console
from rich.text import Text

from cleaner import progress
from cleaner.errors import InputError, Stopped
from cleaner.inputs.decoding import DEFAULT_MAX_BYTES, STDIN, check_encoding, parse_size
from cleaner.inputs.discovery import INPUT_SUFFIXES
from cleaner.outputs.files import printable
from cleaner.progress import CorpusProgress, FolderProgress

# The rest of the package (the detectors, lxml, trafilatura, py3langid...) is imported by the
# functions that use it, so `clean --help` and usage errors answer at once.
if TYPE_CHECKING:
    from rich.table import Table

    from cleaner import api
    from cleaner.config import Config

__all__ = [
    "Args",
    "ColorMode",
    "Compression",
    "DiffFormat",
    "Favor",
    "Options",
    "StdoutFailed",
    "UsageProblem",
    "app",
    "clean",
    "main",
]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_PIPE = 0, 1, 2, 130, 141
DEFAULT_TIMEOUT = 30.0  # seconds one input may take: a pathological page fails alone instead of stalling a run
MAX_TIMEOUT = 1e9  # seconds (31 years): the interval timer overflows near 1e11 (OverflowError per input)
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


class DiffFormat(StrEnum):
    review = "review"
    unified = "unified"


class Compression(StrEnum):
    gzip = "gzip"
    zstd = "zstd"
    none = "none"


class Favor(StrEnum):
    precision = "precision"
    balanced = "balanced"
    recall = "recall"


class UsageProblem(Exception):
    """A bad combination of arguments: one line on stderr, exit code 2."""


class StdoutFailed(Exception):
    """Standard output refused a write (full disk, closed descriptor); ``str()`` is the reason. Exit code 1."""


@dataclass(frozen=True)
class Options:
    max_bytes: int
    encoding: str | None
    quiet: bool
    favor: str = "balanced"
    keep_title: bool = True
    site_repetition: bool = True
    review: Path | None = None  # --review: also write the HTML review page here
    timeout: float | None = DEFAULT_TIMEOUT  # --timeout: seconds one input may take (None: no limit)
    jobs: int = 0  # --jobs: worker processes (0: every core)
    skip_existing: bool = False
    config: Config = field(default_factory=lambda: _config().Config())  # config file, then options over it


def _config() -> ModuleType:
    """:mod:`cleaner.config`, imported when first needed (it loads the detectors)."""
    from cleaner import config

    return config


def _version(value: bool) -> None:
    if value:
        from cleaner.version import __version__

        typer.echo(f"{PROG} {__version__}")
        raise typer.Exit()


@app.command(
    help=(
        "Strip boilerplate (menus, footers, ads, comments...) from plain-text dumps of web pages, or from "
        "their HTML, and report exactly what was removed and why.\n\n"
        "clean FILE or clean - (standard input) prints the clean text (-o FILE writes it there); HTML is "
        "recognised by its content. "
        f"clean DIR cleans every {', '.join(INPUT_SUFFIXES)} file under DIR (hidden files and folders "
        "skipped) into DIR.clean/ beside it, or into -o OUT, mirroring the folder layout, and writes "
        "OUT/report.jsonl: one JSON record per input, failed ones included.\n\n"
        "Corpora: WARC, WET and JSONL files (.warc, .wet, .jsonl, .ndjson, each maybe .gz or .zst; .json.gz; "
        "folders of them; or - when standard input holds one) are cleaned into JSON Lines, one line per "
        "document, on standard output (a folder: into DIR.clean/) or into -o OUT; see --text-key, --id-key, "
        "--compress, --spans."
    ),
    epilog="Exit status: 0 all inputs cleaned, 1 some input failed, 2 usage error, 130 interrupted, "
    "143/129 stopped by SIGTERM/SIGHUP, 141 output pipe closed.",
)
def clean(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PATH", help="Pages (text, HTML), corpora (WARC, WET, JSONL), folders, or - for standard input.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        str | None,
        typer.Option(
            "-o", "--output", metavar="OUT",
            help="One page: the clean text file (.gz/.zst compressed). Folders, several inputs, or a name ending "
            "in /: the folder for the <stem>.txt files. Corpora: a .jsonl(.gz/.zst) file or a folder.",
        ),
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
    diff_format: Annotated[
        DiffFormat | None,
        typer.Option(
            "--diff-format", show_default=False,
            help="With --diff: review (default; line numbers, detector and rule, legend) or unified "
            "(a unified diff from each input to its clean text, for patch).",
        ),
    ] = None,
    review: Annotated[
        Path | None,
        typer.Option(
            "--review", metavar="HTML",
            help="Also write a self-contained HTML review page: an index of the inputs, and each page with its "
            "removed spans highlighted by detector and rule.",
        ),
    ] = None,
    from_output: Annotated[
        Path | None,
        typer.Option(
            "--from", metavar="OUT.jsonl",
            help="Review a corpus run from its JSONL output (.gz/.zst too) instead of cleaning: with --review HTML "
            "(a seeded sample of --sample records) or --diff --id ID.",
        ),
    ] = None,
    sample: Annotated[
        int | None,
        typer.Option(
            "--sample", metavar="N",
            help="With --review --from: at most N records, a seeded random sample (default 200).",
            show_default=False,
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option("--seed", metavar="S", help="With --review --from: the sample's seed (default 0).",
                     show_default=False),
    ] = None,
    record_ids: Annotated[
        list[str] | None,
        typer.Option("--id", metavar="ID", help="With --diff --from: the record to show (repeatable).",
                     show_default=False),
    ] = None,
    list_detectors: Annotated[
        bool, typer.Option("--list-detectors", metavar="", help="List the detectors and their rule codes, then exit.")
    ] = False,
    encoding: Annotated[
        str | None,
        typer.Option("--encoding", metavar="NAME", help="Decode inputs with this codec instead of detecting it."),
    ] = None,
    max_size: Annotated[
        str | None,
        typer.Option(
            "--max-size", metavar="SIZE", help="Refuse inputs larger than this (K/M/G = KiB/MiB/GiB; default 20M)."
        ),
    ] = None,
    favor: Annotated[
        Favor | None,
        typer.Option(
            "--favor",
            help="Cut more at the article's edges (precision) or keep more around it (recall; default: balanced).",
        ),
    ] = None,
    title: Annotated[
        bool | None,
        typer.Option(
            "--title/--no-title", metavar="",
            help="Keep the headline as the first line of the text (--no-title: only in the metadata and report).",
            show_default=False,
        ),
    ] = None,
    site_repetition: Annotated[
        bool | None,
        typer.Option(
            "--site-repetition/--no-site-repetition", metavar="",
            help="With 3+ pages of one site (same folder, or same URL host on the first line), also remove lines "
            "and blocks that recur across its pages (--no-site-repetition: clean every page alone).",
            show_default=False,
        ),
    ] = None,
    only: Annotated[
        list[str] | None,
        typer.Option(
            "--only", metavar="NAME",
            help="Run only these detectors (repeat, or NAME,NAME; names: --list-detectors). Replaces the config's.",
            show_default=False,
        ),
    ] = None,
    skip: Annotated[
        list[str] | None,
        typer.Option(
            "--skip", metavar="NAME",
            help="Switch these detectors off (repeat, or NAME,NAME; site-repetition too). Replaces the config's.",
            show_default=False,
        ),
    ] = None,
    config_path: Annotated[
        Path | None,
        typer.Option(
            "--config", metavar="PATH",
            help="Read settings from this TOML file (default: the nearest cleaner.toml, or \\[tool.cleaner] in "
            "pyproject.toml, from the current folder up). Command-line options win over it.",
        ),
    ] = None,
    no_config: Annotated[
        bool, typer.Option("--no-config", metavar="", help="Ignore config files: built-in settings and options only.")
    ] = False,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain", metavar="",
            help="Explain --line N of the one input PATH: kept or removed, by which detector and rule, and why "
            "(the line's signals and main-body score).",
        ),
    ] = False,
    lines: Annotated[
        list[int] | None,
        typer.Option("--line", metavar="N", help="The line number for --explain (repeatable).", show_default=False),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "-j", "--jobs", metavar="N",
            help="Worker processes (default: every core; 1: no workers). The output is the same whatever N.",
            show_default=False,
        ),
    ] = None,
    skip_existing: Annotated[
        bool,
        typer.Option(
            "--skip-existing", metavar="",
            help="Leave inputs whose output file already exists alone (resume a stopped run).",
        ),
    ] = False,
    text_key: Annotated[
        str, typer.Option("--text-key", metavar="KEY", help="JSONL corpora: the field holding the page.")
    ] = "text",
    id_key: Annotated[
        str, typer.Option("--id-key", metavar="KEY", help="JSONL corpora: the field holding the document id.")
    ] = "id",
    url_key: Annotated[
        str,
        typer.Option("--url-key", metavar="KEY", help="JSONL corpora: the field holding the URL (default: url, "
                     "else metadata.url)."),
    ] = "url",
    drop_empty: Annotated[
        bool,
        typer.Option("--drop-empty", metavar="", help='Corpora: leave out documents cleaned to no text (else they '
                     'are written with "status": "empty").'),
    ] = False,
    compress: Annotated[
        Compression | None,
        typer.Option(
            "--compress", show_default=False,
            help="Corpora: compress the JSONL output (default: by the -o name's suffix, else none).",
        ),
    ] = None,
    spans: Annotated[
        bool,
        typer.Option(
            "--spans/--no-spans", metavar="",
            help="Corpora: put the removed spans in each JSONL record (--no-spans: lines removed per detector only).",
        ),
    ] = True,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout", metavar="SECONDS",
            help=f"Give up on an input that takes longer than this (default {DEFAULT_TIMEOUT:g}; 0: no limit).",
            show_default=False,
        ),
    ] = None,
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
    path = Path(out) if out is not None else None
    args = Args(paths or [], path, report_path, diff, encoding, max_size, color, quiet, favor, title, site_repetition,
                review=review, only=only, skip=skip, config=config_path, no_config=no_config, explain=explain,
                lines=tuple(lines or ()), diff_format=diff_format, timeout=timeout, jobs=jobs,
                skip_existing=skip_existing, text_key=text_key, id_key=id_key, url_key=url_key, drop_empty=drop_empty,
                compress=compress.value if compress is not None else None, spans=spans,
                out_folder=out is not None and out.endswith(("/", os.sep)),
                from_output=from_output, sample=sample, seed=seed, ids=tuple(record_ids or ()))
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
    max_size: str | None
    color: ColorMode
    quiet: bool
    favor: Favor | None = None  # None: not given (the config file's, else the built-in default)
    title: bool | None = None
    site_repetition: bool | None = None
    review: Path | None = None
    only: list[str] | None = None
    skip: list[str] | None = None
    config: Path | None = None
    no_config: bool = False
    explain: bool = False
    lines: tuple[int, ...] = ()
    diff_format: DiffFormat | None = None  # None: not given (the review)
    timeout: float | None = None  # None: not given (DEFAULT_TIMEOUT)
    jobs: int | None = None  # None: not given (every core)
    skip_existing: bool = False
    text_key: str = "text"
    id_key: str = "id"
    url_key: str = "url"
    drop_empty: bool = False
    compress: str | None = None
    spans: bool = True
    out_folder: bool = False  # -o ended in "/": a folder even for one page
    from_output: Path | None = None  # --from: review this corpus output instead of cleaning
    sample: int | None = None  # None: not given (review.DEFAULT_SAMPLE)
    seed: int | None = None  # None: not given (0)
    ids: tuple[str, ...] = ()


def _out_file(args: Args) -> Path | None:
    """The file ``-o`` names for a run over one page (a file or ``-``), or ``None`` (no ``-o``, or a folder).

    ``-o`` is a folder when it exists as one or ends in ``/`` (``clean page.txt -o out/``).
    """
    if args.out is None or args.out_folder or args.out.is_dir() or len(args.paths) != 1:
        return None
    return None if args.paths[0] != STDIN and Path(args.paths[0]).is_dir() else args.out


def _dispatch(args: Args) -> int:
    try:
        options = _options(args)
    except UsageProblem as problem:
        _error(f"{problem} (see {PROG} --help)")
        return EXIT_USAGE
    except _config().ConfigError as err:
        _error(str(err))
        return EXIT_USAGE
    if STDIN in args.paths and sys.stdin is None:  # clean - <&-
        _error("<stdin>: standard input is closed")
        return EXIT_FAILED
    if args.from_output is not None:
        return _from_output(args, options)
    if _is_corpus_run(args.paths):
        return _corpus(args, options)
    out_file = _out_file(args)
    stdin: BinaryIO | None = None
    if args.paths == [STDIN]:  # a corpus on standard input, with or without -o, is told by its bytes
        stdin, kind = _sniff_stdin()
        if kind is not None and _reviews(args):
            _error(f"{_NO_CORPUS_REVIEW} (see {PROG} --help)")
            return EXIT_USAGE
        if kind is not None:
            return _corpus(args, options, stdin)
    if args.compress is not None:  # standard input held no corpus: pages are never compressed by --compress
        _error(f"{COMPRESS_PAGES} (see {PROG} --help)")
        return EXIT_USAGE
    if args.explain:
        return _explain(args.paths[0], args.lines, options, stdin)
    if args.diff:
        return _diff(args.paths, options, _use_color(args.color), args.diff_format or DiffFormat.review, stdin)
    if not _review_target_ok(options, args.paths):
        return EXIT_FAILED
    if (args.out is None or out_file) and len(args.paths) == 1 and not Path(args.paths[0]).is_dir():
        return _to_stdout(args.paths[0], args.report, options, stdin, out=out_file)
    return _to_folder(args.paths, args.out, args.report, options, stdin)


_NO_CORPUS_REVIEW = (
    "a corpus run's JSONL output is its report (no --diff, --explain, --report or --review on a corpus): "
    f"clean it (-o OUT.jsonl), then review it with {PROG} --review HTML --from OUT.jsonl "
    f"or {PROG} --diff --from OUT.jsonl --id ID"
)


def _reviews(args: Args) -> bool:
    """True when the run asks for a review of pages (--diff, --explain, --review) or a page report."""
    return args.diff or args.explain or args.report is not None or args.review is not None


def _options(args: Args) -> Options:
    """Check the combination of arguments (:class:`UsageProblem`) and parse the values."""
    if args.from_output is not None:
        _check_from(args)
    elif not args.paths:
        raise UsageProblem("missing PATH: a file, a folder, or - for standard input")
    elif args.sample is not None or args.seed is not None or args.ids:
        raise UsageProblem("--sample, --seed and --id go with --from OUT.jsonl")
    if STDIN in args.paths and len(args.paths) > 1:
        raise UsageProblem("- (standard input) cannot be combined with other inputs")
    _check_explain(args)
    if args.diff_format is not None and not args.diff:
        raise UsageProblem("--diff-format goes with --diff")
    if args.diff and (args.out is not None or args.report is not None or args.review is not None):
        raise UsageProblem("--diff only prints the review; it cannot be combined with -o, --report or --review")
    corpus_run = bool(args.paths) and _is_corpus_run(args.paths)
    if args.out is None and not args.diff and len(args.paths) > 1 and not corpus_run:
        raise UsageProblem("several inputs need an output folder: -o OUT")
    _check_compress(args, corpus_run)
    settings = _settings(args)
    size = args.max_size if args.max_size is not None else settings.max_size
    encoding = args.encoding if args.encoding is not None else settings.encoding
    try:
        max_bytes = parse_size(size) if size is not None else DEFAULT_MAX_BYTES
        codec = check_encoding(encoding) if encoding is not None else None
    except ValueError as err:
        raise UsageProblem(f"--max-size: {err}") from None
    except LookupError as err:
        raise UsageProblem(f"--encoding: {err}") from None
    if args.timeout is not None and not 0 <= args.timeout <= MAX_TIMEOUT:  # nan and inf fail too
        raise UsageProblem("--timeout: expected a number of seconds from 0 to 1e9 (0: no limit)")
    timeout = DEFAULT_TIMEOUT if args.timeout is None else args.timeout or None
    if args.jobs is not None and args.jobs < 1:
        raise UsageProblem("--jobs: expected a number of worker processes, 1 or more")
    return Options(
        max_bytes, codec, args.quiet, settings.favor, settings.keep_title, settings.site_repetition, args.review,
        timeout=timeout, config=settings, jobs=args.jobs or 0, skip_existing=args.skip_existing,
    )


COMPRESS_PAGES = "--compress goes with corpus runs (WARC, WET, JSONL); one page's -o name says it"


def _check_compress(args: Args, corpus_run: bool) -> None:
    """``--compress`` agrees with a ``.jsonl`` output's name, and is for corpora (standard input is sniffed later)."""
    if args.compress is None:
        return
    if not corpus_run and (args.paths != [STDIN] or args.diff or args.explain):
        raise UsageProblem(COMPRESS_PAGES)
    if args.out is not None:
        from cleaner.outputs import corpus_output

        try:
            corpus_output.check_compression(str(args.out), args.compress)
        except ValueError as err:
            raise UsageProblem(str(err)) from None


def _check_from(args: Args) -> None:
    """``--from OUT.jsonl`` reviews a corpus output: with --review (sampled) or --diff --id, nothing else."""
    if args.paths:
        raise UsageProblem("--from reads a corpus run's JSONL output: give no PATH with it")
    if args.explain or args.out is not None or args.report is not None:
        raise UsageProblem("--from goes with --review HTML or --diff --id ID, not with --explain, -o or --report")
    if args.diff == (args.review is not None):
        raise UsageProblem("--from needs one of --review HTML (a sample of the records) or --diff --id ID")
    if args.diff and not args.ids:
        raise UsageProblem("--diff --from needs the record to show: --id ID")
    if args.diff and (args.sample is not None or args.seed is not None):
        raise UsageProblem("--sample and --seed go with --review --from")
    if args.review is not None and args.ids:
        raise UsageProblem("--id goes with --diff --from")
    if args.sample is not None and args.sample < 1:
        raise UsageProblem("--sample: expected a number of records, 1 or more")


def _check_explain(args: Args) -> None:
    if args.lines and not args.explain:
        raise UsageProblem("--line N goes with --explain")
    if not args.explain:
        return
    if not args.lines:
        raise UsageProblem("--explain needs the line to explain: --line N")
    if len(args.paths) != 1 or (args.paths[0] != STDIN and Path(args.paths[0]).is_dir()):
        raise UsageProblem("--explain takes one file (or - for standard input)")
    if args.diff or args.out is not None or args.report is not None or args.review is not None:
        raise UsageProblem("--explain only prints; it cannot be combined with --diff, -o, --report or --review")


def _settings(args: Args) -> Config:
    """The config file's settings (:class:`ConfigError`), with the options given on the command line over them."""
    if args.no_config and args.config is not None:
        raise UsageProblem("--config and --no-config exclude each other")
    config = _config().Config() if args.no_config else _config().load_config(args.config)
    selection = {"only": _names("--only", args.only), "skip": _names("--skip", args.skip)}
    both = [name for name in selection["only"] or () if name in (selection["skip"] or ())]
    if both:
        raise UsageProblem(f"--only and --skip both name {', '.join(both)}")
    favor = args.favor.value if args.favor is not None else None
    settings = config.override(favor=favor, keep_title=args.title, site_repetition=args.site_repetition, **selection)
    if settings.only is not None and set(settings.only) <= set(settings.skip):  # a run that would remove nothing
        given = args.only is not None or args.skip is not None
        where = "--only/--skip" if given or settings.source is None else f"{settings.source}: only and skip"
        raise UsageProblem(f"{where} leave no detector to run")
    return settings


def _names(option: str, values: list[str] | None) -> tuple[str, ...] | None:
    """``--skip a --skip b,c`` -> ``("a", "b", "c")``; an unknown name is a usage error listing the valid ones."""
    if values is None:
        return None
    names = tuple(name.strip() for value in values for name in value.split(",") if name.strip())
    if not names:
        raise UsageProblem(f"{option} needs a detector name")
    from cleaner.detectors.registry import check_detector_names

    try:
        check_detector_names(names)
    except ValueError as err:
        raise UsageProblem(f"{option}: {err}") from None
    return names


def _sniff_stdin() -> tuple[BinaryIO, str | None]:
    """Standard input, decompressed, and ``"warc"``/``"jsonl"`` when it is a corpus (``zcat x.wet.gz | clean -``)."""
    from cleaner.inputs import corpus
    from cleaner.inputs.decoding import open_decompressed, peek_head

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


def _to_stdout(
    path: str, report_path: Path | None, options: Options, stdin: BinaryIO | None = None, *, out: Path | None = None
) -> int:
    """Clean one page onto standard output, or into the file ``out`` (``-o FILE``)."""
    from cleaner import api

    if out is not None and not _page_output_ok(path, out, report_path):
        return EXIT_FAILED
    if out is not None and options.skip_existing and out.is_file():  # its report, if any, is left as it was
        if not options.quiet:
            _error(f"{out}: skipped: {api.SKIPPED_EXISTING}")
        return EXIT_OK
    outcome = api.clean_input_isolated(
        path, max_bytes=options.max_bytes, encoding=options.encoding, config=options.config, timeout=options.timeout,
        stdin=stdin,
    )
    if out is not None and outcome.result is not None:  # written first, so that the report can name it
        try:
            api.write_page(out, outcome.result.text)
        except InputError as err:
            _error(str(err))
            return EXIT_FAILED
        outcome.output = out
    if report_path is not None:
        try:
            api.write_report(report_path, [outcome], api.provenance(options.config, options.encoding))
        except InputError as err:
            _error(str(err))
            return EXIT_FAILED
    if not _write_review(options, [outcome], [path], [p for p in (report_path, out) if p is not None]):
        return EXIT_FAILED
    if outcome.result is None:
        _error(f"{_shown(outcome.path)}: {outcome.error}")
        return EXIT_FAILED
    if out is None:
        _write_stdout(outcome.result.text)
    _notes(outcome, options)
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
        _error(str(err))
        return False
    return True


def _to_folder(
    paths: Sequence[str], out: Path | None, report_path: Path | None, options: Options, stdin: BinaryIO | None = None
) -> int:
    from cleaner import api

    bar = FolderProgress(enabled=not options.quiet and progress.stderr_is_terminal())

    def done(outcome: api.Outcome) -> None:
        bar.advance()
        if not outcome.ok:
            _error(f"{_shown(outcome.path)}: {outcome.error}")
        _notes(outcome, options)

    started = time.perf_counter()
    try:
        with _messages_via(bar):
            summary = api.clean_paths(
                paths, out, report_path=report_path, max_bytes=options.max_bytes, encoding=options.encoding,
                on_outcome=done, favor=options.favor, keep_title=options.keep_title,
                site_repetition=options.site_repetition, config=options.config, on_start=bar.start,
                on_input=bar.begin, timeout=options.timeout, jobs=options.jobs, skip_existing=options.skip_existing,
                keep_results=options.review is not None, stdin=stdin,
            )
    except InputError as err:
        _error(str(err))
        return EXIT_FAILED
    if not options.quiet and summary.out_dir is not None:
        _print_summary(summary, time.perf_counter() - started)
        _print_config(options.config)
    if not _write_review(options, summary.outcomes, paths, [summary.report] if summary.report is not None else []):
        return EXIT_FAILED
    return EXIT_OK if summary.ok else EXIT_FAILED


def _is_corpus_run(paths: Sequence[str]) -> bool:
    """Corpus files (WARC, WET, JSONL, by name; or folders of them) are cleaned into JSONL, pages into text files.

    A mix of both is a usage error (:class:`UsageProblem`).
    """
    from cleaner.inputs import corpus, discovery

    try:
        return discovery.corpus_inputs(paths, corpus.is_corpus_path) is not None
    except InputError as err:
        raise UsageProblem(str(err)) from None


def _corpus(args: Args, options: Options, stdin: BinaryIO | None = None) -> int:
    """Clean corpus files into JSONL (``clean crawl.warc.wet.gz > clean.jsonl``)."""
    from cleaner import api
    from cleaner.inputs import corpus

    if _reviews(args):
        _error(f"{_NO_CORPUS_REVIEW} (see {PROG} --help)")
        return EXIT_USAGE
    bar = CorpusProgress(enabled=not options.quiet and progress.stderr_is_terminal())

    def done(record: dict[str, object]) -> None:
        bar.document(_shown(str(record.get("source"))))
        if "error" in record:
            _error(f"{record.get('source')}#{record.get('position')} ({record.get('id')}): {record['error']}")

    reading = corpus.CorpusOptions(text_key=args.text_key, id_key=args.id_key, url_key=args.url_key,
                                   max_bytes=options.max_bytes)
    started = time.perf_counter()
    try:
        with _messages_via(bar):
            bar.start()
            summary = api.clean_corpus(
                args.paths, args.out, options=reading, config=options.config, jobs=options.jobs,
                compression=args.compress, spans=args.spans, skip_existing=options.skip_existing,
                timeout=options.timeout, encoding=options.encoding, stdout=cast(BinaryIO, _Stdout(sys.stdout.buffer)),
                on_document=done, stdin=stdin, drop_empty=args.drop_empty,
            )
    except InputError as err:
        _error(str(err))
        return EXIT_FAILED
    _Stdout(sys.stdout.buffer).flush()  # a zstd stream ends without flushing: fail here, not at exit
    for error in summary.errors:
        _error(error)
    if not options.quiet:
        _print_corpus_summary(summary, time.perf_counter() - started)
        _print_config(options.config)
    return EXIT_OK if summary.ok else EXIT_FAILED


def _print_corpus_summary(summary: api.CorpusSummary, seconds: float) -> None:
    from cleaner.outputs.report import counted

    rate = summary.documents / seconds if seconds > 0 else 0.0
    where = ", ".join("<stdout>" if target == STDIN else target for target in summary.outputs) or "nothing written"
    _error(f"{counted(summary.cleaned, 'document')} cleaned, {summary.failed} failed -> {where}")
    _error(f"{counted(summary.records, 'record')} read: {counted(summary.documents, 'document')}, "
           f"{summary.passed_over} skipped (no document); {summary.empty} cleaned to empty text")
    _error(f"{counted(summary.lines_total, 'line')}: {summary.lines_kept} kept, "
           f"{summary.lines_total - summary.lines_kept} removed; {seconds:.1f} s ({rate:.1f} documents/s)")
    if len(summary.files) > 1:  # one file: the totals are its counts
        for source, counts in summary.files.items():
            _error(f"{_shown(source)}: {counted(counts.records, 'record')}: {counts.cleaned} cleaned "
                   f"({counts.empty} empty), {counts.failed} failed, {counts.passed_over} skipped")
    if summary.skipped:
        _error(f"skipped (output exists): {', '.join(summary.skipped)}")
    if summary.dropped:  # the counts above say how many were empty; say they are not in the output
        _error(f"{counted(summary.dropped, 'document')} with no clean text dropped (--drop-empty)")
    if summary.damaged:
        _error(f"damaged WARC data: {summary.damaged} records skipped ({summary.damaged_bytes} bytes); "
               f"reading went on at the next record")


def _print_config(config: Config) -> None:
    """Name the config file the run applied: one found in a parent folder would otherwise act unseen."""
    if config.source is not None:
        _error(f"config: {config.source}")


def _review_target_ok(options: Options, paths: Sequence[str]) -> bool:
    """Refuse a --review path over an input or inside an input folder before any work is done."""
    from cleaner.outputs import review

    try:
        if options.review is not None:
            review.check_review_target(options.review, paths)
    except InputError as err:
        _error(str(err))
        return False
    return True


def _write_review(
    options: Options, outcomes: Sequence[api.Outcome], paths: Sequence[str], keep: Sequence[Path]
) -> bool:
    """Write the --review page, if asked; False (after one error line) when it cannot be written."""
    from cleaner.outputs import review

    if options.review is None:
        return True
    try:
        review.write_review(options.review, outcomes, input_paths=paths, keep=keep)
    except InputError as err:
        _error(str(err))
        return False
    if not options.quiet:
        _error(f"review page: {options.review}")
    return True


def _explain(path: str, lines: Sequence[int], options: Options, stdin: BinaryIO | None = None) -> int:
    """Print why each line in ``lines`` of ``path`` is kept or removed (``--explain --line N``)."""
    from cleaner import api
    from cleaner.explain import LineOutOfRange, format_explanation

    try:
        explained = api.explain_file(
            path, lines, max_bytes=options.max_bytes, encoding=options.encoding, config=options.config, stdin=stdin
        )
    except InputError as err:
        _error(str(err))
        return EXIT_FAILED
    except LineOutOfRange as err:
        _error(f"--line: {err}")
        return EXIT_USAGE
    _write_stdout("\n".join(format_explanation(explanation, _shown(path)) for explanation in explained))
    return EXIT_OK


def _diff(
    paths: Sequence[str], options: Options, color: bool, diff_format: DiffFormat = DiffFormat.review,
    stdin: BinaryIO | None = None,
) -> int:
    from cleaner import api
    from cleaner.outputs import report, terminal

    several = len(paths) > 1 or any(path != STDIN and Path(path).is_dir() for path in paths)
    width = terminal.terminal_width()
    failed = False
    shown = 0
    for outcome in api.iter_outcomes(
        paths, max_bytes=options.max_bytes, encoding=options.encoding, favor=options.favor,
        keep_title=options.keep_title, site_repetition=options.site_repetition, config=options.config,
        timeout=options.timeout, jobs=options.jobs, stdin=stdin,
    ):
        if outcome.result is None:
            _error(f"{_shown(outcome.path)}: {outcome.error}")
            failed = True
            continue
        if diff_format is DiffFormat.unified:  # its ---/+++ lines name the input: no header
            diff = report.unified_diff(outcome.result, "stdin" if outcome.path == STDIN else outcome.path)
            _write_stdout(terminal.render_unified(diff, color=color))
        else:
            header = ("\n" if shown else "") + f"==> {outcome.path} <==\n" if several else ""
            _write_stdout(terminal.render_review(outcome.result, color=color, width=width, header=header))
        shown += 1
        _notes(outcome, options)
    return EXIT_FAILED if failed else EXIT_OK


def _from_output(args: Args, options: Options) -> int:
    """``--review HTML --from OUT.jsonl`` or ``--diff --from OUT.jsonl --id ID``: a corpus run, reviewed."""
    from cleaner.outputs import review

    assert args.from_output is not None
    source = args.from_output
    if args.diff:
        return _diff_records(source, args.ids, _use_color(args.color), args.diff_format or DiffFormat.review)
    assert options.review is not None
    try:
        review.check_review_target(options.review, [source])
    except InputError as err:
        _error(str(err))
        return EXIT_FAILED
    try:
        drawn = review.sample_output(source, args.sample or review.DEFAULT_SAMPLE, args.seed or 0)
    except InputError as err:
        _error(f"{source}: {err}")
        return EXIT_FAILED
    try:
        review.write_review(options.review, drawn.outcomes, input_paths=[source], title=drawn.title(source))
    except InputError as err:
        _error(str(err))
        return EXIT_FAILED
    if not options.quiet:
        _error(f"review page: {options.review} ({len(drawn.outcomes)} of {drawn.total} records)")
    return EXIT_OK


def _diff_records(source: Path, ids: Sequence[str], color: bool, diff_format: DiffFormat) -> int:
    """Print the review (or unified diff) of each record of ``source`` whose id is in ``ids``, in file order."""
    from cleaner.outputs import corpus_output, report, terminal

    found: set[str] = set()
    failed = False
    try:
        for rec in corpus_output.records_with_ids(source, ids):
            found.add(rec["id"])
            name = f"{rec['source']}#{rec['position']}"
            if "error" in rec:
                _error(f"{name} ({rec['id']}): {rec['error']}")
                failed = True
                continue
            result = corpus_output.result_from_output(rec)
            if diff_format is DiffFormat.unified:
                _write_stdout(terminal.render_unified(report.unified_diff(result, name), color=color))
            else:
                header = f"==> {name} {rec['id']} <==\n" if len(ids) > 1 else ""
                _write_stdout(terminal.render_review(result, color=color, width=terminal.terminal_width(),
                                                     header=header))
    except InputError as err:
        _error(f"{source}: {err}")
        return EXIT_FAILED
    for missing in (wanted_id for wanted_id in ids if wanted_id not in found):
        _error(f"{source}: no record with id {missing!r}")
        failed = True
    return EXIT_FAILED if failed else EXIT_OK


def _list_detectors() -> int:
    from cleaner import api

    infos = api.list_detectors()
    width = max(len(info.name) for info in infos)
    lines = []
    for info in infos:
        lines.append(f"{info.name:<{width}}  {info.summary}".rstrip() + "\n")
        lines.extend(f"  {rule.code:<{width}}  {rule.summary}\n" for rule in info.rules)
    _write_stdout("".join(lines))
    return EXIT_OK


def _print_summary(summary: api.RunSummary, seconds: float | None = None) -> None:
    from cleaner.outputs.report import counted

    console = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
    files = f"{counted(summary.files_cleaned, 'file')} cleaned, {summary.files_failed} failed"
    console.print(Text(printable(f"{PROG}: {files} -> {summary.out_dir}/ (report: {summary.report})")))
    lines = f"{counted(summary.lines_total, 'line')}: {summary.lines_kept} kept, {summary.lines_removed} removed"
    console.print(Text(f"{PROG}: {lines}"))
    if seconds is not None and summary.outcomes:
        rate = len(summary.outcomes) / seconds if seconds > 0 else 0.0
        inputs = counted(len(summary.outcomes), "input")
        console.print(Text(f"{PROG}: {inputs} in {seconds:.1f} s ({rate:.1f} pages/s)"))
    failed = [_shown(outcome.path) for outcome in summary.outcomes if not outcome.ok]
    if failed:
        more = f" (+{len(failed) - _MAX_LISTED} more)" if len(failed) > _MAX_LISTED else ""
        console.print(Text(printable(f"{PROG}: failed: {', '.join(failed[:_MAX_LISTED])}{more}")))
    if summary.sites:
        learned = ", ".join(f"{label} ({counted(pages, 'page')})" for label, pages in summary.sites.items())
        console.print(Text(f"{PROG}: site repetition learned from {learned}"))
    if summary.removals:
        console.print(_removals_table(summary))


def _removals_table(summary: api.RunSummary) -> Table:
    from rich import box
    from rich.table import Table

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
    message = printable(message)  # a file name's bad bytes or newline must not garble or split the line
    if _live_bar is not None and _live_bar.print_line(f"{PROG}: {message}"):
        return  # above the progress bar, which would otherwise break the line
    typer.echo(f"{PROG}: {message}", err=True)


_live_bar: FolderProgress | None = None  # the progress bar showing now, if any (messages go above it)
_MAX_LISTED = 10  # failed inputs named in the summary


@contextmanager
def _messages_via(bar: FolderProgress) -> Iterator[FolderProgress]:
    """Route :func:`_error` through ``bar`` while it runs; stop it on the way out (Ctrl-C included)."""
    global _live_bar
    _live_bar = bar
    try:
        with bar:
            yield bar
    finally:
        _live_bar = None


def _write_stdout(text: str) -> None:
    """Write ``text`` as UTF-8, line endings untouched (:class:`StdoutFailed` if standard output refuses it)."""
    data = text.encode("utf-8", "surrogateescape")  # a --diff header naming a non-UTF-8 file: its own bytes
    stdout = _Stdout(sys.stdout.buffer)
    sys.stdout.flush()
    for start in range(0, len(data), _CHUNK):  # small writes: a closed pipe is noticed at once
        stdout.write(data[start:start + _CHUNK])
    stdout.flush()


class _Stdout:
    """Standard output's byte stream whose failures, but a closed pipe, raise :class:`StdoutFailed`.

    A full disk (``> /dev/full``) or a closed descriptor (``>&-``) is then told apart from a bug.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def write(self, data: bytes) -> int:
        with _stdout_errors():
            return self._stream.write(data)

    def flush(self) -> None:
        with _stdout_errors():
            self._stream.flush()


@contextmanager
def _stdout_errors() -> Iterator[None]:
    try:
        yield
    except BrokenPipeError:
        raise  # the reader went away (``| head``): a quiet 141, see _guard
    except OSError as err:
        raise StdoutFailed((err.strerror or str(err)).lower()) from None


_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def _stop(signum: int, frame: object) -> None:
    for stop_signal in _STOP_SIGNALS:  # a second one must not cut the clean-up short (SIGKILL still can)
        signal.signal(stop_signal, signal.SIG_IGN)
    raise Stopped(signum)


@contextmanager
def _stop_signals() -> Iterator[None]:
    """SIGTERM/SIGHUP raise :class:`Stopped` in the block (their default, dying at once, would leave
    temporary files and orphan the workers); the previous handlers come back after."""
    try:
        previous = {signum: signal.signal(signum, _stop) for signum in _STOP_SIGNALS}
    except ValueError:  # not the main thread: signals are not ours to handle
        previous = {}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextmanager
def _guard() -> Iterator[None]:
    """Ctrl-C: one line, exit 130; SIGTERM/SIGHUP: one line, exit 143/129 (128 + the signal), the same
    clean-up. Reader gone (``| head``): quiet exit 141, no traceback."""
    try:
        with _stop_signals():
            yield
    except Stopped as stop:  # before KeyboardInterrupt, which it is
        with suppress(OSError):  # after SIGHUP the terminal may be gone
            _error(f"stopped by {signal.Signals(stop.signum).name}")
        raise typer.Exit(128 + stop.signum) from None
    except KeyboardInterrupt:
        _error("interrupted")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except BrokenPipeError:
        _silence_stdout()
        raise typer.Exit(EXIT_PIPE) from None
    except StdoutFailed as failed:
        _silence_stdout()  # the unwritten rest must not fail again at exit
        _error(f"cannot write to standard output: {failed}")
        raise typer.Exit(EXIT_FAILED) from None


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
    _stand_in_for_closed_stdout()
    try:
        app(prog_name=PROG)
    except SystemExit as done:
        if done.code == 1 and isinstance(done.__context__, BrokenPipeError):
            _silence_stdout()  # typer's own closed-pipe exit (its --help text): 141, as ours
            raise SystemExit(EXIT_PIPE) from None
        raise
    except OSError as err:  # typer's --help or --version text refused by standard output (full, closed)
        _silence_stdout()
        _error(f"cannot write to standard output: {(err.strerror or str(err)).lower()}")
        raise SystemExit(EXIT_FAILED) from None


def _stand_in_for_closed_stdout() -> None:
    """``clean P >&-``: Python leaves ``sys.stdout`` None, and the first file opened would take fd 1.

    /dev/null opened read-only takes that place: a write fails with EBADF as on the closed
    descriptor, which is told in one line; a run that writes no standard output is unaffected.
    """
    if sys.stdout is not None:
        return
    spare = os.open(os.devnull, os.O_RDONLY)
    if spare != 1:
        os.dup2(spare, 1)
        os.close(spare)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 (lives as long as the process)

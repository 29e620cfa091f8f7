"""The command line, checked and turned into one :class:`~cleaner.options.Options` (and :class:`Args`).

:func:`build_options` refuses a bad combination of arguments (:class:`UsageProblem`, exit code 2)
and reads the config file under the options given on the command line. :class:`Args` keeps what
only the command uses: where outputs go, what to print, and how.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from cleaner.cli.console import PROG
from cleaner.errors import InputError
from cleaner.inputs.decoding import STDIN, check_encoding, parse_size

# The rest of the package (the detectors, lxml, trafilatura, py3langid...) is imported by the
# functions that use it, so `clean --help` and usage errors answer at once.
if TYPE_CHECKING:
    from collections.abc import Sequence

    from cleaner.options import Options

__all__ = [
    "COMPRESS_PAGES",
    "DEFAULT_TIMEOUT",
    "MAX_TIMEOUT",
    "NO_CORPUS_REVIEW",
    "Args",
    "ColorMode",
    "Compression",
    "DiffFormat",
    "Engine",
    "Favor",
    "UsageProblem",
    "build_options",
    "config_module",
    "options_module",
    "is_corpus_run",
    "page_out_file",
    "reviews",
]

DEFAULT_TIMEOUT = 30.0  # seconds one input may take: a pathological page fails alone instead of stalling a run


MAX_TIMEOUT = 1e9  # seconds (31 years): the interval timer overflows near 1e11 (OverflowError per input)


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


class Engine(StrEnum):
    model = "model"
    trafilatura = "trafilatura"
    ensemble = "ensemble"


class UsageProblem(Exception):
    """A bad combination of arguments: one line on stderr, exit code 2."""


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
    engine: Engine | None = None  # None: not given (the config file's, else the built-in default)


def page_out_file(args: Args) -> Path | None:
    """The file ``-o`` names for a run over one page (a file or ``-``), or ``None`` (no ``-o``, or a folder).

    ``-o`` is a folder when it exists as one or ends in ``/`` (``clean page.txt -o out/``).
    """
    if args.out is None or args.out_folder or args.out.is_dir() or len(args.paths) != 1:
        return None
    return None if args.paths[0] != STDIN and Path(args.paths[0]).is_dir() else args.out


NO_CORPUS_REVIEW = (
    "a corpus run's JSONL output is its report (no --diff, --explain, --report or --review on a corpus): "
    f"clean it (-o OUT.jsonl), then review it with {PROG} --review HTML --from OUT.jsonl "
    f"or {PROG} --diff --from OUT.jsonl --id ID"
)


def reviews(args: Args) -> bool:
    """True when the run asks for a review of pages (--diff, --explain, --review) or a page report."""
    return args.diff or args.explain or args.report is not None or args.review is not None


def build_options(args: Args) -> Options:
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
    corpus_run = bool(args.paths) and is_corpus_run(args.paths)
    if args.out is None and not args.diff and len(args.paths) > 1 and not corpus_run:
        raise UsageProblem("several inputs need an output folder: -o OUT")
    _check_compress(args, corpus_run)
    settings = _settings(args)
    encoding = args.encoding if args.encoding is not None else settings.encoding
    try:
        max_bytes = parse_size(args.max_size) if args.max_size is not None else settings.max_bytes
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
    return replace(settings, max_bytes=max_bytes, encoding=codec, timeout=timeout, jobs=args.jobs or 0,
                   skip_existing=args.skip_existing)


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


def _settings(args: Args) -> Options:
    """The config file's settings (:class:`ConfigError`), with the options given on the command line over them."""
    if args.no_config and args.config is not None:
        raise UsageProblem("--config and --no-config exclude each other")
    config = options_module().Options() if args.no_config else config_module().load_config(args.config)
    selection = {"only": _names("--only", args.only), "skip": _names("--skip", args.skip)}
    both = [name for name in selection["only"] or () if name in (selection["skip"] or ())]
    if both:
        raise UsageProblem(f"--only and --skip both name {', '.join(both)}")
    favor = args.favor.value if args.favor is not None else None
    engine = args.engine.value if args.engine is not None else None
    settings = config.override(favor=favor, engine=engine, keep_title=args.title, site_repetition=args.site_repetition,
                               **selection)
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


def is_corpus_run(paths: Sequence[str]) -> bool:
    """Corpus files (WARC, WET, JSONL, by name; or folders of them) are cleaned into JSONL, pages into text files.

    A mix of both is a usage error (:class:`UsageProblem`).
    """
    from cleaner.inputs import corpus, discovery

    try:
        return discovery.corpus_inputs(paths, corpus.is_corpus_path) is not None
    except InputError as err:
        raise UsageProblem(str(err)) from None


def config_module() -> ModuleType:
    """:mod:`cleaner.config`, imported when first needed (it loads the detectors)."""
    from cleaner import config

    return config


def options_module() -> ModuleType:
    """:mod:`cleaner.options`, imported when first needed (it loads the detectors)."""
    from cleaner import options

    return options

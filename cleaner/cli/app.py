"""The ``clean`` command: its typer app and options (the help text), and the console-script entry point.

The command only builds :class:`~cleaner.cli.arguments.Args`, hands them to
:func:`~cleaner.cli.commands.dispatch` (which makes the one :class:`~cleaner.options.Options`
and calls one library function) and exits with its code.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from cleaner.cli.arguments import DEFAULT_TIMEOUT, Args, ColorMode, Compression, DiffFormat, Engine, Favor
from cleaner.cli.commands import dispatch, print_detectors
from cleaner.cli.console import EXIT_FAILED, EXIT_PIPE, PROG, error
from cleaner.cli.guard import guard, silence_stdout
from cleaner.inputs.discovery import INPUT_SUFFIXES
from cleaner.inputs.engines import DEFAULT_ENGINE

__all__ = ["app", "clean", "main"]

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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
            help="Cut more at the article's edges (precision) or keep more around it (recall; default: balanced). "
            "Also the learned model's bar: precision keeps a line outside the article at P(content) 0.92 or more "
            "and cuts inside it under 0.20; balanced 0.85 / 0.10; recall 0.75 / 0.05.",
        ),
    ] = None,
    engine: Annotated[
        Engine | None,
        typer.Option(
            "--engine",
            help="What decides an HTML page's main content: the learned model reading the text and the markup "
            "(model), trafilatura then the detectors (trafilatura), or the model also reading trafilatura's "
            "decision (ensemble). Text inputs are cleaned the same. Default: " + DEFAULT_ENGINE + ".",
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
                from_output=from_output, sample=sample, seed=seed, ids=tuple(record_ids or ()),
                engine=engine)
    with guard():
        code = print_detectors() if list_detectors else dispatch(args)
    raise typer.Exit(code)


def main() -> None:
    """Console-script entry point (``clean``)."""
    _stand_in_for_closed_stdout()
    try:
        app(prog_name=PROG)
    except SystemExit as done:
        if done.code == 1 and isinstance(done.__context__, BrokenPipeError):
            silence_stdout()  # typer's own closed-pipe exit (its --help text): 141, as ours
            raise SystemExit(EXIT_PIPE) from None
        raise
    except OSError as err:  # typer's --help or --version text refused by standard output (full, closed)
        silence_stdout()
        error(f"cannot write to standard output: {(err.strerror or str(err)).lower()}")
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

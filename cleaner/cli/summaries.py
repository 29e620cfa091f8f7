"""The summaries a folder run and a corpus run print on standard error when they end (unless ``--quiet``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from cleaner.cli.console import PROG, error, shown
from cleaner.inputs.decoding import STDIN
from cleaner.outputs.files import printable

if TYPE_CHECKING:
    from rich.table import Table

    from cleaner.options import Options
    from cleaner.runs.corpus import CorpusSummary
    from cleaner.runs.folder import RunSummary

__all__ = ["print_config", "print_corpus_summary", "print_summary"]

_MAX_LISTED = 10  # failed inputs named in the summary


def print_summary(summary: RunSummary, seconds: float | None = None) -> None:
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
    failed = [shown(outcome.path) for outcome in summary.outcomes if not outcome.ok]
    if failed:
        more = f" (+{len(failed) - _MAX_LISTED} more)" if len(failed) > _MAX_LISTED else ""
        console.print(Text(printable(f"{PROG}: failed: {', '.join(failed[:_MAX_LISTED])}{more}")))
    if summary.sites:
        learned = ", ".join(f"{label} ({counted(pages, 'page')})" for label, pages in summary.sites.items())
        console.print(Text(f"{PROG}: site repetition learned from {learned}"))
    if summary.removals:
        console.print(_removals_table(summary))


def _removals_table(summary: RunSummary) -> Table:
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


def print_corpus_summary(summary: CorpusSummary, seconds: float) -> None:
    from cleaner.outputs.report import counted

    rate = summary.documents / seconds if seconds > 0 else 0.0
    where = ", ".join("<stdout>" if target == STDIN else target for target in summary.outputs) or "nothing written"
    error(f"{counted(summary.cleaned, 'document')} cleaned, {summary.failed} failed -> {where}")
    error(f"{counted(summary.records, 'record')} read: {counted(summary.documents, 'document')}, "
           f"{summary.passed_over} skipped (no document); {summary.empty} cleaned to empty text")
    error(f"{counted(summary.lines_total, 'line')}: {summary.lines_kept} kept, "
           f"{summary.lines_total - summary.lines_kept} removed; {seconds:.1f} s ({rate:.1f} documents/s)")
    if len(summary.files) > 1:  # one file: the totals are its counts
        for source, counts in summary.files.items():
            error(f"{shown(source)}: {counted(counts.records, 'record')}: {counts.cleaned} cleaned "
                   f"({counts.empty} empty), {counts.failed} failed, {counts.passed_over} skipped")
    if summary.skipped:
        error(f"skipped (output exists): {', '.join(summary.skipped)}")
    if summary.dropped:  # the counts above say how many were empty; say they are not in the output
        error(f"{counted(summary.dropped, 'document')} with no clean text dropped (--drop-empty)")
    if summary.damaged:
        error(f"damaged WARC data: {summary.damaged} records skipped ({summary.damaged_bytes} bytes); "
               f"reading went on at the next record")


def print_config(options: Options) -> None:
    """Name the config file the run applied: one found in a parent folder would otherwise act unseen."""
    if options.source is not None:
        error(f"config: {options.source}")

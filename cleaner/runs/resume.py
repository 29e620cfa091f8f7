"""Resuming a folder run (``--skip-existing``): the report an earlier run left, read back record by record."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import BinaryIO

from cleaner.inputs import discovery
from cleaner.outputs import report
from cleaner.outputs.report import Outcome
from cleaner.text.page import split_lines

__all__ = [
    "EARLIER_MISMATCH",
    "NO_EARLIER_RECORD",
    "SKIPPED_EXISTING",
    "EarlierReport",
    "carry_over",
    "output_exists",
    "skipped",
]

SKIPPED_EXISTING = "output exists (--skip-existing)"
NO_EARLIER_RECORD = f"{SKIPPED_EXISTING}; no earlier record of it to keep"
EARLIER_MISMATCH = f"{SKIPPED_EXISTING}; its earlier record does not match the output, so it is not kept"


def skipped(
    item: discovery.Input, target: Path, earlier: EarlierReport, stamp: Mapping[str, str]
) -> tuple[Outcome, bytes]:
    """A skipped input's outcome and report line: its earlier record (byte for byte, its own provenance
    included) when that still fits, else a stub of this run saying why."""
    line, why = earlier.line(item.path, target, deep=True)
    outcome = Outcome(item.path, output=target, skipped=SKIPPED_EXISTING if line is not None else why)
    return outcome, line if line is not None else report.dumps({**outcome.record(), **stamp}).encode("utf-8")


def carry_over(
    stream: BinaryIO, rest: Sequence[discovery.Input], outputs: Mapping[str, Path], earlier: EarlierReport
) -> None:
    """Write the earlier records of ``rest`` whose outputs still exist (checked lightly: Ctrl-C wants a quick end)."""
    for item in rest:
        target = outputs.get(item.path)
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


def output_exists(target: Path | None) -> bool:
    return target is not None and target.is_file()



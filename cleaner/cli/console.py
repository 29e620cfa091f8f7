"""What the ``clean`` command prints: one-line messages on standard error, bytes on standard output.

Standard output carries only clean text (or the ``--diff`` review, ``--explain``, or ``--list-detectors``);
every message goes to standard error, one line each, as ``clean: PATH: reason`` (above the
progress bar while one shows).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, BinaryIO

import typer

from cleaner.cli.progress import FolderProgress
from cleaner.inputs.decoding import STDIN
from cleaner.outputs.files import printable

if TYPE_CHECKING:
    from cleaner.outputs.report import Outcome

__all__ = [
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PIPE",
    "EXIT_USAGE",
    "PROG",
    "Stdout",
    "StdoutFailed",
    "error",
    "messages_via",
    "notes",
    "shown",
    "write_stdout",
]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_PIPE = 0, 1, 2, 130, 141


PROG = "clean"


_CHUNK = 1 << 16


class StdoutFailed(Exception):
    """Standard output refused a write (full disk, closed descriptor); ``str()`` is the reason. Exit code 1."""


def notes(outcome: Outcome, quiet: bool) -> None:
    """Each note on how an input was read or written, unless ``quiet``."""
    if not quiet:
        for note in outcome.notes:
            error(f"{shown(outcome.path)}: note: {note}")


def shown(path: str) -> str:
    return "<stdin>" if path == STDIN else path


def error(message: str) -> None:
    message = printable(message)  # a file name's bad bytes or newline must not garble or split the line
    if _live_bar is not None and _live_bar.print_line(f"{PROG}: {message}"):
        return  # above the progress bar, which would otherwise break the line
    typer.echo(f"{PROG}: {message}", err=True)


_live_bar: FolderProgress | None = None  # the progress bar showing now, if any (messages go above it)


@contextmanager
def messages_via(bar: FolderProgress) -> Iterator[FolderProgress]:
    """Route :func:`error` through ``bar`` while it runs; stop it on the way out (Ctrl-C included)."""
    global _live_bar
    _live_bar = bar
    try:
        with bar:
            yield bar
    finally:
        _live_bar = None


def write_stdout(text: str) -> None:
    """Write ``text`` as UTF-8, line endings untouched (:class:`StdoutFailed` if standard output refuses it)."""
    data = text.encode("utf-8", "surrogateescape")  # a --diff header naming a non-UTF-8 file: its own bytes
    stdout = Stdout(sys.stdout.buffer)
    sys.stdout.flush()
    for start in range(0, len(data), _CHUNK):  # small writes: a closed pipe is noticed at once
        stdout.write(data[start:start + _CHUNK])
    stdout.flush()


class Stdout:
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
        raise  # the reader went away (``| head``): a quiet 141, see guard
    except OSError as err:
        raise StdoutFailed((err.strerror or str(err)).lower()) from None

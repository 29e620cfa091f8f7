"""How the ``clean`` command ends: Ctrl-C, SIGTERM/SIGHUP and a closed or full standard output, each in one line.

Exit codes: 0 every input cleaned; 1 some input failed (the others are still written) or
the output cannot be written; 2 usage error; 130 interrupted; 143/129 stopped by SIGTERM/SIGHUP;
141 standard output closed early (e.g. ``clean - < page.txt | head -1``; nothing is printed about it).
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import typer

from cleaner.cli.console import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_PIPE, StdoutFailed, error
from cleaner.errors import Stopped

__all__ = ["guard", "silence_stdout"]

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
def guard() -> Iterator[None]:
    """Ctrl-C: one line, exit 130; SIGTERM/SIGHUP: one line, exit 143/129 (128 + the signal), the same
    clean-up. Reader gone (``| head``): quiet exit 141, no traceback."""
    try:
        with _stop_signals():
            yield
    except Stopped as stop:  # before KeyboardInterrupt, which it is
        with suppress(OSError):  # after SIGHUP the terminal may be gone
            error(f"stopped by {signal.Signals(stop.signum).name}")
        raise typer.Exit(128 + stop.signum) from None
    except KeyboardInterrupt:
        error("interrupted")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except BrokenPipeError:
        silence_stdout()
        raise typer.Exit(EXIT_PIPE) from None
    except StdoutFailed as failed:
        silence_stdout()  # the unwritten rest must not fail again at exit
        error(f"cannot write to standard output: {failed}")
        raise typer.Exit(EXIT_FAILED) from None


def silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (tests): nothing to protect

"""The time limit of one input, and the one line saying why an input could not be cleaned.

Every run (a folder, a corpus, one page, a datatrove task) cleans an input through
:func:`guarded`: a bad input, one over the time limit and a bug all become a :class:`Failure`
(its kind and its one-line reason) instead of an exception that would end the run.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from cleaner.errors import InputError

__all__ = [
    "BAD_INPUT",
    "ERROR",
    "TIMEOUT",
    "Failure",
    "TimeLimitExceeded",
    "guarded",
    "time_limit",
    "timeout_error",
    "unexpected_error",
]

T = TypeVar("T")
BAD_INPUT, TIMEOUT, ERROR = "bad_input", "timeout", "error"


@dataclass(frozen=True)
class Failure:
    """Why one input could not be cleaned: ``kind`` (:data:`BAD_INPUT`, :data:`TIMEOUT`, :data:`ERROR`)
    and ``reason``, one line."""

    kind: str
    reason: str


def guarded(work: Callable[[], T], timeout: float | None) -> tuple[T, None] | tuple[None, Failure]:
    """``(work(), None)``, or ``(None, failure)``: why one input could not be cleaned.

    A bad input (:class:`InputError`), one over ``timeout`` seconds, and a bug (any other
    exception: it must cost one input, not a corpus run; the message names it) all end up
    as the failure. An unknown codec (:class:`LookupError`) is the caller's mistake, not the
    input's, and is raised.
    """
    try:
        with time_limit(timeout):
            return work(), None
    except InputError as err:
        return None, Failure(BAD_INPUT, str(err))
    except TimeLimitExceeded:
        return None, Failure(TIMEOUT, timeout_error(timeout))
    except LookupError:
        raise
    except Exception as err:
        return None, Failure(ERROR, unexpected_error(err))


def timeout_error(timeout: float | None) -> str:
    """The one line for an input over the time limit (in Python code, or killed with its worker process)."""
    return f"took longer than {timeout or 0:g} s (see --timeout)"


def unexpected_error(err: BaseException) -> str:
    """One line for an exception that is a bug in ``clean``, not a bad input."""
    detail = " ".join(str(err).split())[:200]
    return f"internal error ({type(err).__name__}{': ' + detail if detail else ''}); please report it"


class TimeLimitExceeded(BaseException):
    """One input took longer than its time limit.

    A :class:`BaseException`, like :class:`KeyboardInterrupt`: third-party code that catches
    ``Exception`` to carry on (trafilatura does) must not swallow it.
    """


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`TimeLimitExceeded` in the block after ``seconds`` (POSIX main thread; elsewhere no limit)."""
    usable = hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    if not seconds or seconds <= 0 or not usable:
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise TimeLimitExceeded

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)



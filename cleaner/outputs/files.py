"""Where outputs go: output names, safety checks, atomic writes (inputs are found by :mod:`cleaner.inputs.discovery`).

Outputs: ``OUT/<relative path of the input, suffix replaced by .txt>``. When two inputs map
to the same name (``a.txt``, ``a.text`` and ``a.html``, or compared case-insensitively), the input whose
name is unchanged wins, then the first in sorted order; the others get ``a~2.txt``,
``a~3.txt``... Nothing is ever written inside an input folder or over an input file.

Writes are atomic: a temporary file in the target folder, then :func:`os.replace`, so an
interrupted run never leaves a half-written file behind. Only regular files are replaced so: a
symlink to one gets its target replaced (the link stays), and a path that leads to anything
else (a character device, a FIFO, a terminal, ``/dev/stdout`` or ``/proc/self/fd/N``) is
written through, as a shell redirection would, never swapped for a regular file.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import stat
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from cleaner.errors import InputError, os_reason
from cleaner.inputs.decoding import STDIN
from cleaner.inputs.discovery import Input, uncompressed_name

__all__ = [
    "OutputError",
    "atomic_open",
    "atomic_write",
    "check_out_dir",
    "check_targets",
    "default_out_dir",
    "make_dir",
    "natural_output",
    "output_names",
    "printable",
    "stop_signals_held",
]

OUTPUT_SUFFIX = ".txt"
REPORT_NAME = "report.jsonl"
DEFAULT_OUT_SUFFIX = ".clean"


class OutputError(InputError):
    """An output that cannot or must not be written (inside an input folder, over an input, unwritable)."""


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\udc80-\udcff]")


def printable(text: str) -> str:
    """``text`` (a path, or a message naming one) fit for one line of a terminal or a page.

    A file name's undecodable bytes (kept by Python as surrogate escapes) show as ``\\xNN``, and
    control characters (a newline in a name) as ``\\n``, ``\\t`` or ``\\xNN``: a message stays one line.
    """
    if text.isascii() and text.isprintable():
        return text
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code >= 0xDC80:  # surrogateescape: the byte 0x80-0xff it stands for
        return f"\\x{code - 0xDC00:02x}"
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(match.group(), f"\\x{code:02x}")


def natural_output(rel: PurePosixPath) -> PurePosixPath:
    """An input's output path before collisions: ``a/page.html.gz`` -> ``a/page.txt``."""
    return rel.with_name(uncompressed_name(rel.name)).with_suffix(OUTPUT_SUFFIX)


def default_out_dir(folder: str | Path) -> Path:
    """``seeds`` -> ``seeds.clean``: a new folder beside the input folder."""
    path = Path(folder)
    if path.name in ("", ".", ".."):
        path = path.resolve()
        if not path.name:
            raise OutputError(f"{folder}: cannot put the output beside the root folder; choose one with -o")
    return path.with_name(path.name + DEFAULT_OUT_SUFFIX)


def output_names(inputs: Sequence[Input]) -> dict[str, PurePosixPath]:
    """Relative output path for each usable input (keyed by ``Input.path``); collisions get ``~N``."""
    usable = [item for item in inputs if item.error is None]
    natural = {item.path: natural_output(item.rel) for item in usable}
    taken: set[str] = set()
    names: dict[str, PurePosixPath] = {}
    # An input already named <stem>.txt keeps its name; then sorted input order decides.
    for item in sorted(usable, key=lambda i: (natural[i.path] != i.rel, i.sort_key())):
        name = natural[item.path]
        number = 1
        while _key(name) in taken:
            number += 1
            name = name.with_name(f"{natural[item.path].stem}~{number}{OUTPUT_SUFFIX}")
        taken.add(_key(name))
        names[item.path] = name
    return names


def _key(name: PurePosixPath) -> str:
    return str(name).casefold()


def check_targets(args: Iterable[str | Path], inputs: Sequence[Input], targets: Iterable[Path]) -> None:
    """Refuse (:class:`OutputError`) any target inside an input folder, equal to one, or over an input file."""
    folders = [(Path(arg).resolve(), str(arg)) for arg in args if str(arg) != STDIN and Path(arg).is_dir()]
    files = {Path(item.path).resolve(): item.path for item in inputs if item.error is None and not item.is_stdin}
    for target in targets:
        real = target.resolve()
        for folder, arg in folders:
            if real == folder or folder in real.parents:
                raise OutputError(f"{target}: output would be inside the input folder {arg}; choose another -o")
        if real in files:
            raise OutputError(f"{target}: output would overwrite the input {files[real]}")


def check_out_dir(out_dir: Path) -> None:
    """Refuse an output folder path that exists and is not a folder."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: exists and is not a folder")


def make_dir(path: Path) -> None:
    """Create the output folder ``path`` (and its parents) or raise a one-line :class:`OutputError`."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{path}: exists and is not a folder") from None
    except OSError as err:
        raise OutputError(f"{path}: cannot create the output folder: {os_reason(err)}") from None


@contextmanager
def atomic_open(path: Path) -> Iterator[BinaryIO]:
    """Open ``path`` for writing bytes; it appears (replacing any old file) only when the block succeeds.

    A path that is, or links to, no regular file (device, FIFO, ``/dev/stdout``) is written
    through instead (see the module docstring): it cannot be replaced, and must not be.
    """
    through = _open_through(path)
    if through is not None:
        with _writing_through(path, through) as stream:
            yield stream
        return
    target = Path(os.path.realpath(path))  # a symlink's target is replaced, not the link
    temp: str | None = None
    stream: BinaryIO | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with stop_signals_held():  # a stop between creating the file and knowing its name would leave it behind
            fd, temp = _create_temp(target)
            stream = os.fdopen(fd, "wb")
        with stream:
            yield stream
        os.replace(temp, target)
    except OSError as err:
        _discard(stream, temp)
        raise OutputError(f"{path}: cannot write: {os_reason(err)}") from None
    except BaseException:
        _discard(stream, temp)
        raise


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


@contextmanager
def stop_signals_held() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP for the few system calls inside: they arrive when it ends, so
    a stop cannot fall between two writes that belong together (a temporary file and its name, an
    output and its report line).

    The handlers are swapped for ones that note the signal, then put back and the noted signals
    raised again (a signal mask would not do: another thread, such as a progress display's, may
    take the signal, and Python runs its handler in the main thread at once). Outside the main
    thread signals are not ours to handle: nothing is held.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []
    previous = {signum: signal.signal(signum, lambda signum, frame: noted.append(signum)) for signum in _STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)  # None: set outside Python
        for signum in noted:
            signal.raise_signal(signum)


def _discard(stream: BinaryIO | None, temp: str | None) -> None:
    """Close and remove a temporary file that will not become the output."""
    if stream is not None:
        with suppress(OSError):
            stream.close()
    if temp is not None:
        _remove(temp)


_FD_LINK = re.compile(r"/proc/(?:self|(\d+))/fd/(\d+)")
_MAX_LINKS = 40  # symlinks followed in one path, as Linux does


def _own_descriptor(path: Path) -> int | None:
    """The descriptor of this process that ``path`` names (``/dev/stdout``, ``/proc/self/fd/1``, a link to one)."""
    current = os.path.abspath(path)
    for _ in range(_MAX_LINKS):
        parent = os.path.realpath(os.path.dirname(current))  # /dev/fd and /proc/self are links too
        current = os.path.join(parent, os.path.basename(current))
        match = _FD_LINK.fullmatch(current)
        if match and match[1] in (None, str(os.getpid())):
            return int(match[2])
        if not os.path.islink(current):
            return None
        current = os.path.join(parent, os.readlink(current))
    return None


def _open_through(path: Path) -> int | None:
    """A descriptor to write ``path`` through, or ``None`` for a regular file (or none yet): that one is replaced.

    One of this process's descriptors is duplicated, so the writes share its offset (a
    ``--report /dev/stdout`` redirected to a file comes before the text printed after it);
    any other special file is opened for writing without creating or truncating anything.
    """
    try:
        own = _own_descriptor(path)
        if own is not None:
            return os.dup(own)
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as err:
        raise OutputError(f"{path}: cannot write: {os_reason(err)}") from None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None  # a folder fails at the rename, with its own reason
    try:
        return os.open(path, os.O_WRONLY)  # a FIFO waits here for its reader, as `cmd > fifo` does
    except OSError as err:
        raise OutputError(f"{path}: cannot write: {os_reason(err)}") from None


@contextmanager
def _writing_through(path: Path, fd: int) -> Iterator[BinaryIO]:
    """Write into ``fd`` (closed at the end); a write error is a one-line :class:`OutputError`."""
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
    except OSError as err:
        raise OutputError(f"{path}: cannot write: {os_reason(err)}") from None


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file in the same folder + rename)."""
    with atomic_open(path) as stream:
        stream.write(data)


def _create_temp(path: Path) -> tuple[int, str]:
    while True:
        temp = str(path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp"))
        try:
            return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), temp
        except FileExistsError:
            continue


def _remove(path: str) -> None:
    with suppress(OSError):
        os.unlink(path)

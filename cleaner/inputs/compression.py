"""Compressed input read transparently: gzip (one or more members, as Common Crawl writes them) and
zstd (one or more frames), told by their magic bytes whatever the file is called.

:func:`open_decompressed` gives a buffered stream of the decompressed bytes (the page reader
and the corpus readers use it), :func:`peek_head` the first bytes of a stream without losing
them. Decompression is bounded per call, so a "zip bomb" costs no more memory than the limit
its reader sets. Damaged compressed data (a cut file, a bad checksum, garbage after the last
member) is a one-line :class:`InputError`, raised only once everything before it was read.
"""

from __future__ import annotations

import io
import zlib
from typing import Any, BinaryIO

from cleaner.errors import InputError, os_reason

__all__ = ["DECOMPRESS_BUFFER", "GZIP", "MAGIC_BYTES", "ZSTD", "compression_of", "decompressing", "open_decompressed",
           "peek_head"]

GZIP = "gzip"
ZSTD = "zstd"
_MAGIC = ((b"\x1f\x8b", GZIP), (b"\x28\xb5\x2f\xfd", ZSTD))
MAGIC_BYTES = 4  # enough to tell every format in _MAGIC


def compression_of(head: bytes) -> str | None:
    """``"gzip"``, ``"zstd"`` or ``None`` (not compressed), from the first bytes of a stream."""
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    return None


def peek_head(stream: BinaryIO, size: int) -> tuple[bytes, BinaryIO]:
    """The first ``size`` bytes of ``stream`` (fewer at its end), and a stream that still starts with them.

    Uses ``peek`` where the stream has it (files, standard input); otherwise reads the bytes
    and returns a stream that replays them first, then reads on, never reading ahead.
    """
    peek = getattr(stream, "peek", None)
    if peek is not None:
        head = peek(size)[:size]
        if len(head) == size:
            return head, stream
    head = _read_up_to(stream, size)
    return head, _Prefixed(head, stream)  # type: ignore[return-value]


def open_decompressed(stream: BinaryIO) -> BinaryIO:
    """``stream`` read transparently: gzip or zstd data (told by magic bytes) come out decompressed.

    Uncompressed data comes back as ``stream`` itself when it can ``peek``. Damaged compressed
    data raises :class:`InputError` (one line) only once everything before the damage was
    read: from ``read`` at the point where it would return ``b""``, from ``readline`` instead
    of the cut last line. The returned stream is buffered (``readline`` and ``peek`` work).
    """
    head, stream = peek_head(stream, MAGIC_BYTES)
    kind = compression_of(head)
    return stream if kind is None else decompressing(stream, kind)


def decompressing(stream: BinaryIO, kind: str) -> BinaryIO:
    """The decompressed bytes of ``stream``, which holds ``kind`` (``"gzip"`` or ``"zstd"``) data.

    Errors as for :func:`open_decompressed` (data that is not ``kind`` at all is damage too).
    """
    if kind not in (GZIP, ZSTD):
        raise ValueError(f"unknown compression {kind!r}")
    return _Decompressed(_Decompressing(stream, kind))  # type: ignore[return-value]


DECOMPRESS_BUFFER = 64 * 1024
_READ_CHUNK = 64 * 1024
# zstd's decompressor has no output limit per call; one RLE block of 4 input bytes can stand for
# 128 KiB, so feeding 256 bytes at a time bounds one call's output to 8 MiB even for a zip bomb.
_ZSTD_FEED = 256


class _Prefixed(io.RawIOBase):
    """Bytes already read from a stream, then the rest of that stream (no read-ahead)."""

    def __init__(self, head: bytes, inner: BinaryIO) -> None:
        super().__init__()
        self._head = head
        self._inner = inner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        size = len(buffer)
        data = self._head[:size]
        self._head = self._head[size:]
        if len(data) < size:
            data += self._inner.read(size - len(data)) or b""
        buffer[: len(data)] = data
        return len(data)


class _Decompressing(io.RawIOBase):
    """The decompressed bytes of a gzip or zstd stream, for :class:`_Decompressed`.

    Members (gzip) and frames (zstd) are read one after the other; zero bytes between gzip
    members are skipped as ``gzip`` does. A stream cut inside a member or frame is damage,
    not a silent end: that is how a truncated download shows. Damage ends the stream (``0``
    from :meth:`readinto`) and is kept in :attr:`error`, so that a buffer above never drops the
    bytes before it.
    """

    def __init__(self, inner: BinaryIO, kind: str) -> None:
        super().__init__()
        self.error: InputError | None = None
        self._inner = inner
        self._kind = kind
        self._pending = b""  # input read but not yet decompressed
        self._out = b""  # output decompressed, returned up to self._at
        self._at = 0
        self._unit: Any = None  # the decompressor of the current member or frame
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while self._at == len(self._out) and not self._done:
            try:
                self._out, self._at = self._step(len(buffer)), 0
            except InputError as err:
                self.error, self._done = err, True
        size = min(len(buffer), len(self._out) - self._at)
        buffer[:size] = memoryview(self._out)[self._at: self._at + size]
        self._at += size
        return size

    def _take(self, size: int) -> bytes:
        """At most ``size`` input bytes (the left-over first); ``b""`` at the end of the input."""
        data, self._pending = self._pending, b""
        if not data:
            try:
                data = self._inner.read(size) or b""
            except OSError as err:
                raise InputError(os_reason(err)) from None
        if len(data) > size:
            data, self._pending = data[:size], data[size:]
        return data

    def _step(self, wanted: int) -> bytes:
        """Decompress a little more: some output, or ``b""`` (between members, or at the end)."""
        if self._unit is None:
            data = self._take(_READ_CHUNK)
            if not data:
                self._done = True
                return b""
            self._pending = data.lstrip(b"\0") if self._kind == GZIP else data
            if self._pending:
                self._unit = _new_unit(self._kind)
            return b""
        data = self._take(_READ_CHUNK if self._kind == GZIP else _ZSTD_FEED)
        if not data:
            raise InputError(f"truncated {self._kind} data (the file ends inside a compressed block)")
        out, rest, finished = _feed(self._kind, self._unit, data, max(wanted, DECOMPRESS_BUFFER))
        self._pending = rest + self._pending
        if finished:
            self._unit = None
        return out


class _Decompressed(io.BufferedIOBase):
    """A buffered :class:`_Decompressing` stream that raises its damage once the good bytes are read."""

    def __init__(self, raw: _Decompressing) -> None:
        super().__init__()
        self._raw = raw
        self._buffer = io.BufferedReader(raw, buffer_size=DECOMPRESS_BUFFER)

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        data = self._buffer.read(size)
        if not data and size != 0 and self._raw.error is not None:
            raise self._raw.error
        return data

    def read1(self, size: int = -1) -> bytes:
        data = self._buffer.read1(size)
        if not data and size != 0 and self._raw.error is not None:
            raise self._raw.error
        return data

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        """One line; a last line cut short by damage raises the damage instead."""
        line = self._buffer.readline(size)
        complete = line.endswith(b"\n") or (size is not None and 0 <= size <= len(line))
        if not complete and self._raw.error is not None:
            raise self._raw.error
        return line

    def peek(self, size: int = 0) -> bytes:
        return self._buffer.peek(size)

    def close(self) -> None:
        self._buffer.close()
        super().close()


def _new_unit(kind: str) -> Any:
    """A decompressor for one gzip member or one zstd frame."""
    if kind == GZIP:
        return zlib.decompressobj(zlib.MAX_WBITS | 16)
    import zstandard  # only zstd inputs need it (start-up time)

    return zstandard.ZstdDecompressor().decompressobj(read_across_frames=False)


def _feed(kind: str, unit: Any, data: bytes, limit: int) -> tuple[bytes, bytes, bool]:
    """Decompress ``data``: the output, the input not used yet, and whether the member or frame ended."""
    if kind == GZIP:
        try:
            out = unit.decompress(data, limit)
        except zlib.error as err:
            raise InputError(_damage(kind, err)) from None
        return (out, unit.unused_data, True) if unit.eof else (out, unit.unconsumed_tail, False)
    import zstandard

    try:
        out = unit.decompress(data)
    except zstandard.ZstdError as err:
        raise InputError(_damage(kind, err)) from None
    return (out, unit.unused_data, True) if unit.eof else (out, b"", False)


def _damage(kind: str, err: Exception) -> str:
    reason = str(err).split(": ", 1)[-1].strip().rstrip(".") or type(err).__name__
    return f"corrupt {kind} data ({reason[:1].lower() + reason[1:]})"


def _read_up_to(stream: BinaryIO, size: int) -> bytes:
    chunks: list[bytes] = []
    got = 0
    while got < size:
        chunk = stream.read(size - got)
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)

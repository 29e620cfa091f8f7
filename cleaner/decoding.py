"""Bytes -> text: the one place that reads input bytes and decides their encoding.

Order of checks for an input without ``--encoding``:

1. empty (0 bytes, or only whitespace) -> :class:`InputError`;
2. a UTF-32 / UTF-16 / UTF-8 byte-order mark decides the codec (the BOM is dropped);
3. without a BOM, NUL bytes or a high share of control characters mean a binary file;
4. strict UTF-8;
5. bytes that are partly valid multi-byte UTF-8 and partly invalid -> "mixed encodings";
6. otherwise charset-normalizer's best guess; nothing found -> "undecodable".

``encoding=`` forces a codec and skips the guessing (still strict: a byte the codec cannot
decode is an error, never silently replaced).
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from cleaner.errors import InputError

MiB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MiB
STDIN = "-"

_BOMS = (  # UTF-32 first: its little-endian BOM starts with the UTF-16 one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_UTF8_MULTIBYTE = re.compile(
    rb"[\xC2-\xDF][\x80-\xBF]|\xE0[\xA0-\xBF][\x80-\xBF]|[\xE1-\xEC\xEE\xEF][\x80-\xBF]{2}"
    rb"|\xED[\x80-\x9F][\x80-\xBF]|\xF0[\x90-\xBF][\x80-\xBF]{2}|[\xF1-\xF3][\x80-\xBF]{3}|\xF4[\x80-\x8F][\x80-\xBF]{2}"
)
# UTF-8 punctuation (’ “ ” – — … •), the euro sign and a stray BOM: never produced by chance
# by a legacy encoding, so one of them next to invalid bytes means two encodings in one file.
_UTF8_SIGNATURE = re.compile(rb"\xE2\x80[\x80-\xBF]|\xE2\x82\xAC|\xEF\xBB\xBF")
_CONTROL_BYTES = re.compile(rb"[\x01-\x08\x0E-\x1A\x1C-\x1F\x7F]")
_CONTROL_CHARS = re.compile("[\x01-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")  # C0 and C1, not \t \n \v \f \r ESC
_UNDECODED = re.compile("[\udc80-\udcff]")
BINARY_CONTROL_SHARE = 0.10
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:([kmgt])(i?b)?|(b))?\s*$", re.I)


@dataclass(frozen=True)
class Decoded:
    """Decoded input text and the codec that produced it (``bom`` when a BOM was dropped)."""

    text: str
    encoding: str
    bom: bool = False


def parse_size(value: str) -> int:
    """``"20M"`` -> bytes. ``K``/``M``/``G``/``T`` and ``KiB``... are powers of 1024, ``KB``... of 1000.

    Raises :class:`ValueError` for anything else (including zero or negative sizes).
    """
    match = _SIZE.match(value)
    if not match:
        raise ValueError(f"invalid size {value!r} (expected e.g. 20M, 500K, 1048576)")
    number, unit, suffix, _ = match.groups()
    power = "kmgt".index(unit.lower()) + 1 if unit else 0
    base = 1000 if suffix and suffix.lower() == "b" else 1024
    size = int(float(number) * base**power)
    if size <= 0:
        raise ValueError(f"invalid size {value!r} (must be more than 0 bytes)")
    return size


def format_size(size: int) -> str:
    """Bytes as a short human size: ``20 MiB``, ``1.5 KiB``, ``12 bytes``."""
    if size < 1024:
        return f"{size} bytes"
    value = float(size)
    for unit in ("KiB", "MiB", "GiB"):
        value /= 1024
        if value < 1024 or unit == "GiB":
            break
    return f"{value:.1f}".removesuffix(".0") + f" {unit}"


def check_encoding(name: str) -> str:
    """The canonical codec name for ``name``; :class:`LookupError` (one line) if it is no text codec."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise LookupError(f"unknown encoding {name!r}") from None
    if not getattr(info, "_is_text_encoding", True):
        raise LookupError(f"{name!r} is not a text encoding")
    return info.name


def read_bytes(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES, stdin: BinaryIO | None = None) -> bytes:
    """The bytes of ``path`` (``"-"``: standard input), at most ``max_bytes`` of them.

    Reads at most ``max_bytes + 1`` bytes, so an endless stream cannot exhaust memory.
    """
    if str(path) == STDIN:
        return _read_limited(stdin or sys.stdin.buffer, max_bytes)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError("no such file or directory") from None
    except OSError as err:
        raise InputError(_os_reason(err)) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError("is a directory")
    if info.st_size > max_bytes:
        raise InputError(_too_large(info.st_size, max_bytes))
    try:
        with open(path, "rb") as stream:
            return _read_limited(stream, max_bytes)
    except OSError as err:
        raise InputError(_os_reason(err)) from None


def decode(data: bytes, encoding: str | None = None) -> Decoded:
    """Decode input bytes (see the module docstring); :class:`InputError` when they are no usable text."""
    if not data.strip():
        raise InputError("empty file" if not data else "empty file (only whitespace)")
    forced = encoding is not None
    decoded = _decode_forced(data, encoding) if forced else _decode_bom(data) or _decode_guessed(data)
    check_text(decoded.text)
    return decoded


def read_text(
    path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, encoding: str | None = None, stdin: BinaryIO | None = None
) -> Decoded:
    """Read and decode one input (``"-"``: standard input)."""
    return decode(read_bytes(path, max_bytes, stdin), encoding)


def _read_limited(stream: BinaryIO, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size <= max_bytes:
        chunk = stream.read(min(max_bytes + 1 - size, MiB))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > max_bytes:
        raise InputError(_too_large(None, max_bytes))
    return b"".join(chunks)


def _too_large(size: int | None, max_bytes: int) -> str:
    actual = f"{format_size(size)}, " if size is not None else ""
    return f"too large ({actual}over the {format_size(max_bytes)} limit; see --max-size)"


def _os_reason(err: OSError) -> str:
    return (err.strerror or str(err)).lower()


def _decode_forced(data: bytes, encoding: str) -> Decoded:
    codec = check_encoding(encoding)
    if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], codec, bom=True)
    return _strict(data, codec)


def _decode_bom(data: bytes) -> Decoded | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):] if codec == "utf-8" else data  # utf-16/32 codecs read and drop the BOM
            return _strict(body, codec, bom=True)
    return None


def _strict(data: bytes, codec: str, bom: bool = False) -> Decoded:
    try:
        return Decoded(data.decode(codec), codec, bom)
    except UnicodeDecodeError as err:
        byte = data[err.start]
        raise InputError(f"cannot decode as {codec}: invalid byte 0x{byte:02X} at offset {err.start}") from None


def _check_binary(data: bytes) -> None:
    if b"\x00" in data:
        raise InputError("binary file (contains NUL bytes; for UTF-16 without a BOM use --encoding utf-16-le)")
    controls = len(_CONTROL_BYTES.findall(data))
    if controls > BINARY_CONTROL_SHARE * len(data):
        raise InputError(f"binary file ({controls * 100 // len(data)}% control characters)")


def _decode_guessed(data: bytes) -> Decoded:
    _check_binary(data)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as err:
        first_bad = err.start
    from charset_normalizer import from_bytes  # only inputs that are not UTF-8 need it (start-up)

    best = None
    multibyte = len(_UTF8_MULTIBYTE.findall(data))
    if multibyte:
        best = from_bytes(data).best()
        if _looks_mixed(data, multibyte, best.encoding if best else None):
            line = data.count(b"\n", 0, first_bad) + 1
            raise InputError(
                f"mixed encodings: partly UTF-8, partly not (first non-UTF-8 byte 0x{data[first_bad]:02X} "
                f"on line {line}); choose one with --encoding"
            )
    best = best or from_bytes(data).best()
    if best is None or best.encoding.startswith(("utf_16", "utf_32")):  # no NUL bytes: cannot be UTF-16/32
        raise InputError("undecodable: not UTF-8 and no known encoding fits; choose one with --encoding")
    return Decoded(str(best), best.encoding)


def _looks_mixed(data: bytes, multibyte: int, guess: str | None) -> bool:
    """Valid UTF-8 sequences next to invalid bytes: two encodings, or one legacy encoding by chance?

    Legacy CJK, Thai or Cyrillic text forms a valid UTF-8 pair now and then by chance, but far
    fewer than its invalid bytes, and never UTF-8's punctuation; Latin single-byte text almost
    never forms one.
    """
    invalid = len(_UNDECODED.findall(data.decode("utf-8", "surrogateescape")))
    if multibyte >= invalid or _UTF8_SIGNATURE.search(data):
        return True
    return guess is None or _latin_single_byte(guess)


@lru_cache(maxsize=64)
def _latin_single_byte(codec: str) -> bool:
    """True for single-byte codecs whose upper half is mostly Latin letters (cp1252, latin-1, cp1250...)."""
    letters = 0
    for byte in range(0xC0, 0x100):
        try:
            char = bytes([byte]).decode(codec)
        except (UnicodeDecodeError, LookupError):
            return False
        if len(char) != 1:
            return False
        letters += unicodedata.name(char, "").startswith("LATIN")
    return letters >= 0.75 * 0x40


def check_text(text: str) -> None:
    """Raise :class:`InputError` for decoded text that is empty or binary (NUL or many control characters)."""
    if not text.strip():
        raise InputError("empty file (only whitespace)")
    if "\x00" in text:
        raise InputError("binary file (contains NUL characters)")
    controls = len(_CONTROL_CHARS.findall(text))
    if controls > BINARY_CONTROL_SHARE * len(text):
        raise InputError(f"binary file ({controls * 100 // len(text)}% control characters)")

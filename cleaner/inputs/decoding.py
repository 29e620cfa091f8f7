"""Bytes -> text: the one place that reads input bytes and decides their encoding.

Order of checks for an input without ``--encoding``:

1. empty (0 bytes, or only whitespace) -> :class:`InputError`;
2. a UTF-32 / UTF-16 / UTF-8 byte-order mark decides the codec (the mark is dropped from the
   text and kept in :attr:`Decoded.bom`);
3. without a BOM, NUL bytes or a high share of control characters mean a binary file;
4. strict UTF-8;
5. bytes that are partly valid multi-byte UTF-8 and partly invalid -> "mixed encodings";
6. otherwise charset-normalizer's candidates: a declared charset (``declared=``) among the
   best ones, else cp1252 or cp1250 by the language of the text (Western or Central-European)
   when it is Latin, else cp1252 on a tie, else its best guess; nothing found -> "undecodable".
   :attr:`Decoded.confidence` says how sure the choice is.

``encoding=`` forces a codec and skips the guessing (still strict: a byte the codec cannot
decode is an error, never silently replaced).

Compressed input: :func:`read_bytes` recognises gzip and zstd by their magic bytes, whatever the
file is called, and returns the decompressed bytes (:mod:`cleaner.inputs.compression`); the
size limit applies to the decompressed size, so a "zip bomb" stops at the limit. Damaged
compressed data (a cut file, a bad checksum, garbage after the last member) is a one-line
:class:`InputError`.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from cleaner.errors import InputError, os_reason
from cleaner.inputs.compression import open_decompressed

__all__ = [
    "BOM_BYTES",
    "DEFAULT_MAX_BYTES",
    "Decoded",
    "MAX_ATTRIBUTES",
    "MAX_HTML_WORDS",
    "MAX_LINES",
    "MAX_LINE_CHARS",
    "MAX_TAGS",
    "MAX_TAG_ATTRIBUTES",
    "STDIN",
    "check_encoding",
    "check_line_count",
    "check_line_length",
    "check_text",
    "decode",
    "format_size",
    "parse_size",
    "read_bytes",
    "read_text",
    "too_large",
]

MiB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MiB
# Memory grows with a page's lines as well as its bytes (each line gets its objects, signals and
# label): 300,000 distinct lines peak at about 390 MB, 430 MB when they fill 20 MB, while a 20 MB
# page of 437,000 distinct lines peaked at 552 MB and one of 1.1 million short lines at 732 MB.
# A web page dump holds a few hundred lines; one with more than this is refused like a huge file.
MAX_LINES = 300_000
# One line is analysed whole (its words, signals, language): a 4 MB line of "a a a" peaked at
# 323 MB, a 20 MB one at 1.15 GB. A web page's longest line is a paragraph: at most 58 KB in the
# 3,106 dev dumps. Checked on the text that gets cleaned (a text page, an HTML page's whole-page text).
MAX_LINE_CHARS = 1_000_000
# Every HTML element costs its node in lxml's tree, in trafilatura's copy and its walks: 2 MB of
# `word <br>` (222,000 elements) passed 630 MB. The dev pages hold at most 8,000 start tags.
MAX_TAGS = 100_000
# Attributes cost memory as elements do, and libxml2 compares each attribute of a tag with the
# others (2 MB of attributes on one tag ran for minutes, in C, beyond --timeout's reach). The dev
# pages hold at most 13,520 attributes, and 419 on one tag.
MAX_ATTRIBUTES = 100_000
MAX_TAG_ATTRIBUTES = 10_000
# An HTML page's text is aligned word by word with trafilatura's (each word a string in several
# lists): 20 MB of distinct words passed 500 MB. The dev dumps hold at most 47,000 words.
MAX_HTML_WORDS = 1_000_000
STDIN = "-"

# A byte-order mark, the codec of the bytes after it, and the codec that reads the mark and drops it.
_BOMS = (  # UTF-32 first: its little-endian BOM starts with the UTF-16 one
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
BOM_BYTES = {codec: bom for bom, codec, _ in _BOMS}
# Without a mark, what these codecs read: utf-8-sig plain UTF-8, utf-16/32 this machine's byte order.
_NO_BOM = {"utf-8-sig": "utf-8", "utf-16": f"utf-16-{sys.byteorder[0]}e", "utf-32": f"utf-32-{sys.byteorder[0]}e"}
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
    """Decoded input text and the codec that produced it.

    ``encoding`` decodes the whole input to ``text``: with a byte-order mark it is the codec
    that reads and drops the mark (``utf-8-sig``, ``utf-16``, ``utf-32``), and ``bom`` names
    the mark's exact codec (``utf-8``, ``utf-16-le``, ``utf-16-be``, ``utf-32-le``,
    ``utf-32-be``), so ``BOM_BYTES[bom] + text.encode(bom)`` gives the input bytes back.
    """

    text: str
    encoding: str
    bom: str | None = None
    confidence: float = 1.0  # 0..1: 1 when the bytes say it (a mark, valid UTF-8, a forced codec); see _chosen


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
    """The bytes of ``path`` (``"-"``: standard input), at most ``max_bytes`` of them, decompressed.

    gzip and zstd data (told by magic bytes) are decompressed; ``max_bytes`` limits the
    decompressed size. Reads at most ``max_bytes + 1`` (decompressed) bytes, so an endless
    stream or a zip bomb cannot exhaust memory.
    """
    if str(path) == STDIN:
        return check_line_count(_read_limited(open_decompressed(stdin or sys.stdin.buffer), max_bytes))
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError("no such file or directory") from None
    except OSError as err:
        raise InputError(os_reason(err)) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError("is a directory")
    try:
        with open(path, "rb") as raw:
            stream = open_decompressed(raw)
            if stream is raw and info.st_size > max_bytes:  # plain file: refuse before reading
                raise InputError(too_large(info.st_size, max_bytes))
            data = _read_limited(stream, max_bytes)
    except OSError as err:
        raise InputError(os_reason(err)) from None
    return check_line_count(data)


def check_line_count(data: bytes, max_lines: int = MAX_LINES) -> bytes:
    """``data``, or :class:`InputError` when it holds more than ``max_lines`` lines (see :data:`MAX_LINES`).

    Counts line feeds, or carriage returns in a file that ends its lines with them only.
    """
    lines = data.count(b"\n") or data.count(b"\r")
    if lines > max_lines:
        raise InputError(f"too many lines ({lines:,}, over the {max_lines:,} limit a page may hold)")
    return data


def check_line_length(text: str, max_chars: int = MAX_LINE_CHARS) -> str:
    """``text``, or :class:`InputError` naming its first line longer than ``max_chars`` (see :data:`MAX_LINE_CHARS`).

    Lines end as a :class:`~cleaner.text.page.Page` ends them (``\\n``, ``\\r\\n``, ``\\r``); endings do not count.
    A text no longer than the limit is not scanned (every real page).
    """
    if len(text) <= max_chars or max(map(len, text.split("\n"))) <= max_chars:  # quick: splits at \n only
        return text
    # a run of more than max_chars characters that starts a line (the look-behind keeps the search linear)
    match = re.search(f"(?<![^\\r\\n])[^\\r\\n]{{{max_chars + 1},}}", text)
    if match is None:
        return text
    start = match.start()
    number = 1 + text.count("\n", 0, start) + text.count("\r", 0, start) - text.count("\r\n", 0, start)
    raise InputError(f"line {number:,} too long ({match.end() - start:,} characters, over the {max_chars:,} limit "
                     "a line may hold)")


def decode(data: bytes, encoding: str | None = None, *, declared: str | None = None) -> Decoded:
    """Decode input bytes (see the module docstring); :class:`InputError` when they are no usable text.

    ``declared``: the charset the input's source named (an HTTP header), preferred when the
    detector finds it as likely as its best guess.
    """
    if not data.strip():
        raise InputError("empty file" if not data else "empty file (only whitespace)")
    forced = encoding is not None
    decoded = _decode_forced(data, encoding) if forced else _decode_bom(data) or _decode_guessed(data, declared)
    check_text(decoded.text)
    return decoded


def read_text(
    path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, encoding: str | None = None, stdin: BinaryIO | None = None
) -> Decoded:
    """Read and decode one input (``"-"``: standard input)."""
    return decode(read_bytes(path, max_bytes, stdin), encoding)


def _read_limited(stream: BinaryIO, max_bytes: int) -> bytes:
    pipe = _pipe_fd(stream)
    chunks = _read_pipe(stream, pipe, max_bytes) if pipe is not None else _read_chunks(stream.read, max_bytes)
    size = sum(len(chunk) for chunk in chunks)
    if size > max_bytes:
        raise InputError(too_large(None, max_bytes))
    return b"".join(chunks)


def _read_chunks(read: Callable[[int], bytes], max_bytes: int, size: int = 0) -> list[bytes]:
    """Chunks from ``read`` up to its end or just past ``max_bytes`` (counting ``size`` already read)."""
    chunks: list[bytes] = []
    while size <= max_bytes:
        chunk = read(min(max_bytes + 1 - size, MiB))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return chunks


def _pipe_fd(stream: BinaryIO) -> int | None:
    """The descriptor of ``stream`` if it is an undecoded pipe, fifo or socket on POSIX, else ``None``."""
    if os.name != "posix" or not isinstance(stream, io.BufferedReader):
        return None
    try:
        fd = stream.fileno()
        mode = os.fstat(fd).st_mode
    except (OSError, ValueError):
        return None
    return fd if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) else None


def _read_pipe(stream: io.BufferedReader, fd: int, max_bytes: int) -> list[bytes]:
    """Read a pipe without ever blocking in ``read``, waiting in ``select`` between reads instead.

    Why: Python runs a signal handler between bytecodes. A Ctrl-C that lands just before a
    blocking ``read`` starts (inside one C-level buffered read) stays pending until the writer
    sends more, which a stalled writer never does. A ``select`` with a short timeout bounds
    that wait. The descriptor's flags are restored on the way out.
    """
    import fcntl
    import select

    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    fcntl.fcntl(fd, fcntl.F_SETFL, flags | os.O_NONBLOCK)
    try:
        # bytes the stream already holds (a peek at the head) come first; on a non-blocking
        # descriptor read1 answers b"" both at the end and when no data is ready yet
        chunks = _read_chunks(stream.read1, max_bytes)

        def read_ready(size: int) -> bytes:
            while True:
                try:
                    return os.read(fd, size)
                except BlockingIOError:
                    select.select([fd], [], [], _PIPE_WAIT)

        return chunks + _read_chunks(read_ready, max_bytes, sum(len(chunk) for chunk in chunks))
    finally:
        fcntl.fcntl(fd, fcntl.F_SETFL, flags)


_PIPE_WAIT = 0.2  # seconds; the longest a Ctrl-C can wait while a pipe's writer is silent


def too_large(size: int | None, max_bytes: int) -> str:
    """The one-line reason for an input over the size limit (``size`` when known)."""
    actual = f"{format_size(size)}, " if size is not None else ""
    return f"too large ({actual}over the {format_size(max_bytes)} limit; see --max-size)"


def _decode_forced(data: bytes, encoding: str) -> Decoded:
    """``data`` in the codec asked for; a byte-order mark of that codec is dropped, never text."""
    codec = check_encoding(encoding)
    found = _decode_bom(data, codec)
    if found is not None:
        return found
    return _strict(data, _NO_BOM.get(codec, codec))


def _decode_bom(data: bytes, forced: str | None = None) -> Decoded | None:
    """``data`` decoded by its byte-order mark (one that fits the ``forced`` codec), or ``None``."""
    for bom, codec, reader in _BOMS:
        if data.startswith(bom) and forced in (None, codec, reader):
            return Decoded(_strict(data, codec, len(bom)).text, reader, codec)
    return None


def _strict(data: bytes, codec: str, skip: int = 0) -> Decoded:
    """``data[skip:]`` decoded strictly (an error names the offset in ``data``)."""
    try:
        return Decoded(data[skip:].decode(codec), codec)
    except UnicodeDecodeError as err:
        at = err.start + skip
        raise InputError(f"cannot decode as {codec}: invalid byte 0x{data[at]:02X} at offset {at}") from None


def _check_binary(data: bytes) -> None:
    if b"\x00" in data:
        raise InputError("binary file (contains NUL bytes; for UTF-16 without a BOM use --encoding utf-16-le)")
    controls = len(_CONTROL_BYTES.findall(data))
    if controls > BINARY_CONTROL_SHARE * len(data):
        raise InputError(f"binary file ({controls * 100 // len(data)}% control characters)")


def _decode_guessed(data: bytes, declared: str | None = None) -> Decoded:
    _check_binary(data)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as err:
        first_bad = err.start
    from charset_normalizer import from_bytes  # only inputs that are not UTF-8 need it (start-up)

    matches = None
    multibyte = len(_UTF8_MULTIBYTE.findall(data))
    if multibyte:
        matches = from_bytes(data)
        best = matches.best()
        if _looks_mixed(data, multibyte, best.encoding if best else None):
            line = data.count(b"\n", 0, first_bad) + 1
            raise InputError(
                f"mixed encodings: partly UTF-8, partly not (first non-UTF-8 byte 0x{data[first_bad]:02X} "
                f"on line {line}); choose one with --encoding"
            )
    matches = matches if matches is not None else from_bytes(data)
    best = matches.best()
    if best is None or best.encoding.startswith(("utf_16", "utf_32")):  # no NUL bytes: cannot be UTF-16/32
        raise InputError("undecodable: not UTF-8 and no known encoding fits; choose one with --encoding")
    return _chosen(data, list(matches)[:_CANDIDATES], declared)


# --- choosing among charset-normalizer's candidates -----------------------------------------------

# How far a candidate may be from the best one and still count as a tie (charset-normalizer's
# mess ratio and language coherence, both 0..1): it often scores cp1250, cp1252, cp1257 alike.
_CLOSE_CHAOS = 0.02
_CLOSE_COHERENCE = 0.05
_CANDIDATES = 8  # the best candidates looked at (each decodes the whole input once)
# Languages the web writes in windows-1252 / windows-1250 when not in UTF-8 (ISO 639-1).
WESTERN_LANGUAGES = frozenset({
    "af", "br", "ca", "cy", "da", "de", "en", "es", "eu", "fi", "fo", "fr", "ga", "gd", "gl", "is", "it", "la", "lb",
    "nl", "no", "oc", "pt", "sq", "sv", "wa",
})
CENTRAL_LANGUAGES = frozenset({"bs", "cs", "hr", "hu", "pl", "ro", "sk", "sl", "sr"})
# The Windows codec of a language written in Latin letters (Turkish and Baltic ones have their own).
_FAMILY = {
    **dict.fromkeys(WESTERN_LANGUAGES, "cp1252"), **dict.fromkeys(CENTRAL_LANGUAGES, "cp1250"),
    "tr": "cp1254", "lt": "cp1257", "lv": "cp1257",
}
LANGUAGE_SAMPLE = 64 * 1024  # characters of a page its language is guessed from
_MARKUP = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.S | re.I)


def _chosen(data: bytes, matches: list[Any], declared: str | None) -> Decoded:
    """The codec among charset-normalizer's ``matches`` (best first) the text most likely is in.

    In order: a ``declared`` charset (HTTP header) among the near-best candidates; when the
    best reads Latin letters, the Windows codec of the text's language (cp1252 Western,
    cp1250 Central-European, cp1254 Turkish, cp1257 Baltic); else, when cp1252 ties with the
    best, cp1252 for Latin text of no other language; else charset-normalizer's best. Why:
    its candidates often tie (same mess, same coherence) and its order then favours cp1250,
    which turns "años" into "ańos" and "não" into "năo"; the words around those letters tell.
    """
    best = matches[0]
    tied = [m for m in matches if _close(m, best)]
    text = str(best)
    if declared is not None and any(_covers(m, declared) for m in tied):
        found = _decoded_as(data, declared, matches, tied=None)
        if found is not None:
            return found
    latin = _latin_single_byte(best.encoding) or _latin_letters(text)
    cp1252_tied = any(_covers(m, "cp1252") for m in tied)
    if latin or (cp1252_tied and _mostly_ascii_letters(text)):
        language = _language(text)
        # The language tells Western from Central-European only where the best guess reads Latin letters.
        family = _FAMILY.get(language or "") if latin else None
        found = _decoded_as(data, family, matches, tied=None)
        if found is None and cp1252_tied and (language is None or language in WESTERN_LANGUAGES):
            found = _decoded_as(data, "cp1252", matches, tied)
        if found is not None:
            return found
    return Decoded(text, best.encoding, confidence=_confidence(best.chaos, text, tied))


def _close(match: Any, best: Any) -> bool:
    return match.chaos <= best.chaos + _CLOSE_CHAOS and match.coherence >= best.coherence - _CLOSE_COHERENCE


def _covers(match: Any, codec: str) -> bool:
    """True when ``match`` stands for ``codec`` (charset-normalizer groups codecs that decode alike)."""
    return any(_canonical(name) == _canonical(codec) for name in [match.encoding, *match.could_be_from_charset])


@lru_cache(maxsize=64)
def _canonical(codec: str) -> str:
    try:
        return codecs.lookup(codec).name
    except LookupError:
        return codec


def _decoded_as(data: bytes, codec: str | None, matches: list[Any], tied: list[Any] | None) -> Decoded | None:
    """``data`` in ``codec`` (``None`` when it does not decode); ``tied``: the candidates it was chosen among."""
    if codec is None:
        return None
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    chaos = min((m.chaos for m in matches if _covers(m, codec)), default=matches[0].chaos)
    return Decoded(text, _canonical(codec), confidence=_confidence(chaos, text, tied or []))


def _confidence(chaos: float, text: str, tied: list[Any]) -> float:
    """1 minus the mess ratio, halved when a tied candidate reads the bytes as other text."""
    ambiguous = any(str(match) != text for match in tied)
    return round(max(0.0, 1.0 - chaos) * (0.5 if ambiguous else 1.0), 3)


def _latin_letters(text: str) -> bool:
    """True when at least 3 in 4 of the letters beyond ASCII in ``text`` are Latin (mac_latin2's "cafť" too)."""
    beyond = [char for char in text[:LANGUAGE_SAMPLE] if not char.isascii() and char.isalpha()]
    latin = sum(unicodedata.name(char, "").startswith("LATIN") for char in beyond)
    return bool(beyond) and latin * 4 >= len(beyond) * 3


def _mostly_ascii_letters(text: str) -> bool:
    """Latin text whatever codec read it: at least half its letters are plain ASCII."""
    sample = text[:LANGUAGE_SAMPLE]
    letters = sum(char.isalpha() for char in sample)
    return letters > 0 and sum(char.isascii() and char.isalpha() for char in sample) * 2 >= letters


def _language(text: str) -> str | None:
    """The language of ``text`` (its first characters, markup left out), or ``None`` when it cannot tell."""
    from cleaner.text.language import guess_language  # only legacy-encoded inputs need it
    from cleaner.text.page import Page

    language = guess_language(Page(_MARKUP.sub(" ", text[:LANGUAGE_SAMPLE])), default="")
    return language or None


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

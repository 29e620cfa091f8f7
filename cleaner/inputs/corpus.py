"""Corpus files in: WARC / WET archives and JSONL files read record by record.

Inputs (:func:`iter_documents`), recognised by content, not by name (gzip and zstd
compression by magic bytes, then the format by the first decompressed bytes):

* WARC (``.warc``, ``.warc.gz``...): ``response`` records with an HTML payload (HTTP status
  2xx; HTTP headers stripped, chunked transfer coding and gzip / deflate / br / zstd content
  coding undone) and ``resource`` records of HTML, as ``kind="html"`` documents;
* WET (``.warc.wet.gz``, Common Crawl's text extracts): ``conversion`` records, whose block
  is a whole-page text dump, as ``kind="text"`` documents;
* ARC (``.arc``, ``.arc.gz``, the format before WARC, told by its ``filedesc://`` start): HTML
  responses (HTTP 2xx), as ``kind="html"`` documents;
* WAT (``.warc.wat.gz``: a WARC of ``metadata`` records holding JSON, told by its first such
  record): refused as a whole (:class:`CorpusError`, :data:`WAT_REFUSAL`), as it holds no page text;
* JSON lines (``.jsonl``, ``.jsonl.gz``, ``.ndjson``...): one object a line, the page in a
  configurable field (:class:`CorpusOptions`), as ``kind="text"`` documents (whether the
  text is in fact HTML is decided later, by content).

Other WARC records (``warcinfo``, ``request``, ``metadata``, ``revisit``, non-HTML responses
such as images or PDF, redirects and errors) are no documents and are skipped silently. The
WARC parser is FastWARC. Reading streams: one record in memory at a time, each at most
``max_bytes`` (a bigger one becomes an error document), so memory stays flat whatever the
size of the file.

A record that cannot be read (bad JSON, no text field, too big) is an error
:class:`Document` and the reading goes on; damage that ends the file early (a truncated
download) is an error document after all the good records, and the end. A record FastWARC
cannot parse (a header line over 64 KB, garbage between records) is one error document
(``skipped_bytes``: the bytes passed over) and the reading resumes at the next ``WARC/1.`` line.
A file that is no corpus at all raises :class:`CorpusError`.

The JSON lines written out (the writer, the output record, reading an output back) live in
:mod:`cleaner.outputs.corpus_output`: this module only reads.
"""

from __future__ import annotations

import io
import itertools
import json
import re
import sys
import zlib
from collections.abc import Generator, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from cleaner.errors import InputError
from cleaner.inputs.decoding import (
    DEFAULT_MAX_BYTES,
    GZIP,
    STDIN,
    ZSTD,
    check_line_count,
    decompressing,
    open_decompressed,
    too_large,
)

if TYPE_CHECKING:
    from fastwarc.warc import HeaderMap, WarcRecord


__all__ = [
    "CORPUS_SUFFIXES",
    "CorpusError",
    "CorpusOptions",
    "Document",
    "ReadCounts",
    "first_read",
    "is_corpus_path",
    "is_wat_name",
    "iter_documents",
    "sniff_corpus",
]

CORPUS_SUFFIXES: tuple[str, ...] = tuple(
    base + compression
    for base in (".warc", ".wet", ".warc.wet", ".arc", ".wat", ".warc.wat", ".jsonl", ".ndjson")
    for compression in ("", ".gz", ".zst")
) + (".json.gz", ".json.zst")  # compressed ".json" corpora (C4, OSCAR...) are JSON lines
"""Lower-case name endings of corpus files (a plain ``.json`` file is one JSON value, not a corpus).

WAT names are here so that a WAT file is refused as one (:data:`WAT_REFUSAL`), never cleaned as a page."""

WARC = "warc"
ARC = "arc"
JSONL = "jsonl"
WAT_REFUSAL = "skipped: a WAT file (JSON metadata records, no page text); clean the crawl's WARC or WET file"
TEXT = "text"
HTML = "html"
SNIFF_BYTES = 4096
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
HTTP_HEADER_ALLOWANCE = 64 * 1024  # a response block holds HTTP headers on top of its (limited) body
_JSON_OBJECT_START = re.compile(rb"\s*\{\s*[\"}]")
_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.I)


class CorpusError(InputError):
    """A corpus file that cannot be read at all: missing, unreadable, or not a corpus."""


@dataclass(frozen=True)
class CorpusOptions:
    """How to read JSON lines, and the size limit of one record.

    ``text_key``, ``id_key`` and ``url_key`` name fields of each JSON object; a name with dots
    (``metadata.url``) reaches into nested objects when no field has that exact name. Without a
    ``url`` field, the default ``url_key`` also finds datatrove's ``metadata.url``.
    """

    text_key: str = "text"
    id_key: str = "id"
    url_key: str = "url"
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class Document:
    """One page of a corpus, or the reason one record could not be read (``error``).

    ``id``: the WARC-Record-ID (WET: the conversion record's), the JSON id field, or
    ``<source>:<line>`` (``<source>:<record>`` in a WARC) when there is none. ``content``: the
    page bytes (``None`` for an error). ``kind``: ``"text"`` or ``"html"``. ``charset``: the
    declared charset, a hint. ``position``: 0-based count of the documents yielded before it
    from the same file. ``metadata``: small string facts from the record (``warc_date``,
    ``content_type``, ``identified_language``).
    """

    id: str
    url: str | None
    content: bytes | None
    kind: str
    charset: str | None
    source: str
    position: int
    error: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    skipped_bytes: int = 0  # an error document for damaged WARC data: the bytes passed over to the next record
    fields: dict[str, Any] = field(default_factory=dict)  # a JSON line's other fields, passed through untouched


@dataclass
class ReadCounts:
    """What reading one corpus file met (:func:`iter_documents` adds to it as it goes).

    ``records``: WARC records, or non-blank JSON lines, read; ``passed_over``: records that
    hold no document (WARC ``warcinfo``, requests, metadata, redirects, non-HTML responses...).
    """

    records: int = 0
    passed_over: int = 0


def is_corpus_path(name: str) -> bool:
    """True when ``name`` ends like a corpus file (:data:`CORPUS_SUFFIXES`, any case)."""
    return name.lower().endswith(CORPUS_SUFFIXES)


def is_wat_name(name: str) -> bool:
    """True for a WAT file's name (``x.warc.wat.gz``): it is refused when read, so it writes no output."""
    return name.lower().endswith(tuple(".wat" + compression for compression in ("", ".gz", ".zst")))


def sniff_corpus(head: bytes) -> str | None:
    """``"warc"``, ``"arc"``, ``"jsonl"`` or ``None``, from the first (decompressed) bytes of a file.

    JSON lines must start with an object whose first key is a string (``{"`` or ``{}``), so a
    text dump that happens to begin with a brace is not taken for one.
    """
    head = head.removeprefix(b"\xef\xbb\xbf")
    if head.startswith(b"WARC/"):
        return WARC
    if head.startswith(b"filedesc://"):  # an ARC file, the format before WARC
        return ARC
    if _JSON_OBJECT_START.match(head):
        return JSONL
    return None


def iter_documents(
    path: str | Path, options: CorpusOptions = CorpusOptions(), stdin: BinaryIO | None = None,  # noqa: B008
    counts: ReadCounts | None = None,
) -> Iterator[Document]:
    """The documents of one corpus file (``"-"``: standard input), streamed record by record.

    ``counts``, when given, counts the records read and those passed over (no document), so
    that a run can say what it skipped.

    The file is opened and recognised at once: :class:`CorpusError` (one line) for a missing
    or unreadable file, an empty one, or one that is neither WARC nor JSON lines. Everything
    after that is reported as error documents (see the module docstring).
    """
    source = str(path)
    raw = _open(source, stdin)
    try:
        stream = open_decompressed(raw)
        if not hasattr(stream, "peek"):
            stream = io.BufferedReader(stream)  # type: ignore[arg-type]
        kind = _corpus_kind(stream)
    except InputError as err:
        _close(raw, source)
        raise CorpusError(str(err)) from None
    except BaseException:
        _close(raw, source)
        raise
    read = {WARC: _warc_documents, ARC: _arc_documents}.get(kind, _jsonl_documents)
    documents = read(stream, source, options, counts or ReadCounts())
    if kind == WARC:  # a WAT file is told by its first records: refuse it now, as a whole
        try:
            documents = first_read(documents)
        except BaseException:
            _close(raw, source)
            raise
    return _closing(documents, raw, source)


def first_read(documents: Iterator[Document]) -> Iterator[Document]:
    """``documents`` with its first item read already: an error in reading it is raised here, not later."""
    first = next(documents, None)
    return documents if first is None else itertools.chain([first], documents)


def _open(source: str, stdin: BinaryIO | None) -> BinaryIO:
    if source == STDIN:
        return stdin or sys.stdin.buffer
    if Path(source).is_dir():
        raise CorpusError("is a directory")
    try:
        return open(source, "rb")  # noqa: SIM115 - closed by _closing when the documents are done
    except FileNotFoundError:
        raise CorpusError("no such file or directory") from None
    except OSError as err:
        raise CorpusError(_reason(err)) from None


def _corpus_kind(stream: BinaryIO) -> str:
    """The format of a (decompressed) stream, from its first bytes, without consuming them."""
    head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES]  # type: ignore[attr-defined]
    kind = sniff_corpus(head)
    if kind is not None:
        return kind
    if not head:
        stream.read(1)  # damaged compressed data raises its InputError here
        raise CorpusError("empty file")
    raise CorpusError("not a corpus file (neither WARC or ARC records nor JSON lines)")


def _close(raw: BinaryIO, source: str) -> None:
    if source != STDIN:  # standard input belongs to the caller
        raw.close()


def _closing(documents: Iterator[Document], raw: BinaryIO, source: str) -> Iterator[Document]:
    try:
        yield from documents
    finally:
        _close(raw, source)


def _fallback_id(source: str, number: int) -> str:
    return f"{'stdin' if source == STDIN else source}:{number}"


# --- WARC and WET -------------------------------------------------------------------------------


class _Guard:
    """The stream FastWARC reads: damage becomes the end of the stream, kept in :attr:`error`.

    FastWARC reads ahead; an exception from ``read`` would lose the records already read into
    its buffer, and it needs ``tell``. The bytes read past the last record's end are kept
    (:meth:`mark` forgets older ones, before they are even read), so that after a record
    FastWARC cannot parse the reading can go back into its read-ahead and start again at the
    next record (:meth:`resync`). What is kept is the read-ahead, never a whole record.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self.error: str | None = None
        self._stream = stream
        self._position = 0  # where the next read starts (an offset in the stream)
        self._pulled = 0  # bytes read from the stream so far
        self._kept = bytearray()  # bytes read, from offset _kept_from on (empty when that is not read yet)
        self._kept_from = 0

    def read(self, size: int = -1) -> bytes:
        ahead = self._pulled - self._position  # kept bytes to serve again after a resync
        if ahead > 0:
            start = self._position - self._kept_from
            data = bytes(self._kept[start : start + (ahead if size < 0 else min(size, ahead))])
        else:
            data = self._pull(size)
        self._position += len(data)
        return data

    def _pull(self, size: int) -> bytes:
        if self.error is not None:
            return b""
        try:
            data = self._stream.read(size)
        except (InputError, OSError) as err:
            self.error = _reason(err)
            return b""
        if self._pulled + len(data) > self._kept_from:
            self._kept += data[max(self._kept_from - self._pulled, 0) :]
        self._pulled += len(data)
        return data

    def tell(self) -> int:
        return self._position

    def close(self) -> None:
        """The caller closes the file."""

    def mark(self, offset: int) -> None:
        """Nothing before ``offset`` will be read again: forget it (now, or when it is read)."""
        if offset > self._kept_from:
            del self._kept[: offset - self._kept_from]
            self._kept_from = offset

    def header_length(self, offset: int) -> int | None:
        """The length of the WARC header starting at ``offset`` (a kept record start), blank line included."""
        end = _HEADER_END.search(self._kept, offset - self._kept_from) if offset >= self._kept_from else None
        return None if end is None else end.end() - (offset - self._kept_from)

    def resync(self, damage: int) -> tuple[int, bool]:
        """Go to the next line starting ``WARC/1.`` after offset ``damage``: (bytes passed over, found).

        Blank lines at ``damage`` are passed over first, so the damaged record's own
        ``WARC/1.`` line is not found again. The reading position is set to the next record
        (or to the end of the stream when there is none), so a new FastWARC iterator starts
        there. Bytes are forgotten as the search passes them.
        """
        self.mark(damage)
        self._fill(damage + 1)
        while self._kept[:1] in (b"\r", b"\n") and self._kept_from < damage + _RESYNC_CHUNK:
            self.mark(self._kept_from + 1)
            self._fill(self._kept_from + 1)
        damage = searched = self._kept_from  # the damaged record's first byte
        while True:
            found = _NEXT_RECORD.search(self._kept, max(searched - self._kept_from, 0))
            if found is not None:
                self._position = self._kept_from + found.start() + 1  # after the newline
                return self._position - damage, True
            searched = max(self._pulled - len(_NEXT_RECORD.pattern), self._kept_from)
            self.mark(searched)
            if not self._pull(_RESYNC_CHUNK):
                self._position = self._pulled
                return self._position - damage, False

    def _fill(self, offset: int) -> None:
        """Read on until the bytes before ``offset`` are read (or the stream ends)."""
        while self._pulled < offset and self._pull(_RESYNC_CHUNK):
            pass


_HEADER_END = re.compile(rb"\r?\n\r?\n")
_NEXT_RECORD = re.compile(rb"\nWARC/1\.")
_RESYNC_CHUNK = 64 * 1024


@dataclass
class _WarcState:
    """Where the WARC reading is: documents yielded, records read, and where the damage would start."""

    position: int = 0
    number: int = 0
    resume: int = 0  # the end of the last record read (or where reading restarted)
    content_seen: bool = False  # a record other than warcinfo was read (a WAT file is told before that)


def _warc_documents(stream: BinaryIO, source: str, options: CorpusOptions, counts: ReadCounts) -> Iterator[Document]:
    guard = _Guard(stream)
    state = _WarcState()
    while True:  # one FastWARC iterator per stretch of readable records
        reason = yield from _warc_stretch(guard, state, source, options, counts)
        if reason is None:
            return
        # A record FastWARC cannot parse (a header line over 64 KB, garbage): skip to the next record.
        skipped, found = guard.resync(state.resume)
        reason += f"; skipped {skipped} bytes to the {'next record' if found else 'end of the file'}"
        state.number += 1  # the damaged record (or stretch of garbage) counts as one
        counts.records += 1
        yield _error(_fallback_id(source, state.number), None, source, state.position, reason, skipped)
        state.position += 1
        state.resume = guard.tell()
        if guard.error is not None:  # the stream itself ended damaged inside the skipped bytes
            counts.records += 1
            yield _error(_fallback_id(source, state.number + 1), None, source, state.position, guard.error)
            return


def _warc_stretch(
    guard: _Guard, state: _WarcState, source: str, options: CorpusOptions, counts: ReadCounts
) -> Generator[Document, None, str | None]:
    """Read records to the end (returns ``None``) or to damage FastWARC raises on (returns the reason)."""
    from fastwarc.warc import ArchiveIterator  # the JSON-lines path and start-up do without it

    records = iter(ArchiveIterator(guard, parse_http=False, stream_detect=False))
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except (OSError, ValueError) as err:  # FastWARC: "Invalid WARC header", "Maximum header length exceeded."
            if guard.error is None:
                return f"damaged WARC data after record {state.number} ({err})"
            break
        state.number += 1
        counts.records += 1
        if not state.content_seen:
            state.content_seen = _first_content(record)
        header = guard.header_length(record.stream_pos)
        if header is not None:  # damage after this record starts at its end: keep nothing before that
            state.resume = record.stream_pos + header + record.content_length
            guard.mark(state.resume)
        document, damaged = _warc_document(record, source, state.position, state.number, options, guard)
        if document is not None:
            yield document
            state.position += 1
        else:
            counts.passed_over += 1
        if damaged:
            return None
    if guard.error is not None:
        counts.records += 1
        yield _error(_fallback_id(source, state.number + 1), None, source, state.position, guard.error)
    return None


def _first_content(record: WarcRecord) -> bool:
    """Whether ``record`` is past the ``warcinfo`` records; :class:`CorpusError` if it shows a WAT file.

    A WAT file's records, after its warcinfo, are ``metadata`` holding JSON; a WARC starts with
    requests or responses (its own metadata records hold warc-fields, and come after them).
    """
    headers = _fields(record.headers)
    kind = headers.get("warc-type")
    if kind == "metadata" and _mime(headers.get("content-type", "")) == "application/json":
        raise CorpusError(WAT_REFUSAL)
    return kind != "warcinfo"


def _warc_document(
    record: WarcRecord, source: str, position: int, number: int, options: CorpusOptions, guard: _Guard
) -> tuple[Document | None, bool]:
    """The document of one WARC record (``None``: not a page), and whether the file ends damaged here."""
    headers = _fields(record.headers)
    record_id = record.record_id or _fallback_id(source, number)
    url = _target_uri(headers.get("warc-target-uri"))
    record_type = headers.get("warc-type")
    length = record.content_length
    wanted = record_type in ("response", "resource", "conversion")
    if "content-length" not in headers or record_type is None:
        reason = guard.error or "damaged WARC record header (no WARC-Type or Content-Length; the file may be cut)"
        return _error(record_id, url, source, position, reason), True
    if not wanted:
        if record.reader.consume() < length:
            return _error(record_id, url, source, position, guard.error or _TRUNCATED), True
        return None, False
    if length > options.max_bytes + HTTP_HEADER_ALLOWANCE:
        return _error(record_id, url, source, position, "record " + too_large(length, options.max_bytes)), False
    block = record.reader.read(length)
    if len(block) < length:
        return _error(record_id, url, source, position, guard.error or _TRUNCATED), True
    try:
        page = _page(record_type, headers, block, options.max_bytes)
    except InputError as err:
        return _error(record_id, url, source, position, str(err)), False
    if page is None:
        return None, False
    content, kind, charset, content_type = page
    metadata = {"warc_date": headers.get("warc-date"), "content_type": content_type,
                "identified_language": headers.get("warc-identified-content-language")}
    facts = {key: value for key, value in metadata.items() if value}
    return Document(record_id, url, content, kind, charset, source, position, None, facts), False


def _target_uri(value: str | None) -> str | None:
    """The record's URL; wget writes it as ``<http://...>``, and warcio and datatrove strip the brackets too."""
    if value is not None and value.startswith("<") and value.endswith(">"):
        return value[1:-1].strip() or None
    return value


_TRUNCATED = "truncated WARC record (the file ends inside it)"
_Page = tuple[bytes, str, str | None, str | None]  # content, kind, charset, content type


def _page(record_type: str, headers: dict[str, str], block: bytes, max_bytes: int) -> _Page | None:
    """The page in a record's block, or ``None`` when the record holds no page."""
    warc_type = headers.get("content-type", "")
    if record_type == "conversion":
        return _checked(block, max_bytes), TEXT, _charset(warc_type), _mime(warc_type) or None
    if record_type == "resource":
        if _mime(warc_type) not in HTML_TYPES:
            return None
        return _checked(block, max_bytes), HTML, _charset(warc_type), _mime(warc_type)
    if not _mime(warc_type).startswith("application/http"):
        return None  # a response that is not HTTP (dns:, whois:...)
    return _http_page(headers, block, max_bytes)


def _http_page(headers: dict[str, str], block: bytes, max_bytes: int) -> _Page | None:
    from fastwarc.warc import HeaderMap

    http = HeaderMap()
    size = http.parse(io.BytesIO(block))
    status = http.status_code
    if status is None:
        raise InputError("invalid HTTP response header")
    if not 200 <= status < 300:
        return None  # redirects and errors are no pages
    fields = _fields(http)
    content_type = fields.get("content-type", "")
    mime = _mime(content_type) or _mime(headers.get("warc-identified-payload-type", ""))
    if mime and mime not in HTML_TYPES:
        return None  # images, PDF, scripts...
    body = _decoded_body(block[size:], fields, max_bytes)
    if not mime and not _looks_like_html(body):
        return None
    return _checked(body, max_bytes), HTML, _charset(content_type), mime or "text/html"


def _decoded_body(body: bytes, fields: Mapping[str, str], max_bytes: int) -> bytes:
    """The body with its transfer and content codings undone (at most ``max_bytes + 1`` bytes of it)."""
    if "chunked" in fields.get("transfer-encoding", "").lower():
        from fastwarc.stream_io import ChunkedReader

        try:
            body = ChunkedReader(io.BytesIO(body)).read()
        except OSError:  # FastWARC's message quotes the raw bytes it choked on
            raise InputError("bad chunked transfer coding") from None
    for coding in reversed([c.strip().lower() for c in fields.get("content-encoding", "").split(",") if c.strip()]):
        body = _undo_coding(coding, body, max_bytes)
    return body


def _undo_coding(coding: str, body: bytes, max_bytes: int) -> bytes:
    if coding in ("identity", ""):
        return body
    if coding in ("gzip", "x-gzip", "zstd"):
        try:
            return decompressing(io.BytesIO(body), ZSTD if coding == ZSTD else GZIP).read(max_bytes + 1)
        except InputError as err:
            raise InputError(f"{coding} content coding: {err}") from None
    if coding == "deflate":  # a zlib stream, or raw deflate from servers that get it wrong
        for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):
            unit = zlib.decompressobj(wbits)
            try:
                return unit.decompress(body, max_bytes + 1)
            except zlib.error:
                continue
        raise InputError("corrupt deflate content coding")
    if coding == "br":
        from fastwarc.stream_io import BrotliReader

        return _limited(BrotliReader(io.BytesIO(body)), max_bytes, coding)  # type: ignore[arg-type]
    raise InputError(f"unsupported content coding {coding[:40]!r}")


def _limited(stream: BinaryIO, max_bytes: int, coding: str) -> bytes:
    try:
        return stream.read(max_bytes + 1)
    except OSError:
        raise InputError(f"corrupt {coding} content coding") from None


def _checked(content: bytes, max_bytes: int) -> bytes:
    if len(content) > max_bytes:
        raise InputError("record " + too_large(None if len(content) == max_bytes + 1 else len(content), max_bytes))
    try:
        return check_line_count(content)
    except InputError as err:
        raise InputError(f"record {err}") from None


def _looks_like_html(body: bytes) -> bool:
    from cleaner.inputs.html_source import looks_like_html

    return looks_like_html(body)


def _fields(headers: HeaderMap) -> dict[str, str]:
    """Headers by lower-case name (one call into FastWARC: its lookups are slow, and case-sensitive)."""
    return {key.lower(): value for key, value in headers.to_dict().items()}


def _mime(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _charset(content_type: str) -> str | None:
    match = _CHARSET.search(content_type)
    return match.group(1) if match else None


def _error(doc_id: str, url: str | None, source: str, position: int, reason: str, skipped: int = 0) -> Document:
    return Document(doc_id, url, None, TEXT, None, source, position, reason, skipped_bytes=skipped)


# --- ARC ----------------------------------------------------------------------------------------


def _arc_documents(stream: BinaryIO, source: str, options: CorpusOptions, counts: ReadCounts) -> Iterator[Document]:
    """The HTML responses of an ARC file (version 1 or 2), read record by record.

    Each record is a header line (URL, IP, date, content type, ..., length last) and that many
    bytes of HTTP response; the first, ``filedesc://``, describes the file. FastWARC does not
    read ARC, and the format is this small.
    """
    position = number = 0
    while True:
        numbered = number  # a damaged header is a record read too; a damaged body's record is counted already
        try:
            line = _arc_header_line(stream)
            if line is None:
                return
            fields = line.split()
            length = int(fields[-1]) if len(fields) >= 5 and fields[-1].isdigit() else -1
            if length < 0:
                raise InputError(f"damaged ARC record header after record {number} ({line[:60]!r})")
            number += 1
            counts.records += 1
            document = _arc_document(stream, fields, length, source, position, number, options)
        except (InputError, OSError) as err:
            counts.records += number == numbered
            yield _error(_fallback_id(source, number + 1), None, source, position, _reason(err))
            return
        if document is None:
            counts.passed_over += 1
            continue
        yield document
        position += 1
        if document.error == _ARC_TRUNCATED:
            return


def _arc_header_line(stream: BinaryIO) -> str | None:
    """The next record's header line (blank lines between records passed over), ``None`` at the end."""
    while True:
        line = stream.readline(_ARC_HEADER_LIMIT)
        if not line:
            return None
        if len(line) >= _ARC_HEADER_LIMIT and not line.endswith(b"\n"):
            raise InputError(f"damaged ARC record header (a line over {_ARC_HEADER_LIMIT} bytes)")
        if line.strip():
            return line.decode("utf-8", "replace").strip()


_ARC_HEADER_LIMIT = 64 * 1024
_ARC_TRUNCATED = "truncated ARC record (the file ends inside it)"


def _arc_document(
    stream: BinaryIO, fields: list[str], length: int, source: str, position: int, number: int, options: CorpusOptions
) -> Document | None:
    """The document of one ARC record (``None``: not an HTTP page); its block is read or passed over."""
    url, record_id = fields[0], _fallback_id(source, number)
    if not url.startswith(("http:", "https:")) or length > options.max_bytes + HTTP_HEADER_ALLOWANCE:
        passed = _pass_over(stream, length)
        if passed < length:
            return _error(record_id, url, source, position, _ARC_TRUNCATED)
        if url.startswith(("http:", "https:")):
            return _error(record_id, url, source, position, "record " + too_large(length, options.max_bytes))
        return None  # filedesc://, dns:... hold no page
    block = stream.read(length)
    if len(block) < length:
        return _error(record_id, url, source, position, _ARC_TRUNCATED)
    try:
        page = _http_page({"warc-identified-payload-type": fields[3]}, block, options.max_bytes)
    except InputError as err:
        return _error(record_id, url, source, position, str(err))
    if page is None:
        return None
    content, kind, charset, content_type = page
    facts = {"warc_date": _arc_date(fields[2]), "content_type": content_type}
    return Document(record_id, url, content, kind, charset, source, position, None,
                    {key: value for key, value in facts.items() if value})


def _pass_over(stream: BinaryIO, length: int) -> int:
    """Read ``length`` bytes and forget them, a chunk at a time; the number read (less at the end)."""
    passed = 0
    while passed < length:
        chunk = stream.read(min(length - passed, 1024 * 1024))
        if not chunk:
            break
        passed += len(chunk)
    return passed


def _arc_date(stamp: str) -> str | None:
    """ARC's ``20140216050221`` as ``2014-02-16T05:02:21Z`` (as a WARC-Date), or ``None``."""
    if len(stamp) != 14 or not stamp.isdigit():
        return None
    return f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}T{stamp[8:10]}:{stamp[10:12]}:{stamp[12:]}Z"


# --- JSON lines ---------------------------------------------------------------------------------


def _jsonl_documents(stream: BinaryIO, source: str, options: CorpusOptions, counts: ReadCounts) -> Iterator[Document]:
    position = number = 0
    while True:
        try:
            line = stream.readline(options.max_bytes + 1)
        except (InputError, OSError) as err:
            counts.records += 1  # the damaged one: every document is a record read
            yield _error(_fallback_id(source, number + 1), None, source, position, _reason(err))
            return
        if not line:
            return
        number += 1
        if line.strip() or len(line) > options.max_bytes:  # a blank line is no record
            counts.records += 1
        if len(line) > options.max_bytes and not line.endswith(b"\n"):
            reason = _skip_line(stream)
            yield _error(_fallback_id(source, number), None, source, position,
                         reason or f"line {number}: record " + too_large(None, options.max_bytes))
            if reason:
                return
            position += 1
            continue
        if not line.strip():
            continue
        yield _jsonl_document(line, source, position, number, options)
        position += 1


def _skip_line(stream: BinaryIO) -> str | None:
    """Read past the rest of an over-long line; the reason if the file is damaged there."""
    try:
        while True:
            chunk = stream.readline(64 * 1024)
            if not chunk or chunk.endswith(b"\n"):
                return None
    except (InputError, OSError) as err:
        return _reason(err)


def _reason(err: Exception) -> str:
    if isinstance(err, OSError):
        return (err.strerror or str(err)).lower()
    return str(err)


def _jsonl_document(line: bytes, source: str, position: int, number: int, options: CorpusOptions) -> Document:
    doc_id, url, content, fields = _fallback_id(source, number), None, None, {}
    value, reason = _json_object(line)
    if value is not None:
        doc_id = _id(_field(value, options.id_key)) or doc_id
        found = _field(value, options.url_key)
        if found is _MISSING and options.url_key == CorpusOptions.url_key:
            found = _field(value, "metadata.url")  # datatrove's shape
        url = found if isinstance(found, str) and found else None
        content, reason = _text_content(_field(value, options.text_key), options)
        fields = _other_fields(value, options)
    if content is None:
        return replace(_error(doc_id, url, source, position, f"line {number}: {reason}"), fields=fields)
    return Document(doc_id, url, content, TEXT, "utf-8", source, position, fields=fields)


def _other_fields(value: dict[str, Any], options: CorpusOptions) -> dict[str, Any]:
    """The fields besides the text and the id, untouched, merged as datatrove's JSONL reader does.

    Its reader makes a document's metadata of the ``metadata`` object and every other
    top-level field: ``{**value["metadata"], **rest}``. They go into the output's metadata.
    """
    rest = _without(_without(value, options.text_key), options.id_key)
    nested = rest.get("metadata")
    if not isinstance(nested, dict):
        return rest  # no metadata object (or not an object: then it is one more field)
    del rest["metadata"]
    return {**nested, **rest}


def _json_object(line: bytes) -> tuple[dict[str, Any] | None, str | None]:
    """The JSON object on a line, or the reason there is none."""
    try:
        value = json.loads(line)
    except UnicodeDecodeError:
        return None, "not valid UTF-8"
    except json.JSONDecodeError as err:
        return None, f"not valid JSON ({err.msg}, column {err.colno})"
    except RecursionError:  # json recurses per nesting level: a line of 5,000 "[" would end the run
        return None, "not valid JSON (nested too deeply)"
    if not isinstance(value, dict):
        return None, "not a JSON object"
    return value, None


def _text_content(text: Any, options: CorpusOptions) -> tuple[bytes | None, str | None]:
    """The text field as UTF-8 bytes, or the reason it cannot be cleaned."""
    key = options.text_key
    if text is _MISSING:
        return None, f"no {key!r} field"
    if not isinstance(text, str):
        kind = "null" if text is None else type(text).__name__.replace("dict", "object").replace("list", "array")
        return None, f"field {key!r} is not a string (got {kind})"
    if not text.strip():
        return None, f"field {key!r} is empty"
    try:
        content = text.encode("utf-8")
    except UnicodeEncodeError as err:
        return None, f"field {key!r} is not valid Unicode (lone surrogate at character {err.start})"
    if len(content) > options.max_bytes:
        return None, "text " + too_large(len(content), options.max_bytes)
    try:
        return check_line_count(content), None
    except InputError as err:
        return None, f"text: {err}"


_MISSING = object()


def _without(value: dict[str, Any], key: str) -> dict[str, Any]:
    """A copy of ``value`` without the field ``key`` names (as :func:`_field` finds it; nested objects copied)."""
    if key in value:
        return {name: item for name, item in value.items() if name != key}
    head, dot, tail = key.partition(".")
    if not dot or not isinstance(value.get(head), dict):
        return dict(value)
    return {name: _without(item, tail) if name == head else item for name, item in value.items()}


def _field(value: dict[str, Any], key: str) -> Any:
    """``value[key]``, or the nested field a dotted ``key`` names; :data:`_MISSING` when absent."""
    if key in value:
        return value[key]
    current: Any = value
    for part in key.split("."):
        if not isinstance(current, dict) or part not in current:
            return _MISSING
        current = current[part]
    return current


def _id(value: Any) -> str | None:
    if isinstance(value, str):
        return value or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return json.dumps(value)
    return None

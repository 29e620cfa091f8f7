"""WARC and WET files, record by record (FastWARC reads them; this module keeps going past damage).

``response`` records with an HTML payload and ``resource`` records of HTML are ``kind="html"``
documents (:mod:`cleaner.inputs.corpus.payload`), WET ``conversion`` records ``kind="text"``
ones; other records are passed over. A WAT file is refused by its first records
(:data:`WAT_REFUSAL`). A record FastWARC cannot parse is one error document and the reading
resumes at the next ``WARC/1.`` line (:class:`_Guard`).
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from cleaner.errors import InputError
from cleaner.inputs.corpus.documents import (
    CorpusError,
    CorpusOptions,
    Document,
    ReadCounts,
    error_document,
    fallback_id,
    reason_of,
)
from cleaner.inputs.corpus.payload import HTTP_HEADER_ALLOWANCE, block_page, header_fields, mime_type
from cleaner.inputs.decoding import too_large

if TYPE_CHECKING:
    from fastwarc.warc import WarcRecord

__all__ = ["WAT_REFUSAL", "warc_documents"]

WAT_REFUSAL = "skipped: a WAT file (JSON metadata records, no page text); clean the crawl's WARC or WET file"


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
            self.error = reason_of(err)
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


def warc_documents(stream: BinaryIO, source: str, options: CorpusOptions, counts: ReadCounts) -> Iterator[Document]:
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
        yield error_document(fallback_id(source, state.number), None, source, state.position, reason, skipped)
        state.position += 1
        state.resume = guard.tell()
        if guard.error is not None:  # the stream itself ended damaged inside the skipped bytes
            counts.records += 1
            yield error_document(fallback_id(source, state.number + 1), None, source, state.position, guard.error)
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
        yield error_document(fallback_id(source, state.number + 1), None, source, state.position, guard.error)
    return None


def _first_content(record: WarcRecord) -> bool:
    """Whether ``record`` is past the ``warcinfo`` records; :class:`CorpusError` if it shows a WAT file.

    A WAT file's records, after its warcinfo, are ``metadata`` holding JSON; a WARC starts with
    requests or responses (its own metadata records hold warc-fields, and come after them).
    """
    headers = header_fields(record.headers)
    kind = headers.get("warc-type")
    if kind == "metadata" and mime_type(headers.get("content-type", "")) == "application/json":
        raise CorpusError(WAT_REFUSAL)
    return kind != "warcinfo"


def _warc_document(
    record: WarcRecord, source: str, position: int, number: int, options: CorpusOptions, guard: _Guard
) -> tuple[Document | None, bool]:
    """The document of one WARC record (``None``: not a page), and whether the file ends damaged here."""
    headers = header_fields(record.headers)
    record_id = record.record_id or fallback_id(source, number)
    url = _target_uri(headers.get("warc-target-uri"))
    record_type = headers.get("warc-type")
    length = record.content_length
    wanted = record_type in ("response", "resource", "conversion")
    if "content-length" not in headers or record_type is None:
        reason = guard.error or "damaged WARC record header (no WARC-Type or Content-Length; the file may be cut)"
        return error_document(record_id, url, source, position, reason), True
    if not wanted:
        if record.reader.consume() < length:
            return error_document(record_id, url, source, position, guard.error or _TRUNCATED), True
        return None, False
    if length > options.max_bytes + HTTP_HEADER_ALLOWANCE:
        return error_document(record_id, url, source, position, "record " + too_large(length, options.max_bytes)), False
    block = record.reader.read(length)
    if len(block) < length:
        return error_document(record_id, url, source, position, guard.error or _TRUNCATED), True
    try:
        page = block_page(record_type, headers, block, options.max_bytes)
    except InputError as err:
        return error_document(record_id, url, source, position, str(err)), False
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

"""ARC files (the format before WARC, told by its ``filedesc://`` start): the HTML responses, record by record.

FastWARC does not read ARC, and the format is this small: a header line per record, then
that many bytes of HTTP response (:mod:`cleaner.inputs.corpus.payload` finds the page in it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from cleaner.errors import InputError
from cleaner.inputs.corpus.documents import CorpusOptions, Document, ReadCounts, error_document, fallback_id, reason_of
from cleaner.inputs.corpus.payload import HTTP_HEADER_ALLOWANCE, http_page
from cleaner.inputs.decoding import too_large

__all__ = ["arc_documents"]


def arc_documents(stream: BinaryIO, source: str, options: CorpusOptions, counts: ReadCounts) -> Iterator[Document]:
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
            yield error_document(fallback_id(source, number + 1), None, source, position, reason_of(err))
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
    url, record_id = fields[0], fallback_id(source, number)
    if not url.startswith(("http:", "https:")) or length > options.max_bytes + HTTP_HEADER_ALLOWANCE:
        passed = _pass_over(stream, length)
        if passed < length:
            return error_document(record_id, url, source, position, _ARC_TRUNCATED)
        if url.startswith(("http:", "https:")):
            return error_document(record_id, url, source, position, "record " + too_large(length, options.max_bytes))
        return None  # filedesc://, dns:... hold no page
    block = stream.read(length)
    if len(block) < length:
        return error_document(record_id, url, source, position, _ARC_TRUNCATED)
    try:
        page = http_page({"warc-identified-payload-type": fields[3]}, block, options.max_bytes)
    except InputError as err:
        return error_document(record_id, url, source, position, str(err))
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



"""The page inside an HTTP response (a WARC ``response`` record's block, an ARC record), and the other
HTML blocks of a WARC record.

Shared by the WARC and ARC readers: the HTTP header is parsed (FastWARC), redirects, errors and
non-HTML types are no page, the chunked transfer coding and the gzip / deflate / br / zstd
content codings are undone, each at most ``max_bytes`` (+1, to tell "over the limit") out.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, BinaryIO

from cleaner.errors import InputError
from cleaner.inputs.compression import GZIP, ZSTD, decompressing
from cleaner.inputs.corpus.documents import HTML, TEXT
from cleaner.inputs.decoding import check_line_count, too_large

if TYPE_CHECKING:
    from fastwarc.warc import HeaderMap

__all__ = [
    "HTML_TYPES",
    "HTTP_HEADER_ALLOWANCE",
    "RecordPage",
    "block_page",
    "charset_of",
    "header_fields",
    "http_page",
    "mime_type",
]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
HTTP_HEADER_ALLOWANCE = 64 * 1024  # a response block holds HTTP headers on top of its (limited) body
_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.I)
RecordPage = tuple[bytes, str, str | None, str | None]  # content, kind, charset, content type


def block_page(record_type: str, headers: dict[str, str], block: bytes, max_bytes: int) -> RecordPage | None:
    """The page in a record's block, or ``None`` when the record holds no page."""
    warc_type = headers.get("content-type", "")
    if record_type == "conversion":
        return _checked(block, max_bytes), TEXT, charset_of(warc_type), mime_type(warc_type) or None
    if record_type == "resource":
        if mime_type(warc_type) not in HTML_TYPES:
            return None
        return _checked(block, max_bytes), HTML, charset_of(warc_type), mime_type(warc_type)
    if not mime_type(warc_type).startswith("application/http"):
        return None  # a response that is not HTTP (dns:, whois:...)
    return http_page(headers, block, max_bytes)


def http_page(headers: dict[str, str], block: bytes, max_bytes: int) -> RecordPage | None:
    """The HTML page of an HTTP response (status 2xx, codings undone), or ``None`` when it holds none.

    ``headers``: the record's own headers, lower-case (``warc-identified-payload-type`` is the
    fallback for a response without a content type).
    """
    from fastwarc.warc import HeaderMap

    http = HeaderMap()
    size = http.parse(io.BytesIO(block))
    status = http.status_code
    if status is None:
        raise InputError("invalid HTTP response header")
    if not 200 <= status < 300:
        return None  # redirects and errors are no pages
    fields = header_fields(http)
    content_type = fields.get("content-type", "")
    mime = mime_type(content_type) or mime_type(headers.get("warc-identified-payload-type", ""))
    if mime and mime not in HTML_TYPES:
        return None  # images, PDF, scripts...
    body = _decoded_body(block[size:], fields, max_bytes)
    if not mime and not _looks_like_html(body):
        return None
    return _checked(body, max_bytes), HTML, charset_of(content_type), mime or "text/html"


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


def header_fields(headers: HeaderMap) -> dict[str, str]:
    """Headers by lower-case name (one call into FastWARC: its lookups are slow, and case-sensitive)."""
    return {key.lower(): value for key, value in headers.to_dict().items()}


def mime_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def charset_of(content_type: str) -> str | None:
    match = _CHARSET.search(content_type)
    return match.group(1) if match else None

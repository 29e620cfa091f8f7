"""What reading a corpus file gives: :class:`Document` (a page, or why a record could not be read),
:class:`ReadCounts`, the reading options (:class:`CorpusOptions`) and :class:`CorpusError`.

The helpers every reader shares (the fallback id, the error document, an exception's one-line
reason) are here too, so the WARC, ARC and JSON-lines readers build their documents one way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cleaner.errors import InputError
from cleaner.inputs.decoding import DEFAULT_MAX_BYTES, STDIN

__all__ = [
    "HTML",
    "TEXT",
    "CorpusError",
    "CorpusOptions",
    "Document",
    "ReadCounts",
    "error_document",
    "fallback_id",
    "reason_of",
]

TEXT = "text"
HTML = "html"


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


def fallback_id(source: str, number: int) -> str:
    """The id of a record that names none: ``<source>:<number>`` (``stdin:<number>`` for standard input)."""
    return f"{'stdin' if source == STDIN else source}:{number}"


def error_document(doc_id: str, url: str | None, source: str, position: int, reason: str, skipped: int = 0) -> Document:
    """The document of a record that could not be read: no content, ``reason`` in :attr:`Document.error`."""
    return Document(doc_id, url, None, TEXT, None, source, position, reason, skipped_bytes=skipped)


def reason_of(err: Exception) -> str:
    """The one-line reason of a read error (an :class:`OSError`'s text, lower case)."""
    if isinstance(err, OSError):
        return (err.strerror or str(err)).lower()
    return str(err)

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
:mod:`cleaner.outputs.corpus_output`: this package only reads.

This module opens a file and tells its format; one module reads each format
(:mod:`~cleaner.inputs.corpus.warc`, :mod:`~cleaner.inputs.corpus.arc`,
:mod:`~cleaner.inputs.corpus.jsonl`), the WARC and ARC readers sharing the HTTP payload
decoding (:mod:`~cleaner.inputs.corpus.payload`), and all of them build the
:class:`Document` of :mod:`~cleaner.inputs.corpus.documents`.
"""

from __future__ import annotations

import io
import itertools
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cleaner.errors import InputError
from cleaner.inputs.compression import open_decompressed
from cleaner.inputs.corpus.arc import arc_documents
from cleaner.inputs.corpus.documents import (
    HTML,
    TEXT,
    CorpusError,
    CorpusOptions,
    Document,
    ReadCounts,
    reason_of,
)
from cleaner.inputs.corpus.jsonl import jsonl_documents
from cleaner.inputs.corpus.warc import WAT_REFUSAL, warc_documents
from cleaner.inputs.decoding import STDIN

__all__ = [
    "ARC",
    "CORPUS_SUFFIXES",
    "HTML",
    "JSONL",
    "SNIFF_BYTES",
    "TEXT",
    "WARC",
    "WAT_REFUSAL",
    "CorpusError",
    "CorpusOptions",
    "Document",
    "ReadCounts",
    "close_source",
    "first_read",
    "is_corpus_path",
    "is_wat_name",
    "iter_documents",
    "open_source",
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
SNIFF_BYTES = 4096
_JSON_OBJECT_START = re.compile(rb"\s*\{\s*[\"}]")


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
    raw = open_source(source, stdin)
    try:
        stream = open_decompressed(raw)
        if not hasattr(stream, "peek"):
            stream = io.BufferedReader(stream)  # type: ignore[arg-type]
        kind = _corpus_kind(stream)
    except InputError as err:
        close_source(raw, source)
        raise CorpusError(str(err)) from None
    except BaseException:
        close_source(raw, source)
        raise
    read = {WARC: warc_documents, ARC: arc_documents}.get(kind, jsonl_documents)
    documents = read(stream, source, options, counts or ReadCounts())
    if kind == WARC:  # a WAT file is told by its first records: refuse it now, as a whole
        try:
            documents = first_read(documents)
        except BaseException:
            close_source(raw, source)
            raise
    return _closing(documents, raw, source)


def first_read(documents: Iterator[Document]) -> Iterator[Document]:
    """``documents`` with its first item read already: an error in reading it is raised here, not later."""
    first = next(documents, None)
    return documents if first is None else itertools.chain([first], documents)


def open_source(source: str, stdin: BinaryIO | None) -> BinaryIO:
    """The raw stream of a corpus file (``"-"``: ``stdin``, else standard input); :class:`CorpusError` if it cannot be.

    Close it with :func:`close_source`, which leaves standard input open.
    """
    if source == STDIN:
        return stdin or sys.stdin.buffer
    if Path(source).is_dir():
        raise CorpusError("is a directory")
    try:
        return open(source, "rb")  # noqa: SIM115 - closed by _closing when the documents are done
    except FileNotFoundError:
        raise CorpusError("no such file or directory") from None
    except OSError as err:
        raise CorpusError(reason_of(err)) from None


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


def close_source(raw: BinaryIO, source: str) -> None:
    """Close what :func:`open_source` opened."""
    if source != STDIN:  # standard input belongs to the caller
        raw.close()


def _closing(documents: Iterator[Document], raw: BinaryIO, source: str) -> Iterator[Document]:
    try:
        yield from documents
    finally:
        close_source(raw, source)

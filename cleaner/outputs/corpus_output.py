"""JSON lines out: the output of a corpus run, and reading one back.

Output (:class:`JsonlWriter`, :func:`output_record`): one JSON line per document, written
atomically, gzip or zstd compressed when asked. With spans, a line has the same ``removed``
spans and ``edits`` as a ``report.jsonl`` record (:mod:`cleaner.outputs.report`), so
:func:`rebuild_text` rebuilds the document's text from its line. Reading an output back
(:func:`iter_output_lines`, :func:`parse_output_line`, :func:`result_from_output`) serves
``clean --review/--diff --from OUT.jsonl``. The corpus readers are :mod:`cleaner.inputs.corpus`.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from cleaner.errors import InputError
from cleaner.inputs.compression import GZIP, ZSTD, open_decompressed
from cleaner.inputs.corpus import CORPUS_SUFFIXES, Document, close_source, open_source
from cleaner.inputs.corpus.jsonl import json_object
from cleaner.inputs.decoding import STDIN
from cleaner.metadata import after_crawl
from cleaner.outputs import report
from cleaner.outputs.files import atomic_open

if TYPE_CHECKING:
    from cleaner.render import CleanResult

__all__ = [
    "Compressing",
    "JsonlWriter",
    "check_compression",
    "compression_for",
    "is_jsonl_output",
    "iter_output_lines",
    "output_record",
    "output_suffix",
    "parse_output_line",
    "rebuild_text",
    "records_with_ids",
    "result_from_output",
    "stem",
]


def output_record(
    document: Document,
    result: CleanResult | None,
    error: str | None,
    *,
    spans: bool = True,
    input_format: str | None = None,
    encoding: str | None = None,
    bom: str | None = None,
    encoding_confidence: float | None = None,
) -> dict[str, object]:
    """The output line of one document: its clean text, metadata and what was removed.

    ``{"id", "url", "source", "position", "text", "metadata", "input_format", "encoding",
    "encoding_confidence", "bom", "lines_total", "lines_kept", "notes"}`` then, with ``spans``,
    ``"removed"`` and ``"edits"`` exactly as in a ``report.jsonl`` record (offsets into the
    document's decoded text; see :mod:`cleaner.outputs.report`), else ``"removed_summary"``: non-blank
    lines removed per detector.
    ``metadata`` is the page's (title, author, date, language...) followed by the record's
    (``warc_date``...; a page date after ``warc_date`` is dropped) and a JSON line's other
    fields (:attr:`Document.fields`, whose values win). A document cleaned to no text gets
    ``"status": "empty"`` after ``position``. A document that failed (``error``, or
    ``document.error``) gives ``{"id", "url", "source", "position", "error"}``, plus
    ``skipped_bytes`` for damaged WARC data and ``metadata`` for a JSON line's other fields.
    """
    head: dict[str, object] = {
        "id": document.id, "url": document.url, "source": document.source, "position": document.position,
    }
    reason = error or document.error
    if reason is not None or result is None:
        skipped = {"skipped_bytes": document.skipped_bytes} if document.skipped_bytes else {}
        passed = {"metadata": document.fields} if document.fields else {}  # a failed line loses no field
        return {**head, "error": reason or "not cleaned", **skipped, **passed}
    metadata: dict[str, object] = dict(result.metadata.to_dict())
    for key, value in document.metadata.items():
        if metadata.get(key) is None:
            metadata[key] = value
    if after_crawl(metadata.get("date"), document.metadata.get("warc_date")):
        metadata["date"] = None  # a page cannot be published after it was fetched: a misread date
    metadata.update(document.fields)  # the input's own fields win: they are passed through untouched
    if not result.text.strip():
        head["status"] = report.EMPTY  # only empty documents are marked: other lines keep their bytes
    rec: dict[str, object] = {
        **head, "text": result.text, "metadata": metadata, "input_format": input_format, "encoding": encoding,
        "encoding_confidence": encoding_confidence, "bom": bom, "lines_total": result.lines_total,
        "lines_kept": result.lines_kept, "notes": list(result.notes),
    }
    if spans:
        full = report.record(result)
        rec["removed"] = full["removed"]
        rec["edits"] = full["edits"]
    else:
        rec["removed_summary"] = result.removals_by_detector()
    return rec


def rebuild_text(rec: Mapping[str, Any]) -> str:
    """The document's text, from an output line written with spans.

    A byte-order mark the document began with (``bom``; a JSON text starting with U+FEFF) comes
    back as U+FEFF in front of the text the offsets refer to.
    """
    text = report.rebuild_from_record(rec["text"], {"status": report.OK, "removed": rec["removed"],
                                                    "edits": rec["edits"]})
    return "\ufeff" + text if rec.get("bom") else text


COMPRESSIONS = (GZIP, ZSTD, "none")
GZIP_LEVEL = 6  # zlib's default: level 9 is far slower for a few percent
ZSTD_LEVEL = 3


JSONL_SUFFIXES = tuple(base + compression for base in (".jsonl", ".ndjson") for compression in ("", ".gz", ".zst"))


def is_jsonl_output(name: str) -> bool:
    """True when an output ``name`` is a JSON-lines file (``.jsonl``, ``.ndjson``, maybe ``.gz``/``.zst``)."""
    return name.lower().endswith(JSONL_SUFFIXES)


def output_suffix(compression: str | None) -> str:
    """The suffix of a JSON-lines output: ``.jsonl``, ``.jsonl.gz`` (``"gzip"``) or ``.jsonl.zst`` (``"zstd"``)."""
    chosen = compression_for("", compression)
    return ".jsonl" + {GZIP: ".gz", ZSTD: ".zst"}.get(chosen or "", "")


def stem(source: str) -> str:
    """A corpus file's name without its corpus suffixes: ``CC-MAIN-1.warc.wet.gz`` -> ``CC-MAIN-1``.

    Standard input (``"-"``) is ``stdin``; a name with no known suffix loses its last one (after
    a ``.gz``/``.zst``).
    """
    if source == STDIN:
        return "stdin"
    name = Path(source).name
    lower = name.lower()
    matches = [suffix for suffix in CORPUS_SUFFIXES if lower.endswith(suffix) and len(suffix) < len(name)]
    if matches:
        return name[: -len(max(matches, key=len))]
    for compressed in (".gz", ".zst"):
        if lower.endswith(compressed) and len(compressed) < len(name):
            name = name[: -len(compressed)]
            break
    return Path(name).stem or name


def compression_for(target: str, compression: str | None = None) -> str | None:
    """The compression of an output: ``compression`` if given (``"none"``: none), else by suffix."""
    if compression is not None:
        if compression not in COMPRESSIONS:
            raise ValueError(f"unknown compression {compression!r} (choose gzip, zstd or none)")
        return None if compression == "none" else compression
    name = target.lower()
    return GZIP if name.endswith(".gz") else ZSTD if name.endswith(".zst") else None


def check_compression(name: str, compression: str | None) -> None:
    """Raise :class:`ValueError` when ``compression`` contradicts a JSON-lines output ``name`` (``x.jsonl``, zstd).

    The suffix says what the file holds (``.jsonl``, ``.jsonl.gz``, ``.jsonl.zst``): a file named
    one way and compressed another would be misread by every tool that trusts the name.
    """
    if compression is None or not is_jsonl_output(name):
        return
    wanted, named = compression_for("", compression), compression_for(name)
    if wanted != named:
        raise ValueError(f"--compress {compression} contradicts the output name {name}, which says "
                         f"{named or 'none'}: drop --compress or rename the output")


class JsonlWriter:
    """Write JSON lines to a file (atomically), to standard output (``"-"``) or to a binary stream.

    Use as a context manager. The file appears, replacing any old one, only when the block
    ends without an exception; on an exception (``KeyboardInterrupt`` included) the
    temporary file is removed and the target is left as it was. A stream target (standard
    output, or ``stdout=`` for ``"-"``) is written as it goes and left open. ``compression``:
    ``"gzip"``, ``"zstd"``, ``"none"``, or ``None`` to go by the file name's suffix (a stream:
    none). Lines are compact JSON, non-ASCII kept, keys in the order given: the same records
    give the same bytes (gzip output has no time stamp or file name in its header).
    """

    def __init__(
        self, target: str | Path | BinaryIO, compression: str | None = None, *, stdout: BinaryIO | None = None
    ) -> None:
        if isinstance(target, str | Path):
            self.target, self._stdout = str(target), stdout
        else:
            self.target, self._stdout = STDIN, target
        self.compression = compression_for(self.target, compression)
        self.count = 0
        self._stack: ExitStack | None = None
        self._stream: BinaryIO | None = None

    def __enter__(self) -> JsonlWriter:
        with ExitStack() as stack:
            if self.target == STDIN:
                base = self._stdout or sys.stdout.buffer
            else:
                base = stack.enter_context(atomic_open(Path(self.target)))
            self._stream = stack.enter_context(Compressing(base, self.compression))
            self._stack = stack.pop_all()
        return self

    def __exit__(self, *exc_info: object) -> None:
        stack, self._stack, self._stream = self._stack, None, None
        if stack is not None:
            stack.__exit__(*exc_info)  # type: ignore[arg-type]

    def write(self, record: Mapping[str, object]) -> None:
        """Write one record as one JSON line."""
        if self._stream is None:
            raise ValueError("JsonlWriter used outside its with-block")
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        # a lone surrogate (undecodable text) becomes its JSON escape instead of failing
        self._stream.write(line.encode("utf-8", "backslashreplace"))
        self.count += 1


class Compressing:
    """A context manager: a writer that compresses into ``base``; closing it finishes the stream, not ``base``."""

    def __init__(self, base: BinaryIO, compression: str | None) -> None:
        self._base = base
        self._compression = compression
        self._writer: Any = None

    def __enter__(self) -> BinaryIO:
        if self._compression == GZIP:
            self._writer = gzip.GzipFile(filename="", mode="wb", compresslevel=GZIP_LEVEL, fileobj=self._base, mtime=0)
        elif self._compression == ZSTD:
            import zstandard

            self._writer = zstandard.ZstdCompressor(level=ZSTD_LEVEL).stream_writer(self._base, closefd=False)
        else:
            self._writer = None
            return self._base
        return self._writer

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if self._writer is not None and exc_type is None:
            self._writer.close()
        elif self._writer is None and exc_type is None:
            self._base.flush()



# --- reading an output back (clean --review/--diff --from OUT.jsonl) ----------------------------

_OUTPUT_KEYS = ("id", "source", "position")


def iter_output_lines(path: str | Path) -> Iterator[tuple[int, bytes]]:
    """(line number, raw line) of a clean-corpus output file (plain, ``.gz`` or ``.zst``), blank lines left out.

    Streams: one line in memory at a time. :class:`CorpusError` (one line) for a file that
    cannot be opened; damaged compression ends the lines with an :class:`InputError`.
    """
    source = str(path)
    raw = open_source(source, None)
    try:
        stream = open_decompressed(raw)
        for number, line in enumerate(iter(stream.readline, b""), start=1):
            if line.strip():
                yield number, line
    finally:
        close_source(raw, source)


def records_with_ids(path: str | Path, ids: Iterable[str]) -> Iterator[dict[str, Any]]:
    """The records of a clean-corpus output whose ``id`` is one of ``ids``, in file order.

    Streams the file once and parses only the lines that hold one of the ids as a JSON string.
    """
    wanted = set(ids)
    needles = [json.dumps(wanted_id, ensure_ascii=False).encode("utf-8") for wanted_id in wanted]
    for number, line in iter_output_lines(path):
        if any(needle in line for needle in needles):
            rec = parse_output_line(number, line)
            if rec["id"] in wanted:
                yield rec


def parse_output_line(number: int, line: bytes) -> dict[str, Any]:
    """One line of a clean-corpus output as a record; :class:`InputError` when it is not one.

    A record has ``id``, ``source`` and ``position``, then either ``error`` or the clean
    ``text`` (see :func:`output_record`); anything else was not written by ``clean`` on a corpus.
    """
    value, reason = json_object(line)
    if value is None:
        raise InputError(f"line {number}: {reason}: not a clean corpus output")
    if any(key not in value for key in _OUTPUT_KEYS) or ("error" not in value and "text" not in value):
        raise InputError(f"line {number}: not a record of a clean corpus output (id, source, position, text)")
    return value


def result_from_output(rec: Mapping[str, Any]) -> CleanResult:
    """The :class:`CleanResult` an output line was written from (its spans; the page's metadata).

    :class:`InputError` for a line written with ``--no-spans`` (only counts: nothing to show).
    """
    from cleaner.metadata import Metadata
    from cleaner.render import CleanResult, Edit, RemovedSpan

    if "removed" not in rec or "edits" not in rec:
        raise InputError("written with --no-spans: no removed spans to show")
    known = {key: value for key, value in (rec.get("metadata") or {}).items() if key in _METADATA_FIELDS}
    removed = [RemovedSpan(**{key: span[key] for key in _SPAN_FIELDS}) for span in rec["removed"]]
    return CleanResult(
        str(rec["source"]), rec["text"], removed, [Edit(**edit) for edit in rec["edits"]], Metadata(**known),
        rec.get("lines_total") or 0, rec.get("lines_kept") or 0, list(rec.get("notes") or []),
    )


_METADATA_FIELDS = ("title", "author", "date", "language", "site_name", "url")
_SPAN_FIELDS = ("detector", "rule", "first_line", "last_line", "text", "reason")

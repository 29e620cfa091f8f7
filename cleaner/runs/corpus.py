"""A corpus run: every document of some WARC, WET or JSONL files cleaned into JSON Lines (:func:`clean_corpus`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from cleaner.errors import InputError
from cleaner.inputs import corpus, discovery
from cleaner.inputs.decoding import STDIN
from cleaner.options import Options, options_for, provenance
from cleaner.outputs import corpus_output, files, report
from cleaner.render import CleanResult
from cleaner.runs import parallel
from cleaner.runs.limits import guarded, timeout_error
from cleaner.runs.one import as_list, load, shown
from cleaner.runs.page import Loaded, clean_loaded, warm_up

__all__ = ["CorpusFileCounts", "CorpusSummary", "clean_corpus"]


@dataclass
class CorpusFileCounts(corpus.ReadCounts):
    """One corpus file of a run: records read and passed over (no document), then its documents:
    failed ones, and ``empty`` ones (cleaned, but nothing of the page kept)."""

    documents: int = 0
    failed: int = 0
    empty: int = 0

    @property
    def cleaned(self) -> int:
        return self.documents - self.failed

    def add(self, record: Mapping[str, object]) -> None:
        """Count one output record in."""
        self.documents += 1
        if "error" in record:
            self.failed += 1
        elif record.get("status") == report.EMPTY:
            self.empty += 1


@dataclass
class CorpusSummary:
    """The outcome of :func:`clean_corpus`: counts over every document, and what was written where."""

    lines_total: int = 0
    lines_kept: int = 0
    outputs: list[str] = field(default_factory=list)  # JSONL files written ("-": standard output)
    skipped: list[str] = field(default_factory=list)  # corpus files not read: their output existed
    errors: list[str] = field(default_factory=list)  # "FILE: reason" for corpus files that could not be read
    files: dict[str, CorpusFileCounts] = field(default_factory=dict)  # corpus file read -> its counts
    damaged: int = 0  # stretches of damaged WARC data passed over (each also an error record)
    damaged_bytes: int = 0  # the bytes in them
    dropped: int = 0  # documents cleaned to no text not written (drop_empty)

    @property
    def documents(self) -> int:
        """Documents read (each is an output line, failed ones included)."""
        return sum(counts.documents for counts in self.files.values())

    @property
    def failed(self) -> int:
        return sum(counts.failed for counts in self.files.values())

    @property
    def cleaned(self) -> int:
        return self.documents - self.failed

    @property
    def records(self) -> int:
        """Records read (WARC records, JSON lines), documents or not."""
        return sum(counts.records for counts in self.files.values())

    @property
    def passed_over(self) -> int:
        """Records that held no document (WARC requests, metadata, non-HTML responses...)."""
        return sum(counts.passed_over for counts in self.files.values())

    @property
    def empty(self) -> int:
        """Documents cleaned to an empty text (nothing of the page kept)."""
        return sum(counts.empty for counts in self.files.values())

    @property
    def ok(self) -> bool:
        return not self.failed and not self.errors


def clean_corpus(
    paths: Sequence[str | Path],
    out: str | Path | None = None,
    *,
    reading: corpus.CorpusOptions | None = None,
    compression: str | None = None,
    spans: bool = True,
    drop_empty: bool = False,
    stdin: BinaryIO | None = None,
    stdout: BinaryIO | None = None,
    on_document: Callable[[dict[str, object]], None] | None = None,
    options: Options | None = None,
    **values: Any,
) -> CorpusSummary:
    """Clean every document of some corpus files (WARC, WET, JSONL; see :mod:`cleaner.inputs.corpus`) into JSONL.

    Each corpus file is streamed record by record; each document is cleaned as its content says
    (HTML or text) and becomes one JSON line (id, url, clean text, metadata, and the removed spans,
    or with ``spans=False`` a summary per detector), in input order whatever the options' ``jobs``.
    Where: ``out`` ``None`` or ``"-"``: standard output; a name ending in ``.jsonl`` (``.gz``/``.zst``):
    one file for every input; else a folder with ``<name>.jsonl`` per corpus file.
    ``compression`` (``gzip``, ``zstd``, ``none``) chooses for a folder's files; for one file it must
    agree with the name's suffix (:class:`ValueError` otherwise: ``x.jsonl`` is never zstd). A bad
    document is a record with an ``error`` and the run goes on; a corpus file that cannot be read at
    all is listed in ``errors``. Outputs are written atomically; the ``skip_existing`` option leaves a
    corpus file whose output file exists alone (resuming a stopped run). Documents are cleaned one
    by one: no site repetition (that needs a site's pages side by side; see :mod:`cleaner.text.sites`).
    ``on_document`` gets each output record (e.g. progress, errors as they happen). Every record ends
    with the run's :func:`~cleaner.options.provenance` (version and settings hash). A document cleaned
    to no text has ``"status": "empty"``; ``drop_empty`` leaves it out of the output. ``reading``:
    the JSONL keys and the size limit (default: the options').
    """
    if out is not None:
        corpus_output.check_compression(str(out), compression)  # ValueError before anything is read or written
    settings = options_for(options, **values)
    reading = reading or corpus.CorpusOptions(max_bytes=settings.size_limit)
    state = _DocumentCleaner(settings, spans)
    stamp = provenance(settings)
    summary = CorpusSummary()
    for target, sources in _corpus_targets(paths, out, compression):
        if settings.skip_existing and target != STDIN and Path(target).is_file():
            summary.skipped.extend(str(source) for source in sources)
            continue
        refused = len(summary.errors)
        documents = corpus.first_read(_documents(sources, reading, stdin, summary))  # opens the first readable source
        if target != STDIN and len(summary.errors) - refused == len(sources):
            continue  # none could be read (not a corpus, a WAT file...): each is reported, no empty output
        if target != STDIN:
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        sink = stdout if target == STDIN and stdout is not None else target
        records = _records(documents, state, stamp)
        with corpus_output.JsonlWriter(sink, compression) as writer, closing(records):
            for record in records:
                _write_record(record, writer, summary, drop_empty)
                if on_document is not None:
                    on_document(record)
        summary.outputs.append(str(target))
    return summary


def _records(
    documents: Iterator[corpus.Document], state: _DocumentCleaner, stamp: Mapping[str, str]
) -> Iterator[dict[str, object]]:
    """Each document's output record, in input order, cleaned on the options' ``jobs`` worker processes."""
    settings = state.options
    records = parallel.ordered_map(_clean_document, documents, parallel.workers(settings.jobs), state=state,
                                   on_death=_document_died, timeout=settings.timeout, on_timeout=state.timed_out)
    with closing(records):
        for record in records:
            yield {**record, **stamp}  # added in the parent: error records and dead workers' too


def _write_record(
    record: dict[str, object], writer: corpus_output.JsonlWriter, summary: CorpusSummary, drop_empty: bool
) -> None:
    """Write one output record (unless an empty one is dropped) and count it into ``summary``."""
    dropped = drop_empty and record.get("status") == report.EMPTY
    summary.dropped += dropped
    if not dropped:
        writer.write(record)
    summary.damaged += "skipped_bytes" in record
    summary.damaged_bytes += int(record.get("skipped_bytes") or 0)  # type: ignore[call-overload]
    summary.lines_total += int(record.get("lines_total") or 0)  # type: ignore[call-overload]
    summary.lines_kept += int(record.get("lines_kept") or 0)  # type: ignore[call-overload]
    summary.files[str(record["source"])].add(record)


def _corpus_targets(
    paths: Sequence[str | Path], out: str | Path | None, compression: str | None
) -> list[tuple[str, list[str]]]:
    """(output, corpus files written to it), in input order; :class:`~cleaner.outputs.files.OutputError` if unsafe.

    No ``out``: standard output, except for one folder: ``DIR.clean/`` beside it, as for pages.
    """
    args = as_list(paths)
    if [str(arg) for arg in args] == [STDIN]:  # a corpus on standard input (``zcat x.wet.gz | clean -``)
        inputs = [discovery.Input(STDIN, PurePosixPath(discovery.STDIN_NAME))]
    else:
        inputs = discovery.corpus_inputs(args, corpus.is_corpus_path) or []
    if not inputs:
        raise InputError(f"{', '.join(map(str, args))}: no corpus files (WARC, WET, JSONL)")
    folders = [arg for arg in args if str(arg) != STDIN and Path(arg).is_dir()]
    if out is None and len(args) == 1 and folders:
        out = files.default_out_dir(folders[0])
    if out is None or str(out) == STDIN:
        return [(STDIN, [item.path for item in inputs])]
    if corpus_output.is_jsonl_output(str(out)):
        targets = [(str(out), [item.path for item in inputs])]
    else:
        suffix = corpus_output.output_suffix(compression)
        targets = [(str(Path(out) / item.rel.parent / (corpus_output.stem(item.path) + suffix)), [item.path])
                   for item in inputs]
        written = [target for target, sources in targets if not corpus.is_wat_name(sources[0])]  # WAT: refused
        if len(set(written)) < len(written):
            raise files.OutputError(f"{out}: two corpus files would write the same output; use separate runs")
    files.check_targets(args, inputs, [Path(target) for target, _ in targets])
    if not corpus_output.is_jsonl_output(str(out)):
        files.make_dir(Path(out))
    return targets


def _documents(
    sources: Sequence[str], reading: corpus.CorpusOptions, stdin: BinaryIO | None, summary: CorpusSummary
) -> Iterator[corpus.Document]:
    for source in sources:
        counts = CorpusFileCounts()
        try:
            documents = corpus.iter_documents(source, reading, stdin=stdin, counts=counts)
            summary.files[source] = counts  # once it opened: a file that cannot be read is an error
            yield from documents
        except InputError as err:
            summary.errors.append(f"{shown(source)}: {err}")


@dataclass(frozen=True)
class _DocumentCleaner:
    """Cleans one corpus document in a worker: the run's options."""

    options: Options
    spans: bool

    def warm_up(self) -> None:
        warm_up()

    def __call__(self, document: corpus.Document) -> dict[str, object]:
        if document.error is not None or document.content is None:
            return corpus_output.output_record(document, None, document.error or "no content", spans=self.spans)
        content, name = document.content, f"{document.source}#{document.position}"

        def work() -> tuple[Loaded, CleanResult]:
            loaded = load(content, self.options, hint=document.charset)
            return loaded, clean_loaded(loaded, name, self.options)

        done, failure = guarded(work, self.options.timeout)
        if done is None:
            return corpus_output.output_record(document, None, failure.reason if failure else None, spans=self.spans)
        loaded, result = done
        return corpus_output.output_record(
            document, result, None, spans=self.spans, input_format=loaded.input_format, encoding=loaded.encoding,
            bom=loaded.bom, encoding_confidence=loaded.confidence,
        )

    def timed_out(self, document: corpus.Document) -> dict[str, object]:
        """The record of a document whose worker was killed past the time limit (C code ignores SIGALRM)."""
        return corpus_output.output_record(document, None, timeout_error(self.options.timeout), spans=self.spans)


def _clean_document(document: corpus.Document) -> dict[str, object]:
    cleaner = parallel.worker_state()
    assert isinstance(cleaner, _DocumentCleaner)
    return cleaner(document)


def _document_died(document: corpus.Document) -> dict[str, object]:
    return corpus_output.output_record(document, None, parallel.WORKER_DIED)

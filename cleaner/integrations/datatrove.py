"""``clean`` as a datatrove pipeline step: :class:`CleanerStep`.

datatrove reads and writes web-scale data in shards (WARC/WET, JSONL, Parquet, on local disk or
any fsspec file system) and runs one pipeline on one machine (``LocalPipelineExecutor``), on a
Slurm cluster (``SlurmPipelineExecutor``) or on Ray (``RayPipelineExecutor``). :class:`CleanerStep`
puts ``clean`` between its readers and writers: each document's text is cleaned (HTML or a text
dump, told apart by content), its clean text replaces ``doc.text`` and a JSON-ready summary goes
into ``doc.metadata["cleaner"]``. Install from the checkout with ``pip install -e ".[datatrove]"``; datatrove's
readers and writers name their own needs (``WarcReader``: warcio, faust-cchardet, python-magic;
``JsonlReader``/``JsonlWriter``: orjson; all in ``datatrove[io]``).

Usage, Common Crawl WET files to clean JSONL::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import WarcReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleaner.integrations.datatrove import CleanerStep

    pipeline = [
        WarcReader("crawl/", glob_pattern="*.warc.wet.gz"),   # WARC response records (HTML) work too
        CleanerStep(favor="precision", skip=["job-ads"]),
        JsonlWriter("clean/"),                                 # clean/00000.jsonl.gz, one file per task
    ]
    LocalPipelineExecutor(pipeline, tasks=8, workers=4, logging_dir="logs/clean").run()

On a cluster the pipeline is the same, only the executor changes::

    from datatrove.executor import SlurmPipelineExecutor
    SlurmPipelineExecutor(pipeline, tasks=1000, time="10:00:00", partition="cpu",
                          job_name="clean", logging_dir="logs/clean").run()

The summary (``doc.metadata["cleaner"]``)::

    {"status": "ok", "input_format": "text",
     "metadata": {"title": ..., "author": ..., "date": ..., "language": ...},
     "lines_total": 81, "lines_kept": 26, "removals": {"job-ads": 26, "navigation": 1}, "notes": [],
     "cleaner_version": "0.1.0", "model_version": "content-...", "settings_hash": "sha256:..."}

A page date later than the document's crawl date (``doc.metadata["date"]``, the WARC-Date that
datatrove's ``WarcReader`` sets) is dropped (``None``): a page is not published after it was fetched.
``removals`` counts removed non-blank lines per detector; the last three fields are the
provenance every report record ends with (:func:`cleaner.options.provenance`). With ``spans=True`` it also holds
``removed`` and ``edits`` exactly as :func:`cleaner.outputs.report.record` writes them, so
``cleaner.outputs.report.rebuild_from_record(doc.text, doc.metadata["cleaner"])`` gives the document's
input text back (for HTML: its whole-page text).

Documents whose clean text is empty, and documents that cannot be cleaned (empty or binary
text, over the size limit, over ``timeout``, or an unexpected error), are dropped (``drop_empty``)
and counted in datatrove's stats (``dropped_empty``, ``dropped_bad_input``, ``dropped_timeout``,
``dropped_error``); a failure is logged in one line and never stops the task. An
``exclusion_writer`` keeps the dropped documents, original text intact, as datatrove's filters do.

Each document is cleaned alone: there is no site repetition (:mod:`cleaner.text.sites`), which
learns from all pages of a site at once, while a datatrove task sees one shard as a stream.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

try:
    from datatrove.data import Document, DocumentsPipeline
    from datatrove.pipeline.base import PipelineStep
    from datatrove.pipeline.writers.disk_base import DiskWriter
    from datatrove.utils.logging import logger
    from datatrove.utils.typeshelper import StatHints
except ImportError as err:  # the extra is optional: say how to get it, in one line
    raise ImportError(
        f"cleaner.integrations.datatrove needs datatrove ({err}): "
        "in the cleaner checkout, pip install -e '.[datatrove]' (not PyPI's unrelated 'cleaner')"
    ) from err

from cleaner.metadata import after_crawl
from cleaner.options import Options, options_for, provenance
from cleaner.outputs import report
from cleaner.render import CleanResult
from cleaner.runs import parallel
from cleaner.runs.limits import BAD_INPUT, ERROR, TIMEOUT, guarded, timeout_error
from cleaner.runs.one import clean_document
from cleaner.runs.page import TEXT, warm_up

__all__ = ["BAD_INPUT", "EMPTY", "ERROR", "TIMEOUT", "CleanerStep", "summary"]

METADATA_KEY = "cleaner"
EMPTY = "empty"  # the other reasons are the failures of cleaner.runs.limits


def summary(result: CleanResult, input_format: str, *, spans: bool = False, crawled: object = None) -> dict[str, Any]:
    """The JSON-ready summary put into ``doc.metadata["cleaner"]`` (see the module docstring).

    ``crawled``: when the document was fetched (datatrove's ``doc.metadata["date"]``, the WARC-Date
    its ``WarcReader`` sets): a page date after it is dropped (:func:`cleaner.metadata.after_crawl`).
    """
    metadata = result.metadata.to_dict()
    if after_crawl(metadata["date"], crawled):
        metadata["date"] = None  # a page cannot be published after it was fetched: a misread date
    out: dict[str, Any] = {
        "status": report.OK,
        "input_format": input_format,
        "metadata": metadata,
        "lines_total": result.lines_total,
        "lines_kept": result.lines_kept,
        "removals": result.removals_by_detector(),
        "notes": list(result.notes),
    }
    if spans:
        record = report.record(result)
        out["removed"], out["edits"] = record["removed"], record["edits"]
    return out


@dataclass
class _Cleaned:
    """What happened to one document: a result, or why there is none (``reason``, ``error``)."""

    result: CleanResult | None = None
    input_format: str | None = None
    reason: str | None = None  # None: clean text to keep; else EMPTY, BAD_INPUT, TIMEOUT or ERROR
    error: str | None = None
    seconds: float = 0.0  # time spent cleaning (datatrove's time stats)


def _clean_one(text: str, source: str, options: Options) -> _Cleaned:
    """Clean one document's text; any failure becomes a reason and an error line, never an exception."""
    started = time.perf_counter()
    done, failure = guarded(lambda: clean_document(text, source, options), options.timeout)
    if done is None:
        cleaned = _Cleaned(reason=failure.kind if failure else ERROR, error=failure.reason if failure else None)
    else:
        result, input_format = done
        cleaned = _Cleaned(result, input_format, None if result.text.strip() else EMPTY)
    cleaned.seconds = time.perf_counter() - started
    return cleaned


@dataclass(frozen=True)
class _Worker:
    """What a worker process cleaning a task's documents needs (see :func:`cleaner.runs.parallel.ordered_map`)."""

    options: Options

    def warm_up(self) -> None:
        warm_up()

    def timed_out(self, item: tuple[str, str]) -> _Cleaned:
        """A document whose worker was killed past the limit (C code, e.g. lxml, ignores SIGALRM)."""
        timeout = self.options.timeout or 0.0
        return _Cleaned(reason=TIMEOUT, error=timeout_error(timeout), seconds=timeout)

    def died(self, item: tuple[str, str]) -> _Cleaned:
        return _Cleaned(reason=ERROR, error=parallel.WORKER_DIED)


def _clean_in_worker(item: tuple[str, str]) -> _Cleaned:
    worker = parallel.worker_state()
    assert isinstance(worker, _Worker)
    return _clean_one(item[0], item[1], worker.options)


class CleanerStep(PipelineStep):
    """A datatrove pipeline step that cleans each document with ``clean`` (see the module docstring).

    Options as for :func:`cleaner.runs.page.clean_text`: ``options`` (e.g. from
    :func:`cleaner.config.load_config`) and keyword arguments over it (``favor``, ``keep_title``,
    ``only``, ``skip``, ``timeout``...). ``spans``: put the removed spans and edits into the summary.
    ``drop_empty``: drop documents with no clean text or that fail (``False``: keep them with empty
    text and a summary saying why). The ``timeout`` option: seconds one
    document may take (``None``: no limit); with one, the task's documents are cleaned in a worker
    process that is killed when a document stays past it, in C code too (lxml), and replaced.
    ``metadata_key``: where the summary goes. ``exclusion_writer``: a datatrove writer
    for the dropped documents, their original text kept and ``metadata["filter_reason"]`` set.
    """

    name = "🧹 cleaner"
    type = "✂️ - FORMAT"

    def __init__(
        self,
        *,
        options: Options | None = None,
        spans: bool = False,
        drop_empty: bool = True,
        metadata_key: str = METADATA_KEY,
        exclusion_writer: DiskWriter | None = None,
        **values: Any,
    ) -> None:
        super().__init__()
        settings = options_for(options, **values)
        # Plain values, not the Options: executors write every step's attributes to executor.json (with
        # dataclasses.asdict) and pickle the step for their workers; the Options' read-only mappings
        # break asdict and the standard pickle.
        self.settings = _plain(settings)
        self.spans = spans
        self.drop_empty = drop_empty
        self.metadata_key = metadata_key
        self.exclusion_writer = exclusion_writer
        self.provenance = provenance(settings)  # the same for every document: computed once

    @property
    def options(self) -> Options:
        """The :class:`~cleaner.options.Options` the documents are cleaned with."""
        return Options(**self.settings)

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        """Clean every document of ``data``; yield those kept, with clean text and summary."""
        if data is None:
            return
        writer = self.exclusion_writer or contextlib.nullcontext()
        with writer as excluded:
            for doc, cleaned in self._cleaned(data):
                self.stat_update(StatHints.total)
                self.stats.time_stats.update(cleaned.seconds)
                if cleaned.error is not None:
                    logger.warning(f"cleaner: document {doc.id}: {cleaned.error}")
                self._count(cleaned)
                keep = cleaned.reason is None or not self.drop_empty
                if keep:
                    self._apply(doc, cleaned)
                if keep:
                    self.stat_update(StatHints.forwarded)
                    self.update_doc_stats(doc)
                    yield doc
                else:
                    self.stat_update(StatHints.dropped)
                    if excluded is not None:
                        self._exclude(excluded, doc, cleaned, rank)

    def _cleaned(self, data: DocumentsPipeline) -> Iterator[tuple[Document, _Cleaned]]:
        """Each document with what cleaning it gave, in order: here, or (with a timeout) in a killable worker.

        A daemonic process may not start workers: there the timeout is ``SIGALRM``'s, which
        stops Python code only.
        """
        options = self.options
        if not options.timeout or options.timeout <= 0 or multiprocessing.current_process().daemon:
            for doc in data:
                yield doc, _clean_one(doc.text, str(doc.id), options)
            return
        held: deque[Document] = deque()  # read ahead by the map, waiting for their results

        def texts() -> Iterator[tuple[str, str]]:
            for doc in data:
                held.append(doc)
                yield doc.text, str(doc.id)

        state = _Worker(options)
        results = parallel.ordered_map(_clean_in_worker, texts(), 1, state=state, timeout=options.timeout,
                                       on_timeout=state.timed_out, on_death=state.died)
        with contextlib.closing(results):
            for cleaned in results:
                yield held.popleft(), cleaned

    def _count(self, cleaned: _Cleaned) -> None:
        if cleaned.reason is not None:
            self.stat_update(f"{'dropped' if self.drop_empty else 'kept'}_{cleaned.reason}")
        result = cleaned.result
        if result is None:
            return
        self.stat_update(f"format_{cleaned.input_format}")
        self.stat_update("lines_total", value=result.lines_total)
        self.stat_update("lines_kept", value=result.lines_kept)
        for detector, lines in result.removals_by_detector().items():
            self.stat_update(f"removed_lines_{detector}", value=lines)

    def _summary(self, doc: Document, cleaned: _Cleaned) -> dict[str, Any]:
        if cleaned.result is None:
            return {"status": report.ERROR, "reason": cleaned.reason, "error": cleaned.error, **self.provenance}
        out = summary(cleaned.result, cleaned.input_format or TEXT, spans=self.spans, crawled=doc.metadata.get("date"))
        if cleaned.reason is not None:
            out["reason"] = cleaned.reason
        return out | self.provenance

    def _apply(self, doc: Document, cleaned: _Cleaned) -> None:
        """The clean text into ``doc.text`` (empty for a failed document) and the summary into its metadata."""
        doc.text = cleaned.result.text if cleaned.result is not None else ""
        doc.metadata[self.metadata_key] = self._summary(doc, cleaned)

    def _exclude(self, writer: DiskWriter, doc: Document, cleaned: _Cleaned, rank: int) -> None:
        """A dropped document to the exclusion writer: original text, summary, and datatrove's filter_reason."""
        doc.metadata[self.metadata_key] = self._summary(doc, cleaned)
        doc.metadata["filter_reason"] = cleaned.reason
        writer.write(doc, rank)


def _plain(options: Options) -> dict[str, Any]:
    """``options`` as keyword arguments of :class:`Options` made of plain lists and dicts only."""
    values = {f.name: getattr(options, f.name) for f in fields(Options) if f.name != "source"}
    values["only"] = None if options.only is None else list(options.only)
    values["skip"] = list(options.skip)
    values["detectors"] = None if options.detectors is None else list(options.detectors)
    values["thresholds"] = dict(options.thresholds)
    values["phrases"] = {name: {section: list(phrases) for section, phrases in sections.items()}
                         for name, sections in options.phrases.items()}
    return values

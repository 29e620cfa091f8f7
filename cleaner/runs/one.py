"""One input: read it, tell HTML from text, clean it under the time limit, or say in one line why not.

The single copy of that work: ``clean FILE`` (:func:`clean_input_isolated`), the folder runs
(:class:`Reader`, in worker processes), the corpus run (:func:`load`) and the datatrove step
(:func:`clean_document`) all go through it, and through :func:`cleaner.runs.limits.guarded`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from cleaner.errors import InputError
from cleaner.explain import LineExplanation
from cleaner.inputs import corpus, discovery, html, html_dom, html_source
from cleaner.inputs.decoding import STDIN, check_line_length, check_text, decode, format_size, read_bytes
from cleaner.options import Options, options_for
from cleaner.outputs import corpus_output, files
from cleaner.outputs.report import Outcome
from cleaner.render import CleanResult
from cleaner.runs import parallel
from cleaner.runs.limits import guarded, timeout_error
from cleaner.runs.page import HTML, TEXT, Loaded, clean_html, clean_loaded, clean_text, explain_loaded, warm_up
from cleaner.text.sites import SiteProfile

__all__ = [
    "Reader",
    "Task",
    "as_list",
    "clean_document",
    "clean_file",
    "clean_input",
    "clean_input_isolated",
    "clean_task",
    "explain_file",
    "load",
    "read_input",
    "refuse_corpus",
    "shown",
    "task_died",
    "tasks",
    "write_page",
]


def clean_file(path: str | Path, *, options: Options | None = None, **values: Any) -> CleanResult:
    """Read, decode and clean one file (``"-"``: standard input), text or HTML (recognised by content).

    Raises :class:`InputError` (``"PATH: reason"``, one line) for a missing, empty, binary,
    undecodable, mixed-encoding or too large input (the options' ``max_bytes``, default 20 MiB),
    an HTML page without visible text, or one over the options' ``timeout`` seconds. The
    ``encoding`` option forces a codec. One page has no site to learn from: no site repetition.
    """
    outcome = clean_input(path, options=options_for(options, **values))
    if outcome.result is None:
        raise InputError(f"{shown(outcome.path)}: {outcome.error}")
    return outcome.result


def clean_input(
    path: str | Path,
    *,
    stdin: BinaryIO | None = None,
    site_profile: SiteProfile | None = None,
    options: Options | None = None,
    **values: Any,
) -> Outcome:
    """Like :func:`clean_file`, but a bad input gives an :class:`Outcome` with ``error`` set.

    HTML is recognised by content and cleaned as :func:`clean_html` does, anything else as text.
    ``site_profile`` is what a run learned about the input's site (see :func:`clean_text`).
    The options' ``timeout``: seconds one input may take (``None`` or 0: no limit; enforced with
    ``SIGALRM``, so only in the main thread of a POSIX process); an input over it fails with a
    one-line error.
    """
    settings = options_for(options, **values)
    name = str(path)

    def work() -> tuple[Loaded, CleanResult]:
        loaded = read_input(name, settings, stdin)
        return loaded, clean_loaded(loaded, name, settings, site_profile)

    done, failure = guarded(work, settings.timeout)
    if done is None:
        return Outcome(name, error=failure.reason if failure else None)
    loaded, result = done
    return Outcome(
        name, result, encoding=loaded.encoding, notes=list(result.notes), input_format=loaded.input_format,
        bom=loaded.bom, encoding_confidence=loaded.confidence,
    )


def clean_input_isolated(
    path: str | Path, *, stdin: BinaryIO | None = None, options: Options | None = None, **values: Any
) -> Outcome:
    """:func:`clean_input` in a worker process, killed if the input takes longer than the options' ``timeout``.

    What ``clean FILE`` runs: ``SIGALRM`` alone cannot stop C code (lxml parsing a pathological
    page), a kill can. The worker is forked for this one input (standard input is read here and
    handed over). Without a timeout the input is cleaned in this process.
    """
    settings = options_for(options, **values)
    timeout = settings.timeout
    if not timeout or timeout <= 0:
        return clean_input(path, stdin=stdin, options=settings)
    reader = Reader(settings)
    item = discovery.Input(str(path), PurePosixPath(Path(str(path)).name))
    with closing(parallel.ordered_map(clean_task, tasks([item], stdin, settings.size_limit), 1, state=reader,
                                      on_death=task_died, timeout=timeout, on_timeout=reader.timed_out)) as outcomes:
        return next(outcomes)


def explain_file(
    path: str | Path, lines: Sequence[int], *, stdin: BinaryIO | None = None, options: Options | None = None,
    **values: Any,
) -> list[LineExplanation]:
    """:func:`~cleaner.runs.page.explain_line` for ``lines`` of one file (``"-"``: standard input, read
    once), read as :func:`clean_file` reads it.

    Raises :class:`InputError` for a bad input and :class:`~cleaner.explain.LineOutOfRange`
    (before any work) for a line the page does not have.
    """
    settings = options_for(options, **values)
    name = str(path)
    try:
        loaded = read_input(name, settings, stdin)
    except InputError as err:
        raise InputError(f"{shown(name)}: {err}") from None
    return explain_loaded(loaded, name, lines, settings)


def clean_document(text: str, source: str = "-", options: Options | None = None) -> tuple[CleanResult, str]:
    """Clean one document given as text (a corpus record's, a datatrove document's): HTML by content, else text.

    Returns the result and the input format (``"html"`` or ``"text"``). Raises :class:`InputError`
    for empty or binary text, or text over the options' size limit (default 20 MiB, as UTF-8).
    """
    settings = options or Options()
    check_text(text)
    limit = settings.size_limit
    if len(text) * 4 > limit and len(text.encode("utf-8", "surrogatepass")) > limit:  # 4: most bytes a char takes
        raise InputError(f"too large (over {format_size(limit)})")
    if html_source.looks_like_html(text):
        return clean_html(text, source, options=settings), HTML
    return clean_text(text, source, options=settings), TEXT


def read_input(name: str, settings: Options, stdin: BinaryIO | None, *, extract: bool = True) -> Loaded:
    """Read one input within the options' size limit and codec; HTML or text by content.

    ``extract=False`` reads an HTML page's whole-page text only (no trafilatura: site learning).
    """
    named_html = discovery.uncompressed_name(name).lower().endswith(discovery.HTML_SUFFIXES)
    data = read_bytes(name, settings.size_limit, stdin)
    refuse_corpus(data)
    return load(data, settings, named_html=named_html, extract=extract)


def refuse_corpus(data: bytes) -> None:
    """A WARC or ARC file read as a page would be cleaned as one page of headers and records: refuse it."""
    kind = corpus.sniff_corpus(data[: corpus.SNIFF_BYTES])
    if kind in (corpus.WARC, corpus.ARC):
        raise InputError(f"a {kind.upper()} corpus file, not a page: clean it as a corpus (named .{kind} or "
                         f".{kind}.gz, or on standard input without --report or --review)")


def load(
    data: bytes, settings: Options, *, named_html: bool = False, extract: bool = True, hint: str | None = None
) -> Loaded:
    """Decode one input's bytes as HTML (recognised by content) or as text, with the options' codec if forced.

    ``hint``: the charset the input's source declared (a corpus record's HTTP header).
    """
    codec = settings.encoding
    hint = html_source.charset_codec(hint)
    if html_source.looks_like_html(data):
        decoded = html_source.decode_html(data, codec, hint)
        if not extract:
            return Loaded(html_dom.page_text(html_dom.parse_html(decoded)), HTML, decoded.encoding, decoded.notes,
                          bom=decoded.bom, confidence=decoded.confidence)
        return Loaded.from_html(decoded, html.read_html(decoded, settings.favor, settings.engine))
    try:
        decoded_text = decode(data, codec, declared=hint)
    except InputError as err:
        if named_html and str(err).startswith("binary"):
            raise InputError(f"not HTML or text: {err}") from None
        raise
    notes = ("no HTML markup despite the file name: cleaned as text",) if named_html else ()
    return Loaded(check_line_length(decoded_text.text), TEXT, decoded_text.encoding, notes, bom=decoded_text.bom,
                  confidence=decoded_text.confidence)


def write_page(path: str | Path, text: str) -> None:
    """Write one page's clean ``text`` (UTF-8) to ``path`` atomically; gzip or zstd when the name ends ``.gz``/``.zst``.

    The suffix says what the file holds, as for corpus outputs; gzip's header has no time stamp,
    so the same text gives the same bytes.
    """
    compression = corpus_output.compression_for(str(path))
    with files.atomic_open(Path(path)) as stream, corpus_output.Compressing(stream, compression) as writer:
        writer.write(text.encode("utf-8"))


@dataclass(frozen=True)
class Task:
    """One input for a worker: its path, or (standard input) the bytes the parent read."""

    item: discovery.Input
    data: bytes | None = None


def tasks(inputs: Sequence[discovery.Input], stdin: BinaryIO | None, limit: int) -> Iterator[Task]:
    """Standard input can be read by the parent only; it is read when its turn comes."""
    for item in inputs:
        if item.is_stdin and item.error is None:
            try:
                data = read_bytes(STDIN, limit, stdin)
            except InputError as err:
                yield Task(discovery.Input(item.path, item.rel, str(err)))
                continue
            yield Task(item, data)
        else:
            yield Task(item)


def clean_task(task: Task) -> Outcome:
    """Clean one input in a worker (or in the parent, with one job) with the run's :class:`Reader`."""
    item = task.item
    if item.error is not None:
        return Outcome(item.path, error=item.error)
    read = parallel.worker_state()
    assert isinstance(read, Reader)
    return read(item.path, io.BytesIO(task.data) if task.data is not None else None)


def task_died(task: Task) -> Outcome:
    return Outcome(task.item.path, error=parallel.WORKER_DIED)


@dataclass(frozen=True)
class Reader:
    """Reads and cleans one input of a run (a worker's state), with its site's profile when one was learned."""

    options: Options
    sites: dict[str, str] = field(default_factory=dict)  # input path -> site key
    profiles: dict[str, SiteProfile] = field(default_factory=dict)  # site key -> profile
    parse_html: bool = False  # pass 1, phase B: summarise HTML pages too (see cleaner.runs.learning)
    late: frozenset[str] = frozenset()  # inputs whose worker pass 1 killed past the time limit

    def warm_up(self) -> None:
        warm_up()

    def __call__(self, path: str, stdin: BinaryIO | None = None) -> Outcome:
        if path in self.late:  # pass 1 could not even parse it in time: cleaning it would take longer
            return Outcome(path, error=timeout_error(self.options.timeout))
        profile = self.profiles.get(self.sites.get(path, ""))
        return clean_input(path, stdin=stdin, site_profile=profile, options=self.options)

    def timed_out(self, task: Task) -> Outcome:
        """The outcome of an input whose worker was killed past the time limit (C code ignores SIGALRM)."""
        return Outcome(task.item.path, error=timeout_error(self.options.timeout))

    def site_pages(self) -> dict[str, int]:
        """Label -> page count of every site profile in use."""
        return {profile.label: profile.pages for profile in sorted(self.profiles.values(), key=lambda p: p.label)}


def as_list(paths: Iterable[str | Path] | str | Path) -> list[str | Path]:
    """``"seeds"`` alone means one path, not five one-letter ones."""
    return [paths] if isinstance(paths, str | Path) else list(paths)


def shown(path: str) -> str:
    """An input's name in a message: standard input is ``<stdin>``."""
    return "<stdin>" if path == STDIN else path

"""Pass 1 of a folder run: learn what recurs across each site's pages (see :mod:`cleaner.text.sites`).

Pass 2 then cleans each page with its site's profile (:class:`cleaner.runs.one.Reader`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from contextlib import closing
from dataclasses import replace

from cleaner.detectors.site_repetition import SiteRepetitionDetector
from cleaner.inputs import discovery, html_source
from cleaner.inputs.decoding import read_bytes
from cleaner.runs import parallel
from cleaner.runs.limits import guarded
from cleaner.runs.one import Reader, load, refuse_corpus
from cleaner.text.sites import MIN_PAGES, PageSummary, SiteProfiles, site_key, site_label, summarize

__all__ = ["learn_sites", "summarize_input"]


def learn_sites(reader: Reader, inputs: Sequence[discovery.Input], jobs: int = 1) -> Reader:
    """Pass 1: ``reader`` with the site profiles learned from ``inputs``.

    Nothing is learned with site repetition off (or skipped), with an explicit detector list, or with
    fewer inputs than a site needs. Inputs that fail to read are skipped here and
    reported by pass 2. Only regular files are read twice: standard input, pipes and
    process substitutions (``clean <(cmd) ...``) can be read once, so they belong to no site.
    HTML inputs belong to the site whose address they declare (canonical link or ``og:url``,
    read without parsing; else their folder) and are learned from their whole-page text
    (the lines their reports are about), never from their markup; only the HTML pages of
    a site with enough pages are parsed here. Pages are read and summarised on ``jobs``
    processes and counted here in input order, so what is learned does not depend on ``jobs``.
    """
    options = reader.options
    usable = [item for item in inputs if item.error is None and not item.is_stdin and os.path.isfile(item.path)]
    enabled = options.site_repetition and options.runs(SiteRepetitionDetector.name)
    if not enabled or options.detectors is not None or len(usable) < MIN_PAGES:
        return reader
    workers = parallel.workers(jobs, len(usable))
    learned = SiteProfiles()
    html_sites = _text_sites(reader, usable, workers, learned)
    late = _html_sites(reader, usable, workers, learned, html_sites)
    return replace(reader, sites=learned.sites, profiles=learned.frozen(), late=frozenset(late))


def _text_sites(
    reader: Reader, usable: Sequence[discovery.Input], workers: int, learned: SiteProfiles
) -> dict[str, str]:
    """Phase A: every input's site. Text pages are summarised at once; an HTML page only gets
    its site key (the address it declares, found without parsing, else its folder), returned by path."""
    html_sites: dict[str, str] = {}
    pages: dict[str, int] = {}
    with closing(parallel.ordered_map(_summarize, usable, workers, state=reader, on_death=_no_summary,
                                      timeout=reader.options.timeout, on_timeout=_no_summary)) as found:
        for item, summary in zip(usable, found, strict=True):
            if isinstance(summary, str):
                html_sites[item.path] = summary
            elif summary is not None:
                learned.add_summary(summary)
            site = summary if isinstance(summary, str) else summary.site if summary else None
            if site is not None:
                pages[site] = pages.get(site, 0) + 1
    return {path: site for path, site in html_sites.items() if pages.get(site, 0) >= MIN_PAGES}


def _html_sites(
    reader: Reader, usable: Sequence[discovery.Input], workers: int, learned: SiteProfiles,
    html_sites: dict[str, str],
) -> set[str]:
    """Phase B: only the HTML pages of a site with enough pages are parsed and summarised.

    Returns the inputs whose worker was killed past the time limit."""
    wanted = [item for item in usable if item.path in html_sites]
    late: set[str] = set()

    def timed_out(item: discovery.Input) -> None:
        late.add(item.path)

    with closing(parallel.ordered_map(_summarize, wanted, workers, state=replace(reader, parse_html=True),
                                      on_death=_no_summary, timeout=reader.options.timeout,
                                      on_timeout=timed_out)) as found:
        for item, summary in zip(wanted, found, strict=True):
            if isinstance(summary, PageSummary):
                site = html_sites[item.path]
                learned.add_summary(replace(summary, site=site, label=site_label(item.path, site)))
    return late


def summarize_input(reader: Reader, item: discovery.Input) -> PageSummary | str | None:
    """Pass 1 for one input: a text page's site and keys; an HTML page's site key only (unless
    ``parse_html``: then its whole-page text's keys); ``None`` when it cannot be read (pass 2 says why)."""
    options = reader.options

    def work() -> PageSummary | str:
        data = read_bytes(item.path, options.size_limit, None)
        refuse_corpus(data)  # a corpus file teaches no site anything (pass 2 reports it)
        if html_source.looks_like_html(data) and not reader.parse_html:
            return site_key(item.path, html_source.site_url(data))
        return summarize(item.path, load(data, options, extract=False).text)

    return guarded(work, options.timeout)[0]  # a failure is reported by pass 2


def _summarize(item: discovery.Input) -> PageSummary | str | None:
    read = parallel.worker_state()
    assert isinstance(read, Reader)
    return summarize_input(read, item)


def _no_summary(item: discovery.Input) -> None:
    return None

"""HTML input: the whole-page text + what trafilatura keeps of it, and the cleaning of that page.

The HTML path keeps provenance. The whole-page text (:mod:`cleaner.inputs.html_dom`) is the
input of the report. Trafilatura's main-content extraction runs on the same parsed tree; its
text is mapped back onto the whole-page lines by aligning normalised tokens
(:func:`covered_lines`), so whatever it leaves out can be reported line by line (the
``html-extractor`` step, :mod:`cleaner.detectors.html_extractor`, which narrows the page the
other detectors see to what it kept) and the report still rebuilds the whole-page text exactly.
Recognising and decoding HTML bytes is :mod:`cleaner.inputs.html_source`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from cleaner.detectors.base import Detector
from cleaner.detectors.html_extractor import HtmlExtractorDetector
from cleaner.errors import InputError
from cleaner.explain import LineExplanation, explain_lines
from cleaner.inputs.decoding import MAX_HTML_WORDS, check_line_length
from cleaner.inputs.engines import DEFAULT_ENGINE, ENSEMBLE, MODEL, TRAFILATURA
from cleaner.inputs.html_dom import MAX_DEPTH, html_language, parse_html, walk
from cleaner.inputs.html_metadata import html_metadata
from cleaner.inputs.html_source import DecodedHtml
from cleaner.metadata import Metadata
from cleaner.pipeline import Observer, clean_page
from cleaner.render import CleanResult
from cleaner.text.dom import DOM_EVIDENCE, DomEvidence
from cleaner.text.extracted import EXTRACTOR_KEPT
from cleaner.text.language import LANGUAGE
from cleaner.text.page import Page
from cleaner.text.phrases import BUILT_IN, PhraseBook

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = [
    "Extraction",
    "clean_extraction",
    "covered_lines",
    "explain_extraction",
    "headline_matching_title",
    "merged_metadata",
    "read_html",
    "tokens",
    "trafilatura_options",
    "whole_page",
]

# --- mapping trafilatura's text back onto the lines ------------------------------------------

_TOKEN = re.compile(r"\w+")
MIN_COVERED = 0.5  # share of a line's tokens trafilatura's text must contain for the line to count as kept


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens: what alignment compares (markup, punctuation and spacing differ)."""
    return _TOKEN.findall(text.lower())


def _check_words(text: str) -> str:
    """``text``, or :class:`InputError` when it holds more tokens than
    :data:`~cleaner.inputs.decoding.MAX_HTML_WORDS`."""
    if len(text) <= MAX_HTML_WORDS:  # a token is a character at least: every real page
        return text
    words = sum(1 for _ in _TOKEN.finditer(text))  # one match at a time: no list of millions of words
    if words > MAX_HTML_WORDS:
        raise InputError(f"too many words in the HTML page's text ({words:,}, over the {MAX_HTML_WORDS:,} limit)")
    return text


def covered_lines(lines: Sequence[str], extracted: str, first: int = 1) -> frozenset[int]:
    """1-based numbers of the non-blank ``lines`` that ``extracted`` covers, by sequence alignment of tokens.

    Both texts become sequences of lower-cased word tokens (so markup, spacing, punctuation and
    how trafilatura joined or split paragraphs do not matter) and are aligned in order
    (:class:`difflib.SequenceMatcher`). A line counts as covered when at least
    :data:`MIN_COVERED` of its tokens are matched; a line without tokens ("*", "|") when the
    token lines on both sides of it are. Lines before line ``first`` are not aligned (the
    ``<title>`` line: trafilatura's text never comes from it, though it often repeats the headline).

    Lines first: most of trafilatura's lines have the same tokens as one page line, so the two
    texts are aligned line by line (a few hundred items, not thousands of tokens), and only
    the stretches between matched lines (a paragraph trafilatura split or joined, a line it
    cut short) are aligned token by token.
    """
    page = [tokens(line) if number >= first else [] for number, line in enumerate(lines, start=1)]
    ours = [index for index, toks in enumerate(page) if toks]  # the page lines with tokens
    theirs = [toks for toks in map(tokens, extracted.split("\n")) if toks]
    matched = [0] * len(page)  # matched tokens per page line
    done_ours = done_theirs = 0
    blocks = _line_blocks([tuple(page[index]) for index in ours], list(map(tuple, theirs)))
    for a, b, size in [*blocks, (len(ours), len(theirs), 0)]:
        _align_tokens(page, ours[done_ours:a], theirs[done_theirs:b], matched)
        for index in ours[a : a + size]:
            matched[index] = len(page[index])
        done_ours, done_theirs = a + size, b + size
    covered = {index for index, count in enumerate(matched) if count and count >= MIN_COVERED * len(page[index])}
    blank = {index for index, line in enumerate(lines) if not line.strip()}
    return frozenset(number + 1 for number in _with_tokenless(page, covered) - blank)


def _line_blocks(ours: list[tuple[str, ...]], theirs: list[tuple[str, ...]]) -> list[tuple[int, int, int]]:
    """The runs of equal lines of two texts, as ``(start in ours, start in theirs, lines)``, in order.

    :meth:`difflib.SequenceMatcher.get_matching_blocks` on lines, except that a run weighs its
    tokens, not its lines: the heaviest run is taken first, then the same on each side of it,
    as the token-level alignment would (four long article lines outweigh four short help lines
    that trafilatura moved to the end of its text). A range where trafilatura has a stretch of
    lines found nowhere on the page (one line joining many paragraphs, as it writes some tables)
    at least as heavy as the heaviest run gets no run: the token-level alignment takes it whole.
    """
    where: dict[tuple[str, ...], list[int]] = {}
    for number, line in enumerate(theirs):
        where.setdefault(line, []).append(number)
    found = set(ours)
    loose = [0 if line in found else len(line) for line in theirs]  # tokens of lines no page line equals
    blocks = []
    stack = [(0, len(ours), 0, len(theirs))]
    while stack:
        low_a, high_a, low_b, high_b = stack.pop()
        a, b, size, weight = _heaviest_run(ours, where, low_a, high_a, low_b, high_b)
        if size and weight > _heaviest_stretch(loose[low_b:high_b]):
            blocks.append((a, b, size))
            if low_a < a and low_b < b:
                stack.append((low_a, a, low_b, b))
            if a + size < high_a and b + size < high_b:
                stack.append((a + size, high_a, b + size, high_b))
    return sorted(blocks)


def _heaviest_stretch(weights: list[int]) -> int:
    """The largest sum of consecutive non-zero ``weights``."""
    heaviest = total = 0
    for weight in weights:
        total = total + weight if weight else 0
        heaviest = max(heaviest, total)
    return heaviest


def _heaviest_run(
    ours: list[tuple[str, ...]], where: Mapping[tuple[str, ...], list[int]], low_a: int, high_a: int, low_b: int,
    high_b: int,
) -> tuple[int, int, int, int]:
    """The run of equal lines with the most tokens in ``ours[low_a:high_a]`` and ``theirs[low_b:high_b]`` (the
    earliest of equal ones): its starts, its lines and its tokens."""
    best = (low_a, low_b, 0, 0)
    runs: dict[int, tuple[int, int]] = {}  # end in theirs -> (lines, tokens) of the run ending at the previous line
    for a in range(low_a, high_a):
        line = ours[a]
        grown: dict[int, tuple[int, int]] = {}
        for b in where.get(line, ()):
            if b < low_b:
                continue
            if b >= high_b:
                break
            size, weight = runs.get(b - 1, (0, 0))
            grown[b] = size, weight = size + 1, weight + len(line)
            if weight > best[3]:
                best = (a - size + 1, b - size + 1, size, weight)
        runs = grown
    return best


def _align_tokens(page: list[list[str]], ours: list[int], theirs: list[list[str]], matched: list[int]) -> None:
    """Count the tokens of page lines ``ours`` that an alignment with the extracted lines ``theirs`` matches."""
    if not ours or not theirs:
        return
    owners = [index for index in ours for _ in page[index]]
    left = [token for index in ours for token in page[index]]
    right = [token for toks in theirs for token in toks]
    for block in SequenceMatcher(None, left, right, autojunk=False).get_matching_blocks():
        for position in range(block.a, block.a + block.size):
            matched[owners[position]] += 1


def _with_tokenless(page: list[list[str]], covered: set[int]) -> set[int]:
    """Add the non-blank lines without tokens whose nearest token lines on both sides are covered."""
    result = set(covered)
    last_tokens: int | None = None
    pending: list[int] = []
    for index, toks in enumerate(page):
        if toks:
            if pending and last_tokens in covered and index in covered:
                result.update(pending)
            pending, last_tokens = [], index
        elif index not in covered:
            pending.append(index)
    return result


@dataclass(frozen=True)
class Extraction:
    """One HTML page read: its whole-page text, the lines trafilatura keeps, the headline and the metadata.

    ``kept`` is ``None`` when trafilatura found no main content (or failed): the whole-page
    text is then cleaned by the text detectors alone, and ``notes`` say why.
    """

    text: str
    kept: frozenset[int] | None
    headline: int | None = None
    metadata: Metadata = field(default_factory=Metadata)
    notes: tuple[str, ...] = ()
    extracted: str = ""  # trafilatura's own text, for comparison
    engine: str = TRAFILATURA  # what decides the content (cleaner.inputs.engines)
    evidence: DomEvidence | None = None  # the markup's evidence per line (the model and ensemble engines)


def _lines(text: str) -> list[str]:
    return text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")


# --- trafilatura's main content -----------------------------------------------------------------

# trafilatura's settings, chosen by measurement on the dev set (benchmarks/run.py, bench-data/html, F1 of
# trafilatura alone / of clean with the headline kept / without it): precision mode 0.975 / 0.971 / 0.979,
# its balanced mode 0.962 / 0.966 / 0.973, recall mode 0.964 / 0.966 / 0.973. Tables in, comments out
# (with comments on, trafilatura alone scores 0.951 in balanced mode).
TRAFILATURA_OPTIONS: dict[str, bool] = {"favor_precision": True, "include_comments": False, "include_tables": True}
# --favor recall asks trafilatura for recall; precision and balanced keep its precision mode.
_FAVOR_OPTIONS: dict[str, dict[str, bool]] = {
    "precision": {},
    "balanced": {},
    "recall": {"favor_precision": False, "favor_recall": True},
}


def trafilatura_options(favor: str = "balanced") -> dict[str, bool]:
    """The keyword arguments given to trafilatura's extraction for ``favor``."""
    return {**TRAFILATURA_OPTIONS, **_FAVOR_OPTIONS.get(favor, {})}


# Lines above the first kept line searched for trafilatura's title. (cleaner.text.headline.HEADLINE_REACH
# is the text path's: non-blank lines above the article searched for a headline-shaped line.)
TITLE_MATCH_REACH = 30


def read_html(source: str | DecodedHtml, favor: str = "balanced", engine: str = DEFAULT_ENGINE) -> Extraction:
    """Parse ``source`` once, build its whole-page text and, by ``engine``, what decides its content.

    ``trafilatura`` and ``ensemble`` (:mod:`cleaner.inputs.engines`) map trafilatura's main content
    onto the whole-page lines (``favor`` chooses its settings, :func:`trafilatura_options`);
    ``model`` and ``ensemble`` keep the markup's evidence per line for the learned model. Give the
    :class:`DecodedHtml` rather than its text: UTF-8 pages then parse from their bytes (faster).

    Raises :class:`InputError` when the page has no visible text. A failure inside
    trafilatura (or no main content found) is not an error: ``kept`` is ``None`` and a note says so.
    """
    root = parse_html(source)
    walked = walk(root, evidence=engine != TRAFILATURA)
    text = _check_words(check_line_length(walked.text))  # before trafilatura and the alignment (the memory)
    too_deep = walked.deepest >= MAX_DEPTH - 16  # the body and its ancestors sit above the walked levels
    if not text.strip():
        raise InputError(f"no visible text in the HTML page{' (nested deeper than the parser reads)' * too_deep}")
    notes = [f"the page nests elements over {MAX_DEPTH} levels deep: text below that is lost"] if too_deep else []
    language = html_language(root)
    if engine == MODEL:
        return Extraction(text, None, None, html_metadata(root, language), tuple(notes), engine=MODEL,
                          evidence=walked.evidence)
    found = _trafilatura_kept(root, text, walked.title, favor, language)
    said = found.notes if engine == TRAFILATURA else tuple(_ENSEMBLE_NOTES.get(note, note) for note in found.notes)
    return replace(found, notes=(*notes, *said), engine=engine, evidence=walked.evidence)


def _trafilatura_kept(root: HtmlElement, text: str, title: str, favor: str, language: str | None) -> Extraction:
    """The whole-page ``text`` with trafilatura's main content mapped onto its lines (``kept``), its metadata."""
    lines = _lines(text)
    document, notes = _trafilatura(root, trafilatura_options(favor))
    metadata = _metadata(document, language)
    if document is None or not (document.text or "").strip():
        return Extraction(text, None, None, metadata, (*notes, _NOTHING_FOUND))
    has_title = title == lines[0]  # the <title> heads the text unless it is empty or shows nothing
    kept = covered_lines(lines, document.text, first=2 if has_title else 1)
    if not kept:
        return Extraction(text, None, None, metadata, (*notes, _NOT_ALIGNED), document.text)
    headline = headline_matching_title(lines, kept, metadata.title, has_title=has_title)
    return Extraction(text, kept, headline, metadata, tuple(notes), document.text)


_NOTHING_FOUND = "trafilatura found no main content: the whole-page text was cleaned by the text detectors alone"
_NOT_ALIGNED = "trafilatura's text matched no line of the page: the whole-page text was cleaned by the text detectors"
_ENSEMBLE_NOTES = {  # the ensemble's model still decides such a page, reading "trafilatura kept nothing"
    _NOTHING_FOUND: "trafilatura found no main content: the ensemble's model decided without it",
    _NOT_ALIGNED: "trafilatura's text matched no line of the page: the ensemble's model decided without it",
}


def _trafilatura(root: HtmlElement, options: Mapping[str, bool]) -> tuple[object | None, list[str]]:
    """trafilatura's document (text and metadata) for ``root`` (it works on a copy), or ``None`` and a note."""
    import trafilatura  # about 0.3 s to import: only HTML inputs pay it

    try:
        return trafilatura.bare_extraction(root, with_metadata=True, **options), []
    except RecursionError:
        return None, ["trafilatura gave up on the page (nested too deeply)"]
    except Exception as err:  # noqa: BLE001 - a third-party failure must not end the run: the text path takes over
        return None, [f"trafilatura failed ({type(err).__name__})"]


def _metadata(document: object | None, language: str | None) -> Metadata:
    def get(name: str) -> str | None:
        value = getattr(document, name, None) if document is not None else None
        return value.strip() if isinstance(value, str) and value.strip() else None

    date = get("date")
    return Metadata(
        title=get("title"), author=get("author"), date=date if date and _ISO_DATE.match(date) else None,
        site_name=get("sitename"), url=get("url"), language=language,
    )


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def headline_matching_title(
    lines: Sequence[str], kept: frozenset[int], title: str | None, *, has_title: bool
) -> int | None:
    """The line number of the article's headline: the line reading as ``title`` closest above the content.

    The first kept line counts when it is the title itself. Line 1 is the ``<title>`` when the
    page has one, never the headline.
    """
    if not title or not kept:
        return None
    wanted = tuple(tokens(title))
    if not wanted:
        return None
    first = min(kept)
    if tuple(tokens(lines[first - 1])) == wanted:
        return first
    lowest = 2 if has_title else 1
    for number in range(first - 1, max(lowest, first - TITLE_MATCH_REACH) - 1, -1):
        if tuple(tokens(lines[number - 1])) == wanted:
            return number
    return None


# --- cleaning: the html-extractor step, then the other detectors on what it left ------------------


def clean_extraction(
    extraction: Extraction, source: str, detectors: Sequence[Detector], keep_title: bool = True,
    *, observer: Observer | None = None, phrases: PhraseBook = BUILT_IN,
) -> CleanResult:
    """Clean one read HTML page with ``detectors``; the result's input is the whole-page text.

    When ``detectors`` starts with the ``html-extractor`` step and trafilatura found content,
    that step labels the lines outside it and narrows the page to what it kept: the other
    detectors judge only those lines (the driver's scope, :func:`cleaner.pipeline.run`);
    otherwise all of them run on the whole-page text as on a text dump. ``observer``: ``clean --explain``;
    ``phrases``: the book the lines are judged with.
    """
    page = whole_page(extraction, source, phrases)
    result = clean_page(page, _steps(extraction, detectors, keep_title), observer)
    result.notes[:0] = extraction.notes
    result.metadata = merged_metadata(extraction.metadata, result.metadata)
    return result


def whole_page(extraction: Extraction, source: str = "-", phrases: PhraseBook = BUILT_IN) -> Page:
    """The whole-page text as a :class:`Page`, with the language the HTML declares (no need to guess it)."""
    page = Page(extraction.text, source, phrases)
    if extraction.metadata.language:
        page.facts.put(LANGUAGE, extraction.metadata.language)
    if extraction.evidence is not None:
        page.facts.put(DOM_EVIDENCE, extraction.evidence)
    if extraction.engine == ENSEMBLE:
        page.facts.put(EXTRACTOR_KEPT, extraction.kept)
    return page


def _steps(extraction: Extraction, detectors: Sequence[Detector], keep_title: bool) -> list[Detector]:
    """``detectors``, the html-extractor step built for this page when it comes first and trafilatura found content.

    Otherwise the step is left out: the whole-page text is cleaned as a text dump.
    """
    steps = list(detectors)
    rest = [step for step in steps if step.name != HtmlExtractorDetector.name]
    first = steps[0].name if steps else None
    if first != HtmlExtractorDetector.name or extraction.kept is None or extraction.engine != TRAFILATURA:
        return rest
    return [HtmlExtractorDetector(extraction.kept, extraction.headline, keep_title), *rest]


def explain_extraction(
    extraction: Extraction, source: str, numbers: Sequence[int], detectors: Sequence[Detector], keep_title: bool,
    rules: Mapping[tuple[str, str], str], phrases: PhraseBook = BUILT_IN,
) -> list[LineExplanation]:
    """``clean --explain`` for lines of an HTML page's whole-page text: it watches :func:`clean_extraction`."""
    return explain_lines(
        whole_page(extraction, source, phrases), numbers,
        lambda observer: clean_extraction(
            extraction, source, detectors, keep_title, observer=observer, phrases=phrases
        ),
        rules,
    )


def merged_metadata(html: Metadata, text: Metadata) -> Metadata:
    """trafilatura's metadata and the page's declared language first; what the text shows fills the gaps."""
    return Metadata(
        title=html.title or text.title, author=_author(html.author, text.author), date=html.date or text.date,
        language=html.language or text.language, site_name=html.site_name, url=html.url,
    )


def _author(html: str | None, text: str | None) -> str | None:
    """trafilatura's author, unless the byline read from the text is the same name without its extra words.

    trafilatura sometimes reads a byline with what follows it ("Jane Doe Monday; November"); the
    text's byline finder stops at the name.
    """
    if not html or not text:
        return html or text
    shorter, longer = tokens(text), tokens(html)
    return text if len(shorter) < len(longer) and set(shorter) <= set(longer) else html


"""HTML input: bytes -> the whole-page text (one visible block a line) + what trafilatura keeps of it.

The HTML path keeps provenance. The *input* of the report is the whole-page text built here
by a walk over the DOM (:func:`page_text`): every visible block on its own line, inline text
joined, ``<br>`` a line break, list items as ``* item``, a table row a line (cells joined by
two spaces), a blank line around paragraphs, headings, lists, tables and quotes, the
``<title>`` first. Scripts, styles, templates, forms' option lists and hidden elements are
not visible and not part of it. Trafilatura's main-content extraction then runs on the same
parsed tree; its text is mapped back onto the whole-page lines by aligning normalised
tokens (:func:`covered_lines`), so whatever it leaves out can be reported line by line (the
``html-extractor`` step, :mod:`cleaner.detectors.html_extractor`) and the report still
rebuilds the whole-page text exactly.

Recognising HTML is by content (:func:`looks_like_html`), never by the file name alone.
Decoding (:func:`decode_html`): a byte-order mark, else the charset the page declares in
its first bytes (``<meta charset>``, ``http-equiv``, an XML declaration) if the bytes decode
with it, else the text path's detection (UTF-8, then charset-normalizer); a declaration that
does not fit the bytes is noted.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from functools import cache
from typing import TYPE_CHECKING

from cleaner.decoding import Decoded, check_text, decode
from cleaner.detectors.base import Detector
from cleaner.detectors.html_extractor import HtmlExtractorDetector
from cleaner.errors import InputError
from cleaner.explain import LineExplanation, LineOutOfRange, Verdict, explain_page
from cleaner.language import page_language
from cleaner.metadata import Metadata
from cleaner.page import INVISIBLE, Page
from cleaner.pipeline import clean_page
from cleaner.removal import Labels, Removal
from cleaner.render import CleanResult, RemovedSpan
from cleaner.signals import page_signals

if TYPE_CHECKING:
    from lxml.html import HtmlElement, HTMLParser

# --- recognising HTML ---------------------------------------------------------------------

SNIFF_BYTES = 8192  # how much of the input is looked at to tell HTML from text
_DOCUMENT_TAG = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)
_KNOWN_TAG = re.compile(
    r"<(?:p|div|span|a|br|li|ul|ol|table|tr|td|h[1-6]|meta|script|style|title|link|img|article|section|nav"
    r"|header|footer|main|form|button|em|strong|b|i|figure|blockquote|pre)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_LEADING_MARKUP = re.compile(r"^\s*(?:<!--|<\?xml|<!doctype|<[a-z][a-z0-9]*[\s/>])", re.IGNORECASE)
MIN_FRAGMENT_TAGS = 3  # a fragment without <html>/<body> needs this many known tags to count as HTML


def looks_like_html(data: bytes | str) -> bool:
    """True when ``data`` (raw bytes or text) is an HTML document or fragment, judged by content only.

    A document: a doctype or an ``<html>``/``<head>``/``<body>`` tag near the start. A
    fragment: it starts with markup and has at least :data:`MIN_FRAGMENT_TAGS` known HTML tags
    in its first bytes. A text dump that quotes a tag or two is not HTML.
    """
    head = _sniff_text(data)
    if not head.strip():
        return False
    start = head.lstrip()[:1024]
    if _DOCUMENT_TAG.search(start) and start.startswith("<"):
        return True
    if not _LEADING_MARKUP.match(head):
        return False
    return bool(_DOCUMENT_TAG.search(head)) or len(_KNOWN_TAG.findall(head)) >= MIN_FRAGMENT_TAGS


def _sniff_text(data: bytes | str) -> str:
    """The first bytes of ``data`` as text, good enough to look for markup (UTF-16/32 BOMs honoured)."""
    if isinstance(data, str):
        return data[:SNIFF_BYTES].lstrip("\ufeff")
    chunk = data[:SNIFF_BYTES]
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if chunk.startswith(bom):
            return chunk.decode(codec, "ignore")
    if b"\x00" in chunk[:512]:  # binary, or UTF-16 without a BOM: neither is read as HTML here
        return ""
    return chunk.removeprefix(codecs.BOM_UTF8).decode("latin-1")


# --- decoding -------------------------------------------------------------------------------

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""",
    re.IGNORECASE,
)
DECLARATION_BYTES = 4096  # browsers look for the declared charset in the first 1024 bytes; pages are sloppier
# Labels browsers read as another codec (WHATWG Encoding): Latin-1 and ASCII pages are really windows-1252.
_WHATWG = {"iso8859-1": "cp1252", "ascii": "cp1252", "latin-1": "cp1252", "utf-16": "utf-8", "utf-32": "utf-8",
           "utf-16-le": "utf-8", "utf-16-be": "utf-8"}


def declared_charset(data: bytes) -> str | None:
    """The charset the page declares in its first bytes (canonical codec name), or ``None``.

    An unknown or non-text codec name counts as no declaration.
    """
    match = _META_CHARSET.search(data[:DECLARATION_BYTES])
    if match is None:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii", "ignore").strip().lower()
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    return _WHATWG.get(info.name, info.name)


@dataclass(frozen=True)
class DecodedHtml:
    """The decoded HTML source, the codec used, and what the reader should know about it."""

    text: str
    encoding: str
    notes: tuple[str, ...] = ()


def decode_html(data: bytes, encoding: str | None = None) -> DecodedHtml:
    """Decode HTML bytes: ``encoding`` if given, else a BOM, else the declared charset, else detection.

    A declared charset the bytes do not decode with falls back to detection and is noted.
    Raises :class:`InputError` for empty, binary or undecodable bytes.
    """
    if encoding is not None or data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _from(decode(data, encoding))
    declared = declared_charset(data)
    if declared is None:
        return _from(decode(data))
    try:
        text = data.decode(declared)
    except UnicodeDecodeError as err:
        found = decode(data)
        note = (f"declared charset {declared} does not fit the bytes (invalid byte 0x{data[err.start]:02X} at "
                f"offset {err.start}); decoded as {found.encoding}")
        return _from(found, note)
    check_text(text)  # the same empty/binary checks as the text path
    return DecodedHtml(text, declared)


def _from(decoded: Decoded, *notes: str) -> DecodedHtml:
    name = decoded.encoding + ("-sig" if decoded.bom and decoded.encoding == "utf-8" else "")
    return DecodedHtml(decoded.text, name, tuple(notes))


# --- parsing --------------------------------------------------------------------------------



@cache
def _parser() -> HTMLParser:
    # lxml is imported on first use: text-only runs and `clean --help` do not pay for it.
    from lxml.html import HTMLParser

    # huge_tree: nesting deeper than 256 levels (libxml2's default) still parses, up to its hard limit.
    return HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False, huge_tree=True)

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# Characters XML (and so lxml) refuses; browsers drop them too.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def parse_html(source: str) -> HtmlElement:
    """The HTML tree of ``source``; broken markup is repaired as a browser would (lxml's recovering parser).

    Raises :class:`InputError` when nothing parses into a tree.
    """
    from lxml import etree

    cleaned = _INVALID_XML.sub("", _XML_DECLARATION.sub("", source, count=1))
    try:
        root = etree.fromstring(cleaned, _parser())
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as err:
        raise InputError(f"not parseable as HTML ({err})") from None
    if root is None:
        raise InputError("not parseable as HTML (no document element)")
    return root


# --- the whole-page text ----------------------------------------------------------------------

# Never visible: their text is not part of the page.
_INVISIBLE = frozenset({
    "script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object", "embed", "canvas",
    "select", "datalist", "option", "audio", "video", "map", "dialog",
})
# Blocks that stand apart from their neighbours: a blank line before and after.
_PARAGRAPH = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "blockquote", "pre", "figure",
    "title", "hr",
})
# Blocks that start and end a line.
_BLOCK = _PARAGRAPH | frozenset({
    "div", "section", "article", "aside", "header", "footer", "nav", "main", "address", "li", "dt", "dd",
    "tr", "form", "fieldset", "legend", "figcaption", "details", "summary", "caption", "center", "body",
    "tbody", "thead", "tfoot", "hgroup", "menu", "label", "button", "option", "textarea", "noframes",
})
_CELLS = frozenset({"td", "th"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
CELL_SEPARATOR = "  "
_CELL = "\ue000"  # a private-use character marking a cell boundary until the line is built
BULLET = "* "
MAX_DEPTH = 2048  # libxml2's nesting limit (with huge_tree): deeper elements are not in the tree


def _hidden(element: HtmlElement) -> bool:
    attrib = element.attrib
    if not attrib:
        return False
    if "hidden" in attrib or attrib.get("aria-hidden") == "true" and element.tag not in ("span", "i"):
        return True
    style = attrib.get("style")
    return bool(style and _HIDDEN_STYLE.search(style)) or attrib.get("type") == "hidden"


class _Lines:
    """Collects the whole-page lines: inline text joined, whitespace collapsed, blank lines between paragraphs."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.parts: list[str] = []
        self.gap = False  # a blank line is due before the next text
        self.prefix = ""  # a list bullet waiting for the line's text

    def text(self, value: str | None) -> None:
        if value:
            self.parts.append(value)

    def cell(self) -> None:
        self.parts.append(_CELL)

    def preformatted(self, value: str) -> None:
        """Text inside ``<pre>``: its own line breaks are kept."""
        pieces = value.split("\n")
        for index, piece in enumerate(pieces):
            if index:
                self.flush()
            self.parts.append(piece)

    def flush(self, gap: bool = False) -> None:
        raw = "".join(self.parts)
        self.parts = []
        cells = raw.split(_CELL) if _CELL in raw else [raw]
        line = CELL_SEPARATOR.join(" ".join(cell.split()) for cell in cells if cell.split())
        if line.strip(INVISIBLE):  # a line of zero-width spaces shows nothing
            if self.gap and self.lines:
                self.lines.append("")
            self.lines.append(self.prefix + line)
            self.prefix = ""
            self.gap = False
        if gap:
            self.gap = True


def page_text(root: HtmlElement) -> str:
    """The visible text of the page, one block a line (see the module docstring); ``""`` if there is none."""
    return _walk(root)[0]


def _walk(root: HtmlElement) -> tuple[str, int]:
    """The whole-page text and the deepest nesting level met."""
    from lxml import etree

    out = _Lines()
    if title := _title_text(root):
        out.text(title)
        out.flush(gap=True)
    body = root.find("body")
    walker = etree.iterwalk(body if body is not None else root, events=("start", "end"))
    pre = depth = deepest = 0
    skipped = None  # an invisible element: its end event comes right after its start
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if element is skipped:
            out.text(element.tail)  # the tail is outside the invisible element, and visible
            skipped = None
            continue
        if event == "start":
            if not tag or tag in _INVISIBLE or _hidden(element):
                walker.skip_subtree()
                skipped = element
                continue
            depth += 1
            deepest = max(deepest, depth)
            _open(out, tag)
            pre += tag == "pre"
            if pre:
                out.preformatted(element.text or "")
            else:
                out.text(element.text)
            continue
        depth -= 1
        _close(out, tag)
        pre -= tag == "pre"
        if pre:
            out.preformatted(element.tail or "")
        else:
            out.text(element.tail)
    out.flush()
    return ("\n".join(out.lines) + "\n" if out.lines else ""), deepest


def _title_text(root: HtmlElement) -> str:
    """The ``<title>`` as its whole-page line ("" without one)."""
    title = root.find(".//title")
    return " ".join((title.text or "").split()) if title is not None else ""


def _open(out: _Lines, tag: str) -> None:
    if tag in _BLOCK:
        out.flush(gap=tag in _PARAGRAPH)
        if tag == "li":
            out.prefix = BULLET
    elif tag == "br":
        out.flush()
    elif tag in _CELLS:
        out.cell()


def _close(out: _Lines, tag: str) -> None:
    if tag in _BLOCK:
        out.flush(gap=tag in _PARAGRAPH)


# --- mapping trafilatura's text back onto the lines ------------------------------------------

_TOKEN = re.compile(r"\w+")
MIN_COVERED = 0.5  # share of a line's tokens trafilatura's text must contain for the line to count as kept


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens: what alignment compares (markup, punctuation and spacing differ)."""
    return _TOKEN.findall(text.lower())


def covered_lines(lines: Sequence[str], extracted: str, first: int = 1) -> frozenset[int]:
    """1-based numbers of the non-blank ``lines`` that ``extracted`` covers, by sequence alignment of tokens.

    Both texts become sequences of lower-cased word tokens (so markup, spacing, punctuation and
    how trafilatura joined or split paragraphs do not matter) and are aligned in order
    (:class:`difflib.SequenceMatcher`). A line counts as covered when at least
    :data:`MIN_COVERED` of its tokens are matched; a line without tokens ("*", "|") when the
    token lines on both sides of it are. Lines before line ``first`` are not aligned (the
    ``<title>`` line: trafilatura's text never comes from it, though it often repeats the headline).
    """
    page = [tokens(line) if number >= first else [] for number, line in enumerate(lines, start=1)]
    owners = [index for index, toks in enumerate(page) for _ in toks]
    left = [token for toks in page for token in toks]
    matched: dict[int, int] = {}  # page line index -> matched tokens
    for block in SequenceMatcher(None, left, tokens(extracted), autojunk=False).get_matching_blocks():
        for position in range(block.a, block.a + block.size):
            matched[owners[position]] = matched.get(owners[position], 0) + 1
    covered = {index for index, count in matched.items() if count >= MIN_COVERED * len(page[index])}
    blank = {index for index, line in enumerate(lines) if not line.strip()}
    return frozenset(number + 1 for number in _with_tokenless(page, covered) - blank)


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
class HtmlMetadata:
    """What the HTML says about the page (trafilatura's metadata, the ``lang`` attribute)."""

    title: str | None = None
    author: str | None = None
    date: str | None = None
    site_name: str | None = None
    url: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Extraction:
    """One HTML page read: its whole-page text, the lines trafilatura keeps, the headline and the metadata.

    ``kept`` is ``None`` when trafilatura found no main content (or failed): the whole-page
    text is then cleaned by the text detectors alone, and ``notes`` say why.
    """

    text: str
    kept: frozenset[int] | None
    headline: int | None = None
    metadata: HtmlMetadata = field(default_factory=HtmlMetadata)
    notes: tuple[str, ...] = ()
    extracted: str = ""  # trafilatura's own text, for comparison


def _lines(text: str) -> list[str]:
    return text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")


def _first(values: Iterable[str | None]) -> str | None:
    return next((value.strip() for value in values if value and value.strip()), None)


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
_LANGUAGE = re.compile(r"^([a-z]{2})(?:[-_][a-z0-9]+)*$", re.IGNORECASE)
HEADLINE_REACH = 30  # lines above the first kept line searched for the headline


def html_language(root: HtmlElement) -> str | None:
    """The page's declared language (ISO 639-1) from ``<html lang>``, ``xml:lang`` or a content-language meta."""
    candidates = [root.get("lang"), root.get("{http://www.w3.org/XML/1998/namespace}lang")]
    for meta in root.iterfind(".//meta"):
        key = (meta.get("http-equiv") or meta.get("property") or meta.get("name") or "").lower()
        if key in ("content-language", "og:locale", "language"):
            candidates.append(meta.get("content"))
    for value in candidates:
        match = _LANGUAGE.match((value or "").strip().split(",")[0].strip())
        if match:
            return match.group(1).lower()
    return None


def read_html(source: str, favor: str = "balanced") -> Extraction:
    """Parse ``source`` once, build its whole-page text and map trafilatura's main content onto it.

    ``favor`` chooses trafilatura's settings (:func:`trafilatura_options`).

    Raises :class:`InputError` when the page has no visible text. A failure inside
    trafilatura (or no main content found) is not an error: ``kept`` is ``None`` and a note says so.
    """
    root = parse_html(source)
    text, deepest = _walk(root)
    too_deep = deepest >= MAX_DEPTH - 16  # the body and its ancestors sit above the walked levels
    if not text.strip():
        raise InputError(f"no visible text in the HTML page{' (nested deeper than the parser reads)' * too_deep}")
    lines = _lines(text)
    notes = [f"the page nests elements over {MAX_DEPTH} levels deep: text below that is lost"] if too_deep else []
    language = html_language(root)
    document, failure = _trafilatura(root, trafilatura_options(favor))
    notes += failure
    metadata = _metadata(document, language)
    if document is None or not (document.text or "").strip():
        return Extraction(text, None, None, metadata, (*notes, _NOTHING_FOUND))
    has_title = bool(text) and root.find(".//title") is not None and _title_text(root) == lines[0]
    kept = covered_lines(lines, document.text, first=2 if has_title else 1)
    if not kept:
        return Extraction(text, None, None, metadata, (*notes, _NOT_ALIGNED), document.text)
    headline = find_headline(lines, kept, metadata.title, has_title=has_title)
    return Extraction(text, kept, headline, metadata, tuple(notes), document.text)


_NOTHING_FOUND = "trafilatura found no main content: the whole-page text was cleaned by the text detectors alone"
_NOT_ALIGNED = "trafilatura's text matched no line of the page: the whole-page text was cleaned by the text detectors"


def _trafilatura(root: HtmlElement, options: Mapping[str, bool]) -> tuple[object | None, list[str]]:
    """trafilatura's document (text and metadata) for ``root`` (it works on a copy), or ``None`` and a note."""
    import trafilatura  # about 0.3 s to import: only HTML inputs pay it

    try:
        return trafilatura.bare_extraction(root, with_metadata=True, **options), []
    except RecursionError:
        return None, ["trafilatura gave up on the page (nested too deeply)"]
    except Exception as err:  # noqa: BLE001 - a third-party failure must not end the run: the text path takes over
        return None, [f"trafilatura failed ({type(err).__name__})"]


def _metadata(document: object | None, language: str | None) -> HtmlMetadata:
    def get(name: str) -> str | None:
        value = getattr(document, name, None) if document is not None else None
        return value.strip() if isinstance(value, str) and value.strip() else None

    date = get("date")
    return HtmlMetadata(
        title=get("title"), author=get("author"), date=date if date and _ISO_DATE.match(date) else None,
        site_name=get("sitename"), url=get("url"), language=language,
    )


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def find_headline(lines: Sequence[str], kept: frozenset[int], title: str | None, *, has_title: bool) -> int | None:
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
    for number in range(first - 1, max(lowest, first - HEADLINE_REACH) - 1, -1):
        if tuple(tokens(lines[number - 1])) == wanted:
            return number
    return None


# --- cleaning: the html-extractor step, then the other detectors on what it left ------------------


def clean_extraction(
    extraction: Extraction, source: str, detectors: Sequence[Detector], keep_title: bool = True
) -> CleanResult:
    """Clean one read HTML page with ``detectors``; the result's input is the whole-page text.

    When ``detectors`` starts with the ``html-extractor`` step and trafilatura found content,
    that step labels the lines outside it and the other detectors run on the lines left
    (a smaller page, with their line numbers mapped back); otherwise all of them run on the
    whole-page text as on a text dump.
    """
    page = whole_page(extraction, source)
    step, rest = _steps(extraction, detectors, keep_title)
    result = clean_page(page, rest) if step is None else _clean_content(page, step, rest)
    result.notes[:0] = extraction.notes
    result.metadata = merged_metadata(extraction.metadata, result.metadata)
    return result


def whole_page(extraction: Extraction, source: str = "-") -> Page:
    """The whole-page text as a :class:`Page`, with the language the HTML declares (no need to guess it)."""
    page = Page(extraction.text, source)
    if extraction.metadata.language:
        page.cache["language"] = extraction.metadata.language
    return page


def _steps(
    extraction: Extraction, detectors: Sequence[Detector], keep_title: bool
) -> tuple[HtmlExtractorDetector | None, list[Detector]]:
    """The html-extractor step for this page (``None``: not in ``detectors``, or nothing found) and the rest."""
    steps = list(detectors)
    rest = [step for step in steps if step.name != HtmlExtractorDetector.name]
    if not steps or steps[0].name != HtmlExtractorDetector.name or extraction.kept is None:
        return None, rest
    return HtmlExtractorDetector(extraction.kept, extraction.headline, keep_title), rest


def explain_extraction(
    extraction: Extraction, source: str, numbers: Sequence[int], detectors: Sequence[Detector], keep_title: bool,
    rules: Mapping[tuple[str, str], str],
) -> list[LineExplanation]:
    """``clean --explain`` for lines of an HTML page's whole-page text, cleaned as :func:`clean_extraction` does."""
    page = whole_page(extraction, source)
    step, rest = _steps(extraction, detectors, keep_title)
    if step is None:
        return [_noted(explain_page(page, number, rest, rules), extraction.notes) for number in numbers]
    split = _split(page, step)
    outside = {n: removal for removal in split.outside for n in range(removal.first_line, removal.last_line + 1)}
    found = []
    for number in numbers:
        if not 1 <= number <= len(page):
            raise LineOutOfRange(f"line {number} is out of range: the page has {len(page)} lines")
        if number in outside:
            found.append(_outside(page, number, outside[number], rules, step.headline))
        else:
            inner = explain_page(split.content, split.numbers.index(number) + 1, [split.bounds, *rest], rules)
            found.append(_noted(_mapped(inner, split), extraction.notes))
    return found


def _noted(explanation: LineExplanation, notes: Sequence[str]) -> LineExplanation:
    return replace(explanation, notes=(*notes, *explanation.notes))


def _outside(
    page: Page, number: int, removal: Removal, rules: Mapping[tuple[str, str], str], headline: int | None
) -> LineExplanation:
    """A line the html-extractor step removed: no other detector saw it."""
    line = page.line(number)
    verdict = Verdict(removal.detector, removal.rule, rules.get((removal.detector, removal.rule), ""),
                      removal.reason, removal.first_line, removal.last_line)
    return LineExplanation(
        number=number, text=line.text, kept=False, decided_by=verdict, labelled_by=verdict,
        signals=None if line.is_blank else page_signals(page)[number - 1], language=page_language(page),
        headline=headline, notes=("the other detectors run only on what trafilatura kept",),
    )


def _mapped(explanation: LineExplanation, split: _Split) -> LineExplanation:
    """An explanation made on the small page, in whole-page line numbers."""
    def verdict(item: Verdict | None) -> Verdict | None:
        if item is None:
            return None
        return replace(item, first_line=split.whole(item.first_line), last_line=split.whole(item.last_line))

    view = explanation.main_body
    if view is not None:
        view = replace(
            view,
            body=None if view.body is None else (split.whole(view.body[0]), split.whole(view.body[1])),
            unit=None if view.unit is None else (split.whole(view.unit[0]), split.whole(view.unit[1])),
        )
    headline = explanation.headline
    return replace(
        explanation, number=split.whole(explanation.number), decided_by=verdict(explanation.decided_by),
        labelled_by=verdict(explanation.labelled_by),
        overridden=tuple(filter(None, map(verdict, explanation.overridden))),
        also_matched=tuple(filter(None, map(verdict, explanation.also_matched))),
        edits=tuple(replace(edit, line=split.whole(edit.line)) for edit in explanation.edits),
        main_body=view, headline=None if headline is None else split.whole(headline),
    )


@dataclass(frozen=True)
class _Split:
    """The html-extractor step's cut of a page: its removals, and the small page of what it left."""

    outside: list[Removal]
    numbers: list[int]  # line i+1 of ``content`` is whole-page line numbers[i]
    content: Page
    bounds: HtmlExtractorDetector  # opens the small page's pipeline: the article's range and headline

    def whole(self, number: int) -> int:
        """The whole-page line number of line ``number`` of the small page."""
        return self.numbers[number - 1]


def _split(page: Page, step: HtmlExtractorDetector) -> _Split:
    outside = list(step.detect(page, Labels(size=len(page))))
    numbers = step.content(page)
    content = Page("".join(page.line(n).text + page.line(n).ending for n in numbers), page.source)
    if "language" in page.cache:
        content.cache["language"] = page.cache["language"]
    # The same step opens the small page's pipeline: it removes nothing there, but tells the
    # position-aware detectors (bylines, metadata) where the article and its headline are.
    headline = numbers.index(step.headline) + 1 if step.headline in numbers else None
    return _Split(outside, numbers, content, HtmlExtractorDetector(frozenset(range(1, len(content) + 1)), headline))


def _clean_content(page: Page, step: HtmlExtractorDetector, rest: Sequence[Detector]) -> CleanResult:
    """Run ``step`` on the whole page, ``rest`` on the lines it leaves, and map the result back."""
    split = _split(page, step)
    inner = clean_page(split.content, [split.bounds, *rest])
    removed = [_span(page, removal) for removal in split.outside]
    for span in inner.removed:
        removed.extend(_mapped_spans(page, span, split.numbers))
    removed.sort(key=lambda span: span.first_line)
    edits = [replace(edit, line=split.whole(edit.line)) for edit in inner.edits]
    return CleanResult(
        source=page.source, text=inner.text, removed=removed, edits=edits, metadata=inner.metadata,
        lines_total=len(page), lines_kept=inner.lines_kept, notes=list(inner.notes),
    )


def _span(page: Page, removal: Removal) -> RemovedSpan:
    text = "".join(line.text + line.ending for line in page.lines[removal.first_line - 1: removal.last_line])
    return RemovedSpan(removal.detector, removal.rule, removal.first_line, removal.last_line, text, removal.reason)


def _mapped_spans(page: Page, span: RemovedSpan, numbers: Sequence[int]) -> list[RemovedSpan]:
    """A span of the small page as spans of the whole page: split where the html-extractor removed lines between."""
    whole = [numbers[n - 1] for n in range(span.first_line, span.last_line + 1)]
    runs: list[list[int]] = []
    for number in whole:
        if runs and runs[-1][-1] == number - 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return [_span(page, Removal(span.detector, span.rule, run[0], run[-1], span.reason)) for run in runs]


def merged_metadata(html: HtmlMetadata, text: Metadata) -> Metadata:
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

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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from functools import cache
from html import unescape
from typing import TYPE_CHECKING

from cleaner.detectors.base import Detector
from cleaner.detectors.html_extractor import HtmlExtractorDetector
from cleaner.errors import InputError
from cleaner.explain import LineExplanation, LineOutOfRange, Verdict, explain_page
from cleaner.inputs.decoding import (
    MAX_ATTRIBUTES,
    MAX_HTML_WORDS,
    MAX_TAG_ATTRIBUTES,
    MAX_TAGS,
    Decoded,
    check_line_length,
    check_text,
    decode,
)
from cleaner.metadata import Metadata
from cleaner.pipeline import clean_page
from cleaner.render import CleanResult, RemovedSpan
from cleaner.text.labels import Labels, Removal
from cleaner.text.language import LANGUAGE, page_language
from cleaner.text.page import INVISIBLE, Page
from cleaner.text.phrases import BUILT_IN, PhraseBook
from cleaner.text.signals import page_signals

if TYPE_CHECKING:
    from lxml.html import HtmlElement, HTMLParser

__all__ = [
    "DecodedHtml",
    "Extraction",
    "charset_codec",
    "check_markup",
    "clean_extraction",
    "covered_lines",
    "declared_charset",
    "decode_html",
    "explain_extraction",
    "headline_matching_title",
    "html_language",
    "looks_like_html",
    "merged_metadata",
    "page_text",
    "parse_html",
    "read_html",
    "site_url",
    "tokens",
    "trafilatura_options",
    "whole_page",
]

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
    return charset_codec((match.group(1) or match.group(2)).decode("ascii", "ignore"))


def charset_codec(label: str | None) -> str | None:
    """The codec a charset label names, read as browsers do (``iso-8859-1`` -> ``cp1252``); ``None``: none."""
    if not label:
        return None
    try:
        info = codecs.lookup(label.strip().lower())
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    return _WHATWG.get(info.name, info.name)


@dataclass(frozen=True)
class DecodedHtml:
    """The decoded HTML source, the codec used, and what the reader should know about it.

    ``utf8`` holds the input's bytes (BOM dropped) when ``text`` is exactly their UTF-8
    decoding and they hold no character the parser would drop (C0 controls, U+FFFE/U+FFFF):
    :func:`parse_html` then gives them to the parser as they are, about twice as fast as
    handing it the string (which lxml re-encodes).
    """

    text: str
    encoding: str
    notes: tuple[str, ...] = ()
    utf8: bytes | None = field(default=None, repr=False, compare=False)
    bom: str | None = None  # the byte-order mark's codec, as in :class:`~cleaner.inputs.decoding.Decoded`
    confidence: float = 1.0  # how sure the codec is (0..1), as in :class:`~cleaner.inputs.decoding.Decoded`


def decode_html(data: bytes, encoding: str | None = None, hint: str | None = None) -> DecodedHtml:
    """Decode HTML bytes: ``encoding`` if given, else a BOM, else the declared charset, else detection.

    A declared charset the bytes do not decode with falls back to detection and is noted.
    ``hint``: a charset named outside the page (an HTTP header), which detection prefers when
    it fits as well as its best guess. Raises :class:`InputError` for empty, binary or undecodable bytes.
    """
    if encoding is not None or data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _from(data, decode(data, encoding))
    declared = declared_charset(data)
    if declared is None:
        return _plain_utf8(data) or _from(data, decode(data, declared=hint))
    try:
        text = data.decode(declared)
    except UnicodeDecodeError as err:
        found = decode(data, declared=hint)
        note = (f"declared charset {declared} does not fit the bytes (invalid byte 0x{data[err.start]:02X} at "
                f"offset {err.start}); decoded as {found.encoding}")
        return _from(data, found, note)
    if declared == "utf-8" and (plain := _plain_utf8(data, text)):
        return plain
    check_text(text)  # the same empty/binary checks as the text path
    return DecodedHtml(text, declared)


def _plain_utf8(data: bytes, text: str | None = None) -> DecodedHtml | None:
    """``data`` (``text`` once decoded) as UTF-8 when its bytes are plain (:func:`_plain_bytes`) and not blank.

    That is what detection and the binary checks would conclude, without their scans of the
    whole text (most pages are such). Otherwise ``None``: the full path decides, and words any error.
    """
    if not _plain_bytes(data):
        return None
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return DecodedHtml(text, "utf-8", utf8=data) if text.strip() else None


def _from(data: bytes, decoded: Decoded, *notes: str) -> DecodedHtml:
    is_utf8 = decoded.encoding in ("utf-8", "utf-8-sig")
    body = data[len(codecs.BOM_UTF8):] if decoded.bom == "utf-8" else data
    utf8 = body if is_utf8 and _plain_bytes(body) else None
    return DecodedHtml(decoded.text, decoded.encoding, tuple(notes), utf8, bom=decoded.bom,
                       confidence=decoded.confidence)


# Every byte but the C0 controls XML refuses or the binary test counts (tab, LF, CR stay out of the list).
_ORDINARY_BYTES = bytes(set(range(256)) - {*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F})
_C1_UTF8 = re.compile(rb"\xC2[\x80-\x9F]")  # U+0080-U+009F, which the binary test counts too
_NONCHAR_UTF8 = re.compile(rb"\xEF\xBF[\xBE\xBF]")  # U+FFFE, U+FFFF: XML refuses them


def _plain_bytes(data: bytes) -> bool:
    """True when UTF-8 ``data`` holds no control character, U+FFFE or U+FFFF.

    Such bytes pass the binary test and parse to the same tree as their decoded string with
    those characters dropped. Three C-speed scans, instead of a regular expression over the string.
    """
    return not data.translate(None, _ORDINARY_BYTES) and not _C1_UTF8.search(data) and not _NONCHAR_UTF8.search(data)


# --- parsing --------------------------------------------------------------------------------


@cache
def _parser(utf8: bool = False) -> HTMLParser:
    """The HTML parser (``utf8``: the one reading UTF-8 bytes, whatever the page declares).

    lxml is imported on first use: text-only runs and `clean --help` do not pay for it.
    Elements are :class:`lxml.html.HtmlElement` (what trafilatura expects), found by a C-level
    lookup rather than lxml.html's Python one, which is called for every element Python
    touches: the walk and trafilatura run about 10% faster. (lxml.html's lookup also gives
    forms and inputs their own classes; nothing here uses them.)
    """
    from lxml import etree
    from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction

    # huge_tree: nesting deeper than 256 levels (libxml2's default) still parses, up to its hard limit.
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False,
                              huge_tree=True, encoding="utf-8" if utf8 else None)
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity))
    return parser


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# Characters XML (and so lxml) refuses; browsers drop them too.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


_START_TAG = re.compile(r"<[a-zA-Z]")  # what the parser makes an element of (end tags, comments and PIs make none)
_START_TAG_BODY = re.compile(r"<[a-zA-Z][^<>]*")  # a start tag, its attributes up to its ">"


def check_markup(text: str) -> None:
    """:class:`InputError` when ``text`` holds more start tags or attributes than a page may hold.

    The limits are :data:`~cleaner.inputs.decoding.MAX_TAGS`, :data:`~cleaner.inputs.decoding.MAX_ATTRIBUTES` and
    :data:`~cleaner.inputs.decoding.MAX_TAG_ATTRIBUTES`; checked before parsing, as the tree is what costs
    the memory. Counting every ``<`` and ``=`` first is a C-speed scan that settles most real pages.
    """
    if text.count("<") > MAX_TAGS:
        tags = sum(1 for _ in _START_TAG.finditer(text))  # one match at a time: no list of millions of matches
        if tags > MAX_TAGS:
            raise InputError(f"too many HTML tags ({tags:,}, over the {MAX_TAGS:,} limit a page may hold)")
    if text.count("=") > MAX_TAG_ATTRIBUTES:
        _check_attributes(text)


def _check_attributes(text: str) -> None:
    """The attribute limits, counting the ``=`` of each start tag (a value's own ``=`` too: a margin)."""
    total = 0
    for match in _START_TAG_BODY.finditer(text):
        count = text.count("=", match.start(), match.end())
        if count > MAX_TAG_ATTRIBUTES:
            raise InputError(f"an HTML tag with too many attributes ({count:,}, over the {MAX_TAG_ATTRIBUTES:,} "
                             "limit a tag may hold)")
        total += count
    if total > MAX_ATTRIBUTES:
        raise InputError(f"too many HTML attributes ({total:,}, over the {MAX_ATTRIBUTES:,} limit a page may hold)")


def parse_html(source: str | DecodedHtml) -> HtmlElement:
    """The HTML tree of ``source``; broken markup is repaired as a browser would (lxml's recovering parser).

    A :class:`DecodedHtml` with its UTF-8 bytes is parsed from them (same tree, faster).
    Raises :class:`InputError` when nothing parses into a tree.
    """
    from lxml import etree

    check_markup(source.text if isinstance(source, DecodedHtml) else source)
    if isinstance(source, DecodedHtml) and source.utf8 is not None:
        document, parser = source.utf8, _parser(utf8=True)
    else:
        text = source.text if isinstance(source, DecodedHtml) else source
        document, parser = _INVALID_XML.sub("", _XML_DECLARATION.sub("", text, count=1)), _parser()
    try:
        root = etree.fromstring(document, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as err:
        raise InputError(f"not parseable as HTML ({err})") from None
    if root is None:
        raise InputError("not parseable as HTML (no document element)")
    return root


# --- the page's address, without parsing ----------------------------------------------------------

# The tags that name a page's address: <link rel=canonical href>, <meta property=og:url content>. Each is found
# by a byte search for part of its keyword ("anonical": "Canonical" too), then read: (needle, keyword, tag, key
# attribute, address attribute).
_ADDRESS_TAGS = ((b"anonical", b"canonical", b"link", b"rel", b"href"),
                 (b"og:url", b"og:url", b"meta", b"property", b"content"))
_ATTRIBUTE = re.compile(rb"""([a-zA-Z_:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
_ABSOLUTE_URL = re.compile(r"^https?://[^/?#\s]+", re.IGNORECASE)


def site_url(data: bytes | str) -> str | None:
    """The page's own address as its markup declares it (``<link rel=canonical>``, else ``og:url``), or ``None``.

    Found in the raw HTML without parsing it (byte searches, about 0.1 ms for a 200 kB page), so a
    run can group HTML pages by site before deciding which ones are worth parsing for site learning.
    Only an absolute ``http(s)`` address counts. The tags may sit anywhere (some pages put them in
    the body).
    """
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
    for needle, keyword, tag, key, value in _ADDRESS_TAGS:
        start = 0
        while (found := raw.find(needle, start)) != -1:
            start = found + len(needle)
            opened, closed = raw.rfind(b"<", 0, found), raw.find(b">", found)
            if opened == -1 or closed == -1 or b">" in raw[opened:found]:
                continue
            element = raw[opened + 1 : closed]
            if element[: len(tag)].lower() != tag or not element[len(tag) : len(tag) + 1].isspace():
                continue
            attributes = {match[1].lower(): match[2] or match[3] or match[4] for match in _ATTRIBUTE.finditer(element)}
            if keyword not in attributes.get(key, b"").lower().split():
                continue
            url = unescape(attributes.get(value, b"").decode("utf-8", "replace")).strip()
            if _ABSOLUTE_URL.match(url):
                return url
    return None


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
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
CELL_SEPARATOR = "  "
BULLET = "* "
MAX_DEPTH = 2048  # libxml2's nesting limit (with huge_tree): deeper elements are not in the tree
# The walk writes the text pieces and these marks into one list, and the lines are built from the
# joined string in one pass (:func:`_assemble`), not at every element. The marks are lone
# surrogates, which no parsed text contains (libxml2 holds UTF-8, which cannot encode them, and
# reads a reference to one as U+FFFD), unlike control or private-use characters (icon fonts).
_BREAK = "\ud800"  # the line ends here
_GAP = "\ud801"  # the line ends here, and a blank line is due before the next text
_ITEM = "\ud802"  # the line ends here, and the next one is a list item
_CELL = "\ud803"  # a table cell starts here
_MARKS = re.compile("([\ud800\ud801\ud802])")
_OPENS = {**dict.fromkeys(_BLOCK, _BREAK), **dict.fromkeys(_PARAGRAPH, _GAP), "li": _ITEM, "br": _BREAK,
          "td": _CELL, "th": _CELL}
_CLOSES = {**dict.fromkeys(_BLOCK, _BREAK), **dict.fromkeys(_PARAGRAPH, _GAP)}
# The attributes that can hide an element (see :func:`_hidden`).
_HIDING = frozenset({"hidden", "aria-hidden", "style", "type"})


def _hidden(element: HtmlElement) -> bool:
    attrib = element.attrib
    if not attrib:
        return False
    if "hidden" in attrib or attrib.get("aria-hidden") == "true" and element.tag not in ("span", "i"):
        return True
    style = attrib.get("style")
    return bool(style and _HIDDEN_STYLE.search(style)) or attrib.get("type") == "hidden"


def page_text(root: HtmlElement) -> str:
    """The visible text of the page, one block a line (see the module docstring); ``""`` if there is none.

    :class:`InputError` when a line is longer than a page's line may be
    (:func:`~cleaner.inputs.decoding.check_line_length`).
    """
    return check_line_length(_walk(root).text)


@dataclass(frozen=True)
class _Walked:
    """What one walk over the tree found."""

    text: str  # the whole-page text
    title: str  # the <title> line ("" without one)
    deepest: int  # the deepest nesting level met


def _walk(root: HtmlElement) -> _Walked:
    """The whole-page text, its title line and the deepest nesting level met.

    One pass of lxml's ``iterwalk`` over the body: invisible and hidden subtrees are skipped
    (their tails are visible), block starts and ends write a mark, texts and tails are written
    as they are (inside ``<pre>`` their line breaks become marks too).
    """
    from lxml import etree

    title = _title_text(root)
    pieces = [title, _GAP] if title else []
    append = pieces.append
    opens, closes, invisible, hiding = _OPENS, _CLOSES, _INVISIBLE, _HIDING
    body = root.find("body")
    walker = etree.iterwalk(body if body is not None else root, events=("start", "end"))
    pre = depth = deepest = 0
    skipped = None  # an invisible element: its end event comes right after its start
    for event, element in walker:
        if element is skipped:
            if element.tail:  # the tail is outside the invisible element, and visible
                append(element.tail)
            skipped = None
            continue
        tag = element.tag
        if event == "start":
            if (tag.__class__ is not str or tag in invisible
                    or not hiding.isdisjoint(element.keys()) and _hidden(element)):
                walker.skip_subtree()
                skipped = element
                continue
            depth += 1
            if depth > deepest:
                deepest = depth
            mark = opens.get(tag)
            if mark:
                append(mark)
                if tag == "pre":
                    pre += 1
            text = element.text
        else:
            depth -= 1
            mark = closes.get(tag)
            if mark:
                append(mark)
                if tag == "pre":
                    pre -= 1
            text = element.tail
        if text:
            append(text.replace("\n", _BREAK) if pre else text)
    lines = _assemble("".join(pieces))
    return _Walked("\n".join(lines) + "\n" if lines else "", title, deepest)


def _assemble(marked: str) -> list[str]:
    """The lines of the walk's marked text: inline text joined, whitespace collapsed, blank lines between paragraphs."""
    lines: list[str] = []
    gap = False  # a blank line is due before the next text
    prefix = ""  # a list bullet waiting for the line's text
    chunks = _MARKS.split(marked)  # text, mark, text, mark, ..., text
    for index in range(0, len(chunks), 2):
        chunk = chunks[index]
        if chunk and not chunk.isspace():
            cells = chunk.split(_CELL) if _CELL in chunk else (chunk,)
            line = CELL_SEPARATOR.join(" ".join(words) for cell in cells if (words := cell.split()))
            if line.strip(INVISIBLE):  # a line of zero-width spaces shows nothing
                if gap and lines:
                    lines.append("")
                lines.append(prefix + line)
                prefix = ""
                gap = False
        mark = chunks[index + 1] if index + 1 < len(chunks) else ""
        if mark == _GAP:
            gap = True
        elif mark == _ITEM:
            prefix = BULLET
    return lines


def _title_text(root: HtmlElement) -> str:
    """The ``<title>`` as its whole-page line ("" without one)."""
    title = root.find("head/title")  # where the parser puts it: found at once, not by a search of the whole tree
    if title is None:
        title = root.find(".//title")
    return " ".join((title.text or "").split()) if title is not None else ""


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
# Lines above the first kept line searched for trafilatura's title. (cleaner.text.headline.HEADLINE_REACH
# is the text path's: non-blank lines above the article searched for a headline-shaped line.)
TITLE_MATCH_REACH = 30


def html_language(root: HtmlElement) -> str | None:
    """The page's declared language (ISO 639-1) from ``<html lang>``, ``xml:lang`` or a content-language meta."""
    for value in _declared_languages(root):
        match = _LANGUAGE.match((value or "").strip().split(",")[0].strip())
        if match:
            return match.group(1).lower()
    return None


def _declared_languages(root: HtmlElement) -> Iterator[str | None]:
    """The language declarations in order of trust; lazily, so a page with ``<html lang>`` is not searched further."""
    yield root.get("lang")
    yield root.get("{http://www.w3.org/XML/1998/namespace}lang")
    for meta in root.iterfind(".//meta"):
        key = (meta.get("http-equiv") or meta.get("property") or meta.get("name") or "").lower()
        if key in ("content-language", "og:locale", "language"):
            yield meta.get("content")


def read_html(source: str | DecodedHtml, favor: str = "balanced") -> Extraction:
    """Parse ``source`` once, build its whole-page text and map trafilatura's main content onto it.

    ``favor`` chooses trafilatura's settings (:func:`trafilatura_options`). Give the
    :class:`DecodedHtml` rather than its text: UTF-8 pages then parse from their bytes (faster).

    Raises :class:`InputError` when the page has no visible text. A failure inside
    trafilatura (or no main content found) is not an error: ``kept`` is ``None`` and a note says so.
    """
    root = parse_html(source)
    walked = _walk(root)
    text = _check_words(check_line_length(walked.text))  # before trafilatura and the alignment (the memory)
    too_deep = walked.deepest >= MAX_DEPTH - 16  # the body and its ancestors sit above the walked levels
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
    has_title = walked.title == lines[0]  # the <title> heads the text unless it is empty or shows nothing
    kept = covered_lines(lines, document.text, first=2 if has_title else 1)
    if not kept:
        return Extraction(text, None, None, metadata, (*notes, _NOT_ALIGNED), document.text)
    headline = headline_matching_title(lines, kept, metadata.title, has_title=has_title)
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
    phrases: PhraseBook = BUILT_IN,
) -> CleanResult:
    """Clean one read HTML page with ``detectors``; the result's input is the whole-page text.

    When ``detectors`` starts with the ``html-extractor`` step and trafilatura found content,
    that step labels the lines outside it and the other detectors run on the lines left
    (a smaller page, with their line numbers mapped back); otherwise all of them run on the
    whole-page text as on a text dump. ``phrases``: the book the lines are judged with.
    """
    page = whole_page(extraction, source, phrases)
    step, rest = _steps(extraction, detectors, keep_title)
    result = clean_page(page, rest) if step is None else _clean_content(page, step, rest)
    result.notes[:0] = extraction.notes
    result.metadata = merged_metadata(extraction.metadata, result.metadata)
    return result


def whole_page(extraction: Extraction, source: str = "-", phrases: PhraseBook = BUILT_IN) -> Page:
    """The whole-page text as a :class:`Page`, with the language the HTML declares (no need to guess it)."""
    page = Page(extraction.text, source, phrases)
    if extraction.metadata.language:
        page.facts.put(LANGUAGE, extraction.metadata.language)
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
    rules: Mapping[tuple[str, str], str], phrases: PhraseBook = BUILT_IN,
) -> list[LineExplanation]:
    """``clean --explain`` for lines of an HTML page's whole-page text, cleaned as :func:`clean_extraction` does."""
    page = whole_page(extraction, source, phrases)
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
    numbers = step.content(page)
    outside = step.cut(page, numbers, Labels(size=len(page)))
    content = Page("".join(page.line(n).text + page.line(n).ending for n in numbers), page.source, page.phrases)
    if LANGUAGE in page.facts:
        content.facts.put(LANGUAGE, page_language(page))
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

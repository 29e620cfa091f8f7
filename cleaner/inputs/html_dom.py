"""The HTML tree and the whole-page text: one visible block a line.

The *input* of an HTML page's report is the whole-page text built here by a walk over the DOM
(:func:`page_text`): every visible block on its own line, inline text joined, ``<br>`` a line
break, list items as ``* item``, a table row a line (cells joined by two spaces), a blank line
around paragraphs, headings, lists, tables and quotes, the ``<title>`` first. Scripts, styles,
templates, forms' option lists and hidden elements are not visible and not part of it.
Parsing (:func:`parse_html`) checks the markup's size first and repairs broken markup as a
browser would.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from cleaner.errors import InputError
from cleaner.inputs.decoding import MAX_ATTRIBUTES, MAX_TAG_ATTRIBUTES, MAX_TAGS, check_line_length
from cleaner.inputs.html_source import DecodedHtml
from cleaner.text.dom import DomEvidence
from cleaner.text.page import INVISIBLE

if TYPE_CHECKING:
    from lxml.html import HtmlElement, HTMLParser

__all__ = [
    "BULLET",
    "CELL_SEPARATOR",
    "MAX_DEPTH",
    "Walked",
    "check_markup",
    "html_language",
    "page_text",
    "parse_html",
    "walk",
]

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
    return check_line_length(walk(root).text)


@dataclass(frozen=True)
class Walked:
    """What one walk over the tree found."""

    text: str  # the whole-page text
    title: str  # the <title> line ("" without one)
    deepest: int  # the deepest nesting level met
    evidence: DomEvidence | None = None  # the markup's evidence per line (``walk(root, evidence=True)``)


def walk(root: HtmlElement, evidence: bool = False) -> Walked:
    """The whole-page text, its title line and the deepest nesting level met.

    ``evidence``: also the markup's evidence for each line (:mod:`cleaner.inputs.html_evidence`:
    the same text from a slower pass that also keeps each text's context).
    One pass of lxml's ``iterwalk`` over the body: invisible and hidden subtrees are skipped
    (their tails are visible), block starts and ends write a mark, texts and tails are written
    as they are (inside ``<pre>`` their line breaks become marks too).
    """
    from lxml import etree

    title = _title_text(root)
    if evidence:
        from cleaner.inputs.html_evidence import evidence_walk

        text, deepest, found = evidence_walk(root, title)
        return Walked(text, title, deepest, found)
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
    return Walked("\n".join(lines) + "\n" if lines else "", title, deepest)


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


_LANGUAGE = re.compile(r"^([a-z]{2})(?:[-_][a-z0-9]+)*$", re.IGNORECASE)


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

"""HTML bytes before they are parsed: is it HTML, which codec, and the address the page declares.

Recognising HTML is by content (:func:`looks_like_html`), never by the file name alone.
Decoding (:func:`decode_html`): a byte-order mark, else the charset the page declares in
its first bytes (``<meta charset>``, ``http-equiv``, an XML declaration) if the bytes decode
with it, else the text path's detection (UTF-8, then charset-normalizer); a declaration that
does not fit the bytes is noted. :func:`site_url` finds the page's address by byte searches,
so a run can group pages by site without parsing them. The tree and its text are
:mod:`cleaner.inputs.html_dom`; trafilatura's main content, :mod:`cleaner.inputs.html`.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from html import unescape

from cleaner.inputs.decoding import Decoded, check_text, decode

__all__ = [
    "DecodedHtml",
    "charset_codec",
    "declared_charset",
    "decode_html",
    "looks_like_html",
    "site_url",
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

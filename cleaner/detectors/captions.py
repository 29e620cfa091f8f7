"""Image captions, photo credits and gallery counters inside and around the article."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from cleaner.detectors.base import Detector
from cleaner.text.labels import Labels, Removal, Rule
from cleaner.text.page import Page
from cleaner.text.phrases import PhraseBook
from cleaner.text.signals import page_signals, phrase_masks

__all__ = ["CaptionDetector", "CaptionPatterns", "alternation", "caption_patterns", "ends_with_credit"]

_CLOSERS = "\"'”’»"


def alternation(book: PhraseBook, section: str) -> str:
    """The phrases of one section of ``book``'s caption data as a regex alternation, longest first."""
    words = sorted(book.section("captions", section), key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in words)


# What closes every trailing-credit match: an optional closing quote, then only white space.
_TRAILING_END = rf"[{_CLOSERS}]?\s*$"


def _trailing_alternatives(book: PhraseBook) -> tuple[str, str, str, str]:
    """The trailing-credit pattern's alternatives, by what a line needs for each to match:
    (a ")" closing the line, a "…" or "...", a ":", a "." "!" or "?" before an agency name)."""
    label = alternation(book, "label")
    agency = alternation(book, "agency")
    # "... (Image: GETTY)", "... (Photo by Jane Doe/Getty Images)", "... (AP Photo/Alan Diaz, File)",
    # "... Credit... Doug Mills/The New York Times", "... last week. Credit: ESA", "... in New York. Reuters"
    return (
        rf"\((?:{label})\s*(?::|…|\.\.\.|\s+by\b)\s*[^()]{{1,80}}\)|\([A-Z]{{2,8}}\s+Photo\s*/[^()]{{1,80}}\)",
        rf"\b(?:{label})\s*(?:…|\.\.\.)\s*\S[^.!?]{{0,80}}",
        rf"[.!?)]\s+(?:{label})\s*:\s*\S[^.!?:]{{0,60}}",
        rf"[.!?]\s+(?:{agency})(?:\s*/\s*[\w ]+)?",
    )


@dataclass(frozen=True)
class CaptionPatterns:
    """The caption detector's patterns, compiled from one phrase book's caption data (:func:`caption_patterns`)."""

    trailing: re.Pattern[str]  # a trailing credit (what ends_with_credit finds faster)
    leading: re.Pattern[str]  # a leading caption or credit label
    standalone: re.Pattern[str]  # a standalone credit line
    counter: re.Pattern[str]  # a gallery counter
    positioned: re.Pattern[str]  # a position cue ("Jane Doe, left, and …")
    # Each alternative of the trailing-credit pattern alone (see _trailing_alternatives).
    trailing_parts: tuple[re.Pattern[str], ...]
    # The last alternative alone, matched from a line's last "." "!" or "?": "… in New York. Reuters".
    agency_end: re.Pattern[str]


def caption_patterns(book: PhraseBook) -> CaptionPatterns:
    """The caption patterns of ``book``: compiled once per book."""
    return book.derived(("captions", "patterns"), _compile_patterns)


def _compile_patterns(book: PhraseBook) -> CaptionPatterns:
    label = alternation(book, "label")
    agency = alternation(book, "agency")
    alternatives = _trailing_alternatives(book)
    trailing = re.compile(f"(?:{'|'.join(alternatives)}){_TRAILING_END}", re.I)
    # "Image caption Assange gestures...", "Image: Jose Mourinho...", "Image copyright EPA"
    leading = re.compile(rf"^(?:(?:{label})\s*:|(?:image|media)\s+(?:caption|copyright)\b|\((?:{label})\s*:)", re.I)
    credit_end = alternation(book, "credit-end")
    # "Getty", "AFP/Getty", "Christopher Battin Submitted photo", "(Image: © TNG Collaboration)"
    standalone = re.compile(
        rf"^(?:©\s*)?(?:(?:{agency})(?:\s*/\s*\w+)?|(?:[\w.’'-]+\s+){{0,3}}(?:{credit_end}))$", re.I
    )
    counter = re.compile(rf"^\d{{1,3}}\s*(?:/|(?:{alternation(book, 'counter')})\b)\s*\d{{1,3}}\s+\S", re.I)
    position = alternation(book, "position")
    # "Jane Doe, left, and John Roe shake hands", "Kevin King (left) and …": where a person stands in the picture.
    positioned = re.compile(rf",\s+(?:{position}),|\((?:{position})\)", re.I)
    return CaptionPatterns(
        trailing, leading, standalone, counter, positioned,
        trailing_parts=tuple(re.compile(f"(?:{alternative}){_TRAILING_END}", re.I) for alternative in alternatives),
        agency_end=re.compile(rf"[.!?]\s+(?:{agency})(?:\s*/\s*[\w ]+)?[{_CLOSERS}]?\s*$", re.I),
    )


def ends_with_credit(text: str, patterns: CaptionPatterns) -> bool:
    """``patterns.trailing.search(text)``, without running it over every position of every line.

    Its alternatives need a ")" closing the line (before one closing quote), a "…" or "...",
    or a ":"; only those a line has the mark of are searched, each alone (the whole
    alternation tried the label words at every word of a line). Without any mark only the
    agency alternative can match, and only at the text's last ".", "!" or "?" (nothing after
    its [.!?] can be one), so it is tried there alone.
    """
    end = text.rstrip()
    closed = end.endswith(")") or (end[-1:] in _CLOSERS and end[:-1].endswith(")"))
    ellipsis = "…" in text or "..." in text
    colon = ":" in text
    if closed or colon or ellipsis:
        in_parens, after_ellipsis, after_colon, after_agency = patterns.trailing_parts
        return (
            (closed and in_parens.search(text) is not None)
            or (ellipsis and after_ellipsis.search(text) is not None)
            or (colon and after_colon.search(text) is not None)
            or after_agency.search(text) is not None
        )
    last = max(text.rfind("."), text.rfind("!"), text.rfind("?"))
    return last >= 0 and patterns.agency_end.match(text, last) is not None


# "… rabbits. ( STEVE GSCHMEISSNER/SCIENCE PHOTO LIBRARY )": an upper-case NAME/AGENCY credit in brackets.
PAREN_CREDIT = re.compile(r"\(\s*[A-Z][A-Z .'’-]+/[A-Z][A-Z .'’-]+\s*\)\s*$")
# "Jason Cipriani/ZDNet", "Doug Mills/The New York Times": a capitalised name, a slash, an organisation.
NAME_SLASH_AGENCY = re.compile(r"^[A-Z][\w.’'-]+(?:\s+[A-Z][\w.’'-]+){0,3}\s*/\s*[A-Z][\w.’'-]+(?:\s+[\w.’'-]+){0,3}$")


class CaptionDetector(Detector):
    """Removes image captions, photo credits and gallery counters.

    **What**: lines that end with a photo credit ("… (Image: GETTY)", "… (AP Photo/Jane
    Doe)", "… Credit… Jane Doe/Agency"), lines introduced by a caption or credit label
    ("Image caption …", "Image copyright EPA", "Photo: …"), short standalone credit
    lines ("Getty Images", "Jane Doe/Agency", "John Roe Submitted photo"), captions that
    place people in the picture ("Jane Doe, left, and John Roe …", "King (right) and …"), gallery
    counters ("1 of 4 A shopper looks at …"), and the placeholders an embedded player leaves
    ("Video", "Play video", "Media playback is unsupported on your device"). Labels and agency names are per-language
    phrase data (``phrases/captions.*.txt``).

    **Why**: text dumps flatten images into text; the caption describes a picture that is
    not in the output, and the credit line is attribution metadata, not article text.

    **Known false positives**: a sentence of prose that happens to end with a parenthesised
    "(Source: …)" citation; a one-line "Name/Organisation" text such as a dateline written
    with a slash.
    """

    name = "captions"
    CREDITED = Rule("CAP1", "caption ending with a photo credit")
    LABELLED = Rule("CAP2", "line introduced by a caption or credit label")
    CREDIT = Rule("CAP3", "standalone photo-credit line")
    GALLERY = Rule("CAP4", "gallery counter and caption ('1 of 4 ...')")
    PLACEHOLDER = Rule("CAP5", "media placeholder left by an embedded video or gallery ('Video', 'Play video')")
    POSITIONED = Rule("CAP6", "caption placing people in the picture ('Jane Doe, left, and …')")
    rules = (CREDITED, LABELLED, CREDIT, GALLERY, PLACEHOLDER, POSITIONED)

    max_standalone_words = 6
    max_caption_words = 60

    def detect(self, page: Page, labels: Labels) -> Iterable[Removal]:
        patterns = caption_patterns(page.phrases)
        leading, standalone, counter, positioned = (
            patterns.leading, patterns.standalone, patterns.counter, patterns.positioned
        )
        placeholders = page.phrases.patterns(self.name, "placeholder")
        out = []
        masks = phrase_masks(page)  # placeholder phrases are tried only on lines holding a gate word
        for line, sig in zip(page.lines, page_signals(page), strict=True):
            if line.is_blank or labels.is_removed(line.number):
                continue
            text = line.content
            if ends_with_credit(text, patterns) or PAREN_CREDIT.search(text):
                out.append(self.removal(self.CREDITED, line.number))
            elif leading.match(text):
                out.append(self.removal(self.LABELLED, line.number))
            elif sig.words <= self.max_standalone_words and (
                standalone.match(text.strip("() ")) or NAME_SLASH_AGENCY.match(text)
            ):
                out.append(self.removal(self.CREDIT, line.number))
            elif counter.match(text):
                out.append(self.removal(self.GALLERY, line.number))
            elif sig.words <= self.max_caption_words and positioned.search(text):
                out.append(self.removal(self.POSITIONED, line.number))
            elif placeholders.matches(text, masks[line.number - 1]):
                out.append(self.removal(self.PLACEHOLDER, line.number))
        return out

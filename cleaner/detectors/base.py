"""The detector interface: read the page and the labels so far, return new labels (the driver records them)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import ClassVar

from cleaner.text.labels import InlineEdit, Labels, Located, Removal, Rule
from cleaner.text.layout import detect_layout
from cleaner.text.page import Line, Page

__all__ = [
    "Detector",
    "Finding",
    "LABEL_LINE",
    "MONEY",
    "blank_between",
    "is_headline",
    "may_hold_money",
    "next_nonblank",
    "nonblank_after",
    "prev_nonblank",
    "prose_span",
    "specific_label",
    "teaser_list_end",
]


# What :meth:`Detector.detect` returns: lines to remove, in-line cuts, and where the article is.
Finding = Removal | InlineEdit | Located


class Detector:
    """Base class: subclasses set ``name`` and ``rules`` and override :meth:`detect`.

    ``generic`` detectors (the main-body locator) give way when a specific detector later
    labels the same line, so the report names the most precise reason.

    Detectors read the page and the labels so far and never write the labels: :meth:`detect`
    returns its findings and the driver (:func:`cleaner.pipeline.run`) records them. The
    facts a detector reads from the labels beyond the removals (``"body"``, ``"headline"``) are
    its ``needs``; those it locates (a :class:`Located`) are its ``provides`` (``"scope"``: it
    narrows the page for the detectors after it). The registry's order puts every provider
    before the detectors that need it (tests/test_detectors.py checks it). A need left unmet
    because its provider was switched off (``--skip main-body``) reads as ``None``: the
    detector then finds nothing.
    """

    name: ClassVar[str] = ""
    rules: ClassVar[tuple[Rule, ...]] = ()
    generic: ClassVar[bool] = False
    needs: ClassVar[frozenset[str]] = frozenset()
    provides: ClassVar[frozenset[str]] = frozenset()

    def detect(self, page: Page, labels: Labels) -> Iterable[Finding]:
        raise NotImplementedError

    def removal(self, rule: Rule, first: int, last: int | None = None, reason: str = "") -> Removal:
        """A label of this detector with one of its declared rules."""
        assert rule in self.rules, f"{self.name}: undeclared rule {rule.code}"
        return Removal(self.name, rule.code, first, first if last is None else last, reason)


def nonblank_after(page: Page, number: int, limit: int = 1) -> Iterator[Line]:
    """Up to ``limit`` non-blank lines after line ``number``."""
    found = 0
    lines = page.lines
    for index in range(number, len(lines)):  # indexed, not sliced: a slice copies the rest of the page
        line = lines[index]
        if not line.is_blank:
            yield line
            found += 1
            if found >= limit:
                return


# ---------------------------------------------------------------------------
# Shared helpers for the specific detectors (shapes, neighbours; the phrase engine is cleaner.text.phrases).
# ---------------------------------------------------------------------------

# A money amount: a currency sign or code next to a number ("£23,344", "$1.2m", "EUR 40 000", "40k €").
MONEY = re.compile(
    r"(?:[£$€¥₹]|\b(?:usd|gbp|eur|chf|inr|aud|cad)\b)\s?\d[\d,.\u00a0 ]*(?:\s?(?:k|m|bn)\b)?"
    r"|\b\d[\d,.\u00a0]*\s?(?:k\b)?\s?(?:[£$€¥₹]|\b(?:usd|gbp|eur|chf)\b)",
    re.IGNORECASE,
)
_CURRENCY_SIGNS = "£$€¥₹"
_CURRENCY_CODES = ("usd", "gbp", "eur", "chf", "inr", "aud", "cad")


def may_hold_money(text: str) -> bool:
    """False only when :data:`MONEY` cannot match ``text``: no currency sign, and (ASCII text) no code.

    A few substring tests instead of the regex at every position. Non-ASCII text is always a
    maybe: under IGNORECASE "ı", "İ" or "ſ" can stand for the codes' "i" or "s".
    """
    if any(sign in text for sign in _CURRENCY_SIGNS) or not text.isascii():
        return True
    low = text.lower()
    return any(code in low for code in _CURRENCY_CODES)


# A short "Label: value" line ("Recruiter: Essex County Council", "Location: Leeds").
LABEL_LINE = re.compile(r"^(\w[\w'’-]*(?: [\w'’-]+){0,2})\s?(?::\s+|：\s*)(\S.*)$", re.UNICODE)
# A line that only states a time or date ("2 days ago at 07:52 am", "November 19, 2019 at 5:10 pm").
DATE_LINE = re.compile(
    r"^(?:(?:\w+,? )?\d{1,2}(?:st|nd|rd|th)?[ ./-]\w+[ ./-]\d{2,4}|\w+\.? \d{1,2},? \d{4}|\d{4}-\d{2}-\d{2}"
    r"|\d+ (?:min(?:ute)?s?|hours?|days?|weeks?|months?) ago)\b[\w\s:.,|/-]{0,30}$",
    re.IGNORECASE,
)



def prev_nonblank(page: Page, number: int) -> Line | None:
    """The nearest non-blank line before line ``number``."""
    lines = page.lines
    for index in range(number - 2, -1, -1):  # indexed, not sliced: a slice copies the page above
        if not lines[index].is_blank:
            return lines[index]
    return None


def next_nonblank(page: Page, number: int) -> Line | None:
    """The nearest non-blank line after line ``number``."""
    return next(nonblank_after(page, number), None)


def blank_between(page: Page, first: int, last: int) -> bool:
    """True when a blank line lies strictly between lines ``first`` and ``last``."""
    return any(page.line(n).is_blank for n in range(first + 1, last))


def prose_span(page: Page, signals: list) -> tuple[int, int] | None:
    """First and last line that reads as prose, without the main-body locator (for early detectors)."""
    prose = [line.number for line, sig in zip(page.lines, signals, strict=True) if not line.is_blank and sig.is_prose]
    return (prose[0], prose[-1]) if prose else None


def is_headline(line: Line, sig) -> bool:
    """A headline-shaped line: 2-25 words, no final sentence punctuation (or title case)."""
    if line.is_blank or sig.words < 2 or sig.words > 25:
        return False
    return not sig.sentence_end or sig.title_case


def specific_label(labels: Labels, number: int) -> bool:
    """True when line ``number`` carries a label of a specific (not generic) detector."""
    found = labels.by_line.get(number)
    return found is not None and found.detector not in labels.generic


def _with_next(lines: Iterator[Line]) -> Iterator[tuple[Line, Line | None]]:
    """Each line of ``lines`` with the one after it (``None`` after the last)."""
    line = next(lines, None)
    while line is not None:
        following = next(lines, None)
        yield line, following
        line = following


def _teaser_headline(line: Line, sig, compact: bool, compact_words: int) -> bool:
    """A teaser item's headline: headline-shaped, or (in a ``compact`` list) up to ``compact_words`` words."""
    shaped = is_headline(line, sig) or (2 <= sig.words <= 15 and not line.content.endswith("."))
    return (shaped or (compact and sig.words <= compact_words)) and not line.content.endswith(":")


def teaser_list_end(
    page: Page, signals: list, labels: Labels, heading: int, is_link: Callable[[Line], bool] = lambda line: False,
    max_items: int = 15, max_summary_words: int = 70, compact_words: int = 40,
) -> tuple[int, int]:
    """The last line and item count of the teaser list under the heading on line ``heading``.

    Items are headline-shaped lines (no final punctuation, or short and not ending in "."
    or ":"; in a compact list any line of up to ``compact_words`` words), each
    optionally followed by one short summary line, with date lines and "Read more"-style
    links (``is_link``) between them. The first item sets the shape: a headline followed
    by another headline makes a headlines-only list, where a later summary-like line ends
    the list. *Compact* lists (the first two lines touch, no blank between) end at the
    first blank line. A summary candidate followed by more prose ends the list before it (two prose
    lines in a row are article text, not a teaser), as does a line another specific
    detector labelled.
    Returns ``(heading, 0)`` when no item follows.
    """
    last, items = heading, 0
    state = "heading"
    spaced: bool | None = None
    with_summaries: bool | None = None  # decided by the first item: headline + summary, or headlines only
    has_blank = detect_layout(page).blank_lines
    # The non-blank lines after the heading, read lazily with one line of look-ahead: a list of
    # the rest of the page, made for every heading, was quadratic on a long page.
    for line, following in _with_next(nonblank_after(page, heading, len(page))):
        sig = signals[line.number - 1]
        if specific_label(labels, line.number):
            break
        if state == "heading":
            # A list whose first two lines touch is compact, whatever its first line looks like.
            # A page without blank lines (WET-like) has no spacing to tell compact lists apart.
            spaced = following is None or blank_between(page, line.number, following.number) or not has_blank
        elif spaced is False and blank_between(page, last, line.number):
            break
        if items and (is_link(line) or DATE_LINE.match(line.content)):
            last = line.number
            continue
        if _teaser_headline(line, sig, spaced is False, compact_words):
            if items >= max_items:
                break
            if state == "headline" and with_summaries is None:
                with_summaries = False
            items += 1
            last, state = line.number, "headline"
            continue
        if state == "headline" and with_summaries is not False and sig.words <= max_summary_words:
            if following is not None and signals[following.number - 1].is_prose:
                break
            with_summaries = True
            last, state = line.number, "summary"
            continue
        break
    return last, items

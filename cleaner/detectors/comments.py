"""Reader comment threads after the article."""

from __future__ import annotations

import re
from collections.abc import Iterable

from cleaner.detectors.base import Detector
from cleaner.text.dates import find_date
from cleaner.text.labels import Labels, Removal, Rule
from cleaner.text.layout import Unit, wrapped_unit_of
from cleaner.text.names import BYLINE
from cleaner.text.page import Line, Page
from cleaner.text.phrases import normalize
from cleaner.text.signals import LineSignals, page_signals, phrase_masks

__all__ = ["CommentsDetector"]

_NUMBERS = re.compile(r"\b\d+\b")
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
# Prose words under a "Comments" heading that make it an article's, not a thread's (see
# _article_follows): with a byline above them, and without.
ARTICLE_UNDER_BYLINE = 60
ARTICLE_WORDS = 150
ARTICLE_PARAGRAPH_WORDS = 20  # ... in paragraphs of this many words on average


def _comment_metadata(text: str, sig: LineSignals) -> bool:
    """A per-comment template line: a repeated short shape, or a short line with a timestamp."""
    if sig.repeats >= 2 and not sig.is_prose:
        return True
    return sig.words <= 15 and (bool(_CLOCK.search(text)) or find_date(text) is not None)


def _article_follows(lines: list[Line], signals: list[LineSignals], units: list[Unit | None] | None) -> bool:
    """An article, not a thread, under the heading: a byline over running text, or one long run of it.

    The "comment" read up to the first template line that follows text: a thread's first comment
    is short, or opens with its author/date line; text that opens with a byline ("By JANE DOE")
    or runs to article length in paragraphs (not a comment form's one-line notices) unbroken by
    any template line is an article under a tab bar
    ("Article | Video | Comments") or a comment-count label. A hard-wrapped paragraph's
    lines share its signals (``units``: each line's unit; ``None``: every unit is one line), so its
    words count once.
    """
    words, paragraphs, byline, stamped, stop = 0, 0, False, False, len(lines)
    for at, line in enumerate(lines):
        sig = signals[line.number - 1]
        if _comment_metadata(line.content, sig):
            if words:
                stop = at
                break
            stamped = stamped or bool(_CLOCK.search(line.content)) or find_date(line.content) is not None
        elif sig.is_prose:
            if _opens_unit(line, units):
                words, paragraphs = words + sig.words, paragraphs + 1
        elif not words and BYLINE.match(line.content):
            byline = True
    if byline and words >= ARTICLE_UNDER_BYLINE:
        return True
    # A comment form's notices ("Your comment could not be posted.") are short sentences.
    if not byline and words >= ARTICLE_WORDS and words >= ARTICLE_PARAGRAPH_WORDS * paragraphs and not stamped:
        return True
    return _byline_over_prose(lines[stop:], signals, units)


def _opens_unit(line: Line, units: list[Unit | None] | None) -> bool:
    """True unless the line continues a hard-wrapped paragraph (whose words its first line counted)."""
    if units is None:  # (a page that is not hard-wrapped: every unit is one line)
        return True
    unit = units[line.number - 1]
    return unit is None or unit.first == line.number


def _byline_over_prose(lines: list[Line], signals: list[LineSignals], units: list[Unit | None] | None) -> bool:
    """A byline opening a run of 60+ prose words between two template lines, further down.

    A tab bar's "Comments" label can stand over a reprint notice and the article's own dateline
    and headline before its byline ("BY EAMON QUINN"), so the first run read is a notice; a
    thread's comments open with their author/date line, not a byline over running text.
    """
    words, byline = 0, False
    for line in lines:
        sig = signals[line.number - 1]
        if not sig.is_prose and BYLINE.match(line.content):  # (the page may repeat it: a repeated shape)
            words, byline = 0, True
        elif _comment_metadata(line.content, sig):
            words, byline = 0, False
        elif sig.is_prose:
            if _opens_unit(line, units):
                words += sig.words
            if byline and words >= ARTICLE_UNDER_BYLINE:
                return True
    return False


class CommentsDetector(Detector):
    """Removes a reader comment thread: its heading and everything after it.

    **What**: from a comment-thread heading ("Comments", "[ 167 comments ]", "Leave a
    Reply", "Kommentare", ...) to the end of the page, when the heading stands alone (not
    inside a share bar or menu), comes after some prose, and template lines follow it (the same short shape repeated:
    "Reply", "Rating: 9 Votes"; or short lines with a timestamp: "Alex on September 17,
    2018 at 6:34 am said:"). Lines another detector already
    labelled keep their own reason. A heading over an article is not a thread's: when the
    text under it, up to its first template line, opens with a byline and runs on (60+ prose
    words), or runs to article length (150+ words, in paragraphs of 20+ on average) without a
    timestamp line above it, the heading is a tab-bar label ("Article | Video | Comments") or a comment count above the
    article, and nothing is removed; so is it when, further down, a byline opens 60+ prose words
    (a reprint notice, then the article's dateline, headline and byline under the label).

    **Why**: comments are prose, so density alone takes a long thread for more article;
    but they are other people's text, and the heading plus repeated per-comment metadata
    mark where they start.

    **Known false positives**: an article that itself quotes readers' comments under a
    "Comments" subheading, with repeated timestamps, loses that part; a page whose
    comments come before the article is not handled. A thread whose first comment runs to
    150+ words with no timestamp line above it (its author and date come after it) is left
    to the locator, which may take it for the article; so is a copy of the article repeated
    under a "Comments" heading.
    """

    name = "comments"
    THREAD = Rule("COM1", "comment thread: from its heading to the end of the page")
    rules = (THREAD,)
    min_prose_words_before = 40
    lookahead = 40
    min_template_lines = 2

    def detect(self, page: Page, labels: Labels) -> Iterable[Removal]:
        signals = page_signals(page)
        headings = page.phrases.section("comments", "heading")
        # A heading equals an entry, so it holds the entry's gate word (phrase_masks); numbers
        # removed before the comparison only take words away.
        heading_bit, masks = page.phrases.section_bit("comments", "heading"), phrase_masks(page)
        # Lines only (their signals looked up by number): a (line, signals) pair per line cost
        # tens of megabytes on a big page.
        nonblank = [line for line in page.lines if not line.is_blank]
        prose_words = 0
        for index, line in enumerate(nonblank):
            sig = signals[line.number - 1]
            if sig.is_prose:
                if not labels.is_removed(line.number):
                    prose_words += sig.words
                continue
            if prose_words < self.min_prose_words_before or sig.words > 6 or not masks[line.number - 1] & heading_bit:
                continue
            if normalize(_NUMBERS.sub(" ", line.content)) not in headings or self._in_link_run(
                nonblank, signals, index
            ):
                continue
            following = nonblank[index + 1 : index + 1 + self.lookahead]
            templates = sum(1 for ln in following if _comment_metadata(ln.content, signals[ln.number - 1]))
            if templates >= self.min_template_lines and not _article_follows(following, signals, wrapped_unit_of(page)):
                reason = f"heading {line.content!r} after article prose, {templates} template lines follow"
                return [self.removal(self.THREAD, line.number, len(page), reason)]
        return []

    @staticmethod
    def _in_link_run(nonblank: list[Line], signals: list[LineSignals], index: int) -> bool:
        """A "Comments" link in a share bar or menu: short link-like lines on both sides."""
        def link_like(position: int) -> bool:
            if not 0 <= position < len(nonblank):
                return False
            sig = signals[nonblank[position].number - 1]
            return sig.is_short and not sig.is_prose

        return link_like(index - 1) and link_like(index + 1)

"""Bylines, datelines, contributor credits and author boxes at the edges of the article."""

from __future__ import annotations

import re
from collections.abc import Iterable

from cleaner.detectors.base import Detector
from cleaner.text.dates import find_date
from cleaner.text.labels import Labels, Removal, Rule
from cleaner.text.names import BYLINE
from cleaner.text.page import Line, Page
from cleaner.text.phrases import PhraseBook, matches, normalize
from cleaner.text.signals import LineSignals, page_signals

__all__ = ["BylineDetector"]

_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?!\d)", re.I)
# "Jane Doe | Reuters", "By Jane Doe • 5 min read": a name, then a separator and a short tail.
_NAME_SEPARATOR = re.compile(r"^(?:[A-Z][\w'’.-]+\s+){1,3}[A-Z][\w'’.-]+\s*[|•·/]\s*\S")


class BylineDetector(Detector):
    """Removes bylines and datelines at the start of the article, credits and author boxes at its end.

    **What**: inside the first lines of the main body, short lines that name the author
    ("By Jane Doe | Special to the Post", "Jane Doe | Reuters") or only state when the
    piece was published ("PUBLISHED: November 19, 2019 at 8:59 pm", "First published on
    …"); in its last lines, contributor credits from the phrase data ("… contributed to
    this report", "Reporting by …; Editing by …"), an author box (a heading such as "About
    the author" or "About Jane Doe" and the bio under it) and a closing one-line bio
    ("Jane Doe is a reporter for …").

    **Why**: these lines are metadata about the article (reported in the metadata), not
    its text; they sit at the article's edges, inside the stretch the main-body locator
    keeps.

    **Known false positives**: an article that ends with a short paragraph about a person
    ("Smith is a freelance writer who…" as the story's last sentence); a timeline whose
    first entry is a bare date line.
    """

    name = "bylines"
    needs = frozenset({"body"})  # the article's start and end, from the main-body locator
    BYLINE = Rule("BYL1", "byline at the start of the article")
    DATELINE = Rule("BYL2", "publication date/time line at the start of the article")
    CREDITS = Rule("BYL3", "contributor credits at the end of the article")
    AUTHOR_BOX = Rule("BYL4", "author box or closing author bio")
    rules = (BYLINE, DATELINE, CREDITS, AUTHOR_BOX)

    head_lines = 6  # how many lines of the body's start may hold a byline or dateline
    tail_lines = 3  # how many lines of the body's end may hold credits or a bio
    max_words = 16
    max_credit_words = 60
    max_bio_words = 40
    bio_start_share = 0.6  # an author box starts in the last 40% of the body

    def detect(self, page: Page, labels: Labels) -> Iterable[Removal]:
        if labels.body is None:
            return []
        signals = page_signals(page)
        first, last = labels.body
        body = [
            line for line in page.lines[first - 1 : last] if not line.is_blank and not labels.is_removed(line.number)
        ]
        out = [removal for line in body[: self.head_lines] if (removal := self._head(line, signals[line.number - 1]))]
        out.extend(self._tail(page, body, signals))
        return out

    def _head(self, line: Line, sig: LineSignals) -> Removal | None:
        text = line.content
        if sig.words > self.max_words or sig.sentence_end:
            return None
        if BYLINE.match(text) or _NAME_SEPARATOR.match(text):
            return self.removal(self.BYLINE, line.number)
        if find_date(text) and (sig.words <= 10 or _TIME.search(text)):
            return self.removal(self.DATELINE, line.number)
        return None

    def _tail(self, page: Page, body: list[Line], signals: list[LineSignals]) -> list[Removal]:
        out = []
        book = page.phrases
        box = self._author_box(body, signals, book)
        if box is not None:
            out.append(self.removal(self.AUTHOR_BOX, box, body[-1].number))
            body = [line for line in body if line.number < box]
        credits = book.patterns(self.name, "credits")
        for line in body[-self.tail_lines :]:
            if signals[line.number - 1].words <= self.max_credit_words and matches(line.content, credits):
                out.append(self.removal(self.CREDITS, line.number))
        if body and box is None and self._is_bio(body[-1], signals[body[-1].number - 1], book):
            out.append(self.removal(self.AUTHOR_BOX, body[-1].number))
        return out

    def _author_box(self, body: list[Line], signals: list[LineSignals], book: PhraseBook) -> int | None:
        """The first line of an author box: a bio heading in the body's tail, followed by at most two lines."""
        headings = book.patterns(self.name, "bio-heading")
        about_name = book.derived(("bylines", "about name"), _about_name)
        start = int(len(body) * self.bio_start_share)
        for index in range(max(start, len(body) - self.tail_lines), len(body) - 1):
            line = body[index]
            sig = signals[line.number - 1]
            if sig.words <= 5 and not sig.sentence_end and (
                matches(line.content, headings) or about_name.match(line.content)
            ):
                return line.number
        return None

    def _is_bio(self, line: Line, sig: LineSignals, book: PhraseBook) -> bool:
        """"Jane Doe is a reporter for …": a short closing sentence naming a person and a role."""
        if sig.words > self.max_bio_words or not sig.sentence_end:
            return False
        match = book.derived(("bylines", "bio"), _bio_pattern).match(line.content)
        roles = book.section(self.name, "role")
        return match is not None and any(word in roles for word in normalize(match.group("rest")).split()[:10])


def _about_name(book: PhraseBook) -> re.Pattern[str]:
    """A heading naming a person: a prefix from the phrase data ("About", "Über") and two to four capitalised words."""
    prefixes = sorted(book.section("bylines", "bio-name-prefix"), key=len, reverse=True)
    alternation = "|".join(re.escape(prefix) for prefix in prefixes)
    return re.compile(rf"^(?i:{alternation})\s+(?:[A-Z][\w'’.-]+\s+){{1,3}}[A-Z][\w'’.-]+$")


def _bio_pattern(book: PhraseBook) -> re.Pattern[str]:
    """A capitalised name of one to four words, then a role verb from the phrase data ("is a", "ist")."""
    verbs = "|".join(re.escape(verb) for verb in sorted(book.section("bylines", "bio-verb"), key=len, reverse=True))
    return re.compile(rf"^(?:[A-Z][\w'’.-]+\s+){{0,3}}[A-Z][\w'’.-]+\s+(?:{verbs})\s+(?P<rest>.*)$")

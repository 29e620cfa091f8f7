"""Job listing blocks: title, employer, salary, location, a recruiter line, repeated."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from cleaner.detectors.base import LABEL_LINE, MONEY, Detector, may_hold_money
from cleaner.text.labels import Labels, Removal, Rule
from cleaner.text.page import Line, Page
from cleaner.text.phrases import PhraseBook, matches, normalize
from cleaner.text.signals import LineSignals, page_signals

__all__ = ["JobAdDetector"]

_DIGIT = re.compile(r"\d")
_RANGE = re.compile(
    r"(?:" + MONEY.pattern + r")\s*(?:-|–|—|to|bis|à|a)\s*(?:" + MONEY.pattern + r"|\d)", re.IGNORECASE
)


@dataclass(frozen=True)
class _Anchor:
    index: int  # position among the page's non-blank lines
    kind: str  # "salary" or "label:<label>"


class JobAdDetector(Detector):
    """Removes job listing blocks and the "… jobs" heading above them.

    **What**: a stretch of lines holding two or more *salary lines* (a money range or a
    money amount with a pay word — "per annum", "pro rata", "salary", "grade" — at the
    line's start or in a short non-sentence line: "£42,840 - £52,116", "Up to £23344 per
    annum") and short *label lines* ("Recruiter: Essex County Council",
    "Location: Leeds") recurring every few lines — the listing block repeated. The stretch
    qualifies when the same label recurs at least twice (whatever the label says: the
    structure is matched, not the word, so a misspelt "Recuriter:" counts) or when three
    salary lines recur. It extends back over the first block's title and employer (short
    lines) and forward to the end of the last block's paragraph. A short heading matching
    the phrase data ("Highways jobs", "Latest jobs", "Stellenangebote") right before it is
    removed too.

    **Why**: job boards embedded in news sites advertise vacancies; they are ads with a
    fixed shape, unrelated to the article.

    A prose paragraph of more than :attr:`max_listing_prose` words between two anchors splits
    the stretch: listings carry a line or two of description, an article carries paragraphs
    (an article between pay lines was once cut whole).

    **Known false positives**: an article that lists pay in short non-sentence lines with a
    repeated label (a table of grades: "Band 5: £25,000" lines) is taken for listings.
    """

    name = "job-ads"
    LISTING = Rule("JOB1", "job listing block (salary / recruiter label shape, repeated)")
    HEADING = Rule("JOB2", "'… jobs' heading before job listings")
    rules = (LISTING, HEADING)

    max_gap = 6  # non-blank lines between anchors of one listing stretch
    back_lines = 3  # title and employer lines before the first anchor
    forward_lines = 3
    max_anchor_words = 14
    max_listing_prose = 45  # words: a listing's description is a line or two, an article paragraph is longer

    def salary_line(self, line: Line, sig: LineSignals, pay: frozenset[str]) -> bool:
        """A pay line: a money amount with a range or a word of ``pay``, at the line's start or in a short line."""
        if sig.words > 30 or not _DIGIT.search(line.content):  # (an amount has a digit)
            return False
        money = MONEY.search(line.content) if may_hold_money(line.content) else None
        if not money:
            return False
        norm = f" {normalize(line.content)} "
        paid = _RANGE.search(line.content) or any(f" {w} " in norm for w in pay)
        if not paid:
            return False
        return money.start() <= 12 or (sig.words <= self.max_anchor_words and not sig.sentence_end)

    def label_key(self, line: Line, sig: LineSignals) -> str | None:
        if sig.words > 10 or (":" not in line.content and "：" not in line.content):  # (the label's colon)
            return None
        found = LABEL_LINE.match(line.content)
        if not found or MONEY.search(found.group(1)):
            return None
        value = found.group(2).strip()
        if not value[:1].isupper() and not value[:1].isdigit():
            return None
        return normalize(found.group(1))

    def anchors(self, lines: list[tuple[Line, LineSignals]], book: PhraseBook) -> list[_Anchor]:
        found, pay = [], book.section(self.name, "pay")
        for index, (line, sig) in enumerate(lines):
            if self.salary_line(line, sig, pay):
                found.append(_Anchor(index, "salary"))
            else:
                key = self.label_key(line, sig)
                if key:
                    found.append(_Anchor(index, "label:" + key))
        return found

    def qualifies(self, group: list[_Anchor]) -> bool:
        salaries = sum(1 for a in group if a.kind == "salary")
        labels: dict[str, int] = {}
        for a in group:
            if a.kind != "salary":
                labels[a.kind] = labels.get(a.kind, 0) + 1
        return salaries >= 2 and (max(labels.values(), default=0) >= 2 or salaries >= 3)

    def detect(self, page: Page, labels: Labels) -> Iterable[Removal]:
        signals = page_signals(page)
        lines = [(line, sig) for line, sig in zip(page.lines, signals, strict=True) if not line.is_blank]
        anchors = self.anchors(lines, page.phrases)
        if sum(1 for anchor in anchors if anchor.kind == "salary") < 2:
            return []  # a stretch qualifies with two salary lines at least: most pages have none
        # A long prose paragraph between two anchors is article text, not a listing's teaser:
        # the anchors on either side belong to different stretches.
        prose_before = [0]
        for _line, sig in lines:
            prose_before.append(prose_before[-1] + (sig.is_prose and sig.words > self.max_listing_prose))
        groups: list[list[_Anchor]] = []
        for anchor in anchors:
            near = groups and anchor.index - groups[-1][-1].index <= self.max_gap
            if near and prose_before[anchor.index] == prose_before[groups[-1][-1].index + 1]:
                groups[-1].append(anchor)
            else:
                groups.append([anchor])
        out: list[Removal] = []
        headings = page.phrases.patterns(self.name, "heading")
        for group in groups:
            if not self.qualifies(group):
                continue
            start, end = group[0].index, group[-1].index
            for _ in range(self.back_lines):
                line, sig = lines[start - 1] if start > 0 else (None, None)
                if line is None or labels.is_removed(line.number) or sig.words > 15 or sig.is_prose:
                    break
                if matches(line.content, headings):
                    break
                start -= 1
            for _ in range(self.forward_lines):
                if end + 1 >= len(lines):
                    break
                line, sig = lines[end + 1]
                if line.number != lines[end][0].number + 1 or labels.is_removed(line.number) or sig.words > 25:
                    break
                end += 1
            first, last = lines[start][0].number, lines[end][0].number
            out.append(self.removal(self.LISTING, first, last, f"{len(group)} salary/label lines in repeated blocks"))
            for back in range(start - 1, max(-1, start - 3), -1):
                line, sig = lines[back]
                if sig.words <= 5 and matches(line.content, headings):
                    out.append(self.removal(self.HEADING, line.number, reason="jobs heading"))
                    break
                if not labels.is_removed(line.number):
                    break
        return out

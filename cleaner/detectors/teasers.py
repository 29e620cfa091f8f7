"""Related-article teasers: "Related" / "Most popular" lists, "READ MORE:" lines, caption leftovers."""

from __future__ import annotations

import re
from collections.abc import Iterable

from cleaner.detectors.base import (
    Detector,
    is_headline,
    load_patterns,
    load_section,
    matches,
    normalize,
    prev_nonblank,
    specific_label,
    teaser_list_end,
)
from cleaner.page import Line, Page
from cleaner.removal import Labels, Removal, Rule
from cleaner.signals import page_signals

# "READ MORE: headline", "(Leggi anche su: headline)": a short label, a colon, the promoted headline.
_LABELLED = re.compile(r"^[(\[]?\s*([^:|]{2,30}?)\s*[:|]\s*\S")


class RelatedTeaserDetector(Detector):
    """Removes related-article teasers around and after the article.

    **What**: (TEAS1) a short section heading from the phrase data ("Related articles",
    "More in …", "Most Popular", "Don't miss", "Weitere Beiträge zum Thema") with the
    teaser list after it — headline lines, each with at most one summary line, dates and
    "Read more" links — up to the first line that is not a teaser; (TEAS2) a single
    promoted-headline line, "READ MORE: …", "Related: …", "Also on …"; (TEAS3) a "Read
    more"-style link line, with the headline line right above it; (TEAS4) a teaser whose
    image caption leaked into the dump: a line that is a nearby line plus a trailing
    "image"/"photo" word ("Ending the 'care cliff' image" next to "Ending the 'care
    cliff'"), removed with the headline and the summary line that follow it.

    **Why**: teasers advertise the site's other articles; they interrupt or trail the
    article and are rebuilt on every page. Runs after the main-body locator, so lines it
    already cut only get the more precise reason.

    **Known false positives**: an article sub-heading that matches a heading phrase
    ("Related", "Trending") takes the short list lines after it along; a one-line
    article paragraph opened by "Read more:"; a headline-like line ending a paragraph
    block right above a "Read more" link.
    """

    name = "teasers"
    SECTION = Rule("TEAS1", "related-articles section (heading + teaser list)")
    INLINE = Rule("TEAS2", "single promoted-headline line ('READ MORE: …')")
    LINK = Rule("TEAS3", "'Read more' link with its teaser headline")
    CAPTION = Rule("TEAS4", "teaser with a leaked image caption ('… image')")
    rules = (SECTION, INLINE, LINK, CAPTION)

    max_heading_words = 6
    max_inline_words = 30
    caption_window = 3

    def is_link(self, line: Line) -> bool:
        return len(line.content) <= 40 and matches(line.content, load_patterns(self.name, "link"))

    def is_inline(self, line: Line) -> bool:
        labelled = _LABELLED.match(line.content)
        if labelled and matches(labelled.group(1), load_patterns(self.name, "inline")):
            return True
        return matches(line.content, load_patterns(self.name, "line"))

    def detect(self, page: Page, labels: Labels) -> Iterable[Removal]:
        signals = page_signals(page)
        headings = load_patterns(self.name, "heading")
        out: list[Removal] = []
        taken: set[int] = set()

        def add(rule: Rule, first: int, last: int, reason: str) -> None:
            out.append(self.removal(rule, first, last, reason))
            taken.update(range(first, last + 1))

        nonblank = [line for line in page.lines if not line.is_blank]
        for index, line in enumerate(nonblank):
            sig = signals[line.number - 1]
            if line.number in taken or specific_label(labels, line.number):
                continue
            if sig.words <= self.max_heading_words and matches(line.content, headings):
                last, items = teaser_list_end(page, signals, labels, line.number, self.is_link)
                add(self.SECTION, line.number, last, f"related section, {items} teasers")
            elif sig.words <= self.max_inline_words and self.is_inline(line):
                add(self.INLINE, line.number, line.number, "promoted headline")
            elif self.is_link(line):
                first = line.number
                above = prev_nonblank(page, line.number)
                if (
                    above is not None
                    and above.number == line.number - 1
                    and above.number not in taken
                    and not specific_label(labels, above.number)
                    and is_headline(above, signals[above.number - 1])
                    and not signals[above.number - 1].is_prose
                ):
                    first = above.number
                add(self.LINK, first, line.number, "read-more link")
            elif self.caption_of(nonblank, index):
                last, items = teaser_list_end(page, signals, labels, line.number, self.is_link, max_items=1)
                add(self.CAPTION, line.number, last, "teaser with image caption")
        return out

    def caption_of(self, nonblank: list[Line], index: int) -> bool:
        """True when the line is a nearby line's text plus a trailing caption word."""
        words = normalize(nonblank[index].content).split()
        if len(words) < 3 or words[-1] not in load_section(self.name, "caption"):
            return False
        stem = " ".join(words[:-1])
        window = nonblank[max(0, index - self.caption_window): index + self.caption_window + 1]
        return any(other is not nonblank[index] and normalize(other.content) == stem for other in window)

"""Related-article teasers: "Related" / "Most popular" lists, "READ MORE:" lines, caption leftovers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import islice

from cleaner.detectors.base import Detector, is_headline, prev_nonblank, specific_label, teaser_list_end
from cleaner.text.labels import Labels, Removal, Rule
from cleaner.text.page import Line, Page
from cleaner.text.phrases import PhraseBook, normalize
from cleaner.text.signals import page_signals, phrase_masks

__all__ = ["RelatedTeaserDetector"]

# Words a title-case headline leaves in lower case ("Spots In Detroit for the Holidays").
_TITLE_SMALL = frozenset(
    {"a", "an", "the", "of", "and", "in", "to", "for", "on", "at", "by", "with", "or", "from", "as"}
)
_TOKEN = re.compile(r"[\w'’&$.-]+")
# "READ MORE: headline", "(Leggi anche su: headline)": a short label, a colon, the promoted headline.
_LABELLED = re.compile(r"^[(\[]?\s*([^:：|]{2,30}?)\s*[:：|]\s*\S")


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
    cliff'"), removed with the headline and the summary line that follow it; (TEAS5) three
    or more consecutive lines that each begin with a run of capitalised headline words
    glued to a summary sentence, which is how teaser cards come out of some renderers.

    **Why**: teasers advertise the site's other articles; they interrupt or trail the
    article and are rebuilt on every page. Runs after the main-body locator, so lines it
    already cut only get the more precise reason.

    **Known false positives**: an article sub-heading that matches a heading phrase
    ("Related", "Trending") takes the short list lines after it along; a one-line
    article paragraph opened by "Read more:"; a headline-like line ending a paragraph
    block right above a "Read more" link; three article paragraphs in a row that each open
    with five or more capitalised words (long names and titles).
    """

    name = "teasers"
    SECTION = Rule("TEAS1", "related-articles section (heading + teaser list)")
    INLINE = Rule("TEAS2", "single promoted-headline line ('READ MORE: …')")
    LINK = Rule("TEAS3", "'Read more' link with its teaser headline")
    CAPTION = Rule("TEAS4", "teaser with a leaked image caption ('… image')")
    GLUED = Rule("TEAS5", "run of teasers rendered as 'Title Case Headline' + summary on one line")
    rules = (SECTION, INLINE, LINK, CAPTION, GLUED)

    min_glued_run = 3  # consecutive glued teasers needed: one or two such lines can be article prose
    min_headline_capitals = 5
    max_heading_words = 6
    max_inline_words = 30
    caption_window = 3

    def is_link(self, line: Line, book: PhraseBook, mask: int) -> bool:
        """A "Read more" link: a short line of a ``link`` phrase (``mask``: the line's phrase mask)."""
        return len(line.content) <= 40 and book.patterns(self.name, "link").matches(line.content, mask)

    def is_inline(self, line: Line, book: PhraseBook, mask: int) -> bool:
        """A promoted headline: "Related: ...", or a whole ``line`` phrase (``mask``: the line's phrase mask).

        An inline label is a part of its line cut at a colon or bar, so the line's mask covers it.
        """
        text = line.content
        labelled = _LABELLED.match(text) if ":" in text or "：" in text or "|" in text else None
        if labelled and book.patterns(self.name, "inline").matches(labelled.group(1), mask):
            return True
        return book.patterns(self.name, "line").matches(line.content, mask)

    def detect(self, page: Page, labels: Labels) -> Iterable[Removal]:
        signals, book = page_signals(page), page.phrases
        headings = book.patterns(self.name, "heading")
        inline_bits = book.patterns(self.name, "inline").bit | book.patterns(self.name, "line").bit
        link_bit = book.patterns(self.name, "link").bit
        caption_bit = book.section_bit(self.name, "caption")
        # Phrase tests run only on the lines holding a gate word (phrase_masks).
        masks = phrase_masks(page)
        out: list[Removal] = []
        taken: set[int] = set()

        def is_link(line: Line) -> bool:
            return self.is_link(line, book, masks[line.number - 1])

        def add(rule: Rule, first: int, last: int, reason: str) -> None:
            out.append(self.removal(rule, first, last, reason))
            taken.update(range(first, last + 1))

        # Every test of the loop needs one of these bits: a line with none of them is passed over.
        any_bit = headings.bit | inline_bits | link_bit | caption_bit
        nonblank = [line for line in page.lines if not line.is_blank]
        for index, line in enumerate(nonblank):
            mask = masks[line.number - 1]
            if not mask & any_bit or line.number in taken or specific_label(labels, line.number):
                continue
            sig = signals[line.number - 1]
            if sig.words <= self.max_heading_words and headings.matches(line.content, mask):
                last, items = teaser_list_end(page, signals, labels, line.number, is_link)
                add(self.SECTION, line.number, last, f"related section, {items} teasers")
            elif sig.words <= self.max_inline_words and mask & inline_bits and self.is_inline(line, book, mask):
                add(self.INLINE, line.number, line.number, "promoted headline")
            elif self.is_link(line, book, mask):
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
            elif mask & caption_bit and self.caption_of(nonblank, index, book):
                last, items = teaser_list_end(page, signals, labels, line.number, is_link, max_items=1)
                add(self.CAPTION, line.number, last, "teaser with image caption")
        out.extend(self.glued_runs(nonblank, taken, labels))
        return out

    def glued_runs(self, nonblank: list[Line], taken: set[int], labels: Labels) -> list[Removal]:
        """Runs of lines that each start with a title-case headline glued to a summary sentence.

        A run long enough to count holds a line at every ``min_glued_run``-th position, so only
        those lines are tested first; a run is grown from each one found (most lines are
        never tested).
        """
        out: list[Removal] = []
        step = max(1, self.min_glued_run)

        def is_glued(index: int) -> bool:
            line = nonblank[index]
            return line.number not in taken and self.glued(line.content)

        probe = step - 1
        while probe < len(nonblank):
            if not is_glued(probe):
                probe += step
                continue
            first = probe
            while first > 0 and is_glued(first - 1):
                first -= 1
            last = probe
            while last + 1 < len(nonblank) and is_glued(last + 1):
                last += 1
            run = nonblank[first : last + 1]
            if len(run) >= step and not any(specific_label(labels, n.number) for n in run):
                out.append(self.removal(self.GLUED, run[0].number, run[-1].number, f"{len(run)} glued teasers"))
            probe = last + 1 + step  # (line last + 1 is not glued: the next run starts after it)
        return out

    def glued(self, text: str) -> bool:
        """"Say Cheese? Detroit's Top 3 Cheese Shops Wondering where to find…": capitals, then a sentence."""
        tokens = _TOKEN.finditer(text)  # read lazily: most lines answer within their first words
        capitals = 0
        for found in tokens:
            token = found.group()
            if not token[0].isalpha() or token.lower() in _TITLE_SMALL:
                continue
            if not token[0].isupper():
                # this token and at least five more
                return capitals >= self.min_headline_capitals and 1 + sum(1 for _ in islice(tokens, 5)) >= 6
            capitals += 1
        return False

    def caption_of(self, nonblank: list[Line], index: int, book: PhraseBook) -> bool:
        """True when the line is a nearby line's text plus a trailing caption word."""
        words = normalize(nonblank[index].content).split()
        if len(words) < 3 or words[-1] not in book.section(self.name, "caption"):
            return False
        stem = " ".join(words[:-1])
        window = nonblank[max(0, index - self.caption_window): index + self.caption_window + 1]
        return any(other is not nonblank[index] and normalize(other.content) == stem for other in window)

"""The structural main-body locator: where the article starts and ends."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from cleaner.detectors.base import Detector
from cleaner.text.dates import find_date
from cleaner.text.headline import find_headline, title_headline
from cleaner.text.labels import Labels, Located, Removal, Rule
from cleaner.text.layout import page_units
from cleaner.text.names import BYLINE
from cleaner.text.page import Line, Page
from cleaner.text.records import record_span
from cleaner.text.signals import LineSignals, page_signals
from cleaner.text.tables import table_end

__all__ = ["BodyThresholds", "FAVOR_MODES", "MainBodyDetector"]


@dataclass(frozen=True)
class BodyThresholds:
    """Weights of the line scores; ``favor`` presets shift them towards precision or recall."""

    prose_base: float = 1.0
    prose_chars_per_point: float = 80.0
    prose_cap: float = 6.0
    short_penalty: float = 1.0
    headline_penalty: float = 1.5
    bullet_penalty: float = 2.0
    labelled_penalty: float = 3.0
    medium_penalty: float = 1.0
    repeated_penalty: float = 3.0
    repeat_threshold: int = 3
    earliest_share: float = 0.7
    # A prose-shaped unit that is nearly all link text (a wrapped teaser headline in a dump with
    # [12] link markers) scores as chrome (lynx-rendered dev set: F1 +0.007).
    max_link_density: float = 0.9
    # The stretch under the line repeating the page's <title> is the article when it starts
    # within title_reach non-blank lines of it and scores title_share of the best stretch.
    title_reach: int = 12
    title_share: float = 0.3
    # ... unless the best stretch starts within title_gap non-blank lines after it (the same
    # article, past a photo caption or a table).
    title_gap: int = 6

    @classmethod
    def favoring(cls, favor: str) -> BodyThresholds:
        """The preset for ``favor``: ``precision`` cuts more at the edges, ``recall`` keeps more."""
        if favor not in FAVOR_MODES:
            raise ValueError(f"favor must be one of {', '.join(FAVOR_MODES)}, not {favor!r}")
        return cls(**FAVOR_PRESETS[favor])


FAVOR_MODES = ("precision", "balanced", "recall")
# Shifts measured on the dev set (benchmarks/run.py --favor): see the README's benchmark table.
FAVOR_PRESETS: dict[str, dict[str, float]] = {
    # Prose counts less and short lines cost more: the article's edges are cut tighter.
    "precision": {"prose_base": 0.5, "short_penalty": 1.5, "medium_penalty": 1.5},
    "balanced": {},
    # Prose counts more and short lines, headings and lists cost less: subheadings and lists at the edges stay.
    "recall": {"prose_base": 1.5, "short_penalty": 0.5, "medium_penalty": 0.5, "headline_penalty": 1.0},
}


class MainBodyDetector(Detector):
    """Removes everything before and after the article's main body (its headline stays unless --no-title).

    **What**: the lines outside the one stretch of the page that reads like an article.
    Every line gets a score: prose lines (long, punctuated, rich in the page language's
    stopwords) score by their length; menu items, headlines, bullets, lines whose shape
    repeats on the page (template output such as "Reply" or "2 days ago") and lines other
    detectors already labelled score negative. Candidate stretches are maximum-sum
    segments, so a short subheading between paragraphs is bridged while a menu is not;
    the article is the earliest stretch scoring at least ``earliest_share`` of the best
    (comment threads and teaser lists come after it and may outscore it); but when the page's
    ``<title>`` (the dump's first line) is repeated as a headline above a stretch scoring
    ``title_share`` of the best, that stretch is the article, unless the choice holds the
    headline or continues that stretch after a short gap. Wrapped dumps are
    scored per paragraph, and link-dense units never count as prose. A long paragraph cut
    off with "…" right after the stretch (a paywall) is its last paragraph. A table or a
    "Key: value" list right after it (rows that no detector claimed) is taken in, with the
    running text that follows it. A stretch that repeats a labelled field ("Address: ...") is
    part of a record list (a directory, a programme): it takes in the entries around it that
    repeat the field and hold running text (:mod:`cleaner.text.records`). The headline
    just above the article (matching the page title when the dump starts with it) is kept,
    unless running text no detector claimed lies between it and the article; with
    ``keep_title=False`` it is removed (BODY3) and only reported in the metadata.

    **Why**: page chrome (menus, teasers, footers) is made of short, link-like, repeated
    lines; the article is the densest run of sentences.

    **Known false positives**: an article made only of short lines (a poem, a list of
    bullet points) scores low and may lose its edges; a long prose block before the article
    (a site description) can be taken for it; a prose comment thread without a heading
    right after the article can be taken for more article; a table of figures right after
    the article that belongs to the sidebar (market data, league standings) is kept with it.
    An article split into single paragraphs by photos, under its title headline, keeps only
    its first paragraph when the best stretch lies further down; a page whose gold is its
    comments loses them when the title headline stands over a short post (dragnet blogs).
    """

    name = "main-body"
    generic = True
    provides = frozenset({"body", "headline"})
    BEFORE = Rule("BODY1", "before the article's main body")
    AFTER = Rule("BODY2", "after the article's main body")
    TITLE = Rule("BODY3", "the article's headline, reported as the title in the metadata")
    rules = (BEFORE, AFTER, TITLE)

    def __init__(self, thresholds: BodyThresholds | None = None, keep_title: bool = True) -> None:
        self.thresholds = thresholds or BodyThresholds()
        self.keep_title = keep_title

    def line_score(self, signals: LineSignals, labelled: bool) -> float:
        t = self.thresholds
        if labelled:
            return -t.labelled_penalty
        if signals.repeats >= t.repeat_threshold:
            return -t.repeated_penalty
        if signals.is_prose and signals.link_density < t.max_link_density:
            return min(t.prose_base + signals.chars / t.prose_chars_per_point, t.prose_cap)
        if signals.bulleted:
            return -t.bullet_penalty
        if signals.title_case:
            return -t.headline_penalty
        if signals.is_short:
            return -t.short_penalty
        return -t.medium_penalty

    def segments(self, page: Page, labels: Labels) -> list[tuple[float, int, int]]:
        """Disjoint candidate stretches as (score, first line, last line), in page order.

        A running total restarts whenever it drops to zero or below (Kadane's scan); each
        run contributes its best-scoring prefix as one candidate.
        """
        signals = page_signals(page)
        found: list[tuple[float, int, int]] = []
        total, start, best = 0.0, 0, (0.0, 0, 0)
        # One score per unit: a hard-wrapped paragraph counts once, and a stretch ends on a unit's last line.
        for unit in page_units(page):
            sig = signals[unit.first - 1]
            if total <= 0:
                if best[0] > 0:
                    found.append(best)
                total, start, best = 0.0, unit.first, (0.0, 0, 0)
            total += self.line_score(sig, labels.is_removed(unit.first))
            if total > best[0]:
                best = (total, start, unit.last)
        if best[0] > 0:
            found.append(best)
        return found

    def locate(self, page: Page, labels: Labels) -> tuple[int, int] | None:
        """The (first, last) line numbers of the article, or ``None`` when nothing reads as prose.

        The article is the earliest stretch scoring at least ``earliest_share`` of the best
        one: comment threads and teaser lists come after the article and can outscore it.
        """
        candidates = self.segments(page, labels)
        if not candidates:
            return None
        top = max(score for score, _, _ in candidates)
        chosen = next(c for c in candidates if c[0] >= self.thresholds.earliest_share * top)
        chosen = self._under_title(page, candidates, chosen, top)
        last = self._take_in_tables(page, labels, self._paywall_cut(page, chosen[2]))
        first, last = record_span(page, self._skip_dateline(page, chosen[1], chosen[2]), last, labels.is_removed)
        return first, last

    def _under_title(
        self, page: Page, candidates: list[tuple[float, int, int]], chosen: tuple[float, int, int], top: float
    ) -> tuple[float, int, int]:
        """The stretch right under the line repeating the page's title, when the choice is elsewhere.

        A short article (three short paragraphs, a match report with its line-ups) scores
        below a long comment thread or sidebar blurb on the same page, and the earliest strong
        stretch can be a profile or a site description above it; the page's ``<title>``
        repeated as a headline says where the article is. The first stretch starting within
        ``title_reach`` non-blank lines under it and scoring ``title_share`` of the best is
        taken (unless the choice holds the headline), with the stretches that follow it closely.
        """
        t = self.thresholds
        headline = title_headline(page)
        if headline is None or chosen[1] <= headline.number <= chosen[2]:
            return chosen
        after, reach = self._title_reach(page, headline)
        if not reach or reach[0] <= chosen[1] <= reach[-1]:
            return chosen
        under = next((c for c in candidates if reach[0] <= c[1] <= reach[-1] and c[0] >= t.title_share * top), None)
        if under is None:
            return chosen
        return self._chained(after, candidates, under)

    def _title_reach(self, page: Page, headline: Line) -> tuple[list[int], list[int]]:
        """The non-blank lines under ``headline``, and the first ``title_reach`` of them (where its article starts)."""
        after = [line.number for line in page.lines[headline.number :] if not line.is_blank]
        return after, after[: self.thresholds.title_reach]

    def starts_under_title(self, page: Page, first: int) -> bool:
        """True when line ``first`` is one of the ``title_reach`` non-blank lines right under the title's headline."""
        headline = title_headline(page)
        if headline is None:
            return False
        reach = self._title_reach(page, headline)[1]
        return bool(reach) and reach[0] <= first <= reach[-1]

    def _chained(
        self, after: list[int], candidates: list[tuple[float, int, int]], under: tuple[float, int, int]
    ) -> tuple[float, int, int]:
        """``under`` extended over the stretches that follow it within ``title_gap`` non-blank lines.

        An article cut into paragraphs by photos and captions is several stretches; the ones
        close after the first are the same article (and so is the best one, found this way).
        """
        score, first, last = under
        gap = self.thresholds.title_gap
        for candidate in candidates:
            if candidate[1] <= last:
                continue
            position = bisect_right(after, last)  # the first non-blank line after the stretch
            if position >= len(after) or candidate[1] > after[min(position + gap, len(after)) - 1]:
                break
            score, last = score + candidate[0], candidate[2]
        return score, first, last

    @staticmethod
    def _prose_between(page: Page, labels: Labels, headline: int, first: int) -> bool:
        """True when running text no detector claimed lies between the headline and the article."""
        signals = page_signals(page)
        return any(
            not line.is_blank
            and signals[line.number - 1].is_prose
            and not labels.is_removed(line.number)
            and not (find_date(line.content) or BYLINE.match(line.content))
            for line in page.lines[headline : first - 1]
        )

    @staticmethod
    def _paywall_cut(page: Page, last: int) -> int:
        """Take in a long paragraph cut off with "…" right after the article: a paywall ends it there.

        Truncated lines do not count as prose (teaser summaries end in "…"), but a truncated
        paragraph of running text directly after the article is its last visible paragraph.
        """
        following = next((line for line in page.lines[last:] if not line.is_blank), None)
        if following is None:
            return last
        sig = page_signals(page)[following.number - 1]
        if sig.truncated and sig.words >= 15 and sig.stopword_ratio >= 0.2 and not sig.title_case:
            return following.number
        return last

    @staticmethod
    def _take_in_tables(page: Page, labels: Labels, last: int) -> int:
        """Take in a table right after the article, and the prose that follows it.

        Table rows (numeric cells, or "Key: value" pairs) score as chrome one by one, so the
        stretch stops at the paragraph that introduces them; a run of them directly after the
        article, that no specific detector claimed, is the article's table or specification
        list (:mod:`cleaner.text.tables`), and running text right after it is more article.
        """
        signals = page_signals(page)
        while True:
            following = next((line for line in page.lines[last:] if not line.is_blank), None)
            if following is None or labels.is_removed(following.number):
                return last
            end = table_end(page, following.number)
            if end is None or any(labels.is_removed(n) for n in range(following.number, end + 1)):
                return last
            last = end
            for line in page.lines[end:]:
                if line.is_blank:
                    continue
                if not signals[line.number - 1].is_prose or labels.is_removed(line.number):
                    break
                last = line.number

    @staticmethod
    def _skip_dateline(page: Page, first: int, last: int) -> int:
        """Move the start past byline and date lines ("By Jane Doe on Monday, 18 Nov 2019")."""
        signals = page_signals(page)
        for line in page.lines[first - 1 : last]:
            if line.is_blank:
                continue
            text = line.content
            sig = signals[line.number - 1]
            sentence = sig.is_prose and sig.sentence_end  # a short first paragraph that mentions a date
            if sentence or len(text.split()) > 25 or not (find_date(text) or BYLINE.match(text)):
                return line.number
        return first

    def detect(self, page: Page, labels: Labels) -> Iterable[Removal | Located]:
        body = self.locate(page, labels)
        if body is None:
            return [Located(None)]
        first, last = body
        out: list[Removal | Located] = []
        headline = find_headline(page, first, frozenset(labels.by_line))
        if headline is not None and self._prose_between(page, labels, headline.number, first):
            headline = None  # the locator rejected running text below it: not this article's headline
        out.append(Located(body, None if headline is None else headline.number))
        where = f"the article is lines {first}-{last}, the page's densest stretch of prose"
        if headline is not None:
            if not self.keep_title:
                title = "the headline (kept as the title)"
                out.append(self.removal(self.TITLE, headline.number, headline.number, title))
            if headline.number > 1:
                out.append(self.removal(self.BEFORE, 1, headline.number - 1, f"above the headline; {where}"))
            between = page.lines[headline.number: first - 1]
            if any(not line.is_blank for line in between):
                reason = f"between headline and article; {where}"
                out.append(self.removal(self.BEFORE, headline.number + 1, first - 1, reason))
        elif first > 1:
            out.append(self.removal(self.BEFORE, 1, first - 1, f"before the article; {where}"))
        if last < len(page):
            out.append(self.removal(self.AFTER, last + 1, len(page), f"after the article; {where}"))
        return out

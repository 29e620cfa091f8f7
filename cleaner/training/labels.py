"""Line labels from gold text: which lines of a whole-page dump a perfect cleaner keeps.

The dev sets give, per page, a dump (every line of the page) and the gold text (what to keep),
not line labels. :func:`align` turns the two into one :class:`LineLabel` per dump line:

1. Both texts are cut into lower-cased ``\\w+`` tokens (the scorer's tokens); a line of three or
   more tokens votes, with each of its token 3-grams found in the gold, for the gold offset it
   would start at. Its best offset and the share of its 3-grams found are its *anchor*.
2. Content comes in the gold's order: the anchored lines (share >= :data:`ANCHOR_SHARE`) kept are
   the heaviest chain whose offsets increase, so a headline repeated in a menu, or a teaser that
   quotes the article, is aligned once (the scorer counts shingles as a multiset).
3. A line of one or two tokens (a heading, "Posted by X") is content when its tokens stand in the
   gold between the gold stretches of the anchored content lines before and after it.

Each label has a confidence in [0, 1]: how far the line's evidence is from the undecided middle.
A page whose gold is not in its dump (:data:`MIN_GOLD_COVERAGE` of the gold's 3-grams not found:
encoding damage, gold taken from another version of the page) is *broken*: its lines are
dropped, not guessed (:attr:`PageLabels.broken`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "ANCHOR_SHARE",
    "LineLabel",
    "MIN_GOLD_COVERAGE",
    "PageLabels",
    "align",
    "tokens",
]

WORD = re.compile(r"\w+")
ANCHOR_SHARE = 0.5  # a line with at least this share of its 3-grams in the gold can be content
MIN_GOLD_COVERAGE = 0.6  # below this share of the gold's 3-grams found in the dump, the gold is broken
SHORT_SLACK = 40  # gold tokens searched beyond the neighbouring anchors for a short line
# One or two words ("Home", "Comments") found or not found near the right place are weak evidence;
# an anchored line found again out of order is a near toss-up (it is the gold's text, once too often).
SHORT_CONFIDENCE = 0.5
REPEAT_CONFIDENCE = 0.3


def tokens(text: str) -> list[str]:
    """Lower-cased ``\\w+`` tokens (the scorer's tokens; case is ignored, dumps and gold differ in it)."""
    return WORD.findall(text.lower())


@dataclass(frozen=True)
class LineLabel:
    """One dump line's label: ``content`` (kept by the gold) or not, and how sure the alignment is.

    ``tokens`` is the line's token count (0 for a blank or punctuation-only line, which is
    labelled boilerplate with confidence 0: it carries no evidence either way).
    """

    number: int
    content: bool
    confidence: float
    tokens: int


@dataclass(frozen=True)
class PageLabels:
    """The labels of one page's lines, and how well the gold was found in the dump."""

    lines: tuple[LineLabel, ...]
    gold_coverage: float  # share of the gold's 3-grams found in the dump's
    broken: bool

    @property
    def uncertain(self) -> int:
        """Lines with words whose label is a near toss-up (confidence under 0.5)."""
        return sum(1 for label in self.lines if label.tokens and label.confidence < 0.5)


@dataclass
class _Anchor:
    index: int  # position of the line among the page's lines
    offset: int  # gold token offset the line starts at
    share: float  # share of the line's 3-grams found in the gold
    length: int


def align(lines: Sequence[str], gold: str) -> PageLabels:
    """Label each of ``lines`` (a dump's lines, without endings) as content or boilerplate by ``gold``."""
    gold_tokens = tokens(gold)
    line_tokens = [tokens(line) for line in lines]
    grams = _gram_positions(gold_tokens)
    coverage = _gold_coverage(grams, line_tokens)
    anchors = [_anchor(i, toks, grams) for i, toks in enumerate(line_tokens) if len(toks) >= 3]
    chain = _heaviest_chain([a for a in anchors if a is not None and a.share >= ANCHOR_SHARE])
    labels = _labels(line_tokens, gold_tokens, [a for a in anchors if a is not None], chain)
    broken = not gold_tokens or coverage < MIN_GOLD_COVERAGE
    return PageLabels(tuple(labels), coverage, broken)


def _gram_positions(gold_tokens: list[str]) -> dict[tuple[str, str, str], list[int]]:
    positions: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for start in range(len(gold_tokens) - 2):
        positions[(gold_tokens[start], gold_tokens[start + 1], gold_tokens[start + 2])].append(start)
    return positions


def _gold_coverage(grams: dict[tuple[str, str, str], list[int]], line_tokens: list[list[str]]) -> float:
    if not grams:
        return 0.0
    seen = {tuple(toks[i : i + 3]) for toks in line_tokens for i in range(len(toks) - 2)}
    total = sum(len(starts) for starts in grams.values())
    return sum(len(starts) for gram, starts in grams.items() if gram in seen) / total


def _anchor(index: int, toks: list[str], grams: dict[tuple[str, str, str], list[int]]) -> _Anchor | None:
    """The gold offset most of the line's 3-grams agree on, and the share of its 3-grams found there."""
    votes: Counter[int] = Counter()
    count = len(toks) - 2
    for i in range(count):
        for start in grams.get((toks[i], toks[i + 1], toks[i + 2]), ()):
            votes[start - i] += 1
    if not votes:
        return None
    offset, hits = max(votes.items(), key=lambda item: (item[1], -item[0]))
    return _Anchor(index, max(offset, 0), min(hits / count, 1.0), len(toks))


def _heaviest_chain(anchors: list[_Anchor]) -> set[int]:
    """Indexes of the anchors forming the heaviest chain with increasing gold offsets (weights: matched tokens).

    A weighted longest increasing subsequence, with a Fenwick tree of prefix maxima over the
    offsets: O(n log n), since a dump can have thousands of anchored lines.
    """
    if not anchors:
        return set()
    ranks = {offset: rank for rank, offset in enumerate(sorted({a.offset for a in anchors}), start=1)}
    tree: list[tuple[float, int]] = [(0.0, -1)] * (len(ranks) + 1)
    best: list[float] = []
    back: list[int] = []
    for j, anchor in enumerate(anchors):
        rank = ranks[anchor.offset]
        before, i = _prefix_max(tree, rank - 1)  # chains ending at a strictly smaller offset
        best.append(before + anchor.share * anchor.length)
        back.append(i)
        while rank < len(tree):
            if best[j] > tree[rank][0]:
                tree[rank] = (best[j], j)
            rank += rank & -rank
    j = max(range(len(best)), key=best.__getitem__)
    chosen: set[int] = set()
    while j >= 0:
        chosen.add(anchors[j].index)
        j = back[j]
    return chosen


def _prefix_max(tree: list[tuple[float, int]], rank: int) -> tuple[float, int]:
    found = (0.0, -1)
    while rank > 0:
        if tree[rank][0] > found[0]:
            found = tree[rank]
        rank -= rank & -rank
    return found


def _labels(
    line_tokens: list[list[str]], gold_tokens: list[str], anchors: list[_Anchor], chain: set[int]
) -> list[LineLabel]:
    by_index = {anchor.index: anchor for anchor in anchors}
    kept = sorted((a.index, a.offset, a.offset + a.length) for a in anchors if a.index in chain)
    labels = []
    for index, toks in enumerate(line_tokens):
        number = index + 1
        if not toks:
            labels.append(LineLabel(number, False, 0.0, 0))
        elif len(toks) >= 3:
            labels.append(_long_label(number, by_index.get(index), index in chain, len(toks)))
        else:
            found = _short_found(index, toks, gold_tokens, kept)
            labels.append(LineLabel(number, found, SHORT_CONFIDENCE, len(toks)))
    return labels


def _long_label(number: int, anchor: _Anchor | None, in_chain: bool, count: int) -> LineLabel:
    share = 0.0 if anchor is None else anchor.share
    if in_chain:  # sure when all its 3-grams are in the gold, a toss-up at half of them
        return LineLabel(number, True, min(1.0, 2 * share - 1), count)
    if share >= ANCHOR_SHARE:  # in the gold, but out of order: a repeat (a menu's headline, a teaser's quote)
        return LineLabel(number, False, REPEAT_CONFIDENCE, count)
    return LineLabel(number, False, 1 - 2 * share, count)


def _short_found(index: int, toks: list[str], gold: list[str], kept: list[tuple[int, int, int]]) -> bool:
    """True when the short line's tokens stand in the gold between its anchored neighbours' stretches."""
    if not kept:
        return False
    at = bisect_left(kept, (index, -1, -1))
    low = kept[at - 1][2] - SHORT_SLACK if at > 0 else 0
    high = kept[at][1] + SHORT_SLACK if at < len(kept) else len(gold)
    window = gold[max(low, 0) : min(high, len(gold))]
    size = len(toks)
    return any(window[i : i + size] == toks for i in range(len(window) - size + 1))

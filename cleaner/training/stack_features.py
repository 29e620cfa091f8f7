"""The second stage's columns: aggregates of the first model's P(content) over lines, the page and the markup.

A line model decides each line from its own row; its neighbours' probabilities say more (a
short line between two paragraphs it is sure of is likelier content than the same line among
menu items). :func:`stack_features` turns the first stage's P of a page's non-blank lines into
:data:`STACK_NAMES`: windows over the neighbouring lines, the page's distribution, and the mean P
of the lines under the same enclosing elements and in alike elements (the DOM evidence's element
tree and rows, when the page has them). A second model reads them beside the first one's columns
(issue 15, "second stage").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cleaner.text.dom import DOM_EVIDENCE, WALKED_NAMES
from cleaner.text.features import word_counts
from cleaner.text.page import Line, Page

__all__ = ["ANCESTOR_LEVELS", "MEANS", "STACK_NAMES", "STACK_WORDS", "stack_features", "window_mean"]

MEANS = (1, 2, 5)  # the mean P over +-k neighbouring non-blank lines (the line itself included)
SPREAD = 3  # max and min over the +-3 neighbours (the line itself left out)
ANCESTOR_LEVELS = (1, 2, 3)  # the mean P of the lines under the line's element's k-th enclosing element
# The walked columns that say what kind of element a line stands in (not where, nor how linked): lines
# alike in all of them are "in alike elements" (stack_path), as the items of one list or a page's paragraphs.
_ALIKE = [i for i, name in enumerate(WALKED_NAMES) if name not in ("dom_position", "dom_link_density")]
_EDGE = -1.0  # "no line there" for the previous / next line's P (first and last lines)
_COLUMNS: tuple[tuple[str, str], ...] = (
    ("stack_p", "the first model's P(content)"),
    *((f"stack_mean{k}", f"the first model's mean P over +-{k} lines") for k in MEANS),
    (f"stack_max{SPREAD}", f"the highest P of the {SPREAD} lines either side"),
    (f"stack_min{SPREAD}", f"the lowest P of the {SPREAD} lines either side"),
    ("stack_prev", "the previous line's P"),
    ("stack_next", "the next line's P"),
    ("stack_page_mean", "the page's mean P"),
    ("stack_page_max", "the page's highest P"),
    ("stack_rank", "its P's rank within the page (0 lowest, 1 highest)"),
    ("stack_kept_words", "share of the page's words on lines at P >= 0.5"),
    ("stack_gap", "lines to the nearest other line at P >= 0.5"),
    *((f"stack_up{k}", f"mean P of the lines under its {k}. enclosing element") for k in ANCESTOR_LEVELS),
    ("stack_path", "mean P of the lines in alike elements (the same markup row)"),
)
STACK_NAMES: tuple[str, ...] = tuple(name for name, _ in _COLUMNS)
STACK_WORDS: dict[str, str] = dict(_COLUMNS)


def stack_features(page: Page, lines: Sequence[Line], probability: np.ndarray) -> np.ndarray:
    """One row of :data:`STACK_NAMES` per line of ``lines`` (the page's non-blank lines, in order), float64.

    ``probability``: the first stage's P(content) of each of ``lines``.
    """
    p = np.asarray(probability, dtype=np.float64)
    n = len(p)
    out = np.zeros((n, len(STACK_NAMES)))
    if not n:
        return out
    columns = [p, *(window_mean(p, k) for k in MEANS), *_spread(p, SPREAD)]
    columns += [np.concatenate([[_EDGE], p[:-1]]), np.concatenate([p[1:], [_EDGE]])]
    words = word_counts([line.content for line in lines]).astype(np.float64)
    kept = p >= 0.5
    ordered = np.sort(p)
    columns += [np.full(n, p.mean()), np.full(n, p.max()),
                np.searchsorted(ordered, p, side="left") / max(n - 1, 1),
                np.full(n, words[kept].sum() / max(words.sum(), 1.0)), _gap(kept)]
    columns += _ancestor_means(page, lines, p)
    columns.append(_path_means(page, lines, p))
    out[:] = np.column_stack(columns)
    return out


def window_mean(p: np.ndarray, k: int) -> np.ndarray:
    """The mean of ``p`` over +-``k`` positions (fewer at the edges)."""
    total = np.concatenate([[0.0], np.cumsum(p)])
    index = np.arange(len(p))
    low, high = np.maximum(index - k, 0), np.minimum(index + k + 1, len(p))
    return (total[high] - total[low]) / (high - low)


def _spread(p: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The max and min of ``p`` over the +-``k`` neighbours, the position itself left out (itself when alone)."""
    n = len(p)
    high = np.full(n, -np.inf)
    low = np.full(n, np.inf)
    for shift in range(1, k + 1):
        if shift >= n:
            break
        for taken, into in ((slice(shift, None), slice(None, n - shift)), (slice(None, n - shift), slice(shift, None))):
            high[into] = np.maximum(high[into], p[taken])
            low[into] = np.minimum(low[into], p[taken])
    alone = ~np.isfinite(high)
    high[alone], low[alone] = p[alone], p[alone]
    return high, low


def _gap(kept: np.ndarray) -> np.ndarray:
    """log(1 + lines to the nearest other kept line); log(1 + count) when there is none."""
    n = len(kept)
    index = np.arange(n)
    at = np.flatnonzero(kept)
    far = float(n)
    if not len(at):
        return np.full(n, np.log1p(far))
    slot = np.searchsorted(at, index)
    before = np.where(slot > 0, index - at[np.maximum(slot - 1, 0)], far)
    after_slot = slot + (kept & True)  # a kept line's own slot is itself: look one further
    after = np.where(after_slot < len(at), at[np.minimum(after_slot, len(at) - 1)] - index, far)
    return np.log1p(np.minimum(np.minimum(before, after), far))


def _ancestor_means(page: Page, lines: Sequence[Line], p: np.ndarray) -> list[np.ndarray]:
    """Per :data:`ANCESTOR_LEVELS`: the mean P of the lines whose element has the same k-th enclosing element.

    Without the DOM's evidence (or for a line outside any element) the page's mean stands in.
    """
    mean = np.full(len(p), p.mean())
    evidence = page.facts.get(DOM_EVIDENCE)
    if evidence is None or evidence.elements is None or evidence.parents is None:
        return [mean] * len(ANCESTOR_LEVELS)
    index = np.fromiter((line.number - 1 for line in lines), dtype=np.int64, count=len(lines))
    at = np.where(index < len(evidence.elements), evidence.elements[np.minimum(index, len(evidence.elements) - 1)], 0)
    parents = evidence.parents
    out, level = [], 0
    for k in ANCESTOR_LEVELS:
        while level < k:
            at = parents[at]
            level += 1
        sums = np.bincount(at, weights=p, minlength=len(parents))
        counts = np.bincount(at, minlength=len(parents))
        out.append(np.where(at > 0, sums[at] / np.maximum(counts[at], 1), mean))
    return out


def _path_means(page: Page, lines: Sequence[Line], p: np.ndarray) -> np.ndarray:
    """The mean P of the lines in alike elements: the same walked markup row (block tag, enclosing tags,
    class/id words, roles, nesting, depth), their place and link share aside.

    Without the DOM's evidence (or for a line outside any element) the page's mean stands in.
    """
    evidence = page.facts.get(DOM_EVIDENCE)
    if evidence is None or evidence.elements is None:
        return np.full(len(p), p.mean())
    index = np.fromiter((line.number - 1 for line in lines), dtype=np.int64, count=len(lines))
    inside = index < len(evidence.rows)
    signature = np.zeros((len(lines), len(_ALIKE)), dtype=np.float32)
    signature[inside] = evidence.rows[index[inside]][:, _ALIKE]
    element = np.zeros(len(lines), dtype=np.int64)
    element[inside] = evidence.elements[index[inside]]
    _, group = np.unique(signature, axis=0, return_inverse=True)
    group = group.reshape(-1)
    means = np.bincount(group, weights=p) / np.bincount(group)
    return np.where(element > 0, means[group], p.mean())

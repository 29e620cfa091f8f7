"""The markup's evidence for each line of an HTML page's whole-page text, as a page fact.

The HTML input's walk (:func:`cleaner.inputs.html_dom.walk` with ``evidence=True``) fills a
:class:`DomEvidence`: one ``float32`` row per line of the whole-page text (blank lines all
zeros), columns :data:`DOM_NAMES`, and puts it on the page (:data:`DOM_EVIDENCE`). The
content model reads it with :func:`dom_features` beside the text features; a page read from a
text dump has no such fact, and its rows are zeros. No lxml here: the text layer only holds
the numbers and their names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cleaner.text.facts import Fact
from cleaner.text.page import Line, Page
from cleaner.text.signals import page_signals

__all__ = [
    "ANCESTOR_FLAGS", "BLOCK_TAGS", "DOM_EVIDENCE", "DOM_NAMES", "DOM_WORDS", "ROLES", "VOCABULARIES", "WALKED_NAMES",
    "DomEvidence", "dom_features", "title_element_lines",
]

# The tag the line's text starts in (its nearest block), one column each; "other" for the rest.
BLOCK_TAGS: tuple[str, ...] = ("title", "p", "li", "td", "h", "div", "dd", "pre", "other")
# Ancestors (or the block itself) a line's text stands inside: one flag each.
ANCESTOR_FLAGS: tuple[str, ...] = (
    "a", "p", "li", "td", "h", "nav", "header", "footer", "aside", "article", "main", "form", "blockquote",
    "pre", "figure", "button", "label", "address", "time", "strong",
)
# The class/id vocabularies (cleaner/inputs/dom_tokens.tsv holds their words), two columns each:
# on the line's own element up to its block, and on any ancestor above it.
VOCABULARIES: tuple[str, ...] = (
    "comment", "sidebar", "related", "share", "footer", "promo", "menu", "widget", "breadcrumb", "byline",
    "caption", "tag", "cookie", "header", "content", "title", "date", "hidden", "pagination", "newsletter",
)
ROLES: tuple[str, ...] = ("navigation", "complementary", "banner", "contentinfo", "main", "article")
_TAG_WORDS = {"title": "the <title> line", "p": "a paragraph <p>", "li": "a list item <li>", "td": "a table cell",
              "h": "a heading <h1>-<h6>", "div": "a <div>/<section>", "dd": "a definition <dt>/<dd>",
              "pre": "preformatted <pre>", "other": "another block"}
_COLUMNS: tuple[tuple[str, str], ...] = (
    *((f"dom_block_{tag}", f"starts in {words}") for tag, words in _TAG_WORDS.items()),
    *((f"dom_in_{tag}", f"inside <{tag}>" if tag != "h" else "inside a heading") for tag in ANCESTOR_FLAGS),
    ("dom_heading_level", "heading level (1-6; 0 none)"),
    ("dom_list_depth", "lists it is nested in"),
    ("dom_table_depth", "tables it is nested in"),
    *((f"dom_own_{name}", f"its block's class/id says {name}") for name in VOCABULARIES),
    *((f"dom_up_{name}", f"an enclosing element's class/id says {name}") for name in VOCABULARIES),
    *((f"dom_role_{role}", f"inside role={role}") for role in ROLES),
    ("dom_aria_hidden", "inside aria-hidden"),
    ("dom_link_density", "share of its characters inside links"),
    ("dom_depth", "nesting depth in the markup"),
    ("dom_depth_share", "depth over the page's deepest"),
    ("dom_position", "place among the page's elements"),
    ("dom_itemprop", "inside an itemprop=articleBody/text"),
)
# Read from the walk and the text together (:func:`dom_features`): how much of the page's prose the
# elements around the line hold, as readability scores a paragraph's parent and grandparent.
_CONTAINERS: tuple[tuple[str, str], ...] = (
    *((f"dom_prose_up{k}", f"share of the page's prose words inside its {k}. enclosing element") for k in (1, 2, 3)),
    ("dom_main_container", "inside the deepest element holding half the page's prose"),
)
WALKED_NAMES: tuple[str, ...] = tuple(name for name, _ in _COLUMNS)  # the columns of DomEvidence.rows
DOM_NAMES: tuple[str, ...] = (*WALKED_NAMES, *(name for name, _ in _CONTAINERS))
DOM_WORDS: dict[str, str] = dict((*_COLUMNS, *_CONTAINERS))


@dataclass(frozen=True)
class DomEvidence:
    """The markup's evidence per line: ``rows[i]`` for line ``i + 1`` (columns :data:`WALKED_NAMES`).

    ``elements[i]``: the element line ``i + 1``'s text starts in (elements numbered from 1 in document
    order; 0: none, a blank line or the title); ``parents[e]``: element ``e``'s parent (0 at the top).
    """

    rows: np.ndarray  # float32, (lines, len(WALKED_NAMES)); blank lines are zeros
    elements: np.ndarray | None = None  # int64, one per line
    parents: np.ndarray | None = None  # int64, one per element and one for 0

    def __eq__(self, other: object) -> bool:  # the arrays' values, not numpy's element-wise comparison
        if not isinstance(other, DomEvidence):
            return NotImplemented
        mine, theirs = (self.rows, self.elements, self.parents), (other.rows, other.elements, other.parents)
        return all(a is b or (a is not None and b is not None and np.array_equal(a, b))
                   for a, b in zip(mine, theirs, strict=True))

    __hash__ = None  # type: ignore[assignment]  # (mutable arrays: not hashable)

    def __post_init__(self) -> None:
        if self.rows.ndim != 2 or self.rows.shape[1] != len(WALKED_NAMES):
            raise ValueError(f"DOM evidence needs {len(WALKED_NAMES)} columns, got shape {self.rows.shape}")


DOM_EVIDENCE: Fact[DomEvidence] = Fact("dom_evidence")


def title_element_lines(page: Page) -> frozenset[int]:
    """The numbers of the lines the page's ``<title>`` element wrote (its evidence says so); none without evidence."""
    evidence = page.facts.get(DOM_EVIDENCE)
    if evidence is None or not len(evidence.rows):
        return frozenset()
    column = evidence.rows[:, WALKED_NAMES.index("dom_block_title")]
    return frozenset(int(i) + 1 for i in np.flatnonzero(column > 0))


def dom_features(page: Page, lines: Sequence[Line]) -> np.ndarray:
    """One row of :data:`DOM_NAMES` per line of ``lines``: the page's evidence, zeros without it."""
    out = np.zeros((len(lines), len(DOM_NAMES)), dtype=np.float32)
    evidence = page.facts.get(DOM_EVIDENCE)
    if evidence is None or not len(lines):
        return out
    index = np.fromiter((line.number - 1 for line in lines), dtype=np.int64, count=len(lines))
    inside = index < len(evidence.rows)  # (a page longer than its evidence: the rest stays zeros)
    out[inside, : len(WALKED_NAMES)] = evidence.rows[index[inside]]
    if evidence.elements is not None and evidence.parents is not None:
        out[inside, len(WALKED_NAMES) :] = _containers(page, evidence)[index[inside]]
    return out


def _containers(page: Page, evidence: DomEvidence) -> np.ndarray:
    """The :data:`_CONTAINERS` columns of every line of the page (rows by line number - 1).

    Each prose line's words are added to every element above its own (one numpy step per level of
    nesting); a line then reads the shares of its 1st to 3rd enclosing elements, and whether it
    stands in the deepest element that holds at least half of the page's prose words.
    """
    elements, parents = evidence.elements, evidence.parents
    assert elements is not None and parents is not None
    count = min(len(elements), len(page))
    signals = page_signals(page)
    words = np.array([s.words if s.is_prose else 0 for s in signals[:count]], dtype=np.float64)
    held = np.zeros(len(parents))
    depth = np.zeros(len(parents), dtype=np.int64)
    at = parents[elements[:count]]  # (from the parents: a paragraph of its own is not a container)
    while at.any():
        np.add.at(held, at, words)
        at = parents[at]
    for element in range(1, len(parents)):  # parents come first in document order
        depth[element] = depth[parents[element]] + 1
    total = max(words.sum(), 1.0)
    out = np.zeros((len(elements), len(_CONTAINERS)), dtype=np.float32)
    main = np.flatnonzero(held >= total / 2)
    main_element = int(main[np.argmax(depth[main])]) if len(main) and words.sum() else -1
    at = elements[:count].copy()
    for k in range(3):
        at = parents[at]
        out[:count, k] = held[at] / total * (at > 0)
    at = elements[:count].copy()
    while at.any():
        out[:count, 3] = np.maximum(out[:count, 3], at == main_element)
        at = parents[at]
    out[elements == 0] = 0.0
    return out

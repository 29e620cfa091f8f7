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

__all__ = [
    "ANCESTOR_FLAGS", "BLOCK_TAGS", "DOM_EVIDENCE", "DOM_NAMES", "DOM_WORDS", "ROLES", "VOCABULARIES",
    "DomEvidence", "dom_features",
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
DOM_NAMES: tuple[str, ...] = tuple(name for name, _ in _COLUMNS)
DOM_WORDS: dict[str, str] = dict(_COLUMNS)


@dataclass(frozen=True)
class DomEvidence:
    """The markup's evidence per line: ``rows[i]`` for line ``i + 1`` (columns :data:`DOM_NAMES`)."""

    rows: np.ndarray  # float32, (lines, len(DOM_NAMES)); blank lines are zeros

    def __post_init__(self) -> None:
        if self.rows.ndim != 2 or self.rows.shape[1] != len(DOM_NAMES):
            raise ValueError(f"DOM evidence needs {len(DOM_NAMES)} columns, got shape {self.rows.shape}")


DOM_EVIDENCE: Fact[DomEvidence] = Fact("dom_evidence")


def dom_features(page: Page, lines: Sequence[Line]) -> np.ndarray:
    """One row of :data:`DOM_NAMES` per line of ``lines``: the page's evidence, zeros without it."""
    out = np.zeros((len(lines), len(DOM_NAMES)), dtype=np.float32)
    evidence = page.facts.get(DOM_EVIDENCE)
    if evidence is None or not len(lines):
        return out
    index = np.fromiter((line.number - 1 for line in lines), dtype=np.int64, count=len(lines))
    inside = index < len(evidence.rows)  # (a page longer than its evidence: the rest stays zeros)
    out[inside] = evidence.rows[index[inside]]
    return out

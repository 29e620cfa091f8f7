"""Text-browser link apparatus: the trailing numbered list of link URLs and the ``[12]`` markers."""

from __future__ import annotations

from collections.abc import Iterable

from cleaner.detectors.base import Detector
from cleaner.text.labels import InlineEdit, Labels, Removal, Rule
from cleaner.text.layout import ANY_MARKER, detect_layout, marker_spans
from cleaner.text.page import Page

__all__ = ["LinkListDetector"]


class LinkListDetector(Detector):
    """Removes a text browser's numbered link list and the ``[12]`` link markers in the text.

    **What**: (LINK1) the list of numbered link URLs that ends a ``lynx -dump`` /
    ``elinks -dump`` style page ("References", "Visible links:", "Hidden links:", then
    ``  12. https://…`` lines; headings in several languages are phrase data), or a run of
    three or more numbered URL lines ending the page without a heading; (LINK2) a line made
    only of link markers (``[12]``, a link without text); (LINK3) every ``[12]`` marker
    inside a kept line, as an in-line edit: "Read [12]the report" becomes "Read the report",
    and the report records each cut so the input can still be rebuilt. Markers are only
    touched when the page uses them (:func:`cleaner.text.layout.uses_link_markers`: several,
    numbered one after the other, or a reference list).

    **Why**: the renderer adds the markers and the URL list to make links followable in a
    terminal; they are not part of any text of the page.

    **Known false positives**: an article that ends with a numbered list of bare URLs (its
    sources) loses it; on a page with link markers, a bracketed number that belongs to the
    text (a citation "[3]" typed as such) is cut as a marker.
    """

    name = "link-list"
    LIST = Rule("LINK1", "numbered list of link URLs ending the dump ('References')")
    BARE = Rule("LINK2", "line holding only link markers")
    MARKER = Rule("LINK3", "in-line link marker '[12]' (an in-line edit)")
    rules = (LIST, BARE, MARKER)

    def detect(self, page: Page, labels: Labels) -> Iterable[Removal | InlineEdit]:
        layout = detect_layout(page)
        out: list[Removal | InlineEdit] = []
        end = len(page)
        if layout.references is not None:
            first, end = layout.references[0], layout.references[0] - 1
            out.append(self.removal(self.LIST, first, layout.references[1], "link list of the text dump"))
        if not layout.link_markers:
            return out
        for line in page.lines[:end]:
            spans = marker_spans(line.text)
            if not spans:
                continue
            if not ANY_MARKER.sub("", line.text).strip():
                out.append(self.removal(self.BARE, line.number, reason="link markers only"))
                continue
            out.extend(
                InlineEdit(self.name, self.MARKER.code, line.number, start, stop, "link marker")
                for start, stop in spans
            )
        return out

"""A scope: the lines of a page a step left in play, seen as a page of their own.

The html-extractor step keeps trafilatura's main content; the detectors after it judge only
those lines. They see them as a page of their own (a *view*): neighbours, positions, the
page's signals and the over-removal guard are computed on what is left, not on the menus
around it. The driver (:func:`cleaner.pipeline.run`) builds the view and maps what the
detectors say about it back to the whole page's line numbers, here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from cleaner.text.labels import InlineEdit, Labels, Removal
from cleaner.text.language import LANGUAGE
from cleaner.text.page import Page

__all__ = ["Scope"]


@dataclass(frozen=True)
class Scope:
    """Lines ``numbers`` of ``page`` (ascending); ``view``: the page made of them (its line i+1 is ``numbers[i]``)."""

    page: Page
    numbers: tuple[int, ...]
    view: Page = field(repr=False, compare=False)
    _positions: dict[int, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_positions", {number: index for index, number in enumerate(self.numbers, start=1)})

    @classmethod
    def of(cls, page: Page, numbers: Iterable[int]) -> Scope:
        """The scope of ``numbers`` in ``page``; the view keeps the page's language when it is known (declared)."""
        kept = tuple(numbers)
        view = Page("".join(page.line(n).text + page.line(n).ending for n in kept), page.source, page.phrases)
        language = page.facts.get(LANGUAGE)
        if language is not None:
            view.facts.put(LANGUAGE, language)
        return cls(page, kept, view)

    def whole(self, number: int) -> int:
        """The whole-page number of the view's line ``number``."""
        return self.numbers[number - 1]

    def local(self, number: int) -> int | None:
        """The view's number of whole-page line ``number`` (``None``: outside the scope)."""
        return self._positions.get(number)

    def removals(self, removal: Removal) -> list[Removal]:
        """A view removal as whole-page removals: one per run of consecutive whole-page lines.

        The lines between two runs are outside the scope; the removal says nothing about them.
        """
        pieces: list[Removal] = []
        start = previous = self.whole(removal.first_line)
        for number in range(removal.first_line + 1, removal.last_line + 1):
            here = self.whole(number)
            if here != previous + 1:
                pieces.append(replace(removal, first_line=start, last_line=previous))
                start = here
            previous = here
        pieces.append(replace(removal, first_line=start, last_line=previous))
        return pieces

    def edit(self, edit: InlineEdit) -> InlineEdit:
        """A view's in-line cut on its whole-page line."""
        return replace(edit, line=self.whole(edit.line))

    def findings(self, found: Iterable[Removal | InlineEdit]) -> list[Removal | InlineEdit]:
        """The view's removals and in-line cuts in whole-page numbers (see :meth:`removals`)."""
        out: list[Removal | InlineEdit] = []
        for item in found:
            out.extend(self.removals(item) if isinstance(item, Removal) else [self.edit(item)])
        return out

    def into_view(self, labels: Labels) -> Labels:
        """The view's first labels: the whole page's ``labels`` on the scope's lines, the article in view numbers.

        The article's range is clipped to the scope (``None`` when none of its lines is in it);
        a headline outside the scope is none.
        """
        local = self._positions
        view = Labels(size=len(self.view), generic=set(labels.generic))
        view.by_line = {local[n]: removal for n, removal in labels.by_line.items() if n in local}
        view.edits = [replace(edit, line=local[edit.line]) for edit in labels.edits if edit.line in local]
        if labels.body is not None:
            inside = [local[n] for n in self.numbers if labels.body[0] <= n <= labels.body[1]]
            view.body = (inside[0], inside[-1]) if inside else None
        view.headline = None if labels.headline is None else local.get(labels.headline)
        return view

    def verdicts(self, verdict: Mapping[int, Removal]) -> dict[int, Removal]:
        """Per-line verdicts of the view, keyed by whole-page line numbers."""
        return {self.whole(number): removal for number, removal in verdict.items()}

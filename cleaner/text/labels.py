"""Labels: what detectors say about lines. Detectors label; only the renderer builds text."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["InlineEdit", "Labels", "Located", "Removal", "Rule"]


@dataclass(frozen=True)
class Rule:
    """A rule code a detector declares once, e.g. ``Rule("JOB1", "job listing block")``."""

    code: str
    summary: str


@dataclass(frozen=True)
class Removal:
    """A detector's verdict that lines ``first_line..last_line`` (1-based, inclusive) are boilerplate."""

    detector: str
    rule: str
    first_line: int
    last_line: int
    reason: str = ""


@dataclass(frozen=True)
class InlineEdit:
    """A detector's request to leave characters ``start:end`` of line ``line`` out of the output.

    Used for clutter inside a kept line (a ``[12]`` link marker); the renderer applies it only
    when the line is kept and reports it as an :class:`~cleaner.render.Edit` naming the
    detector and rule, so the input can still be rebuilt.
    """

    detector: str
    rule: str
    line: int
    start: int
    end: int
    reason: str = ""


@dataclass(frozen=True)
class Located:
    """Where a detector found the article, for the driver to record in the labels (detectors do not write them).

    ``body``: the article's first and last line (``None``: no article found), replacing what an
    earlier step located. ``headline``: the headline's line; ``None`` leaves an earlier step's.
    ``scope``: the line numbers left in play for the detectors after this one (the
    html-extractor's main content); the driver then shows them only those lines, as a page of
    their own (:class:`cleaner.text.scope.Scope`). Line numbers are those of the page the detector saw.
    """

    body: tuple[int, int] | None
    headline: int | None = None
    scope: tuple[int, ...] | None = None


@dataclass
class Labels:
    """Per-line verdicts collected while the pipeline runs.

    ``body`` is the article's line range as found by the main-body locator (``None`` until it
    runs); later detectors use it to know what lies before, inside or after the article.
    Labels from a *generic* detector (the main-body locator) give way to a later, more
    specific detector's label on the same line, so the report names the most precise reason.
    ``edits`` are the in-line cuts detectors asked for (applied to kept lines only).
    """

    size: int
    by_line: dict[int, Removal] = field(default_factory=dict)
    generic: set[str] = field(default_factory=set)
    body: tuple[int, int] | None = None
    headline: int | None = None
    notes: list[str] = field(default_factory=list)
    edits: list[InlineEdit] = field(default_factory=list)

    def is_removed(self, number: int) -> bool:
        return number in self.by_line

    def add(self, removal: Removal | InlineEdit) -> None:
        """Record a detector's verdict: a line range to remove, or an in-line cut."""
        if isinstance(removal, InlineEdit):
            self.edits.append(removal)
            return
        by_line = self.by_line
        for number in range(removal.first_line, removal.last_line + 1):
            current = by_line.get(number)
            # (Most lines have no label yet: the precedence is asked only where one stands.)
            if current is None or self.takes_over(current):
                by_line[number] = removal

    def takes_over(self, current: Removal | None) -> bool:
        """True when a new removal replaces ``current`` on its line: no label yet, or a generic one.

        The precedence :meth:`add` applies, and ``clean --explain`` reports (a specific label stays).
        """
        return current is None or current.detector in self.generic

    def locate(self, found: Located) -> None:
        """Record where a detector found the article (see :class:`Located`)."""
        self.body = found.body
        if found.headline is not None:
            self.headline = found.headline


"""What is learnt about one page once and read many times: its typed facts.

A fact (the layout, the line signals, the language guess, the phrase masks...) is declared as a
typed key, :class:`Fact`, in the module that computes it, beside the function that fills it on
first use (``detect_layout``, ``page_signals``, ``page_language``...). The page carries the values
in its :class:`PageFacts`. Keys, not one dataclass field per fact: a dataclass on the page naming
``DumpLayout``, ``LineSignals`` or the headline zone would import the modules that import the page
(an import cycle inside ``cleaner.text``, which tests/test_layers.py forbids); a typed key keeps
each fact's type with its owner and still gives ``facts.get(LAYOUT)`` its type, with no string to
misspell.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar, cast

__all__ = ["Fact", "PageFacts"]

T = TypeVar("T")


class Fact(Generic[T]):
    """A typed key for one per-page fact. Compared by identity: each fact is declared once, by its owner.

    ``per_line``: the value holds something per line of the page (signals, unit lines): dropped by
    :meth:`PageFacts.release_line_facts` before rendering, where big pages reach their peak memory.
    """

    __slots__ = ("name", "per_line")

    def __init__(self, name: str, *, per_line: bool = False) -> None:
        self.name = name
        self.per_line = per_line

    def __repr__(self) -> str:
        return f"Fact({self.name!r})"


class PageFacts:
    """The facts known about one page so far: each computed on first use by its owner and kept."""

    __slots__ = ("_values",)

    def __init__(self) -> None:
        self._values: dict[Fact[object], object] = {}

    def __contains__(self, fact: Fact[T]) -> bool:
        return fact in self._values

    def get(self, fact: Fact[T]) -> T | None:
        """The fact's value, or ``None`` when it was not computed (or was released) yet."""
        return cast("T | None", self._values.get(fact))  # type: ignore[call-overload]

    def put(self, fact: Fact[T], value: T) -> T:
        """Keep ``value`` as the fact (made again, identical, replaces it) and return it."""
        self._values[fact] = value  # type: ignore[index]
        return value

    def memo(self, fact: Fact[T], make: Callable[[], T]) -> T:
        """The fact, made by ``make()`` the first time it is asked for (a value of ``None`` is kept too)."""
        values = self._values
        if fact in values:
            return cast(T, values[fact])  # type: ignore[index]
        value = values[fact] = make()  # type: ignore[index]
        return value

    def release_line_facts(self) -> None:
        """Drop the per-line facts (recomputed, identical, if asked for again).

        Rendering builds the output while the page is still alive: on a 20 MB page of distinct
        lines the line signals and unit lines held over 100 MB at that moment, the run's peak memory.
        """
        for fact in [fact for fact in self._values if fact.per_line]:
            del self._values[fact]

    def __repr__(self) -> str:
        return f"PageFacts({sorted(fact.name for fact in self._values)})"

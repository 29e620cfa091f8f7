"""The detector interface: read the page and the labels so far, return new labels."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from typing import ClassVar

from cleaner.page import Line, Page
from cleaner.removal import Labels, Removal, Rule


class Detector:
    """Base class: subclasses set ``name`` and ``rules`` and override :meth:`detect`.

    ``generic`` detectors (the main-body locator) give way when a specific detector later
    labels the same line, so the report names the most precise reason.
    """

    name: ClassVar[str] = ""
    rules: ClassVar[tuple[Rule, ...]] = ()
    generic: ClassVar[bool] = False

    def detect(self, page: Page, labels: Labels) -> Iterable[Removal]:
        raise NotImplementedError

    def removal(self, rule: Rule, first: int, last: int | None = None, reason: str = "") -> Removal:
        """A label of this detector with one of its declared rules."""
        assert rule in self.rules, f"{self.name}: undeclared rule {rule.code}"
        return Removal(self.name, rule.code, first, first if last is None else last, reason)


@lru_cache(maxsize=None)
def load_phrases(name: str) -> tuple[str, ...]:
    """Lower-cased phrases from ``detectors/phrases/<name>.*.txt`` (every language file).

    One phrase a line; ``#`` starts a comment. Kept as data beside the detector that uses it.
    """
    folder = resources.files("cleaner.detectors") / "phrases"
    phrases: list[str] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith(name + ".") and entry.name.endswith(".txt"):
            for raw in entry.read_text(encoding="utf-8").splitlines():
                phrase = raw.split("#", 1)[0].strip().lower()
                if phrase:
                    phrases.append(phrase)
    return tuple(phrases)


def nonblank_after(page: Page, number: int, limit: int = 1) -> Iterator[Line]:
    """Up to ``limit`` non-blank lines after line ``number``."""
    found = 0
    for line in page.lines[number:]:
        if not line.is_blank:
            yield line
            found += 1
            if found >= limit:
                return

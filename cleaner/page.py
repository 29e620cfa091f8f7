"""A page is the decoded text of one input, split into numbered lines.

Lines keep their exact endings so that the report can rebuild the input byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
# Line boundaries of str.splitlines other than \n, \r and \r\n (which alone end a page's lines).
_OTHER_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Leading list markers that text renderers put before list items: "* Home", "• News", the deeper
# levels of inscriptis ("+ ") and lynx ("+ ", "# ", "@ "), numbered items ("12. ").
BULLET = re.compile(r"^(?:[*•·▪◦‣∙+#@–-]|\d{1,4}[.)])\s+")
# A numbered link marker glued to the link's text, as lynx/elinks dumps print it: "[12]Home".
LINK_MARKER = re.compile(r"\[(\d{1,5})\](?=\S)")


T = TypeVar("T")


def split_lines(text: str) -> list[str]:
    """``text`` cut into its lines, each with its ending (``\\n``, ``\\r\\n`` or ``\\r``): what :class:`Page` numbers.

    ``"".join(split_lines(text)) == text``. Cheaper than a :class:`Page` when only the lines'
    lengths or texts are needed (offsets, rebuilding the input).
    """
    # str.splitlines is ten times faster than the regex but also splits at form feeds, vertical
    # tabs and Unicode separators; it is used only when the text has none of those.
    if _OTHER_BREAKS.search(text) is None:
        return text.splitlines(keepends=True)
    return [match.group() for match in _LINE.finditer(text)]


class once(Generic[T]):  # lower case: used as a decorator, like functools.cached_property
    """``functools.cached_property`` without its lock (Python 3.11 takes one on every first access).

    Line properties are read tens of thousands of times per page; computing one twice from two
    threads would only give the same value twice.
    """

    def __init__(self, func: Callable[..., T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type | None = None) -> T:
        if instance is None:
            return self  # type: ignore[return-value]
        value = instance.__dict__[self.name] = self.func(instance)
        return value


@dataclass(frozen=True)
class Line:
    """One input line: 1-based number, text without its ending, and the ending itself."""

    number: int
    text: str
    ending: str

    @once
    def stripped(self) -> str:
        return self.text.strip()

    @once
    def is_blank(self) -> bool:
        """Empty, or only whitespace and invisible characters (zero-width spaces, BOMs)."""
        return not self.stripped.strip(INVISIBLE)

    @once
    def bulleted(self) -> bool:
        """True when a renderer marked the line as a list item (``* Home``)."""
        return bool(BULLET.match(self.stripped))

    @once
    def content(self) -> str:
        """The stripped text without a leading list marker or link markers: what detectors judge.

        ``"* [12]Home"`` reads ``"Home"``. (Only judging uses it; the output keeps the text
        unless a detector asks for an in-line edit.)
        """
        text = LINK_MARKER.sub("", self.stripped) if "[" in self.stripped else self.stripped
        return BULLET.sub("", text, count=1).strip()

    @once
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip())


@dataclass
class Page:
    """The decoded input: its source name, full text and numbered lines."""

    text: str
    source: str = "-"
    lines: list[Line] = field(init=False)
    # Per-page values computed once by shared signal functions (language, line signals).
    cache: dict = field(init=False, default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        lines = []
        new = object.__new__
        for number, chunk in enumerate(split_lines(self.text), start=1):
            text = chunk.rstrip("\r\n")
            # Line(number, text, ending) without the frozen dataclass's __init__ (three times slower).
            line = new(Line)
            line.__dict__.update(number=number, text=text, ending=chunk[len(text):])
            lines.append(line)
        self.lines = lines

    def __len__(self) -> int:
        return len(self.lines)

    def line(self, number: int) -> Line:
        """The line with 1-based ``number``."""
        return self.lines[number - 1]

    def nonblank(self) -> list[Line]:
        return [line for line in self.lines if not line.is_blank]

    def blocks(self) -> list[list[Line]]:
        """Runs of non-blank lines separated by blank lines.

        A page with no blank line at all (a WET-like dump: one line per block) has one block
        per line, not one block for the whole page.
        """
        if len(self.lines) > 1 and not any(line.is_blank for line in self.lines):
            return [[line] for line in self.lines]
        blocks: list[list[Line]] = []
        current: list[Line] = []
        for line in self.lines:
            if line.is_blank:
                if current:
                    blocks.append(current)
                    current = []
            else:
                current.append(line)
        if current:
            blocks.append(current)
        return blocks

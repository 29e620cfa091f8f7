"""A page is the decoded text of one input, split into numbered lines.

Lines keep their exact endings so that the report can rebuild the input byte for byte. The page
also carries the phrase book it is judged with and the facts learnt about it (layout, signals,
language...), so that state travels with the page instead of living in globals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cleaner.text.facts import PageFacts
from cleaner.text.phrases import BUILT_IN, PhraseBook

__all__ = ["BULLET", "FRAME", "INVISIBLE", "LINK_MARKER", "Line", "Page", "split_lines"]

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
# Line boundaries of str.splitlines other than \n, \r and \r\n (which alone end a page's lines).
_OTHER_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Leading list markers that text renderers put before list items: "* Home", "• News", the deeper
# levels of inscriptis ("+ ") and lynx ("+ ", "# ", "@ "), numbered items ("12. ").
BULLET = re.compile(r"^(?:[*•·▪◦‣∙+#@–-]|\d{1,4}[.)])\s+")
# A numbered link marker glued to the link's text, as lynx/elinks dumps print it: "[12]Home".
LINK_MARKER = re.compile(r"\[(\d{1,5})\](?=\S)")


# The vertical borders text browsers draw around table cells (w3m, links: "│ text │"): layout, not text.
FRAME = "│┃║"
# First characters BULLET can match: lines starting with anything else are not bulleted (most lines).
_BULLET_START = frozenset("*•·▪◦‣∙+#@–-")


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


def _lines_and_endings(text: str) -> tuple[list[str], list[str]]:
    """The page's line texts (without endings) and their endings, without a copy of each line with its ending."""
    if "\r" not in text:  # the usual case: only "\n" ends lines (other breaks never do)
        texts = text.split("\n")
        if texts[-1]:
            endings = ["\n"] * (len(texts) - 1) + [""]
        else:  # a final newline adds no line
            texts.pop()
            endings = ["\n"] * len(texts)
        return texts, endings
    chunks = split_lines(text)
    texts = [chunk.rstrip("\r\n") for chunk in chunks]
    return texts, [chunk[len(body):] for chunk, body in zip(chunks, texts, strict=True)]


class Line:
    """One input line: 1-based number, text without its ending, and the ending itself.

    Immutable by convention (like the frozen dataclass it replaces: equal and hashed by
    ``(number, text, ending)``). The derived fields every detector reads (``is_blank``,
    ``bulleted``, ``content``) are computed once when the line is made and kept in slots: a
    20 MB page has over half a million lines, and a per-line ``__dict__`` with lazily cached
    properties cost about 400 bytes a line (the slots take under 100).
    """

    __slots__ = ("number", "text", "ending", "is_blank", "bulleted", "content")

    number: int
    text: str
    ending: str
    is_blank: bool  # empty, or only whitespace and invisible characters (zero-width spaces, BOMs)
    bulleted: bool  # a renderer marked the line as a list item ("* Home")
    # The stripped text without a leading list marker or link markers: what detectors judge.
    # "* [12]Home" reads "Home". (Only judging uses it; the output keeps the text unless a
    # detector asks for an in-line edit.)
    content: str

    def __init__(self, number: int, text: str, ending: str) -> None:
        self.number = number
        self.text = text
        self.ending = ending
        stripped = text.strip()
        if stripped and (stripped[0] in FRAME or stripped[-1] in FRAME):
            stripped = stripped.strip(FRAME).strip()  # a table cell's line: judged by what is in the frame
        if not stripped:
            self.is_blank = True
            self.bulleted = False
            self.content = stripped
            return
        self.is_blank = not stripped.strip(INVISIBLE)
        head = stripped[0]
        if "[" not in stripped and head not in _BULLET_START and not head.isdecimal():
            # No link marker and no list marker can match (BULLET starts with a mark or a digit).
            self.bulleted = False
            self.content = stripped
            return
        self.bulleted = BULLET.match(stripped) is not None
        marked = LINK_MARKER.sub("", stripped) if "[" in stripped else stripped
        self.content = BULLET.sub("", marked, count=1).strip()

    @property
    def stripped(self) -> str:
        """The text without surrounding white space.

        Not kept: on an indented dump (lynx, inscriptis) it is a copy of almost every line, and
        only layout detection reads it; :attr:`content` is what detectors judge.
        """
        return self.text.strip()

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip())

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.number, self.text, self.ending) == (other.number, other.text, other.ending)  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((self.number, self.text, self.ending))

    def __repr__(self) -> str:
        return f"Line(number={self.number!r}, text={self.text!r}, ending={self.ending!r})"


@dataclass
class Page:
    """The decoded input: its source name, full text and numbered lines.

    ``phrases``: the phrase book its lines are judged with (the data files plus the run's user
    phrases; default: the data files alone). ``facts``: what shared functions learnt about the
    page, each computed once on first use (see :mod:`cleaner.text.facts`).
    """

    text: str
    source: str = "-"
    phrases: PhraseBook = field(default=BUILT_IN, repr=False, compare=False)
    lines: list[Line] = field(init=False)
    facts: PageFacts = field(init=False, default_factory=PageFacts, repr=False, compare=False)

    def __post_init__(self) -> None:
        texts, endings = _lines_and_endings(self.text)
        self.lines = list(map(Line, range(1, len(texts) + 1), texts, endings))

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

"""Title, author and date as the page shows them, read from the dump around the article start."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date

from cleaner.page import Page

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
DATE_PATTERNS = [
    re.compile(rf"\b{_YEAR}-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),
    re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I),
]
_NAME = r"[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|van|von|der|da|di|le|la)){1,3}"
BYLINE = re.compile(rf"^(?:by|written by|words by|author:?|posted by|reporting by)\s*:?\s+(?P<name>{_NAME})", re.I)
_ANY_DATE = re.sub(r"\(\?P<\w+>", "(?:", rf"(?:{_DAY}\s+{_MONTH}|{_MONTH}\s+{_DAY}|{_YEAR}-)")
NAME_THEN_DATE = re.compile(rf"^(?P<name>{_NAME}?)\s*[,|•·–-]?\s+(?=(?i:{_ANY_DATE}))")
NAME_ONLY = re.compile(rf"^{_NAME}$")


@dataclass
class Metadata:
    """What the page says about itself; ``None`` where it does not say."""

    title: str | None = None
    author: str | None = None
    date: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)


def find_date(text: str) -> str | None:
    """The first date written in ``text`` as ISO 8601 (``2015-03-03``), if any."""
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            month = int(parts["mnum"]) if parts.get("mnum") else MONTHS[parts["month"].lower().rstrip(".")]
            try:
                return date(int(parts["year"]), month, int(parts["day"])).isoformat()
            except ValueError:
                continue
    return None


def find_author(lines: list[str]) -> str | None:
    """A byline: "By Jane Doe", "Jane Doe 03 March 2015", or a name on the line after "By"."""
    for index, text in enumerate(lines):
        match = BYLINE.match(text) or NAME_THEN_DATE.match(text)
        if match:
            return match.group("name").strip()
        if text.lower() in {"by", "by:"} and index + 1 < len(lines) and NAME_ONLY.match(lines[index + 1]):
            return lines[index + 1]
    return None


def _similar(a: str, b: str) -> float:
    wa, wb = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


def find_title(page: Page, body_start: int) -> str | None:
    """The headline: the headline-like line nearest above the article, best matching line 1.

    Dumps of whole pages often begin with the HTML ``<title>`` ("Headline - Site"); the
    headline repeated just above the article is the cleaner copy of it.
    """
    first = next((line.stripped for line in page.lines if not line.is_blank), "")
    candidates = []
    for line in page.lines[max(0, body_start - 16): body_start - 1]:
        text = line.content
        words = len(text.split())
        if 3 <= words <= 30 and not find_date(text) and not BYLINE.match(text) and not text.endswith((".", ":")):
            candidates.append(line)
    if not candidates:
        return first if 3 <= len(first.split()) <= 30 else None
    best = max(candidates, key=lambda line: (_similar(line.content, first), line.number))
    return best.content


def extract_metadata(page: Page, body_start: int | None) -> Metadata:
    """Metadata from the lines around the start of the article (``body_start``, 1-based)."""
    start = body_start or 1
    window = [line.content for line in page.lines[max(0, start - 20): start + 3] if not line.is_blank]
    head = [line.content for line in page.lines[: start + 3] if not line.is_blank]
    return Metadata(
        title=find_title(page, start),
        author=find_author(window),
        date=next((d for d in map(find_date, window) if d), None) or next((d for d in map(find_date, head) if d), None),
    )

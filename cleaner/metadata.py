"""Title, author and date as the page shows them, read from the dump around the article start."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date

from cleaner.page import Line, Page
from cleaner.removal import Labels

CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
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
    re.compile(rf"\b{_YEAR}-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),
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


def _site_suffix_stripped(title: str) -> str:
    """"Headline - Site" / "Headline | Site" -> "Headline" (the HTML title's usual shape)."""
    parts = re.split(r"\s+[|–—-]\s+", title)
    return max(parts, key=len) if len(parts) > 1 else title


def _headline_like(text: str) -> bool:
    words = len(text.split())
    size_ok = 2 <= words <= 30 or (CJK_CHAR.search(text) is not None and 4 <= len(text) <= 120)
    return size_ok and not find_date(text) and not BYLINE.match(text) and not text.endswith((".", ":", ","))


def find_headline(page: Page, body_start: int, skip: frozenset[int] = frozenset(), window: int = 8) -> Line | None:
    """The article's headline: a headline-like line among the few just above the article.

    Whole-page dumps often begin with the HTML ``<title>`` ("Headline - Site"); a line above
    the article that repeats it is the headline. Without such a match the nearest
    headline-like line wins. Lines in ``skip`` (already labelled boilerplate) are ignored.
    """
    first = next((line for line in page.lines if not line.is_blank), None)
    above = [line for line in page.lines[: max(0, body_start - 1)] if not line.is_blank][-window:]
    candidates = [line for line in above if line.number not in skip and _headline_like(line.content)]
    if not candidates:
        return None

    def score(line: Line) -> float:
        similarity = 0.0
        if first is not None and line.number != first.number:
            similarity = _similar(line.content, _site_suffix_stripped(first.content))
        return 2 * similarity + line.number / max(body_start, 1)

    best = max(candidates, key=score)
    # A candidate far from the article must be confirmed by the page title.
    if best is not candidates[-1] and score(best) - best.number / max(body_start, 1) < 1.0:
        return candidates[-1]
    return best


def find_title(page: Page, body_start: int, skip: frozenset[int] = frozenset()) -> str | None:
    """The page's title: its headline, else the first line without a " - Site" suffix."""
    headline = find_headline(page, body_start, skip)
    if headline is not None:
        return headline.content
    first = next((line.content for line in page.lines if not line.is_blank), "")
    return _site_suffix_stripped(first) if _headline_like(first) else None


def extract_metadata(page: Page, labels: Labels) -> Metadata:
    """Metadata from the lines around the start of the article found by the pipeline."""
    start = labels.body[0] if labels.body else 1
    window = [line.content for line in page.lines[max(0, start - 20): start + 3] if not line.is_blank]
    head = [line.content for line in page.lines[: start + 3] if not line.is_blank]
    if labels.headline is not None:
        title = page.line(labels.headline).content
    else:
        specific = frozenset(n for n, r in labels.by_line.items() if r.detector not in labels.generic)
        title = find_title(page, start, specific)
    return Metadata(
        title=title,
        author=find_author(window),
        date=next((d for d in map(find_date, window) if d), None) or next((d for d in map(find_date, head) if d), None),
    )

"""Title, author, date and language of a page, read from the dump around the article start.

A whole-page dump shows the article's metadata as plain lines near its start: the HTML
``<title>`` as the first line ("Headline | Site"), the headline just above the article, a
byline ("By Jane Doe", "Von Anna Schmidt", "記者 王小明") and a date line ("Published: Tue 3
Mar 2015"). The finders here read those lines. The words they need (month and weekday names,
byline cues, job titles, "published"/"updated" labels) are data, one file per language:
``cleaner/detectors/phrases/metadata.<lang>.txt``; a small table is enough and keeps the
finders fast (``dateparser`` takes ~0.2 s to import and 5-45 ms per call).

Choices worth knowing:

* Dates are ISO 8601 (``2015-03-03``); a date without a day ("March 2015") or relative to the
  visit ("5 hours ago") gives no date.
* "03/04/2015" is ambiguous. A reading forced by a number over 12 ("13/04/2015") wins; else
  the page's own convention decides (its other slash dates with a number over 12); else
  month-first on English pages (the US convention of most English-language news) and
  day-first everywhere else. Dotted dates ("03.04.2015") are always day-first.
* The date next to the byline or headline wins over dates elsewhere; a "published" date wins
  over an "updated" one; dates inside article prose are not read.
* Several authors are joined with ``"; "``; names written in capitals are title-cased.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache

from cleaner.text.labels import Labels
from cleaner.text.language import CJK, page_language
from cleaner.text.page import Line, Page
from cleaner.text.phrases import load_section, normalize

__all__ = [
    "BYLINE",
    "DateHit",
    "Metadata",
    "byline_at",
    "extract_metadata",
    "find_author",
    "find_date",
    "find_dates",
    "find_headline",
    "find_title",
    "month_names",
    "read_names",
    "slash_convention",
]

PHRASES = "metadata"  # cleaner/detectors/phrases/metadata.<lang>.txt
AUTHOR_JOIN = "; "
MAX_BYLINE_WORDS = 20  # a longer line is prose, not a byline
CUED_REACH = 20  # lines above the headline searched for a "By ..." byline (galleries and captions sit between)
# Lower-case words inside names ("Ludwig van Beethoven", "Gabriel García de la Torre").
PARTICLES = frozenset(["de", "da", "das", "do", "dos", "del", "della", "der", "den", "di", "du", "la", "le", "van",
                       "von", "ten", "ter", "zu", "bin", "al", "el"])
_SEPARATORS = frozenset("|•·–—-")
_TOKEN = re.compile(r"[,;|•·/]|[^\s,;|•·/]+")
_TIME = re.compile(r"\b\d{1,2}[:.]\d\d\b|\b\d{1,2}\s?(?:am|pm|a\.m\.|p\.m\.)", re.I)
_READ_TIME = re.compile(r"\b\d+\s*(?:min|mins|minutes?|minutos?|minuten)\b", re.I)
_TWO_SENTENCES = re.compile(r"[^\W\d_]{3}[.!?…]+[\"'”’]?\s+\S")
_COLUMNS = re.compile(r"\S {2,}\S.* {2,}\S")
_SITE_SEPARATOR = re.compile(r"\s+(?:[|–—»·]|-{1,2}|::)\s+|\s*｜\s*|(?<=\S)_(?=\S)")


@dataclass
class Metadata:
    """What the page says about itself; ``None`` where it does not say.

    ``language`` is the page's guessed language (ISO 639-1), see :mod:`cleaner.text.language`.
    ``site_name`` and ``url`` (the canonical address) come from an HTML page's markup; a
    text dump does not show them, and :meth:`to_dict` leaves them out while they are ``None``.
    """

    title: str | None = None
    author: str | None = None
    date: str | None = None
    language: str | None = None
    site_name: str | None = None
    url: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        fields = asdict(self)
        for optional in ("site_name", "url"):
            if fields[optional] is None:
                del fields[optional]
        return fields


# ---------------------------------------------------------------------------
# Vocabulary (data files)
# ---------------------------------------------------------------------------


@cache
def month_names() -> dict[str, int]:
    """Month name or abbreviation (lower case, any language with a data file) -> month number."""
    table: dict[str, int] = {}
    for entry in load_section(PHRASES, "months"):
        number, *names = entry.split()
        table.update(dict.fromkeys(names, int(number)))
    return table


@cache
def _words(section: str) -> frozenset[str]:
    """Every word of every phrase of one section of the metadata data files."""
    return frozenset(word for phrase in load_section(PHRASES, section) for word in phrase.split())


def _cjk(text: str) -> bool:
    return CJK.search(text) is not None


@cache
def _cue_pattern(section: str) -> re.Pattern[str]:
    """The (non-CJK) cues of ``section`` as one case-insensitive alternation, longest first."""
    cues = sorted((c for c in load_section(PHRASES, section) if not _cjk(c)), key=len, reverse=True)
    return re.compile(r"(?i:" + "|".join(r"\s+".join(map(re.escape, c.split())) for c in cues) + r")")


@cache
def _label_pattern(section: str) -> re.Pattern[str]:
    """"Published", "Updated on" ...: the label of a date written after it."""
    return re.compile(r"\b(?:" + _cue_pattern(section).pattern + r")\b", re.I)


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
_DAY = r"(?P<day>[0-3]?\d)"
_YEARISH = re.compile(r"(?:19|20)\d\d")
_SEPARATED_YEAR = re.compile(r"[/.-](?:19|20)\d\d")  # how a numeric date ends ("03/04/2015")


def _by_first_letter(words: list[str]) -> str:
    """``"|".join(map(re.escape, words))`` with the words grouped under their first letter: "j(?:anuary|une)|...".

    The same matches: words of different first letters never match at the same place, and
    the words of one letter keep their order. Faster under IGNORECASE, where the engine tries
    every alternative of a flat list at each position (the 142 month names made the
    month-first date pattern cost several microseconds a line).
    """
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[:1], []).append(word[1:])
    return "|".join(
        re.escape(first) + ("(?:" + "|".join(map(re.escape, rests)) + ")" if rests != [""] else "")
        for first, rests in groups.items()
    )


@cache
def _date_patterns() -> tuple[re.Pattern[str], ...]:
    names = sorted(month_names(), key=len, reverse=True)
    month = r"(?P<month>" + _by_first_letter(names) + r")\b\.?"
    return (
        # year first: ISO 8601, 2015/03/03, 2015. 3. 3.
        re.compile(r"(?<![\d.])" + _YEAR + r"(?P<sep>[-/.])\s?(?P<mnum>[01]?\d)(?P=sep)\s?" + _DAY + r"(?!\d)"),
        # CJK: 2015年3月3日, 2015년 3월 3일
        re.compile(r"(?P<year>(?:19|20)\d\d)\s*[年년]\s*(?P<mnum>[01]?\d)\s*[月월]\s*" + _DAY + r"(?!\d)"),
        # day first: 3 March 2015, 3rd March, 2015, 3. März 2015, 1er mars 2015, 3 de marzo de 2015
        re.compile(rf"(?<!\w){_DAY}(?:st|nd|rd|th|er|º|°)?\.?\s*(?:de\s+)?{month},?\s+(?:de\s+|del\s+)?{_YEAR}", re.I),
        # month first: March 3, 2015, Nov. 19 2019
        re.compile(rf"(?<!\w){month}\s*{_DAY}(?:st|nd|rd|th)?,?\s+{_YEAR}", re.I),
        # numbers only: 03/03/2015, 3.3.2015, 03-03-2015 (order resolved in _numeric_order)
        re.compile(r"(?<![\d./-])(?P<a>[0-3]?\d)(?P<sep>[/.-])(?P<b>[0-3]?\d)(?P=sep)" + _YEAR),
    )


@dataclass(frozen=True)
class DateHit:
    """A date written in a line: where it starts and its ISO form."""

    start: int
    iso: str


def _numeric_order(a: int, b: int, sep: str, month_first: bool) -> tuple[int, int]:
    """(month, day) of the numeric date a/b/yyyy: a number over 12 decides, dots mean day first."""
    if sep == "." or a > 12:
        return b, a
    if b > 12:
        return a, b
    return (a, b) if month_first else (b, a)


def _hit_date(parts: dict[str, str | None], month_first: bool) -> date | None:
    if parts.get("a"):
        month, day = _numeric_order(int(parts["a"] or 0), int(parts["b"] or 0), parts["sep"] or "/", month_first)
    else:
        month = int(parts["mnum"]) if parts.get("mnum") else month_names()[(parts["month"] or "").lower().rstrip(".")]
        day = int(parts["day"] or 0)
    try:
        return date(int(parts["year"] or 0), month, day)
    except ValueError:
        return None


def find_dates(text: str, month_first: bool = False) -> list[DateHit]:
    """Every date written in ``text``, in reading order (see the module notes for "03/04/2015")."""
    hits: list[DateHit] = []
    if not _YEARISH.search(text):  # every date form has a four-digit year: most lines end here, fast
        return hits
    for pattern in _date_patterns():
        for match in pattern.finditer(text):
            found = _hit_date(match.groupdict(), month_first)
            if found is not None and not any(h.start <= match.start() < h.start + 10 for h in hits):
                hits.append(DateHit(match.start(), found.isoformat()))
    return sorted(hits, key=lambda hit: hit.start)


def find_date(text: str, month_first: bool = False) -> str | None:
    """The first date written in ``text`` as ISO 8601 (``2015-03-03``), if any."""
    hits = find_dates(text, month_first)
    return hits[0].iso if hits else None


def slash_convention(texts: Iterable[str]) -> bool | None:
    """True if the page writes numeric dates month first, False if day first, None if it never shows.

    ``texts`` are lines, or whole texts of many lines.
    """
    votes = 0
    numeric = _date_patterns()[-1]
    for text in texts:
        # A numeric date ends with its separator and a four-digit year, and never spans a line
        # break: only the lines (of a text of many) holding those are searched, most never are.
        done = 0
        for year in _SEPARATED_YEAR.finditer(text):
            if year.start() < done:
                continue
            begin = text.rfind("\n", 0, year.start()) + 1
            done = text.find("\n", year.end())
            if done < 0:
                done = len(text)
            for match in numeric.finditer(text, begin, done):
                if match.group("sep") == ".":
                    continue
                a, b = int(match.group("a")), int(match.group("b"))
                votes += (b > 12 >= a) - (a > 12 >= b)
    return None if votes == 0 else votes > 0


def _label_rank(text: str, start: int) -> int:
    """0 for a date labelled "published", 2 for "updated", 1 otherwise (the nearest label before it counts)."""
    before = text[max(0, start - 40) : start]
    ends = {rank: max((m.end() for m in _label_pattern(section).finditer(before)), default=-1)
            for rank, section in ((0, "published"), (2, "updated"))}
    if max(ends.values()) < 0:
        return 1
    return max(ends, key=lambda rank: ends[rank])


# ---------------------------------------------------------------------------
# Authors
# ---------------------------------------------------------------------------


def _name_word(token: str) -> bool:
    """A capitalised word that can be part of a person's name ("Jane", "O'Brien", "E.", "DOE")."""
    if not token[:1].isupper() or len(token) > 25 or not all(c.isalpha() or c in "'’.-" for c in token):
        return False
    # "NEWSdesk", "iPhone": inner capitals beyond "McDonald"/"DeSantis" are brands, not names.
    return token.isupper() or sum(c.isupper() for c in token) <= 2


def _all_caps(token: str) -> bool:
    return token.isupper() and len(token.strip(".")) > 1 and "." not in token.strip(".")


@cache
def _stop_words() -> frozenset[str]:
    """Capitalised words that end a name: job titles, byline cues, date labels."""
    sections = ("roles", "byline", "byline-label", "published", "updated")
    return frozenset(word for section in sections for word in _words(section))


def _dateish(low: str, following: str, first_words: frozenset[str]) -> bool:
    """A weekday, or a month name followed by a number ("Newswire November 18"): a date, not a name."""
    low = low.rstrip(".")
    return low in _words("weekdays") or (low in first_words and following[:1].isdigit())


def _one_name(tokens: list[str], first_words: frozenset[str]) -> tuple[str | None, int]:
    """One person's name at the start of ``tokens``: (name, tokens used), or (None, 0)."""
    words: list[str] = []
    caps: bool | None = None
    for index, token in enumerate(tokens):
        low = token.lower()
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if words and low in PARTICLES and _name_word(following):
            words.append(token)
            continue
        if not _name_word(token) or low in _stop_words() or _dateish(low, following, first_words):
            break
        if low in _words("and") and token.isupper():  # "JANE DOE AND JOHN ROE" ("Dan" is a name, "dan" is "and")
            break
        is_initial = len(token.strip(".")) == 1 or ("." in token.strip(".") and len(token) <= 5)
        if not is_initial:
            # A name is written in one style: "Jane Doe CNN" ends before the capitals.
            if caps is not None and _all_caps(token) != caps:
                break
            caps = _all_caps(token)
        words.append(token)
        if sum(1 for w in words if w.lower() not in PARTICLES) == 4:
            break
    while words and words[-1].lower() in PARTICLES:
        words.pop()
    if not words:
        return None, 0
    shown = [w.title() if _all_caps(w) else w for w in words]
    return " ".join(shown), len(words)


def read_names(tokens: list[str], min_words: int = 1, commas: bool = True) -> tuple[list[str], list[str]]:
    """The names at the start of ``tokens`` ("Jane Doe and John Roe", "JANE DOE, JOHN ROE"), and what follows.

    ``commas=False`` joins names only with "and" ("Port Elston, City Bureau" is a place and a desk).
    """
    first_words = _words("months")
    names: list[str] = []
    index = 0
    while index < len(tokens):
        name, used = _one_name(tokens[index:], first_words)
        if name is None or len(name.split()) < (min_words if not names else 2):
            break
        names.append(name)
        index += used
        joiner = tokens[index].lower() if index < len(tokens) else ""
        if joiner not in _words("and") | {"&"} | ({","} if commas else set()):
            break
        following, _ = _one_name(tokens[index + 1 :], first_words)
        if following is None or len(following.split()) < 2:
            break
        index += 1
    return names, tokens[index:] if names else tokens


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _join(tokens: list[str]) -> str:
    """Tokens back into text ("Nov 19, 2019", not "Nov 19 , 2019", so dates still read)."""
    return " ".join(tokens).replace(" ,", ",").replace(" ;", ";")


def _has_role(text: str) -> bool:
    norm = f" {normalize(text)} "
    return any(f" {role} " in norm for role in load_section(PHRASES, "roles"))


def _metadata_text(text: str) -> bool:
    """A date, a time or a reading time: what follows a name on a byline line."""
    return find_date(text) is not None or bool(_TIME.search(text) or _READ_TIME.search(text))


def _tail_ok(tail: list[str]) -> bool:
    """What follows the name on a cued byline: nothing, a date, a job title or an organisation, not a sentence."""
    rest = _join(tail).strip(" ,;:|•·/–—-")
    if not rest or _metadata_text(rest) or _has_role(rest):
        return True
    words = rest.split()
    alpha = [w for w in words if w[:1].isalpha()]
    if len(words) > 8 or rest.endswith((".", "!", "?")) or not alpha:
        return False
    return sum(1 for w in alpha if w[:1].isupper()) / len(alpha) >= 0.5


def _role_line(text: str) -> bool:
    return bool(text) and len(text.split()) <= 6 and _has_role(text)


def _date_line(text: str) -> bool:
    return bool(text) and len(text.split()) <= 12 and find_date(text) is not None


@cache
def _cjk_byline() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(cue then name: "文／王小明", "記者 王小明"; name then cue: "王小明 報導", "홍길동 기자")."""
    cues = [c for c in load_section(PHRASES, "byline") if _cjk(c)]
    long_cues = "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True) if len(c) > 1)
    short_cues = "|".join(re.escape(c) for c in cues if len(c) == 1)  # "文" alone needs a separator
    name = r"(?P<name>[\u3400-\u4dbf\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af]{2,5}?)"
    suffixes = "|".join(re.escape(c) for c in load_section(PHRASES, "byline-suffix"))
    end = rf"(?=$|[\s／/｜|、・）)】\]]|{suffixes})"  # not "，": "記者會上，" is prose
    cue = rf"(?:(?:{long_cues})\s*[:：／/・=]?|(?:{short_cues})\s*[:：／/・=])" if short_cues else rf"(?:{long_cues})"
    # The cue opens the line or follows a space or bracket ("記者會上" inside prose is not a byline).
    before = re.compile(rf"(?:^|[\s\[【(（]){cue}\s*{name}{end}")
    hangul_or_han = r"(?P<name>[\uac00-\ud7af]{2,4}|[\u4e00-\u9fff]{2,4})"
    after = re.compile(rf"(?:^|[\s\[【(（]){hangul_or_han}\s?(?:{suffixes})(?!\w)")
    return before, after


@cache
def _cue_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(a cue opening a line, a label opening a line, a cue inside a line), compiled once."""
    return (
        re.compile(rf"(?:{_cue_pattern('byline').pattern})\b\s*:?\s*"),
        re.compile(rf"(?:{_cue_pattern('byline-label').pattern})\s*[:：]\s*"),
        re.compile(rf"\s(?:{_cue_pattern('byline').pattern})\s*:?\s+"),
    )


def _cued(text: str) -> re.Match[str] | None:
    """A byline cue at the start of ``text``: "By", "Written by", "Von", "Author:"."""
    opening, label, _ = _cue_patterns()
    return opening.match(text) or label.match(text)


def byline_at(lines: list[str], index: int, cued_only: bool = False) -> str | None:
    """The author(s) if ``lines[index]`` is a byline (the next line may hold the name or a job title).

    ``cued_only`` accepts only bylines with an explicit cue ("By", "Von", "記者"), the reliable kind.
    """
    text = lines[index]
    following = lines[index + 1] if index + 1 < len(lines) else ""
    found, uncued = _cued_reading(text, following)
    return found if found or cued_only or not uncued else _uncued(text, following)


def _cued_reading(text: str, following: str) -> tuple[str | None, bool]:
    """(the cued byline of ``text``, whether an uncued reading may still give one): a CJK, long or
    cued line has no other reading."""
    if _cjk(text):
        before, after = _cjk_byline()
        match = (before.search(text) or after.search(text)) if len(text) <= 60 else None
        return (match.group("name") if match else None), False
    if len(text.split()) > MAX_BYLINE_WORDS:
        return None, False
    cue = _cued(text)
    if cue is not None:
        rest = text[cue.end() :]
        if not rest.strip():  # "By" alone, the name on the next line
            names, tail = read_names(_tokens(following))
            return (AUTHOR_JOIN.join(names) if names and _tail_ok(tail) else None), False
        names, tail = read_names(_tokens(rest))
        return (AUTHOR_JOIN.join(names) if names and _tail_ok(tail) else None), False
    return _inline_cued(text), True


_UNREAD = object()


class _BylineReader:
    """:func:`byline_at` on (line, next line) texts, each pair read once per page: main-body's
    headline anchor and the metadata's byline search read many of the same lines."""

    def __init__(self) -> None:
        self.known: dict[tuple[str, str], list] = {}  # (text, following) -> [cued, uncued allowed, uncued]

    def read(self, lines: list[str], index: int, cued_only: bool = False) -> str | None:
        """``byline_at(lines, index, cued_only)``."""
        text = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else ""
        entry = self.known.get((text, following))
        if entry is None:
            entry = self.known[(text, following)] = [*_cued_reading(text, following), _UNREAD]
        if entry[0] or cued_only or not entry[1]:
            return entry[0]
        if entry[2] is _UNREAD:
            entry[2] = _uncued(text, following)
        return entry[2]


def _byline_reader(page: Page) -> _BylineReader:
    """The page's reader (kept on ``page.cache``; a few dozen lines are ever read)."""
    key = ("metadata.bylines",)
    if key not in page.cache:
        page.cache[key] = _BylineReader()
    return page.cache[key]


def _inline_cued(text: str) -> str | None:
    """A cue inside a short line: "Posted on March 30, 2015 by Admin", "Analysis by Chris Cillizza".

    The line must carry a date, or the cue follow a single word that is not a caption label
    ("Photo by Kirk Irwin" credits a picture).
    """
    if len(text.split()) > 15:
        return None
    dated: bool | None = None  # looked for once a cue is found: most lines have none
    for match in _cue_patterns()[2].finditer(text):
        if dated is None:
            dated = find_date(text) is not None
        prefix = text[: match.start()]
        labelled = len(prefix.split()) == 1 and prefix[:1].isupper() and not _not_headline(prefix)
        names, tail = read_names(_tokens(text[match.end() :]))
        if (dated or labelled) and names and _tail_ok(tail):
            return AUTHOR_JOIN.join(names)
    return None


def _uncued(text: str, following: str) -> str | None:
    """A byline without a cue: "Jane Doe 03 March 2015", "Jane Doe | Reuters", "Jane Doe, Staff Writer",
    or a name alone whose next line is a job title or a date."""
    names, tail = read_names(_tokens(text), min_words=2, commas=False)
    if not names or names[0].split()[0].lower() in _words("articles"):
        return None
    rest = _join(tail)
    if not tail:
        ok = _role_line(following) or _date_line(following)
    elif tail[0] in _SEPARATORS | {","}:
        after = _join(tail[1:])
        dated = bool(find_dates(after)) and find_dates(after)[0].start == 0
        # "Jane Doe, Staff Writer", "Jane Doe, 3 March 2015", "Jane Doe | Reuters"; not "Port Elston, Bureau | 3 March"
        # "Jane Doe, Reuters" only when a date line follows (a photo credit has the same shape)
        org = len(tail) <= 5 and _tail_ok(tail[1:]) and (tail[0] != "," or _date_line(following))
        ok = _has_role(after) or dated or org
    else:  # "Jane Doe 03 March 2015", "Bruce Lee Senior Contributor"; not "Jane Doe is a reporter"
        hits = find_dates(rest)
        ok = (bool(hits) and hits[0].start == 0) or (tail[0][:1].isupper() and _role_line(rest))
    return AUTHOR_JOIN.join(names) if ok else None


def find_author(lines: list[str]) -> str | None:
    """The first byline among ``lines`` (in order): "By Jane Doe", "Jane Doe 03 March 2015", "Von Anna Schmidt"..."""
    for index in range(len(lines)):
        found = byline_at(lines, index)
        if found:
            return found
    return None


def _name_pattern() -> str:
    return r"[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|van|von|der|da|di|le|la)){1,3}"


# A cue and a two-to-four-word name ("By Jane Doe", "Von Anna Schmidt"): what main_body skips as a dateline.
BYLINE = re.compile(
    rf"^(?:{_cue_pattern('byline').pattern}|{_cue_pattern('byline-label').pattern}\s*:)\s*:?\s+(?P<name>{_name_pattern()})"
)


# ---------------------------------------------------------------------------
# Title
# ---------------------------------------------------------------------------


_WORD = re.compile(r"\w+")


def _word_set(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _similar(a: str, b: str | set[str]) -> float:
    """Share of words two texts have in common; ``b`` may be given as its :func:`_word_set`."""
    wa, wb = _word_set(a), (_word_set(b) if isinstance(b, str) else b)
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


def _site_name(part: str) -> bool:
    """A short part of a page title that names the site: "The Coast Times", "ZDNet", "IGN"."""
    words = part.split()
    if not 1 <= len(words) <= 5:
        return False
    return all(not w[:1].isalpha() or not w[:1].islower() for w in words) or _cjk(part) or "." in part


def _site_suffix_stripped(title: str) -> str:
    """"Headline - Site" / "Headline | Section | Site" -> "Headline" (the HTML title's usual shape)."""
    while True:
        separators = list(_SITE_SEPARATOR.finditer(title))
        if not separators:
            return title.strip()
        head, tail = title[: separators[-1].start()], title[separators[-1].end() :]
        if not (_site_name(tail) and (len(head.split()) >= 2 or (_cjk(head) and len(head) >= 4))):
            return title.strip()
        title = head


def _starts_with_phrase(norm: str, phrases: frozenset[str]) -> bool:
    """Whether normalized ``norm`` is one of ``phrases`` or starts with one and a space: its word
    prefixes looked up in the set, not every phrase tested against it."""
    if norm in phrases:
        return True
    space = norm.find(" ")
    while space >= 0:
        if norm[:space] in phrases:
            return True
        space = norm.find(" ", space + 1)
    return False


def _not_headline(text: str) -> bool:
    """Captions, credits, widgets and labels: short lines that are never the headline."""
    norm = normalize(text)
    if _starts_with_phrase(norm, load_section(PHRASES, "not-headline")):
        return True
    return (
        "©" in text
        or text.count(" > ") >= 2  # breadcrumbs
        or bool(_TIME.search(text))
        or text.startswith(("(", "["))
        or text.endswith(")")  # a caption's "(Photo: Agency)" credit
        or bool(_TWO_SENTENCES.search(text))  # a standfirst or a caption
        or bool(_COLUMNS.search(text))  # a table row laid out in columns
        or any(norm == p or f" {p} " in f" {norm} " for p in load_section(PHRASES, "caption"))
    )


def _headline_like(text: str) -> bool:
    if text.endswith((".", ":", ",")):  # the cheapest test first: the others are searches
        return False
    size_ok = _two_to_thirty_words(text.split()) or (_cjk(text) and 4 <= len(text) <= 120)
    return size_ok and not find_date(text) and not BYLINE.match(text)


def _has_letter(word: str) -> bool:
    return word.isalpha() or any(map(str.isalpha, word))


def _two_to_thirty_words(split: list[str]) -> bool:
    """Whether 2 to 30 of the words hold a letter; up to 30 words, the first two such words answer."""
    if len(split) < 2:
        return False
    if len(split) <= 30:
        found = 0
        for word in split:
            if _has_letter(word):
                found += 1
                if found == 2:
                    return True
        return False
    return 2 <= sum(1 for word in split if _has_letter(word)) <= 30


def _good_headline(text: str) -> bool:
    """Headline-like, and not a caption, a widget label or a bare name."""
    if not _headline_like(text) or _not_headline(text):
        return False
    names, tail = read_names(_tokens(text), min_words=2)
    return not (names and not tail)


def _title_line(page: Page) -> Line | None:
    """The first non-blank line when it is shaped like an HTML ``<title>``."""
    key = ("metadata.title-line",)
    if key not in page.cache:  # read for every headline search and again for the title
        first = next((line for line in page.lines if not line.is_blank), None)
        page.cache[key] = first if first is not None and _headline_like(first.content) else None
    return page.cache[key]


def _long_enough(text: str) -> bool:
    return len(text.split()) >= 3 or (_cjk(text) and len(text) >= 6)


def _anchor(zone: list[Line], bylines: _BylineReader | None = None) -> int | None:
    """Index in ``zone`` of the first byline or date line of the last few lines (the headline sits above)."""
    texts = [line.content for line in zone]
    read = (bylines or _BylineReader()).read
    for index in range(max(0, len(zone) - 12), len(zone)):
        if _date_line(texts[index]) or read(texts, index):
            return index
    return None


HEADLINE_REACH = 30  # non-blank lines above the article searched for its headline


class _HeadlineZone:
    """The non-blank lines just above the article and what :func:`find_headline` reads of them
    whatever lines it skips: which are headline-shaped, the byline/date anchor (each when asked)."""

    __slots__ = ("zone", "_shaped", "_anchor", "_bylines")

    def __init__(self, page: Page, body_start: int) -> None:
        # Walked back from the article: only the last HEADLINE_REACH non-blank lines count, and a
        # list of every line above a late article cost a pass over the page per search.
        zone: list[Line] = []
        lines = page.lines
        for index in range(min(max(0, body_start - 1), len(lines)) - 1, -1, -1):
            line = lines[index]
            if not line.is_blank:
                zone.append(line)
                if len(zone) == HEADLINE_REACH:
                    break
        zone.reverse()
        self.zone = zone
        self._shaped: list[bool | None] = [None] * len(zone)  # None: not tested yet (skipped lines never are)
        self._anchor: int | None | bool = False  # False: not computed yet
        self._bylines = _byline_reader(page)

    def shaped(self, index: int) -> bool:
        """Whether ``zone[index]`` is headline-like."""
        found = self._shaped[index]
        if found is None:
            found = self._shaped[index] = _headline_like(self.zone[index].content)
        return found

    def anchor(self) -> int | None:
        if self._anchor is False:
            self._anchor = _anchor(self.zone, self._bylines)
        return self._anchor  # type: ignore[return-value]


def _headline_zone(page: Page, body_start: int) -> _HeadlineZone:
    """The zone above ``body_start``, made once per page and article start (main-body and the metadata search it)."""
    key = ("metadata.headline-zone", body_start)
    found = page.cache.get(key)
    if found is None:
        found = page.cache[key] = _HeadlineZone(page, body_start)
    return found


def find_headline(page: Page, body_start: int, skip: frozenset[int] = frozenset(), window: int = 8) -> Line | None:
    """The article's headline: a headline-like line among the lines just above the article.

    In order: a line repeating the page's ``<title>`` (the dump's first line, "Headline -
    Site"); the headline-like line just above the byline/date block (a standfirst or a photo
    caption may sit between); the nearest headline-like line among the last ``window``
    lines. Lines in ``skip`` (already labelled boilerplate) are ignored. Only the last
    ``HEADLINE_REACH`` non-blank lines above the article are searched; what does not depend
    on ``skip`` is kept on ``page.cache`` (main-body and the metadata search the same lines).
    """
    searched = _headline_zone(page, body_start)
    zone = searched.zone
    candidates = [line for index, line in enumerate(zone) if line.number not in skip and searched.shaped(index)]
    if not candidates:
        return None
    title_line = _title_line(page)
    title = _site_suffix_stripped(title_line.content) if title_line is not None else ""
    if _long_enough(title):  # "Coast News" alone is a site name, not a page title to match
        title_words = _word_set(title)
        scored = [(_similar(line.content, title_words), line) for line in candidates
                  if line is not title_line and _long_enough(line.content)]
        best = max((sim for sim, _ in scored), default=0.0)
        if best >= 0.6:
            return max((line for sim, line in scored if sim >= best - 0.25), key=lambda line: line.number)
    anchor = searched.anchor()
    if anchor is not None:
        numbers = {line.number for line in candidates}
        for line in reversed(zone[max(0, anchor - 4) : anchor]):
            if line.number in numbers and _good_headline(line.content):
                return line
    near = [line for line in candidates if line.number >= zone[-min(window, len(zone))].number]
    good = [line for line in near if _good_headline(line.content)]
    return good[-1] if good else None


def _strip_site(text: str, page: Page, line: Line) -> str:
    """The headline without the site name the page's ``<title>`` line appends to it."""
    title_line = _title_line(page)
    if title_line is None:
        return text
    if line.number == title_line.number:
        return _site_suffix_stripped(text)
    site = title_line.content[len(_site_suffix_stripped(title_line.content)) :]
    return text[: -len(site)].rstrip() if site.strip() and text.endswith(site) and text != site else text


def find_title(page: Page, body_start: int, skip: frozenset[int] = frozenset()) -> str | None:
    """The page's title: its headline, else the first line without a " - Site" suffix."""
    return _title(page, find_headline(page, body_start, skip))


def _title(page: Page, headline: Line | None) -> str | None:
    """:func:`find_title` once the headline is known."""
    if headline is not None:
        return _strip_site(headline.content, page, headline)
    first = _title_line(page)
    if first is None:
        return None
    title = _site_suffix_stripped(first.content)
    return title if _long_enough(title) and _good_headline(title) else None


# ---------------------------------------------------------------------------
# Putting it together
# ---------------------------------------------------------------------------


OPENING_LINES = 3  # the article's first lines searched for the byline and date
ABOVE_REACH = 40  # non-blank lines above the headline that _zones can reach
# Non-blank lines from the article's start the searches can read: the opening lines, and from a
# byline on the last of them, its next line (byline_at) and the two after it (the date pick).
BELOW_REACH = OPENING_LINES + 3


def _zones(lines: list[Line], start: int, headline: int | None) -> list[list[int]]:
    """Indexes of ``lines`` to search, nearest to the article first: between the headline and the
    article, the article's first lines, above the headline, then the rest of the page head."""
    body = next((i for i, line in enumerate(lines) if line.number >= start), len(lines))
    top = next((i for i, line in enumerate(lines) if line.number == headline), None)
    if top is None or top >= body:
        top = body
    between = list(range(top + 1, body))[:15]
    opening = list(range(body, min(body + OPENING_LINES, len(lines))))
    above = list(range(top - 1, max(-1, top - 9), -1))
    rest = list(range(top - 9, max(-1, top - ABOVE_REACH), -1))
    return [between, opening, above, rest]


def _near_lines(page: Page, start: int, headline: int | None) -> list[Line]:
    """The non-blank lines :func:`_zones` and the searches over its zones can read: up to
    ``ABOVE_REACH`` above the headline (or the article when there is no headline above it),
    those between the headline and the article, and ``BELOW_REACH`` from the article's start.

    Walked out from the article: a list of every non-blank line of the page cost a pass over
    a long page for a few dozen lines. Reading further than the ends of this list is never
    needed, so the searches see the same lines as in the whole page's list."""
    lines = page.lines
    first = min(max(0, start - 1), len(lines))  # index of the article's first line
    top = headline - 1 if headline is not None and 1 <= headline < start and not lines[headline - 1].is_blank else first
    above: list[Line] = []
    for index in range(top - 1, -1, -1):
        if not lines[index].is_blank:
            above.append(lines[index])
            if len(above) == ABOVE_REACH:
                break
    above.reverse()
    between = [line for line in lines[top:first] if not line.is_blank]
    below: list[Line] = []
    for index in range(first, len(lines)):
        if not lines[index].is_blank:
            below.append(lines[index])
            if len(below) == BELOW_REACH:
                break
    return above + between + below


def _short(text: str) -> bool:
    return len(text.split()) <= 25 or (_cjk(text) and len(text) <= 60)


def _date_only(text: str, month_first: bool, hits: list[DateHit] | None = None) -> bool:
    """A line that is little more than a date: "Published: Tue 3 Mar 2015 10.32 GMT", "March 3, 2015".

    ``hits``: the line's :func:`find_dates`, when the caller has them."""
    return len(text.split()) <= 8 and bool(find_dates(text, month_first) if hits is None else hits)


def _dateline(text: str, month_first: bool, max_words: int, hits: list[DateHit] | None = None) -> bool:
    """A date line, not prose: the first date opens the line, follows a few words or a
    "published"/"updated" label ("Tom Hill | 3 March 2015", "Port Elston, Bureau | Updated: 3 March 2015").

    ``hits``: the line's :func:`find_dates`, when the caller has them."""
    if hits is None:
        hits = find_dates(text, month_first)
    if not hits or len(text.split()) > max_words:
        return False
    return len(text[: hits[0].start].split()) <= 4 or _label_rank(text, hits[0].start) != 1


def _zone_filters(month_first: bool) -> list:
    """Which lines of each zone may give the date (each filter takes a line and its dates): between
    the headline and the article short lines; elsewhere date lines only ("12 March 2015" late in a
    sentence is the story's, not the page's), and far above the headline short ones."""
    return [
        lambda text, hits: len(text.split()) <= 12 or _dateline(text, month_first, 25, hits),
        lambda text, hits: _dateline(text, month_first, 25, hits),
        lambda text, hits: _dateline(text, month_first, 20, hits),
        lambda text, hits: _dateline(text, month_first, 15, hits),
    ]


def _pick_date(texts: Sequence[str], zones: list[list[int]], byline: int | None, month_first: bool) -> str | None:
    """The date on or right after the byline, else the nearest to the headline; "published" beats "updated"."""
    known: dict[int, list[DateHit]] = {}

    def dates(index: int) -> list[DateHit]:  # each line searched once, though the filters read it too
        if index not in known:
            known[index] = find_dates(texts[index], month_first)
        return known[index]

    if byline is not None:
        for index in range(byline, min(byline + 3, len(texts))):
            hits = dates(index)
            if hits and (index == byline or _date_only(texts[index], month_first, hits)):
                return min(hits, key=lambda h: (_label_rank(texts[index], h.start), h.start)).iso
    for zone, allowed in zip(zones, _zone_filters(month_first), strict=True):
        found = [
            (_label_rank(texts[i], hit.start), order, hit.iso)
            for order, i in enumerate(zone)
            if (hits := dates(i)) and allowed(texts[i], hits)  # (a line without a date gives nothing)
            for hit in hits
        ]
        if found:
            return min(found)[2]
    return None


def _find_byline(
    texts: list[str], zones: list[list[int]], bylines: _BylineReader | None = None
) -> tuple[str | None, int | None]:
    """(author, index of the byline): a cued byline anywhere near the headline first, then an uncued one."""
    read = (bylines or _BylineReader()).read
    near = [i for zone in zones[:3] for i in zone]
    for index in near + zones[3][:CUED_REACH]:
        author = read(texts, index, cued_only=True)
        if author:
            return author, index
    # No cued byline among them: the near lines are read again for an uncued one only (the
    # reader keeps each line's cued reading).
    for index in near:
        author = read(texts, index)
        if author:
            return author, index
    return None, None


def extract_metadata(page: Page, labels: Labels) -> Metadata:
    """Title, author, date and language from the lines around the article the pipeline found."""
    start = labels.body[0] if labels.body else 1
    language = page_language(page)
    if labels.headline is not None:
        headline: int | None = labels.headline
        title: str | None = _strip_site(page.line(labels.headline).content, page, page.line(labels.headline))
    else:
        specific = frozenset(n for n, r in labels.by_line.items() if r.detector not in labels.generic)
        found = find_headline(page, start, specific)
        headline = found.number if found is not None else None
        title = _title(page, found)
    lines = _near_lines(page, start, headline)
    texts = [line.content for line in lines]
    zones = _zones(lines, start, headline)
    author, byline = _find_byline(texts, zones, _byline_reader(page))
    # Dates are read from the whole line: "3. März 2015" is not a numbered list item.
    whole = [line.stripped for line in lines]
    # The convention over every line, read in one search of the page's text: a numeric date
    # never spans a line break nor takes in the white space a stripped line loses.
    convention = slash_convention((page.text,))
    month_first = convention if convention is not None else language == "en"
    return Metadata(
        title=title or None,
        author=author,
        date=_pick_date(whole, zones, byline, month_first),
        language=language,
    )

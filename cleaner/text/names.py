"""Names and bylines: "By Jane Doe", "Jane Doe 03 March 2015", "Von Anna Schmidt", "記者 王小明".

The byline readers the metadata's author search and main-body's headline anchor share, and
the caption/credit test (:func:`not_headline`) that both the inline-cue reading ("Photo by
Kirk Irwin" credits a picture) and :mod:`cleaner.text.headline` use: it lives here, below
the headline module, so the two do not import each other.

Several authors are joined with ``"; "``; names written in capitals are title-cased.
"""

from __future__ import annotations

import re
from functools import cache

from cleaner.text.dates import PHRASES, VOCABULARY, cue_pattern, find_date, find_dates, phrase_words
from cleaner.text.facts import Fact
from cleaner.text.language import has_cjk
from cleaner.text.page import Page
from cleaner.text.phrases import normalize

__all__ = [
    "AUTHOR_JOIN",
    "BYLINE",
    "BYLINES",
    "BylineReader",
    "byline_at",
    "byline_reader",
    "date_line",
    "find_author",
    "name_tokens",
    "not_headline",
    "read_names",
]

AUTHOR_JOIN = "; "
# The page fact this module computes (see cleaner.text.facts): byline_reader's reader.
BYLINES: Fact[BylineReader] = Fact("bylines")
MAX_BYLINE_WORDS = 20  # a longer line is prose, not a byline
# Lower-case words inside names ("Ludwig van Beethoven", "Gabriel García de la Torre").
PARTICLES = frozenset(["de", "da", "das", "do", "dos", "del", "della", "der", "den", "di", "du", "la", "le", "van",
                       "von", "ten", "ter", "zu", "bin", "al", "el"])
_SEPARATORS = frozenset("|•·–—-")
_TOKEN = re.compile(r"[,;|•·/]|[^\s,;|•·/]+")
_TIME = re.compile(r"\b\d{1,2}[:.]\d\d\b|\b\d{1,2}\s?(?:am|pm|a\.m\.|p\.m\.)", re.I)
_READ_TIME = re.compile(r"\b\d+\s*(?:min|mins|minutes?|minutos?|minuten)\b", re.I)
_TWO_SENTENCES = re.compile(r"[^\W\d_]{3}[.!?…]+[\"'”’]?\s+\S")
_COLUMNS = re.compile(r"\S {2,}\S.* {2,}\S")


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
    return frozenset(word for section in sections for word in phrase_words(section))


def _dateish(low: str, following: str, first_words: frozenset[str]) -> bool:
    """A weekday, or a month name followed by a number ("Newswire November 18"): a date, not a name."""
    low = low.rstrip(".")
    return low in phrase_words("weekdays") or (low in first_words and following[:1].isdigit())


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
        if low in phrase_words("and") and token.isupper():  # "JANE DOE AND JOHN ROE" ("Dan" is a name, "dan" is "and")
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
    first_words = phrase_words("months")
    names: list[str] = []
    index = 0
    while index < len(tokens):
        name, used = _one_name(tokens[index:], first_words)
        if name is None or len(name.split()) < (min_words if not names else 2):
            break
        names.append(name)
        index += used
        joiner = tokens[index].lower() if index < len(tokens) else ""
        if joiner not in phrase_words("and") | {"&"} | ({","} if commas else set()):
            break
        following, _ = _one_name(tokens[index + 1 :], first_words)
        if following is None or len(following.split()) < 2:
            break
        index += 1
    return names, tokens[index:] if names else tokens


def name_tokens(text: str) -> list[str]:
    """Words and the separators between names (``, ; | • · /``), as :func:`read_names` takes them."""
    return _TOKEN.findall(text)


def _join(tokens: list[str]) -> str:
    """Tokens back into text ("Nov 19, 2019", not "Nov 19 , 2019", so dates still read)."""
    return " ".join(tokens).replace(" ,", ",").replace(" ;", ";")


def _has_role(text: str) -> bool:
    norm = f" {normalize(text)} "
    return any(f" {role} " in norm for role in VOCABULARY.section(PHRASES, "roles"))


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


def date_line(text: str) -> bool:
    """A short line (up to 12 words) that holds a date: what sits under a byline or a headline."""
    return bool(text) and len(text.split()) <= 12 and find_date(text) is not None


@cache
def _cjk_byline() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(cue then name: "文／王小明", "記者 王小明"; name then cue: "王小明 報導", "홍길동 기자")."""
    cues = [c for c in VOCABULARY.section(PHRASES, "byline") if has_cjk(c)]
    long_cues = "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True) if len(c) > 1)
    short_cues = "|".join(re.escape(c) for c in cues if len(c) == 1)  # "文" alone needs a separator
    name = r"(?P<name>[\u3400-\u4dbf\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af]{2,5}?)"
    suffixes = "|".join(re.escape(c) for c in VOCABULARY.section(PHRASES, "byline-suffix"))
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
        re.compile(rf"(?:{cue_pattern('byline').pattern})\b\s*:?\s*"),
        re.compile(rf"(?:{cue_pattern('byline-label').pattern})\s*[:：]\s*"),
        re.compile(rf"\s(?:{cue_pattern('byline').pattern})\s*:?\s+"),
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
    if has_cjk(text):
        before, after = _cjk_byline()
        match = (before.search(text) or after.search(text)) if len(text) <= 60 else None
        return (match.group("name") if match else None), False
    if len(text.split()) > MAX_BYLINE_WORDS:
        return None, False
    cue = _cued(text)
    if cue is not None:
        rest = text[cue.end() :]
        if not rest.strip():  # "By" alone, the name on the next line
            names, tail = read_names(name_tokens(following))
            return (AUTHOR_JOIN.join(names) if names and _tail_ok(tail) else None), False
        names, tail = read_names(name_tokens(rest))
        return (AUTHOR_JOIN.join(names) if names and _tail_ok(tail) else None), False
    return _inline_cued(text), True


_UNREAD = object()


class BylineReader:
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


def byline_reader(page: Page) -> BylineReader:
    """The page's reader (kept in the page's facts, :data:`BYLINES`; a few dozen lines are ever read)."""
    found = page.facts.get(BYLINES)
    return page.facts.put(BYLINES, BylineReader()) if found is None else found


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
        labelled = len(prefix.split()) == 1 and prefix[:1].isupper() and not not_headline(prefix)
        names, tail = read_names(name_tokens(text[match.end() :]))
        if (dated or labelled) and names and _tail_ok(tail):
            return AUTHOR_JOIN.join(names)
    return None


def _uncued(text: str, following: str) -> str | None:
    """A byline without a cue: "Jane Doe 03 March 2015", "Jane Doe | Reuters", "Jane Doe, Staff Writer",
    or a name alone whose next line is a job title or a date."""
    names, tail = read_names(name_tokens(text), min_words=2, commas=False)
    if not names or names[0].split()[0].lower() in phrase_words("articles"):
        return None
    rest = _join(tail)
    if not tail:
        ok = _role_line(following) or date_line(following)
    elif tail[0] in _SEPARATORS | {","}:
        after = _join(tail[1:])
        dated = bool(find_dates(after)) and find_dates(after)[0].start == 0
        # "Jane Doe, Staff Writer", "Jane Doe, 3 March 2015", "Jane Doe | Reuters"; not "Port Elston, Bureau | 3 March"
        # "Jane Doe, Reuters" only when a date line follows (a photo credit has the same shape)
        org = len(tail) <= 5 and _tail_ok(tail[1:]) and (tail[0] != "," or date_line(following))
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
    rf"^(?:{cue_pattern('byline').pattern}|{cue_pattern('byline-label').pattern}\s*:)\s*:?\s+(?P<name>{_name_pattern()})"
)


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


def not_headline(text: str) -> bool:
    """Captions, credits, widgets and labels: short lines that are never the headline."""
    norm = normalize(text)
    if _starts_with_phrase(norm, VOCABULARY.section(PHRASES, "not-headline")):
        return True
    return (
        "©" in text
        or text.count(" > ") >= 2  # breadcrumbs
        or bool(_TIME.search(text))
        or text.startswith(("(", "["))
        or text.endswith(")")  # a caption's "(Photo: Agency)" credit
        or bool(_TWO_SENTENCES.search(text))  # a standfirst or a caption
        or bool(_COLUMNS.search(text))  # a table row laid out in columns
        or any(norm == p or f" {p} " in f" {norm} " for p in VOCABULARY.section(PHRASES, "caption"))
    )

"""The detector interface: read the page and the labels so far, return new labels."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, lru_cache
from importlib import resources
from types import MappingProxyType
from typing import ClassVar, overload

from cleaner.page import Line, Page
from cleaner.removal import Labels, Removal, Rule

__all__ = [
    "Detector",
    "LABEL_LINE",
    "MONEY",
    "PhrasePatterns",
    "TEXT_CACHE_SIZE",
    "blank_between",
    "clear_phrase_caches",
    "clear_text_caches",
    "extra_phrases",
    "freeze_phrases",
    "is_headline",
    "line_masker",
    "load_patterns",
    "load_phrases",
    "load_section",
    "matches",
    "may_hold_money",
    "next_nonblank",
    "nonblank_after",
    "normalize",
    "phrase_masks",
    "phrase_sections",
    "prev_nonblank",
    "prose_span",
    "section_bit",
    "specific_label",
    "store_phrase_masks",
    "teaser_list_end",
    "usable_phrase",
]


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


def load_phrases(name: str) -> tuple[str, ...]:
    """Lower-cased phrases from ``detectors/phrases/<name>.*.txt`` (every language file), user phrases last.

    One phrase a line; ``#`` starts a comment; ``[section]`` lines group phrases (see
    :func:`load_patterns`). Kept as data beside the detector that uses it.
    """
    return tuple(phrase.lower() for _, phrase in _phrase_pairs(name, _active_for(name)))


def nonblank_after(page: Page, number: int, limit: int = 1) -> Iterator[Line]:
    """Up to ``limit`` non-blank lines after line ``number``."""
    found = 0
    lines = page.lines
    for index in range(number, len(lines)):  # indexed, not sliced: a slice copies the rest of the page
        line = lines[index]
        if not line.is_blank:
            yield line
            found += 1
            if found >= limit:
                return


# ---------------------------------------------------------------------------
# Shared helpers for the specific detectors (phrase patterns, shapes, neighbours).
# ---------------------------------------------------------------------------

_NORM_WORD = re.compile(r"\w+(?:'\w+)*", re.UNICODE)
# Han and kana characters are matched as one "word" each: CJK writes no spaces, so a phrase must
# be able to match inside a longer run ("本网站使用Cookie" within a sentence).
_CJK_CHAR = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff])")
# What the phrase gates (see :func:`phrase_masks`) cut a lower-cased line into: runs of word characters,
# with every Han or kana character a run of its own. A phrase can only match a line holding each of
# its words' runs, so one run per phrase, looked up among a line's runs, rules most lines out at once.
_GATE_RUN = re.compile(r"[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]+|[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
# :data:`_GATE_RUN` on lower-cased ASCII text (no Han, no kana, no upper case).
_ASCII_RUN = re.compile(r"[a-z0-9_]+")
_SECTION = re.compile(r"^\[([\w-]+)\]$")
# A money amount: a currency sign or code next to a number ("£23,344", "$1.2m", "EUR 40 000", "40k €").
MONEY = re.compile(
    r"(?:[£$€¥₹]|\b(?:usd|gbp|eur|chf|inr|aud|cad)\b)\s?\d[\d,.\u00a0 ]*(?:\s?(?:k|m|bn)\b)?"
    r"|\b\d[\d,.\u00a0]*\s?(?:k\b)?\s?(?:[£$€¥₹]|\b(?:usd|gbp|eur|chf)\b)",
    re.IGNORECASE,
)
_CURRENCY_SIGNS = "£$€¥₹"
_CURRENCY_CODES = ("usd", "gbp", "eur", "chf", "inr", "aud", "cad")


def may_hold_money(text: str) -> bool:
    """False only when :data:`MONEY` cannot match ``text``: no currency sign, and (ASCII text) no code.

    A few substring tests instead of the regex at every position. Non-ASCII text is always a
    maybe: under IGNORECASE "ı", "İ" or "ſ" can stand for the codes' "i" or "s".
    """
    if any(sign in text for sign in _CURRENCY_SIGNS) or not text.isascii():
        return True
    low = text.lower()
    return any(code in low for code in _CURRENCY_CODES)


# A short "Label: value" line ("Recruiter: Essex County Council", "Location: Leeds").
LABEL_LINE = re.compile(r"^(\w[\w'’-]*(?: [\w'’-]+){0,2})\s?(?::\s+|：\s*)(\S.*)$", re.UNICODE)
# A line that only states a time or date ("2 days ago at 07:52 am", "November 19, 2019 at 5:10 pm").
DATE_LINE = re.compile(
    r"^(?:(?:\w+,? )?\d{1,2}(?:st|nd|rd|th)?[ ./-]\w+[ ./-]\d{2,4}|\w+\.? \d{1,2},? \d{4}|\d{4}-\d{2}-\d{2}"
    r"|\d+ (?:min(?:ute)?s?|hours?|days?|weeks?|months?) ago)\b[\w\s:.,|/-]{0,30}$",
    re.IGNORECASE,
)


# Per-text caches: a page's distinct lines are matched against many phrase sections, and menus
# recur across a site's pages. Bounded at a few thousand texts (a dev page has about 150 distinct
# lines): at 16,384 the three caches held about 20 MB once a big page had filled them.
TEXT_CACHE_SIZE = 4096


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def normalize(text: str) -> str:
    """Lower-cased words joined by single spaces: the form phrase patterns are matched on."""
    return " ".join(_NORM_WORD.findall(text.lower().replace("’", "'")))


def _match_form(text: str) -> str:
    """:func:`normalize`, with every Han or kana character a word of its own (what patterns run on)."""
    norm = normalize(text)
    return norm if norm.isascii() else " ".join(_CJK_CHAR.sub(r" \1 ", norm).split())


@cache
def _read_phrase_files(name: str) -> tuple[tuple[str, str], ...]:
    """(section, phrase) pairs from ``phrases/<name>.<lang>.txt``; ``[section]`` lines open a section."""
    folder = resources.files("cleaner.detectors") / "phrases"
    pairs: list[tuple[str, str]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not (entry.name.startswith(name + ".") and entry.name.endswith(".txt")):
            continue
        section = ""
        for raw in entry.read_text(encoding="utf-8").splitlines():
            phrase = raw.split("#", 1)[0].strip()
            header = _SECTION.match(phrase)
            if header:
                section = header.group(1)
            elif phrase:
                pairs.append((section, phrase))
    return tuple(pairs)


# ---------------------------------------------------------------------------
# User phrases: the config file's ``[phrases.<detector>]`` tables, added to the data files'.
# ---------------------------------------------------------------------------

ExtraPairs = tuple[tuple[str, str], ...]  # (section, phrase) pairs added to one detector's phrase data
# The user phrases in force, per detector. A context variable, never mutated in place: runs in one
# process (or in parallel contexts) with different phrases each see their own.
_ACTIVE: ContextVar[Mapping[str, ExtraPairs]] = ContextVar("cleaner_extra_phrases", default=MappingProxyType({}))
# The user phrases the other modules' phrase-derived caches (see _derived_caches) were built with.
_derived_built_with: tuple[tuple[str, ExtraPairs], ...] = ()


def freeze_phrases(extra: Mapping[str, Mapping[str, Sequence[str]]]) -> dict[str, ExtraPairs]:
    """``{detector: {section: [phrase, ...]}}`` -> ``{detector: ((section, phrase), ...)}``, in a stable order."""
    frozen = {
        name: tuple((section, phrase) for section, phrases in sorted(sections.items()) for phrase in phrases)
        for name, sections in sorted(extra.items())
    }
    return {name: pairs for name, pairs in frozen.items() if pairs}


@contextmanager
def extra_phrases(extra: Mapping[str, Mapping[str, Sequence[str]]] | None) -> Iterator[None]:
    """While active, the loaders add ``extra[detector][section]`` phrases to that section's data files.

    The phrases replace (not join) any set active outside. They are part of every loader's
    cache key, so two runs with different phrases in one process never see each other's.
    Modules that compile phrase data into a plain ``functools.cache`` of their own are
    cleared whenever the phrases in force change (see :func:`_derived_caches`); for those,
    runs in parallel threads should use the same phrases.
    """
    token = _ACTIVE.set(MappingProxyType(freeze_phrases(extra or {})))
    _sync_derived_caches()
    try:
        yield
    finally:
        _ACTIVE.reset(token)
        _sync_derived_caches()


def phrase_sections(name: str) -> frozenset[str]:
    """The ``[section]`` names of ``phrases/<name>.*.txt`` (what user phrases can extend)."""
    return frozenset(section for section, _ in _read_phrase_files(name) if section)


def usable_phrase(phrase: str) -> bool:
    """True when ``phrase`` has a word to match once normalized (``"!!!"`` or ``"*"`` alone has none)."""
    return bool(normalize(phrase.replace("*", " ")))


def _active_for(name: str) -> ExtraPairs:
    return _ACTIVE.get().get(name, ())


def _phrase_pairs(name: str, extra: ExtraPairs) -> tuple[tuple[str, str], ...]:
    return _read_phrase_files(name) + extra


def _sync_derived_caches() -> None:
    global _derived_built_with
    signature = tuple(sorted(_ACTIVE.get().items()))
    if signature != _derived_built_with:
        for cached in _derived_caches():
            cached.cache_clear()
        _derived_built_with = signature


def clear_text_caches() -> None:
    """Forget the per-text caches (normalized lines): the next page costs what a page never seen costs."""
    for cached in (normalize, _match_keys, _boundary_words):
        cached.cache_clear()


def clear_phrase_caches() -> None:
    """Forget every phrase list read or compiled so far (after the phrase files changed, e.g. in tests)."""
    global _derived_built_with
    for cached in (_read_phrase_files, _compiled_patterns, _compiled, _section_set, _section_gate, *_derived_caches()):
        cached.cache_clear()
    _derived_built_with = tuple(sorted(_ACTIVE.get().items()))


def _derived_caches() -> Iterator[Callable[..., object]]:
    """The module-level cached functions of modules that read phrase data (``captions._patterns``...).

    They compile phrase data once, without the user phrases in their cache key, so they are
    cleared when the phrases in force change. (A module can avoid this by keying its cache
    on what the loaders return.)
    """
    loaders = (load_phrases, load_patterns, load_section)
    for module in list(sys.modules.values()):
        name = getattr(module, "__name__", "")
        if not name.startswith("cleaner") or name == __name__:
            continue
        members = vars(module)
        if not any(members.get(loader.__name__) is loader for loader in loaders):
            continue
        for value in list(members.values()):
            if getattr(value, "__module__", None) == name and callable(getattr(value, "cache_clear", None)):
                yield value


def _regex(pattern: str) -> str:
    """``sign up for *`` -> a regex over :func:`normalize`d text; ``*`` stands for any words (or none).

    A leading or trailing ``*`` leaves that end unanchored (instead of ``.*``), so the
    combined pattern is used with ``search`` and stays fast on long lines.
    """
    parts = [_match_form(part) for part in pattern.split("*")]
    pieces = [re.escape(part) for part in parts if part]
    if not pieces:
        return ""
    head = "^" if parts[0] else r"\b"
    tail = "$" if parts[-1] else r"\b"
    return head + r"\b.*?\b".join(pieces) + tail


def load_patterns(name: str, section: str = "") -> PhrasePatterns:
    """Compiled phrase patterns of one ``[section]`` of ``phrases/<name>.*.txt`` (every language).

    A pattern matches a whole line after :func:`normalize`; ``*`` matches any words, so
    ``* jobs`` matches "Highways jobs" and ``sign up for *`` matches "Sign up for our newsletter".
    User phrases active for the section (:func:`extra_phrases`) are compiled in too.
    """
    return _compiled_patterns(name, section, _active_for(name))


class PhrasePatterns(Sequence[re.Pattern[str]]):
    """The patterns of one phrase section: a sequence of compiled patterns, indexed for :func:`matches`.

    ``index`` maps the first word of every phrase to the regex sources of the phrases that start
    with it. A phrase can only match where its first word stands in the text, so :func:`matches`
    runs only the few patterns whose first word the text has, instead of one alternation of the
    whole section at every position of every line (the hot spot of the detectors). Patterns are
    compiled on first use: compiling every section's alternation cost a one-page run 0.1 s.
    """

    def __init__(self, sources: Iterable[str], index: Mapping[str, tuple[str, ...]], bit: int = 0) -> None:
        self.sources = tuple(sources)  # the whole section: "^(?:a|b)" (start-anchored phrases), "c|d"
        self.index = MappingProxyType(dict(index))
        self.words = frozenset(index)
        # The section's bit in :func:`phrase_masks` (0: not gated, every line may match).
        self.bit = bit

    @overload
    def __getitem__(self, position: int) -> re.Pattern[str]: ...
    @overload
    def __getitem__(self, position: slice) -> tuple[re.Pattern[str], ...]: ...
    def __getitem__(self, position: int | slice) -> re.Pattern[str] | tuple[re.Pattern[str], ...]:
        if isinstance(position, slice):
            return tuple(_compiled(source) for source in self.sources[position])
        return _compiled(self.sources[position])

    def __len__(self) -> int:
        return len(self.sources)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PhrasePatterns):
            return self.sources == other.sources
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.sources)

    def __repr__(self) -> str:
        return f"PhrasePatterns({list(self.sources)!r})"


def _first_word(phrase: str) -> str:
    """The first word of a phrase in the form patterns run on ("* sign up for *" -> "sign")."""
    first = next(part for part in (_match_form(part) for part in phrase.split("*")) if part)
    return first.split(" ")[0]


def _alternations(regexes: Iterable[str]) -> tuple[str, ...]:
    """Regex sources: one ``^(?:a|b)`` for the start-anchored patterns, one ``c|d`` for the others."""
    alternatives = sorted(set(regexes))
    # The start-anchored phrases get their own ``^(?:a|b)`` so the engine fails fast at the line
    # start instead of trying each one at every position.
    anchored = [pattern[1:] for pattern in alternatives if pattern.startswith("^")]
    floating = [pattern for pattern in alternatives if not pattern.startswith("^")]
    sources = ["^(?:" + "|".join(anchored) + ")"] if anchored else []
    if floating:
        sources.append("|".join(floating))
    return tuple(sources)


@lru_cache(maxsize=512)
def _compiled_patterns(name: str, section: str, extra: ExtraPairs) -> PhrasePatterns:
    phrases = {phrase for sec, phrase in _phrase_pairs(name, extra) if sec == section}
    regexes = {phrase: _regex(phrase) for phrase in phrases}
    by_word: dict[str, set[str]] = {}
    for phrase, regex in regexes.items():
        if regex:
            by_word.setdefault(_first_word(phrase), set()).add(regex)
    sources = [source for source in _alternations(regexes.values()) if source]
    bit = _register_gate((name, section), {_gate_run(phrase) for phrase, regex in regexes.items() if regex})
    return PhrasePatterns(sources, {word: _alternations(group) for word, group in sorted(by_word.items())}, bit)


# ---------------------------------------------------------------------------
# Phrase gates: which phrase sections each line of a page may match, as one integer per line.
# ---------------------------------------------------------------------------


def _gate_low(text: str) -> str:
    """``text`` lower-cased as the gates compare it: final sigma folded (``lower`` picks "ς" by context,
    so a part of a line can lower differently from the whole line)."""
    low = text.lower()
    return low.replace("ς", "σ") if "ς" in low else low


def _gate_run(phrase: str) -> str:
    """The run a line must hold for ``phrase`` to match: its longest (likely rarest) word run.

    A pattern matches whole words of the line in match form, so every run of every word of the
    phrase is a run of the line (:data:`_GATE_RUN` cuts at the same places: non-word characters,
    apostrophes, Han and kana characters). Any one of them is a necessary condition.
    """
    runs = [run for part in phrase.split("*") for run in _GATE_RUN.findall(_gate_low(_match_form(part)))]
    return max(runs, key=len)


class _GateState:
    """The gate runs of every section loaded so far; replaced whole (never mutated) when one is added."""

    def __init__(self, version: int, bits: Mapping[tuple[str, ...], int], runs: Mapping[str, int]) -> None:
        self.version = version
        self.section_bits = bits  # (detector, section[, kind]) -> its bit
        self.run_bits = runs  # run -> the bits of the sections that have a phrase gated on it
        self.runs = frozenset(runs)


_gates = _GateState(0, {}, {})


def section_bit(name: str, section: str, first_word: bool = False) -> int:
    """The :func:`phrase_masks` bit of a :func:`load_section` word list: lines that may *equal* an entry.

    A line whose normalized words (or, with ``first_word``, whose first word) equal an entry,
    or hold one as a whole word, has the bit. The test of the list itself stays with the caller.
    """
    return _section_gate(name, section, _active_for(name), first_word)


@lru_cache(maxsize=512)
def _section_gate(name: str, section: str, extra: ExtraPairs, first_word: bool) -> int:
    entries = [entry.split(" ")[0] if first_word else entry for entry in _section_set(name, section, extra) if entry]
    return _register_gate((name, section, "first word" if first_word else "entry"), {_gate_run(e) for e in entries})


def _register_gate(key: tuple[str, ...], runs: set[str]) -> int:
    """The bit of phrase section ``key``, with ``runs`` added to what its lines are tested for.

    A section keeps its bit and its runs for the life of the process: the runs of every phrase
    set it was loaded with (user phrases included) are tested, which only lets more lines through
    to :func:`matches`, and a section object made before keeps a valid bit. (Bounded by the
    distinct phrases a process loads: one run each.)
    """
    global _gates
    state = _gates
    bit = state.section_bits.get(key)
    if bit is not None and all(state.run_bits.get(run, 0) & bit for run in runs):
        return bit
    bits = dict(state.section_bits)
    if bit is None:
        bit = bits[key] = 1 << len(bits)
    run_bits = dict(state.run_bits)
    for run in runs:
        run_bits[run] = run_bits.get(run, 0) | bit
    _gates = _GateState(state.version + 1, bits, run_bits)
    return bit


def phrase_masks(page: Page) -> list[int]:
    """One integer per line of ``page``: the bits (:attr:`PhrasePatterns.bit`) of the sections it may match.

    A line may match a section when it holds the gate run of one of its phrases (see
    :func:`_gate_run`); a detector tests ``mask & patterns.bit`` before :func:`matches`, so most
    lines never get normalized or searched. Kept in ``page.cache`` and made again when a section
    was loaded since (the first page of a run). :func:`cleaner.signals.page_signals` stores them
    there as it measures the lines (see :func:`line_masker`), so this usually finds them made.
    """
    state = _gates
    cached = page.cache.get("phrase_masks")
    if cached is not None and cached[0] == state.version:
        return cached[1]
    _, mask_of = line_masker()
    known: dict[str, int] = {"": 0}  # a page repeats about a quarter of its lines (menus, labels)
    masks = []
    for line in page.lines:
        content = line.content
        mask = known.get(content)
        if mask is None:
            mask = 0 if line.is_blank else mask_of(content, None)  # (blank: invisible characters, no runs)
            if len(known) < TEXT_CACHE_SIZE:  # bounded: a big page of distinct lines repeats none
                known[content] = mask
        masks.append(mask)
    store_phrase_masks(page, state.version, masks)
    return masks


def line_masker() -> tuple[int, Callable[[str, list[str] | None], int]]:
    """(gate version, ``mask_of``): ``mask_of(content, low_words)`` is a non-blank line's :func:`phrase_masks` entry.

    ``low_words``, when given, are the line's :func:`cleaner.language.words` lower-cased: on an
    ASCII line they are its gate runs (once cut at their apostrophes), so the caller that has
    them saves a second split of the line.
    """
    state = _gates
    runs, run_bits = state.runs, state.run_bits
    find_runs, find_ascii = _GATE_RUN.findall, _ASCII_RUN.findall

    def mask_of(content: str, low_words: list[str] | None) -> int:
        if low_words is not None and content.isascii():
            if "'" in content:  # the runs are the words cut at their apostrophes ("don't": "don", "t")
                low_words = "'".join(low_words).split("'")
        else:
            low = _gate_low(content)
            low_words = find_ascii(low) if low.isascii() else find_runs(low)  # (most lines: ASCII, twice as fast)
        if runs.isdisjoint(low_words):  # (half the lines: cheaper than an empty intersection)
            return 0
        mask = 0
        for run in runs.intersection(low_words):
            mask |= run_bits[run]
        return mask

    return state.version, mask_of


def store_phrase_masks(page: Page, version: int, masks: list[int]) -> None:
    """Keep ``masks`` (one per line, made with the gates of ``version``) as the page's :func:`phrase_masks`."""
    page.cache["phrase_masks"] = (version, masks)


@cache
def _compiled(source: str) -> re.Pattern[str]:
    """A phrase pattern source, compiled on first use (an indexed group: the first time a text has its word)."""
    return re.compile(source)


def load_section(name: str, section: str) -> frozenset[str]:
    """The normalized phrases of one ``[section]`` of ``phrases/<name>.*.txt``, as a set (word lists).

    User phrases active for the section (:func:`extra_phrases`) are included.
    """
    return _section_set(name, section, _active_for(name))


@lru_cache(maxsize=512)
def _section_set(name: str, section: str, extra: ExtraPairs) -> frozenset[str]:
    return frozenset(normalize(phrase) for sec, phrase in _phrase_pairs(name, extra) if sec == section)


def matches(text: str, patterns: Iterable[re.Pattern[str]], head_words: int | None = None) -> bool:
    """True when the normalized ``text`` (only its first ``head_words`` words, if given) matches a pattern."""
    norm, words = _match_keys(text)
    indexed = isinstance(patterns, PhrasePatterns)
    if indexed and patterns.words.isdisjoint(words):
        return False  # no phrase's first word in the text (nor in its head): the usual answer, and fast
    if head_words is not None:
        norm = " ".join(norm.split()[:head_words])
        words = _boundary_words(norm)
    if not norm:
        return False
    if not indexed:
        return any(p.search(norm) for p in patterns)
    index = patterns.index
    return any(_compiled(source).search(norm) for word in patterns.words.intersection(words) for source in index[word])


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _match_keys(text: str) -> tuple[str, frozenset[str]]:
    """``text`` in match form and its :func:`_boundary_words` (a line is matched against many sections)."""
    norm = _match_form(text)
    return norm, _boundary_words(norm)


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _boundary_words(norm: str) -> frozenset[str]:
    """Every stretch of a text in match form that a phrase's first word can match.

    Words are separated by single spaces and hold only word characters and apostrophes, so a
    regex word boundary falls at a space or an apostrophe: "it's" offers "it", "s" and "it's".
    """
    words = set(norm.split(" "))
    for token in [word for word in words if "'" in word]:
        parts = token.split("'")
        words.update("'".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1))
    return frozenset(words)


def prev_nonblank(page: Page, number: int) -> Line | None:
    """The nearest non-blank line before line ``number``."""
    lines = page.lines
    for index in range(number - 2, -1, -1):  # indexed, not sliced: a slice copies the page above
        if not lines[index].is_blank:
            return lines[index]
    return None


def next_nonblank(page: Page, number: int) -> Line | None:
    """The nearest non-blank line after line ``number``."""
    return next(nonblank_after(page, number), None)


def blank_between(page: Page, first: int, last: int) -> bool:
    """True when a blank line lies strictly between lines ``first`` and ``last``."""
    return any(page.line(n).is_blank for n in range(first + 1, last))


def prose_span(page: Page, signals: list) -> tuple[int, int] | None:
    """First and last line that reads as prose, without the main-body locator (for early detectors)."""
    prose = [line.number for line, sig in zip(page.lines, signals, strict=True) if not line.is_blank and sig.is_prose]
    return (prose[0], prose[-1]) if prose else None


def is_headline(line: Line, sig) -> bool:
    """A headline-shaped line: 2-25 words, no final sentence punctuation (or title case)."""
    if line.is_blank or sig.words < 2 or sig.words > 25:
        return False
    return not sig.sentence_end or sig.title_case


def specific_label(labels: Labels, number: int) -> bool:
    """True when line ``number`` carries a label of a specific (not generic) detector."""
    found = labels.by_line.get(number)
    return found is not None and found.detector not in labels.generic


def _with_next(lines: Iterator[Line]) -> Iterator[tuple[Line, Line | None]]:
    """Each line of ``lines`` with the one after it (``None`` after the last)."""
    line = next(lines, None)
    while line is not None:
        following = next(lines, None)
        yield line, following
        line = following


def teaser_list_end(
    page: Page,
    signals: list,
    labels: Labels,
    heading: int,
    is_link: Callable[[Line], bool] = lambda line: False,
    max_items: int = 15,
    max_summary_words: int = 70,
    compact_words: int = 40,
) -> tuple[int, int]:
    """The last line and item count of the teaser list under the heading on line ``heading``.

    Items are headline-shaped lines (no final punctuation, or short and not ending in "."
    or ":"; in a compact list any line of up to ``compact_words`` words), each
    optionally followed by one short summary line, with date lines and "Read more"-style
    links (``is_link``) between them. The first item sets the shape: a headline followed
    by another headline makes a headlines-only list, where a later summary-like line ends
    the list. *Compact* lists (the first two lines touch, no blank between) end at the
    first blank line. A summary candidate followed by more prose ends the list before it (two prose
    lines in a row are article text, not a teaser), as does a line another specific
    detector labelled.
    Returns ``(heading, 0)`` when no item follows.
    """
    last, items = heading, 0
    state = "heading"
    spaced: bool | None = None
    with_summaries: bool | None = None  # decided by the first item: headline + summary, or headlines only
    from cleaner.formats import detect_layout  # formats builds on this module's phrase loading

    has_blank = detect_layout(page).blank_lines
    # The non-blank lines after the heading, read lazily with one line of look-ahead: a list of
    # the rest of the page, made for every heading, was quadratic on a long page.
    for line, following in _with_next(nonblank_after(page, heading, len(page))):
        sig = signals[line.number - 1]
        gap = blank_between(page, last, line.number)
        if specific_label(labels, line.number):
            break
        if state == "heading":
            # A list whose first two lines touch is compact, whatever its first line looks like.
            # A page without blank lines (WET-like) has no spacing to tell compact lists apart.
            spaced = following is None or blank_between(page, line.number, following.number) or not has_blank

        elif spaced is False and gap:
            break
        if items and (is_link(line) or DATE_LINE.match(line.content)):
            last = line.number
            continue
        shaped = is_headline(line, sig) or (2 <= sig.words <= 15 and not line.content.endswith("."))
        headline = (shaped or (spaced is False and sig.words <= compact_words)) and not line.content.endswith(":")
        if headline:
            if items >= max_items:
                break
            if state == "headline" and with_summaries is None:
                with_summaries = False
            items += 1
            last, state = line.number, "headline"
            continue
        if state == "headline" and with_summaries is not False and sig.words <= max_summary_words:
            if following is not None and signals[following.number - 1].is_prose:
                break
            with_summaries = True
            last, state = line.number, "summary"
            continue
        break
    return last, items


# The loaders used to be plain functools caches; callers that clear them (``load_patterns.cache_clear()``)
# keep working and now clear every phrase cache.
for _loader in (load_phrases, load_patterns, load_section):
    _loader.cache_clear = clear_phrase_caches  # type: ignore[attr-defined]

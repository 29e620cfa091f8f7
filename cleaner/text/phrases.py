"""The phrase engine: phrase books read as data, normalised, compiled to patterns, gated per line.

Each detector keeps its phrase book beside it (``cleaner/detectors/phrases/<name>.<lang>.txt``).
This module reads those files as package data, ``resources.files("cleaner") / "detectors" /
"phrases"``: anchored on the root package (already imported, as the parent of this one), so the
detectors package is never imported and the text layer stays closed. It normalises text the way
the patterns match it, compiles each ``[section]`` into :class:`PhrasePatterns`, gates lines by the
word runs they must hold (:func:`phrase_masks`), keeps user phrases per context
(:func:`extra_phrases`) and owns every cache that depends on them.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, lru_cache
from importlib import resources
from types import MappingProxyType
from typing import overload

from cleaner.text.page import Page

__all__ = [
    "TEXT_CACHE_SIZE",
    "clear_phrase_caches",
    "clear_text_caches",
    "extra_phrases",
    "freeze_phrases",
    "line_masker",
    "load_patterns",
    "load_phrases",
    "load_section",
    "matches",
    "normalize",
    "phrase_masks",
    "phrase_sections",
    "PhrasePatterns",
    "section_bit",
    "store_phrase_masks",
    "usable_phrase",
]

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


def load_phrases(name: str) -> tuple[str, ...]:
    """Lower-cased phrases from ``detectors/phrases/<name>.*.txt`` (every language file), user phrases last.

    One phrase a line; ``#`` starts a comment; ``[section]`` lines group phrases (see
    :func:`load_patterns`). Kept as data beside the detector that uses it.
    """
    return tuple(phrase.lower() for _, phrase in _phrase_pairs(name, _active_for(name)))


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
    # Read as data below the root package: importing cleaner.detectors from the text layer would
    # point upwards (see the module docstring).
    folder = resources.files("cleaner") / "detectors" / "phrases"
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
    was loaded since (the first page of a run). :func:`cleaner.text.signals.page_signals` stores them
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

    ``low_words``, when given, are the line's :func:`cleaner.text.language.words` lower-cased: on an
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


# The loaders used to be plain functools caches; callers that clear them (``load_patterns.cache_clear()``)
# keep working and now clear every phrase cache.
for _loader in (load_phrases, load_patterns, load_section):
    _loader.cache_clear = clear_phrase_caches  # type: ignore[attr-defined]

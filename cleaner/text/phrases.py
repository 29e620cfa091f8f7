"""The phrase engine: phrase books read as data, normalised, compiled to patterns, gated per line.

Each detector keeps its phrase data beside it (``cleaner/detectors/phrases/<name>.<lang>.txt``).
A :class:`PhraseBook` reads those files as package data, ``resources.files("cleaner") / "detectors" /
"phrases"``: anchored on the root package (already imported, as the parent of this one), so the
detectors package is never imported and the text layer stays closed. A book is an immutable value:
the data files plus the user phrases it was made with (the config file's ``[phrases.<detector>]``
tables), compared and hashed by them. It owns the memo of what it loaded and compiled (sections,
patterns, gate bits, and what detectors derive from them: :meth:`PhraseBook.derived`), so two books
never see each other's phrases and nothing has to be cleared when the phrases change. Every page
carries its book (``page.phrases``, default :data:`BUILT_IN`). This module also normalises text the
way the patterns match it and compiles each ``[section]`` into :class:`PhrasePatterns`, whose
:meth:`PhrasePatterns.matches` tests a line behind its gate bit.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache, lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import TypeVar, overload

__all__ = [
    "BUILT_IN",
    "TEXT_CACHE_SIZE",
    "PhraseBook",
    "PhrasePatterns",
    "clear_text_caches",
    "freeze_phrases",
    "matches",
    "normalize",
    "phrase_book",
    "usable_phrase",
]

T = TypeVar("T")

_NORM_WORD = re.compile(r"\w+(?:'\w+)*", re.UNICODE)
# Han and kana characters are matched as one "word" each: CJK writes no spaces, so a phrase must
# be able to match inside a longer run ("本网站使用Cookie" within a sentence).
_CJK_CHAR = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff])")
# What the phrase gates (cleaner.text.signals.phrase_masks) cut a lower-cased line into: runs of word characters,
# with every Han or kana character a run of its own. A phrase can only match a line holding each of
# its words' runs, so one run per phrase, looked up among a line's runs, rules most lines out at once.
_GATE_RUN = re.compile(r"[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]+|[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
# :data:`_GATE_RUN` on lower-cased ASCII text (no Han, no kana, no upper case).
_ASCII_RUN = re.compile(r"[a-z0-9_]+")
_SECTION = re.compile(r"^\[([\w-]+)\]$")


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


def freeze_phrases(extra: Mapping[str, Mapping[str, Sequence[str]]]) -> dict[str, ExtraPairs]:
    """``{detector: {section: [phrase, ...]}}`` -> ``{detector: ((section, phrase), ...)}``, in a stable order."""
    frozen = {
        name: tuple((section, phrase) for section, phrases in sorted(sections.items()) for phrase in phrases)
        for name, sections in sorted(extra.items())
    }
    return {name: pairs for name, pairs in frozen.items() if pairs}


def usable_phrase(phrase: str) -> bool:
    """True when ``phrase`` has a word to match once normalized (``"!!!"`` or ``"*"`` alone has none)."""
    return bool(normalize(phrase.replace("*", " ")))


def clear_text_caches() -> None:
    """Forget the per-text caches (normalized lines): the next page costs what a page never seen costs."""
    for cached in (normalize, _match_keys, _boundary_words):
        cached.cache_clear()


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
        # The section's bit in a line's phrase mask (cleaner.text.signals.phrase_masks; 0: not
        # gated, every line may match). Test lines with :meth:`matches`, which reads it.
        self.bit = bit

    def admits(self, mask: int) -> bool:
        """The gate alone: may a line with phrase mask ``mask`` match at all? (For a detector that
        must do other work on a line, such as cutting it at a colon, before :meth:`matches`.)"""
        return not self.bit or bool(mask & self.bit)

    def candidates(self, masks: Sequence[int]) -> list[int]:
        """The 1-based numbers of the lines (their phrase ``masks`` in page order) the gate lets through:
        the only lines :meth:`matches` can say yes to (a detector that seeks a rare phrase loops over these)."""
        bit = self.bit
        if not bit:
            return list(range(1, len(masks) + 1))
        return [number for number, mask in enumerate(masks, 1) if mask & bit]

    def matches(self, text: str, mask: int, head_words: int | None = None) -> bool:
        """:func:`matches` of ``text`` behind the gate: ``False`` at once when ``mask`` (the line's
        phrase mask) lacks this section's bit, so most lines are never normalized nor searched."""
        bit = self.bit
        if bit and not mask & bit:
            return False
        return matches(text, self, head_words)

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


@cache
def _compiled(source: str) -> re.Pattern[str]:
    """A phrase pattern source, compiled on first use (an indexed group: the first time a text has its word)."""
    return re.compile(source)


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


# ---------------------------------------------------------------------------
# The phrase book: the data files plus the user phrases, and everything loaded or compiled from them.
# ---------------------------------------------------------------------------

ExtraPairs = tuple[tuple[str, str], ...]  # (section, phrase) pairs added to one detector's phrase data
# Entries a book's memo holds before it starts again: its keys are the (detector, section) pairs
# the code asks for (under 100 in a run), so this is only a bound, never reached by the detectors.
MEMO_SIZE = 1024


class PhraseBook:
    """The phrase data a page is judged with: every detector's data files plus the user phrases.

    Immutable: made from ``extra`` (``{detector: {section: [phrase, ...]}}``, the config file's
    ``[phrases.<detector>]`` tables, added to the data files' sections) and ``folder`` (where the
    data files are; default: the package's), and equal and hashed by them. What it reads and
    compiles is kept in its own bounded memo, on first use: sections, patterns, gate bits, and
    what detectors build from them (:meth:`derived`). Use :func:`phrase_book` to get the one book
    of a set of user phrases (and so its memo) again; :data:`BUILT_IN` has none.
    """

    __slots__ = ("extra", "folder", "_key", "_memo", "_gates", "_lock")

    def __init__(
        self, extra: Mapping[str, Mapping[str, Sequence[str]]] | None = None, folder: Traversable | None = None
    ) -> None:
        self.extra: Mapping[str, ExtraPairs] = MappingProxyType(freeze_phrases(extra or {}))
        self.folder = folder
        self._key = (tuple(self.extra.items()), None if folder is None else str(folder))
        self._memo: dict[tuple[object, ...], object] = {}
        # The gate runs of every section this book has loaded (see phrase_masks in cleaner.text.signals).
        self._gates = _GateState(0, {}, {})
        self._lock = threading.Lock()  # (threads loading sections at once must not lose a gate)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PhraseBook):
            return self._key == other._key
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._key)

    def __repr__(self) -> str:
        return f"PhraseBook({self.user_phrases()!r})" if self.folder is None else f"PhraseBook(folder={self.folder!r})"

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # Sent to worker processes as its phrases (the memo is rebuilt there), interned again.
        if self.folder is None:
            return phrase_book, (self.user_phrases(),)
        return PhraseBook, (self.user_phrases(), self.folder)

    def user_phrases(self) -> dict[str, dict[str, list[str]]]:
        """The user phrases as given: ``{detector: {section: [phrase, ...]}}``."""
        nested: dict[str, dict[str, list[str]]] = {}
        for name, pairs in self.extra.items():
            for section, phrase in pairs:
                nested.setdefault(name, {}).setdefault(section, []).append(phrase)
        return nested

    def _remember(self, key: tuple[object, ...], make: Callable[[], T]) -> T:
        memo = self._memo
        if key in memo:
            return memo[key]  # type: ignore[return-value]
        if len(memo) >= MEMO_SIZE:
            memo.clear()  # (gate bits live in self._gates: patterns made before stay valid)
        value = memo[key] = make()
        return value

    def _files(self, name: str) -> tuple[tuple[str, str], ...]:
        """(section, phrase) pairs of the data files ``<name>.<lang>.txt``; ``[section]`` lines open a section."""
        return self._remember(("files", name), lambda: _read_phrase_files(self.folder or _package_phrases(), name))

    def _pairs(self, name: str) -> tuple[tuple[str, str], ...]:
        return self._files(name) + self.extra.get(name, ())

    def sections(self, name: str) -> frozenset[str]:
        """The ``[section]`` names of ``<name>.*.txt`` (what user phrases can extend)."""
        # (Read again by every Options made: validation checks user phrases against them.)
        return self._remember(("sections", name), lambda: frozenset(sec for sec, _ in self._files(name) if sec))

    def phrases(self, name: str) -> tuple[str, ...]:
        """Lower-cased phrases of ``<name>.*.txt`` (every language file, every section), user phrases last."""
        return tuple(phrase.lower() for _, phrase in self._pairs(name))

    def patterns(self, name: str, section: str = "") -> PhrasePatterns:
        """Compiled phrase patterns of one ``[section]`` of ``<name>.*.txt`` (every language), user phrases included.

        A pattern matches a whole line after :func:`normalize`; ``*`` matches any words, so
        ``* jobs`` matches "Highways jobs" and ``sign up for *`` matches "Sign up for our newsletter".
        """
        return self._remember(("patterns", name, section), lambda: self._compile(name, section))

    def section(self, name: str, section: str) -> frozenset[str]:
        """The normalized phrases of one ``[section]`` of ``<name>.*.txt`` as a set (word lists); user phrases too."""
        return self._remember(
            ("section", name, section),
            lambda: frozenset(normalize(phrase) for sec, phrase in self._pairs(name) if sec == section),
        )

    def section_bit(self, name: str, section: str, first_word: bool = False) -> int:
        """The phrase-mask bit of a :meth:`section` word list: lines that may *equal* an entry.

        A line whose normalized words (or, with ``first_word``, whose first word) equal an entry,
        or hold one as a whole word, has the bit. The test of the list itself stays with the caller.
        """
        return self._remember(("bit", name, section, first_word), lambda: self._section_gate(name, section, first_word))

    def derived(self, key: tuple[object, ...], build: Callable[[PhraseBook], T]) -> T:
        """``build(self)``, made once per book: what a detector compiles from phrase data (``key`` names it).

        Keyed by the book, so a build never outlives the phrases it was made from.
        """
        return self._remember(("derived", *key), lambda: build(self))

    def _compile(self, name: str, section: str) -> PhrasePatterns:
        phrases = {phrase for sec, phrase in self._pairs(name) if sec == section}
        regexes = {phrase: _regex(phrase) for phrase in phrases}
        by_word: dict[str, set[str]] = {}
        for phrase, regex in regexes.items():
            if regex:
                by_word.setdefault(_first_word(phrase), set()).add(regex)
        sources = [source for source in _alternations(regexes.values()) if source]
        bit = self._register_gate((name, section), {_gate_run(phrase) for phrase, regex in regexes.items() if regex})
        return PhrasePatterns(sources, {word: _alternations(group) for word, group in sorted(by_word.items())}, bit)

    def _section_gate(self, name: str, section: str, first_word: bool) -> int:
        entries = [entry.split(" ")[0] if first_word else entry for entry in self.section(name, section) if entry]
        kind = "first word" if first_word else "entry"
        return self._register_gate((name, section, kind), {_gate_run(entry) for entry in entries})

    def _register_gate(self, key: tuple[str, ...], runs: set[str]) -> int:
        """The bit of phrase section ``key``, with ``runs`` added to what its lines are tested for.

        A section keeps its bit for the life of the book, and its runs only grow (the memo may
        compile a section again), which only lets more lines through to :func:`matches`.
        """
        with self._lock:
            state = self._gates
            bit = state.section_bits.get(key)
            if bit is not None and all(state.run_bits.get(run, 0) & bit for run in runs):
                return bit
            bits = dict(state.section_bits)
            if bit is None:
                bit = bits[key] = 1 << len(bits)
            run_bits = dict(state.run_bits)
            for run in runs:
                run_bits[run] = run_bits.get(run, 0) | bit
            self._gates = _GateState(state.version + 1, bits, run_bits)  # replaced whole: readers keep theirs
            return bit

    @property
    def gate_version(self) -> int:
        """Grows whenever a section is loaded: phrase masks made with an older version lack its bit."""
        return self._gates.version

    def line_masker(self) -> tuple[int, Callable[[str, list[str] | None], int]]:
        """(gate version, ``mask_of``): ``mask_of(content, low_words)`` is a non-blank line's phrase mask.

        The mask has the bit (:attr:`PhrasePatterns.bit`) of every section the line may match: it
        holds the gate run of one of its phrases (see :func:`_gate_run`). ``low_words``, when
        given, are the line's :func:`cleaner.text.language.words` lower-cased: on an ASCII line
        they are its gate runs (once cut at their apostrophes), so the caller that has them saves
        a second split of the line.
        """
        state = self._gates
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


def _package_phrases() -> Traversable:
    # Read as data below the root package: importing cleaner.detectors from the text layer would
    # point upwards (see the module docstring).
    return resources.files("cleaner") / "detectors" / "phrases"


def _read_phrase_files(folder: Traversable, name: str) -> tuple[tuple[str, str], ...]:
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


# The book of the data files alone: an immutable value with a memo, not configuration.
BUILT_IN = PhraseBook()


def phrase_book(extra: Mapping[str, Mapping[str, Sequence[str]]] | None = None) -> PhraseBook:
    """The book of the package's data files plus ``extra``: the same instance for the same phrases.

    A run makes its settings again for every document (the datatrove step, ``clean_text`` in a
    loop): the same book, and so what it compiled, serves them all.
    """
    frozen = tuple(freeze_phrases(extra or {}).items())
    return _book_of(frozen) if frozen else BUILT_IN


@lru_cache(maxsize=16)  # keyed by the phrases themselves: a value, never stale
def _book_of(frozen: tuple[tuple[str, ExtraPairs], ...]) -> PhraseBook:
    nested: dict[str, dict[str, list[str]]] = {}
    for name, pairs in frozen:
        for section, phrase in pairs:
            nested.setdefault(name, {}).setdefault(section, []).append(phrase)
    return PhraseBook(nested)

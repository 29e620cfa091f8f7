"""cleaner.text.phrases: phrase books normalised, compiled, matched and gated; the shortcuts equal the plain patterns.

The phrase data is the detectors' (``cleaner/detectors/phrases``): the engine is tested on the books it serves.
"""

from __future__ import annotations

import re

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.text.page import Page
from cleaner.text.phrases import BUILT_IN, PhraseBook, matches, normalize
from cleaner.text.signals import phrase_masks

load_patterns, load_phrases, load_section = BUILT_IN.patterns, BUILT_IN.phrases, BUILT_IN.section


def test_normalize_lowercases_and_drops_punctuation():
    assert normalize("  SIGN UP — For your free daily news bulletin! ") == "sign up for your free daily news bulletin"
    assert normalize("Don’t miss") == "don't miss"


@pytest.mark.parametrize(
    ("pattern_file", "section", "text", "expected"),
    [
        ("navigation", "skip", "Skip to main content", True),
        ("navigation", "skip", "Zum Inhalt springen", True),
        ("navigation", "skip", "Skipper wins the race", False),
        ("job-ads", "heading", "Highways jobs", True),
        ("job-ads", "heading", "Jobs", True),
        ("job-ads", "heading", "Jobless claims rise", False),
        ("signup", "newsletter", "For your free daily news bulletin", True),
        ("signup", "newsletter", "Sign up for our weekly newsletter", True),
        ("signup", "account", "Sign in", True),
        ("signup", "account", "Sign in to the building was slow", False),
        ("sponsored", "heading", "Partner Content", True),
        ("sponsored", "inline", "ADVERTISEMENT", True),
        ("teasers", "heading", "More from UK", True),
        ("cookies", "notice", "This website uses cookies to improve your experience.", True),
    ],
)
def test_phrase_patterns(pattern_file, section, text, expected):
    assert matches(text, load_patterns(pattern_file, section)) is expected


def test_every_phrase_file_section_loads():
    for name in ("navigation", "cookies", "social", "signup", "job-ads", "sponsored", "teasers", "footer"):
        assert load_phrases(name), name
    assert "facebook" in load_section("social", "network")


def test_matches_can_look_at_the_head_of_a_line_only():
    patterns = load_patterns("cookies", "notice")
    late = "A long sentence " * 30 + "and then you agree to our use of cookies here."
    assert matches(late, patterns)
    assert not matches(late, patterns, head_words=20)


def test_cjk_phrases_match_inside_a_longer_run():
    # CJK writes no spaces: "cookie设置 *" must match at the start of a longer run of characters.
    assert matches("Cookie设置和隐私选项", load_patterns("cookies", "notice"))
    assert not matches("设置和隐私选项", load_patterns("cookies", "notice"))


# --- the speed shortcuts answer exactly what the plain patterns answer ---------------------------

SECTIONS = [("cookies", "notice"), ("signup", "newsletter"), ("signup", "account"), ("teasers", "heading"),
            ("navigation", "skip"), ("social", "share"), ("footer", "notice"), ("job-ads", "heading")]


def _phrase_words() -> list[str]:
    found = {word for name, section in SECTIONS for phrase in load_section(name, section) for word in phrase.split()}
    return sorted(found - {"*"})


PHRASE_TEXT = st.lists(
    st.one_of(st.sampled_from(_phrase_words()), st.sampled_from(["'", "’", "s", "x", "!", "The", "设置", "CO"])),
    max_size=10,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(PHRASE_TEXT, st.sampled_from(SECTIONS), st.sampled_from([None, 3]))
def test_indexed_phrase_matching_equals_the_whole_alternation(text: str, where: tuple[str, str], head: int | None):
    from cleaner.text.phrases import _match_form

    patterns = load_patterns(*where)
    norm = _match_form(text)
    if head is not None:
        norm = " ".join(norm.split()[:head])
    expected = bool(norm) and any(pattern.search(norm) for pattern in tuple(patterns))
    assert matches(text, patterns, head_words=head) == expected


GATED_SECTIONS = [*SECTIONS, ("teasers", "inline"), ("teasers", "link"), ("teasers", "line"), ("navigation", "tags"),
                  ("navigation", "pager"), ("cookies", "control"), ("sponsored", "heading"), ("sponsored", "inline"),
                  ("footer", "copyright"), ("captions", "placeholder")]
GATE_TEXT = st.lists(
    st.one_of(
        st.sampled_from(sorted({word for name, section in GATED_SECTIONS for phrase in load_section(name, section)
                                for word in phrase.split()} - {"*"})),
        st.sampled_from(["'", "’", "s", "x", "!", ":", "|", "-", "The", "设置", "CO", "ΟΔΟΣ", "İnfo", "[1]", "\u200b"]),
    ),
    max_size=10,
).map(lambda words: "".join(w + (" " if i % 3 else "") for i, w in enumerate(words)))


def _gate_allows(text: str, patterns, book: PhraseBook = BUILT_IN) -> bool:
    page = Page(text.replace("\n", " ") + "\n", phrases=book)
    line = page.lines[0]
    return bool(phrase_masks(page)[0] & patterns.bit) or line.is_blank


@settings(max_examples=400, deadline=None)
@given(GATE_TEXT, st.sampled_from(GATED_SECTIONS), st.sampled_from([None, 3]))
def test_phrase_gate_never_rules_out_a_match(text: str, where: tuple[str, str], head: int | None):
    # phrase_masks may let lines through that do not match, never the other way round; also for
    # the parts of a line the detectors match (cut at a colon), Greek final sigma and CJK runs.
    patterns = load_patterns(*where)
    content = Page(text.replace("\n", " ") + "\n").lines[0].content
    if matches(content, patterns, head_words=head) or matches(content.partition(":")[0], patterns):
        assert _gate_allows(text, patterns)


def test_phrase_gate_of_every_phrase():
    for path in sorted((ROOT / "cleaner" / "detectors" / "phrases").glob("*.txt")):
        name = path.name.split(".")[0]
        for section in {section for section, _ in _phrase_pairs(name)}:
            patterns = load_patterns(name, section)
            for phrase in load_phrases_of(name, section):
                for text in (phrase.replace("*", "more words"), phrase.upper().replace("*", "X"), f"» {phrase} «"):
                    if matches(Page(text + "\n").lines[0].content, patterns):
                        assert _gate_allows(text, patterns), (name, section, text)


def test_phrase_gate_folds_final_sigma():
    # "ΟΔΟΣ:Α" lowers to "οδοσ:α" (the colon does not end the word) but its label "ΟΔΟΣ" to "οδος".
    book = PhraseBook({"navigation": {"tags": ["οδος"]}})
    patterns = book.patterns("navigation", "tags")
    assert matches("ΟΔΟΣ", patterns)
    assert _gate_allows("ΟΔΟΣ:Α", patterns, book) and _gate_allows("ΟΔΟΣ", patterns, book)


WORD_LISTS = [("social", "network", False), ("footer", "legal", True), ("teasers", "caption", False),
              ("comments", "heading", False)]


LIST_WORDS = sorted({w for name, section, _ in WORD_LISTS for e in load_section(name, section) for w in e.split()})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(
    st.sampled_from(LIST_WORDS), st.sampled_from(["'", "’", "x", "!", "12", "[1]", "ΟΔΟΣ", "设置", " "]),
), max_size=8).map(" ".join), st.sampled_from(WORD_LISTS))
def test_word_list_gate_never_rules_out_an_entry(text: str, where: tuple[str, str, bool]):
    # section_bit: a line whose words (or first word) include an entry, or that equals one, has the bit.
    name, section, first_word = where
    entries = load_section(name, section)
    bit = BUILT_IN.section_bit(name, section, first_word=first_word)
    page = Page(text + "\n")
    content = page.lines[0].content
    words = normalize(content).split()
    if first_word:
        hit = bool(words) and words[0] in {entry.split()[0] for entry in entries if entry}
    else:  # a word of the line, or the whole line without its numbers (the comments heading)
        hit = any(w in entries for w in words) or normalize(re.sub(r"\b\d+\b", " ", content)) in entries
    if hit:
        assert phrase_masks(page)[0] & bit


def _phrase_pairs(name: str):
    return BUILT_IN._files(name)


def load_phrases_of(name: str, section: str) -> list[str]:
    return [phrase for sec, phrase in _phrase_pairs(name) if sec == section]


# --- one gated call: PhrasePatterns.matches(text, mask) ------------------------------------------


@settings(max_examples=300, deadline=None)
@given(GATE_TEXT, st.sampled_from(GATED_SECTIONS), st.sampled_from([None, 3]))
def test_gated_matches_equals_the_ungated_match_where_the_mask_allows_it(text, where, head):
    patterns = load_patterns(*where)
    page = Page(text.replace("\n", " ") + "\n")
    content, mask = page.lines[0].content, phrase_masks(page)[0]
    assert patterns.bit  # every section of a book is gated
    if mask & patterns.bit:
        assert patterns.matches(content, mask, head) == matches(content, patterns, head)
    else:
        assert patterns.matches(content, mask, head) is False
    # A mask that allows the section gives the plain answer; one without its bit, False.
    assert patterns.matches(content, patterns.bit, head) == matches(content, patterns, head)
    assert patterns.matches(content, ~patterns.bit, head) is False


def test_candidates_and_admits_are_the_gate_alone():
    patterns = load_patterns("cookies", "notice")
    page = Page("Home\nWe use cookies to improve your experience.\nNews\nAccept all cookies\n")
    masks = phrase_masks(page)
    assert patterns.candidates(masks) == [n for n, mask in enumerate(masks, 1) if patterns.admits(mask)]
    assert 2 in patterns.candidates(masks) and 1 not in patterns.candidates(masks)
    for number, line in enumerate(page.lines, 1):  # a line the gate keeps out never matches
        if number not in patterns.candidates(masks):
            assert not matches(line.content, patterns)


def test_a_gated_out_line_is_never_normalized():
    from cleaner.text.phrases import _match_keys

    patterns = load_patterns("cookies", "notice")
    text = "This website uses cookies to improve your experience, said no one ever 9183."
    before = _match_keys.cache_info()
    assert patterns.matches(text, 0) is False
    after = _match_keys.cache_info()
    assert (after.hits, after.misses) == (before.hits, before.misses)
    assert patterns.matches(text, patterns.bit)


def test_no_detector_tests_gate_bits_by_hand():
    # The gate is behind PhrasePatterns.matches: "mask & patterns.bit and matches(...)" is gone.
    folder = ROOT / "cleaner" / "detectors"
    found = [f"{path.name}:{n}" for path in sorted(folder.glob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"\.bit and matches\(", line)]
    assert found == []


# --- the phrase book: an immutable value owning its memo ----------------------------------------


def test_books_are_equal_and_hashed_by_their_phrases():
    from cleaner.text.phrases import phrase_book

    extra = {"signup": {"newsletter": ["get our * digest"]}}
    assert PhraseBook(extra) == PhraseBook(extra) and hash(PhraseBook(extra)) == hash(PhraseBook(extra))
    assert PhraseBook(extra) != BUILT_IN and PhraseBook() == BUILT_IN
    assert phrase_book(extra) is phrase_book({"signup": {"newsletter": ("get our * digest",)}})  # its memo kept
    assert phrase_book({}) is BUILT_IN and phrase_book({"signup": {"newsletter": []}}) is BUILT_IN


def test_user_phrases_stay_in_their_book():
    book = PhraseBook({"signup": {"newsletter": ["get our * digest"]}})
    assert matches("Get our weekly digest", book.patterns("signup", "newsletter"))
    assert not matches("Get our weekly digest", load_patterns("signup", "newsletter"))
    assert book.section("social", "network") == load_section("social", "network")  # other detectors untouched
    assert book.phrases("signup")[-1] == "get our * digest"  # user phrases last
    page = Page("Get our weekly digest\n", phrases=book)
    assert book.patterns("signup", "newsletter").matches(page.lines[0].content, phrase_masks(page)[0])
    plain = Page("Get our weekly digest\n")
    assert not load_patterns("signup", "newsletter").matches(plain.lines[0].content, phrase_masks(plain)[0])


def test_derived_values_are_made_once_per_book():
    made = []

    def build(book: PhraseBook) -> frozenset[str]:
        made.append(book)
        return book.section("signup", "newsletter")

    book = PhraseBook({"signup": {"newsletter": ["get our * digest"]}})
    assert book.derived(("test", "build"), build) is book.derived(("test", "build"), build)
    assert PhraseBook().derived(("test", "build"), build) == load_section("signup", "newsletter")
    assert made == [book, BUILT_IN]
    assert "get our digest" in book.derived(("test", "build"), build)


def test_a_book_is_sent_to_workers_as_its_phrases():
    import pickle

    from cleaner.text.phrases import phrase_book

    book = phrase_book({"signup": {"newsletter": ["get our * digest"]}})
    book.patterns("signup", "newsletter")
    assert pickle.loads(pickle.dumps(book)) is book  # interned again (in a worker: made there)
    assert pickle.loads(pickle.dumps(BUILT_IN)) is BUILT_IN


def test_a_book_reads_the_data_files_of_its_folder(tmp_path):
    (tmp_path / "signup.xx.txt").write_text("[newsletter]\nhello * world\n", encoding="utf-8")
    book = PhraseBook(folder=tmp_path)
    assert book != BUILT_IN and book.sections("signup") == {"newsletter"}
    assert matches("Hello big world", book.patterns("signup", "newsletter"))
    assert not matches("Sign up for our weekly newsletter", book.patterns("signup", "newsletter"))


def test_no_phrase_state_outside_the_book():
    # No context variable of phrases, no walk over sys.modules to clear caches.
    for path in sorted((ROOT / "cleaner").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert "ContextVar" not in source and "sys.modules" not in source, path

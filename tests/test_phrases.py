"""cleaner.text.phrases: phrase books normalised, compiled, matched and gated; the shortcuts equal the plain patterns.

The phrase data is the detectors' (``cleaner/detectors/phrases``): the engine is tested on the books it serves.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.text.page import Page
from cleaner.text.phrases import load_patterns, load_phrases, load_section, matches, normalize


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


def _gate_allows(text: str, patterns) -> bool:
    from cleaner.text.phrases import phrase_masks

    page = Page(text.replace("\n", " ") + "\n")
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
    for path in sorted((Path(__file__).resolve().parent.parent / "cleaner" / "detectors" / "phrases").glob("*.txt")):
        name = path.name.split(".")[0]
        for section in {section for section, _ in _phrase_pairs(name)}:
            patterns = load_patterns(name, section)
            for phrase in load_phrases_of(name, section):
                for text in (phrase.replace("*", "more words"), phrase.upper().replace("*", "X"), f"» {phrase} «"):
                    if matches(Page(text + "\n").lines[0].content, patterns):
                        assert _gate_allows(text, patterns), (name, section, text)


def test_phrase_gate_folds_final_sigma():
    # "ΟΔΟΣ:Α" lowers to "οδοσ:α" (the colon does not end the word) but its label "ΟΔΟΣ" to "οδος".
    from cleaner.text.phrases import extra_phrases

    with extra_phrases({"navigation": {"tags": ["οδος"]}}):
        patterns = load_patterns("navigation", "tags")
        assert matches("ΟΔΟΣ", patterns)
        assert _gate_allows("ΟΔΟΣ:Α", patterns) and _gate_allows("ΟΔΟΣ", patterns)


WORD_LISTS = [("social", "network", False), ("footer", "legal", True), ("teasers", "caption", False),
              ("comments", "heading", False)]


LIST_WORDS = sorted({w for name, section, _ in WORD_LISTS for e in load_section(name, section) for w in e.split()})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(
    st.sampled_from(LIST_WORDS), st.sampled_from(["'", "’", "x", "!", "12", "[1]", "ΟΔΟΣ", "设置", " "]),
), max_size=8).map(" ".join), st.sampled_from(WORD_LISTS))
def test_word_list_gate_never_rules_out_an_entry(text: str, where: tuple[str, str, bool]):
    # section_bit: a line whose words (or first word) include an entry, or that equals one, has the bit.
    from cleaner.text.phrases import phrase_masks, section_bit

    name, section, first_word = where
    entries = load_section(name, section)
    bit = section_bit(name, section, first_word=first_word)
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
    from cleaner.text.phrases import _read_phrase_files

    return _read_phrase_files(name)


def load_phrases_of(name: str, section: str) -> list[str]:
    return [phrase for sec, phrase in _phrase_pairs(name) if sec == section]

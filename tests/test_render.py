import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner.render import LAYOUT, LAYOUT_BLANK, LAYOUT_WHITESPACE, CleanResult, Edit, rebuild, render
from cleaner.text.labels import InlineEdit, Labels, Removal
from cleaner.text.page import Page

TEXT = "Menu\n\n  Title  \n\nFirst paragraph.\n\n\nSecond paragraph.\n\nFooter\n"


def labelled(text: str, *removals: Removal) -> tuple[Page, Labels]:
    page = Page(text)
    labels = Labels(size=len(page))
    for removal in removals:
        labels.add(removal)
    return page, labels


def test_removed_lines_leave_the_text_and_are_reported_with_their_reason():
    page, labels = labelled(TEXT, Removal("nav", "NAV1", 1, 1, "menu"), Removal("foot", "FOOT1", 10, 10))
    result = render(page, labels)
    assert result.text == "Title\n\nFirst paragraph.\n\n\nSecond paragraph.\n"
    nav = result.removed[0]
    assert (nav.detector, nav.rule, nav.first_line, nav.last_line, nav.text, nav.reason) == (
        "nav", "NAV1", 1, 2, "Menu\n\n", "menu"
    )
    assert result.lines_total == 10 and result.lines_kept == 6 and result.lines_removed == 4


def test_blank_lines_beside_a_removed_block_go_with_it_and_between_kept_lines_stay():
    page, labels = labelled(TEXT, Removal("foot", "FOOT1", 10, 10))
    spans = {(span.first_line, span.last_line): span.detector for span in render(page, labels).removed}
    assert spans == {(9, 10): "foot"}


@pytest.mark.parametrize(
    ("text", "removed"),
    [
        ("A.\n\nAd\n\nB.\n", [3]),  # blank runs on both sides: the first stays
        ("A.\nAd\n\nB.\n", [2]),  # only after: that one stays
        ("A.\n\nAd\n\nMore ads\n\nB.\n", [3, 5]),  # two removed blocks: one separator in all
    ],
)
def test_a_block_removed_between_paragraphs_leaves_one_blank_run_between_them(text, removed):
    page, labels = labelled(text, *(Removal("ads", "AD1", n, n) for n in removed))
    result = render(page, labels)
    assert result.text == "A.\n\nB.\n"
    assert result.rebuild() == text


def test_leading_blank_lines_with_nothing_removed_are_layout():
    page, labels = labelled("\n\nText.\n")
    result = render(page, labels)
    assert result.text == "Text.\n"
    assert [(s.detector, s.rule, s.first_line, s.last_line) for s in result.removed] == [(LAYOUT, LAYOUT_BLANK, 1, 2)]


def test_kept_lines_are_trimmed_and_the_trim_is_an_edit():
    page, labels = labelled(TEXT)
    result = render(page, labels)
    assert "  Title  " not in result.text and "Title\n" in result.text
    assert Edit(3, 0, 2, "  ", LAYOUT, LAYOUT_WHITESPACE) in result.edits
    assert Edit(3, 7, 9, "  ", LAYOUT, LAYOUT_WHITESPACE) in result.edits


def test_removals_by_detector_count_non_blank_lines_and_skip_layout():
    page, labels = labelled(TEXT, Removal("nav", "NAV1", 1, 1), Removal("foot", "FOOT1", 9, 10))
    assert render(page, labels).removals_by_detector() == {"nav": 1, "foot": 1}


def test_a_later_specific_label_wins_over_a_generic_one():
    page, labels = labelled("a\nb\nc\n")
    labels.generic.add("main-body")
    labels.add(Removal("main-body", "BODY1", 1, 2))
    labels.add(Removal("nav", "NAV1", 2, 2))
    labels.add(Removal("main-body", "BODY1", 2, 2))  # generic again: does not take the line back
    result = render(page, labels)
    assert [(s.detector, s.first_line, s.last_line) for s in result.removed] == [("main-body", 1, 1), ("nav", 2, 2)]


def test_everything_removed_gives_empty_text_and_still_rebuilds():
    page, labels = labelled(TEXT, Removal("x", "X1", 1, 10))
    result = render(page, labels)
    assert result.text == "" and result.lines_kept == 0
    assert result.rebuild() == TEXT


def test_rebuild_puts_in_line_edits_back_in_order():
    assert rebuild("ab\n", [], [Edit(1, 0, 2, "  "), Edit(1, 3, 5, "XY")]) == "  aXYb\n"


# --- in-line edits requested by detectors -----------------------------------------------------------


def cut(line: int, start: int, end: int) -> InlineEdit:
    return InlineEdit("link-list", "LINK3", line, start, end)


def rendered(text: str, cuts: list[tuple[int, int, int]], *removals: Removal) -> CleanResult:
    """``text`` rendered with ``removals`` and link-marker ``cuts`` (line, start, end) asked for."""
    page, labels = labelled(text, *removals)
    for line, start, end in cuts:
        labels.add(cut(line, start, end))
    return render(page, labels)


def test_requested_cut_leaves_the_output_and_is_reported_with_its_detector():
    result = rendered("   Read [12]the report\n", [(1, 8, 12)])
    assert result.text == "Read the report\n"
    assert result.edits == [Edit(1, 0, 3, "   "), Edit(1, 8, 12, "[12]", "link-list", "LINK3")]
    assert result.rebuild() == "   Read [12]the report\n"


def test_whitespace_a_cut_leaves_at_the_line_end_is_trimmed_too():
    text = "  iOS 13 [132]\n"
    result = rendered(text, [(1, 9, 14)])
    assert result.text == "iOS 13\n"
    assert Edit(1, 8, 9, " ") in result.edits
    assert result.rebuild() == text


def test_a_cut_at_the_line_start_joins_the_leading_whitespace_trim():
    result = rendered("   [7]Home page\n", [(1, 3, 6)])
    assert result.text == "Home page\n"
    assert [(e.start, e.end, e.rule) for e in result.edits] == [(0, 3, LAYOUT_WHITESPACE), (3, 6, "LINK3")]


def test_cuts_on_removed_lines_are_ignored_and_overlaps_dropped():
    # (2, 6, 9) overlaps the cut before it: dropped; (2, 40, 50) is past the line's end: nothing to cut
    cuts = [(1, 0, 3), (2, 5, 8), (2, 6, 9), (2, 13, 16), (2, 40, 50)]
    result = rendered("[1]Menu\nBody [2]text [3]here\n", cuts, Removal("nav", "NAV1", 1, 1))
    assert result.text == "Body text here\n"
    assert [(e.line, e.start, e.end) for e in result.edits if e.rule == "LINK3"] == [(2, 5, 8), (2, 13, 16)]
    assert result.rebuild() == "[1]Menu\nBody [2]text [3]here\n"


def test_a_line_cut_down_to_whitespace_is_kept_empty():
    text = "Body text.\n  [4]  \nMore text.\n"
    result = rendered(text, [(2, 2, 5)])
    assert result.text == "Body text.\n\nMore text.\n"
    assert result.rebuild() == text


def test_half_removed_wrapped_paragraph_goes_whole():
    sentence = ("The harbour board agreed on Monday to rebuild the old fish market as a covered hall for "
                "local traders, ending two years of argument over whether the site should be sold. ")
    lines, current = [], ""
    for word in (sentence * 2).split():
        if len(current) + 1 + len(word) > 60 and current:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    paragraph = lines + [current]
    text = "Home\n\n" + "\n\n".join(["\n".join(paragraph)] * 3) + "\n"
    first, last = 3, 2 + len(paragraph)
    page, labels = labelled(text, Removal("x", "X1", first, first + len(paragraph) // 2))
    result = render(page, labels)
    owner = {n: span.detector for span in result.removed for n in range(span.first_line, span.last_line + 1)}
    assert all(owner.get(n) == "x" for n in range(first, last + 1))
    assert result.text.count("\n".join(paragraph)) == 2  # the two other copies stay whole
    assert result.rebuild() == text


@st.composite
def lines_with_cuts(draw):
    text = draw(st.text(alphabet=st.sampled_from(list("ab [1]\t.\n")), max_size=60))
    page = Page(text)
    cuts = []
    for _ in range(draw(st.integers(0, 6))):
        if len(page):
            line = draw(st.integers(1, len(page)))
            start = draw(st.integers(0, 20))
            cuts.append(cut(line, start, start + draw(st.integers(0, 6))))
    return text, cuts


@given(lines_with_cuts())
def test_render_with_cuts_is_lossless(case):
    text, cuts = case
    page, labels = labelled(text)
    for request in cuts:
        labels.add(request)
    result = render(page, labels)
    assert result.rebuild() == text


LINE = st.text(alphabet=st.sampled_from(list("ab  \t.é")), max_size=12)
# Line endings: "\n" and "\r\n" mixed, old-Mac "\r" alone, or all three mixed.
ENDINGS = st.sampled_from([["\n", "\r\n"], ["\r"], ["\n", "\r\n", "\r"]])


@st.composite
def pages_with_removals(draw):
    endings = draw(ENDINGS)
    lines = draw(st.lists(st.tuples(LINE, st.sampled_from(endings)), min_size=1, max_size=25))
    text = "".join(body + end for body, end in lines)
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    size = len(Page(text))
    removals = []
    for _ in range(draw(st.integers(0, 4))):
        if size:
            first = draw(st.integers(1, size))
            last = draw(st.integers(first, size))
            removals.append(Removal(draw(st.sampled_from(["nav", "foot"])), "R1", first, last))
    return text, removals


@given(pages_with_removals())
def test_render_is_lossless(case):
    text, removals = case
    page, labels = labelled(text, *removals)
    result = render(page, labels)
    assert result.rebuild() == text
    assert result.lines_kept == len(Page(result.text))
    kept_removed = {n for span in result.removed for n in range(span.first_line, span.last_line + 1)}
    assert len(kept_removed) == result.lines_total - result.lines_kept


def test_lone_cr_before_a_kept_blank_line_is_lossless():
    page, labels = labelled("a\r \na\n")
    assert render(page, labels).rebuild() == "a\r \na\n"

from hypothesis import given
from hypothesis import strategies as st

from cleaner.text.page import Page

LINE_CHARS = st.text(alphabet=st.characters(codec="utf-8"), max_size=200)


def test_lines_keep_their_exact_endings():
    page = Page("one\r\ntwo\rthree\nfour")
    assert [(line.number, line.text, line.ending) for line in page.lines] == [
        (1, "one", "\r\n"), (2, "two", "\r"), (3, "three", "\n"), (4, "four", ""),
    ]


def test_blank_lines_count_and_a_final_newline_adds_no_line():
    page = Page("a\n\n  \nb\n")
    assert len(page) == 4
    assert [line.is_blank for line in page.lines] == [False, True, True, False]
    assert page.line(4).text == "b"


def test_empty_text_has_no_lines():
    assert len(Page("")) == 0
    assert Page("").blocks() == []


@given(LINE_CHARS)
def test_lines_put_together_give_the_text_back(text):
    page = Page(text)
    assert "".join(line.text + line.ending for line in page.lines) == text
    assert [line.number for line in page.lines] == list(range(1, len(page) + 1))
    assert all("\n" not in line.text and "\r" not in line.text for line in page.lines)


def test_stripped_content_bullets_and_indent():
    line = Page("   * Home page  \n").line(1)
    assert line.stripped == "* Home page"
    assert line.bulleted and line.content == "Home page"
    assert line.indent == 3
    plain = Page("2024 was a year.\n").line(1)
    assert not plain.bulleted and plain.content == "2024 was a year."


def test_blocks_are_runs_of_non_blank_lines():
    page = Page("a\nb\n\n\nc\n \nd\n")
    assert [[line.number for line in block] for block in page.blocks()] == [[1, 2], [5], [7]]
    assert [line.number for line in page.nonblank()] == [1, 2, 5, 7]


def test_content_reads_without_link_markers():
    assert Page("     * [12]Home\n").line(1).content == "Home"
    assert Page("   Read [3]the report [4]here.\n").line(1).content == "Read the report here."
    # A bracketed number followed by a space is not a link marker.
    assert Page("[1] Introduction\n").line(1).content == "[1] Introduction"


def test_a_page_without_blank_lines_has_one_block_per_line():
    page = Page("Menu\nHeadline\nFirst paragraph.\nSecond paragraph.\n")
    assert [[line.number for line in block] for block in page.blocks()] == [[1], [2], [3], [4]]
    assert [[line.number for line in block] for block in Page("only line\n").blocks()] == [[1]]


# Line breaks str.splitlines knows besides \n and \r: the page splits only at \n, \r and \r\n.
BREAKY = st.text(alphabet=st.sampled_from(list("ab \t\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029é")), max_size=60)


@given(BREAKY)
def test_fast_line_split_equals_the_regex_split(text: str):
    from cleaner.text.page import _LINE

    expected = [match.group() for match in _LINE.finditer(text)]
    assert [line.text + line.ending for line in Page(text).lines] == expected
    assert all(line.ending in ("", "\n", "\r", "\r\n") for line in Page(text).lines)


# --- slotted lines: the derived fields equal their definitions ----------------------------------

LIST_LINE = st.lists(
    st.sampled_from(["* ", "12. ", "٣) ", "+ ", "[4]", "[5] ", "Home", " ", "\t", "\u200b", "\u00a0", "word.", "-"]),
    max_size=8,
).map("".join)


@given(LIST_LINE)
def test_derived_fields_equal_their_definitions(text):
    import re

    from cleaner.text.page import BULLET, INVISIBLE, LINK_MARKER

    line = Page(text + "\n").line(1) if text else Page("x").line(1)
    stripped = line.text.strip()
    assert line.stripped == stripped
    assert line.is_blank == (not stripped.strip(INVISIBLE))
    assert line.bulleted == bool(BULLET.match(stripped))
    marked = LINK_MARKER.sub("", stripped) if "[" in stripped else stripped
    assert line.content == BULLET.sub("", marked, count=1).strip()
    assert line.indent == len(line.text) - len(re.sub(r"^\s+", "", line.text))


@given(LINE_CHARS)
def test_lines_and_endings_match_the_line_splitter(text):
    from cleaner.text.page import split_lines

    expected = [(chunk.rstrip("\r\n"), chunk[len(chunk.rstrip("\r\n")):]) for chunk in split_lines(text)]
    assert [(line.text, line.ending) for line in Page(text).lines] == expected


def test_lines_compare_and_hash_by_number_text_and_ending():
    from cleaner.text.page import Line

    line = Line(3, "  * Home", "\n")
    assert line == Line(3, "  * Home", "\n") and hash(line) == hash(Line(3, "  * Home", "\n"))
    assert line != Line(4, "  * Home", "\n") and line != Line(3, "  * Home", "")
    assert len({line, Line(3, "  * Home", "\n")}) == 1
    assert repr(line) == "Line(number=3, text='  * Home', ending='\\n')"
    assert not hasattr(line, "__dict__")  # slots: no per-line dictionary (memory on big pages)


def test_a_table_frame_is_layout_not_text():
    # w3m and links draw table cells with box-drawing borders: "│ text │" is judged as "text".
    page = Page("│  • Dear family, we are so sorry.   │\n│                                    │\n│ Plain │\n")
    assert page.lines[0].content == "Dear family, we are so sorry." and page.lines[0].bulleted
    assert page.lines[1].is_blank and page.lines[1].content == ""
    assert page.lines[2].content == "Plain"
    assert "".join(line.text + line.ending for line in page.lines) == page.text  # the text itself is untouched

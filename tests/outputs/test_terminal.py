"""The coloured --diff views: the plain review and diff with styles on top, cropped only for a terminal."""

from __future__ import annotations

import re

import pytest
from conftest import seed_files
from rich.cells import cell_len

from cleaner import clean_text
from cleaner.outputs.diff import format_review, unified_diff
from cleaner.outputs.terminal import (
    MIN_TEXT_WIDTH,
    PALETTE,
    REMOVED,
    detector_color,
    render_review,
    render_unified,
    terminal_width,
)
from cleaner.render import CleanResult, Edit, RemovedSpan

ANSI = re.compile(r"\x1b\[[0-9;]*m")
LONG = "word " * 60


def seed_result() -> CleanResult:
    return clean_text(seed_files()[0].read_text(encoding="utf-8"))


def sample() -> CleanResult:
    """A long kept line with a cut at its start, a removed menu line and a removed footer."""
    return CleanResult(
        "p", "Kept " + LONG.strip() + "\n",
        [RemovedSpan("navigation", "NAV1", 1, 1, "Home " + LONG + "\n"), RemovedSpan("footer", "FOOT1", 3, 3, "(c)\n")],
        [Edit(2, 0, 5, "Kept ", "link-list", "LINK3")], lines_total=3, lines_kept=1,
    )


def test_plain_review_is_format_review():
    result = seed_result()
    assert render_review(result, color=False) == format_review(result)
    assert render_review(result, color=False, header="==> a <==\n") == "==> a <==\n" + format_review(result)


def test_coloured_review_has_the_same_text_under_its_colours():
    result = seed_result()
    coloured = render_review(result, color=True, header="\n==> a <==\n")
    assert "\x1b[31m-" in coloured  # the removal mark
    assert "\x1b[34m navigation NAV1" in coloured  # the detector's colour on its label
    assert "\x1b[1m==> a <==" in coloured
    plain = [line.rstrip() for line in ANSI.sub("", coloured).splitlines()]
    assert plain == ["", "==> a <=="] + format_review(result, with_legend=True).splitlines()


def test_coloured_review_marks_cuts_and_lists_detectors_in_their_colours():
    coloured = render_review(sample(), color=True)
    legend = coloured.splitlines()[-1]
    assert "= removed 2 of 3 lines" in ANSI.sub("", legend)
    for name in ("navigation", "footer", "link-list"):
        assert f"\x1b[{ {'blue': 34, 'cyan': 36, 'green': 32}[detector_color(name)]}m{name} " in legend
    assert "\x1b[7;31mKept \x1b[0mKept word" in coloured  # the cut characters, reversed, in the kept line
    assert "~\x1b[0m\x1b[32m link-list LINK3" in coloured


@pytest.mark.parametrize("color", [False, True])
def test_long_lines_are_cropped_to_the_width_with_an_ellipsis(color):
    text = render_review(sample(), color=color, width=60)
    lines = ANSI.sub("", text).splitlines()
    assert all(cell_len(line) <= 60 for line in lines)
    assert lines[0].endswith("…") and lines[1].endswith("…")
    assert ANSI.sub("", render_review(sample(), color=color)).splitlines()[0].endswith("word")


def test_too_narrow_a_terminal_is_not_cropped():
    narrow = render_review(sample(), color=False, width=MIN_TEXT_WIDTH - 1)
    assert narrow == format_review(sample(), with_legend=True)


def test_the_legend_ends_the_review_on_a_terminal_or_in_colour_only():
    plain = render_review(sample(), color=False)
    assert "= removed" not in plain and len(plain.splitlines()) == 4  # 3 rows and the cut's marker
    assert render_review(sample(), color=False, width=200).splitlines()[-1].startswith("    = removed 2 of 3")
    assert "= removed" in ANSI.sub("", render_review(sample(), color=True))
    assert "= removed" in render_review(sample(), color=False, with_legend=True)


def test_wide_characters_are_cropped_by_cells():
    result = CleanResult("p", "", [RemovedSpan("navigation", "NAV1", 1, 1, "新闻" * 80 + "\n")], lines_total=1)
    lines = render_review(result, color=False, width=50).splitlines()
    assert cell_len(lines[0]) <= 50 and lines[0].endswith("…")


def test_detector_colours_are_fixed_and_never_the_removal_red():
    assert detector_color("navigation") == PALETTE["navigation"]
    assert detector_color("my-detector") == detector_color("my-detector")
    colours = {detector_color(name) for name in [*PALETTE, "my-detector", "other", "x"]}
    assert not any(REMOVED in colour for colour in colours)


def test_unified_diff_plain_is_untouched_and_coloured_by_line_kind():
    result = seed_result()
    diff = unified_diff(result, "page.txt")
    assert render_unified(diff, color=False) == diff
    coloured = render_unified(diff, color=True)
    assert "\x1b[31m-" in coloured and "\x1b[36m@@ -1" in coloured and "\x1b[1m--- a/page.txt" in coloured
    assert [line.rstrip() for line in ANSI.sub("", coloured).splitlines()] == [
        line.rstrip() for line in diff.splitlines()
    ]


def test_no_width_when_stdout_is_not_a_terminal(monkeypatch):
    import sys

    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    assert terminal_width() is None
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert isinstance(terminal_width(), int)

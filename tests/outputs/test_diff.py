"""What `clean --diff` prints: the unified diff (``--diff-format unified``, GNU ``patch`` turns the input into the
clean output) and the line-by-line review."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import BENCH, PROSE, bench_files, seed_files
from test_report import sample

import cleaner as api
from cleaner import clean_text
from cleaner.cli import app
from cleaner.metadata import Metadata
from cleaner.outputs.diff import NO_NEWLINE, format_review, legend, review, shown, unified_diff
from cleaner.render import CleanResult, Edit, RemovedSpan

PATCH = shutil.which("patch")
assert PATCH, "GNU patch is part of Debian's base system; the diff tests need it"
MENU = "Skip to main content\n\n"
FOOTER = "\n\nCopyright 2024 Example News. All rights reserved.\n"


def patched(tmp_path: Path, name: str, text: str, diff: str) -> bytes:
    """Write ``text`` as ``tmp_path/w/name``, apply ``diff`` there with ``patch -p1`` (no fuzz), return the file."""
    work = tmp_path / "w"
    target = work / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode("utf-8"))
    done = subprocess.run(
        [PATCH, "-p1", "--fuzz=0", "--no-backup-if-mismatch", "-d", str(work)],
        input=diff.encode("utf-8"), capture_output=True, timeout=30,
    )
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()
    assert not list(work.rglob("*.rej")) and not list(work.rglob("*.orig"))
    return target.read_bytes()


def round_trip(tmp_path: Path, text: str, name: str = "page.txt") -> str:
    """The diff of ``text``'s cleaning, checked by applying it; returned for further checks."""
    result = clean_text(text, name)
    diff = unified_diff(result, name)
    assert diff, "the page should lose something"
    assert patched(tmp_path, name, text, diff) == result.text.encode("utf-8")
    return diff


@pytest.mark.parametrize("path", seed_files(), ids=lambda p: p.name)
def test_patch_turns_each_seed_into_its_clean_text(tmp_path, path):
    diff = round_trip(tmp_path, path.read_text(encoding="utf-8"), path.name)
    assert diff.startswith(f"--- a/{path.name}\n+++ b/{path.name}\n@@ -1")


@pytest.mark.skipif(not BENCH.exists(), reason="bench-data not available")
@pytest.mark.parametrize("index", [0, 1, 45, 91, 92, 181])
def test_patch_turns_dev_dumps_into_their_clean_text(tmp_path, index):
    path = bench_files()[index]
    round_trip(tmp_path, path.read_text(encoding="utf-8"), f"{path.parent.name}/{path.name}")


def test_crlf_lines_are_diffed_and_patched_exactly(tmp_path):
    text = MENU + "\n\n".join([PROSE] * 4) + FOOTER
    diff = round_trip(tmp_path, text.replace("\n", "\r\n"))
    assert "-Skip to main content\r\n" in diff and "@@ " in diff


def test_a_removed_last_line_without_newline(tmp_path):
    diff = round_trip(tmp_path, MENU + "\n\n".join([PROSE] * 4) + FOOTER.rstrip("\n"))
    assert diff.endswith("-Copyright 2024 Example News. All rights reserved.\n" + NO_NEWLINE)


def test_a_kept_last_line_without_newline(tmp_path):
    diff = round_trip(tmp_path, MENU + "\n\n".join([PROSE] * 4) + "   ")  # trailing spaces trimmed: line changes
    assert diff.count(NO_NEWLINE) == 2  # after the old last line and after the new one


def test_lone_carriage_returns_fall_back_to_comparing_patch_lines(tmp_path):
    round_trip(tmp_path, (MENU + "\n\n".join([PROSE] * 4) + FOOTER).replace("\n", "\r"))


def test_empty_output_leaves_an_empty_file(tmp_path):
    result = CleanResult("x", "", [RemovedSpan("nav", "NAV1", 1, 2, "Home\nNews\n")], lines_total=2)
    diff = unified_diff(result, "x.txt")
    assert "@@ -1,2 +0,0 @@\n-Home\n-News\n" in diff
    assert patched(tmp_path, "x.txt", "Home\nNews\n", diff) == b""
    assert (tmp_path / "w" / "x.txt").exists()


def test_nothing_removed_gives_no_diff():
    result = clean_text(PROSE + "\n\n" + PROSE + "\n")
    assert not result.removed and not result.edits and unified_diff(result, "p.txt") == ""


def test_hunks_hold_three_lines_of_context_and_count_their_lines():
    lines = [f"line {n}\n" for n in range(1, 21)]
    removed = [RemovedSpan("nav", "NAV1", 2, 2, lines[1]), RemovedSpan("foot", "FOOT1", 15, 15, lines[14])]
    kept = [line for n, line in enumerate(lines, 1) if n not in (2, 15)]
    kept[9] = "line 11\n"
    edits = [Edit(11, 7, 8, "!", "social", "SOC1")]
    kept_text = "".join(kept)
    result = CleanResult("p", kept_text, removed, edits, lines_total=20, lines_kept=18)
    assert result.rebuild() == "".join(lines).replace("line 11\n", "line 11!\n")
    hunks = unified_diff(result, "p.txt").split("@@ ")[1:]
    assert [hunk.split(" @@")[0] for hunk in hunks] == ["-1,5 +1,4", "-8,11 +7,10"]
    assert "-line 11!\n+line 11\n" in hunks[1]


def test_headers_name_the_path_for_patch_p1_and_quote_odd_names(tmp_path):
    text = MENU + "\n\n".join([PROSE] * 4) + FOOTER
    result = clean_text(text)
    assert unified_diff(result, "/abs/page.txt").startswith("--- a/abs/page.txt\n+++ b/abs/page.txt\n")
    diff = unified_diff(result, "my pages/été \"1\".txt")
    assert diff.startswith('--- "a/my pages/\\303\\251t\\303\\251 \\"1\\".txt"\n')
    assert patched(tmp_path, "my pages/été \"1\".txt", text, diff) == result.text.encode("utf-8")


# --- through the command ------------------------------------------------------------------------


def test_cli_unified_diff_of_a_folder_patches_the_folder_into_its_clean_outputs(runner, tmp_path, pages, monkeypatch):
    out = tmp_path / "out"
    api.clean_paths([pages], out)
    copy = tmp_path / "copy"
    shutil.copytree(pages, copy / "in")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["--diff", "--diff-format", "unified", "in"], catch_exceptions=False)
    assert result.exit_code == 0 and "\x1b[" not in result.stdout
    assert result.stdout.count("\n+++ b/in/") == 3 and "==>" not in result.stdout
    applied = subprocess.run([PATCH, "-p1", "--fuzz=0", "-d", str(copy)], input=result.stdout.encode("utf-8"),
                             capture_output=True, timeout=30)
    assert applied.returncode == 0, applied.stderr.decode()
    for name in ["000_e9e38ccef3864a27.txt", "003_82738a320e21dc04.txt", "sub/copy.txt"]:
        assert (copy / "in" / name).read_bytes() == (out / name).read_bytes(), name


def test_cli_unified_diff_in_colour_on_request(runner):
    result = runner.invoke(app, ["--diff", "--diff-format", "unified", "--color", "always", str(seed_files()[0])])
    assert result.exit_code == 0
    assert "\x1b[31m-" in result.stdout and "\x1b[36m@@" in result.stdout


def test_cli_diff_format_needs_diff(runner):
    result = runner.invoke(app, ["--diff-format", "unified", str(seed_files()[0])])
    assert result.exit_code == 2 and result.stdout == ""
    assert "--diff-format goes with --diff" in result.stderr


# --- the line-by-line review (clean --diff) ---


def test_review_lists_every_input_line_once():
    rows = review(sample())
    covered = [n for row in rows for n in range(row.number, row.number + row.count)]
    assert covered == list(range(1, 9))


def test_review_marks_removed_lines_and_compacts_removed_blank_runs():
    rows = {row.number: row for row in review(sample())}
    assert rows[1].label == "nav NAV1" and rows[2].label == "nav NAV1"
    assert rows[6].count == 2 and rows[6].label == "foot FOOT1"
    assert 7 not in rows
    assert not rows[3].removed


def test_review_shows_real_cuts_but_not_whitespace_trimming():
    rows = {row.number: row for row in review(sample())}
    assert rows[3].edits == ()
    assert [(e.rule, e.start, e.end) for e in rows[5].edits] == [("SOC9", 4, 13)]


def test_format_review_plain_text():
    lines = format_review(sample()).splitlines()
    assert lines[0] == "  1 - nav NAV1    | Home"
    assert lines[2] == "  3               |   Title"
    assert lines[3] == "  4               |"
    assert lines[4] == "  5               | Body [Share!] text here."
    assert lines[5] == "    ~ social SOC9 |     ^^^^^^^^^"
    assert lines[6] == "  6 - foot FOOT1  | (2 blank lines, 6-7)"
    assert lines[7] == "  8 - foot FOOT2  | (c) 2024"
    assert len(lines) == 8
    with_legend = format_review(sample(), with_legend=True).splitlines()
    assert with_legend[:8] == lines
    assert with_legend[8] == "    = removed 5 of 8 lines: foot 3, nav 2; in-line cuts: social 1"


def test_legend_of_a_one_line_page_is_singular():
    one = CleanResult(source="p.txt", text="", removed=[RemovedSpan("nav", "NAV1", 1, 1, "Home\n")], edits=[],
                      metadata=Metadata(), lines_total=1, lines_kept=0)
    assert format_review(one, with_legend=True).splitlines()[-1] == "    = removed 1 of 1 line: nav 1"


def test_review_of_a_real_page_matches_its_removed_spans():
    text = seed_files()[0].read_text(encoding="utf-8")
    result = clean_text(text)
    removed_lines = {n for s in result.removed for n in range(s.first_line, s.last_line + 1)}
    rows = review(result)
    shown = {n for row in rows if row.removed for n in range(row.number, row.number + row.count)}
    assert shown == removed_lines
    kept_rows = [row for row in rows if not row.removed]
    assert len(kept_rows) == result.lines_kept


def test_legend_counts_add_up_to_the_removed_lines():
    result = clean_text(seed_files()[0].read_text(encoding="utf-8"))
    entries = legend(result)
    assert sum(entry.lines for entry in entries) == result.lines_removed
    assert [entry.lines for entry in entries] == sorted((entry.lines for entry in entries), reverse=True)
    assert {entry.detector for entry in entries} == {span.detector for span in result.removed}
    last = format_review(result, with_legend=True).splitlines()[-1]
    assert last.lstrip().startswith(f"= removed {result.lines_removed} of {result.lines_total} lines: ")


def test_review_shows_control_characters_and_tabs_safely():
    assert shown("plain text") == "plain text"
    assert shown("a\x1b[31mb") == "a\u241b[31mb"
    assert shown("x\ty") == "x       y" and shown("\tz") == " " * 8 + "z"
    assert shown("form\x0cfeed\x85") == "form\u240cfeed\ufffd"
    page = CleanResult("p", "kept\tline\n", [RemovedSpan("nav", "NAV1", 1, 1, "\x1b[2Jmenu\x0b\n")], lines_total=2,
                       lines_kept=1)
    text = format_review(page)
    assert "\x1b" not in text and "\x0b" not in text and len(text.splitlines()) == 2
    assert "kept    line" in text


def test_edit_markers_sit_under_the_cut_even_after_tabs_and_wide_characters():
    line = "\t新闻 [3]Story"
    cut = Edit(1, 4, 7, "[3]", "link-list", "LINK3")
    result = CleanResult("p", "\t新闻 Story\n", [], [cut], lines_total=1, lines_kept=1)
    rows = format_review(result).splitlines()
    text_start = rows[0].index("|") + 2
    caret_start = rows[1].index("^")
    assert rows[0][text_start:] == " " * 8 + "新闻 [3]Story" and line[4:7] == "[3]"
    # 8 cells of tab, 4 cells for the two wide characters, 1 space: the marker starts at cell 13
    assert caret_start - text_start == 13 and rows[1].count("^") == 3

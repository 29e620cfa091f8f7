"""The unified diff (``clean --diff --diff-format unified``): GNU ``patch`` turns the input into the clean output."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import BENCH, PROSE, bench_files, seed_files

import cleaner as api
from cleaner import clean_text
from cleaner.cli import app
from cleaner.outputs.report import NO_NEWLINE, unified_diff
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

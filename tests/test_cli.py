import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROSE, leftovers, seed_files, tree_hashes

from cleaner import clean_file, list_detectors
from cleaner.cli import ColorMode, _use_color, app
from cleaner.report import format_review

CLEAN = shutil.which("clean", path=str(Path(sys.executable).parent))
ANSI = "\x1b["


def run(runner, *args, input=None, env=None):
    return runner.invoke(app, [str(arg) for arg in args], input=input, env=env)


def no_traceback(result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


def assert_one_line_error(result, code: int, *fragments: str) -> str:
    """Exit ``code``, nothing on stdout, exactly one ``clean: ...`` line on stderr containing ``fragments``."""
    no_traceback(result)
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("clean: ")
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


# --- clean text on stdout --------------------------------------------------------------------


def test_file_to_stdout_is_exactly_the_clean_text(runner, article):
    result = run(runner, article)
    no_traceback(result)
    assert result.exit_code == 0
    assert result.stdout_bytes == clean_file(article).text.encode()
    assert b"\r\n" in result.stdout_bytes
    assert all(": note: " in line for line in result.stderr.splitlines())


def test_stdin_to_stdout(runner, article):
    result = run(runner, "-", input=article.read_bytes())
    assert result.exit_code == 0
    assert result.stdout_bytes == clean_file(article).text.encode()


def test_single_file_report_is_one_json_record(runner, article, tmp_path):
    report = tmp_path / "r" / "page.json"
    result = run(runner, article, "--report", report)
    assert result.exit_code == 0 and result.stdout_bytes == clean_file(article).text.encode()
    lines = report.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["path"] == str(article) and json.loads(lines[0])["status"] == "ok"


def test_single_file_report_records_a_failure(runner, tmp_path):
    bad = write(tmp_path / "empty.txt", b"")
    report = tmp_path / "page.json"
    assert_one_line_error(run(runner, bad, "--report", report), 1, f"{bad}: empty file")
    assert json.loads(report.read_text())["status"] == "error"


def test_file_with_output_folder_writes_stem_txt(runner, tmp_path):
    src = write(tmp_path / "page.text", PROSE + "\n")
    result = run(runner, src, "-o", tmp_path / "out", "-q")
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == ""
    assert (tmp_path / "out" / "page.txt").read_text() == clean_file(src).text
    assert json.loads((tmp_path / "out" / "report.jsonl").read_text())["output"] == str(tmp_path / "out" / "page.txt")


# --- folders ---------------------------------------------------------------------------------


def test_folder_goes_beside_itself_with_report_and_summary(runner, pages):
    before = tree_hashes(pages)
    result = run(runner, pages)
    no_traceback(result)
    assert result.exit_code == 0 and result.stdout == ""
    out = pages.with_name("in.clean")
    assert (out / "sub" / "copy.txt").read_text() == clean_file(pages / "sub" / "copy.txt").text
    records = [json.loads(line) for line in (out / "report.jsonl").read_text().splitlines()]
    assert [r["path"] for r in records] == sorted(r["path"] for r in records) and len(records) == 3
    assert "3 files cleaned, 0 failed" in result.stderr
    total = sum(r["lines_total"] for r in records)
    kept = sum(r["lines_kept"] for r in records)
    assert f"{total} lines: {kept} kept, {total - kept} removed" in result.stderr
    detectors = {s["detector"] for r in records for s in r["removed"]} - {"layout"}
    assert detectors and all(name in result.stderr for name in detectors)
    assert tree_hashes(pages) == before


def test_folder_with_output_and_report_override(runner, pages, tmp_path):
    result = run(runner, pages, "-o", tmp_path / "out", "--report", tmp_path / "all.jsonl")
    assert result.exit_code == 0
    assert len((tmp_path / "all.jsonl").read_text().splitlines()) == 3
    assert not (tmp_path / "out" / "report.jsonl").exists()
    assert (tmp_path / "out" / seed_files()[0].name).exists()


def test_a_bad_file_in_a_folder_fails_once_and_the_rest_is_written(runner, pages, tmp_path):
    write(pages / "broken.txt", b"\x00\x00\x00\x01")
    write(pages / "blank.txt", b"\n\n")
    before = tree_hashes(pages)
    result = run(runner, pages, "-o", tmp_path / "out")
    no_traceback(result)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith(f"clean: {pages}")]
    assert errors == [f"clean: {pages / 'blank.txt'}: empty file (only whitespace)",
                      f"clean: {pages / 'broken.txt'}: binary file (contains NUL bytes; "
                      "for UTF-16 without a BOM use --encoding utf-16-le)"]
    assert "3 files cleaned, 2 failed" in result.stderr
    records = [json.loads(line) for line in (tmp_path / "out" / "report.jsonl").read_text().splitlines()]
    assert [r["status"] for r in records] == ["ok", "ok", "error", "error", "ok"]
    assert not (tmp_path / "out" / "broken.txt").exists()
    assert tree_hashes(pages) == before


# --- --diff ----------------------------------------------------------------------------------


def test_diff_of_a_file_is_plain_text_when_not_a_terminal(runner):
    seed = seed_files()[0]
    result = run(runner, "--diff", seed)
    assert result.exit_code == 0
    assert result.stdout == format_review(clean_file(seed))
    assert ANSI not in result.stdout
    cleaned = clean_file(seed)
    for span in cleaned.removed:
        if span.detector != "layout" and span.text.strip():
            row = next(line for line in result.stdout.splitlines() if line.split()[0] == str(span.first_line))
            assert f" - {span.detector} {span.rule}" in row
    numbers = [line.split()[0] for line in result.stdout.splitlines()]
    assert numbers[0] == "1" and len(numbers) <= cleaned.lines_total


def test_diff_of_stdin(runner, article):
    result = run(runner, "--diff", "-", input=article.read_bytes())
    assert result.exit_code == 0 and result.stdout == format_review(clean_file(article))


def test_diff_in_colour_on_request(runner):
    result = run(runner, "--diff", "--color", "always", seed_files()[0])
    assert result.exit_code == 0
    assert "\x1b[31m" in result.stdout


def test_diff_of_a_folder_has_a_header_per_input(runner, pages):
    before = tree_hashes(pages.parent)
    result = run(runner, "--diff", pages)
    assert result.exit_code == 0
    headers = [line for line in result.stdout.splitlines() if line.startswith("==> ")]
    assert headers == [f"==> {pages / name} <==" for name in [s.name for s in seed_files()] + ["sub/copy.txt"]]
    assert tree_hashes(pages.parent) == before


def test_colour_follows_terminal_and_no_color(monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert _use_color(ColorMode.auto)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not _use_color(ColorMode.auto)
    assert _use_color(ColorMode.always)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    monkeypatch.delenv("NO_COLOR")
    assert not _use_color(ColorMode.auto)
    assert not _use_color(ColorMode.never)


# --- --list-detectors ------------------------------------------------------------------------


def test_list_detectors(runner):
    result = run(runner, "--list-detectors")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    infos = list_detectors()
    assert len(lines) == len(infos) + sum(len(info.rules) for info in infos)
    for info in infos:
        assert any(line.startswith(info.name) and info.summary in line for line in lines)
        for rule in info.rules:
            assert any(line.split()[:1] == [rule.code] and rule.summary in line for line in lines)


def test_version(runner):
    result = run(runner, "--version")
    assert result.exit_code == 0 and result.stdout.startswith("clean ")


# --- bad inputs: exit 1, one line, nothing half-written --------------------------------------


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b"  \r\n\t\n", "empty file (only whitespace)"),
    (b"GIF89a\x00\x01\x00\x01", "binary file"),
    (bytes(range(0x80, 0x100)) * 4, "undecodable"),
    (("Grüße. " + PROSE + "\n").encode() * 3 + "Café\n".encode("cp1252"), "mixed encodings"),
    (b"word " * 300, "too large"),
])
def test_bad_single_file(runner, tmp_path, data, reason):
    path = write(tmp_path / "page.txt", data)
    assert_one_line_error(run(runner, path, "--max-size", "1K"), 1, f"clean: {path}: {reason}")
    assert_one_line_error(run(runner, path, "--max-size", "1K", "-o", tmp_path / "out", "-q"), 1, reason)
    assert not (tmp_path / "out" / "page.txt").exists() and leftovers(tmp_path) == []


def test_mixed_encoding_is_cleaned_with_a_chosen_encoding(runner, tmp_path):
    path = write(tmp_path / "page.txt", ("Grüße. " + PROSE + "\n").encode() * 3 + "Café\n".encode("cp1252"))
    result = run(runner, path, "--encoding", "cp1252")
    assert result.exit_code == 0 and "Café" in result.stdout


def test_too_large_stdin(runner):
    result = run(runner, "-", "--max-size", "100", input=b"x" * 5000)
    assert_one_line_error(result, 1, "clean: <stdin>: too large")


def test_missing_path(runner, tmp_path):
    assert_one_line_error(run(runner, tmp_path / "nope.txt"), 1, "nope.txt: no such file or directory")
    assert_one_line_error(run(runner, tmp_path / "nope", "-o", tmp_path / "out"), 1, "no such file")
    assert not (tmp_path / "out").exists()


def test_folder_without_text_files(runner, tmp_path):
    write(tmp_path / "site" / "index.html", "<p>hi</p>")
    assert_one_line_error(run(runner, tmp_path / "site"), 1, "site: no text files")
    assert not (tmp_path / "site.clean").exists()


@pytest.mark.parametrize("where", ["in", "in/sub", "in/new"])
def test_output_folder_inside_the_input_folder(runner, pages, where):
    before = tree_hashes(pages)
    line = assert_one_line_error(run(runner, pages, "-o", pages.parent / where), 1, "inside the input folder")
    assert "-o" in line
    assert tree_hashes(pages) == before and not (pages / "new").exists()


def test_output_over_the_input_file(runner, pages):
    before = tree_hashes(pages)
    assert_one_line_error(run(runner, pages / seed_files()[0].name, "-o", pages), 1, "would overwrite the input")
    assert tree_hashes(pages) == before


def test_output_folder_is_an_existing_file(runner, pages, tmp_path):
    blocker = write(tmp_path / "out", "precious")
    assert_one_line_error(run(runner, pages, "-o", blocker), 1, "exists and is not a folder")
    assert blocker.read_text() == "precious"


def test_output_below_a_file(runner, pages, tmp_path):
    blocker = write(tmp_path / "file", "precious")
    assert_one_line_error(run(runner, pages, "-o", blocker / "out"), 1, "cannot")
    assert blocker.read_text() == "precious"


def test_unwritable_output_file_fails_that_input(runner, pages, tmp_path):
    (tmp_path / "out" / seed_files()[0].name).mkdir(parents=True)
    result = run(runner, pages, "-o", tmp_path / "out", "-q")
    assert_one_line_error(result, 1, "cannot write")
    assert (tmp_path / "out" / "sub" / "copy.txt").exists() and leftovers(tmp_path / "out") == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_read_only_output_folder(runner, pages, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o500)
    try:
        assert_one_line_error(run(runner, pages, "-o", out), 1, "cannot write")
    finally:
        out.chmod(0o700)


def test_interrupt_is_one_line_exit_130_and_leaves_no_partial_output(runner, pages, tmp_path, monkeypatch):
    import cleaner.api as api

    real = api.clean_text
    calls = []

    def interrupted(text, source="-", detectors=None):
        calls.append(source)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(text, source, detectors)

    monkeypatch.setattr(api, "clean_text", interrupted)
    result = run(runner, pages, "-o", tmp_path / "out")
    assert_one_line_error(result, 130, "clean: interrupted")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [seed_files()[0].name]


# --- usage errors: exit 2 --------------------------------------------------------------------


@pytest.mark.parametrize("args, fragment", [
    (["--encoding", "klingon", "x.txt"], "unknown encoding 'klingon'"),
    (["--encoding", "rot13", "x.txt"], "not a text encoding"),
    (["--max-size", "lots", "x.txt"], "--max-size"),
    ([], "missing PATH"),
    (["-", "x.txt"], "standard input"),
    (["a.txt", "b.txt"], "-o OUT"),
    (["--diff", "a.txt", "-o", "out"], "--diff"),
])
def test_usage_errors(runner, args, fragment):
    assert_one_line_error(run(runner, *args), 2, fragment)


def test_unknown_option_is_a_usage_error(runner):
    result = run(runner, "--frobnicate")
    no_traceback(result)
    assert result.exit_code == 2 and result.stdout == ""


# --- the installed command, for real ---------------------------------------------------------

needs_clean = pytest.mark.skipif(CLEAN is None, reason="clean is not installed in this environment")


@needs_clean
def test_real_command_stdout_is_pure_and_exit_codes_hold(article, tmp_path):
    done = subprocess.run([CLEAN, str(article), "-q"], capture_output=True, timeout=60)
    assert done.returncode == 0 and done.stderr == b""
    assert done.stdout == clean_file(article).text.encode()
    missing = subprocess.run([CLEAN, str(tmp_path / "missing.txt")], capture_output=True, timeout=60)
    assert missing.returncode == 1 and missing.stdout == b""
    assert missing.stderr.decode().splitlines() == [f"clean: {tmp_path / 'missing.txt'}: no such file or directory"]


@needs_clean
def test_real_command_ends_quietly_when_the_reader_goes_away(tmp_path):
    page = write(tmp_path / "long.txt", "".join(f"{n}. {PROSE}\n\n" for n in range(2000)))
    proc = subprocess.Popen([CLEAN, "--diff", "-"], stdin=page.open("rb"), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    stderr = proc.stderr.read()
    assert proc.wait(timeout=60) == 141
    assert stderr == b""


@needs_clean
def test_real_command_interrupted_leaves_no_partial_file(tmp_path):
    fifo = tmp_path / "slow.txt"
    os.mkfifo(fifo)
    out = tmp_path / "out"
    proc = subprocess.Popen([CLEAN, str(fifo), "-o", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with open(fifo, "wb") as writer:  # returns once clean has opened the fifo: it is now reading
        writer.write(PROSE.encode())
        writer.flush()
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert stdout == b"" and stderr.decode().splitlines() == ["clean: interrupted"]
    assert sorted(p.name for p in out.iterdir()) == []

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, PROSE, leftovers, seed_files, slow_html_text, tree_hashes

from cleaner import clean_file, list_detectors
from cleaner.cli import app
from cleaner.cli.arguments import ColorMode
from cleaner.cli.commands import use_color
from cleaner.outputs.diff import format_review

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


@pytest.mark.parametrize("folder", ["out/", "existing"])
def test_file_with_output_folder_writes_stem_txt(runner, tmp_path, folder):
    src = write(tmp_path / "page.text", PROSE + "\n")
    out = tmp_path / folder.rstrip("/")
    if folder == "existing":
        out.mkdir()
    result = run(runner, src, "-o", f"{tmp_path}/{folder}")  # a trailing / or an existing folder: a folder
    assert result.exit_code == 0 and result.stdout == "", result.output
    assert (out / "page.txt").read_text() == clean_file(src).text
    assert json.loads((out / "report.jsonl").read_text())["output"] == str(out / "page.txt")


def test_one_page_with_output_writes_that_file(runner, article, tmp_path):
    out = tmp_path / "article.clean.txt"
    result = run(runner, article, "-o", out, "-q")
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == "", result.output
    assert out.is_file() and out.read_bytes() == clean_file(article).text.encode()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["article.clean.txt", "article.txt"]
    assert leftovers(tmp_path) == []


def test_one_page_from_standard_input_with_output_writes_that_file(runner, article, tmp_path):
    out = tmp_path / "clean.txt"
    result = run(runner, "-", "-o", out, "-q", input=article.read_bytes())
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == clean_file(article).text.encode()


@pytest.mark.parametrize("suffix, unpack", [(".gz", "gzip"), (".zst", "zstd")])
def test_one_page_output_is_compressed_by_its_suffix(runner, article, tmp_path, suffix, unpack):
    import gzip

    import zstandard

    out = tmp_path / ("clean.txt" + suffix)
    result = run(runner, article, "-o", out, "-q")
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    plain = gzip.decompress(data) if unpack == "gzip" else zstandard.ZstdDecompressor().decompressobj().decompress(data)
    assert plain == clean_file(article).text.encode()


def test_one_page_output_with_report_names_the_file(runner, article, tmp_path):
    out, report = tmp_path / "clean.txt", tmp_path / "page.json"
    result = run(runner, article, "-o", out, "--report", report, "-q")
    assert result.exit_code == 0, result.output
    assert json.loads(report.read_text())["output"] == str(out)


def test_one_page_output_that_exists_is_left_alone_with_skip_existing(runner, article, tmp_path):
    out, report = tmp_path / "clean.txt", tmp_path / "page.json"
    out.write_text("cleaned before")
    report.write_text("the earlier record")
    result = run(runner, article, "-o", out, "--report", report, "--skip-existing")
    assert result.exit_code == 0 and result.stdout == "", result.output
    assert result.stderr.splitlines() == [f"clean: {out}: skipped: output exists (--skip-existing)"]
    assert out.read_text() == "cleaned before" and report.read_text() == "the earlier record"


def test_one_bad_page_with_output_writes_nothing(runner, tmp_path):
    bad = write(tmp_path / "empty.txt", b"")
    out = tmp_path / "clean.txt"
    assert_one_line_error(run(runner, bad, "-o", out), 1, f"{bad}: empty file")
    assert not out.exists()


def test_one_page_output_over_its_report_is_refused(runner, article, tmp_path):
    out = tmp_path / "same.txt"
    assert_one_line_error(run(runner, article, "-o", out, "--report", out), 1, "the report would overwrite")
    assert not out.exists()


def test_compress_for_pages_is_a_usage_error(runner, article, tmp_path):
    assert_one_line_error(run(runner, article, "-o", tmp_path / "x.txt", "--compress", "gzip"), 2, "--compress")


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
    assert use_color(ColorMode.auto)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color(ColorMode.auto)
    assert use_color(ColorMode.always)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    monkeypatch.delenv("NO_COLOR")
    assert not use_color(ColorMode.auto)
    assert not use_color(ColorMode.never)


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
    # The cp1252 line is a sentence of the article: whether a one-word line stays is the model's call, not this test's.
    cafe = "The café on the square was closed that Sunday, as it has been on every Sunday for years.\n"
    path = write(tmp_path / "page.txt", ("Grüße. " + PROSE + "\n").encode() * 3 + cafe.encode("cp1252"))
    result = run(runner, path, "--encoding", "cp1252")
    assert result.exit_code == 0 and "The café on the square" in result.stdout


def test_a_page_with_a_line_over_the_limit_fails_alone(runner, tmp_path):
    from cleaner.inputs.decoding import MAX_LINE_CHARS

    write(tmp_path / "in" / "long.txt", PROSE + "\n" + "x" * (MAX_LINE_CHARS + 1) + "\n")
    write(tmp_path / "in" / "fine.txt", PROSE + "\n")
    result = run(runner, tmp_path / "in", "-o", tmp_path / "out", "-q")
    no_traceback(result)
    assert result.exit_code == 1
    limit = f"{MAX_LINE_CHARS:,}"
    assert result.stderr.splitlines() == [
        f"clean: {tmp_path / 'in' / 'long.txt'}: line 2 too long ({MAX_LINE_CHARS + 1:,} characters, over the "
        f"{limit} limit a line may hold)"]
    assert (tmp_path / "out" / "fine.txt").read_text() == PROSE + "\n"
    assert not (tmp_path / "out" / "long.txt").exists()


def test_a_corpus_record_with_a_line_over_the_limit_is_an_error_line(runner, tmp_path):
    from cleaner.inputs.decoding import MAX_LINE_CHARS

    rows = [{"id": "long", "text": "x" * (MAX_LINE_CHARS + 1)}, {"id": "fine", "text": PROSE + "\n"}]
    write(tmp_path / "c.jsonl", "".join(json.dumps(row) + "\n" for row in rows))
    result = run(runner, tmp_path / "c.jsonl", "-o", tmp_path / "out.jsonl", "--jobs", "1", "-q")
    assert result.exit_code == 1
    long, fine = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert long["error"].startswith("line 1 too long (") and fine["text"] == PROSE + "\n"


def test_too_large_stdin(runner):
    result = run(runner, "-", "--max-size", "100", input=b"x" * 5000)
    assert_one_line_error(result, 1, "clean: <stdin>: too large")


def test_missing_path(runner, tmp_path):
    assert_one_line_error(run(runner, tmp_path / "nope.txt"), 1, "nope.txt: no such file or directory")
    assert_one_line_error(run(runner, tmp_path / "nope", "-o", tmp_path / "out"), 1, "no such file")
    assert not (tmp_path / "out").exists()


def test_folder_without_text_files(runner, tmp_path):
    write(tmp_path / "site" / "index.md", "# hi")
    assert_one_line_error(run(runner, tmp_path / "site"), 1, "site: no text or HTML files")
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


def test_interrupt_is_one_line_exit_130_and_leaves_no_partial_output(runner, pages, tmp_path, interrupt_second_page):
    interrupt_second_page()
    # the patch is seen in this process only: no workers (one job, and no timeout, which needs a worker)
    result = run(runner, pages, "-o", tmp_path / "out", "--jobs", "1", "--timeout", "0")
    assert_one_line_error(result, 130, "clean: interrupted")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [seed_files()[0].name, "report.jsonl"]
    records = [json.loads(line) for line in (tmp_path / "out" / "report.jsonl").read_text().splitlines()]
    assert [(Path(r["path"]).name, r["status"]) for r in records] == [(seed_files()[0].name, "ok")]  # what is done
    assert leftovers(tmp_path / "out") == []


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
    assert not out.exists() and leftovers(tmp_path) == []  # -o names the one page's output file


# --- configuration: --only/--skip, cleaner.toml, [tool.cleaner] ------------------------------

from test_config import CREDIT, PAGE, PROMPT  # noqa: E402  (the shared page with known line roles)

import cleaner.cli.progress  # noqa: E402


def report_detectors(report: Path) -> set[str]:
    records = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    return {span["detector"] for record in records for span in record["removed"]} - {"layout"}


def removed_by(report: Path) -> dict[int, str]:
    record = json.loads(report.read_text(encoding="utf-8"))
    return {n: s["detector"] for s in record["removed"] for n in range(s["first_line"], s["last_line"] + 1)}


@pytest.fixture
def page_dir(tmp_path, monkeypatch):
    """A working folder with PAGE as page.txt, and no config file above it that we did not write."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "page.txt", PAGE)
    return tmp_path


def test_only_and_skip_change_which_detectors_appear_in_the_report(runner, pages, tmp_path):
    full = run(runner, pages, "-o", tmp_path / "all", "--no-config")
    assert full.exit_code == 0
    everything = report_detectors(tmp_path / "all" / "report.jsonl")
    assert {"job-ads", "main-body", "navigation"} <= everything
    only = run(runner, pages, "-o", tmp_path / "only", "--only", "main-body,navigation", "--no-config")
    assert only.exit_code == 0
    assert report_detectors(tmp_path / "only" / "report.jsonl") == {"main-body", "navigation"}
    skip = run(runner, pages, "-o", tmp_path / "skip", "--skip", "job-ads", "--skip", "navigation", "--no-config")
    assert skip.exit_code == 0
    assert report_detectors(tmp_path / "skip" / "report.jsonl") == everything - {"job-ads", "navigation"}


@pytest.mark.parametrize("option", ["--only", "--skip"])
def test_unknown_detector_name_is_a_usage_error_listing_the_valid_ones(runner, article, option):
    line = assert_one_line_error(run(runner, article, option, "signup,menus"), 2, f"{option}: unknown detector 'menus'")
    assert "valid: link-list, " in line and "site-repetition" in line
    assert_one_line_error(run(runner, article, option, ","), 2, f"{option} needs a detector name")


def test_config_file_switches_a_detector_off(runner, page_dir):
    assert removed_by_run(runner, page_dir)[1] == "navigation"
    write(page_dir / "cleaner.toml", 'skip = ["navigation"]\n')
    assert "navigation" not in removed_by_run(runner, page_dir).values()
    # the command line replaces the file's list
    assert removed_by_run(runner, page_dir, "--skip", "footer")[1] == "navigation"


def removed_by_run(runner, folder: Path, *args: str) -> dict[int, str]:
    report = folder / "r.json"
    result = run(runner, folder / "page.txt", "--report", report, *args)
    assert result.exit_code == 0, result.output
    return removed_by(report)


def test_config_file_phrase_removes_a_line(runner, page_dir):
    assert PROMPT not in removed_by_run(runner, page_dir)
    write(page_dir / "cleaner.toml", '[phrases.signup]\nnewsletter = ["Get our * digest"]\n')
    result = run(runner, page_dir / "page.txt")
    assert result.exit_code == 0 and "Get our daily digest" not in result.stdout
    assert removed_by_run(runner, page_dir)[PROMPT] == "signup"
    assert CREDIT not in removed_by_run(runner, page_dir)


def test_config_file_threshold_changes_the_output(runner, page_dir):
    write(page_dir / "page.txt", "Tide times\nOpinion\n\n" + PAGE)
    before = run(runner, page_dir / "page.txt", "--diff").stdout
    write(page_dir / "cleaner.toml", "[thresholds]\nprose-base = 0\nprose-cap = 0\n")
    after = run(runner, page_dir / "page.txt", "--diff")
    # No article located with prose worth nothing: the learned model decides the page (MODEL3), not BODY1.
    assert after.exit_code == 0 and "BODY1" in before and "BODY1" not in after.stdout
    assert "MODEL3" in after.stdout


def test_pyproject_tool_table_and_precedence(runner, page_dir):
    write(page_dir / "pyproject.toml", '[project]\nname = "site"\n\n[tool.cleaner]\nkeep-title = false\n')
    headline = "Harbour town bans cruise ships"
    assert headline not in run(runner, "page.txt").stdout
    assert run(runner, "page.txt", "--title").stdout.startswith(headline)  # the option wins
    assert run(runner, "page.txt", "--no-config").stdout.startswith(headline)
    other = write(page_dir / "conf" / "other.toml", "keep-title = true\n")
    assert run(runner, "page.txt", "--config", other).stdout.startswith(headline)


@pytest.mark.parametrize("text, fragment", [
    ("favour = 'recall'\n", "unknown key 'favour' (did you mean 'favor'?)"),
    ("skip = ['menus']\n", "skip: unknown detector 'menus'"),
    ("[thresholds]\nshort-penalty = 'high'\n", "thresholds.short-penalty: expected a number"),
    ("[phrases.signup]\nnews = ['x y']\n", "unknown key 'phrases.signup.news'"),
    ("favor = \n", "invalid TOML"),
])
def test_bad_config_is_exit_2_with_one_line(runner, page_dir, text, fragment):
    config = write(page_dir / "cleaner.toml", text)
    line = assert_one_line_error(run(runner, "page.txt"), 2, fragment)
    assert line.startswith(f"clean: {config}: ")
    assert_one_line_error(run(runner, "page.txt", "--config", page_dir / "missing.toml"), 2, "no such file")
    assert run(runner, "page.txt", "--no-config").exit_code == 0


def test_config_and_no_config_exclude_each_other(runner, page_dir):
    assert_one_line_error(run(runner, "page.txt", "--config", "x.toml", "--no-config"), 2, "exclude each other")


# --- --explain -------------------------------------------------------------------------------


def explain_rows(output: str) -> dict[str, str]:
    rows = {}
    for line in output.splitlines():
        label, _, value = line.partition("  ")
        rows.setdefault(label.strip(), value.strip())
    return rows


def test_explain_names_detector_and_rule_of_a_removed_line(runner, page_dir):
    result = run(runner, "--explain", "page.txt", "--line", "2")
    assert result.exit_code == 0 and result.stderr == ""
    rows = explain_rows(result.stdout)
    assert rows["text"] == "'Home'"
    assert rows["verdict"].startswith("removed by navigation NAV2 (")
    assert rows["overrides"].startswith("main-body BODY1")
    assert rows["main body"].endswith("this line is before it") and rows["language"] == "en"


def test_explain_says_kept_and_shows_signals(runner, page_dir):
    rows = explain_rows(run(runner, "page.txt", "--explain", "--line", "8").stdout)
    assert rows["verdict"] == "kept" and rows["prose"] == "yes" and rows["sentence end"] == "yes"
    assert rows["body score"].startswith("+")


def test_explain_follows_the_config(runner, page_dir):
    write(page_dir / "cleaner.toml", '[phrases.signup]\nnewsletter = ["Get our * digest"]\n')
    rows = explain_rows(run(runner, "page.txt", "--explain", "--line", str(PROMPT)).stdout)
    assert rows["verdict"].startswith("removed by signup SIG1")
    rows = explain_rows(run(runner, "page.txt", "--explain", "--line", str(PROMPT), "--no-config").stdout)
    assert rows["verdict"] == "kept"


def test_explain_several_lines_of_stdin(runner):
    result = run(runner, "-", "--explain", "--line", "1", "--line", "8", "--no-config", input=PAGE)
    assert result.exit_code == 0
    blocks = result.stdout.split("\n\n")
    assert len(blocks) == 2 and "line          1 of <stdin>" in blocks[0] and "verdict       kept" in blocks[1]


@pytest.mark.parametrize("args, code, fragment", [
    (["--line", "99"], 2, "--line: line 99 is out of range: the page has 22 lines"),
    (["--line", "0"], 2, "out of range"),
    ([], 2, "--explain needs the line to explain: --line N"),
    (["--line", "2", "--diff"], 2, "--explain only prints"),
    (["--line", "2", "-o", "out"], 2, "--explain only prints"),
])
def test_explain_usage_errors(runner, page_dir, args, code, fragment):
    assert_one_line_error(run(runner, "page.txt", "--explain", *args), code, fragment)


def test_explain_needs_one_file_and_line_needs_explain(runner, page_dir, pages):
    assert_one_line_error(run(runner, "--explain", pages, "--line", "1"), 2, "--explain takes one file")
    assert_one_line_error(run(runner, "page.txt", "--line", "1"), 2, "--line N goes with --explain")
    assert_one_line_error(run(runner, "--explain", "missing.txt", "--line", "1"), 1, "missing.txt: no such file")


# --- progress bar and summary ----------------------------------------------------------------

BAR = "━"  # rich's bar glyph


def test_no_progress_bar_when_stderr_is_not_a_terminal(runner, pages, tmp_path):
    result = run(runner, pages, "-o", tmp_path / "out")
    assert result.exit_code == 0 and BAR not in result.stderr
    assert all(line.startswith("clean: ") or not line.startswith("\x1b") for line in result.stderr.splitlines())
    assert "3 inputs in " in result.stderr and " pages/s)" in result.stderr


def test_progress_bar_on_a_terminal_keeps_error_lines_whole(runner, pages, tmp_path, monkeypatch):
    monkeypatch.setattr(cleaner.cli.progress, "stderr_is_terminal", lambda: True)
    write(pages / "empty.txt", b"")
    result = run(runner, pages, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert BAR in result.stderr and "/4" in result.stderr  # count of the inputs
    assert f"clean: {pages / 'empty.txt'}: empty file\n" in result.stderr  # one whole line above the bar
    assert f"clean: failed: {pages / 'empty.txt'}" in result.stderr
    quiet = run(runner, pages, "-o", tmp_path / "quiet", "-q")
    assert BAR not in quiet.stderr and quiet.stderr.splitlines() == [f"clean: {pages / 'empty.txt'}: empty file"]


def test_no_progress_bar_for_one_input(runner, article, tmp_path, monkeypatch):
    monkeypatch.setattr(cleaner.cli.progress, "stderr_is_terminal", lambda: True)
    result = run(runner, article, "-o", tmp_path / "out")
    assert result.exit_code == 0 and BAR not in result.stderr


# --- provenance: version, settings hash, the config file applied ------------------------------


def test_every_report_record_names_the_version_and_the_settings(runner, pages, tmp_path):
    from cleaner import __version__
    from cleaner.options import Options, model_version, settings_hash

    write(pages / "empty.txt", b"")
    assert run(runner, pages, "-o", tmp_path / "out", "--no-config").exit_code == 1
    records = [json.loads(line) for line in (tmp_path / "out" / "report.jsonl").open()]
    assert {rec["status"] for rec in records} == {"ok", "error"}
    assert {(rec["cleaner_version"], rec["model_version"], rec["settings_hash"]) for rec in records} == {
        (__version__, model_version(Options()), settings_hash(Options()))}
    # added last: the rest as before
    assert list(records[0])[-3:] == ["cleaner_version", "model_version", "settings_hash"]
    one = tmp_path / "one.json"
    assert run(runner, pages / "sub" / "copy.txt", "--report", one, "--no-title", "--no-config").exit_code == 0
    rec = json.loads(one.read_text())
    assert rec["settings_hash"] == settings_hash(Options(keep_title=False)) != settings_hash(Options())


def test_the_summary_names_the_config_file_applied(runner, pages, tmp_path, monkeypatch):
    project = tmp_path / "project"
    config = write(project / "cleaner.toml", "favor = 'precision'\n")
    monkeypatch.chdir(project / ".." / "project")
    result = run(runner, pages, "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert f"clean: config: {config}\n" in result.stderr
    records = [json.loads(line) for line in (tmp_path / "out" / "report.jsonl").open()]
    from cleaner.config import load_config
    from cleaner.options import settings_hash

    assert {rec["settings_hash"] for rec in records} == {settings_hash(load_config(config))}
    bare = run(runner, pages, "-o", tmp_path / "bare", "--no-config")
    assert "config:" not in bare.stderr and bare.exit_code == 0
    assert "config:" not in run(runner, pages, "-o", tmp_path / "quiet", "-q").stderr


# --- HTML input ---------------------------------------------------------------------------------

HTML_PAGE = FIXTURES / "html" / "harbour_article.html"
HTML_PARAGRAPH = "Crews on the island ferry service have voted by a large majority to walk out next month"


def test_clean_an_html_file_and_html_on_standard_input(runner):
    from_file = run(runner, HTML_PAGE)
    assert from_file.exit_code == 0 and HTML_PARAGRAPH in from_file.stdout and "* Home" not in from_file.stdout
    piped = run(runner, "-", input=HTML_PAGE.read_bytes())
    assert piped.exit_code == 0 and piped.stdout == from_file.stdout


@pytest.mark.parametrize(("engine", "cut"), [("trafilatura", "html-extractor HTML1"), ("model", "main-body MODEL1")])
def test_diff_of_an_html_page_shows_the_whole_page_text_with_the_engines_cuts(runner, engine, cut):
    result = run(runner, "--diff", HTML_PAGE, "--engine", engine)
    assert result.exit_code == 0
    assert any(line.endswith("| * Home") and cut in line for line in result.stdout.splitlines())
    assert "<p>" not in result.stdout


def test_folder_of_html_and_text_with_report(runner, tmp_path):
    src = tmp_path / "mixed"
    write(src / "story.html", HTML_PAGE.read_bytes())
    write(src / "note.txt", PROSE + "\n")
    result = run(runner, src, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    records = {Path(rec["path"]).name: rec for rec in map(json.loads, (tmp_path / "out" / "report.jsonl").open())}
    assert records["story.html"]["input_format"] == "html" and records["note.txt"]["input_format"] == "text"
    assert HTML_PARAGRAPH in (tmp_path / "out" / "story.txt").read_text(encoding="utf-8")
    assert "MODEL1" in result.stderr  # the summary table names the model's rule (the default engine)


def test_binary_named_html_is_a_one_line_error(runner, tmp_path):
    fake = write(tmp_path / "image.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert_one_line_error(run(runner, fake), 1, "image.html: not HTML or text: binary file")


@pytest.mark.parametrize("value", ["-1", "soon"])
def test_bad_timeout_is_a_usage_error(runner, value):
    result = run(runner, HTML_PAGE, "--timeout", value)
    no_traceback(result)
    assert result.exit_code == 2


def test_timeout_zero_means_no_limit(runner):
    result = run(runner, HTML_PAGE, "--timeout", "0")
    assert result.exit_code == 0 and HTML_PARAGRAPH in result.stdout


def test_skip_html_extractor_is_accepted(runner):
    result = run(runner, HTML_PAGE, "--skip", "html-extractor")
    assert result.exit_code == 0 and HTML_PARAGRAPH in result.stdout


# --- Ctrl-C in a real process with workers, then --skip-existing -----------------------------------


def many_pages(folder: Path, count: int) -> Path:
    """``count`` different pages (each seed with its own first line), enough to interrupt a run midway."""
    folder.mkdir(parents=True)
    seeds = [seed.read_text(encoding="utf-8") for seed in seed_files()]
    for number in range(count):
        (folder / f"page{number:03}.txt").write_text(f"Page {number}\n" + seeds[number % len(seeds)], encoding="utf-8")
    return folder


def test_ctrl_c_with_workers_leaves_whole_outputs_and_a_resume_finishes_the_run(tmp_path):
    pages = many_pages(tmp_path / "in", 400)
    full = tmp_path / "full"
    assert subprocess.run([CLEAN, str(pages), "-o", str(full), "-q", "--jobs", "1"], timeout=300).returncode == 0
    out = tmp_path / "out"
    proc = subprocess.Popen([CLEAN, str(pages), "-o", str(out), "-q", "--jobs", "2"], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("*.txt"))) < 20:
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    _, errors = proc.communicate(timeout=60)
    assert proc.returncode == 130, errors
    assert errors.decode().strip().splitlines() == ["clean: interrupted"]
    written = sorted(path.name for path in out.iterdir() if path.name != "report.jsonl")
    assert 20 <= len(written) < 400, "interrupted too late to test anything"
    assert leftovers(out) == []
    expected = tree_hashes(full)
    assert {k: v for k, v in tree_hashes(out).items() if k != "report.jsonl"} == {n: expected[n] for n in written}
    done = [json.loads(line) for line in (out / "report.jsonl").read_text().splitlines()]  # what was finished
    assert len(written) - 1 <= len(done) <= len(written) and all(r["status"] == "ok" for r in done)
    resumed = subprocess.run([CLEAN, str(pages), "-o", str(out), "-q", "--skip-existing"], timeout=300)
    assert resumed.returncode == 0
    assert {k: v for k, v in tree_hashes(out).items() if k != "report.jsonl"} == {
        k: v for k, v in expected.items() if k != "report.jsonl"}
    records = [json.loads(line) for line in (out / "report.jsonl").read_text().splitlines()]
    assert len(records) == 400 and records[: len(done)] == done  # the finished inputs' records are kept whole
    stubs = [r for r in records if r["status"] != "ok"]  # an output written as Ctrl-C came may lack its record
    assert len(stubs) <= 1 and all("no earlier record" in r["skipped"] for r in stubs)


def test_jobs_must_be_positive(runner, article):
    result = run(runner, article, "--jobs", "0")
    assert_one_line_error(result, 2, "clean: --jobs: expected a number of worker processes, 1 or more")


# --- issue 12 #2: file names that are not UTF-8 -----------------------------------------------

LATIN1_NAME = b"caf\xe9.txt"  # a Latin-1 name, as scraped archives hold: not valid UTF-8


def byte_named(folder: Path, name: bytes, data: str | bytes) -> Path:
    """A file whose name is raw bytes (created through the OS, as an archive would unpack it)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(os.fsencode(folder) + b"/" + name, "wb") as stream:
        stream.write(data.encode() if isinstance(data, str) else data)
    return folder / os.fsdecode(name)


def test_non_utf8_file_name_does_not_stop_a_folder_run(runner, tmp_path):
    page = f"Home\nNews\n\n{PROSE}\n\n{PROSE}\n"
    byte_named(tmp_path / "in", LATIN1_NAME, page)
    write(tmp_path / "in" / "later.txt", page)
    out = tmp_path / "out"
    result = run(runner, tmp_path / "in", "-o", out)
    no_traceback(result)
    assert result.exit_code == 0, result.output
    raw = (out / "report.jsonl").read_bytes()
    raw.decode("utf-8")  # the report stays UTF-8
    records = [json.loads(line) for line in raw.splitlines()]
    assert [r["status"] for r in records] == ["ok", "ok"]
    assert os.fsencode(records[0]["path"]) == os.fsencode(tmp_path / "in") + b"/" + LATIN1_NAME  # reversible
    assert os.fsencode(records[0]["output"]) == os.fsencode(out) + b"/" + LATIN1_NAME
    assert b"\\udce9" in raw  # written as a JSON escape, not as invalid bytes
    assert sorted(os.listdir(os.fsencode(out))) == [LATIN1_NAME, b"later.txt", b"report.jsonl"]
    assert (out / os.fsdecode(LATIN1_NAME)).read_text() == (out / "later.txt").read_text()


def test_non_utf8_file_name_with_report_and_review(runner, tmp_path):
    page = byte_named(tmp_path / "in", LATIN1_NAME, f"Home\nNews\n\n{PROSE}\n")
    report = tmp_path / "page.json"
    result = run(runner, page, "--report", report, "--review", tmp_path / "review.html")
    no_traceback(result)
    assert result.exit_code == 0, result.output
    assert os.fsencode(json.loads(report.read_bytes().decode("utf-8"))["path"]) == os.fsencode(page)
    (tmp_path / "review.html").read_bytes().decode("utf-8")
    folder = run(runner, tmp_path / "in", "-o", tmp_path / "out", "--review", tmp_path / "all.html")
    no_traceback(folder)
    assert folder.exit_code == 0, folder.output
    assert "caf\\\\xe9.txt" in (tmp_path / "all.html").read_bytes().decode("utf-8")  # shown escaped (JSON)


def test_non_utf8_file_name_is_escaped_in_messages(runner, tmp_path):
    bad = byte_named(tmp_path / "in", LATIN1_NAME, b"")
    line = assert_one_line_error(run(runner, bad), 1)
    assert line == f"clean: {tmp_path}/in/caf\\xe9.txt: empty file"
    folder = run(runner, tmp_path / "in", "-o", tmp_path / "out")
    no_traceback(folder)
    assert folder.exit_code == 1
    assert f"clean: {tmp_path}/in/caf\\xe9.txt: empty file" in folder.stderr.splitlines()
    assert "\\udce9" not in folder.stderr


def test_non_utf8_corpus_file_name(runner, tmp_path):
    corpus = byte_named(tmp_path / "in", b"caf\xe9.jsonl", json.dumps({"id": "a", "text": PROSE}) + "\n")
    result = run(runner, corpus, "-o", tmp_path / "out.jsonl", "-q")
    no_traceback(result)
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "out.jsonl").read_bytes().decode("utf-8"))
    assert os.fsencode(record["source"]) == os.fsencode(corpus)


def test_non_utf8_file_names_in_diff_headers(runner, tmp_path):
    byte_named(tmp_path / "in", LATIN1_NAME, f"Home\n\n{PROSE}\n")
    write(tmp_path / "in" / "other.txt", f"Home\n\n{PROSE}\n")
    result = run(runner, "--diff", tmp_path / "in", "--color", "never")
    no_traceback(result)
    assert result.exit_code == 0, result.output
    assert b"==> " + os.fsencode(tmp_path / "in") + b"/" + LATIN1_NAME + b" <==" in result.stdout_bytes


# --- issue 12 #7: no traceback, whatever the input or the streams -----------------------------


def run_real(*args: str | Path, stdin=None, shell_redirect: str = "", **kwargs) -> subprocess.CompletedProcess:
    command = [CLEAN, *map(str, args)]
    if shell_redirect:  # e.g. ">&-": the descriptor closed by the shell, as a user would
        command = ["sh", "-c", f'exec "$0" "$@" {shell_redirect}', *command]
    return subprocess.run(command, stdin=stdin, capture_output="stdout" not in kwargs, timeout=60, **kwargs)


def one_line(done: subprocess.CompletedProcess, code: int, *fragments: str) -> str:
    errors = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in errors and "Exception ignored" not in errors, errors
    lines = errors.splitlines()
    assert len(lines) == 1, lines
    assert done.returncode == code, errors
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


NESTED = "[" * 5000 + "]" * 5000


@needs_clean
def test_deeply_nested_jsonl_line_fails_alone(tmp_path):
    corpus = write(tmp_path / "c.jsonl", json.dumps({"id": "a", "text": PROSE}) + "\n"
                   + '{"id": "b", "text": ' + NESTED + "}\n")
    done = run_real(corpus, "-q")
    one_line(done, 1, "c.jsonl#1 (", "c.jsonl:2): line 2: not valid JSON (nested too deeply)")
    assert [json.loads(line).get("error") is None for line in done.stdout.splitlines()] == [True, False]
    piped = run_real("-", "-q", stdin=write(tmp_path / "d.jsonl", '{"id": "b", "text": ' + NESTED + "}\n").open("rb"))
    one_line(piped, 1, "nested too deeply")


@needs_clean
def test_deeply_nested_toml_config_is_a_usage_error(tmp_path, article):
    config = write(tmp_path / "deep.toml", "skip = " + NESTED + "\n")
    one_line(run_real(article, "--config", config), 2, f"clean: {config}: invalid TOML: nested too deeply")


@needs_clean
def test_full_standard_output_is_one_line(article):
    with open("/dev/full", "wb") as full:
        done = run_real(article, stdout=full, stderr=subprocess.PIPE)
    one_line(done, 1, "clean: cannot write to standard output: no space left on device")


@needs_clean
def test_full_standard_output_in_a_corpus_run(tmp_path):
    corpus = write(tmp_path / "c.jsonl", json.dumps({"id": "a", "text": PROSE}) + "\n")
    with open("/dev/full", "wb") as full:
        done = run_real(corpus, "-q", stdout=full, stderr=subprocess.PIPE)
    one_line(done, 1, "clean: cannot write to standard output: no space left on device")


@needs_clean
def test_closed_standard_output_in_a_zstd_corpus_run(tmp_path):
    corpus = write(tmp_path / "c.jsonl", json.dumps({"id": "a", "text": PROSE}) + "\n")
    done = run_real(corpus, "-q", "--compress", "zstd", shell_redirect=">&-")  # its writer does not flush
    one_line(done, 1, "clean: cannot write to standard output: bad file descriptor")


@needs_clean
def test_closed_standard_output_is_one_line(article, tmp_path):
    done = run_real(article, shell_redirect=">&-")
    one_line(done, 1, "clean: cannot write to standard output: bad file descriptor")
    out = tmp_path / "article.clean.txt"  # a run that writes to -o needs no standard output: it works as usual
    written = run_real(article, "-o", out, "-q", shell_redirect=">&-")
    assert written.returncode == 0 and written.stderr == b""
    assert out.read_bytes() == clean_file(article).text.encode()


@needs_clean
def test_closed_standard_input_is_one_line():
    one_line(run_real("-", shell_redirect="<&-"), 1, "clean: <stdin>: standard input is closed")


@needs_clean
@pytest.mark.parametrize("value", ["inf", "nan", "-1", "-inf"])
def test_timeout_must_be_a_finite_number(article, value):
    one_line(run_real(article, f"--timeout={value}"), 2, "clean: --timeout: expected a number of seconds")


@needs_clean
@pytest.mark.parametrize("args", [["--help"], ["--version"], ["--list-detectors"]])
def test_reader_gone_before_help_is_quiet(args):
    reader, writer = os.pipe()
    os.close(reader)  # like `clean --help | head -1` once head has gone: every write fails
    try:
        done = subprocess.run([CLEAN, *args], stdout=writer, stderr=subprocess.PIPE, timeout=60)
    finally:
        os.close(writer)
    assert done.returncode == 141 and done.stderr == b""


@needs_clean
def test_name_with_a_newline_stays_on_one_line(tmp_path):
    missing = tmp_path / "a\nb.txt"
    one_line(run_real(missing), 1, f"clean: {tmp_path}/a\\nb.txt: no such file or directory")


# --- issue 12 #19: help, contradictory options, counts ----------------------------------------


def test_help_names_the_corpus_inputs(runner):
    result = run(runner, "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    for kind in ("WARC", "WET", "JSONL"):
        assert kind in text


@pytest.mark.parametrize("args", [["--only", "navigation", "--skip", "navigation"],
                                  ["--only", "navigation,footer", "--skip", "footer"]])
def test_only_and_skip_naming_one_detector_is_a_usage_error(runner, article, args):
    assert_one_line_error(run(runner, article, *args, "--no-config"), 2, "--only and --skip both name")


def test_skip_of_every_detector_the_config_keeps_is_a_usage_error(runner, page_dir):
    write(page_dir / "cleaner.toml", 'only = ["navigation"]\n')
    assert_one_line_error(run(runner, page_dir / "page.txt", "--skip", "navigation"), 2, "no detector to run")


def test_summary_counts_are_singular_for_one(runner, tmp_path):
    write(tmp_path / "in" / "page.txt", PROSE + "\n")
    result = run(runner, tmp_path / "in", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert f"clean: 1 file cleaned, 0 failed -> {tmp_path / 'out'}/" in result.stderr
    assert "clean: 1 line: 1 kept, 0 removed" in result.stderr
    assert "clean: 1 input in " in result.stderr
    write(tmp_path / "in" / "more.txt", PROSE + "\n")
    result = run(runner, tmp_path / "in", "-o", tmp_path / "out2")
    assert "clean: 2 files cleaned, 0 failed" in result.stderr and "clean: 2 lines: 2 kept" in result.stderr


def test_corpus_summary_counts_are_singular_for_one(runner, tmp_path):
    corpus = write(tmp_path / "c.jsonl", json.dumps({"id": "a", "text": PROSE}) + "\n")
    result = run(runner, corpus, "-o", tmp_path / "out.jsonl")
    assert result.exit_code == 0, result.output
    assert "clean: 1 document cleaned, 0 failed -> " in result.stderr
    assert "clean: 1 line: 1 kept, 0 removed; " in result.stderr


# --- --timeout holds in C code: the input's worker process is killed (issue 12 #3) ---------------


def slow_html(path: Path) -> Path:
    """The slowest page lxml's parser (C code) may be given within the markup limits (conftest)."""
    path.write_text(slow_html_text(PROSE))
    return path


TIMED_OUT = "took longer than 1 s (see --timeout)"


def test_timeout_stops_one_page_stuck_in_c_code(tmp_path):
    slow = slow_html(tmp_path / "slow.html")
    done = subprocess.run([CLEAN, str(slow), "--timeout", "1"], capture_output=True, timeout=30)
    assert done.returncode == 1 and done.stdout == b""
    assert done.stderr.decode().splitlines() == [f"clean: {slow}: {TIMED_OUT}"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_timeout_stops_a_page_stuck_in_c_code_and_the_folder_run_goes_on(tmp_path, jobs):
    pages = tmp_path / "in"
    pages.mkdir()
    slow_html(pages / "b_slow.html")
    for seed in seed_files():
        shutil.copy(seed, pages / seed.name)
    shutil.copy(seed_files()[0], pages / "z_last.txt")
    out = tmp_path / "out"
    done = subprocess.run([CLEAN, str(pages), "-o", str(out), "-q", "--timeout", "1", "--jobs", jobs],
                          capture_output=True, timeout=30)
    assert done.returncode == 1
    assert done.stderr.decode().splitlines() == [f"clean: {pages / 'b_slow.html'}: {TIMED_OUT}"]
    records = [json.loads(line) for line in (out / "report.jsonl").read_text().splitlines()]
    assert [(Path(r["path"]).name, r["status"]) for r in records] == [
        (seed_files()[0].name, "ok"), (seed_files()[1].name, "ok"), ("b_slow.html", "error"), ("z_last.txt", "ok")]
    assert (out / "z_last.txt").read_bytes() == clean_file(seed_files()[0]).text.encode()
    assert leftovers(out) == []


def test_timeout_stops_a_warc_record_stuck_in_c_code_and_the_corpus_run_goes_on(tmp_path):
    from test_corpus import DUMP, Warc

    warc = Warc().conversion("https://a.example/1", DUMP)
    warc.response("https://a.example/slow", slow_html(tmp_path / "slow.html").read_bytes(),
                  [("Content-Type", "text/html; charset=utf-8")])
    warc.conversion("https://a.example/3", DUMP)
    source = tmp_path / "crawl.warc.gz"
    source.write_bytes(warc.bytes())
    target = tmp_path / "out.jsonl"
    done = subprocess.run([CLEAN, str(source), "-o", str(target), "-q", "--timeout", "1", "--jobs", "2"],
                          capture_output=True, timeout=30)
    assert done.returncode == 1
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert [record.get("error") for record in lines] == [None, TIMED_OUT, None]
    assert lines[0]["text"] == lines[2]["text"] and PROSE in lines[0]["text"]
    assert [line for line in done.stderr.decode().splitlines() if TIMED_OUT in line] == [
        f"clean: {source}#1 (<{lines[1]['id'].strip('<>')}>): {TIMED_OUT}"]


def children_of(pid: int) -> list[int]:
    """Live processes whose parent is ``pid`` (from /proc), zombies left out."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


# --- SIGTERM and SIGHUP stop a run like Ctrl-C: workers ended, no temporary file (issue 12 #5) ------


def stop_when_started(proc: subprocess.Popen, started, signum: int) -> list[int]:
    """Send ``signum`` to ``proc`` once ``started()`` and its two workers are up; the worker pids."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (started() and len(children_of(proc.pid)) >= 2):
        time.sleep(0.01)
    workers = children_of(proc.pid)
    assert len(workers) >= 2 and proc.poll() is None, "the run ended before it could be stopped"
    proc.send_signal(signum)
    return workers


def assert_stopped(proc: subprocess.Popen, signum: int, workers: list[int], out: Path) -> None:
    _, errors = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum, errors
    assert errors.decode().strip().splitlines() == [f"clean: stopped by {signal.Signals(signum).name}"]
    assert leftovers(out) == []
    deadline = time.monotonic() + 10  # an orphan would live on: give a dying worker a moment, no more
    while time.monotonic() < deadline and [pid for pid in workers if alive(pid)]:
        time.sleep(0.05)
    assert [pid for pid in workers if alive(pid)] == []


def alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_or_sighup_stops_a_folder_run_like_ctrl_c(tmp_path, signum):
    pages = many_pages(tmp_path / "in", 400)
    out = tmp_path / "out"
    proc = subprocess.Popen([CLEAN, str(pages), "-o", str(out), "-q", "--jobs", "2"], stderr=subprocess.PIPE)
    workers = stop_when_started(proc, lambda: len(list(out.glob("*.txt"))) >= 5, signum)
    assert_stopped(proc, signum, workers, out)
    records = [json.loads(line) for line in (out / "report.jsonl").read_text().splitlines()]  # as on Ctrl-C
    written = sorted(path.name for path in out.glob("*.txt"))
    assert sorted(Path(record["output"]).name for record in records) == written and len(written) < 400
    assert {record["status"] for record in records} == {"ok"}


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_or_sighup_stops_a_corpus_run_like_ctrl_c(tmp_path, signum):
    from test_corpus import many_wet_records

    source = tmp_path / "crawl.warc.wet.gz"
    source.write_bytes(many_wet_records(20_000))
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.Popen([CLEAN, str(source), "-o", str(out / "clean.jsonl"), "-q", "--jobs", "2"],
                            stderr=subprocess.PIPE)
    workers = stop_when_started(proc, lambda: any(path.stat().st_size > 0 for path in out.glob("*.tmp")), signum)
    assert_stopped(proc, signum, workers, out)
    assert list(out.iterdir()) == []

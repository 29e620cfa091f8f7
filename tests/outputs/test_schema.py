"""The JSON Schema of a report record: valid itself, met by every record cleaner writes, refusing broken ones."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BENCH, FIXTURES, bench_files, seed_files
from jsonschema import Draft202012Validator, FormatChecker

import cleaner
import cleaner as api
from cleaner import clean_text
from cleaner.outputs.report import (
    SCHEMA_ID,
    SCHEMA_PATH,
    SCHEMA_VERSION,
    dumps,
    error_record,
    read_report,
    rebuild_from_record,
    record,
    schema,
)

VALIDATOR = Draft202012Validator(schema(), format_checker=FormatChecker())


def problems(rec: dict) -> list[str]:
    """What the schema and the invariants it cannot express find wrong with ``rec``."""
    found = [error.message for error in VALIDATOR.iter_errors(rec)]
    if found or rec["status"] != "ok":
        return found
    if not 0 <= rec["lines_kept"] <= rec["lines_total"]:
        found.append("lines_kept outside 0..lines_total")
    for span in rec["removed"]:
        if span["first_line"] > span["last_line"] or span["end"] - span["start"] != len(span["text"]):
            found.append(f"span at line {span['first_line']}: inconsistent range")
    for edit in rec["edits"]:
        if edit["end"] - edit["start"] != len(edit["text"]):
            found.append(f"edit on line {edit['line']}: inconsistent range")
    return found


def checked(text: str, source: str) -> dict:
    """Clean ``text``; its record, read back from JSON, must be valid, rebuild the input and slice it right."""
    result = clean_text(text, source)
    rec = json.loads(dumps(record(result, output=f"out/{source}", encoding="utf-8")))
    assert problems(rec) == [], source
    assert rebuild_from_record(result.text, rec) == text, source
    for span in rec["removed"]:
        assert text[span["start"]:span["end"]] == span["text"], (source, span["first_line"])
    return rec


def test_the_schema_is_a_valid_draft_2020_12_schema_with_a_versioned_id():
    Draft202012Validator.check_schema(schema())
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema()["$id"] == SCHEMA_ID and SCHEMA_ID.endswith(SCHEMA_VERSION)


def test_the_schema_ships_inside_the_package():
    assert SCHEMA_PATH.is_file() and SCHEMA_PATH.is_relative_to(Path(cleaner.__file__).parent)
    assert schema() is not schema()  # a fresh dict each time: a caller may change its copy


def test_the_schema_lists_exactly_the_fields_a_record_has():
    rec = record(clean_text(seed_files()[0].read_text(encoding="utf-8")))
    run_only = {"input_format", "skipped", "cleaner_version", "model_version", "settings_hash"}  # a run adds them
    assert set(schema()["required"]) == set(rec) == set(schema()["properties"]) - run_only
    assert set(record(clean_text(seed_files()[0].read_text(encoding="utf-8")), input_format="text")) == set(
        schema()["properties"]
    ) - {"skipped", "cleaner_version", "model_version", "settings_hash"}
    metadata = schema()["$defs"]["metadata"]
    assert set(metadata["required"]) == set(rec["metadata"]) == set(metadata["properties"]) - {"site_name", "url"}
    span, edit = schema()["$defs"]["span"], schema()["$defs"]["edit"]
    assert set(span["required"]) == set(span["properties"]) == set(rec["removed"][0])
    assert set(edit["required"]) == set(edit["properties"]) == set(rec["edits"][0])


def test_every_record_of_a_folder_run_is_valid(tmp_path, pages):
    (pages / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (pages / "empty.txt").write_bytes(b"")
    summary = api.clean_paths([pages], tmp_path / "out")
    records = read_report(summary.report)
    assert [rec["status"] for rec in records].count("error") == 2 and len(records) == 5
    for rec in records:
        assert problems(rec) == [], rec["path"]
        assert rec["cleaner_version"] == cleaner.__version__ and rec["settings_hash"].startswith("sha256:")
    for rec in records:
        if rec["status"] == "ok":
            text = Path(rec["output"]).read_text(encoding="utf-8")
            assert rebuild_from_record(text, rec) == Path(rec["path"]).read_text(encoding="utf-8")


@pytest.mark.parametrize("path", seed_files(), ids=lambda p: p.name)
def test_seed_records_are_valid_and_rebuild(path):
    rec = checked(path.read_text(encoding="utf-8"), path.name)
    assert rec["removed"] and rec["metadata"]["language"] == "en"


def test_crlf_page_without_final_newline_is_valid_and_rebuilds():
    checked("Menu\r\n\r\n  Body text of the article, long enough to be prose.  \r\nEnd", "crlf.txt")


def test_error_records_are_valid():
    assert problems(error_record("bad.txt", "binary file")) == []
    assert problems(error_record("-", "empty input")) == []


HTML_FIXTURES = FIXTURES / "html"


def test_html_records_of_a_mixed_run_are_valid_and_rebuild_the_whole_page_text(tmp_path, pages):
    from cleaner.inputs.html_dom import page_text, parse_html
    from cleaner.inputs.html_source import decode_html

    html_page = HTML_FIXTURES / "harbour_article.html"
    (pages / "page.html").write_bytes(html_page.read_bytes())
    summary = api.clean_paths([pages], tmp_path / "out")
    records = {Path(rec["path"]).name: rec for rec in read_report(summary.report)}
    assert {rec["input_format"] for rec in records.values()} == {"text", "html"}
    rec = records["page.html"]
    assert problems(rec) == [] and rec["input_format"] == "html"
    assert rec["metadata"]["site_name"] == "The Harbour Courier" and rec["metadata"]["url"].startswith("https://")
    whole = page_text(parse_html(decode_html(html_page.read_bytes()).text))
    assert rebuild_from_record(Path(rec["output"]).read_text(encoding="utf-8"), rec) == whole
    for span in rec["removed"]:
        assert whole[span["start"]:span["end"]] == span["text"]


@pytest.mark.skipif(not BENCH.exists(), reason="bench-data not available")
def test_every_dev_set_record_is_valid_and_rebuilds_the_input():
    files = bench_files()
    assert len(files) == 182
    for path in files:
        checked(path.read_text(encoding="utf-8"), path.name)


# --- broken records are refused ----------------------------------------------------------------


def _sample() -> dict:
    return json.loads(dumps(record(clean_text(seed_files()[0].read_text(encoding="utf-8")), output="o.txt",
                                   encoding="utf-8")))


def _set(key: str, value: object) -> Callable[[dict], None]:
    return lambda rec: rec.__setitem__(key, value)


def _span(key: str, value: object) -> Callable[[dict], None]:
    return lambda rec: rec["removed"][0].__setitem__(key, value)


def _edit(key: str, value: object) -> Callable[[dict], None]:
    return lambda rec: rec["edits"][0].__setitem__(key, value)


def _meta(key: str, value: object) -> Callable[[dict], None]:
    return lambda rec: rec["metadata"].__setitem__(key, value)


BROKEN = {
    "missing key": lambda rec: rec.pop("encoding"),
    "extra key": _set("score", 0.9),
    "unknown status": _set("status", "done"),
    "ok with an error": _set("error", "oops"),
    "ok without metadata": _set("metadata", None),
    "line count as text": _set("lines_total", "31"),
    "negative line count": _set("lines_kept", -1),
    "notes not strings": _set("notes", [1]),
    "span without offsets": lambda rec: rec["removed"][0].pop("start"),
    "span with extra key": _span("score", 1),
    "negative offset": _span("start", -1),
    "line zero": _span("first_line", 0),
    "empty span text": _span("text", ""),
    "empty rule": _span("rule", ""),
    "offsets not matching the text": _span("end", 10**6),
    "edit without line": lambda rec: rec["edits"][0].pop("line"),
    "empty edit text": _edit("text", ""),
    "date not ISO": _meta("date", "03/04/2015"),
    "impossible date": _meta("date", "2015-02-30"),
    "metadata with extra key": _meta("site", "x"),
    "unknown input format": _set("input_format", "pdf"),
    "settings hash not a hash": _set("settings_hash", "balanced"),
    "version not a string": _set("cleaner_version", 1),
    "url not a string": _meta("url", ["https://example.org/"]),
    "title not a string": _meta("title", 3),
    "error record with data": lambda rec: rec.update(status="error", error="bad", metadata=None, lines_total=None,
                                                     lines_kept=None, output=None, encoding=None, edits=[], notes=[]),
}


@pytest.mark.parametrize("breaks", BROKEN.values(), ids=list(BROKEN))
def test_a_broken_record_is_refused(breaks):
    rec = _sample()
    assert problems(rec) == []
    broken = copy.deepcopy(rec)
    breaks(broken)
    assert problems(broken) != []


def test_an_error_record_without_a_message_is_refused():
    rec = error_record("bad.txt", "binary file")
    rec["error"] = None
    assert problems(rec) != []
    rec = error_record("bad.txt", "binary file")
    rec["lines_total"] = 3
    assert problems(rec) != []


def test_records_of_a_resumed_run_validate_and_a_skipped_record_needs_its_output(tmp_path):
    from cleaner import clean_paths, read_report
    from cleaner.outputs.report import skipped_record

    pages = tmp_path / "in"
    pages.mkdir()
    for seed in seed_files():
        (pages / seed.name).write_bytes(seed.read_bytes())
    clean_paths([pages], tmp_path / "out")
    (tmp_path / "out" / seed_files()[0].name).unlink()
    (tmp_path / "out" / "report.jsonl").unlink()  # no earlier record to keep: the skipped input gets a stub
    clean_paths([pages], tmp_path / "out", skip_existing=True)
    records = read_report(tmp_path / "out" / "report.jsonl")
    assert sorted(r["status"] for r in records) == ["ok", "skipped"]
    for rec in records:
        assert list(VALIDATOR.iter_errors(rec)) == []
    broken = skipped_record("a.txt", None, "output exists")
    assert list(VALIDATOR.iter_errors(broken)) != []


def test_a_page_with_no_clean_text_has_status_empty_and_still_rebuilds(tmp_path):
    page = "Skip to main content\n\nShare on Facebook\n"
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "nav.txt").write_text(page, encoding="utf-8")
    summary = api.clean_paths([tmp_path / "pages"], tmp_path / "out")
    (rec,) = read_report(summary.report)
    assert rec["status"] == "empty" and problems(rec) == []
    assert rebuild_from_record(Path(rec["output"]).read_text(encoding="utf-8"), rec) == page
    assert VALIDATOR.is_valid({**rec, "status": "empty", "metadata": None}) is False  # empty has ok's shape

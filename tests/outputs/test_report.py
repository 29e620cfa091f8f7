import codecs
import json
import os
from pathlib import Path

import pytest
from conftest import PROSE, seed_files

from cleaner import clean_text
from cleaner.cli import app
from cleaner.metadata import Metadata
from cleaner.outputs.diff import format_review
from cleaner.outputs.report import (
    ERROR,
    OK,
    dumps,
    error_record,
    line_starts,
    read_report,
    rebuild_from_record,
    rebuild_input_bytes,
    record,
)
from cleaner.render import CleanResult, Edit, RemovedSpan

RECORD_KEYS = ["path", "status", "error", "output", "encoding", "encoding_confidence", "bom", "metadata", "lines_total",
               "lines_kept", "notes", "removed", "edits"]


def sample() -> CleanResult:
    """A hand-made result: 7 input lines, two removed spans, a trim and one real in-line cut."""
    return CleanResult(
        source="page.txt",
        text="Title\n\nBody text here.\n",
        removed=[
            RemovedSpan("nav", "NAV1", 1, 2, "Home\nNews\n", "menu"),
            RemovedSpan("foot", "FOOT1", 6, 7, "\n\n"),
            RemovedSpan("foot", "FOOT2", 8, 8, "(c) 2024\n"),
        ],
        edits=[Edit(3, 0, 2, "  "), Edit(5, 4, 13, " [Share!]", "social", "SOC9")],
        metadata=Metadata(title="Title – Grüße", author=None, date="2024-01-02", language="de"),
        lines_total=8,
        lines_kept=3,
        notes=["a note"],
    )


INPUT = "Home\nNews\n  Title\n\nBody [Share!] text here.\n\n\n(c) 2024\n"


def test_sample_is_a_lossless_result():
    assert sample().rebuild() == INPUT


def test_record_shape():
    rec = record(sample(), output="out/page.txt", encoding="utf-8")
    assert list(rec) == RECORD_KEYS
    assert rec["path"] == "page.txt" and rec["status"] == OK and rec["error"] is None
    assert rec["metadata"] == {"title": "Title – Grüße", "author": None, "date": "2024-01-02", "language": "de"}
    assert (rec["lines_total"], rec["lines_kept"], rec["notes"]) == (8, 3, ["a note"])
    assert rec["removed"][0] == {"detector": "nav", "rule": "NAV1", "first_line": 1, "last_line": 2,
                                 "start": 0, "end": 10, "text": "Home\nNews\n", "reason": "menu"}
    assert [(span["start"], span["end"]) for span in rec["removed"]] == [(0, 10), (44, 46), (46, 55)]
    assert rec["edits"][1] == {"line": 5, "start": 4, "end": 13, "text": " [Share!]", "detector": "social",
                               "rule": "SOC9"}


def test_error_record_has_the_same_keys_and_no_data():
    rec = error_record("bad.txt", "binary file")
    assert list(rec) == RECORD_KEYS
    assert rec["status"] == ERROR and rec["error"] == "binary file"
    assert rec["metadata"] is None and rec["lines_total"] is None and rec["removed"] == [] and rec["edits"] == []
    with pytest.raises(ValueError):
        rebuild_from_record("", rec)


def test_span_offsets_slice_the_input_to_the_span_text():
    for span in record(sample())["removed"]:
        assert INPUT[span["start"]:span["end"]] == span["text"]


def test_line_starts_follow_every_kind_of_line_ending():
    assert line_starts("a\r\nbc\rd\n\nlast") == [0, 3, 6, 8, 9, 13]
    assert line_starts("") == [0]


def test_a_record_without_offsets_still_rebuilds():
    rec = json.loads(dumps(record(sample())))
    for span in rec["removed"]:
        del span["start"], span["end"]
    assert rebuild_from_record(sample().text, rec) == INPUT


def test_dumps_is_one_json_line_with_non_ascii_kept():
    line = dumps(record(sample()))
    assert line.endswith("\n") and line.count("\n") == 1
    assert "Grüße" in line and '"Home\\nNews\\n"' in line
    assert json.loads(line) == record(sample())


def test_read_report_reads_what_dumps_wrote(tmp_path):
    path = tmp_path / "report.jsonl"
    recs = [record(sample()), error_record("x.txt", "empty file")]
    path.write_text("".join(dumps(rec) for rec in recs), encoding="utf-8")
    assert read_report(path) == recs


def through_json(text: str, source: str) -> None:
    """The record, read back from JSON, rebuilds the input, and its offsets slice out each span's text."""
    result = clean_text(text, source)
    rec = json.loads(dumps(record(result)))
    assert rebuild_from_record(result.text, rec) == text, source
    for span in rec["removed"]:
        assert text[span["start"]:span["end"]] == span["text"], (source, span["first_line"])


@pytest.mark.parametrize("path", seed_files(), ids=lambda p: p.name)
def test_seeds_rebuild_exactly_through_json(path):
    through_json(path.read_text(encoding="utf-8"), path.name)


# The dev set's 182 dumps go through JSON in tests/outputs/test_schema.py (validated against the schema too).


def test_crlf_and_missing_final_newline_rebuild_through_json():
    through_json("Menu\r\n\r\n  Body text of the article, long enough to be prose.  \r\nEnd", "crlf.txt")


# --- the review (clean --diff) ---------------------------------------------------------------


def test_dumps_writes_a_non_utf8_path_as_reversible_escapes():
    line = dumps(error_record(os.fsdecode(b"caf\xe9.txt"), "empty file"))
    assert line.startswith('{"path": "caf\\udce9.txt", ') and line.encode("utf-8")
    assert os.fsencode(json.loads(line)["path"]) == b"caf\xe9.txt"


def test_link_marker_cuts_are_in_the_record_and_the_review():
    refs = "\n".join(f"  {n}. https://example.org/{n}" for n in range(1, 9))
    menu = "\n".join(f"     * [{n}]Section {n}" for n in range(1, 7))
    body = (
        "   The harbour board agreed on Monday to rebuild the old [7]fish market as a covered hall for local "
        "traders, ending two years of argument over whether the site should be sold to a [8]hotel chain."
    )
    text = f"{menu}\n\n{body}\n\nReferences\n\n{refs}\n"
    result = clean_text(text)
    rec = json.loads(dumps(record(result)))
    cuts = [edit for edit in rec["edits"] if edit["detector"] == "link-list"]
    assert [(edit["rule"], edit["text"]) for edit in cuts] == [("LINK3", "[7]"), ("LINK3", "[8]")]
    assert any(span["detector"] == "link-list" and span["rule"] == "LINK1" for span in rec["removed"])
    assert rebuild_from_record(result.text, rec) == text
    review_text = format_review(result)
    assert "~ link-list LINK3" in review_text and "- link-list LINK1" in review_text


# --- the input bytes, byte-order mark included (issue 12 #8) ------------------------------------

BOM_PAGE = "Home\nNews\n\n" + "\n\n".join([PROSE] * 3) + "\n\nCopyright 2024 Example News\n"


@pytest.mark.parametrize("bom, codec", [
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (b"", "utf-8"),
], ids=["utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "none"])
@pytest.mark.parametrize("page", ["Hello world. A sentence.\n", BOM_PAGE, "Zero\ufeffwidth no-break " + BOM_PAGE])
def test_report_rebuilds_the_input_bytes_with_its_byte_order_mark(runner, tmp_path, bom, codec, page):
    data = bom + page.encode(codec)
    path = tmp_path / "b.txt"
    path.write_bytes(data)
    out, report_path = tmp_path / "b.clean.txt", tmp_path / "r.json"
    result = runner.invoke(app, [str(path), "--output", str(out), "--report", str(report_path)])
    assert result.exit_code == 0, result.output
    clean = (tmp_path / "b.clean.txt").read_text(encoding="utf-8")
    rec = read_report(tmp_path / "r.json")[0]
    assert not clean.startswith("\ufeff")  # the mark is no text
    assert rebuild_from_record(clean, rec) == data.decode(rec["encoding"])  # the decoded input, one code point each
    assert rebuild_input_bytes(clean, rec) == data
    assert rec["bom"] == (codec if bom else None)


# --- the codec and how sure it is (issue 12 #10) -------------------------------------------------


def test_report_names_the_codec_and_its_confidence(runner, tmp_path):
    pages = {
        "es.txt": "Inicio | Noticias\n\nEl Gobierno aprobó ayer una reforma que afectará a millones de españoles. "
                  "Hace años que no vivo allí.\n".encode("cp1252"),
        "pt.txt": "Início | Notícias\n\nO governo anunciou hoje novas medidas. Não sei se a informação está "
                  "correta.\n".encode("cp1252"),
        "pl.txt": "Rząd przyjął w środę projekt ustawy. Zażółć gęślą jaźń.\n".encode("cp1250"),
        "utf8.txt": "Grüße aus München.\n".encode(),
    }
    for name, data in pages.items():
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / name).write_bytes(data)
    result = runner.invoke(app, [str(tmp_path / "in"), "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    records = {Path(rec["path"]).name: rec for rec in read_report(tmp_path / "out" / "report.jsonl")}
    assert {name: rec["encoding"] for name, rec in records.items()} == {
        "es.txt": "cp1252", "pl.txt": "cp1250", "pt.txt": "cp1252", "utf8.txt": "utf-8"}
    assert records["utf8.txt"]["encoding_confidence"] == 1.0
    assert all(0.5 < rec["encoding_confidence"] <= 1 for rec in records.values())
    for name, rec in records.items():
        clean = (tmp_path / "out" / name).read_text(encoding="utf-8")
        assert rebuild_input_bytes(clean, rec) == pages[name]

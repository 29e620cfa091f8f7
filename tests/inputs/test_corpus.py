"""Corpus readers (WARC, WET, JSON lines; plain, gzip, zstd) and the JSON-lines writer."""

from __future__ import annotations

import gzip
import inspect
import io
import json
import tracemalloc
import zlib
from pathlib import Path

import pytest
import zstandard
from conftest import FIXTURES, PROSE, SHARED, leftovers, seed_files
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner import clean_text
from cleaner.errors import InputError
from cleaner.inputs.compression import open_decompressed
from cleaner.inputs.corpus import (
    CORPUS_SUFFIXES,
    CorpusError,
    CorpusOptions,
    Document,
    close_source,
    is_corpus_path,
    iter_documents,
    open_source,
    sniff_corpus,
)
from cleaner.inputs.decoding import MAX_LINES, decode
from cleaner.outputs.corpus_output import JsonlWriter, is_jsonl_output, output_record, output_suffix, rebuild_text, stem

PAGE = "<html><head><title>Harbour vote</title></head><body><p>" + PROSE + "</p></body></html>"
DUMP = "Skip to main content\n\nHarbour town bans cruise ships\n\n" + PROSE + "\n\nShare on Facebook\n"


# --- building corpus files ------------------------------------------------------------------


class Warc:
    """A WARC file built record by record with warcio (gzip: one member per record, as Common Crawl)."""

    def __init__(self, compress: bool = True) -> None:
        self.buffer = io.BytesIO()
        self.writer = WARCWriter(self.buffer, gzip=compress)

    def warcinfo(self) -> Warc:
        self.writer.write_record(self.writer.create_warcinfo_record("test.warc.gz", {"software": "tests"}))
        return self

    def conversion(self, url: str, text: str, language: str = "eng") -> Warc:
        headers = {"WARC-Identified-Content-Language": language, "WARC-Refers-To": "<urn:uuid:ref>"}
        record = self.writer.create_warc_record(url, "conversion", payload=io.BytesIO(text.encode()),
                                                warc_content_type="text/plain", warc_headers_dict=headers)
        self.writer.write_record(record)
        return self

    def response(self, url: str, body: bytes, headers: list[tuple[str, str]], status: str = "200 OK") -> Warc:
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        self.writer.write_record(self.writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                                http_headers=http))
        return self

    def record(self, url: str, kind: str, body: bytes, content_type: str) -> Warc:
        self.writer.write_record(self.writer.create_warc_record(url, kind, payload=io.BytesIO(body),
                                                                warc_content_type=content_type))
        return self

    def bytes(self) -> bytes:
        return self.buffer.getvalue()


def wet(count: int, compress: bool = True) -> bytes:
    warc = Warc(compress).warcinfo()
    for n in range(count):
        warc.conversion(f"https://example.com/{n}", f"Page {n}\n{PROSE}\n")
    return warc.bytes()


def many_wet_records(count: int) -> bytes:
    """A gzip WET file of ``count`` conversion records, written by hand (warcio is slow for thousands)."""
    members = []
    for n in range(count):
        body = f"Page {n}\n{PROSE}\n".encode()
        header = (f"WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: https://example.com/{n}\r\n"
                  f"WARC-Date: 2024-05-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:{n:032x}>\r\n"
                  f"Content-Type: text/plain\r\nContent-Length: {len(body)}\r\n\r\n")
        members.append(gzip.compress(header.encode() + body + b"\r\n\r\n", compresslevel=1, mtime=0))
    return b"".join(members)


def jsonl(records: list[object]) -> bytes:
    return b"".join(json.dumps(record).encode() + b"\n" for record in records)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def documents(path: Path | str, **options: object) -> list[Document]:
    return list(iter_documents(path, CorpusOptions(**options)))  # type: ignore[arg-type]


def one_line(message: str | None) -> str:
    assert message and "\n" not in message
    return message


def gzip_members(data: bytes) -> int:
    members = 0
    while data:
        unit = zlib.decompressobj(zlib.MAX_WBITS | 16)
        unit.decompress(data)
        members += 1
        data = unit.unused_data
    return members


# --- names and sniffing ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["CC-MAIN-1.warc.wet.gz", "x.WARC.GZ", "x.warc", "x.jsonl", "x.jsonl.zst",
                                  "x.ndjson.gz", "c4-train.00000-of-01024.json.gz", "x.wet"])
def test_corpus_names(name):
    assert is_corpus_path(name)


@pytest.mark.parametrize("name", ["page.txt", "page.txt.gz", "page.html", "data.json", "x.warc.bak"])
def test_other_names_are_no_corpus(name):
    assert not is_corpus_path(name)


@pytest.mark.parametrize("source, expected", [
    ("crawl/CC-MAIN-20240501-00001.warc.wet.gz", "CC-MAIN-20240501-00001"),
    ("a.WARC.GZ", "a"), ("c4.json.gz", "c4"), ("docs.jsonl", "docs"), ("data.bin.gz", "data"),
    ("data.bin", "data"), (".jsonl", ".jsonl"), ("-", "stdin"),
])
def test_stem(source, expected):
    assert stem(source) == expected


def test_output_names():
    assert [output_suffix(c) for c in (None, "none", "gzip", "zstd")] == [".jsonl", ".jsonl", ".jsonl.gz", ".jsonl.zst"]
    assert is_jsonl_output("out/clean.JSONL.gz") and is_jsonl_output("x.ndjson")
    assert not is_jsonl_output("out") and not is_jsonl_output("out.txt")


def test_suffixes_are_lower_case_and_unique():
    assert all(suffix == suffix.lower() for suffix in CORPUS_SUFFIXES)
    assert len(set(CORPUS_SUFFIXES)) == len(CORPUS_SUFFIXES)


@pytest.mark.parametrize("head, kind", [
    (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", "warc"),
    (b"WARC/1.1\r\n", "warc"),
    (b'{"text": "a"}\n', "jsonl"),
    (b'\xef\xbb\xbf  {"id": 1}', "jsonl"),
    (b"{}\n", "jsonl"),
    (b"{{Infobox}} is a template\n", None),
    (b"<!doctype html><html>", None),
    (b"Skip to main content\n", None),
    (b"[1, 2]", None),
    (b"", None),
])
def test_sniff_corpus(head, kind):
    assert sniff_corpus(head) == kind


# --- WET --------------------------------------------------------------------------------------


def test_wet_multi_member_gzip_like_common_crawl(tmp_path):
    data = wet(3)
    assert gzip_members(data) == 4  # warcinfo + one member per record
    docs = documents(write(tmp_path, "CC-MAIN-x.warc.wet.gz", data))
    assert [doc.url for doc in docs] == [f"https://example.com/{n}" for n in range(3)]
    assert [doc.position for doc in docs] == [0, 1, 2]
    first = docs[0]
    assert first.kind == "text" and first.error is None
    assert first.content == f"Page 0\n{PROSE}\n".encode()
    assert first.id.startswith("<urn:uuid:") and len({doc.id for doc in docs}) == 3
    assert first.metadata["identified_language"] == "eng"
    assert first.metadata["content_type"] == "text/plain"
    assert first.metadata["warc_date"].startswith("20")
    assert first.source == str(tmp_path / "CC-MAIN-x.warc.wet.gz")


def test_wet_uncompressed_and_zstd_give_the_same_documents(tmp_path):
    plain = wet(3, compress=False)
    from_plain = documents(write(tmp_path, "a.wet", plain))
    from_zstd = documents(write(tmp_path, "b.wet.zst", zstandard.ZstdCompressor().compress(plain)))
    assert [(d.id, d.content) for d in from_plain] == [(d.id, d.content) for d in from_zstd]
    assert len(from_plain) == 3


def test_compression_is_told_by_content_not_name(tmp_path):
    docs = documents(write(tmp_path, "misnamed.jsonl", wet(2)))  # gzip WET under a JSONL name
    assert [doc.url for doc in docs] == ["https://example.com/0", "https://example.com/1"]


# --- WARC -------------------------------------------------------------------------------------


def test_warc_keeps_html_responses_and_skips_everything_else(tmp_path):
    html = PAGE.encode()
    warc = Warc().warcinfo()
    warc.record("https://example.com/a", "request", b"GET /a HTTP/1.1\r\nHost: example.com\r\n\r\n",
                "application/http; msgtype=request")
    warc.response("https://example.com/a", html, [("Content-Type", "text/html; charset=ISO-8859-1")])
    warc.response("https://example.com/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(200), [("Content-Type", "image/png")])
    warc.response("https://example.com/doc.pdf", b"%PDF-1.4 ...", [("Content-Type", "application/pdf")])
    warc.response("https://example.com/old", b"<html>moved</html>", [("Content-Type", "text/html")], "301 Moved")
    warc.response("https://example.com/gone", b"<html>not found</html>", [("Content-Type", "text/html")], "404 Nope")
    warc.record("https://example.com/a", "metadata", b"fetchTimeMs: 12\r\n", "application/warc-fields")
    warc.response("https://example.com/b", html, [("content-type", "application/xhtml+xml")])
    warc.record("https://example.com/c", "resource", html, "text/html; charset=utf-8")
    docs = documents(write(tmp_path, "crawl.warc.gz", warc.bytes()))
    assert [doc.url for doc in docs] == ["https://example.com/a", "https://example.com/b", "https://example.com/c"]
    assert all(doc.kind == "html" and doc.content == html and doc.error is None for doc in docs)
    assert [doc.charset for doc in docs] == ["ISO-8859-1", None, "utf-8"]
    assert docs[0].metadata["content_type"] == "text/html"
    assert docs[1].metadata["content_type"] == "application/xhtml+xml"


def test_warc_response_without_content_type_is_judged_by_its_body(tmp_path):
    warc = Warc(compress=False)
    warc.response("https://example.com/html", PAGE.encode(), [("Server", "x")])
    warc.response("https://example.com/bin", b"\x00\x01binary stuff", [("Server", "x")])
    docs = documents(write(tmp_path, "a.warc", warc.bytes()))
    assert [doc.url for doc in docs] == ["https://example.com/html"]


def chunked(body: bytes, size: int = 50) -> bytes:
    parts = [b"%x\r\n%s\r\n" % (len(body[i:i + size]), body[i:i + size]) for i in range(0, len(body), size)]
    return b"".join(parts) + b"0\r\n\r\n"


def brotli(body: bytes) -> bytes:
    from fastwarc.stream_io import BrotliWriter

    buffer = io.BytesIO()
    writer = BrotliWriter(buffer)
    writer.write(body)
    writer.close()
    return buffer.getvalue()


@pytest.mark.parametrize("coding, encode", [
    ("gzip", gzip.compress),
    ("deflate", zlib.compress),
    ("deflate", lambda body: zlib.compress(body)[2:-4]),  # raw deflate, as some servers send it
    ("zstd", lambda body: zstandard.ZstdCompressor().compress(body)),
    ("br", brotli),
])
def test_warc_content_and_transfer_codings_are_undone(tmp_path, coding, encode):
    html = PAGE.encode() * 3
    warc = Warc(compress=False)
    warc.response("https://example.com/enc", encode(html), [("Content-Type", "text/html"),
                                                             ("Content-Encoding", coding)])
    warc.response("https://example.com/chunked", chunked(encode(html)), [
        ("Content-Type", "text/html"), ("Content-Encoding", coding), ("Transfer-Encoding", "chunked")])
    docs = documents(write(tmp_path, "a.warc", warc.bytes()))
    assert [doc.content for doc in docs] == [html, html]


def test_warc_bad_content_coding_is_an_error_document_and_reading_goes_on(tmp_path):
    warc = Warc()
    warc.response("https://example.com/bad", b"not gzip at all", [("Content-Type", "text/html"),
                                                                   ("Content-Encoding", "gzip")])
    warc.response("https://example.com/ok", PAGE.encode(), [("Content-Type", "text/html")])
    docs = documents(write(tmp_path, "a.warc.gz", warc.bytes()))
    assert [doc.url for doc in docs] == ["https://example.com/bad", "https://example.com/ok"]
    assert "gzip" in one_line(docs[0].error) and docs[0].content is None
    assert docs[0].id.startswith("<urn:uuid:")
    assert docs[1].error is None


def test_warc_record_over_max_bytes_is_an_error_document(tmp_path):
    warc = Warc()
    warc.conversion("https://example.com/big", "word " * 5000)
    warc.conversion("https://example.com/small", DUMP)
    docs = documents(write(tmp_path, "a.wet.gz", warc.bytes()), max_bytes=10_000)
    assert "too large" in one_line(docs[0].error) and docs[0].url == "https://example.com/big"
    assert docs[1].content == DUMP.encode() and docs[1].position == 1


# --- damage -----------------------------------------------------------------------------------


def assert_damaged_after(docs: list[Document], good: int, word: str) -> None:
    assert [doc.error for doc in docs[:good]] == [None] * good
    assert len(docs) == good + 1
    assert word in one_line(docs[-1].error)
    assert docs[-1].position == good and docs[-1].content is None


def test_a_record_of_too_many_lines_is_an_error_document(tmp_path):
    warc = Warc()
    warc.conversion("https://example.com/lines", "a\n" * (MAX_LINES + 1))
    warc.conversion("https://example.com/small", DUMP)
    docs = documents(write(tmp_path, "a.wet.gz", warc.bytes()))
    assert one_line(docs[0].error).startswith("record too many lines") and docs[1].error is None
    rows = documents(write(tmp_path, "a.jsonl", jsonl([{"text": "a\n" * (MAX_LINES + 1)}, {"text": DUMP}])))
    assert "too many lines" in one_line(rows[0].error) and rows[1].error is None


def test_truncated_gzip_wet_yields_the_good_records_then_one_error(tmp_path):
    data = wet(50)
    docs = documents(write(tmp_path, "cut.warc.wet.gz", data[: len(data) - 300]))
    assert_damaged_after(docs, 49, "truncated gzip")


def test_truncated_gzip_between_members_is_noticed(tmp_path):
    data = wet(5)
    members = Warc().conversion("https://example.com/x", DUMP).bytes()
    docs = documents(write(tmp_path, "cut.wet.gz", data + members[:20]))
    assert_damaged_after(docs, 5, "truncated gzip")


def test_truncated_plain_warc_inside_the_last_record(tmp_path):
    data = wet(5, compress=False)
    docs = documents(write(tmp_path, "cut.wet", data[: len(data) - 60]))
    assert_damaged_after(docs, 4, "truncated WARC record")
    assert docs[-1].url == "https://example.com/4"


def test_truncated_plain_warc_inside_a_header(tmp_path):
    data = wet(5, compress=False)
    last = data.rindex(b"WARC/1.")
    docs = documents(write(tmp_path, "cut.wet", data[: last + 60]))
    assert_damaged_after(docs, 4, "damaged WARC record header")


def test_garbage_after_good_warc_records(tmp_path):
    docs = documents(write(tmp_path, "a.wet", wet(3, compress=False) + b"this is not a WARC record\n" * 5))
    assert_damaged_after(docs, 3, "damaged WARC data")


def test_garbage_after_gzip_members(tmp_path):
    docs = documents(write(tmp_path, "a.wet.gz", wet(3) + b"garbage, not gzip"))
    assert_damaged_after(docs, 3, "corrupt gzip data")


def test_truncated_zstd_jsonl(tmp_path):
    lines = jsonl([{"id": n, "text": f"{PROSE} {n}"} for n in range(2000)])  # several zstd blocks
    data = zstandard.ZstdCompressor().compress(lines)
    docs = documents(write(tmp_path, "a.jsonl.zst", data[:-10]))
    assert docs[-1].error and "truncated zstd" in one_line(docs[-1].error)
    assert all(doc.error is None for doc in docs[:-1]) and len(docs) > 1000


def test_truncated_gzip_jsonl_does_not_report_the_cut_line_as_bad_json(tmp_path):
    lines = jsonl([{"id": n, "text": f"{PROSE} {n}"} for n in range(50)])
    data = gzip.compress(lines)
    docs = documents(write(tmp_path, "a.jsonl.gz", data[:-30]))
    assert_damaged_after(docs, len(docs) - 1, "truncated gzip")
    assert len(docs) >= 45


# --- JSON lines -------------------------------------------------------------------------------


@pytest.mark.parametrize("name, pack", [
    ("a.jsonl", lambda data: data),
    ("a.jsonl.gz", gzip.compress),
    ("a.jsonl.zst", lambda data: zstandard.ZstdCompressor().compress(data)),
])
def test_jsonl_with_custom_keys(tmp_path, name, pack):
    records = [
        {"doc_id": "a1", "body": DUMP, "meta": {"link": "https://example.com/a"}},
        {"doc_id": 7, "body": "Zweite Seite über Köln\n"},
        {"body": PAGE},
    ]
    docs = documents(write(tmp_path, name, pack(jsonl(records))), text_key="body", id_key="doc_id",
                     url_key="meta.link")
    assert [doc.id for doc in docs] == ["a1", "7", f"{tmp_path / name}:3"]
    assert [doc.url for doc in docs] == ["https://example.com/a", None, None]
    assert docs[1].content == "Zweite Seite über Köln\n".encode()
    assert all(doc.kind == "text" and doc.charset == "utf-8" and doc.error is None for doc in docs)


def test_jsonl_record_problems_are_error_documents_and_reading_goes_on(tmp_path):
    data = b"".join([
        jsonl([{"id": "ok1", "text": DUMP}]),
        b'{"id": "broken", "text": "unterminated\n',
        jsonl([{"id": "no-text", "content": DUMP}, {"id": "number", "text": 12}, [1, 2], {"id": "blank", "text": " "}]),
        b"\n   \n",  # blank lines are no records
        b'{"id": "latin", "text": "caf\xe9"}\n',
        jsonl([{"id": "ok2", "text": DUMP}]),
    ])
    docs = documents(write(tmp_path, "a.jsonl", data))
    assert [doc.position for doc in docs] == list(range(8))
    errors = [doc.error for doc in docs]
    assert errors[0] is None and errors[-1] is None
    assert "line 2: not valid JSON" in one_line(errors[1])
    assert docs[1].id == f"{tmp_path / 'a.jsonl'}:2"
    assert errors[2] == "line 3: no 'text' field" and docs[2].id == "no-text"
    assert "not a string (got int)" in errors[3]
    assert errors[4] == "line 5: not a JSON object"
    assert "empty" in errors[5]
    assert errors[6] == "line 9: not valid UTF-8"
    assert docs[-1].id == "ok2" and docs[-1].content == DUMP.encode()


def test_jsonl_line_over_max_bytes_is_skipped_without_reading_it_whole(tmp_path):
    huge = {"id": "huge", "text": "word " * 2_000_000}  # 10 MB
    path = write(tmp_path, "a.jsonl", jsonl([{"id": "a", "text": DUMP}, huge, {"id": "b", "text": DUMP}]))
    tracemalloc.start()
    try:
        docs = documents(path, max_bytes=100_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [doc.error is None for doc in docs] == [True, False, True]
    assert "line 2: record too large" in one_line(docs[1].error)
    assert peak < 3_000_000


def test_stdin(tmp_path):
    stream = io.BytesIO(gzip.compress(jsonl([{"text": DUMP}, {"text": PAGE, "url": "https://example.com/"}])))
    docs = list(iter_documents("-", stdin=stream))
    assert [doc.id for doc in docs] == ["stdin:1", "stdin:2"]
    assert docs[1].url == "https://example.com/" and docs[0].source == "-"


# --- files that are no corpus -----------------------------------------------------------------


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (gzip.compress(b""), "empty file"),
    (b"Skip to main content\nHeadline\n", "not a corpus"),
    (b"{{Infobox person}} is a template\n", "not a corpus"),
    (PAGE.encode(), "not a corpus"),
    (gzip.compress(b"plain text, compressed\n"), "not a corpus"),
    (b"\x1f\x8b\x08\x00garbage", "gzip"),
])
def test_not_a_corpus_raises_a_one_line_corpus_error(tmp_path, data, reason):
    path = write(tmp_path, "x.jsonl", data)
    with pytest.raises(CorpusError) as err:
        iter_documents(path)
    assert reason in one_line(str(err.value))
    assert isinstance(err.value, InputError)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(CorpusError, match="no such file"):
        iter_documents(tmp_path / "missing.warc.gz")
    with pytest.raises(CorpusError, match="is a directory"):
        iter_documents(tmp_path)


def test_reading_streams_record_by_record(tmp_path):
    path = write(tmp_path, "big.warc.wet.gz", many_wet_records(20_000))
    documents_ = iter_documents(path)
    assert inspect.isgenerator(documents_)
    tracemalloc.start()
    try:
        count = sum(1 for _ in documents_)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 20_000
    assert peak < 2_000_000  # the decompressed file is about 7 MB; one record is about 350 bytes


# --- output -----------------------------------------------------------------------------------


def cleaned(document: Document) -> tuple[str, dict[str, object]]:
    decoded = decode(document.content or b"")
    result = clean_text(decoded.text, document.id)
    return decoded.text, output_record(document, result, None, input_format="text", encoding=decoded.encoding)


def test_output_record_rebuilds_the_document_text_through_json(tmp_path):
    texts = [path.read_text(encoding="utf-8") for path in seed_files()] + [DUMP]
    warc = Warc().warcinfo()
    for n, text in enumerate(texts):
        warc.conversion(f"https://example.com/{n}", text)
    for document in documents(write(tmp_path, "a.wet.gz", warc.bytes())):
        text, rec = cleaned(document)
        back = json.loads(json.dumps(rec, ensure_ascii=False))
        assert rebuild_text(back) == text
        assert back["id"] == document.id and back["url"] == document.url
        assert back["metadata"]["identified_language"] == "eng" and "title" in back["metadata"]
        assert back["removed"] and all(text[s["start"]: s["end"]] == s["text"] for s in back["removed"])
        assert back["lines_kept"] < back["lines_total"]


def test_output_record_summary_and_error_shapes():
    document = Document("id-1", "https://example.com/", DUMP.encode(), "text", None, "c.jsonl", 4)
    _, rec = cleaned(document)
    assert list(rec)[:4] == ["id", "url", "source", "position"]
    assert "removed" in rec and "removed_summary" not in rec
    summary = output_record(document, clean_text(DUMP), None, spans=False)
    assert "removed" not in summary and "edits" not in summary
    assert summary["removed_summary"] == clean_text(DUMP).removals_by_detector()
    failed = output_record(document, None, "binary file")
    assert failed == {"id": "id-1", "url": "https://example.com/", "source": "c.jsonl", "position": 4,
                      "error": "binary file"}
    bad = Document("id-2", None, None, "text", None, "c.jsonl", 5, "line 6: not valid JSON")
    assert output_record(bad, None, None)["error"] == "line 6: not valid JSON"


RECORDS = [{"id": "a", "text": "Grüße aus Köln\n", "n": 1}, {"id": "b", "text": "line\r\nwith \u2028 separators"}]


@pytest.mark.parametrize("name, compression", [("out.jsonl", None), ("out.jsonl.gz", "gzip"),
                                               ("out.jsonl.zst", "zstd"), ("out.data", "gzip")])
def test_writer_round_trip(tmp_path, name, compression):
    target = tmp_path / name
    with JsonlWriter(target, compression if name == "out.data" else None) as writer:
        for record in RECORDS:
            writer.write(record)
    assert writer.count == 2
    data = target.read_bytes()
    if compression:
        assert data[:4] != b'{"id'
    with open(target, "rb") as raw:
        lines = [line.decode("utf-8") for line in open_decompressed(raw)]
    assert [json.loads(line) for line in lines] == RECORDS
    assert lines[0] == '{"id":"a","text":"Grüße aus Köln\\n","n":1}\n'
    assert leftovers(tmp_path) == []


def test_writer_explicit_none_and_unknown_compression(tmp_path):
    with JsonlWriter(tmp_path / "plain.jsonl.gz", "none") as writer:
        writer.write({"a": 1})
    assert (tmp_path / "plain.jsonl.gz").read_bytes() == b'{"a":1}\n'
    with pytest.raises(ValueError, match="unknown compression"):
        JsonlWriter(tmp_path / "x.jsonl", "bz2")


@pytest.mark.parametrize("name", ["out.jsonl", "out.jsonl.gz", "out.jsonl.zst"])
def test_writer_is_deterministic(tmp_path, name):
    outputs = []
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        with JsonlWriter(tmp_path / folder / name) as writer:
            for record in RECORDS:
                writer.write(record)
        outputs.append((tmp_path / folder / name).read_bytes())
    assert outputs[0] == outputs[1]


def test_writer_is_atomic(tmp_path):
    target = tmp_path / "out.jsonl.gz"
    with JsonlWriter(target) as writer:
        writer.write(RECORDS[0])
        assert not target.exists()
        assert len(leftovers(tmp_path)) == 1
    assert target.exists() and leftovers(tmp_path) == []


@pytest.mark.parametrize("name", ["out.jsonl", "out.jsonl.gz", "out.jsonl.zst"])
def test_interrupted_writer_leaves_no_file_and_the_old_target_untouched(tmp_path, name):
    fresh, old = tmp_path / name, tmp_path / ("old-" + name)
    old.write_bytes(b"previous run\n")
    for target in (fresh, old):
        with pytest.raises(KeyboardInterrupt), JsonlWriter(target) as writer:
            writer.write(RECORDS[0])
            raise KeyboardInterrupt
    assert not fresh.exists()
    assert old.read_bytes() == b"previous run\n"
    assert leftovers(tmp_path) == []


def test_writer_to_stdout_or_a_stream():
    stdout = io.BytesIO()
    with JsonlWriter("-", stdout=stdout) as writer:
        writer.write({"id": "x"})
    assert stdout.getvalue() == b'{"id":"x"}\n'
    stream = io.BytesIO()
    with JsonlWriter(stream) as writer:
        writer.write({"id": "y"})
    assert stream.getvalue() == b'{"id":"y"}\n' and not stream.closed
    stdout = io.BytesIO()
    with JsonlWriter("-", "gzip", stdout=stdout) as writer:
        writer.write({"id": "x"})
    assert gzip.decompress(stdout.getvalue()) == b'{"id":"x"}\n'


def test_writer_keeps_an_undecodable_surrogate_as_a_json_escape(tmp_path):
    with JsonlWriter(tmp_path / "a.jsonl") as writer:
        writer.write({"text": "bad \udc80 byte"})
    assert json.loads((tmp_path / "a.jsonl").read_bytes()) == {"text": "bad \udc80 byte"}


# --- corpus runs: clean_corpus and the CLI ----------------------------------------------------------

from typer.testing import CliRunner  # noqa: E402

from cleaner import clean_corpus  # noqa: E402
from cleaner.cli import app  # noqa: E402


def crawl(tmp_path: Path) -> Path:
    """A WET file of both seeds (boilerplate around an article), a binary record and an HTML-in-text record."""
    warc = Warc().warcinfo()
    for number, seed in enumerate(seed_files() * 3):
        warc.conversion(f"https://news.example/{number}", seed.read_text(encoding="utf-8"))
    warc.conversion("https://news.example/binary", "\x00\x01 broken \x00" * 30)
    return write(tmp_path, "crawl.warc.wet.gz", warc.bytes())


def read_jsonl(path: Path) -> list[dict]:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    elif path.name.endswith(".zst"):
        data = zstandard.ZstdDecompressor().decompressobj().decompress(data)
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def test_a_wet_corpus_becomes_jsonl_with_clean_text_spans_and_errors(tmp_path):
    source = crawl(tmp_path)
    summary = clean_corpus([source], tmp_path / "out.jsonl", jobs=1)
    records = read_jsonl(tmp_path / "out.jsonl")
    assert summary.documents == len(records) == 7 and summary.failed == 1 and not summary.ok
    good = [record for record in records if "error" not in record]
    for record, seed in zip(good, seed_files() * 3, strict=True):
        expected = clean_text(seed.read_text(encoding="utf-8"), source="x")
        assert record["text"] == expected.text
        assert rebuild_text(record) == seed.read_text(encoding="utf-8")
        assert record["url"].startswith("https://news.example/") and record["metadata"]["title"]
    assert "binary" in records[-1]["error"] and records[-1]["position"] == 6


def test_jobs_give_the_same_bytes_and_compression_by_suffix(tmp_path):
    source = crawl(tmp_path)
    clean_corpus([source], tmp_path / "one.jsonl", jobs=1)
    clean_corpus([source], tmp_path / "two.jsonl.zst", jobs=2)
    clean_corpus([source], tmp_path / "three.jsonl.gz", jobs=2, compression="gzip")
    one = (tmp_path / "one.jsonl").read_bytes()
    assert zstandard.ZstdDecompressor().decompressobj().decompress((tmp_path / "two.jsonl.zst").read_bytes()) == one
    assert gzip.decompress((tmp_path / "three.jsonl.gz").read_bytes()) == one


def test_jsonl_with_custom_keys_html_and_text_and_summaries_without_spans(tmp_path):
    source = write(tmp_path, "shard.jsonl.gz", gzip.compress(jsonl([
        {"doc": {"body": DUMP}, "key": 7, "link": "https://a.example/1"},
        {"doc": {"body": PAGE}, "key": 8},
        {"doc": {}, "key": 9},
    ])))
    options = CorpusOptions(text_key="doc.body", id_key="key", url_key="link")
    clean_corpus([source], tmp_path / "out.jsonl", reading=options, spans=False, jobs=1)
    text, html, missing = read_jsonl(tmp_path / "out.jsonl")
    assert (text["id"], text["url"], text["input_format"]) == ("7", "https://a.example/1", "text")
    assert "Share on Facebook" not in text["text"] and PROSE in text["text"]
    assert "removed" not in text and text["removed_summary"]
    assert html["input_format"] == "html" and PROSE in html["text"]
    assert missing["id"] == "9" and missing["error"]


def test_a_folder_of_corpora_mirrors_into_a_folder_and_resumes(tmp_path):
    folder = tmp_path / "crawl"
    (folder / "part").mkdir(parents=True)
    crawl(folder)
    write(folder / "part", "b.jsonl", jsonl([{"text": DUMP, "id": "x"}]))
    summary = clean_corpus([folder], jobs=1)
    out = tmp_path / "crawl.clean"
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*.jsonl")) == ["crawl.jsonl", "part/b.jsonl"]
    assert summary.outputs == [str(out / "crawl.jsonl"), str(out / "part" / "b.jsonl")]
    (out / "part" / "b.jsonl").unlink()
    before = (out / "crawl.jsonl").stat().st_mtime_ns
    again = clean_corpus([folder], skip_existing=True, jobs=1)
    assert again.skipped == [str(folder / "crawl.warc.wet.gz")] and (out / "part" / "b.jsonl").exists()
    assert (out / "crawl.jsonl").stat().st_mtime_ns == before


def test_cli_corpus_to_stdout_and_its_summary(tmp_path):
    source = crawl(tmp_path)
    result = CliRunner().invoke(app, [str(source), "--jobs", "2"])
    assert result.exit_code == 1  # the binary record failed; the rest is written
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 7 and sum("error" in record for record in records) == 1
    errors = result.stderr.splitlines()
    assert errors[0].startswith(f"clean: {source}#6 (") and "binary" in errors[0]
    assert "6 documents cleaned, 1 failed -> <stdout>" in errors[1]
    assert leftovers(tmp_path) == []


def test_every_corpus_record_names_the_version_and_the_settings(tmp_path, monkeypatch):
    from cleaner import __version__
    from cleaner.config import load_config
    from cleaner.options import settings_hash

    source = crawl(tmp_path)
    config = write(tmp_path, "cleaner.toml", b"skip = ['job-ads']\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, [str(source), "--jobs", "1"])
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 7 and "error" in records[-1]  # error records too
    assert {(rec["cleaner_version"], rec["settings_hash"]) for rec in records} == {
        (__version__, settings_hash(load_config(config)))}
    assert f"clean: config: {config}\n" in result.stderr


EMPTY_DUMP = "Skip to main content\nHome\nNews\nSport\n"  # all boilerplate: cleaned to nothing


def counted_corpora(tmp_path: Path) -> list[Path]:
    """A WET file (warcinfo, a page, an all-boilerplate page, a binary record), a JSONL file (a page, an
    empty text field, a blank line) and a WARC (warcinfo, a request, an HTML response, an image)."""
    wet_file = Warc().warcinfo().conversion("https://a.example/1", DUMP).conversion("https://a.example/2", EMPTY_DUMP)
    wet_file.conversion("https://a.example/3", "\x00\x01 broken \x00" * 30)
    warc = Warc().warcinfo().record("https://c.example/", "request", b"GET / HTTP/1.1\r\n\r\n",
                                    "application/http; msgtype=request")
    warc.response("https://c.example/", PAGE.encode(), [("Content-Type", "text/html")])
    warc.response("https://c.example/logo.png", b"\x89PNG\r\n", [("Content-Type", "image/png")])
    return [write(tmp_path, "a.warc.wet.gz", wet_file.bytes()),
            write(tmp_path, "b.jsonl", jsonl([{"text": DUMP}, {"text": ""}]) + b"\n"),
            write(tmp_path, "c.warc.gz", warc.bytes())]


def test_corpus_runs_count_records_read_skipped_failed_and_empty_per_file(tmp_path):
    paths = counted_corpora(tmp_path)
    summary = clean_corpus(paths, tmp_path / "out.jsonl", jobs=1)
    counts = {Path(source).name: (c.records, c.documents, c.cleaned, c.failed, c.empty, c.passed_over)
              for source, c in summary.files.items()}
    assert counts == {"a.warc.wet.gz": (4, 3, 2, 1, 1, 1), "b.jsonl": (2, 2, 1, 1, 0, 0),
                      "c.warc.gz": (4, 1, 1, 0, 0, 3)}
    assert (summary.records, summary.documents, summary.failed, summary.empty, summary.passed_over) == (
        10, 6, 2, 1, 4)


def test_cli_corpus_summary_counts_and_lists_every_file(tmp_path):
    paths = counted_corpora(tmp_path)
    result = CliRunner().invoke(app, [*map(str, paths), "-o", str(tmp_path / "out.jsonl"), "--jobs", "1"])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if not line.startswith(("clean: " + str(paths[0]) + "#",
                                                                                  "clean: " + str(paths[1]) + "#"))]
    assert lines[0] == f"clean: 4 documents cleaned, 2 failed -> {tmp_path / 'out.jsonl'}"
    assert lines[1] == "clean: 10 records read: 6 documents, 4 skipped (no document); 1 cleaned to empty text"
    assert lines[2].startswith("clean: ") and " documents/s)" in lines[2]
    assert lines[3:] == [
        f"clean: {paths[0]}: 4 records: 2 cleaned (1 empty), 1 failed, 1 skipped",
        f"clean: {paths[1]}: 2 records: 1 cleaned (0 empty), 1 failed, 0 skipped",
        f"clean: {paths[2]}: 4 records: 1 cleaned (0 empty), 0 failed, 3 skipped",
    ]
    one = CliRunner().invoke(app, [str(paths[2]), "-o", str(tmp_path / "one.jsonl")])
    assert one.exit_code == 0 and not any(str(paths[2]) + ":" in line for line in one.stderr.splitlines())


def test_cli_corpus_progress_on_a_terminal_only(tmp_path, monkeypatch):
    import cleaner.cli.progress

    paths = counted_corpora(tmp_path)
    plain = CliRunner().invoke(app, [*map(str, paths), "-o", str(tmp_path / "plain.jsonl"), "--jobs", "1"])
    assert "\x1b" not in plain.stderr and "━" not in plain.stderr
    monkeypatch.setattr(cleaner.cli.progress, "stderr_is_terminal", lambda: True)
    shown = CliRunner().invoke(app, [*map(str, paths), "-o", str(tmp_path / "bar.jsonl"), "--jobs", "1"])
    assert shown.exit_code == 1 and "documents" in shown.stderr and "\x1b" in shown.stderr
    assert f"clean: {paths[1]}#1 (" in shown.stderr and "line 2: field 'text' is empty\n" in shown.stderr
    assert "clean: 10 records read: 6 documents" in shown.stderr  # the summary after the bar
    quiet = CliRunner().invoke(app, [*map(str, paths), "-o", str(tmp_path / "q.jsonl"), "--jobs", "1", "-q"])
    assert "\x1b" not in quiet.stderr and len(quiet.stderr.splitlines()) == 2  # the two failures only


@pytest.mark.parametrize("extra", [["--report", "r.json"], ["--diff"], ["PAGE"]])
def test_cli_refuses_what_a_corpus_run_cannot_do(tmp_path, extra):
    source = crawl(tmp_path)
    page = write(tmp_path, "page.txt", DUMP.encode())
    args = [str(source), *[str(page) if arg == "PAGE" else arg for arg in extra]]
    if extra == ["PAGE"]:
        args += ["-o", str(tmp_path / "out")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.output


def test_compressed_pages_in_a_folder_are_found_and_named_without_the_suffix(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    write(folder, "a.txt.gz", gzip.compress(DUMP.encode()))
    write(folder, "b.html.zst", zstandard.ZstdCompressor().compress(PAGE.encode()))
    result = CliRunner().invoke(app, [str(folder), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.txt", "b.txt", "report.jsonl"]
    assert (tmp_path / "out" / "a.txt").read_text() == clean_text(DUMP).text


def test_a_corpus_on_standard_input_is_recognised_by_its_bytes(tmp_path):
    source = crawl(tmp_path)
    by_name = CliRunner().invoke(app, [str(source), "--jobs", "1"]).stdout
    expected = by_name.replace(f'"source":"{source}"', '"source":"-"')
    piped = CliRunner().invoke(app, ["-", "--jobs", "1"], input=gzip.decompress(source.read_bytes()))
    assert piped.exit_code == 1 and piped.stdout == expected
    page = CliRunner().invoke(app, ["-", "-q"], input=gzip.compress(DUMP.encode()))
    assert page.exit_code == 0 and page.stdout == clean_text(DUMP).text
    braces = '{"a": 1} is how the page starts\n' + DUMP
    assert CliRunner().invoke(app, ["-", "-q"], input=braces.encode()).stdout == clean_text(braces).text


@pytest.mark.parametrize("name, compress", [("out.jsonl", "zstd"), ("out.jsonl.gz", "zstd"), ("out.jsonl.zst", "none"),
                                            ("out.jsonl", "gzip")])
def test_compress_contradicting_the_output_name_is_a_usage_error(tmp_path, name, compress):
    source = crawl(tmp_path)
    result = CliRunner().invoke(app, [str(source), "-o", str(tmp_path / name), "--compress", compress])
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "--compress" in lines[0] and name in lines[0] and "Traceback" not in result.output
    assert not (tmp_path / name).exists()
    with pytest.raises(ValueError, match="--compress|compression"):
        clean_corpus([source], tmp_path / name, compression=compress)


@pytest.mark.parametrize("name, compress", [("out.jsonl.gz", "gzip"), ("out.jsonl.zst", None), ("out.jsonl", "none")])
def test_compress_agreeing_with_the_output_name_or_inferred_from_it(tmp_path, name, compress):
    source = crawl(tmp_path)
    args = [str(source), "-o", str(tmp_path / name), "-q"] + (["--compress", compress] if compress else [])
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output  # the crawl's binary record
    assert len(read_jsonl(tmp_path / name)) == 7


def test_a_leading_byte_order_mark_is_kept_in_the_record_not_the_clean_text(tmp_path):
    """issue 12 #8: a WET block or JSON text starting with U+FEFF rebuilds whole; the clean text has no mark."""
    texts = ["\ufeff" + DUMP, DUMP.replace("Harbour town", "Harbour\ufefftown"), DUMP]
    warc = Warc().warcinfo()
    for number, text in enumerate(texts):
        warc.conversion(f"https://news.example/{number}", text)
    wet = write(tmp_path, "bom.warc.wet.gz", warc.bytes())
    jsonl = write(tmp_path, "bom.jsonl", "".join(json.dumps({"id": str(n), "text": text}) + "\n"
                                                  for n, text in enumerate(texts)).encode())
    for source in (wet, jsonl):
        clean_corpus([source], tmp_path / f"{source.name}.out.jsonl", jobs=1)
        records = read_jsonl(tmp_path / f"{source.name}.out.jsonl")
        assert [rebuild_text(record) for record in records] == texts
        assert [record["bom"] for record in records] == ["utf-8", None, None]
        assert not any(record["text"].startswith("\ufeff") for record in records)


def test_a_records_http_charset_decides_a_tie_and_the_output_names_encoding_and_confidence(tmp_path):
    """issue 12 #10: the HTTP header's charset breaks a detector tie; Western text without one is cp1252."""
    tie = "<html><body><p>Menú: Ñu</p></body></html>".encode("cp1252")  # too short to tell a language
    spanish = ("<html><body><p>El Gobierno aprobó ayer una reforma que afectará a millones de españoles. "
               "Hace años que no vivo allí.</p></body></html>").encode("cp1252")
    warc = Warc().warcinfo()
    warc.response("https://es.example/1", tie, [("Content-Type", "text/html; charset=windows-1250")])
    warc.response("https://es.example/2", tie, [("Content-Type", "text/html")])
    warc.response("https://es.example/3", spanish, [("Content-Type", "text/html")])
    source = write(tmp_path, "pages.warc.gz", warc.bytes())
    clean_corpus([source], tmp_path / "out.jsonl", jobs=1)
    records = read_jsonl(tmp_path / "out.jsonl")
    assert [record["encoding"] for record in records] == ["cp1250", "cp1252", "cp1252"]
    assert "Ńu" in records[0]["text"] and "Ñu" in records[1]["text"] and "españoles" in records[2]["text"]
    assert records[1]["encoding_confidence"] <= 0.5 < records[2]["encoding_confidence"] <= 1


WET_SAMPLE = SHARED / "corpus-samples" / "cc-whirlwind.warc.wet.gz"


@pytest.mark.parametrize("extra", [["--diff"], ["--diff", "--diff-format", "unified"], ["--explain", "--line", "3"],
                                   ["--review", "REVIEW"], ["--report", "REVIEW"]])
def test_a_corpus_on_stdin_is_never_reviewed_as_one_page(tmp_path, extra):
    # zcat x.wet.gz | clean --diff -  diffed the whole WET file as one page
    wet_bytes = gzip.decompress(WET_SAMPLE.read_bytes()) if WET_SAMPLE.exists() else gzip.decompress(wet(3))
    args = [str(tmp_path / "r.html") if arg == "REVIEW" else arg for arg in extra]
    result = CliRunner().invoke(app, [*args, "-"], input=wet_bytes)
    assert result.exit_code == 2 and result.stdout == "" and "Traceback" not in result.output
    assert len(result.stderr.splitlines()) == 1 and "--review HTML --from OUT.jsonl" in result.stderr
    assert not (tmp_path / "r.html").exists()


def test_a_page_on_stdin_is_still_diffed_and_explained(tmp_path):
    page = write(tmp_path, "page.txt", DUMP.encode())
    piped = CliRunner().invoke(app, ["--diff", "-"], input=gzip.compress(DUMP.encode()))
    assert piped.exit_code == 0 and piped.stdout == CliRunner().invoke(app, ["--diff", str(page)]).stdout
    explained = CliRunner().invoke(app, ["--explain", "--line", "1", "-"], input=DUMP.encode())
    assert explained.exit_code == 0 and explained.stdout.startswith("line")


@pytest.mark.parametrize("extra", [["--diff"], ["--explain", "--line", "3"], ["--review", "r.html"]])
def test_reviewing_a_corpus_file_points_to_its_output(tmp_path, extra):
    source = write(tmp_path, "small.warc.wet.gz", wet(2))
    result = CliRunner().invoke(app, [*extra, str(source)])
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert "clean --diff --from OUT.jsonl --id ID" in result.stderr


# --- issue 12: damaged records, WAT / ARC, JSONL fields, URLs and dates ----------------------


def wet_record(n: int, extra_header: bytes = b"") -> bytes:
    """One WET conversion record written by hand (``extra_header``: raw header lines to add)."""
    body = f"Page {n}\n{PROSE}\n".encode()
    head = (f"WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: https://example.com/{n}\r\n"
            f"WARC-Date: 2024-05-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:{n:032x}>\r\n").encode()
    tail = f"Content-Type: text/plain\r\nContent-Length: {len(body)}\r\n\r\n".encode()
    return head + extra_header + tail + body + b"\r\n\r\n"


@pytest.mark.parametrize("compress", [False, True])
def test_a_record_with_a_70kb_header_line_is_skipped_and_reading_resumes(tmp_path, compress):
    bad = wet_record(1, b"X-Long: " + b"a" * 70_000 + b"\r\n")
    records = [wet_record(0), bad, wet_record(2), wet_record(3), wet_record(4)]
    data = b"".join(gzip.compress(r, mtime=0) for r in records) if compress else b"".join(records)
    source = write(tmp_path, "bad.warc.wet" + (".gz" if compress else ""), data)
    docs = documents(source)
    assert [doc.url for doc in docs if doc.error is None] == [f"https://example.com/{n}" for n in (0, 2, 3, 4)]
    assert [doc.position for doc in docs] == [0, 1, 2, 3, 4]
    assert "header length" in one_line(docs[1].error) and docs[1].skipped_bytes == len(bad)
    result = CliRunner().invoke(app, [str(source), "--jobs", "1"])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [("error" in line) for line in lines] == [False, True, False, False, False]
    assert lines[1]["skipped_bytes"] == len(bad)
    assert f"damaged WARC data: 1 records skipped ({len(bad)} bytes)" in result.stderr
    summary = clean_corpus([source], tmp_path / "out.jsonl", jobs=1)
    assert (summary.cleaned, summary.failed, summary.damaged, summary.damaged_bytes) == (4, 1, 1, len(bad))


def test_garbage_between_records_is_skipped_up_to_the_next_record(tmp_path):
    garbage = b"not a WARC record\n" * 10
    docs = documents(write(tmp_path, "a.wet", wet_record(0) + garbage + wet_record(1) + wet_record(2)))
    assert [doc.error is None for doc in docs] == [True, False, True, True]
    assert docs[1].skipped_bytes == len(garbage) and "next record" in one_line(docs[1].error)


SAMPLES = SHARED / "corpus-samples"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/corpus-samples is not beside the checkout")


@needs_samples
def test_wget_target_uris_lose_their_angle_brackets():
    docs = documents(SAMPLES / "warcio-example-wget-bad-target-uri.warc.gz")
    assert [doc.url for doc in docs] == ["http://example.com/"]


def test_a_page_date_after_the_crawl_date_is_dropped(tmp_path):
    page = "Harbour town bans cruise ships\n\nBy Mara Lindqvist, {}\n\n" + PROSE + "\n"
    warc = Warc(compress=False)
    for n, when in enumerate(["14 May 2024", "2 January 2020", "1 May 2020"]):
        warc.conversion(f"https://example.com/{n}", page.format(when))
    data = warc.bytes().replace(b"WARC-Date: 20", b"WARC-Date: 2020-05-01T00:00:00Z\r\nX-Old-Date: 20")
    source = write(tmp_path, "dates.warc.wet", data)
    clean_corpus([source], tmp_path / "out.jsonl", jobs=1)
    records = read_jsonl(tmp_path / "out.jsonl")
    assert [r["metadata"]["warc_date"] for r in records] == ["2020-05-01T00:00:00Z"] * 3
    assert [r["metadata"]["date"] for r in records] == [None, "2020-01-02", "2020-05-01"]


def test_an_html_records_page_date_after_its_warc_date_is_dropped_and_the_rest_of_its_metadata_kept(tmp_path):
    page = (FIXTURES / "html" / "harbour_article.html").read_bytes()  # published 2024-05-14
    warc = Warc(compress=False)
    for n in range(2):
        warc.response(f"https://www.harbourcourier.example/{n}", page, [("Content-Type", "text/html; charset=utf-8")])
    crawled = b"WARC-Date: 2024-05-01T00:00:00Z\r\nX-Old-Date: 20"  # the first record, fetched before that day
    source = write(tmp_path, "pages.warc", warc.bytes().replace(b"WARC-Date: 20", crawled, 1))
    clean_corpus([source], tmp_path / "out.jsonl", jobs=1)
    first, second = (record["metadata"] for record in read_jsonl(tmp_path / "out.jsonl"))
    assert first["warc_date"] == "2024-05-01T00:00:00Z" and first["date"] is None
    assert second["warc_date"] > "2024-05-14" and second["date"] == "2024-05-14"
    for metadata in (first, second):
        assert (metadata["title"], metadata["author"], metadata["site_name"], metadata["url"], metadata["language"]) \
            == ("Ferry crews vote to strike over rota changes", "Mara Lindqvist", "The Harbour Courier",
                "https://www.harbourcourier.example/news/ferry-crews-strike", "en")


@needs_samples
def test_a_wat_file_is_refused_with_one_line_by_its_bytes(tmp_path):
    wat = SAMPLES / "cc-whirlwind.warc.wat.gz"
    with pytest.raises(CorpusError, match="WAT"):
        documents(wat)
    renamed = write(tmp_path, "crawl.warc.gz", wat.read_bytes())  # named like a WARC: the bytes tell
    for source in (wat, renamed):
        result = CliRunner().invoke(app, [str(source)])
        assert result.exit_code == 1 and result.stdout == "" and "Traceback" not in result.output
        (refused,) = [line for line in result.stderr.splitlines() if "WAT" in line]
        assert refused.startswith(f"clean: {source}: skipped: a WAT file"), result.stderr
    piped = CliRunner().invoke(app, ["-"], input=gzip.decompress(wat.read_bytes()))
    assert piped.exit_code == 1 and piped.stdout == "" and "WAT" in piped.stderr


@needs_samples
def test_an_arc_file_is_read_record_by_record():
    arc = SAMPLES / "warcio-example.arc.gz"
    (doc,) = documents(arc)
    assert (doc.url, doc.kind, doc.error, doc.id) == ("http://example.com/", "html", None, f"{arc}:2")
    assert doc.metadata == {"warc_date": "2014-02-16T05:02:21Z", "content_type": "text/html"}
    assert doc.content is not None and doc.content.startswith(b"<!doctype html>")
    result = CliRunner().invoke(app, [str(arc), "-q"])
    assert result.exit_code == 0, result.output
    (line,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert line["input_format"] == "html" and line["text"].startswith("Example Domain")
    piped = CliRunner().invoke(app, ["-", "-q"], input=gzip.decompress(arc.read_bytes()))
    assert piped.exit_code == 0 and json.loads(piped.stdout)["url"] == "http://example.com/"


def arc_file(records: list[tuple[str, bytes]]) -> bytes:
    """An ARC (version 1) file: its filedesc header, then one HTTP response per (url, body)."""
    version = b"1 0 tests\nURL IP-address Archive-date Content-type Archive-length\n"
    parts = [b"filedesc://t.arc 0.0.0.0 20240501000000 text/plain %d\n" % len(version) + version + b"\n"]
    for url, body in records:
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
        parts.append(f"{url} 1.2.3.4 20240501000000 text/html {len(http)}\n".encode() + http + b"\n")
    return b"".join(parts)


def test_arc_records_errors_and_truncation(tmp_path):
    page = PAGE.encode()
    data = arc_file([("http://a.example/1", page), ("dns:a.example", b"1.2.3.4"), ("http://a.example/2", page)])
    docs = documents(write(tmp_path, "a.arc", data))
    assert [(doc.url, doc.position, doc.error) for doc in docs] == [
        ("http://a.example/1", 0, None), ("http://a.example/2", 1, None)]
    cut = documents(write(tmp_path, "cut.arc", data[:-40]))
    assert cut[0].error is None and "truncated ARC record" in one_line(cut[1].error)
    big = documents(write(tmp_path, "big.arc", data), max_bytes=100)
    assert all("too large" in one_line(doc.error) for doc in big) and len(big) == 2


@needs_samples
def test_a_folder_says_which_corpus_files_it_skipped_and_why(tmp_path):
    folder = tmp_path / "crawl"
    folder.mkdir()
    for name in ("cc-whirlwind.warc.wet.gz", "cc-whirlwind.warc.wat.gz", "warcio-example.arc.gz"):
        write(folder, name, (SAMPLES / name).read_bytes())
    result = CliRunner().invoke(app, [str(folder), "-o", str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["cc-whirlwind.jsonl", "warcio-example.jsonl"]
    skipped = [line for line in result.stderr.splitlines() if "cc-whirlwind.warc.wat.gz" in line]
    assert len(skipped) == 1 and "skipped: a WAT file" in skipped[0], result.stderr


@needs_samples
def test_a_corpus_file_is_never_cleaned_as_one_page(tmp_path):
    for sample in ("cc-whirlwind.warc.gz", "warcio-example.arc.gz"):
        page = write(tmp_path, "page.txt", gzip.decompress((SAMPLES / sample).read_bytes()))
        result = CliRunner().invoke(app, [str(page)])
        assert result.exit_code == 1 and result.stdout == "", result.stdout[:200]
        assert len(result.stderr.splitlines()) == 1 and "corpus" in result.stderr
    folder = tmp_path / "pages"
    folder.mkdir()
    for n in range(3):
        write(folder, f"p{n}.txt", DUMP.encode())
    write(folder, "x.txt", gzip.decompress((SAMPLES / "cc-whirlwind.warc.gz").read_bytes()))
    result = CliRunner().invoke(app, [str(folder), "-o", str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 1 and not (tmp_path / "out" / "x.txt").exists()
    assert f"clean: {folder / 'x.txt'}: a WARC corpus file, not a page" in result.stderr


@needs_samples
def test_a_real_wet_file_on_standard_input_is_a_corpus(tmp_path):
    wet_file = SAMPLES / "cc-whirlwind.warc.wet.gz"
    piped = CliRunner().invoke(app, ["-", "-q", "--jobs", "1"], input=gzip.decompress(wet_file.read_bytes()))
    assert piped.exit_code == 0 and json.loads(piped.stdout)["url"] == "https://an.wikipedia.org/wiki/Escopete"
    out = tmp_path / "out.jsonl"
    to_file = CliRunner().invoke(app, ["-", "-q", "-o", str(out)], input=gzip.decompress(wet_file.read_bytes()))
    assert to_file.exit_code == 0 and out.is_file(), to_file.output
    assert [record["url"] for record in read_jsonl(out)] == ["https://an.wikipedia.org/wiki/Escopete"]
    page = CliRunner().invoke(app, ["-", "-q", "-o", f"{tmp_path / 'pages'}/"], input=gzip.compress(DUMP.encode()))
    assert page.exit_code == 0 and (tmp_path / "pages" / "stdin.txt").read_text() == clean_text(DUMP).text


DATATROVE_ROW = {"text": DUMP, "id": "doc-1", "metadata": {
    "url": "https://a.example/1", "dump": "CC-MAIN-2024-10", "date": "2024-03-01T05:00:00Z",
    "language_score": 0.93, "nested": {"a": [1, 2.5, None]}}}
NAVIGATION_ONLY = "Skip to main content\n\nShare on Facebook\n"


def test_jsonl_fields_pass_through_into_the_metadata_as_datatrove_reads_them(tmp_path):
    rows = [DATATROVE_ROW, {"text": DUMP, "id": 2, "dump": "CC-MAIN-2023-50", "token_count": 12, "url": "u"},
            {"text": None, "id": 3, "metadata": {"dump": "x"}}]
    source = write(tmp_path, "shard.jsonl", jsonl(rows))
    result = CliRunner().invoke(app, [str(source), "--url-key", "metadata.url", "--jobs", "1"])
    first, second, failed = [json.loads(line) for line in result.stdout.splitlines()]
    assert first["url"] == "https://a.example/1" and first["id"] == "doc-1"
    assert {key: first["metadata"][key] for key in DATATROVE_ROW["metadata"]} == DATATROVE_ROW["metadata"]
    assert first["metadata"]["title"] == "Harbour town bans cruise ships"
    assert (second["metadata"]["dump"], second["metadata"]["token_count"], second["metadata"]["url"]) == (
        "CC-MAIN-2023-50", 12, "u")
    assert "text" not in second["metadata"] and "id" not in second["metadata"]
    assert failed["error"] and failed["metadata"] == {"dump": "x"}
    default_key = CliRunner().invoke(app, [str(source), "--jobs", "1"]).stdout.splitlines()
    assert json.loads(default_key[0])["url"] == "https://a.example/1"  # datatrove's metadata.url is found


def test_documents_with_no_clean_text_are_marked_empty_and_droppable(tmp_path):
    rows = [{"text": DUMP, "id": "a"}, {"text": NAVIGATION_ONLY, "id": "b"}, {"text": DUMP, "id": "c"}]
    source = write(tmp_path, "shard.jsonl", jsonl(rows))
    kept = CliRunner().invoke(app, [str(source), "--jobs", "1"])
    lines = [json.loads(line) for line in kept.stdout.splitlines()]
    assert kept.exit_code == 0 and [line.get("status") for line in lines] == [None, "empty", None]
    assert lines[1]["text"] == "" and rebuild_text(lines[1]) == NAVIGATION_ONLY
    assert "1 cleaned to empty text" in kept.stderr and "dropped" not in kept.stderr
    dropped = CliRunner().invoke(app, [str(source), "--jobs", "1", "--drop-empty"])
    assert dropped.exit_code == 0 and [json.loads(line)["id"] for line in dropped.stdout.splitlines()] == ["a", "c"]
    assert "1 document with no clean text dropped (--drop-empty)" in dropped.stderr


def test_a_warc_with_a_json_metadata_record_after_its_pages_is_no_wat(tmp_path):
    warc = Warc().warcinfo().response("https://a.example/", PAGE.encode(), [("Content-Type", "text/html")])
    warc.record("https://a.example/", "metadata", b'{"links": []}', "application/json")
    warc.response("https://a.example/2", PAGE.encode(), [("Content-Type", "text/html")])
    docs = documents(write(tmp_path, "a.warc.gz", warc.bytes()))
    assert [doc.url for doc in docs] == ["https://a.example/", "https://a.example/2"]
    wat = Warc().warcinfo().record("https://a.example/", "metadata", b'{"links": []}', "application/json")
    with pytest.raises(CorpusError, match="WAT"):
        documents(write(tmp_path, "b.warc.gz", wat.bytes()))


# Each real public corpus file (../shared/corpus-samples) and what the README says it gives:
# (exit code, records read, the documents' URLs and a phrase of each clean text); None: refused.
REAL_SAMPLES = {
    "cc-whirlwind.warc.gz": (0, 4, [("https://an.wikipedia.org/wiki/Escopete", "Escopete")]),
    "cc-whirlwind.warc.wet.gz": (0, 2, [("https://an.wikipedia.org/wiki/Escopete", "Escopete")]),
    "cc-whirlwind.warc.wat.gz": (1, None, "skipped: a WAT file (JSON metadata records, no page text)"),
    "warcio-example.arc.gz": (0, 2, [("http://example.com/", "Example Domain")]),
    "warcio-example.warc.gz": (0, 6, [("http://example.com/", "Example Domain")]),
    "warcio-example-wget-bad-target-uri.warc.gz": (0, 6, [("http://example.com/", "Example Domain")]),
    "warcio-example-iana.org-chunked.warc": (0, 3, [("http://www.iana.org/", "Management of the DNS Root Zone")]),
}


@needs_samples
@pytest.mark.parametrize("name", sorted(REAL_SAMPLES))
def test_every_real_corpus_sample_gives_the_documented_result(tmp_path, name):
    code, records, expected = REAL_SAMPLES[name]
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, [str(SAMPLES / name), "-o", str(out), "--jobs", "1"])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    if records is None:  # refused in one line, nothing written
        assert [line for line in result.stderr.splitlines() if expected in line] and not out.exists()
        return
    lines = read_jsonl(out)
    assert f"clean: {records} records read: {len(expected)} document" in result.stderr
    assert [line["url"] for line in lines] == [url for url, _ in expected]
    assert all(phrase in line["text"] for line, (_, phrase) in zip(lines, expected, strict=True))
    assert all("error" not in line and rebuild_text(line) for line in lines)


def test_open_source_reads_a_file_or_standard_input_and_close_source_leaves_standard_input_open(tmp_path):
    page = tmp_path / "c.jsonl"
    page.write_bytes(b'{"text": "x"}\n')
    raw = open_source(str(page), None)
    assert raw.read() == b'{"text": "x"}\n'
    close_source(raw, str(page))
    assert raw.closed
    stdin = io.BytesIO(b"data")
    assert open_source("-", stdin) is stdin
    close_source(stdin, "-")
    assert not stdin.closed  # standard input belongs to the caller


def test_open_source_refuses_a_folder_and_a_missing_file_in_one_line(tmp_path):
    with pytest.raises(CorpusError, match="^is a directory$"):
        open_source(str(tmp_path), None)
    with pytest.raises(CorpusError, match="^no such file or directory$"):
        open_source(str(tmp_path / "missing.warc.gz"), None)

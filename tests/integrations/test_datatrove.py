"""The datatrove step: datatrove's own readers, executor and writer around ``CleanerStep``.

Each pipeline runs once per module (datatrove and its executor are slow to start) on inputs
made here: a gzipped WET file (warcinfo + ``conversion`` records, as Common Crawl writes them)
holding the seeds, the WET-like fixture page, a page of pure boilerplate and a blank record; and
a JSONL file holding another dump, an HTML page, binary-ish text and the same boilerplate page.
The JSONL run uses two worker processes, so the step goes through the pickling datatrove
does to ship it to its workers.
"""

from __future__ import annotations

import gzip
import io
import json
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("datatrove")  # the optional extra; the readers' own needs (warcio, orjson...) must be there

from conftest import FIXTURES, ROOT, slow_html_text
from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import JsonlReader, WarcReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from cleaner import clean_html, clean_text  # noqa: E402
from cleaner.integrations.datatrove import CleanerStep  # noqa: E402
from cleaner.options import ConfigError, Options, provenance  # noqa: E402
from cleaner.outputs.report import rebuild_from_record  # noqa: E402

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
FORMATS = FIXTURES / "formats"
HTML_PAGE = FIXTURES / "html" / "harbour_article.html"
BOILERPLATE = "Skip to main content\nHome\nNews\nSport\nSign in\nSign up for our newsletter\n© 2024 The Courier\n"


def marked(name: str) -> tuple[str, list[str], list[str]]:
    """A format fixture: its text, the lines marked keep (``+``) and the lines marked remove (``-``)."""
    lines = FORMATS.joinpath(name).read_text(encoding="utf-8").splitlines()
    text = "".join(line[2:] + "\n" for line in lines)
    return text, [line[2:] for line in lines if line[:1] == "+"], [line[2:] for line in lines if line[:1] == "-"]


def write_wet(path: Path, pages: dict[str, str]) -> None:
    """A WET file: a warcinfo record, then one ``conversion`` record of plain text per page (gzip per record)."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        info = writer.create_warcinfo_record(path.name, {"software": "tests", "format": "WARC File Format 1.0"})
        writer.write_record(info)
        for url, text in pages.items():
            record = writer.create_warc_record(
                url, "conversion", payload=io.BytesIO(text.encode("utf-8")), warc_content_type="text/plain",
                warc_headers_dict={"WARC-Date": "2024-03-14T10:00:00Z", "WARC-Identified-Content-Language": "eng"},
            )
            writer.write_record(record)


def run(reader, tmp: Path, workers: int = 1, **options) -> dict[str, dict]:
    """Run reader -> CleanerStep -> JsonlWriter in 2 tasks; the written documents by id and the step's stat totals."""
    out = tmp / "out"
    step = CleanerStep(**options)
    executor = LocalPipelineExecutor(
        [reader, step, JsonlWriter(str(out))],
        tasks=2, workers=workers, logging_dir=str(tmp / "logs"), skip_completed=False,
    )
    executor.run()
    docs = {}
    for file in sorted(out.glob("*.jsonl.gz")):
        with gzip.open(file, "rt", encoding="utf-8") as stream:
            for line in stream:
                doc = json.loads(line)
                docs[doc["id"]] = doc
    stats = json.loads((tmp / "logs" / "stats.json").read_text(encoding="utf-8"))
    counts = next(entry["stats"] for entry in stats if entry["name"] == repr(step))  # "type: name"
    totals = {key: value if isinstance(value, int) else value["total"] for key, value in counts.items()}
    return {"docs": docs, "stats": totals}


@pytest.fixture(scope="module")
def wet_run(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("wet")
    (tmp / "in").mkdir()
    wet_page, _, _ = marked("wet.dump")
    pages = {f"https://example.org/{seed.stem}": seed.read_text(encoding="utf-8") for seed in SEEDS}
    pages["https://courier.example/library"] = wet_page
    pages["https://courier.example/menu"] = BOILERPLATE
    pages["https://courier.example/blank"] = " \n\n"
    # Two files, so each of the two tasks reads one.
    first, second = list(pages.items())[:2], list(pages.items())[2:]
    write_wet(tmp / "in" / "a.warc.wet.gz", dict(first))
    write_wet(tmp / "in" / "b.warc.wet.gz", dict(second))
    result = run(WarcReader(str(tmp / "in")), tmp, spans=True)
    result["pages"] = pages
    return result


def by_url(docs: dict[str, dict], url: str) -> dict:
    return next(doc for doc in docs.values() if doc["metadata"].get("url") == url)


def test_wet_documents_hold_the_clean_text(wet_run):
    docs, pages = wet_run["docs"], wet_run["pages"]
    assert len(docs) == 3  # two seeds and the fixture page; the boilerplate page and the blank record dropped
    for url in [*(f"https://example.org/{seed.stem}" for seed in SEEDS), "https://courier.example/library"]:
        expected = clean_text(pages[url]).text
        assert expected.strip()
        assert by_url(docs, url)["text"] == expected


def test_boilerplate_lines_are_gone_and_article_lines_stay(wet_run):
    _, keep, remove = marked("wet.dump")
    text = by_url(wet_run["docs"], "https://courier.example/library")["text"]
    lines = set(text.splitlines())
    assert [line for line in keep if line.strip() and line.strip() not in lines] == []
    assert [line for line in remove if line.strip() and line.strip() in lines] == []
    seed = by_url(wet_run["docs"], f"https://example.org/{SEEDS[0].stem}")["text"]
    assert "Skip to main content" not in seed


def test_summary_is_in_the_metadata_and_rebuilds_the_input(wet_run):
    for doc in wet_run["docs"].values():
        summary = doc["metadata"]["cleaner"]
        assert summary["status"] == "ok" and summary["input_format"] == "text"
        assert set(summary["metadata"]) == {"title", "author", "date", "language"}
        assert summary["lines_kept"] < summary["lines_total"]
        assert summary["removals"] and all(isinstance(n, int) and n > 0 for n in summary["removals"].values())
        # spans=True: the removed spans as the report records them, enough to rebuild the input
        assert rebuild_from_record(doc["text"], summary) == wet_run["pages"][doc["metadata"]["url"]]
    seed = by_url(wet_run["docs"], f"https://example.org/{SEEDS[1].stem}")["metadata"]["cleaner"]
    assert seed["metadata"]["author"] == "Laura Sharman" and seed["metadata"]["language"] == "en"
    assert seed["removals"]["job-ads"] > 0


def test_dropped_documents_are_counted(wet_run):
    stats = wet_run["stats"]
    assert stats["total"] == 5
    assert stats["forwarded"] == 3
    assert stats["dropped"] == 2
    assert stats["dropped_empty"] == 1  # the page of boilerplate only
    assert stats["dropped_bad_input"] == 1  # the blank record
    assert stats["format_text"] == 4


@pytest.fixture(scope="module")
def jsonl_run(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("jsonl")
    (tmp / "in").mkdir()
    dump, _, _ = marked("one_line_per_block.dump")
    docs = {
        "dump": dump,
        "html": HTML_PAGE.read_text(encoding="utf-8"),
        "binary": "PK\x03\x04\x00\x00\x08\x00" * 40,
        "menu": BOILERPLATE,
    }
    with (tmp / "in" / "pages.jsonl").open("w", encoding="utf-8") as stream:
        for key, text in docs.items():
            stream.write(json.dumps({"id": key, "text": text, "source": "test"}) + "\n")
    result = run(JsonlReader(str(tmp / "in")), tmp, workers=2, favor="precision")
    result["pages"] = docs
    return result


def test_jsonl_documents_hold_the_clean_text(jsonl_run):
    docs = jsonl_run["docs"]
    assert sorted(docs) == ["dump", "html"]
    assert docs["dump"]["text"] == clean_text(jsonl_run["pages"]["dump"], favor="precision").text
    assert docs["dump"]["metadata"]["source"] == "test"  # the reader's metadata is kept
    assert "removed" not in docs["dump"]["metadata"]["cleaner"]  # spans only when asked for


def test_html_in_a_jsonl_field_is_cleaned_as_html(jsonl_run):
    doc = jsonl_run["docs"]["html"]
    expected = clean_html(jsonl_run["pages"]["html"], favor="precision")
    assert doc["text"] == expected.text
    assert "<p>" not in doc["text"] and "Crews on the island ferry service" in doc["text"]
    assert "Accept all cookies" not in doc["text"] and "Skip to main content" not in doc["text"]
    summary = doc["metadata"]["cleaner"]
    assert summary["input_format"] == "html"
    assert summary["metadata"]["author"] == "Mara Lindqvist"
    assert summary["metadata"]["site_name"] == "The Harbour Courier"


def test_binary_and_empty_jsonl_documents_are_dropped_and_counted(jsonl_run):
    stats = jsonl_run["stats"]
    assert stats["total"] == 4
    assert stats["dropped_bad_input"] == 1
    assert stats["dropped_empty"] == 1
    assert stats["format_html"] == 1


# --- the step alone, without an executor ------------------------------------------------------

def documents(*texts: str) -> list:
    from datatrove.data import Document

    return [Document(text=text, id=str(number)) for number, text in enumerate(texts)]


def test_kept_failures_have_empty_text_and_say_why():
    step = CleanerStep(drop_empty=False)
    docs = list(step.run(documents(BOILERPLATE, "\x00\x01binary", SEEDS[0].read_text(encoding="utf-8"))))
    assert [doc.text == "" for doc in docs] == [True, True, False]
    assert docs[0].metadata["cleaner"]["reason"] == "empty" and docs[0].metadata["cleaner"]["status"] == "ok"
    assert docs[1].metadata["cleaner"] == {
        "status": "error", "reason": "bad_input", "error": "binary file (contains NUL characters)", **provenance(),
    }
    assert docs[2].metadata["cleaner"]["model_version"] == provenance()["model_version"] != "none"
    assert step.stats["kept_empty"].total == 1 and step.stats["kept_bad_input"].total == 1


def test_a_page_date_after_the_documents_crawl_date_is_dropped_and_the_rest_of_the_metadata_kept():
    from datatrove.data import Document

    page = HTML_PAGE.read_text(encoding="utf-8")  # published 2024-05-14
    crawls = [None, "2024-05-01T00:00:00Z", "2024-05-14T23:00:00Z", "2025-01-02T03:04:05Z"]
    docs = [Document(text=page, id=str(n), metadata={} if when is None else {"date": when})
            for n, when in enumerate(crawls)]
    found = [doc.metadata["cleaner"]["metadata"] for doc in CleanerStep().run(docs)]
    assert [meta["date"] for meta in found] == ["2024-05-14", None, "2024-05-14", "2024-05-14"]
    assert {(meta["title"], meta["author"], meta["site_name"], meta["url"], meta["language"]) for meta in found} == {
        ("Ferry crews vote to strike over rota changes", "Mara Lindqvist", "The Harbour Courier",
         "https://www.harbourcourier.example/news/ferry-crews-strike", "en")
    }


def test_the_exclusion_writer_keeps_dropped_documents_whole(tmp_path):
    step = CleanerStep(exclusion_writer=JsonlWriter(str(tmp_path)))
    kept = list(step.run(documents(BOILERPLATE, SEEDS[0].read_text(encoding="utf-8"))))
    assert [doc.id for doc in kept] == ["1"]
    [file] = tmp_path.glob("*.jsonl.gz")
    with gzip.open(file, "rt", encoding="utf-8") as stream:
        [excluded] = [json.loads(line) for line in stream]
    assert excluded["text"] == BOILERPLATE
    assert excluded["metadata"]["filter_reason"] == "empty"
    assert excluded["metadata"]["cleaner"]["removals"]["navigation"] > 0


def test_an_unexpected_error_drops_one_document_and_the_rest_go_on(monkeypatch):
    import cleaner.runs.one as module  # the one copy of "clean a document" the step runs

    real = module.clean_text

    def failing(text, *args, **kwargs):
        if "BOOM" in text:
            raise RuntimeError("detector crashed\nsecond line")
        return real(text, *args, **kwargs)

    monkeypatch.setattr(module, "clean_text", failing)
    seed = SEEDS[0].read_text(encoding="utf-8")
    step = CleanerStep()
    docs = list(step.run(documents(seed + "BOOM\n", seed)))
    assert [doc.id for doc in docs] == ["1"]
    assert step.stats["dropped_error"].total == 1 and step.stats["dropped"].total == 1


def test_a_failed_document_says_why_in_the_words_of_every_run(monkeypatch):
    import cleaner.runs.one as module
    from cleaner.runs.limits import unexpected_error

    def failing(text, *args, **kwargs):
        raise RuntimeError("detector crashed")

    monkeypatch.setattr(module, "clean_text", failing)
    step = CleanerStep(drop_empty=False)
    [doc] = step.run(documents(SEEDS[0].read_text(encoding="utf-8")))
    summary = doc.metadata["cleaner"]
    assert summary["reason"] == "error" and summary["error"] == unexpected_error(RuntimeError("detector crashed"))


def test_a_document_over_the_timeout_is_dropped(monkeypatch):
    import cleaner.runs.one as module

    def slow(text, *args, **kwargs):
        time.sleep(5)

    monkeypatch.setattr(module, "clean_text", slow)
    step = CleanerStep(timeout=0.05)
    assert list(step.run(documents(SEEDS[0].read_text(encoding="utf-8")))) == []
    assert step.stats["dropped_timeout"].total == 1


def test_options_reach_the_cleaner_and_bad_ones_fail_at_once():
    seed = SEEDS[1].read_text(encoding="utf-8")
    step = CleanerStep(skip=["job-ads"], keep_title=False)
    [doc] = step.run(documents(seed))
    assert doc.text == clean_text(seed, skip=["job-ads"], keep_title=False).text
    assert "job-ads" not in doc.metadata["cleaner"]["removals"]
    with pytest.raises(ConfigError):
        CleanerStep(skip=["no-such-detector"])
    with pytest.raises(ConfigError):
        CleanerStep(favor="sometimes")


def test_the_step_pickles_with_its_options():
    options = Options(favor="recall", phrases={"signup": {"newsletter": ["Get our harbour digest"]}})
    step = pickle.loads(pickle.dumps(CleanerStep(options=options, skip=["social"], timeout=5)))
    assert step.options == Options(favor="recall", skip=("social",), phrases=options.phrases, timeout=5)
    json.dumps(step.settings)  # executor.json holds the step's attributes


def test_clean_document_refuses_text_over_the_size_limit():
    from cleaner.errors import InputError
    from cleaner.runs.one import clean_document

    with pytest.raises(InputError, match="too large"):
        clean_document("word " * 400, options=Options(max_bytes=1024))


def test_without_datatrove_the_import_error_says_what_to_install():
    code = "import sys; sys.modules['datatrove'] = None; import cleaner.integrations.datatrove"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 1
    assert "pip install -e '.[datatrove]'" in done.stderr.strip().splitlines()[-1]



def test_the_timeout_holds_in_c_code_and_the_other_documents_are_cleaned():
    """The slowest page lxml's parser (C code, deaf to SIGALRM) may be given within the markup limits
    outlasts the timeout; the document is dropped as timed out and the others are cleaned."""
    slow = slow_html_text()
    seed = SEEDS[0].read_text(encoding="utf-8")
    step = CleanerStep(timeout=1)
    started = time.monotonic()
    docs = list(step.run(documents(seed, slow, seed)))
    assert time.monotonic() - started < 15  # the page alone would take 30 s or more
    assert [doc.id for doc in docs] == ["0", "2"] and docs[0].text == clean_text(seed).text == docs[1].text
    assert step.stats["dropped_timeout"].total == 1

import inspect
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, PROSE, leftovers, seed_files, tree_hashes

from cleaner import (
    InputError,
    OutputError,
    clean_file,
    clean_input,
    clean_paths,
    clean_text,
    iter_outcomes,
    list_detectors,
    read_report,
    rebuild_from_record,
    write_report,
)
from cleaner.detectors.html_extractor import HtmlExtractorDetector
from cleaner.detectors.registry import default_detectors
from cleaner.detectors.site_repetition import SiteRepetitionDetector


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


# --- one input -------------------------------------------------------------------------------


def test_clean_text_signature_is_kept():
    params = inspect.signature(clean_text).parameters
    assert list(params)[:3] == ["text", "source", "detectors"]
    result = clean_text("Home\n\n" + PROSE + "\n", "page.txt", None)
    assert result.source == "page.txt" and PROSE in result.text


def test_clean_file_reads_decodes_and_cleans(article):
    result = clean_file(article)
    assert result == clean_text(article.read_bytes().decode(), str(article))
    assert "\r\n" in result.text and result.rebuild() == article.read_bytes().decode()


def test_clean_file_decodes_legacy_encodings(tmp_path):
    text = ("Le café était fermé. " + PROSE + "\n\n") * 3
    path = write(tmp_path / "fr.txt", text.encode("cp1252"))
    assert "Le café était fermé." in clean_file(path).text


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b"\x00\x01\x02binary", "binary file"),
    (b"word " * 100, "too large"),
])
def test_clean_file_bad_input_is_one_line_input_error_with_the_path(tmp_path, data, reason):
    path = write(tmp_path / "bad.txt", data)
    with pytest.raises(InputError) as err:
        clean_file(path, max_bytes=300)
    assert str(err.value).startswith(f"{path}: {reason}")
    assert "\n" not in str(err.value)


def test_clean_file_missing_path(tmp_path):
    with pytest.raises(InputError, match="no such file or directory"):
        clean_file(tmp_path / "missing.txt")


def test_clean_file_unknown_encoding_is_an_options_error(article):
    from cleaner import ConfigError

    with pytest.raises(ConfigError, match="encoding: unknown encoding 'no-such-codec'"):  # before any input is read
        clean_file(article, encoding="no-such-codec")


def test_clean_input_never_raises_for_bad_input_and_reads_stdin():
    outcome = clean_input("-", stdin=io.BytesIO(b""))
    assert not outcome.ok and outcome.error == "empty file" and outcome.result is None
    good = clean_input("-", stdin=io.BytesIO((PROSE + "\n").encode()))
    assert good.ok and good.encoding == "utf-8" and PROSE in good.result.text


# --- many inputs, nothing written ------------------------------------------------------------


def test_iter_outcomes_cleans_in_sorted_order_and_writes_nothing(pages):
    write(pages / "empty.txt", b"")
    before = tree_hashes(pages.parent)
    outcomes = list(iter_outcomes([pages]))
    assert [Path(o.path).relative_to(pages).as_posix() for o in outcomes] == [
        seed_files()[0].name, seed_files()[1].name, "empty.txt", "sub/copy.txt",
    ]
    assert [o.ok for o in outcomes] == [True, True, False, True]
    assert tree_hashes(pages.parent) == before


# --- clean_paths -----------------------------------------------------------------------------


def test_clean_paths_mirrors_the_folder_beside_it_with_a_report(pages):
    before = tree_hashes(pages)
    summary = clean_paths([pages])
    out = pages.with_name("in.clean")
    assert summary.out_dir == out and summary.report == out / "report.jsonl"
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert names == sorted([s.name for s in seed_files()] + ["sub/copy.txt", "report.jsonl"])
    for outcome in summary.outcomes:
        assert outcome.output.read_text(encoding="utf-8") == clean_file(outcome.path).text
    assert tree_hashes(pages) == before


def test_report_records_rebuild_every_input(pages):
    summary = clean_paths([pages], pages.parent / "out")
    records = read_report(summary.report)
    assert [r["path"] for r in records] == [o.path for o in summary.outcomes] == sorted(r["path"] for r in records)
    for rec in records:
        clean = Path(rec["output"]).read_text(encoding="utf-8")
        assert rebuild_from_record(clean, rec) == Path(rec["path"]).read_text(encoding="utf-8")


def test_summary_adds_up(pages):
    summary = clean_paths([pages], pages.parent / "out")
    results = [o.result for o in summary.outcomes]
    assert summary.files_cleaned == 3 and summary.files_failed == 0 and summary.ok
    assert summary.lines_total == sum(r.lines_total for r in results)
    assert summary.lines_kept == sum(r.lines_kept for r in results)
    assert summary.lines_removed == summary.lines_total - summary.lines_kept > 0
    expected: dict[str, int] = {}
    for result in results:
        for detector, lines in result.removals_by_detector().items():
            expected[detector] = expected.get(detector, 0) + lines
    assert summary.removals == expected
    assert sum(summary.rules.values()) == sum(1 for r in results for s in r.removed if s.detector != "layout")


def test_bad_inputs_are_recorded_and_the_rest_still_written(pages):
    write(pages / "a_empty.txt", b"   \n")
    write(pages / "b_binary.txt", b"\x7fELF\x00\x00")
    seen = []
    summary = clean_paths([pages], pages.parent / "out", on_outcome=seen.append)
    assert seen == summary.outcomes
    assert summary.files_failed == 2 and summary.files_cleaned == 3 and not summary.ok
    records = {Path(r["path"]).name: r for r in read_report(summary.report)}
    assert records["a_empty.txt"]["status"] == "error" and "empty" in records["a_empty.txt"]["error"]
    assert records["b_binary.txt"]["status"] == "error" and "binary" in records["b_binary.txt"]["error"]
    assert not (pages.parent / "out" / "a_empty.txt").exists()
    assert not (pages.parent / "out" / "b_binary.txt").exists()
    assert (pages.parent / "out" / "sub" / "copy.txt").exists()


def test_discovery_takes_txt_text_and_html_files_and_skips_hidden_ones(tmp_path):
    src = tmp_path / "src"
    for name in ["a.txt", "b.TEXT", "c.html", "d.HTM", "e.md", ".hidden.txt", ".git/d.txt", "deep/e/f.text",
                 "deep/.cache/g.txt"]:
        write(src / name, PROSE + "\n")
    summary = clean_paths([src], tmp_path / "out")
    assert sorted(Path(o.path).relative_to(src).as_posix() for o in summary.outcomes) == [
        "a.txt", "b.TEXT", "c.html", "d.HTM", "deep/e/f.text",
    ]
    assert sorted(o.output.relative_to(tmp_path / "out").as_posix() for o in summary.outcomes) == [
        "a.txt", "b.txt", "c.txt", "d.txt", "deep/e/f.txt",
    ]


def test_colliding_output_names_are_resolved_deterministically(tmp_path):
    src = tmp_path / "src"
    for name in ["a.text", "a.txt", "B.txt", "b.txt"]:
        write(src / name, f"{name}: {PROSE}\n")
    first = clean_paths([src], tmp_path / "one")
    second = clean_paths([src], tmp_path / "two")
    mapping = {Path(o.path).name: o.output.name for o in first.outcomes}
    assert mapping == {"a.txt": "a.txt", "a.text": "a~2.txt", "B.txt": "B.txt", "b.txt": "b~2.txt"}
    assert mapping == {Path(o.path).name: o.output.name for o in second.outcomes}
    for outcome in first.outcomes:
        assert outcome.output.read_text(encoding="utf-8").startswith(Path(outcome.path).name)
    renamed = next(o for o in first.outcomes if o.path.endswith("a.text"))
    assert any("a~2.txt" in note for note in renamed.notes)


def test_files_from_several_arguments_and_stdin(tmp_path, article):
    other = write(tmp_path / "x" / "article.txt", PROSE + "\n")
    summary = clean_paths([article, other], tmp_path / "out")
    assert sorted(o.output.name for o in summary.outcomes) == ["article.txt", "article~2.txt"]
    piped = clean_paths(["-"], tmp_path / "piped", stdin=io.BytesIO((PROSE + "\n").encode()))
    assert piped.outcomes[0].output == tmp_path / "piped" / "stdin.txt"


def test_several_inputs_need_an_output_folder(article, pages):
    with pytest.raises(OutputError, match="-o OUT"):
        clean_paths([article, pages])


@pytest.mark.parametrize("where", ["in", "in/sub", "in/new/deeper"])
def test_output_inside_the_input_folder_is_refused_before_writing(pages, where):
    before = tree_hashes(pages)
    with pytest.raises(OutputError, match="inside the input folder"):
        clean_paths([pages], pages.parent / where)
    assert tree_hashes(pages) == before
    assert not (pages / "new").exists() and not pages.with_name("in.clean").exists()


def test_output_over_an_input_file_is_refused(pages):
    seed = pages / seed_files()[0].name
    before = tree_hashes(pages)
    with pytest.raises(OutputError, match="overwrite the input"):
        clean_paths([seed], pages)
    assert tree_hashes(pages) == before


def test_report_over_an_input_or_inside_the_input_folder_is_refused(pages, tmp_path):
    seed = pages / seed_files()[0].name
    with pytest.raises(OutputError, match="overwrite the input"):
        clean_paths([seed], tmp_path / "out", report_path=seed)
    with pytest.raises(OutputError, match="inside the input folder"):
        clean_paths([pages], tmp_path / "out2", report_path=pages / "report.jsonl")
    assert not (tmp_path / "out").exists() and not (pages / "report.jsonl").exists()


def test_report_path_can_be_chosen(pages, tmp_path):
    summary = clean_paths([pages], tmp_path / "out", report_path=tmp_path / "r" / "all.jsonl")
    assert summary.report == tmp_path / "r" / "all.jsonl"
    assert len(read_report(summary.report)) == 3
    assert not (tmp_path / "out" / "report.jsonl").exists()


def test_output_folder_that_is_a_file_is_refused(pages, tmp_path):
    blocker = write(tmp_path / "out", "keep me")
    with pytest.raises(OutputError, match="not a folder"):
        clean_paths([pages], blocker)
    assert blocker.read_text() == "keep me"


def test_unwritable_output_file_fails_that_input_only(pages, tmp_path):
    out = tmp_path / "out"
    (out / seed_files()[0].name).mkdir(parents=True)  # a folder where the output file should go
    summary = clean_paths([pages], out)
    failed = [o for o in summary.outcomes if not o.ok]
    assert [Path(o.path).name for o in failed] == [seed_files()[0].name]
    assert "cannot write" in failed[0].error and "\n" not in failed[0].error
    assert (out / seed_files()[1].name).is_file() and (out / "sub" / "copy.txt").is_file()
    assert leftovers(out) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_read_only_output_folder(pages, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="cannot write"):
            clean_paths([pages], out)
    finally:
        out.chmod(0o700)
    assert list(out.iterdir()) == []


def test_nothing_to_clean_writes_nothing(tmp_path):
    empty = tmp_path / "empty"
    write(empty / "notes.md", "# not a text dump\n")
    summary = clean_paths([empty, tmp_path / "missing"])
    assert [o.error for o in summary.outcomes] == [
        "no text or HTML files (*.txt, *.text, *.html, *.htm) in this folder", "no such file or directory",
    ]
    assert summary.out_dir is None and not (tmp_path / "empty.clean").exists()


def test_interrupt_leaves_no_partial_file_and_the_report_of_what_was_done(pages, tmp_path, interrupt_second_page):
    interrupt_second_page()
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        clean_paths([pages], out)
    assert sorted(p.name for p in out.rglob("*")) == [seed_files()[0].name, "report.jsonl"]
    assert [r["output"] for r in read_report(out / "report.jsonl")] == [str(out / seed_files()[0].name)]
    assert leftovers(out) == []


def test_write_report_refuses_to_overwrite_its_input(article):
    outcome = clean_input(article)
    with pytest.raises(OutputError, match="overwrite the input"):
        write_report(article, [outcome])
    write_report(article.with_name("r.jsonl"), [outcome])
    assert read_report(article.with_name("r.jsonl"))[0]["path"] == str(article)


def test_outputs_inherit_normal_permissions(pages, tmp_path):
    summary = clean_paths([pages], tmp_path / "out")
    mode = summary.outcomes[0].output.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask


def test_symlinked_folders_are_not_followed(pages, tmp_path):
    shutil.copytree(pages, tmp_path / "elsewhere")
    os.symlink(tmp_path / "elsewhere", pages / "link")
    summary = clean_paths([pages], tmp_path / "out")
    assert len(summary.outcomes) == 3
    assert not any(Path(o.path).relative_to(pages).parts[0] == "link" for o in summary.outcomes)


# --- detectors -------------------------------------------------------------------------------


def test_list_detectors_follows_the_pipeline_then_site_repetition_then_layout():
    infos = list_detectors()
    detectors = [HtmlExtractorDetector(), *default_detectors(), SiteRepetitionDetector()]
    assert [i.name for i in infos] == [d.name for d in detectors] + ["layout"]
    for info, detector in zip(infos, detectors, strict=False):
        assert info.rules == detector.rules
        assert info.summary == inspect.getdoc(type(detector)).splitlines()[0]
    assert [r.code for r in infos[-1].rules] == ["LAY1", "LAY2"]


def test_clean_paths_reports_start_and_each_input_before_it_is_cleaned(pages, tmp_path):
    events = []
    summary = clean_paths(
        [pages], tmp_path / "out", on_start=lambda total: events.append(("start", total)),
        on_input=lambda path: events.append(("input", path)),
        on_outcome=lambda outcome: events.append(("done", outcome.path)),
    )
    paths = [outcome.path for outcome in summary.outcomes]
    assert events[0] == ("start", 3)
    assert events[1:] == [event for path in paths for event in (("input", path), ("done", path))]


def test_explicit_keywords_win_over_the_config(article):
    from cleaner.options import Options

    config = Options(keep_title=False, skip=("footer",))
    assert clean_file(article, skip=["footer"]).removed != clean_file(article).removed  # the options matter here
    assert clean_file(article, options=config) == clean_file(article, keep_title=False, skip=["footer"])
    assert clean_file(article, options=config, keep_title=True, skip=[]) == clean_file(article)


# --- --jobs: worker processes, same outputs -------------------------------------------------------



@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """Every kind of input a run meets: dumps, HTML, a site folder (site repetition), bad files."""
    folder = tmp_path / "mixed"
    shutil.copytree(FIXTURES / "site-repetition", folder / "site", ignore=shutil.ignore_patterns("*.md"))
    for source in [*seed_files(), *sorted((FIXTURES / "html").glob("*.html"))[:6], *sorted(FIXTURES.glob("*/*.txt"))]:
        target = folder / "pages" / f"{source.parent.name}-{source.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
    (folder / "bad").mkdir()
    (folder / "bad" / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "bad" / "empty.txt").write_bytes(b"")
    return folder


def test_jobs_write_the_same_bytes_as_one_job(mixed, tmp_path):
    serial = clean_paths([mixed], tmp_path / "out", jobs=1)
    parallel_run = clean_paths([mixed], tmp_path / "out2", report_path=tmp_path / "out2" / "report.jsonl", jobs=2)
    assert serial.sites, "the site folder should be learned from: the test would miss site repetition"
    assert serial.files_failed == parallel_run.files_failed == 2
    one, two = tree_hashes(tmp_path / "out"), tree_hashes(tmp_path / "out2")
    assert one.keys() == two.keys() and len(one) > 20
    report_one = (tmp_path / "out" / "report.jsonl").read_text(encoding="utf-8").replace(str(tmp_path / "out"), "@")
    report_two = (tmp_path / "out2" / "report.jsonl").read_text(encoding="utf-8").replace(str(tmp_path / "out2"), "@")
    assert report_one == report_two
    one.pop("report.jsonl"), two.pop("report.jsonl")
    assert one == two
    assert [o.path for o in serial.outcomes] == [o.path for o in parallel_run.outcomes]
    assert serial.rules == parallel_run.rules and serial.lines_kept == parallel_run.lines_kept


def test_jobs_zero_means_every_core_and_iter_outcomes_keeps_order(mixed):
    serial = [(o.path, o.result.text if o.result else o.error) for o in iter_outcomes([mixed], jobs=1)]
    pooled = [(o.path, o.result.text if o.result else o.error) for o in iter_outcomes([mixed], jobs=0)]
    assert serial == pooled


def test_without_keep_results_the_summary_keeps_totals_only(pages, tmp_path):
    kept = clean_paths([pages], tmp_path / "a")
    light = clean_paths([pages], tmp_path / "b", keep_results=False)
    assert all(o.result is not None for o in kept.outcomes)
    assert all(o.result is None and o.ok for o in light.outcomes)
    assert (light.lines_total, light.lines_kept, light.removals, light.rules) == (
        kept.lines_total, kept.lines_kept, kept.removals, kept.rules)


def test_skip_existing_cleans_only_what_is_missing(pages, tmp_path):
    out = tmp_path / "out"
    first = clean_paths([pages], out)
    before = tree_hashes(out)
    missing = next(o.output for o in first.outcomes)
    missing.unlink()
    (out / "report.jsonl").unlink()
    resumed = clean_paths([pages], out, skip_existing=True)
    assert tree_hashes(out).keys() == before.keys()
    assert [o.skipped is None for o in resumed.outcomes] == [o.output == missing for o in first.outcomes]
    assert resumed.files_skipped == len(first.outcomes) - 1 and resumed.files_cleaned == 1
    records = read_report(out / "report.jsonl")
    assert [r["status"] for r in records].count("skipped") == len(first.outcomes) - 1
    assert all(r["output"] for r in records)


def test_skip_existing_keeps_the_earlier_records(pages, tmp_path):
    out = tmp_path / "out"
    first = clean_paths([pages], out)
    report = (out / "report.jsonl").read_bytes()
    next(o.output for o in first.outcomes).unlink()
    resumed = clean_paths([pages], out, skip_existing=True)
    assert resumed.files_skipped == len(first.outcomes) - 1
    assert (out / "report.jsonl").read_bytes() == report  # lossless again: every record, spans and all


def test_skip_existing_without_an_earlier_record_says_so(pages, tmp_path):
    out = tmp_path / "out"
    clean_paths([pages], out)
    (out / "report.jsonl").unlink()
    clean_paths([pages], out, skip_existing=True)
    records = read_report(out / "report.jsonl")
    assert [r["status"] for r in records] == ["skipped"] * 3
    assert all("no earlier record" in r["skipped"] for r in records)


def test_skip_existing_survives_a_damaged_earlier_report(pages, tmp_path):
    out = tmp_path / "out"
    clean_paths([pages], out)
    lines = (out / "report.jsonl").read_bytes().splitlines(keepends=True)
    assert len(lines) == 3
    damaged = b"\xff{not json\n" + lines[1] + lines[2][: len(lines[2]) // 2]  # garbage, whole, truncated
    (out / "report.jsonl").write_bytes(damaged)
    clean_paths([pages], out, skip_existing=True)
    records = (out / "report.jsonl").read_bytes().splitlines(keepends=True)
    assert records[1] == lines[1]
    for line in (records[0], records[2]):
        assert json.loads(line)["status"] == "skipped" and "no earlier record" in json.loads(line)["skipped"]


def test_skip_existing_drops_an_earlier_record_that_no_longer_fits_its_output(pages, tmp_path):
    out = tmp_path / "out"
    first = clean_paths([pages], out)
    lines = (out / "report.jsonl").read_bytes().splitlines(keepends=True)
    first.outcomes[0].output.write_text("edited by hand\n")  # no longer the output the record describes
    clean_paths([pages], out, skip_existing=True)
    records = (out / "report.jsonl").read_bytes().splitlines(keepends=True)
    assert records[1:] == lines[1:]
    assert "does not match" in json.loads(records[0])["skipped"]


def test_an_interrupted_run_keeps_the_records_of_what_it_finished(pages, tmp_path, monkeypatch, interrupt_second_page):
    import cleaner.runs.page as api

    out = tmp_path / "out"
    full = clean_paths([pages], tmp_path / "full").outcomes
    real = interrupt_second_page()
    with pytest.raises(KeyboardInterrupt):
        clean_paths([pages], out, jobs=1)
    monkeypatch.setattr(api, "clean_text", real)
    assert [r["path"] for r in read_report(out / "report.jsonl")] == [full[0].path]
    clean_paths([pages], out, skip_existing=True)
    assert [r["status"] for r in read_report(out / "report.jsonl")] == ["ok"] * 3
    expected = (tmp_path / "full" / "report.jsonl").read_text().replace(str(tmp_path / "full"), str(out))
    assert (out / "report.jsonl").read_text() == expected


def test_an_interrupted_resume_keeps_the_earlier_records_it_had_not_reached(pages, tmp_path, monkeypatch):
    import cleaner.runs.page as api

    out = tmp_path / "out"
    first = clean_paths([pages], out)
    report = (out / "report.jsonl").read_bytes()
    first.outcomes[0].output.unlink()
    real = api.clean_text

    def interrupted(text, source="-", detectors=None, **options):
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "clean_text", interrupted)
    with pytest.raises(KeyboardInterrupt):
        clean_paths([pages], out, jobs=1, skip_existing=True)  # stopped on the first input, the only one to do
    monkeypatch.setattr(api, "clean_text", real)
    assert read_report(out / "report.jsonl") == [json.loads(line) for line in report.splitlines()[1:]]
    clean_paths([pages], out, skip_existing=True)
    assert (out / "report.jsonl").read_bytes() == report


def test_a_bug_costs_one_input_not_the_run(pages, tmp_path, monkeypatch):
    import cleaner.runs.page as api

    def broken(text, source="-", detectors=None, **options):
        if source.endswith("copy.txt"):
            raise ZeroDivisionError("division by zero")
        return clean_text(text, source, detectors, **options)

    monkeypatch.setattr(api, "clean_text", broken)
    summary = clean_paths([pages], tmp_path / "out", jobs=1)
    failed = [o for o in summary.outcomes if not o.ok]
    assert [Path(o.path).name for o in failed] == ["copy.txt"]
    assert failed[0].error.startswith("internal error (ZeroDivisionError: division by zero)")
    assert summary.files_cleaned == 2

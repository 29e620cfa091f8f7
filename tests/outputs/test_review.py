"""The HTML review page: the embedded data (unit tests) and the page itself in headless Chromium.

The browser tests drive Debian's ``chromium`` (``apt-get install -y chromium``) through the
``playwright`` package (the ``test`` extra). They fail when either is missing, since CI
installs both; ``CLEANER_NO_BROWSER=1`` skips them (``CLEANER_CHROMIUM`` names another binary).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import tomllib
from collections.abc import Iterator
from dataclasses import replace
from fnmatch import fnmatch
from importlib import resources
from pathlib import Path

import pytest
from conftest import FIXTURES, PROSE, ROOT, SHARED, leftovers, seed_files

import cleaner as api
from cleaner.cli import app
from cleaner.outputs.corpus_output import rebuild_text
from cleaner.outputs.files import OutputError
from cleaner.outputs.review import ASSETS, HUES, PAGE_SIZE, asset, embed_json, review_data, review_html, write_review
from cleaner.render import CleanResult, Edit, RemovedSpan
from cleaner.text.page import Page

CHROMIUM = os.environ.get("CLEANER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
HOSTILE = '<img src=x onerror="document.body.dataset.pwned=1"> </script><script>document.body.dataset.pwned=2</script>'


def unmarked(path: Path) -> str:
    """A marked fixture page (two-character markers, see tests/fixtures/README.md) as plain page text."""
    return "".join(line[2:] + "\n" for line in path.read_text(encoding="utf-8").splitlines())


def hostile_page() -> str:
    """A page whose text tries to break out of the data and run code, with an astral character."""
    menu = "\n".join(["Home", "World", "Politics", "Business", "Sport", "Culture"])
    body = "\n\n".join([PROSE, f"A reader wrote {HOSTILE} and <!-- this --> & that __SCRIPT__ 😀.", PROSE, PROSE])
    return f"{menu}\n\n{body}\n\nCopyright 2024 Example News. All rights reserved.\n"


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeds, a lynx dump (in-line edits), the hostile page and a binary file (a failed input)."""
    folder = tmp_path_factory.mktemp("review") / "in"
    folder.mkdir()
    for seed in seed_files():
        shutil.copy(seed, folder / seed.name)
    (folder / "lynx.txt").write_text(unmarked(FIXTURES / "formats" / "lynx.dump"), encoding="utf-8")
    (folder / "hostile.txt").write_text(hostile_page(), encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    return folder


@pytest.fixture(scope="module")
def outcomes(run_folder: Path) -> list[api.Outcome]:
    return list(api.iter_outcomes([run_folder]))


def embedded(html: str, element_id: str) -> object:
    match = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, re.S)
    assert match, f"no data element {element_id}"
    return json.loads(match.group(1))


# ---- the data -------------------------------------------------------------


def test_every_input_is_in_the_index_in_run_order(outcomes: list[api.Outcome]):
    html = review_html(outcomes)
    index = embedded(html, "review-index")
    assert [row["path"] for row in index["rows"]] == [outcome.path for outcome in outcomes]
    failed = [row for row in index["rows"] if row["error"]]
    assert [row["path"] for row in failed] == [o.path for o in outcomes if not o.ok]
    assert failed and failed[0]["total"] is None and failed[0]["fired"] == {}
    assert f'id="review-{index["rows"].index(failed[0])}"' not in html  # no detail for a failed input


def test_rows_count_what_each_detector_removed(outcomes: list[api.Outcome]):
    data = review_data(outcomes)
    names = [style.name for style in data.detectors]
    for outcome, entry in zip(outcomes, data.entries, strict=True):
        if outcome.result is None:
            continue
        fired = {names[int(number)]: lines for number, lines in entry.row["fired"].items()}
        assert fired == outcome.result.removals_by_detector()
        assert (entry.row["total"], entry.row["kept"]) == (outcome.result.lines_total, outcome.result.lines_kept)


def test_detail_is_the_whole_page_and_spans_match_the_report(outcomes: list[api.Outcome]):
    html = review_html(outcomes)
    names = [d["name"] for d in embedded(html, "review-index")["detectors"]]
    for number, outcome in enumerate(outcomes):
        if outcome.result is None:
            continue
        detail = embedded(html, f"review-{number}")
        assert detail["lines"] == [line.text for line in Page(outcome.result.rebuild()).lines]
        spans = [(first, last, names[d], rule, reason) for first, last, d, rule, reason in detail["spans"]]
        assert spans == [(s.first_line, s.last_line, s.detector, s.rule, s.reason)
                         for s in outcome.result.removed]
        assert detail["metadata"] == outcome.result.metadata.to_dict()


def test_lynx_markers_are_embedded_as_in_line_edits(outcomes: list[api.Outcome]):
    number = next(i for i, o in enumerate(outcomes) if o.path.endswith("lynx.txt"))
    data = review_data(outcomes)
    detail = data.entries[number].detail
    assert detail is not None
    names = [style.name for style in data.detectors]
    edits = [(line, detail["lines"][line - 1][start:end], names[d]) for line, start, end, d, _ in detail["edits"]]
    assert edits, "the lynx page has kept lines with [n] markers"
    assert all(re.fullmatch(r"\[\d+\]", text) and name == "link-list" for _, text, name in edits)


def test_page_text_cannot_break_out_of_the_data(outcomes: list[api.Outcome]):
    html = review_html(outcomes)
    assert "document.body.dataset.pwned" in hostile_page()
    data_part = html[html.index('id="review-index"'):html.index("<script>\n")]
    assert "</script><script>" not in data_part and "<img" not in data_part and "<!--" not in data_part
    number = next(i for i, o in enumerate(outcomes) if o.path.endswith("hostile.txt"))
    assert any(HOSTILE in line for line in embedded(html, f"review-{number}")["lines"])
    assert html.count("__SCRIPT__") == 1  # the page's own text, not a second copy of the script


def test_embed_json_reads_back_the_same_strings():
    tricky = ["</script>", "<!--", "a & b", "\u2028", "\\</", "😀", '"quoted"']
    text = embed_json(tricky)
    assert not set("<>&") & set(text)
    assert json.loads(text) == tricky


def test_edit_offsets_count_utf16_units():
    # "ab😀[12] cd": the marker starts at code point 3, which is UTF-16 unit 4 (😀 takes two).
    result = CleanResult("x", "ab😀 cd\n", edits=[Edit(1, 3, 7, "[12]", "link-list", "LINK3")], lines_total=1,
                         lines_kept=1)
    assert result.rebuild() == "ab😀[12] cd\n"
    detail = review_data([api.Outcome("x", result)]).entries[0].detail
    assert detail is not None
    line, start, end = detail["edits"][0][:3]
    assert (line, start, end) == (1, 4, 8)
    assert "ab😀[12] cd".encode("utf-16-le")[start * 2:end * 2].decode("utf-16-le") == "[12]"


def test_colours_follow_the_detector_not_the_run():
    def hues(*names: str) -> dict[str, int | None]:
        removed = [RemovedSpan(name, "R1", n, n, f"line {n}\n") for n, name in enumerate(names, start=1)]
        result = CleanResult("x", "", removed=removed, lines_total=len(names))
        return {style.name: style.hue for style in review_data([api.Outcome("x", result)]).detectors}

    one = hues("navigation", "teasers", "my-detector", "layout")
    two = hues("my-detector", "teasers", "navigation", "footer")
    assert all(one[name] == two[name] for name in two if name in one)
    assert one["layout"] is None and 0 <= one["my-detector"] < 360
    assert len(set(HUES.values())) == len(HUES)  # the named detectors never share a colour


def test_the_page_loads_nothing_from_outside(outcomes: list[api.Outcome]):
    html = review_html(outcomes)
    page_code = html[: html.index('id="review-index"')] + html[html.index("<script>\n"):]
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert not re.search(r"""\b(?:src|href)\s*=|@import|url\(|<link\b|https?://""", page_code)


def test_the_page_is_built_from_its_asset_files(outcomes: list[api.Outcome]):
    folder = resources.files("cleaner.outputs.review")
    root = ROOT
    shipped = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    globs = shipped["package-data"]["cleaner"]
    for name in ASSETS:
        assert folder.joinpath(name).is_file(), f"{name} is not in the package"
        # A non-editable install (a wheel) carries only what package-data names.
        assert any(fnmatch(f"outputs/review/{name}", glob) for glob in globs), f"{name} is not package data"
    html = review_html(outcomes)
    css, script = asset("review.css"), asset("review.js")
    assert css.strip() and script.strip() and css in html and script in html
    skeleton = re.split(r"__(?:TITLE|STYLE|DATA|SCRIPT)__", asset("page.html"))
    assert len(skeleton) == 6  # the title twice, the style, the data and the script
    position = 0
    for part in skeleton:  # the skeleton's text, in order, between the filled-in values
        position = html.index(part, position) + len(part)
    assert asset("page.html") is asset("page.html")  # read once per process
    with pytest.raises(ValueError):
        asset("../__init__.py")


# ---- writing it -----------------------------------------------------------


def test_write_review_is_atomic_and_never_touches_an_input(tmp_path: Path, outcomes: list[api.Outcome],
                                                          run_folder: Path):
    target = tmp_path / "review.html"
    write_review(target, outcomes, input_paths=[run_folder])
    assert target.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert leftovers(tmp_path) == []
    seed = run_folder / seed_files()[0].name
    before = seed.read_bytes()
    with pytest.raises(OutputError, match="inside the input folder"):
        write_review(run_folder / "review.html", outcomes, input_paths=[run_folder])
    with pytest.raises(OutputError, match="overwrite the input"):
        write_review(seed, outcomes)
    assert seed.read_bytes() == before and not (run_folder / "review.html").exists()


def test_cli_review_with_a_folder(runner, pages: Path, tmp_path: Path):
    review = tmp_path / "review.html"
    result = runner.invoke(app, [str(pages), "-o", str(tmp_path / "out"), "--review", str(review)])
    assert result.exit_code == 0, result.output
    rows = embedded(review.read_text(encoding="utf-8"), "review-index")["rows"]
    assert sorted(row["path"] for row in rows) == sorted(str(p) for p in pages.rglob("*.txt"))
    assert (tmp_path / "out" / "report.jsonl").exists()


def test_cli_review_with_one_file_still_prints_the_text(runner, article: Path, tmp_path: Path):
    review = tmp_path / "one.html"
    result = runner.invoke(app, [str(article), "--review", str(review)])
    assert result.exit_code == 0, result.output
    assert PROSE in result.stdout and "<html" not in result.stdout
    rows = embedded(review.read_text(encoding="utf-8"), "review-index")["rows"]
    assert [row["path"] for row in rows] == [str(article)]


def test_cli_refuses_a_review_inside_the_input_folder_before_cleaning(runner, pages: Path, tmp_path: Path):
    result = runner.invoke(app, [str(pages), "-o", str(tmp_path / "out"), "--review", str(pages / "r.html")])
    assert result.exit_code == 1
    assert "inside the input folder" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists() and not (pages / "r.html").exists()


def test_cli_review_and_diff_do_not_combine(runner, article: Path, tmp_path: Path):
    result = runner.invoke(app, ["--diff", str(article), "--review", str(tmp_path / "r.html")])
    assert result.exit_code == 2 and "--review" in result.output


# ---- a corpus run, reviewed from its JSONL output (--from) ----------------

WET_SAMPLE = SHARED / "corpus-samples" / "cc-whirlwind.warc.wet.gz"
needs_wet_sample = pytest.mark.skipif(not WET_SAMPLE.exists(), reason="no ../shared/corpus-samples beside the checkout")


def menu_page(number: int) -> str:
    """A small text dump: a menu, a numbered article and a footer."""
    return (f"Home\nWorld\nSport\nCulture\n\nStory {number}: ferry crews vote\n\n{PROSE}\n\n{PROSE} ({number})\n\n"
            "Copyright 2024 Example News. All rights reserved.\n")


@pytest.fixture(scope="module")
def corpus_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``clean shard.jsonl -o out.jsonl.gz`` over 12 pages (ids d0..d11) and one empty (failed) record."""
    from typer.testing import CliRunner

    folder = tmp_path_factory.mktemp("corpus-review")
    records = [{"id": f"d{n}", "text": menu_page(n)} for n in range(12)] + [{"id": "bad", "text": ""}]
    shard = folder / "shard.jsonl"
    shard.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    out = folder / "out.jsonl.gz"
    result = CliRunner().invoke(app, [str(shard), "-o", str(out), "--jobs", "1", "-q"])
    assert result.exit_code == 1 and out.exists(), result.output  # the empty record failed
    return out


@needs_wet_sample
def test_cli_review_from_the_output_of_a_real_wet_run(runner, tmp_path: Path):
    out, review = tmp_path / "out.jsonl.gz", tmp_path / "review.html"
    assert runner.invoke(app, [str(WET_SAMPLE), "-o", str(out), "--jobs", "1", "-q"]).exit_code == 0
    result = runner.invoke(app, ["--review", str(review), "--from", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"clean: review page: {review} (1 of 1 records)\n"
    html = review.read_text(encoding="utf-8")
    index, detail = embedded(html, "review-index"), embedded(html, "review-0")
    record = json.loads(gzip.decompress(out.read_bytes()))
    assert index["title"] == f"clean review: {out} (all 1 records)"
    assert [row["path"] for row in index["rows"]] == [f"{WET_SAMPLE}#0 {record['id']}"]
    assert index["rows"][0]["kept"] == record["lines_kept"] and index["rows"][0]["removed"] > 0
    assert detail["lines"] == [line.text for line in Page(rebuild_text(record)).lines]  # the whole document
    assert len(detail["spans"]) == len(record["removed"])


def test_cli_review_from_a_corpus_output_samples_with_a_seed(runner, corpus_output: Path, tmp_path: Path):
    def sampled(name: str, *extra: str) -> tuple[str, list[str]]:
        review = tmp_path / name
        result = runner.invoke(app, ["--review", str(review), "--from", str(corpus_output), *extra])
        assert result.exit_code == 0, result.output
        index = embedded(review.read_text(encoding="utf-8"), "review-index")
        return index["title"], [row["path"].rsplit(" ", 1)[1] for row in index["rows"]]

    title, ids = sampled("a.html", "--sample", "5", "--seed", "3")
    assert title == f"clean review: {corpus_output} (a random sample of 5 of 13 records, seed 3)"
    assert len(ids) == 5 and ids == sorted(ids, key=lambda i: int(i[1:]) if i != "bad" else 99)  # file order
    assert sampled("b.html", "--sample", "5", "--seed", "3") == (title, ids)  # deterministic
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()
    assert sampled("c.html", "--sample", "5", "--seed", "4")[1] != ids
    title, everything = sampled("d.html")  # default: at most 200, so every record here
    assert title.endswith("(all 13 records)") and everything == [f"d{n}" for n in range(12)] + ["bad"]
    rows = embedded((tmp_path / "d.html").read_text(encoding="utf-8"), "review-index")["rows"]
    assert rows[-1]["error"] == "line 13: field 'text' is empty"


def test_cli_diff_from_a_corpus_output_shows_one_record_like_a_page(runner, corpus_output: Path, tmp_path: Path):
    page = tmp_path / "d7.txt"
    page.write_text(menu_page(7), encoding="utf-8")
    result = runner.invoke(app, ["--diff", "--from", str(corpus_output), "--id", "d7"])
    assert result.exit_code == 0, result.output
    assert result.stdout == runner.invoke(app, ["--diff", str(page)]).stdout and " - navigation " in result.stdout
    unified = runner.invoke(app, ["--diff", "--diff-format", "unified", "--from", str(corpus_output), "--id", "d7"])
    assert unified.exit_code == 0 and unified.stdout.startswith(f"--- a{corpus_output.parent}/shard.jsonl#7\n")
    missing = runner.invoke(app, ["--diff", "--from", str(corpus_output), "--id", "d7", "--id", "nope"])
    assert missing.exit_code == 1 and missing.stderr == f"clean: {corpus_output}: no record with id 'nope'\n"
    failed = runner.invoke(app, ["--diff", "--from", str(corpus_output), "--id", "bad"])
    assert failed.exit_code == 1 and failed.stdout == ""
    assert failed.stderr.endswith("#12 (bad): line 13: field 'text' is empty\n")


def test_cli_review_from_an_output_without_spans_or_not_an_output(runner, tmp_path: Path):
    shard = tmp_path / "shard.jsonl"
    shard.write_text(json.dumps({"id": "a", "text": menu_page(1)}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert runner.invoke(app, [str(shard), "-o", str(out), "--no-spans", "-q"]).exit_code == 0
    review = tmp_path / "r.html"
    result = runner.invoke(app, ["--review", str(review), "--from", str(out), "-q"])
    assert result.exit_code == 0
    assert embedded(review.read_text(encoding="utf-8"), "review-index")["rows"][0]["error"].startswith(
        "written with --no-spans")
    wrong = runner.invoke(app, ["--review", str(review), "--from", str(shard)])  # the input, not an output
    assert wrong.exit_code == 1 and wrong.stdout == ""
    assert wrong.stderr == (f"clean: {shard}: line 1: "
                            "not a record of a clean corpus output (id, source, position, text)\n")
    over = runner.invoke(app, ["--review", str(out), "--from", str(out)])
    assert over.exit_code == 1 and "would overwrite the input" in over.stderr


@pytest.mark.parametrize(("args", "fragment"), [
    (["PAGE", "--review", "r.html", "--from", "OUT"], "give no PATH"),
    (["--diff", "--from", "OUT"], "--id ID"),
    (["--from", "OUT"], "--review HTML"),
    (["--review", "r.html", "--from", "OUT", "--id", "d1"], "--id goes with --diff"),
    (["--review", "r.html", "--from", "OUT", "--sample", "0"], "--sample"),
    (["--diff", "--from", "OUT", "--id", "d1", "--seed", "2"], "--seed"),
    (["PAGE", "--sample", "3"], "go with --from"),
    (["--explain", "--line", "1", "--from", "OUT"], "not with --explain"),
])
def test_cli_from_usage_errors(runner, corpus_output: Path, article: Path, tmp_path: Path, args, fragment):
    given = {"PAGE": str(article), "OUT": str(corpus_output), "r.html": str(tmp_path / "r.html")}
    result = runner.invoke(app, [given.get(arg, arg) for arg in args])
    assert result.exit_code == 2 and result.stdout == "" and "Traceback" not in result.output
    assert len(result.stderr.splitlines()) == 1 and fragment in result.stderr
    assert not (tmp_path / "r.html").exists()


# ---- in a real browser ------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if os.environ.get("CLEANER_NO_BROWSER") == "1":
        pytest.skip("CLEANER_NO_BROWSER=1: browser tests of the review page skipped")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the playwright package is missing: pip install -e '.[test]' (or set CLEANER_NO_BROWSER=1)")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install -y chromium (or set CLEANER_NO_BROWSER=1)")
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def review_file(tmp_path_factory: pytest.TempPathFactory, outcomes: list[api.Outcome]) -> Path:
    path = tmp_path_factory.mktemp("page") / "review.html"
    write_review(path, outcomes)
    return path


@pytest.fixture
def page(browser, review_file: Path) -> Iterator[object]:
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto(review_file.as_uri())
    tab.wait_for_selector("body[data-ready='1']")
    yield tab
    tab.close()
    assert errors == [], f"script errors on the review page: {errors}"


def visible_paths(tab) -> list[str]:
    return tab.locator("#rows tr td.path").all_inner_texts()


def test_browser_index_lists_every_input(page, outcomes: list[api.Outcome]):
    assert visible_paths(page) == [outcome.path for outcome in outcomes]
    failed = page.locator("#rows tr.failed td.title").all_inner_texts()
    assert failed == [f"error: {o.error}" for o in outcomes if not o.ok]


def test_browser_sorting_changes_the_order(page, outcomes: list[api.Outcome]):
    ok = [o for o in outcomes if o.result is not None]
    most = max(ok, key=lambda o: (o.result.lines_removed, -outcomes.index(o)))
    fewest = min(ok, key=lambda o: (o.result.lines_removed, outcomes.index(o)))
    page.click("#table th[data-key='removed']")
    assert visible_paths(page)[0] == most.path
    page.click("#table th[data-key='removed']")
    assert visible_paths(page)[0] == fewest.path
    assert visible_paths(page)[-1] == next(o.path for o in outcomes if not o.ok)  # no counts: last either way


def test_browser_detector_filter_hides_inputs_without_it(page, outcomes: list[api.Outcome]):
    with_jobs = [o.path for o in outcomes if o.result and "job-ads" in o.result.removals_by_detector()]
    assert 0 < len(with_jobs) < len(outcomes)
    page.click("#chips .chip[data-detector='job-ads'] input")
    assert visible_paths(page) == with_jobs
    assert "filtered from" in page.inner_text("#count")
    page.click("#chips .chip[data-detector='job-ads'] input")
    assert len(visible_paths(page)) == len(outcomes)


def test_browser_input_page_highlights_spans_by_detector(page, outcomes: list[api.Outcome], tmp_path: Path):
    number = next(i for i, o in enumerate(outcomes) if o.path.endswith("lynx.txt"))
    result = outcomes[number].result
    page.click(f"#rows tr[data-i='{number}']")
    assert page.is_visible("#detail") and not page.is_visible("#index")
    assert page.inner_text("#detail-path") == outcomes[number].path
    assert page.locator("#page .l").count() == result.lines_total
    span = page.locator("#page .span[data-detector='navigation']").first
    css_class = span.get_attribute("class")
    colour = span.evaluate("node => getComputedStyle(node).backgroundColor")
    legend = page.locator("#legend .chip[data-detector='navigation']")
    assert re.fullmatch(r"span det-\d+", css_class)
    assert legend.get_attribute("class").split()[1] == css_class.split()[1]
    assert colour == legend.evaluate("node => getComputedStyle(node).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
    first_nav = next(s for s in result.removed if s.detector == "navigation")
    assert span.locator(".badge").inner_text() == f"navigation {first_nav.rule}"
    assert span.get_attribute("title").startswith(f"navigation {first_nav.rule}")
    cut = page.locator("#page del.edit[data-detector='link-list']").first
    assert re.fullmatch(r"\[\d+\]", cut.inner_text())
    legend.click()  # dims navigation's highlights
    assert float(span.evaluate("node => getComputedStyle(node).opacity")) < 1
    page.screenshot(path=str(tmp_path / "review.png"))
    assert (tmp_path / "review.png").stat().st_size > 10_000


def test_browser_page_text_stays_text(page, outcomes: list[api.Outcome]):
    number = next(i for i, o in enumerate(outcomes) if o.path.endswith("hostile.txt"))
    page.goto(page.url.split("#")[0] + f"#input={number + 1}")
    page.wait_for_selector("#detail:not([hidden])")
    assert HOSTILE in page.inner_text("#page")
    assert page.locator("#page img, #page script").count() == 0
    assert page.evaluate("document.body.dataset.pwned") is None


def test_browser_keyboard_moves_between_inputs(page, outcomes: list[api.Outcome]):
    paths = [o.path for o in outcomes]
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert page.inner_text("#rows tr.selected td.path") == paths[2]
    page.keyboard.press("Enter")
    assert page.inner_text("#detail-path") == paths[2]
    page.keyboard.press("j")
    assert page.inner_text("#detail-path") == paths[3]
    page.keyboard.press("k")
    page.keyboard.press("k")
    assert page.inner_text("#detail-path") == paths[1]
    page.keyboard.press("?")
    assert page.is_visible("#help")
    page.keyboard.press("Escape")
    assert not page.is_visible("#help") and page.is_visible("#detail")
    page.keyboard.press("Escape")
    assert page.is_visible("#index")
    assert page.inner_text("#rows tr.selected td.path") == paths[1]


def test_browser_large_run_is_paginated(browser, outcomes: list[api.Outcome], tmp_path: Path):
    many = [replace(outcomes[n % len(outcomes)], path=f"copy{n:03d}.txt") for n in range(PAGE_SIZE + 30)]
    path = tmp_path / "many.html"
    write_review(path, many)
    tab = browser.new_page()
    tab.goto(path.as_uri())
    tab.wait_for_selector("body[data-ready='1']")
    assert tab.locator("#rows tr").count() == PAGE_SIZE
    tab.keyboard.press("n")
    assert visible_paths(tab) == [outcome.path for outcome in many[PAGE_SIZE:]]
    tab.keyboard.press("k")  # back across the page boundary
    assert visible_paths(tab)[-1] == many[PAGE_SIZE - 1].path
    assert tab.inner_text("#rows tr.selected td.path") == many[PAGE_SIZE - 1].path
    tab.emulate_media(color_scheme="dark")
    background = tab.evaluate("getComputedStyle(document.body).backgroundColor")
    assert sum(map(int, re.findall(r"\d+", background)[:3])) < 150, background
    tab.close()

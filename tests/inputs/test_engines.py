"""The HTML engines (``--engine model / trafilatura / ensemble``): what each reads, what it cuts, and that
every one keeps the report lossless and the metadata."""

from __future__ import annotations

import pytest
from conftest import FIXTURES
from typer.testing import CliRunner

import cleaner as api
from cleaner.cli.app import app
from cleaner.inputs.engines import DEFAULT_ENGINE, ENGINES, ENSEMBLE, MODEL, TRAFILATURA
from cleaner.inputs.html import read_html, whole_page
from cleaner.inputs.html_source import decode_html
from cleaner.text.dom import DOM_EVIDENCE
from cleaner.text.extracted import EXTRACTOR_KEPT

ARTICLE = FIXTURES / "html" / "harbour_article.html"
KEPT = "Crews on the island ferry service have voted by a large majority to walk out next month"
CHROME = ("Most read", "Privacy policy", "Home", "Skip to main content")


@pytest.fixture(scope="module", params=ENGINES)
def cleaned(request):
    return request.param, api.clean_html(ARTICLE.read_bytes(), str(ARTICLE), engine=request.param)


def test_the_default_engine_is_one_of_the_engines():
    assert DEFAULT_ENGINE in ENGINES


def test_each_engine_reads_what_it_needs():
    decoded = decode_html(ARTICLE.read_bytes())
    model, trafilatura, ensemble = (read_html(decoded, engine=engine) for engine in (MODEL, TRAFILATURA, ENSEMBLE))
    assert model.text == trafilatura.text == ensemble.text  # one whole-page text whatever decides it
    assert model.kept is None and model.evidence is not None and not model.extracted  # no trafilatura run
    assert trafilatura.kept and trafilatura.evidence is None
    assert ensemble.kept == trafilatura.kept and ensemble.evidence is not None
    page = whole_page(ensemble)
    assert page.facts.get(DOM_EVIDENCE) is ensemble.evidence and page.facts.get(EXTRACTOR_KEPT) == ensemble.kept
    assert whole_page(trafilatura).facts.get(DOM_EVIDENCE) is None


def test_every_engine_keeps_the_article_and_cuts_the_chrome(cleaned):
    engine, result = cleaned
    assert KEPT in result.text, engine
    assert not [chrome for chrome in CHROME if any(line.strip() == chrome for line in result.text.splitlines())]


def test_the_model_engines_cut_with_the_model_and_trafilatura_with_its_step(cleaned):
    engine, result = cleaned
    detectors = {span.detector for span in result.removed}
    assert ("html-extractor" in detectors) == (engine == TRAFILATURA)
    if engine != TRAFILATURA:
        assert any(span.rule == "MODEL1" for span in result.removed)
        assert all("content probability" in span.reason for span in result.removed if span.rule == "MODEL1")


def test_every_engine_rebuilds_the_whole_page_text_and_reads_the_metadata(cleaned):
    engine, result = cleaned
    assert result.rebuild() == read_html(decode_html(ARTICLE.read_bytes()), engine=TRAFILATURA).text
    meta = result.metadata
    assert (meta.title, meta.author, meta.date, meta.language) == (
        "Ferry crews vote to strike over rota changes", "Mara Lindqvist", "2024-05-14", "en"), engine
    assert meta.site_name == "The Harbour Courier", engine
    assert meta.url == "https://www.harbourcourier.example/news/ferry-crews-strike", engine


def test_the_ensemble_says_when_trafilatura_found_nothing(monkeypatch):
    from cleaner.inputs import html

    monkeypatch.setattr(html, "_trafilatura", lambda root, options: (None, []))
    result = api.clean_html(ARTICLE.read_bytes(), engine=ENSEMBLE)
    assert any("ensemble's model decided without it" in note for note in result.notes)
    assert KEPT in result.text


def test_text_inputs_are_cleaned_the_same_by_every_engine():
    text = ARTICLE.read_text(encoding="utf-8").replace("<", "(")  # no markup: a text page
    outputs = {api.clean_text(text, engine=engine).text for engine in ENGINES}
    assert len(outputs) == 1


def test_the_command_line_chooses_the_engine(tmp_path):
    runner = CliRunner()
    texts = {}
    for engine in ENGINES:
        out = tmp_path / f"{engine}.txt"
        result = runner.invoke(app, [str(ARTICLE), "-o", str(out), "--engine", engine, "-q", "--no-config"])
        assert result.exit_code == 0, result.output
        texts[engine] = out.read_text(encoding="utf-8")
        assert KEPT in texts[engine]
    bad = runner.invoke(app, [str(ARTICLE), "--engine", "readability", "--no-config"])
    assert bad.exit_code == 2 and "readability" in bad.output


def test_no_title_cuts_the_headline_under_the_model_engine_too():
    result = api.clean_html(ARTICLE.read_bytes(), keep_title=False, engine=MODEL)
    owner = {line.strip(): (span.detector, span.rule) for span in result.removed for line in span.text.splitlines()}
    assert owner["Ferry crews vote to strike over rota changes"] == ("main-body", "BODY3")
    assert result.metadata.title == "Ferry crews vote to strike over rota changes"
    assert result.text.startswith("Crews on the island")


def test_explain_shows_what_the_html_model_said_of_a_line():
    whole = read_html(decode_html(ARTICLE.read_bytes()), engine=MODEL).text.splitlines()
    menu = whole.index("* Home") + 1
    found = api.explain_file(ARTICLE, [menu], engine=MODEL)[0]
    assert not found.kept and (found.decided_by.detector, found.decided_by.rule) == ("main-body", "MODEL1")
    assert found.model is not None and found.model.probability < 0.5 and found.model.parts
    assert found.model.decides and "content-html-" in found.model.decides

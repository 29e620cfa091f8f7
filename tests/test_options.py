"""Options: the one options object of the library, the config file and the command line."""

from __future__ import annotations

import dataclasses
import inspect

import pytest
from conftest import ROOT

import cleaner
from cleaner.cli.arguments import Args, ColorMode, Engine, build_options
from cleaner.options import ConfigError, Options, options_for, provenance, settings_hash
from cleaner.runs import corpus, folder, one, page

SEED = sorted((ROOT / "seeds").glob("*.txt"))[0]


def test_keyword_arguments_and_an_options_object_are_the_same_call():
    text = SEED.read_text(encoding="utf-8")
    by_keywords = cleaner.clean_text(text, favor="precision", keep_title=False, skip=["footer"])
    by_object = cleaner.clean_text(text, options=Options(favor="precision", keep_title=False, skip=("footer",)))
    assert by_keywords.text == by_object.text and by_keywords.removed == by_object.removed
    # keyword arguments win over the options they are given with
    titled = Options(favor="precision", keep_title=True, skip=("footer",))
    over = cleaner.clean_text(text, options=titled, keep_title=False)
    assert over.text == by_keywords.text and over.removed == by_keywords.removed
    assert cleaner.clean_text(text, options=titled).text != by_keywords.text  # the seed's title tells them apart


def test_options_for_keeps_what_is_not_given_and_refuses_what_is_unknown():
    base = Options(favor="recall", jobs=3)
    assert options_for(base) is base  # nothing given: the same (already validated) object
    assert options_for(base, favor=None, keep_title=None) is base
    assert options_for(base, keep_title=False) == Options(favor="recall", jobs=3, keep_title=False)
    assert options_for(None, skip="footer").skip == ("footer",)  # one name is one name, not six letters
    with pytest.raises(TypeError):
        options_for(base, no_such_option=1)


@pytest.mark.parametrize("values, message", [
    ({"favor": "sometimes"}, "favor:"),
    ({"engine": "lynx"}, "engine: expected one of model, trafilatura, ensemble"),
    ({"only": ("html-extractor",)}, "only: html-extractor is the trafilatura engine's step"),
    ({"only": ("html-extractor", "footer"), "engine": "ensemble"}, "with the ensemble engine it never runs"),
    ({"skip": ("no-such-detector",)}, "skip:"),
    ({"encoding": "no-such-codec"}, "encoding:"),
    ({"max_bytes": 0}, "max-size:"),
    ({"timeout": -1.0}, "timeout:"),
    ({"timeout": float("nan")}, "timeout:"),
    ({"jobs": -1}, "jobs:"),
])
def test_bad_options_fail_once_when_made(values, message):
    with pytest.raises(ConfigError, match=message):
        Options(**values)


def test_options_are_frozen_all_the_way_down():
    options = Options(skip=["footer"], thresholds={"short-penalty": 1.5}, phrases={"signup": {"newsletter": ["x y"]}})
    assert options.skip == ("footer",) and options.thresholds == {"short_penalty": 1.5}
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.favor = "recall"  # type: ignore[misc]
    with pytest.raises(TypeError):
        options.thresholds["short_penalty"] = 2.0  # type: ignore[index]


def test_how_a_run_goes_is_not_in_the_settings_hash():
    assert settings_hash(Options(timeout=5, jobs=8, skip_existing=True, max_bytes=10)) == settings_hash(Options())


@pytest.mark.parametrize("function", [
    page.clean_text, page.clean_html, page.explain_line, one.clean_file, one.clean_input, one.clean_input_isolated,
    one.explain_file, folder.iter_outcomes, folder.clean_paths, corpus.clean_corpus,
])
def test_every_entry_point_takes_options_and_keywords_over_them(function):
    parameters = inspect.signature(function).parameters
    assert parameters["options"].default is None
    assert any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    shared = {"favor", "keep_title", "only", "skip", "config", "timeout", "jobs", "encoding", "max_bytes"}
    assert not shared & set(parameters), "options are fields of Options, not parameters repeated per function"


def _args(*paths: str, **values: object) -> Args:
    return Args(list(paths), None, None, False, None, None, ColorMode.never, False, **values)  # type: ignore[arg-type]


def test_the_command_line_becomes_one_options(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no config file found from here
    (tmp_path / "page.txt").write_text("Hello\n", encoding="utf-8")
    options = build_options(_args("page.txt", timeout=0.0, jobs=2, skip_existing=True, only=["footer,navigation"]))
    assert options == Options(only=("footer", "navigation"), timeout=None, jobs=2, skip_existing=True)
    default = build_options(_args("page.txt"))
    assert (default.timeout, default.jobs, default.max_bytes) == (30.0, 0, None)  # the command's defaults


def test_the_engine_comes_from_the_command_line_over_the_config_file_and_is_in_the_settings_hash(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cleaner.toml").write_text('engine = "ensemble"\n', encoding="utf-8")
    (tmp_path / "page.txt").write_text("Hello\n", encoding="utf-8")
    assert build_options(_args("page.txt")).engine == "ensemble"
    assert build_options(_args("page.txt", engine=Engine.trafilatura)).engine == "trafilatura"
    hashes = {settings_hash(Options(engine=engine)) for engine in ("model", "trafilatura", "ensemble")}
    assert len(hashes) == 3  # outputs of different engines are told apart


def test_the_config_file_is_under_the_command_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cleaner.toml").write_text('favor = "recall"\nmax-size = "1K"\nencoding = "latin1"\n', encoding="utf-8")
    (tmp_path / "page.txt").write_text("Hello\n", encoding="utf-8")
    options = build_options(_args("page.txt", favor=None))
    assert (options.favor, options.max_bytes, options.encoding) == ("recall", 1024, "iso8859-1")
    assert options.source == tmp_path / "cleaner.toml"
    over = build_options(Args(["page.txt"], None, None, False, None, "2K", ColorMode.never, False))
    assert over.max_bytes == 2048 and over.favor == "recall"


def test_the_model_version_is_in_the_provenance_and_the_settings_hash(monkeypatch):
    from cleaner import options as options_module
    from cleaner.detectors.content_model import model_version as shipped
    from cleaner.detectors.content_model import shipped_html_model
    from cleaner.detectors.main_body import MainBodyDetector

    text = Options(engine="trafilatura")  # HTML by trafilatura: the text model alone decides
    assert provenance(text)["model_version"] == shipped() == options_module.model_version(text)
    html = shipped_html_model().model_version
    assert provenance(Options(engine="model"))["model_version"] == f"{shipped()}+{html}"
    ensemble = shipped_html_model(True).model_version
    assert provenance(Options(engine="ensemble"))["model_version"] == f"{shipped()}+{ensemble}"
    assert list(provenance(Options())) == ["cleaner_version", "model_version", "settings_hash"]
    assert provenance(Options(skip=("main-body",)))["model_version"] == options_module.NO_MODEL
    assert options_module.model_version(Options(detectors=(MainBodyDetector(),))) == options_module.NO_MODEL
    before = settings_hash(Options())
    monkeypatch.setattr(options_module, "shipped_version", lambda: "content-other")
    assert settings_hash(Options()) != before  # another model: another hash
    assert provenance(text)["model_version"] == "content-other"

"""The config file (cleaner.toml / [tool.cleaner]), detector selection and user phrases, through the library."""

import dataclasses
from pathlib import Path

import pytest
from conftest import FIXTURES

from cleaner import clean_paths, clean_text
from cleaner.config import find_config, load_config, parse_config
from cleaner.detectors.main_body import BodyThresholds, MainBodyDetector
from cleaner.detectors.registry import default_detectors, detector_names
from cleaner.inputs.engines import DEFAULT_ENGINE, ENGINES
from cleaner.options import ConfigError, Options, settings_hash
from cleaner.runs.page import pipeline_for
from cleaner.text.phrases import BUILT_IN, matches

PARAGRAPHS = [
    "Residents of the harbour town voted on Sunday to ban cruise ships longer than 200 metres from its port, "
    "ending a decade of growing traffic.",
    "The council said the new rule would take effect next spring, after the current season's bookings have been "
    "honoured by the port authority.",
    "Shop owners in the old town were divided, with some fearing the loss of visitors and others welcoming quieter "
    "streets in the summer months.",
    "A group of fishermen had campaigned for the ban for years, arguing that the wash from large ships damaged their "
    "moorings and their boats.",
    "The port authority will now draw up a list of smaller vessels that may still call at the harbour, and publish "
    "it before the end of the year.",
]
# Line 14 is a photo credit and line 18 a newsletter prompt that no shipped phrase names.
PAGE = (
    "Skip to main content\nHome\nNews\nSport\n\nHarbour town bans cruise ships\n\n"
    + "\n\n".join(PARAGRAPHS[:3])
    + "\n\nHarbour Photo Desk\n\n" + PARAGRAPHS[3] + "\n\nGet our daily digest\n\n" + PARAGRAPHS[4]
    + "\n\nCopyright 2024 Example News\n"
)
CREDIT, PROMPT = 14, 18


def removed(result) -> dict[int, str]:
    """Line number -> detector, for every non-layout removed line."""
    return {n: span.detector for span in result.removed for n in range(span.first_line, span.last_line + 1)}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- finding and reading the file --------------------------------------------------------------


def test_no_file_gives_the_built_in_defaults(tmp_path):
    assert load_config(start=tmp_path) == Options()
    assert Options().favor == "balanced" and Options().keep_title and Options().only is None


def test_cleaner_toml_in_a_parent_folder_is_found(tmp_path):
    write(tmp_path / "cleaner.toml", 'favor = "precision"\nskip = ["job-ads"]\n')
    (tmp_path / "a" / "b").mkdir(parents=True)
    config = load_config(start=tmp_path / "a" / "b")
    assert config.favor == "precision" and config.skip == ("job-ads",)
    assert config.source == tmp_path / "cleaner.toml"


def test_pyproject_tool_table_and_the_nearest_file_wins(tmp_path):
    write(tmp_path / "cleaner.toml", 'favor = "precision"\n')
    write(tmp_path / "proj" / "pyproject.toml", '[project]\nname = "x"\n\n[tool.cleaner]\nfavor = "recall"\n')
    write(tmp_path / "other" / "pyproject.toml", '[project]\nname = "y"\n')  # no [tool.cleaner]: passed over
    assert load_config(start=tmp_path / "proj").favor == "recall"
    assert load_config(start=tmp_path / "other").favor == "precision"
    write(tmp_path / "proj" / "cleaner.toml", "keep-title = false\n")  # same folder: cleaner.toml first
    config = load_config(start=tmp_path / "proj")
    assert config.keep_title is False and config.favor == "balanced"
    assert find_config(tmp_path / "proj") == (tmp_path / "proj" / "cleaner.toml", False)


def test_a_pyproject_of_odd_shape_is_passed_over_or_refused(tmp_path):
    write(tmp_path / "pyproject.toml", "tool = 3\n")
    assert find_config(tmp_path) is None  # no [tool.cleaner] table: passed over
    with pytest.raises(ConfigError, match=r"pyproject.toml \[tool.cleaner\]: expected a table"):
        load_config(tmp_path / "pyproject.toml")
    write(tmp_path / "broken" / "pyproject.toml", "[tool.cleaner\n")  # another tool's problem: not ours
    assert find_config(tmp_path / "broken") is None


def test_explicit_path_and_its_tool_table(tmp_path):
    path = write(tmp_path / "settings.toml", "site-repetition = false\n")
    assert load_config(path).site_repetition is False
    pyproject = write(tmp_path / "pyproject.toml", "[tool.cleaner]\nonly = ['main-body']\n")
    assert load_config(pyproject).only == ("main-body",)
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "missing.toml")


def test_every_documented_key_is_read(tmp_path):
    path = write(tmp_path / "cleaner.toml", (FIXTURES.parent.parent / "examples" / "cleaner.toml").read_text())
    config = load_config(path)
    assert config.favor == "balanced" and config.skip == ("job-ads",) and config.engine == "model"
    assert config.thresholds == {"short_penalty": 1.2}
    assert "newsletter" in config.phrases["signup"]


BAD = [
    ("favour = 'precision'\n", "unknown key 'favour' (did you mean 'favor'?)"),
    ("favor = 'tight'\n", "favor: expected one of precision, balanced, recall"),
    ("engine = 'readability'\n", "engine: expected one of model, trafilatura, ensemble"),
    ("engine = 1\n", "engine: expected a string"),
    ("keep-title = 'no'\n", "keep-title: expected true or false"),
    ("skip = 'job-ads'\n", "skip: expected a list of detector names"),
    ("skip = ['jobs']\n", "skip: unknown detector 'jobs' (valid: link-list,"),
    ("only = ['main-body', 'menus']\n", "only: unknown detector 'menus'"),
    ("max-size = '20 parsecs'\n", "max-size: invalid size"),
    ("encoding = 'klingon'\n", "encoding: unknown encoding"),
    ("[thresholds]\nshort_penalty = 2\n", "unknown key 'thresholds.short_penalty' (did you mean 'short-penalty'?)"),
    ("[thresholds]\nshort-penalty = 'big'\n", "thresholds.short-penalty: expected a number"),
    ("[thresholds]\nrepeat-threshold = 2.5\n", "thresholds.repeat-threshold: expected an integer"),
    ("[thresholds]\nprose-chars-per-point = 0\n", "expected a positive number"),
    ("[thresholds]\nearliest-share = 2\n", "between 0 and 1"),
    ("thresholds = 3\n", "thresholds: expected a table"),
    ("[phrases.signup]\nnewsleter = ['x']\n", "unknown key 'phrases.signup.newsleter' (did you mean 'newsletter'?)"),
    ("[phrases.signup]\nnewsletter = 'x'\n", "phrases.signup.newsletter: expected a list of strings"),
    ("[phrases.signup]\nnewsletter = ['!!!']\n", "has no word to match"),
    ("[phrases.main-body]\nx = ['a b']\n", "phrases.main-body: has no phrase data"),
    ("[phrases.menus]\nx = ['a b']\n", "phrases.menus: is no detector"),
    ("skip = [\n", "invalid TOML"),
    ("only = []\n", "only: expected at least one detector name"),
]


@pytest.mark.parametrize(("text", "message"), BAD, ids=[b[1][:30] for b in BAD])
def test_bad_values_are_one_line_errors_naming_file_and_key(tmp_path, text, message):
    path = write(tmp_path / "cleaner.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_unreadable_files_are_config_errors(tmp_path):
    write(tmp_path / "cleaner.toml", "")
    (tmp_path / "bytes.toml").write_bytes(b"favor = '\xff'\n")
    (tmp_path / "dir.toml").mkdir()
    for name, fragment in (("bytes.toml", "UTF-8"), ("dir.toml", "is a directory")):
        with pytest.raises(ConfigError, match=fragment):
            load_config(tmp_path / name)
    assert load_config(tmp_path / "cleaner.toml") == Options()


def test_config_checks_values_given_in_python_too():
    with pytest.raises(ConfigError, match="unknown detector"):
        Options(skip=("nope",))
    with pytest.raises(ConfigError, match="thresholds.prose-base: expected a number"):
        Options(thresholds={"prose_base": "x"})
    assert parse_config({}) == Options()


def test_overrides_replace_only_what_is_given():
    config = Options(favor="precision", skip=("job-ads",))
    expected = Options(favor="precision", skip=("job-ads",), keep_title=False)
    assert config.override(favor=None, keep_title=False) == expected
    assert config.override(skip=()).skip == ()


# --- detector selection ------------------------------------------------------------------------


def test_only_and_skip_choose_detectors_in_pipeline_order():
    names = [d.name for d in default_detectors(only=["teasers", "cookies", "main-body"])]
    assert names == ["cookies", "main-body", "teasers"]
    assert "main-body" not in [d.name for d in default_detectors(skip=["main-body"])]
    assert detector_names()[-1] == "site-repetition"
    assert removed(clean_text(PAGE, skip="navigation")) == removed(clean_text(PAGE, skip=["navigation"]))
    with pytest.raises(ValueError, match="unknown detector 'nope'"):
        default_detectors(skip=["nope"])


def test_skipping_main_body_leaves_only_specific_cuts():
    result = clean_text(PAGE, skip=["main-body"])
    assert "main-body" not in removed(result).values()
    assert removed(result)[1] == "navigation" and removed(result)[22] == "footer"
    assert PARAGRAPHS[0] in result.text and result.rebuild() == PAGE


def test_skipping_a_detector_hands_its_lines_to_the_next_reason():
    assert removed(clean_text(PAGE))[22] == "footer"
    assert removed(clean_text(PAGE, options=Options(skip=("footer",))))[22] == "main-body"


def test_skip_site_repetition_learns_nothing(tmp_path):
    site = FIXTURES / "site-repetition" / "harbour-courier"
    assert clean_paths([site], tmp_path / "a").sites
    summary = clean_paths([site], tmp_path / "b", options=Options(skip=("site-repetition",)))
    assert summary.sites == {} and "site-repetition" not in summary.removals


# --- thresholds --------------------------------------------------------------------------------


def test_favor_preset_first_then_explicit_thresholds():
    config = Options(favor="precision", thresholds={"short_penalty": 4.0})
    body = next(d for d in pipeline_for(options=config) if isinstance(d, MainBodyDetector))
    precision = BodyThresholds.favoring("precision")
    assert body.thresholds == dataclasses.replace(precision, short_penalty=4.0)
    assert body.thresholds.prose_base == precision.prose_base != BodyThresholds().prose_base


def test_a_threshold_changes_the_output():
    framed = "Tide times\nOpinion\n\n" + PAGE + "\nTide times and weather for the week ahead\n"
    assert {"BODY1", "BODY2"} <= {span.rule for span in clean_text(framed).removed}
    # With prose worth nothing no stretch scores above zero: the locator finds no article, so
    # the learned model decides the page alone (MODEL3) and no BODY rule cuts anything.
    flat = clean_text(framed, options=Options(thresholds={"prose_base": 0, "prose_cap": 0}))
    rules = {span.rule for span in flat.removed}
    assert not {"BODY1", "BODY2"} & rules and "MODEL3" in rules


# --- user phrases ------------------------------------------------------------------------------

PHRASES = Options(
    phrases={"signup": {"newsletter": ("Get our daily digest",)}, "captions": {"agency": ("Harbour Photo Desk",)}}
)


def test_user_phrases_remove_lines_the_shipped_data_misses():
    plain = removed(clean_text(PAGE))
    assert CREDIT not in plain and PROMPT not in plain
    configured = removed(clean_text(PAGE, options=PHRASES))
    assert configured[PROMPT] == "signup" and configured[CREDIT] == "captions"


def test_phrases_of_one_run_never_leak_into_the_next():
    # Alternate: each run must see exactly its own phrases, including the captions patterns
    # that captions.py compiles from its book (PhraseBook.derived).
    only_signup = Options(phrases={"signup": {"newsletter": ("get our daily digest",)}})
    for _ in range(2):
        assert {CREDIT, PROMPT} <= set(removed(clean_text(PAGE, options=PHRASES)))
        assert not {CREDIT, PROMPT} & set(removed(clean_text(PAGE)))
        both = removed(clean_text(PAGE, options=only_signup))
        assert PROMPT in both and CREDIT not in both


def test_a_config_carries_the_phrase_book_of_its_phrases():
    patterns = BUILT_IN.patterns("signup", "newsletter")
    assert not matches("Get our daily digest", patterns)
    config = Options(phrases={"signup": {"newsletter": ["get our * digest"]}})
    book = config.phrase_book
    assert matches("Get our weekly digest", book.patterns("signup", "newsletter"))
    assert book.section("social", "network") == BUILT_IN.section("social", "network")  # other detectors untouched
    assert BUILT_IN.patterns("signup", "newsletter") == patterns  # the built-in book unchanged
    assert Options().phrase_book is BUILT_IN
    # Remade (as every call does with its options), the config keeps the same book and what it compiled.
    assert config.override(favor="recall").phrase_book is book
    assert config == Options(phrases={"signup": {"newsletter": ["get our * digest"]}})  # not part of equality


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_folder_run_uses_its_phrases_and_leaves_none_behind(tmp_path, jobs: int):
    # With workers, the config's phrase book travels to them as its phrases (PhraseBook.__reduce__).
    for name in ("a.txt", "b.txt"):
        write(tmp_path / "in" / name, PAGE)
    summary = clean_paths([tmp_path / "in"], tmp_path / "out", options=PHRASES, jobs=jobs)
    for outcome in summary.outcomes:
        assert {PROMPT: "signup", CREDIT: "captions"}.items() <= removed(outcome.result).items()
    assert not {CREDIT, PROMPT} & set(removed(clean_text(PAGE)))


def test_user_phrases_reach_explain_and_html_pages():
    from cleaner import clean_html, explain_line

    assert explain_line(PAGE, PROMPT, options=PHRASES).decided_by.detector == "signup"
    assert explain_line(PAGE, PROMPT).decided_by is None or explain_line(PAGE, PROMPT).decided_by.detector != "signup"
    html = "<html><body>" + "".join(f"<p>{block}</p>" for block in PAGE.split("\n\n")) + "</body></html>"
    plain = clean_html(html, skip=("html-extractor",))
    configured = clean_html(html, skip=("html-extractor",), options=PHRASES)
    assert "Get our daily digest" in plain.text and "Get our daily digest" not in configured.text


def test_settings_hash_follows_what_changes_the_output_and_nothing_else(tmp_path, monkeypatch):
    from cleaner import options as options_module

    # A fixed model version: the constant below then checks the hashing, not which model ships.
    monkeypatch.setattr(options_module, "shipped_version", lambda: "content-fixed")
    monkeypatch.setattr(options_module, "html_model_version", lambda ensemble: f"content-html-fixed-{ensemble}")
    base = settings_hash(Options())
    assert base == settings_hash(Options()) and base.startswith("sha256:") and len(base) == len("sha256:") + 16
    changed = [
        Options(favor="precision"), Options(keep_title=False), Options(site_repetition=False),
        Options(skip=("job-ads",)),
        Options(only=("main-body",)), Options(thresholds={"short_penalty": 1.2}), Options(encoding="latin-1"),
        Options(phrases={"signup": {"newsletter": ("get our digest",)}}),
        *(Options(engine=engine) for engine in ENGINES if engine != DEFAULT_ENGINE),
    ]
    hashes = [settings_hash(config) for config in changed]
    assert base not in hashes and len(set(hashes)) == len(hashes)
    # Was sha256:f36accb60601dd92 before the model's version joined the hashed settings (the model shipped),
    # sha256:db0ac3e3cea622fd before the HTML engine did.
    assert base == "sha256:a8244ba1b05b833c"
    assert settings_hash(Options(encoding="latin1")) == settings_hash(Options(encoding="ISO-8859-1"))  # one codec
    same = [
        Options(max_bytes=5 << 20), Options(source=tmp_path / "cleaner.toml"),  # which inputs fail, where from
        Options(timeout=30.0, jobs=4, skip_existing=True),  # how a run goes, not what a page becomes
        Options(thresholds={}), Options(skip=()),
    ]
    assert {settings_hash(config) for config in same} == {base}
    assert settings_hash(Options(skip=("job-ads", "footer"))) == settings_hash(Options(skip=("footer", "job-ads")))
    assert settings_hash(Options(thresholds={"short_penalty": 2})) == settings_hash(
        Options(thresholds={"short_penalty": 2.0}))

"""benchmarks/html_engines.py on three made pages: the engine table, skipping a missing peer, scoring."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import FIXTURES, ROOT, SHARED

SCORE = SHARED / "dev-sets" / "score.py"
ARTICLE = (
    "Crews on the island ferry service have voted by a large majority to walk out next month, after talks over "
    "new shift patterns broke down on Friday evening without an agreement."
)


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("html_engines", ROOT / "benchmarks" / "html_engines.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture()
def engines() -> ModuleType:
    return _benchmark()


@pytest.fixture()
def shared(tmp_path: Path) -> Path:
    """A stand-in for ../shared: the sets' real score.py, and a "scrapinghub" set of three pages."""
    if not SCORE.is_file():
        pytest.skip("needs ../shared/dev-sets/score.py (the sets' metric)")
    (tmp_path / "dev-sets").mkdir()
    shutil.copy(SCORE, tmp_path / "dev-sets" / "score.py")
    html = tmp_path / "bench-data" / "html"
    html.mkdir(parents=True)
    shutil.copy(FIXTURES / "html" / "harbour_article.html", html / "a.html")
    legacy = f"<html><head><meta charset='windows-1252'><title>Caf\xe9</title></head><body><p>{ARTICLE} Caf\xe9.</p>"
    (html / "b.html").write_bytes(legacy.encode("cp1252"))
    (html / "c.html").write_bytes(b"\x00\x01\x02" * 50)  # no usable text: every engine gets nothing
    gold = {"a": ARTICLE, "b": f"{ARTICLE} Caf\xe9.", "c": "Some text no engine can find here at all."}
    (tmp_path / "bench-data" / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    return tmp_path


def test_the_engine_table_names_every_engine_once_with_a_callable(engines: ModuleType):
    assert {"trafilatura", "readability", "resiliparse", "clean-model", "clean-trafilatura", "clean-ensemble"} <= set(
        engines.ENGINES
    )
    assert all(name == engine.name and callable(engine.run) for name, engine in engines.ENGINES.items())
    assert engines.REFERENCE in engines.ENGINES


def test_a_peer_whose_package_is_missing_is_skipped_with_a_word(engines: ModuleType):
    absent = engines.Engine("absent", engines.trafilatura_alone, "no_such_module_here", "no-such-package")
    engines.ENGINES["absent"] = absent
    found, skipped = engines.available(["trafilatura", "absent"])
    assert [engine.name for engine in found] == ["trafilatura"]
    assert skipped == [
        'absent: skipped (no-such-package is not installed; the README says how: pip install -e ".[bench]")'
    ]


def test_a_run_scores_every_gold_page_with_the_sets_metric(engines: ModuleType, shared: Path, capsys):
    engines.ENGINES.pop("trafilatura-nocomments")
    for peer in ("readability", "resiliparse"):  # as on a machine without the bench extra
        engines.ENGINES[peer] = engines.Engine(peer, engines.trafilatura_alone, "no_such_module_here", peer)
    assert engines.main(["--sets", "scrapinghub", "--shared", str(shared)]) == 0
    printed = capsys.readouterr().out
    assert "readability: skipped" in printed and "resiliparse: skipped" in printed
    rows: dict[str, list[str]] = {}
    for line in printed.splitlines():  # the F1 table's rows come before the precision/recall table's
        if line.startswith(("| trafilatura", "| clean")):
            rows.setdefault(line.split(" | ")[0].strip("| "), line.split(" | "))
    assert set(rows) == {"trafilatura", "clean-model", "clean-trafilatura", "clean-ensemble"}
    assert rows["trafilatura"][5] == "1.00x"  # the reference's own ratio
    for engine in ("clean-model", "clean-trafilatura", "clean-ensemble"):
        assert rows[engine][-1].strip(" |") == "1"  # the undecodable page, counted as failed
    assert "3 pages" in printed


def test_the_first_engine_of_a_page_rotates_and_a_failure_is_an_empty_output(engines: ModuleType, shared: Path):
    def broken(page: object) -> str:
        raise RuntimeError("peer bug")

    seen: list[str] = []
    table = [engines.Engine(name, lambda page, name=name: seen.append(name) or name) for name in ("x", "y")]
    page = shared / "bench-data" / "html" / "b.html"
    engines.run_page(table, page, 1)
    assert seen == ["y", "x"]
    outputs = engines.run_page([engines.Engine("z", broken)], page, 0)
    assert outputs["z"].text == "" and outputs["z"].failed


def test_scores_count_a_page_without_output_as_empty(engines: ModuleType, shared: Path):
    score = engines.dev_scorer(shared)
    pages = engines.set_pages(shared, "scrapinghub", None)
    outputs = {"a": {"e": engines.Output(ARTICLE, 0.01, 0.01)}}  # b and c never ran
    rows = engines.tally(score, [engines.Engine("e", engines.trafilatura_alone)], [pages], {"scrapinghub": outputs})
    metrics = rows["e"].scores["scrapinghub"]
    assert metrics["pages"] == 3 and metrics["precision"] == 1.0
    assert metrics["recall"] == pytest.approx(1 / 3)

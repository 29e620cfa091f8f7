"""The training command (cleaner.training.train): the text model and the two HTML models, small and readable."""

from __future__ import annotations

import numpy as np
import pytest

from cleaner.detectors.forest import COLUMNS, ENSEMBLE_COLUMNS, HTML_COLUMNS, Forest
from cleaner.training import train
from cleaner.training.dataset import SET_NAMES, PageRows

pytest.importorskip("lightgbm")


def fake_rows(width: int) -> list[PageRows]:
    """Two small pages per dev set: a content column (0) the labels follow, noise in the rest."""
    rng = np.random.default_rng(3)
    rows = []
    for name in SET_NAMES:
        for page in range(2):
            x = rng.random((60, width)).astype(np.float32)
            y = (x[:, 0] > 0.5).astype(np.float32)
            rows.append(PageRows(name, f"p{page}", "html", list(range(1, 61)), x, y, np.ones(60, dtype=np.float32)))
    return rows


@pytest.mark.parametrize(("flags", "columns", "prefix"), [
    (["--html"], HTML_COLUMNS, "content-html-"),
    (["--html", "--ensemble"], ENSEMBLE_COLUMNS, "content-html-trafilatura-"),
])
def test_the_html_models_are_written_for_their_columns_and_read_back(tmp_path, monkeypatch, flags, columns, prefix):
    asked = []

    def rows(shared, ensemble):
        asked.append(ensemble)
        return fake_rows(len(columns))

    monkeypatch.setattr(train, "html_rows", rows)
    out = tmp_path / "model.json"
    common = [*flags, "--out", str(out), "--rounds", "3", "--shared", str(tmp_path)]
    train.main(common)
    forest = Forest.load(out)
    assert asked == ["--ensemble" in flags] and forest.features == columns and forest.model_version.startswith(prefix)
    assert forest.training["params"]["min_data_in_leaf"] == train.HTML_MIN_DATA_IN_LEAF and len(forest) == 3
    first = out.read_bytes()
    train.main(common)
    assert out.read_bytes() == first  # fixed seed, one thread: the same bytes every run
    train.main([*common, "--min-data-in-leaf", "20"])
    assert Forest.load(out).training["params"]["min_data_in_leaf"] == 20  # an explicit leaf size still wins


def test_the_text_model_keeps_its_columns_and_leaves(tmp_path, monkeypatch):
    monkeypatch.setattr(train, "load_rows", lambda shared, kinds: fake_rows(len(COLUMNS)))
    out = tmp_path / "model.json"
    train.main(["--out", str(out), "--rounds", "2", "--shared", str(tmp_path)])
    forest = Forest.load(out, COLUMNS)
    assert forest.model_version.startswith("content-") and not forest.model_version.startswith("content-html")
    assert forest.training["params"]["min_data_in_leaf"] == 50


def test_ensemble_needs_html(capsys):
    with pytest.raises(SystemExit):
        train.main(["--ensemble"])
    assert "--html" in capsys.readouterr().err

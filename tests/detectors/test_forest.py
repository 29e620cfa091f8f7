"""The content model read from its file with numpy alone (cleaner.detectors.forest), against LightGBM itself."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import seed_files

from cleaner.detectors.claims import claim_features
from cleaner.detectors.content_model import ContentModelDetector
from cleaner.detectors.forest import (
    BIAS,
    COLUMN_SETS,
    COLUMNS,
    ENSEMBLE_COLUMNS,
    FORMAT_VERSION,
    HTML_COLUMNS,
    Forest,
    ModelFileError,
)
from cleaner.pipeline import clean_page
from cleaner.text.features import line_features
from cleaner.text.page import Page
from cleaner.training.export import export_booster

lightgbm = pytest.importorskip("lightgbm")  # the test extra has it; cleaning never needs it

NAMES = [f"f{i}" for i in range(6)]


def random_rows(rng: np.random.Generator, n: int, width: int = 6) -> np.ndarray:
    """Normal values with NaNs and exact zeros sprinkled in: every missing-value path gets taken."""
    rows = rng.normal(size=(n, width))
    rows[rng.random(rows.shape) < 0.15] = np.nan
    rows[rng.random(rows.shape) < 0.15] = 0.0
    return rows


def tiny_booster(rows: np.ndarray, labels: np.ndarray, **params: object) -> object:
    base = {"objective": "binary", "verbose": -1, "num_leaves": 7, "min_data_in_leaf": 5, "num_threads": 1, "seed": 3}
    return lightgbm.train({**base, **params}, lightgbm.Dataset(rows, labels), 20)


def labels_of(rows: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    clean = np.nan_to_num(rows)
    return ((clean[:, 0] + 0.7 * clean[:, 1] - 0.5 * clean[:, 2] + rng.normal(0, 0.5, len(rows))) > 0).astype(float)


def exported(booster: object, tmp_path: Path, names: list[str] | tuple[str, ...] = NAMES) -> Forest:
    path = tmp_path / "model.json"
    export_booster(booster, path, names, {"seed": 3, "rounds": 20})
    return Forest.load(path, names)


# Each of LightGBM's three missing-value treatments: NaN as missing, zero as missing, none.
MISSING = [{}, {"zero_as_missing": True}, {"use_missing": False}]


@pytest.mark.parametrize("params", MISSING, ids=["nan", "zero", "none"])
def test_predict_equals_lightgbm_on_random_rows_with_nan_and_zeros(tmp_path, params):
    rng = np.random.default_rng(1)
    train = random_rows(rng, 400)
    booster = tiny_booster(train, labels_of(train, rng), **params)
    forest = exported(booster, tmp_path)
    test = random_rows(rng, 500)
    assert len(forest) == 20
    assert np.abs(forest.predict(test) - booster.predict(test)).max() < 1e-6
    assert np.abs(forest.raw(test) - booster.predict(test, raw_score=True)).max() < 1e-6


def seed_rows() -> np.ndarray:
    """Feature rows of real pages (the seed dumps): the columns the package's model reads."""
    blocks = []
    for path in seed_files()[:4]:
        page = Page(path.read_text(encoding="utf-8"), path.stem)
        lines, features = line_features(page)
        if lines:
            blocks.append(np.hstack([features, claim_features(page, lines)]))
    return np.vstack(blocks)


def test_predict_equals_lightgbm_on_page_like_rows(tmp_path):
    rows = seed_rows()
    rng = np.random.default_rng(2)
    labels = (rows[:, 0] > np.median(rows[:, 0])) ^ (rng.random(len(rows)) < 0.2)
    booster = tiny_booster(rows, labels.astype(float))
    forest = exported(booster, tmp_path, COLUMNS)
    assert np.abs(forest.predict(rows) - booster.predict(rows)).max() < 1e-6
    assert np.abs(forest.predict(rows.astype(np.float32)) - booster.predict(rows.astype(np.float32))).max() < 1e-6


def test_single_leaf_trees_give_the_starting_score(tmp_path):
    rng = np.random.default_rng(4)
    train = random_rows(rng, 50)
    booster = tiny_booster(train, labels_of(train, rng), min_data_in_leaf=40)  # too few rows to split
    forest = exported(booster, tmp_path)
    test = random_rows(rng, 10)
    assert np.abs(forest.predict(test) - booster.predict(test)).max() < 1e-6


def test_contributions_sum_to_the_raw_score(tmp_path):
    rng = np.random.default_rng(5)
    train = random_rows(rng, 400)
    forest = exported(tiny_booster(train, labels_of(train, rng)), tmp_path)
    for row in random_rows(rng, 30):
        parts = forest.contributions(row)
        assert BIAS in parts and set(parts) <= {*NAMES, BIAS}
        assert sum(parts.values()) == pytest.approx(float(forest.raw(row)[0]), abs=1e-9)


def test_contributions_credit_the_features_the_label_depends_on(tmp_path):
    rng = np.random.default_rng(6)
    train = random_rows(rng, 400)
    forest = exported(tiny_booster(train, labels_of(train, rng)), tmp_path)
    row = np.array([2.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    parts = forest.contributions(row)
    assert max(parts.items(), key=lambda item: abs(item[1]) if item[0] != BIAS else 0)[0] == "f0"
    assert parts["f0"] > 0


def test_bias_is_the_roots_value_the_same_for_every_row(tmp_path):
    rng = np.random.default_rng(7)
    train = random_rows(rng, 400)
    forest = exported(tiny_booster(train, labels_of(train, rng)), tmp_path)
    first, second = random_rows(rng, 2)
    assert forest.contributions(first)[BIAS] == forest.contributions(second)[BIAS]


def write(tmp_path: Path, **changes: object) -> Path:
    rng = np.random.default_rng(8)
    train = random_rows(rng, 200)
    path = tmp_path / "model.json"
    content = export_booster(tiny_booster(train, labels_of(train, rng)), path, NAMES, {})
    path.write_text(json.dumps({**content, **changes}), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"features": [*NAMES[:-1], "other"]}, "features are not"),
        ({"features": NAMES[::-1]}, "features are not"),
        ({"format_version": FORMAT_VERSION + 1}, "format version"),
        ({"format": "something-else"}, "not a cleaner forest"),
    ],
)
def test_a_model_file_for_other_features_or_another_format_is_refused_in_one_line(tmp_path, changes, message):
    path = write(tmp_path, **changes)
    with pytest.raises(ModelFileError, match=message) as caught:
        Forest.load(path, NAMES)
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)


def test_a_file_that_is_not_json_is_refused_in_one_line(tmp_path):
    path = tmp_path / "model.json"
    path.write_text("not json", encoding="utf-8")
    with pytest.raises(ModelFileError, match="cannot read") as caught:
        Forest.load(path, NAMES)
    assert "\n" not in str(caught.value)
    with pytest.raises(ModelFileError, match="cannot read"):
        Forest.load(tmp_path / "missing.json", NAMES)


def test_the_package_columns_are_checked_by_default(tmp_path):
    with pytest.raises(ModelFileError, match="features are not"):
        Forest.load(write(tmp_path), )


def test_rows_of_the_wrong_width_are_refused(tmp_path):
    forest = Forest.load(write(tmp_path), NAMES)
    with pytest.raises(ValueError, match="features"):
        forest.predict(np.zeros((3, 5)))


def test_the_forest_is_a_predictor_for_the_content_model_detector(tmp_path):
    rows = seed_rows()
    booster = tiny_booster(rows, (rows[:, 0] > np.median(rows[:, 0])).astype(float))
    forest = exported(booster, tmp_path, COLUMNS)
    text = seed_files()[0].read_text(encoding="utf-8")
    result = clean_page(Page(text, "seed"), [ContentModelDetector(forest.predict)])
    assert result.text or result.removed


def test_deep_trees_walk_to_the_same_leaves_as_lightgbm(tmp_path):
    rng = np.random.default_rng(9)
    train = random_rows(rng, 600)
    labels = (rng.random(600) < 0.5).astype(float)  # noise: leaf-wise growth goes deep chasing it
    booster = tiny_booster(train, labels, num_leaves=31, min_data_in_leaf=2, min_sum_hessian_in_leaf=0)
    forest = exported(booster, tmp_path)
    assert forest.depth > 12  # past the levels where the walk drops finished pairs
    test = random_rows(rng, 300)
    assert np.abs(forest.predict(test) - booster.predict(test)).max() < 1e-6
    assert np.abs(forest.predict(np.nan_to_num(test)) - booster.predict(np.nan_to_num(test))).max() < 1e-6


def test_any_known_column_set_loads_by_default_and_others_are_named(tmp_path):
    rows = np.random.default_rng(5).normal(size=(200, len(HTML_COLUMNS)))
    booster = tiny_booster(rows, (rows[:, 0] > 0).astype(float))
    path = tmp_path / "model.json"
    export_booster(booster, path, HTML_COLUMNS, {})
    assert Forest.load(path).features == HTML_COLUMNS  # html: one of COLUMN_SETS
    with pytest.raises(ModelFileError, match="features are not this cleaner's"):
        Forest.load(path, COLUMNS)  # asked for the text model's: refused
    names = [*HTML_COLUMNS[:-1], "other"]
    export_booster(booster, path, names, {})
    with pytest.raises(ModelFileError, match="not any of this cleaner's column sets") as caught:
        Forest.load(path)
    assert "\n" not in str(caught.value) and "differ: other, dom_main_container" in str(caught.value)
    assert set(COLUMN_SETS) == {"text", "html", "html+trafilatura"}
    assert ENSEMBLE_COLUMNS[: len(HTML_COLUMNS)] == HTML_COLUMNS and HTML_COLUMNS[: len(COLUMNS)] == COLUMNS

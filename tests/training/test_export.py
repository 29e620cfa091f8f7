"""A LightGBM booster written as the package's model file (cleaner.training.export, cleaner.training.train)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cleaner.training.dataset import COLUMNS, PageRows
from cleaner.training.export import FORMAT_VERSION, booster_to_dict, export_booster
from cleaner.training.train import summary

lightgbm = pytest.importorskip("lightgbm")

NAMES = [f"f{i}" for i in range(6)]


def booster(n: int = 300, rounds: int = 20, width: int = 6, **params: object) -> object:
    rng = np.random.default_rng(0)
    rows = rng.normal(size=(n, width))
    rows[rng.random(rows.shape) < 0.1] = np.nan
    labels = (np.nan_to_num(rows[:, 0]) + rng.normal(0, 0.5, n) > 0).astype(float)
    base = {"objective": "binary", "verbose": -1, "num_leaves": 7, "min_data_in_leaf": 5, "num_threads": 1, "seed": 1}
    return lightgbm.train({**base, **params}, lightgbm.Dataset(rows, labels), rounds)


def test_the_file_holds_versions_features_training_and_flat_trees(tmp_path):
    path = tmp_path / "model.json"
    training = {"sets": ["a"], "pages": 3, "lines": 300, "seed": 1, "rounds": 20}
    export_booster(booster(), path, NAMES, training, "content-test")
    content = json.loads(path.read_text(encoding="utf-8"))
    assert content["format_version"] == FORMAT_VERSION and content["model_version"] == "content-test"
    assert content["features"] == NAMES and content["training"] == training
    assert content["base_score"] == 0.0 and content["decision_type"] == "<="
    assert len(content["trees"]) == 20
    for tree in content["trees"]:
        sizes = {len(values) for values in tree.values()}
        assert len(sizes) == 1  # one entry per node in every array
        leaves = [i for i, feature in enumerate(tree["feature"]) if feature < 0]
        assert len(leaves) == (len(tree["feature"]) + 1) // 2  # a binary tree: one more leaf than splits
        assert all(tree["left"][i] == tree["right"][i] == -1 for i in leaves)
        inner = [i for i, feature in enumerate(tree["feature"]) if feature >= 0]
        assert all(i < tree["left"][i] < tree["right"][i] for i in inner)  # pre-order


def test_the_model_version_defaults_to_a_hash_of_the_trees():
    first, second = booster_to_dict(booster(), NAMES, {}), booster_to_dict(booster(), NAMES, {})
    assert first["model_version"] == second["model_version"] and first["model_version"].startswith("content-")
    assert booster_to_dict(booster(rounds=10), NAMES, {})["model_version"] != first["model_version"]


@pytest.mark.parametrize(("params", "code"), [({}, 2), ({"zero_as_missing": True}, 1), ({"use_missing": False}, 0)])
def test_lightgbms_missing_value_treatment_is_kept(params, code):
    trees = booster_to_dict(booster(**params), NAMES, {})["trees"]
    assert {code} == {m for tree in trees for m, f in zip(tree["missing"], tree["feature"], strict=True) if f >= 0}


def test_the_feature_count_must_match():
    with pytest.raises(ValueError, match="features"):
        booster_to_dict(booster(), NAMES[:-1], {})


def test_categorical_splits_are_refused():
    rng = np.random.default_rng(0)
    rows = rng.integers(0, 5, size=(300, 2)).astype(float)
    labels = (rows[:, 0] % 2 == 0).astype(float)
    data = lightgbm.Dataset(rows, labels, categorical_feature=[0])
    found = lightgbm.train({"objective": "binary", "verbose": -1, "min_data_in_leaf": 5, "min_data_per_group": 5,
                            "cat_smooth": 1, "num_threads": 1}, data, 3)
    with pytest.raises(ValueError, match="numerical"):
        booster_to_dict(found, ["a", "b"], {})


def test_200_trees_of_31_leaves_make_a_file_under_2_mb(tmp_path):
    path = tmp_path / "model.json"
    big = booster(n=1000, rounds=200, width=len(COLUMNS), num_leaves=31, min_data_in_leaf=2, max_bin=63)
    content = export_booster(big, path, COLUMNS, {})
    assert len(content["trees"]) == 200
    assert sum((len(tree["feature"]) + 1) // 2 for tree in content["trees"]) > 150 * 31  # nearly all full
    assert path.stat().st_size < 2_000_000


def test_the_training_summary_counts_pages_and_lines():
    def rows(set_name: str, kind: str, labels: list[float]) -> PageRows:
        y = np.array(labels, dtype=np.float32)
        return PageRows(set_name, "p", kind, list(range(len(y))), np.zeros((len(y), 2)), y, np.ones_like(y))

    found = summary([rows("b", "dump_ht", [1, 0, 1]), rows("a", "dump_in", [0, 0])], seed=7, rounds=200)
    assert found == {"sets": ["a", "b"], "kinds": ["dump_ht", "dump_in"], "pages": 2, "lines": 5,
                     "content_lines": 2, "seed": 7, "rounds": 200}
    shaped = summary([rows("a", "dump_ht", [1])], seed=7, rounds=60, params={"num_leaves": 15, "num_threads": 1})
    assert shaped["params"] == {"num_leaves": 15}  # the shape is in the file; the threads are not


def test_the_forest_checks_the_same_columns_the_rows_are_made_of():
    from cleaner.detectors.forest import COLUMNS as FOREST_COLUMNS

    assert FOREST_COLUMNS == COLUMNS  # the detectors layer cannot import the training one: two names, one tuple

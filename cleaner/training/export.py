"""A fitted LightGBM booster as a small JSON file the package reads with numpy alone (:mod:`cleaner.detectors.forest`).

Cleaning must not need LightGBM (it is the ``train`` extra), and a pickle would tie the file to
one LightGBM version and run code on load. So the trees are written out as flat arrays, one
entry per node in pre-order (a node's left subtree right after it):

``feature``     split feature index, -1 for a leaf
``threshold``   go left when ``value <= threshold`` (LightGBM's numerical ``<=`` split)
``left``/``right``  child node indices within the tree, -1 for a leaf
``value``       the leaf's output, or an internal node's value (LightGBM's ``internal_value``,
                what the tree would say stopping there: the path attribution needs it)
``default_left``  where a missing value goes
``missing``     0 none (NaN is read as 0.0), 1 zero (0.0 and NaN take the default side),
                2 NaN (NaN takes the default side) -- LightGBM's three ``missing_type``\\ s

plus the feature names (:data:`cleaner.training.dataset.COLUMNS`), :data:`FORMAT_VERSION`, a
model version, what it was trained on, and a base score added to the trees' sum (0.0 for
LightGBM, which folds its starting score into the first tree).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cleaner.detectors.forest import FORMAT_VERSION, MISSING_TYPES

__all__ = ["FORMAT_VERSION", "booster_to_dict", "export_booster"]


def _flatten(root: dict[str, Any]) -> dict[str, list]:
    """The tree under ``root`` (LightGBM ``dump_model`` form) as flat pre-order arrays."""
    tree: dict[str, list] = {key: [] for key in ("feature", "threshold", "left", "right", "value",
                                                 "default_left", "missing")}

    def visit(node: dict[str, Any]) -> int:
        index = len(tree["feature"])
        for key in tree:
            tree[key].append(None)
        if "leaf_value" in node:
            tree["feature"][index], tree["threshold"][index] = -1, 0.0
            tree["left"][index] = tree["right"][index] = -1
            tree["value"][index], tree["default_left"][index], tree["missing"][index] = node["leaf_value"], True, 0
            return index
        if node["decision_type"] != "<=":
            raise ValueError(f"export: only numerical '<=' splits, not {node['decision_type']!r}")
        tree["feature"][index], tree["threshold"][index] = node["split_feature"], node["threshold"]
        tree["value"][index], tree["default_left"][index] = node["internal_value"], node["default_left"]
        tree["missing"][index] = MISSING_TYPES.index(node["missing_type"])
        tree["left"][index] = visit(node["left_child"])
        tree["right"][index] = visit(node["right_child"])
        return index

    visit(root)
    return tree


def booster_to_dict(booster: Any, columns: Sequence[str], training: dict[str, Any],
                    model_version: str | None = None, prefix: str = "content") -> dict[str, Any]:
    """The file's content for a LightGBM ``booster`` (binary objective) fitted on ``columns``.

    ``training`` summarises the data (sets, pages, lines, seed, rounds). Without a
    ``model_version`` it is ``prefix``, a dash and a hash of the trees: the same fit, the same name
    (``content-``: the text model; ``content-html-``, ``content-html-trafilatura-``: the HTML models).
    """
    dump = booster.dump_model()
    if not str(dump.get("objective", "")).startswith("binary") or dump.get("num_tree_per_iteration", 1) != 1:
        raise ValueError(f"export: a binary booster only, not {dump.get('objective')!r}")
    if dump["max_feature_idx"] + 1 != len(columns):
        raise ValueError(f"export: the booster has {dump['max_feature_idx'] + 1} features, not {len(columns)}")
    trees = [_flatten(info["tree_structure"]) for info in dump["tree_info"]]
    if model_version is None:
        digest = hashlib.sha256(json.dumps(trees, sort_keys=True).encode()).hexdigest()
        model_version = f"{prefix}-{digest[:12]}"
    sigmoid = str(dump["objective"]).partition("sigmoid:")[2] or "1"
    return {
        "format": "cleaner-forest", "format_version": FORMAT_VERSION, "model_version": model_version,
        "features": list(columns), "decision_type": "<=", "base_score": 0.0, "sigmoid": float(sigmoid),
        "training": training, "trees": trees,
    }


def export_booster(booster: Any, path: Path, columns: Sequence[str], training: dict[str, Any],
                   model_version: str | None = None, prefix: str = "content") -> dict[str, Any]:
    """Write the booster to ``path`` (compact JSON: the numbers make up the file); returns what was written."""
    content = booster_to_dict(booster, columns, training, model_version, prefix)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content, separators=(",", ":")), encoding="utf-8")
    return content

"""The learned content model read from its file and run with numpy alone: P(content) per line, and why.

The file (written by :mod:`cleaner.training.export`) holds a LightGBM forest as flat arrays.
:class:`Forest` puts every tree's nodes in one set of arrays, leaves pointing at themselves, so
all (row, tree) pairs walk down together one level per step: a page's lines cost a few dozen
numpy operations, not a Python loop per tree. Missing values go where LightGBM sends them, so
:meth:`Forest.predict` equals the booster's own ``predict`` (to float rounding).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cleaner.detectors.claims import CLAIM_NAMES
from cleaner.text.dom import DOM_NAMES
from cleaner.text.extracted import EXTRACTOR_COLUMNS
from cleaner.text.features import FEATURE_NAMES

__all__ = [
    "BIAS", "COLUMNS", "COLUMN_SETS", "ENSEMBLE_COLUMNS", "FORMAT_VERSION", "HTML_COLUMNS", "MISSING_TYPES", "Forest",
    "ModelFileError",
]

FORMAT_VERSION = 1
COLUMNS: tuple[str, ...] = (*FEATURE_NAMES, *CLAIM_NAMES)  # the same as cleaner.training.dataset.COLUMNS
HTML_COLUMNS: tuple[str, ...] = (*COLUMNS, *DOM_NAMES)  # the HTML model's: the text's, then the markup's evidence
ENSEMBLE_COLUMNS: tuple[str, ...] = (*HTML_COLUMNS, *EXTRACTOR_COLUMNS)  # and trafilatura's decision (issue 15)
# The column sets a model file may be made for, by name: the detectors build the rows of each
# (cleaner.detectors.content_model.model_rows); any other list of features is refused on load.
COLUMN_SETS: dict[str, tuple[str, ...]] = {"text": COLUMNS, "html": HTML_COLUMNS, "html+trafilatura": ENSEMBLE_COLUMNS}
MISSING_TYPES = ("None", "Zero", "NaN")  # LightGBM's names, in the file as 0, 1, 2
BIAS = "(bias)"  # the contributions' key for the trees' value before any split
_COMPACT_AT = (8, 12)  # levels where finished pairs are dropped (half the leaves are 7 deep or less; measured)
_ZERO = 1e-35  # LightGBM's kZeroThreshold: what counts as 0.0 for a "Zero" missing type


class ModelFileError(ValueError):
    """The model file cannot be used: not a forest, another format version, or other features."""


@dataclass(frozen=True)
class _Nodes:
    """Every tree's nodes, one array per field; children are indices into these same arrays."""

    feature: np.ndarray  # int, 0 at leaves (read, then ignored: a leaf's children are itself)
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    default_left: np.ndarray
    missing: np.ndarray
    split_feature: np.ndarray  # int, -1 at leaves: what the attribution credits
    child: np.ndarray  # left and right interleaved: node i's are at 2i and 2i + 1
    nan_right: np.ndarray  # where NaN goes: LightGBM reads it as 0.0 unless NaN is the missing value
    zero_default: np.ndarray  # 0.0 takes the default side ("Zero" missing type)


def _check(content: Any, path: Path, columns: Sequence[str] | None) -> None:
    if not isinstance(content, dict) or content.get("format") != "cleaner-forest":
        raise ModelFileError(f"{path}: not a cleaner forest model file")
    if content.get("format_version") != FORMAT_VERSION:
        raise ModelFileError(f"{path}: format version {content.get('format_version')!r}, "
                             f"this cleaner reads {FORMAT_VERSION}")
    got = tuple(content.get("features", ()))
    if columns is None:
        if got in COLUMN_SETS.values():
            return
        sets = ", ".join(f"{name} {len(names)}" for name, names in COLUMN_SETS.items())
        # Named against the set of the same width, or the text's: the likeliest intended one.
        columns = next((names for names in COLUMN_SETS.values() if len(names) == len(got)), COLUMNS)
        raise ModelFileError(f"{path}: the model's {len(got)} features are not any of this cleaner's column sets "
                             f"({sets}; differ: {_differ(got, columns)})")
    if got != tuple(columns):
        raise ModelFileError(f"{path}: the model's {len(got)} features are not this cleaner's {len(columns)} "
                             f"(differ: {_differ(got, columns)})")


def _differ(got: Sequence[str], columns: Sequence[str]) -> str:
    """The first names in one list and not the other, or ``order`` when they hold the same names."""
    differ = [name for name in (*got, *columns) if (name in got) != (name in columns)]
    return ", ".join(differ[:5]) or "order"


def _nodes(trees: list[dict[str, list]]) -> tuple[_Nodes, np.ndarray]:
    """All trees' nodes in one set of arrays, and each tree's root index."""
    sizes = np.array([len(tree["feature"]) for tree in trees], dtype=np.int64)
    roots = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    offset = np.repeat(roots, sizes)

    def field(key: str, dtype: type) -> np.ndarray:
        return np.concatenate([np.asarray(tree[key], dtype=dtype) for tree in trees])

    split_feature = field("feature", np.int64)
    leaf = split_feature < 0
    own = np.arange(len(split_feature), dtype=np.int64)
    left = np.where(leaf, own, field("left", np.int64) + offset)
    right = np.where(leaf, own, field("right", np.int64) + offset)
    threshold, default_left = field("threshold", np.float64), field("default_left", bool)
    missing = field("missing", np.int8)
    nan_right = np.where(missing == 0, threshold < 0.0, ~default_left)  # "None": NaN is 0.0, right when 0.0 > threshold
    nodes = _Nodes(np.where(leaf, 0, split_feature), threshold, left, right, field("value", np.float64), default_left,
                   missing, split_feature, np.stack([left, right], axis=1).ravel(), nan_right, missing == 1)
    return nodes, roots


def _doubled(nodes: _Nodes) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """feature, threshold, child, is-a-split on doubled node indices: node k's at 2k, its right child's at 2k + 1.

    ``child[2k + r]`` is twice the index of node k's left (r 0) or right (r 1) child.
    """
    size = 2 * len(nodes.feature)
    feature, threshold = np.zeros(size, dtype=np.intp), np.zeros(size)
    inner = np.zeros(size, dtype=bool)
    feature[::2], threshold[::2], inner[::2] = nodes.feature, nodes.threshold, nodes.split_feature >= 0
    return feature, threshold, 2 * nodes.child.astype(np.intp), inner


def _depth(nodes: _Nodes, roots: np.ndarray) -> int:
    """The deepest leaf's depth: how many steps the walk needs."""
    level, depth = roots, 0
    while True:
        inner = level[nodes.split_feature[level] >= 0]
        if not len(inner):
            return depth
        level, depth = np.concatenate([nodes.left[inner], nodes.right[inner]]), depth + 1


class Forest:
    """A binary gradient-boosted forest: P(content) for feature rows, and each feature's part in it."""

    def __init__(self, content: dict[str, Any]) -> None:
        self.features: tuple[str, ...] = tuple(content["features"])
        self.model_version: str = content["model_version"]
        self.training: dict[str, Any] = content.get("training", {})
        self.base_score = float(content.get("base_score", 0.0))
        self.sigmoid = float(content.get("sigmoid", 1.0))
        self._nodes, self._roots = _nodes(content["trees"])
        self.depth = _depth(self._nodes, self._roots)  # the deepest leaf: how many levels the walk takes
        self._zero_missing = bool(self._nodes.zero_default.any())
        self._walk = _doubled(self._nodes)

    @classmethod
    def load(cls, path: Path | str, columns: Sequence[str] | None = None) -> Forest:
        """The forest in ``path``; :class:`ModelFileError` (one line) unless it is one made for ``columns``.

        ``columns`` ``None``: any of :data:`COLUMN_SETS` (the rows the detectors know how to build).
        """
        path = Path(path)
        try:
            content = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ModelFileError(f"{path}: cannot read the model file ({error})") from None
        _check(content, path, columns)
        return cls(content)

    def _leaves(self, rows: np.ndarray) -> np.ndarray:
        """The leaf each (row, tree) pair ends in: shape (rows, trees).

        The walk runs on doubled node indices (node k at 2k, :attr:`_walk`): one step is then
        two gathers, a compare and an add, ``child[2k + went_right]`` with no multiplication;
        ``take`` gathers faster than fancy indexing. On rows with a NaN (or a model that treats
        0.0 as missing) each step takes :meth:`_step`, LightGBM's missing-value rules.
        """
        trees = len(self._roots)
        feature, threshold, child, inner = self._walk
        base = np.repeat(np.arange(0, rows.size, rows.shape[1]), trees)
        flat = rows.ravel()
        plain = not self._zero_missing and not np.isnan(flat).any()
        roots, first = 2 * self._roots, 0
        if plain and self.depth:  # the first step from the roots: one (rows, trees) gather of the rows
            first, at = 1, child.take((roots + (rows[:, self._nodes.feature[self._roots]] > threshold[roots])).ravel())
        else:
            at = np.tile(roots, len(rows))  # pair (row r, tree t) at r * trees + t: flat arrays gather fastest
        leaves, live = at, None
        for level in range(first, self.depth):
            if level in _COMPACT_AT:  # most leaves are shallow: walk on with the pairs still at a split only
                going = inner.take(at)
                if live is None:
                    leaves, live = at.copy(), np.arange(len(at))
                leaves[live] = at
                live, at, base = live[going], at[going], base[going]
            x = flat.take(base + feature.take(at))
            at = child.take(at + (x > threshold.take(at))) if plain else 2 * self._step(x, at // 2)
        if live is None:
            leaves = at
        else:
            leaves[live] = at
        return (leaves // 2).reshape(len(rows), trees)

    def _step(self, x: np.ndarray, at: np.ndarray, nan: bool = True) -> np.ndarray:
        """One level down from nodes ``at``, ``x`` the values of their split features (leaves stay).

        ``nan`` False (no NaN among the rows) skips the missing-value look-ups: the common case.
        """
        nodes = self._nodes
        right = ~(x <= nodes.threshold[at])
        if self._zero_missing:  # only models fitted with zero_as_missing: 0.0 takes the default side
            zero = nodes.zero_default[at] & (np.abs(x) <= _ZERO)
            right = np.where(zero, ~nodes.default_left[at], right)
        if nan:
            right = np.where(np.isnan(x), nodes.nan_right[at], right)
        return nodes.child[2 * at + right]
    def _rows(self, rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.float64)
        if rows.ndim == 1:
            rows = rows[None, :]
        if rows.shape[1] != len(self.features):
            raise ValueError(f"forest: rows of {rows.shape[1]} features, the model takes {len(self.features)}")
        return rows

    def raw(self, rows: np.ndarray) -> np.ndarray:
        """The forest's score (log-odds of content) per row."""
        rows = self._rows(rows)
        return self._nodes.value[self._leaves(rows)].sum(axis=1) + self.base_score

    def predict(self, rows: np.ndarray) -> np.ndarray:
        """P(content) per row (a :data:`~cleaner.detectors.content_model.Predictor`)."""
        return 1.0 / (1.0 + np.exp(-self.sigmoid * self.raw(rows)))

    def contributions(self, row: np.ndarray) -> dict[str, float]:
        """Each feature's part in the row's score (the Saabas path attribution), plus :data:`BIAS`.

        Along the row's path in each tree every split moves the value from the node's to the
        child's; the move is credited to the split's feature. :data:`BIAS` is the roots' values
        (and the base score). The parts sum to :meth:`raw` of the row.
        """
        nodes = self._nodes
        x = self._rows(row)
        at, parts = self._roots.copy(), np.zeros(len(self.features))
        for _ in range(self.depth):
            nxt = self._step(x[0][nodes.feature[at]], at)
            moved = nxt != at
            np.add.at(parts, nodes.split_feature[at[moved]], nodes.value[nxt[moved]] - nodes.value[at[moved]])
            at = nxt
        out = {name: float(part) for name, part in zip(self.features, parts, strict=True) if part}
        out[BIAS] = float(nodes.value[self._roots].sum() + self.base_score)
        return out

    def __len__(self) -> int:
        return len(self._roots)

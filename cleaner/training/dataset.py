"""Training rows from the dev sets: each page's non-blank lines, their features, gold labels and weights."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import numpy as np

from cleaner.detectors.claims import CLAIM_NAMES, claim_features
from cleaner.text.features import FEATURE_NAMES, line_features
from cleaner.text.page import Line, Page
from cleaner.training.labels import PageLabels, align

__all__ = [
    "COLUMNS", "MIN_WEIGHT", "PageRows", "SET_NAMES", "dev_scorer", "labelled_rows", "page_rows", "set_folder",
    "set_pages",
]

SET_NAMES = ("scrapinghub", "dragnet", "pagesignal", "cleanportal", "cleaneval-dev")
COLUMNS: tuple[str, ...] = (*FEATURE_NAMES, *CLAIM_NAMES)
MIN_WEIGHT = 0.1  # a near toss-up label still counts a little


@dataclass
class PageRows:
    """One page's rows: features ``x``, labels ``y`` (1 content), weights ``w``, the line numbers."""

    set_name: str
    page_id: str
    kind: str
    numbers: list[int]
    x: np.ndarray
    y: np.ndarray
    w: np.ndarray


def dev_scorer(shared: Path) -> ModuleType:
    """The dev sets' own ``score.py`` (``shared/dev-sets/score.py``): its metric and where each set lives."""
    spec = importlib.util.spec_from_file_location("dev_score", shared / "dev-sets" / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def set_folder(shared: Path, name: str) -> Path:
    return shared / "bench-data" if name == "scrapinghub" else shared / "dev-sets" / name


def set_pages(shared: Path, name: str, kind: str) -> Iterator[tuple[str, str, str]]:
    """(page id, dump text, gold text) of every page of set ``name`` in dump ``kind``."""
    folder = set_folder(shared, name)
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    for page_id in sorted(gold):
        path = folder / kind / f"{page_id}.txt"
        if path.is_file():
            yield page_id, path.read_text(encoding="utf-8", errors="replace"), gold[page_id]


def page_rows(set_name: str, page_id: str, kind: str, text: str, gold: str) -> PageRows | None:
    """The page's rows, or ``None`` when its gold is broken (not found in the dump: dropped, not guessed)."""
    page = Page(text, page_id)
    labels = align([line.content for line in page.lines], gold)
    if labels.broken:
        return None
    lines, features = line_features(page)
    return labelled_rows(set_name, page_id, kind, lines, np.hstack([features, claim_features(page, lines)]), labels)


def labelled_rows(set_name: str, page_id: str, kind: str, lines: Sequence[Line], x: np.ndarray,
                  labels: PageLabels) -> PageRows:
    """The rows ``x`` of ``lines`` with their gold labels and weights (a near toss-up weighs :data:`MIN_WEIGHT`)."""
    chosen: Sequence = [labels.lines[line.number - 1] for line in lines]
    y = np.array([label.content for label in chosen], dtype=np.float32)
    w = np.array([max(label.confidence, MIN_WEIGHT) for label in chosen], dtype=np.float32)
    return PageRows(set_name, page_id, kind, [line.number for line in lines], x, y, w)

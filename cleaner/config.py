"""Options from a config file: ``cleaner.toml``, or the ``[tool.cleaner]`` table of ``pyproject.toml``.

Where :func:`load_config` looks (the first one found wins):

1. an explicit path (``clean --config PATH``);
2. from the current folder up to the root, in each folder: ``cleaner.toml``, then a
   ``pyproject.toml`` that has a ``[tool.cleaner]`` table (a ``pyproject.toml`` without one
   is passed over).

``clean --no-config`` ignores them all. Precedence: command-line options > config file >
built-in defaults; ``--only``/``--skip`` on the command line replace the file's lists.

The format (every key optional; in ``pyproject.toml`` put the same keys under
``[tool.cleaner]``, ``[tool.cleaner.thresholds]``, ``[tool.cleaner.phrases.signup]``...)::

    favor = "precision"        # precision | balanced | recall (the main-body preset)
    engine = "model"           # model | trafilatura | ensemble (what decides an HTML page's content)
    keep-title = false         # false: the headline only in the metadata (clean --no-title)
    site-repetition = true     # learn what recurs across a site's pages in folder runs
    skip = ["job-ads"]         # detectors switched off (names: clean --list-detectors)
    # only = ["main-body", "navigation"]   # or: only these detectors
    max-size = "20M"           # refuse larger inputs
    encoding = "utf-8"         # decode every input with this codec (default: detected)

    [thresholds]               # main-body weights, applied after the favor preset
    short-penalty = 1.5        # (fields of cleaner.detectors.main_body.BodyThresholds, "_" written "-")

    [phrases.signup]           # extra phrases per detector and section of its phrase data
    newsletter = ["Get our daily digest", "* morning briefing *"]

A phrase matches a whole line after lower-casing and dropping punctuation; ``*`` stands for
any words (see ``cleaner/detectors/phrases/*.txt``). Anything unknown or of the wrong type
is an error (:class:`ConfigError`, one line naming the file and the key), never ignored.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from cleaner.detectors.main_body import BodyThresholds
from cleaner.inputs.decoding import parse_size
from cleaner.options import ConfigError, Options, check_keys

__all__ = ["find_config", "load_config", "parse_config"]

CONFIG_NAME = "cleaner.toml"
PYPROJECT = "pyproject.toml"


def load_config(path: str | Path | None = None, start: str | Path | None = None) -> Options:
    """The config from ``path``, else the nearest ``cleaner.toml`` / ``[tool.cleaner]`` from ``start`` up.

    ``start`` defaults to the current folder. No file found: the built-in :class:`~cleaner.options.Options`.
    Raises :class:`ConfigError` (one line) for a missing explicit file, bad TOML or a bad value.
    """
    if path is not None:
        found: tuple[Path, bool] | None = (Path(path), Path(path).name == PYPROJECT)
    else:
        found = find_config(Path.cwd() if start is None else Path(start))
    if found is None:
        return Options()
    file, is_pyproject = found
    data = _read_toml(file)
    shown = f"{file} [tool.cleaner]" if is_pyproject else str(file)
    if is_pyproject:
        tool = data.get("tool", {})
        data = tool.get("cleaner", {}) if isinstance(tool, dict) else None
        if not isinstance(data, dict):
            raise ConfigError(f"{shown}: expected a table")
    try:
        return replace(parse_config(data), source=file)
    except ConfigError as err:
        raise ConfigError(f"{shown}: {err}") from None


def find_config(start: Path) -> tuple[Path, bool] | None:
    """The nearest config file from ``start`` up, and whether it is a ``pyproject.toml``."""
    for folder in [start, *start.resolve().parents]:
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate, False
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject, True
    return None


def parse_config(data: Mapping[str, Any]) -> Options:
    """The :class:`~cleaner.options.Options` of a parsed TOML table (keys as in the module docstring)."""
    check_keys(data, _TOP_KEYS, "")
    values: dict[str, Any] = {}
    for key, (attribute, kind) in _SCALARS.items():
        if key in data:
            values[attribute] = _typed(key, data[key], kind)
    for key in ("only", "skip"):
        if key in data:
            values[key] = _names(key, data[key])
    if "thresholds" in data:
        values["thresholds"] = _thresholds(_table("thresholds", data["thresholds"]))
    if "phrases" in data:
        values["phrases"] = _phrase_tables(_table("phrases", data["phrases"]))
    if "max-size" in data:
        values["max_bytes"] = _size(values.pop("max_size"))
    return Options(**values)


# ---------------------------------------------------------------------------
# Reading and checking values
# ---------------------------------------------------------------------------

_SCALARS: dict[str, tuple[str, type]] = {
    "favor": ("favor", str),
    "engine": ("engine", str),
    "keep-title": ("keep_title", bool),
    "site-repetition": ("site_repetition", bool),
    "max-size": ("max_size", str),
    "encoding": ("encoding", str),
}
_TOP_KEYS = (*_SCALARS, "only", "skip", "thresholds", "phrases")


def _size(value: str) -> int:
    try:
        return parse_size(value)
    except ValueError as err:
        raise ConfigError(f"max-size: {err}") from None


def _read_toml(file: Path) -> dict[str, Any]:
    try:
        with file.open("rb") as stream:
            return tomllib.load(stream)
    except FileNotFoundError:
        raise ConfigError(f"{file}: no such file") from None
    except IsADirectoryError:
        raise ConfigError(f"{file}: is a directory") from None
    except OSError as err:
        raise ConfigError(f"{file}: cannot read: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{file}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{file}: invalid TOML: {err}") from None
    except RecursionError:  # tomllib recurses per nesting level
        raise ConfigError(f"{file}: invalid TOML: nested too deeply") from None


def _has_tool_table(pyproject: Path) -> bool:
    try:
        tool = _read_toml(pyproject).get("tool", {})
        return isinstance(tool, dict) and "cleaner" in tool
    except ConfigError:
        return False  # a broken pyproject.toml of some other tool is not ours to report


def _typed(key: str, value: Any, kind: type) -> Any:
    if type(value) is not kind:  # bool is an int: compare exact types
        expected = "true or false" if kind is bool else "a string"
        raise ConfigError(f"{key}: expected {expected}, got {value!r}")
    return value


def _table(key: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{key}: expected a table ([{key}]), got {value!r}")
    return value


def _names(key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{key}: expected a list of detector names, got {value!r}")
    return tuple(value)


def _thresholds(table: Mapping[str, Any]) -> dict[str, float]:
    names = {f.name.replace("_", "-"): f.name for f in fields(BodyThresholds)}
    check_keys(table, frozenset(names), "thresholds.")
    return {names[key]: value for key, value in table.items()}


def _phrase_tables(table: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """``[phrases.<detector>]`` tables as plain dicts; checked by :class:`~cleaner.options.Options`."""
    return {detector: dict(_table(f"phrases.{detector}", sections)) for detector, sections in table.items()}

"""Settings from a config file: ``cleaner.toml``, or the ``[tool.cleaner]`` table of ``pyproject.toml``.

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

import codecs
import difflib
import hashlib
import json
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from cleaner.detectors.main_body import FAVOR_MODES, BodyThresholds
from cleaner.inputs.decoding import check_encoding, parse_size
from cleaner.pipeline import check_detector_names, detector_names
from cleaner.text.phrases import BUILT_IN, PhraseBook, phrase_book, usable_phrase

__all__ = ["Config", "ConfigError", "find_config", "load_config", "parse_config", "settings_hash"]

CONFIG_NAME = "cleaner.toml"
PYPROJECT = "pyproject.toml"


class ConfigError(ValueError):
    """A config file (or :class:`Config` value) that cannot be used; ``str(err)`` is one line."""


@dataclass(frozen=True)
class Config:
    """What a run is configured with; the defaults are the built-in behaviour.

    ``only`` is ``None`` (every detector) or the names to run; ``skip`` the names not to run
    (``site-repetition`` included: skipping it learns nothing across pages).
    ``thresholds`` maps :class:`~cleaner.detectors.main_body.BodyThresholds` field names to
    values, applied after the ``favor`` preset; ``phrases`` maps detector -> section ->
    extra phrases. ``source`` is the file it came from (``None``: built in).
    """

    favor: str = "balanced"
    keep_title: bool = True
    site_repetition: bool = True
    only: tuple[str, ...] | None = None
    skip: tuple[str, ...] = ()
    thresholds: Mapping[str, float] = field(default_factory=dict)
    phrases: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    max_size: str | None = None
    encoding: str | None = None
    source: Path | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.favor not in FAVOR_MODES:
            raise ConfigError(f"favor: expected one of {', '.join(FAVOR_MODES)}, got {self.favor!r}")
        if self.only is not None and not self.only:
            raise ConfigError("only: expected at least one detector name (to switch detectors off, use skip)")
        for key, names in (("only", self.only or ()), ("skip", self.skip)):
            try:
                check_detector_names(names)
            except ValueError as err:
                raise ConfigError(f"{key}: {err}") from None
        for name, value in self.thresholds.items():
            _check_threshold(name.replace("-", "_"), value)
        for detector, sections in self.phrases.items():
            _check_phrases(detector, sections)
        _check_input_options(self.max_size, self.encoding)
        # Frozen all the way down: tuples and read-only mappings (a config can be shared between runs).
        freeze = object.__setattr__
        freeze(self, "only", None if self.only is None else tuple(self.only))
        freeze(self, "skip", tuple(self.skip))
        freeze(self, "thresholds", MappingProxyType({k.replace("-", "_"): v for k, v in self.thresholds.items()}))
        phrases = {name: {sec: tuple(p) for sec, p in secs.items()} for name, secs in self.phrases.items()}
        freeze(self, "phrases", MappingProxyType(phrases))
        # Derived once, not a field (outside equality, hashing and dataclasses.replace): the same
        # phrases give the same book (phrase_book), so remaking the config keeps what it compiled.
        freeze(self, "_phrase_book", phrase_book(phrases))

    @property
    def phrase_book(self) -> PhraseBook:
        """The phrase book of this config: the data files plus its ``phrases``."""
        return self._phrase_book  # type: ignore[attr-defined]

    def runs(self, name: str) -> bool:
        """True when detector ``name`` is selected by ``only`` and ``skip``."""
        return (self.only is None or name in self.only) and name not in self.skip

    def override(self, **options: Any) -> Config:
        """This config with the options that are not ``None`` replaced (command line over file)."""
        return replace(self, **{key: value for key, value in options.items() if value is not None})

    @property
    def max_bytes(self) -> int | None:
        return None if self.max_size is None else parse_size(self.max_size)


def settings_hash(config: Config, encoding: str | None = None) -> str:
    """A short stable hash of the settings that decide what a page becomes: ``sha256:`` + 16 hex digits.

    Records carry it so that outputs made with different settings can be told apart. It
    covers the detectors chosen, the favor preset, keep-title, site repetition, thresholds,
    extra phrases and the forced codec (``encoding`` over the config's), in a canonical form
    (lists sorted, numbers as floats, codec names normalised); not ``max-size``, which only
    decides which inputs fail, nor where the config came from, nor paths or jobs.
    """
    codec = encoding if encoding is not None else config.encoding
    values = {
        "favor": config.favor,
        "keep_title": config.keep_title,
        "site_repetition": config.site_repetition,
        "only": None if config.only is None else sorted(set(config.only)),
        "skip": sorted(set(config.skip)),
        "thresholds": {name: float(value) for name, value in config.thresholds.items()},
        "phrases": {name: {section: sorted(set(phrases)) for section, phrases in sections.items() if phrases}
                    for name, sections in config.phrases.items() if any(sections.values())},
        "encoding": None if codec is None else codecs.lookup(codec).name,
    }
    canonical = json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def load_config(path: str | Path | None = None, start: str | Path | None = None) -> Config:
    """The config from ``path``, else the nearest ``cleaner.toml`` / ``[tool.cleaner]`` from ``start`` up.

    ``start`` defaults to the current folder. No file found: the built-in :class:`Config`.
    Raises :class:`ConfigError` (one line) for a missing explicit file, bad TOML or a bad value.
    """
    if path is not None:
        found: tuple[Path, bool] | None = (Path(path), Path(path).name == PYPROJECT)
    else:
        found = find_config(Path.cwd() if start is None else Path(start))
    if found is None:
        return Config()
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


def parse_config(data: Mapping[str, Any]) -> Config:
    """A :class:`Config` from the parsed TOML table (keys as in the module docstring)."""
    _check_keys(data, _TOP_KEYS, "")
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
    return Config(**values)


# ---------------------------------------------------------------------------
# Reading and checking values
# ---------------------------------------------------------------------------

_SCALARS: dict[str, tuple[str, type]] = {
    "favor": ("favor", str),
    "keep-title": ("keep_title", bool),
    "site-repetition": ("site_repetition", bool),
    "max-size": ("max_size", str),
    "encoding": ("encoding", str),
}
_TOP_KEYS = (*_SCALARS, "only", "skip", "thresholds", "phrases")
# Thresholds that must stay within bounds for the scores to make sense (a zero divisor, a share over 1).
_POSITIVE = {"prose_chars_per_point", "repeat_threshold", "earliest_share"}
_AT_MOST_ONE = {"earliest_share", "max_link_density"}


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


def _check_keys(table: Mapping[str, Any], valid: tuple[str, ...] | frozenset[str], where: str) -> None:
    for key in table:
        if key not in valid:
            close = difflib.get_close_matches(key.replace("_", "-"), sorted(valid), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (valid: {', '.join(sorted(valid))})"
            raise ConfigError(f"unknown key {where + key!r}{hint}")


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
    _check_keys(table, frozenset(names), "thresholds.")
    return {names[key]: value for key, value in table.items()}


def _check_threshold(name: str, value: Any) -> None:
    kinds = {f.name: f.type for f in fields(BodyThresholds)}
    shown = f"thresholds.{name.replace('_', '-')}"
    if name not in kinds:
        raise ConfigError(f"unknown key {shown!r} (valid: {', '.join(k.replace('_', '-') for k in kinds)})")
    integer = kinds[name] in (int, "int")
    if isinstance(value, bool) or not isinstance(value, int | float) or (integer and not isinstance(value, int)):
        raise ConfigError(f"{shown}: expected {'an integer' if integer else 'a number'}, got {value!r}")
    if not math.isfinite(value) or value < 0 or (name in _POSITIVE and value == 0):
        raise ConfigError(f"{shown}: expected a {'positive' if name in _POSITIVE else 'non-negative'} number")
    if name in _AT_MOST_ONE and value > 1:
        raise ConfigError(f"{shown}: expected a share between 0 and 1, got {value!r}")


def _check_input_options(max_size: str | None, encoding: str | None) -> None:
    try:
        if max_size is not None:
            parse_size(max_size)
    except ValueError as err:
        raise ConfigError(f"max-size: {err}") from None
    try:
        if encoding is not None:
            check_encoding(encoding)
    except LookupError as err:
        raise ConfigError(f"encoding: {err}") from None


def _phrase_tables(table: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """``[phrases.<detector>]`` tables as plain dicts; their contents are checked by :class:`Config`."""
    return {detector: dict(_table(f"phrases.{detector}", sections)) for detector, sections in table.items()}


def _check_phrases(detector: str, sections: Any) -> None:
    if not isinstance(sections, Mapping):
        raise ConfigError(f"phrases.{detector}: expected a table of sections, got {sections!r}")
    with_data = [name for name in detector_names() if BUILT_IN.sections(name)]
    if detector not in with_data:
        what = "has no phrase data" if detector in detector_names() else "is no detector"
        raise ConfigError(f"phrases.{detector}: {what} (detectors with phrases: {', '.join(with_data)})")
    valid = BUILT_IN.sections(detector)
    _check_keys(sections, valid, f"phrases.{detector}.")
    for section, phrases in sections.items():
        listed = isinstance(phrases, list | tuple) and all(isinstance(phrase, str) for phrase in phrases)
        if not listed:
            raise ConfigError(f"phrases.{detector}.{section}: expected a list of strings, got {phrases!r}")
        for phrase in phrases:
            if not usable_phrase(phrase):
                raise ConfigError(f"phrases.{detector}.{section}: {phrase!r} has no word to match")

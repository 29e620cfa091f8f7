"""The one options object of the library and the CLI: :class:`Options`, validated once when it is made.

An :class:`Options` holds what a page becomes (the favor preset, keep-title, site repetition, the
detectors chosen by ``only``/``skip`` or given outright, main-body thresholds, extra phrases, a
forced codec, the size limit) and how a run goes (the time limit per input, worker processes,
resuming). It is made from keyword arguments (``Options(favor="precision")``, or
:func:`options_for` over an existing one), from a config file (:func:`cleaner.config.load_config`)
or from the command line (:mod:`cleaner.cli.arguments`), and handed down whole: every public
function takes ``options=`` and keyword arguments that override it.
"""

from __future__ import annotations

import codecs
import difflib
import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from cleaner.detectors.base import Detector
from cleaner.detectors.content_model import LocatorWithModel, shipped_html_model
from cleaner.detectors.content_model import model_version as shipped_version
from cleaner.detectors.html_extractor import HtmlExtractorDetector
from cleaner.detectors.main_body import FAVOR_MODES, BodyThresholds
from cleaner.detectors.registry import check_detector_names, detector_names
from cleaner.inputs.decoding import DEFAULT_MAX_BYTES, check_encoding
from cleaner.inputs.engines import DEFAULT_ENGINE, ENGINES, ENSEMBLE, TRAFILATURA
from cleaner.text.phrases import BUILT_IN, PhraseBook, phrase_book, usable_phrase

__all__ = ["NO_MODEL", "ConfigError", "Options", "check_keys", "model_version", "options_for", "provenance",
           "settings_hash"]

NO_MODEL = "none"  # the model_version of a run whose main-body decision uses no learned model


class ConfigError(ValueError):
    """Options (from a config file, the command line or keyword arguments) that cannot be used; one line."""


@dataclass(frozen=True)
class Options:
    """What a run is configured with; the defaults are the built-in behaviour.

    ``only`` is ``None`` (every detector) or the names to run; ``skip`` the names not to run
    (``site-repetition`` included: skipping it learns nothing across pages). ``detectors``: an
    explicit detector list run as given (``None``: the defaults; nothing learned across pages).
    ``thresholds`` maps :class:`~cleaner.detectors.main_body.BodyThresholds` field names to
    values, applied after the ``favor`` preset; ``phrases`` maps detector -> section ->
    extra phrases. ``max_bytes``: inputs larger are refused (``None``: 20 MiB); ``encoding``
    forces a codec. ``timeout``: seconds one input may take (``None`` or 0: no limit); ``jobs``:
    worker processes (0: every core); ``skip_existing``: leave inputs whose output exists alone.
    ``engine``: what decides an HTML page's main content (:mod:`cleaner.inputs.engines`).
    ``source`` is the config file the options came from (``None``: none).
    """

    favor: str = "balanced"
    engine: str = DEFAULT_ENGINE
    keep_title: bool = True
    site_repetition: bool = True
    only: tuple[str, ...] | None = None
    skip: tuple[str, ...] = ()
    thresholds: Mapping[str, float] = field(default_factory=dict)
    phrases: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    detectors: tuple[Detector, ...] | None = None
    max_bytes: int | None = None
    encoding: str | None = None
    timeout: float | None = None
    jobs: int = 1
    skip_existing: bool = False
    source: Path | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        self._check()
        # Frozen all the way down: tuples and read-only mappings (options can be shared between runs).
        freeze = object.__setattr__
        freeze(self, "only", None if self.only is None else tuple(self.only))
        freeze(self, "skip", tuple(self.skip))
        freeze(self, "detectors", None if self.detectors is None else tuple(self.detectors))
        freeze(self, "thresholds", MappingProxyType({k.replace("-", "_"): v for k, v in self.thresholds.items()}))
        phrases = {name: {sec: tuple(p) for sec, p in secs.items()} for name, secs in self.phrases.items()}
        freeze(self, "phrases", MappingProxyType(phrases))
        # Derived once, not a field (outside equality, hashing and dataclasses.replace): the same
        # phrases give the same book (phrase_book), so remade options keep what their book compiled.
        freeze(self, "_phrase_book", phrase_book(phrases))

    @property
    def phrase_book(self) -> PhraseBook:
        """The phrase book of these options: the data files plus their ``phrases``."""
        return self._phrase_book  # type: ignore[attr-defined]

    def _check(self) -> None:
        if self.favor not in FAVOR_MODES:
            raise ConfigError(f"favor: expected one of {', '.join(FAVOR_MODES)}, got {self.favor!r}")
        if self.engine not in ENGINES:
            raise ConfigError(f"engine: expected one of {', '.join(ENGINES)}, got {self.engine!r}")
        step = HtmlExtractorDetector.name
        if self.engine != TRAFILATURA and self.only is not None and step in self.only:
            raise ConfigError(f"only: {step} is the trafilatura engine's step; with the {self.engine} "
                              "engine it never runs (add --engine trafilatura, or name other detectors)")
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
        _check_run(self)

    def runs(self, name: str) -> bool:
        """True when detector ``name`` is selected by ``only`` and ``skip``."""
        return (self.only is None or name in self.only) and name not in self.skip

    def override(self, **values: Any) -> Options:
        """These options with the ``values`` that are not ``None`` replaced (command line over file).

        ``only``/``skip`` may be any iterable of names (one string is one name); an unknown
        option is a :class:`TypeError`, a bad value a :class:`ConfigError`.
        """
        given = {key: value for key, value in values.items() if value is not None}
        if not given:
            return self  # already validated: a page cleaned with the run's options makes no copy
        for key in ("only", "skip", "detectors"):
            if key in given:
                names = given[key]
                given[key] = (names,) if isinstance(names, str) else tuple(names)
        return replace(self, **given)

    @property
    def size_limit(self) -> int:
        """The most bytes one input may have."""
        return self.max_bytes if self.max_bytes is not None else DEFAULT_MAX_BYTES


def options_for(options: Options | None = None, **values: Any) -> Options:
    """``options`` (default: the built-in :class:`Options`) with the ``values`` that are not ``None``.

    What every public function does with its ``options=`` and keyword arguments, so that
    ``clean_text(text, favor="precision")`` and ``clean_text(text, options=Options(favor="precision"))``
    are the same call.
    """
    return (options or _DEFAULT).override(**values)


def settings_hash(options: Options) -> str:
    """A short stable hash of the settings that decide what a page becomes: ``sha256:`` + 16 hex digits.

    Records carry it so that outputs made with different settings can be told apart. It
    covers the detectors chosen, the favor preset, keep-title, site repetition, thresholds,
    extra phrases, the forced codec and the content model's version (:func:`model_version`), in a
    canonical form (lists sorted, numbers as floats, codec names normalised); not the size limit,
    which only decides which inputs fail, nor where the options came from, nor paths, time limits or jobs.
    """
    codec = options.encoding
    values = {
        "model_version": model_version(options),
        "favor": options.favor,
        "engine": options.engine,
        "keep_title": options.keep_title,
        "site_repetition": options.site_repetition,
        "only": None if options.only is None else sorted(set(options.only)),
        "skip": sorted(set(options.skip)),
        "thresholds": {name: float(value) for name, value in options.thresholds.items()},
        "phrases": {name: {section: sorted(set(phrases)) for section, phrases in sections.items() if phrases}
                    for name, sections in options.phrases.items() if any(sections.values())},
        "encoding": None if codec is None else codecs.lookup(codec).name,
    }
    canonical = json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def html_model_version(ensemble: bool) -> str:
    """The shipped HTML model's version (the ensemble's, which also reads trafilatura's decision, or the model's)."""
    return shipped_html_model(ensemble).model_version


def model_version(options: Options | None = None) -> str:
    """The version of the content model(s) the options' main-body decision uses (:data:`NO_MODEL`: none).

    The shipped model's (read from its file) unless main-body is not selected; for an explicit
    detector list, that of its :class:`~cleaner.detectors.content_model.LocatorWithModel`, if any.
    With the ``model`` or ``ensemble`` engine, the HTML model's version follows after a ``+``
    (text inputs use the first, HTML inputs the second).
    """
    options = options or _DEFAULT
    if options.detectors is not None:
        found = [d.model_version for d in options.detectors if isinstance(d, LocatorWithModel) and options.runs(d.name)]
        return found[0] if found else NO_MODEL
    if not options.runs(LocatorWithModel.name):
        return NO_MODEL
    if options.engine == TRAFILATURA:
        return shipped_version()
    return f"{shipped_version()}+{html_model_version(options.engine == ENSEMBLE)}"


def provenance(options: Options | None = None) -> dict[str, str]:
    """The fields every record of a run ends with: the tool's and the content model's versions, the settings' hash."""
    from cleaner.version import __version__

    options = options or _DEFAULT
    return {"cleaner_version": __version__, "model_version": model_version(options),
            "settings_hash": settings_hash(options)}


# Thresholds that must stay within bounds for the scores to make sense (a zero divisor, a share over 1).
_POSITIVE = {"prose_chars_per_point", "repeat_threshold", "earliest_share"}
_AT_MOST_ONE = {"earliest_share", "max_link_density"}


def check_keys(table: Mapping[str, Any], valid: Iterable[str], where: str) -> None:
    """:class:`ConfigError` for a key of ``table`` not in ``valid``, with the closest valid one as a hint."""
    valid = sorted(valid)
    for key in table:
        if key not in valid:
            close = difflib.get_close_matches(key.replace("_", "-"), valid, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (valid: {', '.join(valid)})"
            raise ConfigError(f"unknown key {where + key!r}{hint}")


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


def _check_run(options: Options) -> None:
    """The input and run options: a size, a text codec, a time limit, a number of workers."""
    if options.max_bytes is not None and (isinstance(options.max_bytes, bool) or options.max_bytes <= 0):
        raise ConfigError(f"max-size: expected a positive number of bytes, got {options.max_bytes!r}")
    try:
        if options.encoding is not None:
            check_encoding(options.encoding)
    except LookupError as err:
        raise ConfigError(f"encoding: {err}") from None
    if options.timeout is not None and not 0 <= options.timeout < math.inf:
        raise ConfigError(f"timeout: expected a number of seconds, 0 or more, got {options.timeout!r}")
    if options.jobs < 0:
        raise ConfigError(f"jobs: expected a number of worker processes (0: every core), got {options.jobs!r}")


def _check_phrases(detector: str, sections: Any) -> None:
    if not isinstance(sections, Mapping):
        raise ConfigError(f"phrases.{detector}: expected a table of sections, got {sections!r}")
    with_data = [name for name in detector_names() if BUILT_IN.sections(name)]
    if detector not in with_data:
        what = "has no phrase data" if detector in detector_names() else "is no detector"
        raise ConfigError(f"phrases.{detector}: {what} (detectors with phrases: {', '.join(with_data)})")
    check_keys(sections, BUILT_IN.sections(detector), f"phrases.{detector}.")
    for section, phrases in sections.items():
        listed = isinstance(phrases, list | tuple) and all(isinstance(phrase, str) for phrase in phrases)
        if not listed:
            raise ConfigError(f"phrases.{detector}.{section}: expected a list of strings, got {phrases!r}")
        for phrase in phrases:
            if not usable_phrase(phrase):
                raise ConfigError(f"phrases.{detector}.{section}: {phrase!r} has no word to match")


_DEFAULT = Options()

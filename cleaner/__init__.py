"""cleaner: strip boilerplate from scraped web pages and say exactly what was removed and why."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from cleaner.version import __version__ as __version__  # a leaf module: runs and cli read it without the root

# Names are imported on first use (PEP 562): `import cleaner` and `clean --help` stay fast, and
# a script that needs only the text pipeline never loads lxml or trafilatura.
_EXPORTS = {
    "runs.page": ("clean_html", "clean_text", "explain_line", "list_detectors"),
    "runs.one": ("clean_file", "clean_input", "explain_file"),
    "runs.folder": ("RunSummary", "clean_paths", "iter_outcomes", "write_report"),
    "runs.corpus": ("CorpusSummary", "clean_corpus"),
    "options": ("ConfigError", "Options"),
    "config": ("load_config",),
    "inputs.decoding": ("DEFAULT_MAX_BYTES", "Decoded", "decode"),
    "errors": ("InputError",),
    "outputs.files": ("OutputError",),
    "render": ("CleanResult", "Edit", "RemovedSpan"),
    "outputs.report": ("Outcome", "read_report", "rebuild_from_record", "record"),
    "outputs.review": ("review_html", "write_review"),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

if TYPE_CHECKING:
    from cleaner.config import load_config
    from cleaner.errors import InputError
    from cleaner.inputs.decoding import DEFAULT_MAX_BYTES, Decoded, decode
    from cleaner.options import ConfigError, Options
    from cleaner.outputs.files import OutputError
    from cleaner.outputs.report import Outcome, read_report, rebuild_from_record, record
    from cleaner.outputs.review import review_html, write_review
    from cleaner.render import CleanResult, Edit, RemovedSpan
    from cleaner.runs.corpus import CorpusSummary, clean_corpus
    from cleaner.runs.folder import RunSummary, clean_paths, iter_outcomes, write_report
    from cleaner.runs.one import clean_file, clean_input, explain_file
    from cleaner.runs.page import clean_html, clean_text, explain_line, list_detectors


def __getattr__(name: str) -> object:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'cleaner' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"cleaner.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_MODULE_OF])


__all__ = [
    "DEFAULT_MAX_BYTES",
    "CleanResult",
    "CorpusSummary",
    "ConfigError",
    "Decoded",
    "Edit",
    "InputError",
    "Options",
    "Outcome",
    "OutputError",
    "RemovedSpan",
    "RunSummary",
    "clean_corpus",
    "clean_file",
    "clean_html",
    "clean_input",
    "clean_paths",
    "clean_text",
    "decode",
    "explain_file",
    "explain_line",
    "iter_outcomes",
    "list_detectors",
    "load_config",
    "read_report",
    "rebuild_from_record",
    "record",
    "review_html",
    "write_report",
    "write_review",
]

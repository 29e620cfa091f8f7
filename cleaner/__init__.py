"""cleaner: strip boilerplate from scraped web pages and say exactly what was removed and why."""

from cleaner.api import (
    Outcome,
    RunSummary,
    clean_file,
    clean_input,
    clean_paths,
    clean_text,
    explain_line,
    iter_outcomes,
    list_detectors,
    write_report,
)
from cleaner.config import Config, ConfigError, load_config
from cleaner.decoding import DEFAULT_MAX_BYTES, Decoded, decode
from cleaner.errors import InputError
from cleaner.output import OutputError
from cleaner.render import CleanResult, Edit, RemovedSpan
from cleaner.report import read_report, rebuild_from_record, record
from cleaner.review import review_html, write_review

__version__ = "0.1.0"
__all__ = [
    "DEFAULT_MAX_BYTES",
    "CleanResult",
    "Config",
    "ConfigError",
    "Decoded",
    "Edit",
    "InputError",
    "Outcome",
    "OutputError",
    "RemovedSpan",
    "RunSummary",
    "clean_file",
    "clean_input",
    "clean_paths",
    "clean_text",
    "decode",
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

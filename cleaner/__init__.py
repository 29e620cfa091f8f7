"""cleaner: strip boilerplate from scraped web pages and say exactly what was removed and why."""

from cleaner.api import clean_text
from cleaner.render import CleanResult, RemovedSpan

__all__ = ["CleanResult", "RemovedSpan", "clean_text"]
__version__ = "0.1.0"

"""The installed `clean` command, as the benchmark scripts run it (the user's view, start-up included)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def clean_command(script: str) -> str:
    """The `clean` beside this Python (the project's venv), else on PATH; exit with a one-line message if absent."""
    beside = Path(sys.executable).with_name("clean")
    found = str(beside) if beside.exists() else shutil.which("clean")
    if not found:
        sys.exit(f"benchmarks/{script}: `clean` is not installed (see README)")
    return found

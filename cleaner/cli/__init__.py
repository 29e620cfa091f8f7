"""The ``clean`` command line (typer): :mod:`~cleaner.cli.app` (the command and its help),
:mod:`~cleaner.cli.arguments` (arguments -> one :class:`~cleaner.options.Options`),
:mod:`~cleaner.cli.commands` (one library call per run), :mod:`~cleaner.cli.console`,
:mod:`~cleaner.cli.summaries` and :mod:`~cleaner.cli.progress` (what is printed), and
:mod:`~cleaner.cli.guard` (signals, closed pipes, exit codes).
"""

from cleaner.cli.app import app, main

__all__ = ["app", "main"]

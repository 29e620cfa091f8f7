"""The progress bar of folder runs (count, rate, time left, the file being cleaned) and corpus runs, on stderr.

Shown only when it helps and cannot corrupt anything: standard error is a terminal, the run
is not ``--quiet``, and there is more than one input. Messages printed while it runs go
through :meth:`FolderProgress.print_line`, above the bar, so each stays one whole line.
"""

from __future__ import annotations

import sys
from functools import cache
from types import TracebackType
from typing import TYPE_CHECKING

from cleaner.outputs.files import printable

if TYPE_CHECKING:  # rich.progress is imported when a bar is shown, not by every `clean` (start-up time)
    from rich.progress import Progress

__all__ = ["CorpusProgress", "FolderProgress", "stderr_is_terminal"]


def stderr_is_terminal() -> bool:
    """True when standard error is an interactive terminal (tests replace this to force the bar on)."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # closed or replaced by an object without a terminal
        return False


@cache
def _rate_column(unit: str = "pages") -> type:
    """The bar's column of ``unit`` per second, once rich has measured a rate (a rich class, made on first use)."""
    from rich.progress import ProgressColumn, Task
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task: Task) -> Text:
            return Text(f"{task.speed:.1f} {unit}/s" if task.speed else "", style="progress.data.speed")

    return RateColumn


class FolderProgress:
    """A context manager around a folder run; inert unless ``enabled`` and :meth:`start` gets 2+ inputs."""

    def __init__(self, enabled: bool, label: str = "clean") -> None:
        self.enabled = enabled
        self.label = label
        self._bar: Progress | None = None
        self._task: int | None = None

    def start(self, total: int) -> None:
        """Show the bar for ``total`` inputs (only when enabled and there are several)."""
        if not self.enabled or total < 2 or self._bar is not None:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        # Enabled only on a terminal: force it, so rich draws the bar on the stream it was given.
        console = Console(stderr=True, force_terminal=True, highlight=False, emoji=False)
        self._bar = Progress(
            TextColumn(self.label),
            BarColumn(),
            MofNCompleteColumn(),
            _rate_column()(),
            TimeRemainingColumn(),
            TextColumn("{task.fields[current]}", style="dim"),
            console=console,
            transient=True,  # the summary follows; a finished bar would only repeat it
        )
        self._task = self._bar.add_task(self.label, total=total, current="")
        self._bar.start()

    def begin(self, path: str) -> None:
        """Name the input being cleaned now."""
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, current=printable(path))  # one line, whatever the name

    def advance(self) -> None:
        """One more input done."""
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task)

    def print_line(self, line: str) -> bool:
        """Print ``line`` above the bar; False when no bar is showing (print it the usual way)."""
        if self._bar is None:
            return False
        from rich.text import Text

        self._bar.console.print(Text(line), soft_wrap=True)
        return True

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def __enter__(self) -> FolderProgress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()


class CorpusProgress(FolderProgress):
    """The progress line of a corpus run: documents done, documents/s and the corpus file being read.

    A corpus is streamed, so there is no total to count down to: the bar pulses. Shown, like the
    folder bar, only on a terminal and without ``--quiet``, even for one corpus file.
    """

    def start(self, total: int = 0) -> None:
        if not self.enabled or self._bar is not None:
            return
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        console = Console(stderr=True, force_terminal=True, highlight=False, emoji=False)
        self._bar = Progress(
            TextColumn(self.label),
            BarColumn(),
            TextColumn("{task.completed:.0f} documents"),
            _rate_column("documents")(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[current]}", style="dim"),
            console=console,
            transient=True,  # the summary follows
        )
        self._task = self._bar.add_task(self.label, total=None, current="")
        self._bar.start()

    def document(self, source: str) -> None:
        """One more document done, from corpus file ``source``."""
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, advance=1, current=source)

"""Progress of ``newsdesk add``: a rich progress bar on a terminal, one summary line otherwise."""

from __future__ import annotations

import sys
import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from index.models import IngestError
from index.safe_text import escape_unsafe
from tui.cli.output import error, warn

__all__ = ["AddProgress"]


class AddProgress:
    """An :class:`index.ingest.writer.AddObserver` that reports to stderr.

    Errors are printed one line each as they happen (above the bar on a
    terminal). Use as a context manager around the ``add``.

    Args:
        quiet: Print errors and the summary only, never a bar.
    """

    def __init__(self, quiet: bool = False) -> None:
        self.console = Console(file=sys.stderr, highlight=False, markup=False)
        self.live = self.console.is_terminal and not quiet
        self.files = 0
        self.articles = 0
        self.errors = 0
        self.mentions = 0
        self.started = time.monotonic()
        self._progress: Progress | None = None
        self._task = None

    def __enter__(self) -> AddProgress:
        if self.live:
            self._progress = Progress(
                TextColumn("adding"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("files"),
                TextColumn("{task.fields[stats]}"),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("add", total=None, stats="")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def _refresh(self) -> None:
        if self._progress is None:
            return
        rate = self.articles / max(time.monotonic() - self.started, 1e-6)
        stats = (
            f"{self.articles} articles  {self.mentions} entity mentions  {self.errors} errors"
            f"  {rate:.1f} articles/s"
        )
        self._progress.update(self._task, completed=self.files, stats=stats)

    def files_found(self, count: int) -> None:
        """Set the bar's total."""
        if self._progress is not None:
            self._progress.update(self._task, total=count)

    def file_done(self, path: str, articles: int, skipped: bool) -> None:
        """Advance the bar."""
        self.files += 1
        self.articles += articles
        self._refresh()

    def batch_written(self, articles: int, mentions: int) -> None:
        """Count the entity mentions of a committed batch."""
        self.mentions += mentions
        self._refresh()

    def error(self, err: IngestError) -> None:
        """Print one line naming the file and the reason."""
        self.errors += 1
        if self._progress is not None:
            self._progress.console.print(f"newsdesk: {escape_unsafe(str(err))}", style="red")
        else:
            error(str(err))
        self._refresh()

    def note(self, message: str) -> None:
        """Print a note line."""
        if self._progress is not None:
            self._progress.console.print(f"newsdesk: note: {escape_unsafe(message)}")
        else:
            warn(message)

"""Tracebacks of unexpected errors, written to a log file instead of the terminal.

The CLI and the reader show one line naming the file; the traceback is kept
for a bug report. The folder is the platform's user state directory
(``~/.local/state/newsdesk/crashes`` on Linux).
"""

from __future__ import annotations

import os
import tempfile
import time
import traceback
from pathlib import Path

__all__ = ["crash_dir", "write_traceback"]


def crash_dir() -> Path:
    """Where tracebacks go (``$XDG_STATE_HOME/newsdesk/crashes`` on Linux)."""
    from platformdirs import user_state_path

    return user_state_path("newsdesk") / "crashes"


def write_traceback(err: BaseException) -> Path | None:
    """Write ``err``'s traceback (with its causes) to a new file; None if that fails too."""
    text = "".join(traceback.format_exception(err))
    try:
        folder = crash_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        fd, name = tempfile.mkstemp(prefix=f"newsdesk-{stamp}-", suffix=".log", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as out:
            out.write(text)
        return Path(name)
    except OSError:
        return None

"""Read the reader's byte code ahead at launch, from the list the previous launch left.

The kernel drops file pages nobody has touched for a while: a DAMON reclaim
scheme may page out every unmapped file page idle for a minute, and on a busy
server memory pressure does the same. A reader launched after a few idle
minutes then reads its 400 modules (about 7 MB of byte code and extension
modules) from disk one at a time, each when its import asks for it, and the
first screen waits for the disk.

So the console script starts :func:`start` first thing. Its thread reads the
list of module files the last launch loaded and asks the kernel to read them
all at once (``posix_fadvise(POSIX_FADV_WILLNEED)``: asynchronous, nothing is
copied into the process), while the main thread imports; the imports then
find most files in memory (only those the first frame needs: see
:func:`first_frame`). When a sample of them is in memory already (a
launch within the last minute), it does nothing: the calls would only slow the
imports down. After the search warm-up, the reader writes the
list again (:func:`remember`), only when it changed.

Only regular ``.pyc`` and extension-module files on the list are touched, and
a missing, stale or damaged list only means no readahead. Platforms without
``posix_fadvise`` skip all of this.
"""

from __future__ import annotations

import os
import stat
import sys
import threading
from pathlib import Path

__all__ = ["first_frame", "list_path", "loaded_files", "prefetch", "remember", "start"]

#: The list's file name in the user cache directory.
LIST_NAME = "launch-files"
#: Files read ahead at most (a reader's first frame loads about 400).
MAX_FILES = 5000
#: Files probed for residency before reading ahead (spread over the list).
PROBES = 16
#: Suffixes of the files read ahead: byte code and extension modules.
SUFFIXES = (".pyc", ".so", ".pyd")

#: The list as the last :func:`prefetch` read it (to skip rewriting it unchanged).
_last_read: list[str] | None = None
#: The names of the modules loaded by the first frame (see :func:`first_frame`).
_first_frame: list[str] | None = None


def list_path() -> Path | None:
    """Where the list lives (the user cache directory), or None where readahead is unsupported."""
    if not hasattr(os, "posix_fadvise"):
        return None
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("newsdesk", appauthor=False)) / LIST_NAME


def start() -> threading.Thread | None:
    """Read the listed files ahead in a daemon thread.

    Returns:
        The thread, or None where readahead is unsupported.
    """
    if not hasattr(os, "posix_fadvise"):
        return None
    thread = threading.Thread(target=_run, name="newsdesk-readahead", daemon=True)
    try:
        thread.start()
    except RuntimeError:  # no thread to spare: launch without readahead
        return None
    return thread


def _run() -> None:
    """The thread's body: never raises."""
    try:
        path = list_path()
        if path is not None:
            prefetch(path)
    except Exception:  # noqa: BLE001 - a missed readahead costs time, never the launch
        pass


def prefetch(path: Path, *, probe: bool = True) -> int:
    """Ask the kernel to read every file on the list at ``path`` into its page cache.

    Args:
        path: The list (one absolute path per line).
        probe: First look whether a sample of the files is in memory already
            (the usual case: a launch within the last minute), and then do
            nothing. The advice slows the main thread's imports when
            nothing needs reading: each call hands the interpreter lock
            back and forth.

    Returns:
        How many files were advised (0 when the list is missing or unreadable,
        or its files are in memory).
    """
    global _last_read
    names = _last_read = _read_list(path)
    names = [name for name in names if name.endswith(SUFFIXES) and os.path.isabs(name)]
    if probe and _all_resident(names[:: max(1, len(names) // PROBES)]):
        return 0
    advised = 0
    for name in names:
        fd = _open_regular(name)
        if fd is None:
            continue
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
            advised += 1
        except OSError:
            pass
        finally:
            os.close(fd)
    return advised


def _read_list(path: Path) -> list[str]:
    """The names on the list at ``path`` (none when it is missing or unreadable)."""
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as handle:
            return handle.read(1 << 20).splitlines()[:MAX_FILES]
    except (OSError, ValueError):
        return []


def _open_regular(name: str) -> int | None:
    """A read-only descriptor of ``name`` if it is a regular file, else None."""
    try:
        if not stat.S_ISREG(os.stat(name).st_mode):
            return None  # a FIFO or a device must not be opened
        return os.open(name, os.O_RDONLY | os.O_NONBLOCK)
    except (OSError, ValueError):
        return None


def _all_resident(sample: list[str]) -> bool:
    """Whether the first page of every existing file in ``sample`` is in the page cache.

    A one-byte read with ``RWF_NOWAIT`` fails rather than wait for the disk.
    Where that is not supported, the answer is False (read ahead anyway).
    """
    if not hasattr(os, "RWF_NOWAIT"):
        return False
    for name in sample:
        fd = _open_regular(name)
        if fd is None:
            continue  # gone since the list was written: the rest decides
        try:
            os.preadv(fd, [bytearray(1)], 0, os.RWF_NOWAIT)
        except OSError:  # BlockingIOError: on disk; others: cannot tell
            return False
        finally:
            os.close(fd)
    return True


def first_frame() -> None:
    """Note the modules loaded by the first frame: only those are read ahead next time.

    The search warm-up's (Whoosh, numpy: large extension modules among them)
    load after the first frame; reading them ahead too would make the disk
    serve them while the first frame's imports wait.
    """
    global _first_frame
    _first_frame = list(sys.modules)


def loaded_files() -> list[str]:
    """The byte code and extension files of the modules the list covers, in import order.

    Those loaded by the first frame when :func:`first_frame` was called, else
    every module loaded so far.
    """
    modules = list(sys.modules.values())
    if _first_frame is not None:
        modules = [sys.modules[name] for name in _first_frame if name in sys.modules]
    files: list[str] = []
    for module in modules:
        name = getattr(module, "__cached__", None) or getattr(module, "__file__", None)
        if isinstance(name, str) and name.endswith(SUFFIXES) and os.path.isfile(name):
            files.append(name)
    return list(dict.fromkeys(files))


def remember(path: Path | None = None) -> bool:
    """Write the list of loaded module files for the next launch, if it changed.

    Args:
        path: Where (default: :func:`list_path`).

    Returns:
        Whether the list was written. Errors (a read-only cache directory) are
        ignored: the next launch only goes without readahead.
    """
    path = path if path is not None else list_path()
    if path is None:
        return False
    files = loaded_files()[:MAX_FILES]
    # The list as this launch's readahead found it, else as it is on disk now.
    if files == (_last_read if _last_read is not None else _read_list(path)):
        return False
    from index.layout import atomic_write  # not at launch: the readahead starts first

    try:
        data = "".join(f"{name}\n" for name in files).encode("utf-8", "surrogateescape")
        path.parent.mkdir(parents=True, exist_ok=True)
        # A cache: a crash that loses it costs one launch its readahead, while
        # an fsync would hold up the reader it runs in.
        atomic_write(path, data, mode=None, durable=False)
    except (OSError, ValueError):  # ValueError: a name no encoding can write
        return False
    return True

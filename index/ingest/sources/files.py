"""Finding input files: folders expanded recursively, nothing followed, nothing opened.

:func:`discover` only calls ``lstat`` and ``scandir``, never ``open``: FIFOs,
sockets and devices are skipped without blocking, and symlinks (to files or
folders) are never followed, so loops and links out of the root cannot happen.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from index.ingest.sources.base import describe_error, path_text
from index.models import IngestError

__all__ = ["discover", "iter_folder"]

_KINDS = (
    (stat.S_ISFIFO, "named pipe"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
)


def _suffix_text(path: Path) -> str:
    """Describe a file's suffix for the unsupported-type error."""
    return f"'{path_text(path.suffix)}'" if path.suffix else "(no extension)"


def _special_kind(mode: int) -> str:
    """Name the kind of a non-regular, non-directory file."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "special file"


def _listing(
    folder: Path, seen: set[tuple[int, int]]
) -> Iterator[os.DirEntry[str]] | IngestError | None:
    """List a folder sorted by name; None when it was already walked."""
    try:
        info = os.stat(folder, follow_symlinks=False)
        if (info.st_dev, info.st_ino) in seen:
            return None
        seen.add((info.st_dev, info.st_ino))
        with os.scandir(folder) as listing:
            return iter(sorted(listing, key=lambda entry: entry.name))
    except OSError as err:
        return IngestError(path_text(folder), f"cannot list folder: {describe_error(err)}")


def iter_folder(root: Path, suffixes: frozenset[str]) -> Iterator[Path | IngestError]:
    """Walk a folder depth-first in sorted name order.

    Hidden entries (leading dot), symlinks, special files and files with an
    unsupported suffix are skipped silently; an unreadable folder is one error.

    Args:
        root: The folder to walk (already known to be a real directory).
        suffixes: The lower-case suffixes to yield.

    Yields:
        Regular files with a supported suffix, and errors for unreadable folders.
    """
    seen: set[tuple[int, int]] = set()
    stack: list[Iterator[os.DirEntry[str]]] = []
    folder: Path | None = root
    while True:
        if folder is not None:
            listing = _listing(folder, seen)
            if isinstance(listing, IngestError):
                yield listing
            elif listing is not None:
                stack.append(listing)
            folder = None
        if not stack:
            return
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_symlink():
                continue
            if entry.is_dir(follow_symlinks=False):
                folder = Path(entry.path)
            elif entry.is_file(follow_symlinks=False):
                path = Path(entry.path)
                if path.suffix.lower() in suffixes:
                    yield path
        except OSError:  # vanished while we looked: nothing to read
            continue


def discover(
    paths: Iterable[str | os.PathLike[str] | bytes], suffixes: frozenset[str]
) -> Iterator[Path | IngestError]:
    """Expand files and folders into the files to read.

    Args:
        paths: Files and folders as given on the command line.
        suffixes: The supported lower-case suffixes.

    Yields:
        Paths of regular files to read, in a deterministic order, and one-line
        errors for named paths that cannot be used.
    """
    if isinstance(paths, str | bytes | os.PathLike):
        paths = [paths]  # one path, not an iterable of characters
    for raw in paths:
        path = Path(os.fsdecode(raw)) if isinstance(raw, bytes) else Path(raw)
        shown = path_text(path)
        try:
            info = os.lstat(path)
        except OSError as err:
            yield IngestError(shown, describe_error(err))
            continue
        mode = info.st_mode
        if stat.S_ISLNK(mode):
            yield IngestError(shown, "symbolic link (not followed)")
        elif stat.S_ISDIR(mode):
            yield from iter_folder(path, suffixes)
        elif not stat.S_ISREG(mode):
            yield IngestError(shown, f"not a regular file ({_special_kind(mode)})")
        elif path.suffix.lower() not in suffixes:
            yield IngestError(shown, f"unsupported file type {_suffix_text(path)}")
        else:
            yield path

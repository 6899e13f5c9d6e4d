"""Where a library lives, what it holds on disk, and the checks before it is opened.

A library is one directory (mode 0700)::

    LIBRARY/
      manifest.json   format, schema version, spaCy model name and version
      index/          the Whoosh index
      store.sqlite3   the SQLite store (WAL)
      write.lock      held (flock) by the one writer

Opening a Whoosh index unpickles its TOC, so a library that another user could
have written is refused before anything in it is read.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO

from index.errors import (
    LibraryBusy,
    LibraryMissing,
    SchemaMismatch,
    UnsafeLibrary,
    WriteFailed,
    is_disk_error,
)

#: Bump when the Whoosh schema or the meaning of a stored field changes;
#: libraries of another version are refused with a pointer to ``newsdesk
#: rebuild``. It lives here, with the manifest that records it, so that reading
#: a manifest does not import Whoosh (``index.search.schema`` re-exports it).
SCHEMA_VERSION = 5

#: What each schema version changed, said when an older library is refused.
SCHEMA_CHANGES = {
    5: "words are now indexed by their stems, so that a word finds all its forms",
}

#: Fault injection for the crash tests: ``NEWSDESK_KILL_AT=N`` kills the process
#: (SIGKILL, no cleanup) at the N-th commit boundary of this run.
_KILL_AT = int(os.environ.get("NEWSDESK_KILL_AT", "0") or 0)
#: ``NEWSDESK_PAUSE_AT=N:PATH`` creates PATH at the N-th boundary and waits
#: there until PATH is gone: the signal tests interrupt an add at a known point.
_PAUSE_AT, _, _PAUSE_FILE = os.environ.get("NEWSDESK_PAUSE_AT", "").partition(":")
_boundaries = 0

__all__ = [
    "LibraryPaths",
    "bundled_seeds",
    "Manifest",
    "WriteLock",
    "atomic_write",
    "boundary",
    "check_safe",
    "finish_swap",
    "swap_in",
    "default_library_path",
    "open_atomic",
    "read_manifest",
    "resolve_library_path",
    "write_manifest",
]

FORMAT = "newsdesk-library"


def default_library_path() -> Path:
    """The platform's user data directory for newsdesk, ``.../newsdesk/default``."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("newsdesk", appauthor=False)) / "default"


def resolve_library_path(explicit: str | os.PathLike | None) -> Path:
    """``--library DIR``, else ``$NEWSDESK_LIBRARY``, else the default location."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("NEWSDESK_LIBRARY")
    if env:
        return Path(env).expanduser()
    return default_library_path()


@dataclass(slots=True, frozen=True)
class LibraryPaths:
    """The files of one library."""

    root: Path

    @property
    def manifest(self) -> Path:
        """The manifest file."""
        return self.root / "manifest.json"

    @property
    def index(self) -> Path:
        """The Whoosh index directory."""
        return self.root / "index"

    @property
    def store(self) -> Path:
        """The SQLite database."""
        return self.root / "store.sqlite3"

    @property
    def lock(self) -> Path:
        """The writer's lock file."""
        return self.root / "write.lock"

    @property
    def aliases(self) -> Path:
        """The user's entity curation file."""
        return self.root / "aliases.toml"

    def exists(self) -> bool:
        """Tell whether a library has been created here."""
        return self.manifest.is_file()


@dataclass(slots=True, frozen=True)
class Manifest:
    """What the library was built with."""

    format: str = FORMAT
    schema_version: int = SCHEMA_VERSION
    model: str = ""
    model_version: str = ""
    created: str = ""


def boundary() -> None:
    """Mark a commit boundary: a point where a kill must leave a consistent library.

    ``add`` marks three per batch, a curation edit two, a rebuild its batches
    and its swap, a state write one; the crash tests kill the process at each.
    """
    global _boundaries
    _boundaries += 1
    if _KILL_AT and _boundaries == _KILL_AT:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)
    if _PAUSE_AT:
        _pause()


def _pause() -> None:
    """Wait at the boundary ``NEWSDESK_PAUSE_AT`` names while its file exists."""
    if int(_PAUSE_AT) != _boundaries:
        return
    path = Path(_PAUSE_FILE)
    path.touch()
    while path.exists():
        time.sleep(0.01)


def _aside(root: Path, suffix: str) -> Path:
    return root.with_name(root.name + suffix)


def swap_in(fresh: Path, root: Path) -> None:
    """Put the complete library ``fresh`` where ``root`` is; the old one ends at ``fresh``.

    One atomic exchange of the two directories where the system has it
    (Linux's ``renameat2``); elsewhere two renames, ``root`` to ``ROOT.old``
    then ``fresh`` to ``root``, and a process stopped between them leaves a
    state that :func:`finish_swap` completes before the library is next used.
    Either way the caller deletes ``fresh`` afterwards.
    """
    if _exchange(fresh, root):
        _sync_dir(root.parent)
        return
    old = _aside(root, ".old")
    os.replace(root, old)
    boundary()
    os.replace(fresh, root)
    os.replace(old, fresh)
    _sync_dir(root.parent)


def finish_swap(root: Path) -> None:
    """Complete a :func:`swap_in` stopped between its renames (nothing to do otherwise).

    ``ROOT.old`` exists only once the library beside it is complete, so with
    ``root`` missing the fresh one goes in; the old one stays aside for the
    next rebuild to delete.
    """
    old = _aside(root, ".old")
    if os.path.lexists(root) or not old.is_dir():
        return
    fresh = _aside(root, ".rebuild")
    if fresh.is_dir():
        os.replace(fresh, root)
        os.replace(old, fresh)
    else:
        os.replace(old, root)
    _sync_dir(root.parent)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (``renameat2(RENAME_EXCHANGE)``); False where unsupported."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if done == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # the file system or the kernel cannot exchange
    raise OSError(err, os.strerror(err), str(b))


def _sync_dir(path: Path) -> None:
    """Fsync a directory, so that a rename in it survives a crash of the machine.

    A directory that cannot be opened or fsynced (some file systems) only
    costs durability, so that is not an error.
    """
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def check_safe(root: Path) -> None:
    """Refuse a library that another user could have tampered with.

    A rebuild stopped while it swapped the new library in is finished first
    (:func:`finish_swap`).

    Args:
        root: The library directory.

    Raises:
        LibraryMissing: Nothing is there.
        UnsafeLibrary: The directory or anything in it is a symlink, is owned
            by another user, or is writable by group or others.
    """
    finish_swap(root)
    try:
        top = os.lstat(root)
    except FileNotFoundError as err:
        raise LibraryMissing(f"no library at {root}") from err
    uid = os.getuid()
    todo = [(root, top)]
    while todo:
        path, st = todo.pop()
        if stat.S_ISLNK(st.st_mode):
            raise UnsafeLibrary(f"refusing library {root}: {path} is a symbolic link")
        if st.st_uid != uid:
            raise UnsafeLibrary(f"refusing library {root}: {path} is owned by another user")
        if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise UnsafeLibrary(
                f"refusing library {root}: {path} is writable by others (chmod go-w fixes it)"
            )
        if stat.S_ISDIR(st.st_mode):
            for entry in os.scandir(path):
                todo.append((Path(entry.path), entry.stat(follow_symlinks=False)))


def read_manifest(paths: LibraryPaths) -> Manifest:
    """Read and check a library's manifest.

    Raises:
        LibraryMissing: There is no manifest.
        SchemaMismatch: The library has another format or schema version.
    """
    try:
        data = json.loads(paths.manifest.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise LibraryMissing(f"no library at {paths.root}") from err
    except (OSError, ValueError) as err:
        raise SchemaMismatch(
            f"library at {paths.root} has an unreadable manifest; run 'newsdesk rebuild'"
        ) from err
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SchemaMismatch(f"{paths.root} is not a newsdesk library")
    manifest = Manifest(**{k: data[k] for k in Manifest.__dataclass_fields__ if k in data})
    if manifest.schema_version != SCHEMA_VERSION:
        why = ""
        if manifest.schema_version < SCHEMA_VERSION:
            why = "; ".join(
                SCHEMA_CHANGES[v]
                for v in range(manifest.schema_version + 1, SCHEMA_VERSION + 1)
                if v in SCHEMA_CHANGES
            )
        raise SchemaMismatch(
            f"library at {paths.root} has schema version {manifest.schema_version}, this newsdesk"
            f" uses {SCHEMA_VERSION}{f' ({why})' if why else ''}:"
            f" run 'newsdesk rebuild --library {paths.root}'"
        )
    return manifest


def write_manifest(paths: LibraryPaths, manifest: Manifest) -> None:
    """Write the manifest atomically and durably (mode 0600)."""
    atomic_write(paths.manifest, json.dumps(asdict(manifest), indent=2), what="the manifest")


def atomic_write(
    path: Path,
    data: str | bytes,
    *,
    mode: int | None = 0o600,
    durable: bool = True,
    what: str | None = None,
) -> None:
    """Replace ``path`` with ``data`` whole, or leave it as it was.

    Text is written as UTF-8 (encode it yourself for another encoding or error
    handler). See :func:`open_atomic` for ``mode`` and ``durable``.

    Args:
        path: The file to replace (or create).
        data: Its new content.
        mode: See :func:`open_atomic`.
        durable: See :func:`open_atomic`.
        what: What the file is, for the user (``"the manifest"``): a full
            disk or an I/O error is then a :class:`~index.errors.WriteFailed`
            naming it.

    Raises:
        OSError: The file cannot be written; ``path`` is untouched and no
            temporary file is left.
        WriteFailed: The same, for a disk error when ``what`` is given.
    """
    binary = isinstance(data, bytes)
    try:
        with open_atomic(path, binary=binary, mode=mode, durable=durable) as out:
            out.write(data)
    except OSError as err:
        if what is not None and is_disk_error(err):
            raise WriteFailed(what, str(path), err) from err
        raise


@contextlib.contextmanager
def open_atomic(
    path: Path, *, binary: bool = False, mode: int | None = 0o600, durable: bool = True
) -> Iterator[IO]:
    """A file to stream into that replaces ``path`` only when the block ends without error.

    The data goes to a temporary file beside ``path`` (same directory, so the
    rename cannot cross file systems), which is flushed, fsynced and renamed
    over ``path``; then the directory is fsynced so that the rename survives a
    crash. Whatever stops the block (an error, Ctrl-C, a signal handled as an
    exception) removes the temporary file and leaves ``path`` as it was; a
    process killed outright leaves at most a hidden ``.NAME.*.tmp`` file, never
    half a ``path``. Text is UTF-8, its line ends written as given.

    Args:
        path: The file to replace (or create).
        binary: Yield a binary file instead of a text one.
        mode: The new file's permission bits exactly (``0o600``: the library's
            files are private), or None for what ``open()`` would give a new
            file (``0o666`` less the umask).
        durable: Fsync the file and its directory. Without it the replacement
            is still all-or-nothing for readers, but a crash of the machine
            may lose it (for caches, where an fsync costs more than a lost copy).
    """
    fd, tmp = _create_beside(path)
    try:
        with os.fdopen(fd, "wb") if binary else _text(fd) as handle:
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        _sync_dir(path.parent)  # the new file is in place whatever happens there


def _text(fd: int) -> IO[str]:
    return os.fdopen(fd, "w", encoding="utf-8", newline="\n")


def _create_beside(path: Path) -> tuple[int, Path]:
    """Create a new, empty temporary file in ``path``'s directory (0666 less the umask)."""
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp")
        try:
            return os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_CLOEXEC, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path))


class WriteLock:
    """The one-writer lock of a library (``flock``; freed by the kernel if we die).

    Args:
        paths: The library.
        wait: Wait for another writer to finish instead of failing.
        on_wait: Called once when we start waiting.
    """

    def __init__(
        self, paths: LibraryPaths, *, wait: bool = True, on_wait: Callable[[], None] | None = None
    ) -> None:
        self.paths = paths
        self.wait = wait
        self.on_wait = on_wait
        self._fd: int | None = None

    def __enter__(self) -> WriteLock:
        fd = os.open(self.paths.lock, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            if err.errno not in (errno.EAGAIN, errno.EACCES):
                os.close(fd)
                raise
            if not self.wait:
                os.close(fd)
                raise LibraryBusy(
                    f"another 'newsdesk add' is writing to {self.paths.root}; try again later"
                ) from err
            if self.on_wait:
                self.on_wait()
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError:
                    time.sleep(0.05)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def bundled_seeds() -> Path:
    """The seed articles shipped with newsdesk (in the wheel, or the source tree's ``seeds/``)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_seeds", here.parent / "seeds"):
        if candidate.is_dir():
            return candidate
    raise LibraryMissing("the bundled seed articles are missing from this installation")

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

import errno
import fcntl
import json
import os
import stat
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from index.errors import LibraryBusy, LibraryMissing, SchemaMismatch, UnsafeLibrary

#: Bump when the Whoosh schema or the meaning of a stored field changes;
#: libraries of another version are refused with a pointer to ``newsdesk
#: rebuild``. It lives here, with the manifest that records it, so that reading
#: a manifest does not import Whoosh (``index.search.schema`` re-exports it).
SCHEMA_VERSION = 4

__all__ = [
    "LibraryPaths",
    "bundled_seeds",
    "Manifest",
    "WriteLock",
    "check_safe",
    "default_library_path",
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


def check_safe(root: Path) -> None:
    """Refuse a library that another user could have tampered with.

    Args:
        root: The library directory.

    Raises:
        LibraryMissing: Nothing is there.
        UnsafeLibrary: The directory or anything in it is a symlink, is owned
            by another user, or is writable by group or others.
    """
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
        raise SchemaMismatch(
            f"library at {paths.root} has schema version {manifest.schema_version}, this newsdesk"
            f" uses {SCHEMA_VERSION}: run 'newsdesk rebuild --library {paths.root}'"
        )
    return manifest


def write_manifest(paths: LibraryPaths, manifest: Manifest) -> None:
    """Write the manifest atomically and durably."""
    tmp = paths.manifest.with_suffix(".tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(asdict(manifest), out, indent=2)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, paths.manifest)
    dfd = os.open(paths.root, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


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

"""Typed errors raised by the library; each carries a one-line message for users."""

from __future__ import annotations

__all__ = [
    "AmbiguousEntity",
    "LibraryBusy",
    "LibraryDamaged",
    "LibraryError",
    "LibraryMissing",
    "QueryError",
    "SchemaMismatch",
    "UnexpectedError",
    "UnsafeLibrary",
    "WriteFailed",
    "is_disk_error",
]


class LibraryError(Exception):
    """Base class: every library failure a user can see. ``str(err)`` is one line."""


class LibraryMissing(LibraryError):
    """No library exists at the given path."""


class LibraryDamaged(LibraryError):
    """The index or the store is unreadable; ``newsdesk rebuild`` recreates it."""

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(
            f"library at {path} is damaged ({detail}); run 'newsdesk rebuild' to recreate it"
        )
        self.path = path
        self.detail = detail


class SchemaMismatch(LibraryError):
    """The library was written with another schema version."""


class UnsafeLibrary(LibraryError):
    """The library directory is not owned by the user, is writable by others, or has symlinks."""


class LibraryBusy(LibraryError):
    """Another process holds the write lock."""


class ModelUnavailable(LibraryError):
    """The spaCy model asked for is not installed, or cannot do NER."""


class QueryError(LibraryError):
    """A query that cannot be parsed or run; the message says what is wrong."""


class AmbiguousEntity(LibraryError):
    """A name that names several entities; the message lists their keys."""


class UnexpectedError(LibraryError):
    """A failure with no known cause (not damage, not the query): a bug to report.

    The original exception is its ``__cause__``; the CLI and the reader write
    its traceback to a log file and show one line naming it.
    """

    def __init__(self, doing: str, err: BaseException) -> None:
        super().__init__(f"{doing} failed unexpectedly ({type(err).__name__}: {err})"[:300])


#: OS errors that mean the disk, not the library, is at fault (full, quota, I/O, read-only).
_DISK_ERRNOS = frozenset({28, 122, 5, 30})  # ENOSPC, EDQUOT, EIO, EROFS

#: SQLite's result codes for the same (SQLITE_IOERR, SQLITE_FULL, SQLITE_READONLY).
_DISK_SQLITE_CODES = frozenset({10, 13, 8})


def is_disk_error(err: BaseException) -> bool:
    """Whether ``err`` is a full disk, an I/O error or a read-only file system (OS or SQLite)."""
    if isinstance(err, OSError):
        return err.errno in _DISK_ERRNOS
    code = getattr(err, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _DISK_SQLITE_CODES
    return False


class WriteFailed(LibraryError):
    """A write to the library failed (a full disk, an I/O error); nothing already in it is lost.

    ``str(err)`` names what could not be written and why, in one line.
    """

    def __init__(self, what: str, path: str, err: BaseException) -> None:
        reason = getattr(err, "strerror", None) or str(err) or type(err).__name__
        super().__init__(
            f"cannot write {what} {path}: {reason}; nothing already in the library is lost"
        )
        self.what = what
        self.path = path

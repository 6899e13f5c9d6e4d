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
    "UnsafeLibrary",
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


class QueryError(LibraryError):
    """A query that cannot be parsed or run; the message says what is wrong."""


class AmbiguousEntity(LibraryError):
    """A name that names several entities; the message lists their keys."""

"""Open a library and answer questions about it: the read API.

Every method may be called from any thread: the library keeps one Whoosh
searcher and one read-only SQLite connection per thread, and refreshes a
searcher when a writer has committed since it was opened. The Whoosh index is
opened lazily, on the first search or article, so that listing the newest
articles (from SQLite) never waits for it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from index.errors import LibraryDamaged, LibraryError
from index.layout import LibraryPaths, Manifest, check_safe, read_manifest
from index.library.entities import EntityQueries
from index.library.search import SearchQueries
from index.models import (
    NAMED_LABELS,
    Article,
    ArticleView,
    EntitySpan,
    Hit,
    Page,
)
from index.store.curation import applied_curation
from index.store.db import Store
from index.store.format import ensure_current

__all__ = ["Library", "LibraryStats"]


@dataclass(slots=True, frozen=True)
class LibraryStats:
    """What ``newsdesk stats`` prints."""

    path: str
    articles: int
    entities: int
    mentions: int
    files: int
    size_bytes: int
    model: str
    model_version: str
    schema_version: int


class Library(SearchQueries, EntityQueries):
    """A library opened for reading.

    Use :meth:`open`; close with :meth:`close` (or as a context manager).
    """

    def __init__(self, paths: LibraryPaths, manifest: Manifest) -> None:
        self.paths = paths
        self.manifest = manifest
        self._local = threading.local()
        self._lock = threading.Lock()
        self._ix = None
        #: Every thread's store, with the thread that opened it.
        self._stores: list[tuple[int, Store]] = []
        self._state_store: Store | None = None
        #: A one-line error when ``aliases.toml`` is broken (None when fine).
        self.curation_error: str | None = None

    @classmethod
    def open(cls, path: str | os.PathLike) -> Library:
        """Open an existing library after checking that it is safe and current.

        Raises:
            LibraryMissing: No library there.
            UnsafeLibrary: Owned by another user, writable by others, or with symlinks.
            SchemaMismatch: Built by another schema version.
        """
        paths = LibraryPaths(Path(path))
        check_safe(paths.root)
        manifest = read_manifest(paths)
        lib = cls(paths, manifest)
        try:
            conn = lib._store().conn  # fail now, not in a worker, if the store is unreadable
            ensure_current(conn, paths, lambda: Store(paths.store).close())
        except BaseException:
            lib.close()
            raise
        lib.curation_error = lib.apply_aliases()
        return lib

    def apply_aliases(self) -> str | None:
        """Apply ``aliases.toml`` if it changed since the store last applied it.

        Returns:
            None, or a one-line error naming the file when it is broken or
            cannot be applied (the library keeps the curation it had). When
            another writer holds the library, the change waits for it.
        """
        from index.entities.curation import aliases_digest
        from index.errors import LibraryBusy
        from index.layout import WriteLock
        from index.store.curation import sync_curation

        path = self.paths.aliases
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raw = None
        except OSError as err:
            return f"{path}: cannot read: {err.strerror or err}"
        if aliases_digest(raw) == applied_curation(self._store().conn).digest:
            return None
        try:
            with WriteLock(self.paths, wait=False):
                store = Store(self.paths.store)
                try:
                    _report, error = sync_curation(store, path)
                finally:
                    store.close()
        except LibraryBusy:
            return None
        except Exception as err:  # noqa: BLE001 - sqlite and OS errors
            return f"{path}: cannot apply: {err}"
        return error

    @property
    def path(self) -> Path:
        """The library directory."""
        return self.paths.root

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections this library opened.

        The calling thread's store is closed. Another thread's is interrupted
        (a query running on it stops with ``sqlite3.OperationalError``) and
        left open: closing a SQLite connection while its thread is stepping a
        query crashed the process (a segfault in ``libsqlite3`` when a reader
        app quit with a search still running). It closes with its thread.
        """
        me = threading.get_ident()
        with self._lock:
            for owner, store in self._stores:
                try:
                    if owner == me:
                        store.close()
                    else:
                        store.conn.interrupt()
                except Exception:  # noqa: BLE001 - already closed
                    pass
            self._stores.clear()
            if self._state_store is not None:
                self._state_store.close()
                self._state_store = None

    # -- per-thread resources ------------------------------------------------------
    def _store(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            try:
                store = Store(self.paths.store, readonly=True)
                store.conn.execute("SELECT 1 FROM articles LIMIT 1").fetchall()
            except Exception as err:  # noqa: BLE001 - sqlite raises several types
                raise LibraryDamaged(str(self.paths.store), f"store unreadable: {err}") from err
            self._local.store = store
            with self._lock:
                self._stores.append((threading.get_ident(), store))
        return store

    def _index(self):
        with self._lock:
            if self._ix is None:
                from index.search.storage import open_index

                # Not verified by opening every segment here: the searcher opened
                # next does that (and maps damage to LibraryDamaged), once.
                self._ix = open_index(self.paths.index, readonly=True, verify=False)
            return self._ix

    def _searcher(self):
        """Return the thread's searcher, refreshed if a writer committed since it opened."""
        for attempt in range(20):
            try:
                searcher = getattr(self._local, "searcher", None)
                if searcher is None:
                    ix = self._index()
                    searcher = ix.searcher()
                    self._local.searcher = searcher
                    from index.search.query import make_parser

                    self._local.parser = make_parser(ix.schema)
                elif not searcher.up_to_date():
                    # A new searcher, not searcher.refresh(): Whoosh's refresh keeps
                    # the segments a merge replaced (every document twice) and the
                    # old deletions. A search still holding the old one keeps it
                    # alive; it closes when dropped.
                    searcher = self._index().searcher()
                    self._local.searcher = searcher
                return searcher
            except FileNotFoundError as err:
                # A commit replaced the TOC between our look and our read: look again,
                # but only while the generation moves; a truly missing file is damage.
                from index.search.storage import latest_generation

                before = latest_generation(self.paths.index)
                time.sleep(0.01 * (attempt + 1))
                if latest_generation(self.paths.index) == before and attempt > 2:
                    raise LibraryDamaged(str(self.paths.index), "index files missing") from err
            except (LibraryError, MemoryError, RecursionError):
                raise
            except Exception as err:  # noqa: BLE001 - damaged segments raise many types
                detail = f"{type(err).__name__}: {err}"[:200]
                raise LibraryDamaged(str(self.paths.index), detail) from err
        raise LibraryDamaged(str(self.paths.index), "index kept changing while opening")

    def warm(self) -> None:
        """Load what a first search needs: the ranking code, the searcher, the term filters.

        The reader runs this in a worker at launch: numpy and the ranking
        code, this thread's searcher, and the in-memory term filters that
        fuzzy searches use (:func:`index.search.accel.termprobe.prepare`).
        """
        from index.search.accel import fastscore  # noqa: F401 - the import is the point
        from index.search.accel.termprobe import prepare

        prepare(self._searcher().reader())

    # -- listing and search --------------------------------------------------------
    def newest(self, limit: int = 50, offset: int = 0) -> Page:
        """The newest articles first (undated ones last), straight from SQLite."""
        store = self._store()
        rows = store.newest(limit, offset)
        hits = [
            Hit(id=r[0], title=r[1], date=r[2], source=r[3], score=0.0, snippet="") for r in rows
        ]
        return Page(query="", total=store.article_count(), hits=hits, offset=offset)

    # -- articles --------------------------------------------------------------------
    def article(
        self, article_id: str, *, labels: Iterable[str] | None = NAMED_LABELS
    ) -> ArticleView:
        """One article with its entity spans (named kinds only, unless ``labels`` says).

        Raises:
            KeyError: No such article.
        """
        store = self._store()
        row = store.article_row(article_id)
        body = store.body(article_id)
        if row is None or body is None:
            raise KeyError(article_id)
        art = Article(
            id=row[0],
            title=row[1],
            body=body,
            date=row[2],
            source=row[3],
            url=row[4],
            author=row[5],
            path=row[6],
            line=row[7],
        )
        wanted = None if labels is None else set(labels)
        spans = [
            EntitySpan(start, end, label, art.body[start:end], key, name)
            for start, end, key, label, name in store.spans(article_id)
            if wanted is None or label in wanted
        ]
        return ArticleView(article=art, entities=spans)

    # -- state and stats -------------------------------------------------------------------
    def get_state(self, name: str) -> str | None:
        """Read a piece of persisted reader state."""
        return self._store().get_state(name)

    def set_state(self, name: str, value: str) -> None:
        """Persist a piece of reader state (query, open article, position)."""
        with self._lock:
            if self._state_store is None:
                self._state_store = Store(self.paths.store)
            try:
                self._state_store.set_state(name, value)
            except Exception as err:  # noqa: BLE001 - a busy or read-only store
                raise LibraryError(f"cannot save reading state: {err}") from err

    def stats(self) -> LibraryStats:
        """Counts, size on disk and the model the library was built with."""
        counts = self._store().stats()
        size = 0
        for dirpath, _dirs, files in os.walk(self.paths.root):
            for name in files:
                try:
                    size += os.lstat(os.path.join(dirpath, name)).st_size
                except OSError:
                    pass
        return LibraryStats(
            path=str(self.paths.root),
            articles=counts.articles,
            entities=counts.entities,
            mentions=counts.mentions,
            files=counts.files,
            size_bytes=size,
            model=self.manifest.model,
            model_version=self.manifest.model_version,
            schema_version=self.manifest.schema_version,
        )

"""Open a library and answer questions about it: the read API.

:class:`Library` is a facade over two collaborators: a search service
(:class:`~index.search.service.SearchService`, the Whoosh index with one
searcher per thread) and one read-only SQLite store per thread. Every method
may be called from any thread. The Whoosh index is opened lazily, on the
first search, so that listing the newest articles (from SQLite) never waits
for it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from index.entities.matching import pick_entity
from index.errors import LibraryDamaged, LibraryError, WriteFailed, is_disk_error
from index.layout import LibraryPaths, Manifest, check_safe, read_manifest
from index.library.corpus import StoreCorpus
from index.models import (
    NAMED_LABELS,
    Article,
    ArticleView,
    Entity,
    EntityPage,
    EntitySpan,
    Facet,
    Hit,
    Mention,
    Page,
)
from index.search.service import FACET_SAMPLE, SearchService
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


class Library:
    """A library opened for reading.

    Use :meth:`open`; close with :meth:`close` (or as a context manager).
    """

    def __init__(self, paths: LibraryPaths, manifest: Manifest) -> None:
        self.paths = paths
        self.manifest = manifest
        self._local = threading.local()
        self._lock = threading.Lock()
        #: Full-text search: the Whoosh index, one searcher per thread.
        self.searching = SearchService(paths.index)

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
        query can crash the process (a segfault in ``libsqlite3``, say when the
        reader quits with a search still running). It closes with its thread.
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
                if is_disk_error(err):  # opening writes the WAL index: a full disk, not damage
                    raise WriteFailed("the store", str(self.paths.store), err) from err
                raise LibraryDamaged(str(self.paths.store), f"store unreadable: {err}") from err
            self._local.store = store
            with self._lock:
                self._stores.append((threading.get_ident(), store))
        return store

    def _corpus(self) -> StoreCorpus:
        corpus = getattr(self._local, "corpus", None)
        store = self._store()
        if corpus is None or corpus.store is not store:
            corpus = self._local.corpus = StoreCorpus(store)
        return corpus

    def warm(self) -> None:
        """Load what a first search needs (the reader runs this in a worker at launch)."""
        self.searching.warm()

    # -- listing and search --------------------------------------------------------
    def newest(self, limit: int = 50, offset: int = 0) -> Page:
        """The newest articles first (undated ones last), straight from SQLite."""
        store = self._store()
        rows = store.newest(limit, offset)
        hits = [
            Hit(id=r[0], title=r[1], date=r[2], source=r[3], score=0.0, snippet="") for r in rows
        ]
        return Page(query="", total=store.article_count(), hits=hits, offset=offset)

    def search(
        self, text: str, *, limit: int = 20, offset: int = 0, highlight: bool = True
    ) -> Page:
        """Answer a query; an empty query lists the newest articles.

        Raises:
            QueryError: The query cannot be parsed or run (one-line message).
            LibraryDamaged: The index or the store cannot be read.
        """
        if not text.strip():
            return self.newest(limit, offset)
        return self.searching.search(
            text, self._corpus(), limit=limit, offset=offset, highlight=highlight
        )

    def result_ids(self, text: str, limit: int = 500) -> list[str]:
        """The ids of the best ``limit`` results of a query (the newest for an empty one)."""
        if not text.strip():
            return [h.id for h in self.newest(limit).hits]
        return self.searching.best(text, self._corpus(), limit).ids

    def facets(self, text: str, *, limit: int = 10, sample: int = FACET_SAMPLE) -> list[Facet]:
        """The named entities most mentioned among a query's best ``sample`` results.

        Entities the query itself names are left out. Hidden entities never
        appear. The ranking of a search of the same text is reused.

        Raises:
            QueryError: The query cannot be parsed.
        """
        if not text.strip():
            ids, entity_ids = [h.id for h in self.newest(sample).hits], []
        else:
            ranked = self.searching.best(text, self._corpus(), sample)
            ids, entity_ids = ranked.ids, ranked.entity_ids
        store = self._store()
        named = {
            e.key for e in (store.entities.entity_by_id(i) for i in entity_ids) if e is not None
        }
        found = store.context.facets(ids, limit + len(named))
        return [f for f in found if f.entity.key not in named][:limit]

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

    # -- entities and mentions ------------------------------------------------------------
    def entity(self, key: str, *, aliases: int = 5) -> Entity | None:
        """One entity by key (hidden ones too, flagged), with its top aliases."""
        return self._store().entities.entity(key, aliases)

    def find_entities(
        self,
        name_or_key: str,
        *,
        labels: Iterable[str] | None = None,
        include_hidden: bool = False,
    ) -> list[Entity]:
        """Entities a key, a name, any alias or a display name names (most articles first)."""
        found = self._store().entities.find_entities(
            name_or_key, None if labels is None else tuple(labels), include_hidden
        )
        return found

    def resolve_entity(self, value: str, *, include_hidden: bool = False) -> Entity:
        """The one entity a key or name names.

        Raises:
            LibraryError: Nothing is named so.
            AmbiguousEntity: Several entities are, equally well (the message lists keys).
        """
        found = self.find_entities(value, include_hidden=include_hidden)
        return pick_entity(found, value)

    def entities(
        self,
        *,
        labels: Iterable[str] | None = NAMED_LABELS,
        limit: int = 100,
        offset: int = 0,
        sort: str = "articles",
        contains: str = "",
        include_hidden: bool = False,
        aliases: int = 3,
    ) -> list[Entity]:
        """Entities sorted by ``articles``, ``mentions`` or ``name``.

        Args:
            labels: Only these kinds (None: every kind, dates and numbers too).
            limit: At most this many.
            offset: Skip this many.
            sort: ``articles``, ``mentions`` or ``name``.
            contains: Keep entities whose name or an alias contains this text.
            include_hidden: Include entities the user hid.
            aliases: How many top aliases to fill in per entity.
        """
        return self._store().entities.listing(
            labels,
            limit,
            offset,
            sort=sort,
            contains=contains,
            include_hidden=include_hidden,
            aliases=aliases,
        )

    def entity_page(self, key: str, *, cooccurring: int = 10) -> EntityPage | None:
        """Everything the entity page shows: aliases, labels, timeline, co-occurring entities."""
        store = self._store()
        ent_id = store.entities.entity_id(key)
        if ent_id is None:
            return None
        entity = store.entities.entity_by_id(ent_id, 5)
        if entity is None:
            return None
        timeline, undated = store.context.timeline(ent_id)
        return EntityPage(
            entity=entity,
            aliases=store.entities.aliases(ent_id),
            labels=store.entities.labels(ent_id),
            timeline=timeline,
            cooccurring=store.context.cooccurring(ent_id, cooccurring),
            undated=undated,
        )

    def labels(self) -> list[str]:
        """The kinds of entity the library holds (``PERSON``, ``GPE``, ...), sorted."""
        return self._store().entities.kinds()

    def explain_entity(self, name_or_key: str) -> list[str]:
        """Why the entities a name names are what they are, as lines of text."""
        from index.store.explain import explain_lines

        store = self._store()
        return explain_lines(store, applied_curation(store.conn), name_or_key)

    def mentions(
        self, key: str, *, limit: int = 50, offset: int = 0, exclude_article: str | None = None
    ) -> list[Mention]:
        """Mentions of an entity with their sentences, newest articles first."""
        return self._store().entities.mentions(key, limit, offset, exclude_article)

    def count_mentions(self, key: str, exclude_article: str | None = None) -> int:
        """How many mentions an entity has (outside one article, if given)."""
        return self._store().entities.count_mentions(key, exclude_article)

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

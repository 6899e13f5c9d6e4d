"""The SQLite store: the ledger of source files, articles, entities, mentions, reading state.

The store is the library's source of truth for what it holds; Whoosh answers
text queries. Counts are kept up to date by deltas so that no read ever has to
count mentions. Every write happens in one transaction.

:class:`Store` owns the connection: its schema, transactions, the ledger, the
articles, reading state and the batch write (:mod:`index.store.write`). Entity
reads are the two collaborators it holds over the same connection,
``store.entities`` (:class:`~index.store.entities.EntityReads`) and
``store.context`` (:class:`~index.store.context.EntityContext`).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from index.entities.resolve import Resolved
from index.errors import LibraryError, WriteFailed, is_disk_error
from index.layout import boundary
from index.models import EnrichedArticle
from index.store.context import EntityContext
from index.store.curation import applied_curation
from index.store.entities import EntityReads
from index.store.format import (
    ARTICLE_INDEXES,
    MENTION_INDEXES,
    STORE_FORMAT,
    articles_table,
    check_format,
    mentions_table,
    pack_body,
    read_body,
    unpack_body,
    upgrade_store,
)
from index.store.identity import Namer
from index.store.sql import marks
from index.store.write import upsert_files, write_batch

__all__ = ["FileRecord", "Store", "StoreStats", "pack_body", "unpack_body"]

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files(
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    hash TEXT NOT NULL, state TEXT NOT NULL, errors INTEGER NOT NULL DEFAULT 0,
    updated_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS file_articles(
    path TEXT NOT NULL, article_id TEXT NOT NULL, PRIMARY KEY(path, article_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS file_articles_article ON file_articles(article_id);
{articles_table("articles")};
{ARTICLE_INDEXES};
CREATE TABLE IF NOT EXISTS names(
    id INTEGER PRIMARY KEY, space TEXT NOT NULL, norm TEXT NOT NULL, display TEXT NOT NULL,
    entity INTEGER, UNIQUE(space, norm));
CREATE INDEX IF NOT EXISTS names_entity ON names(entity);
CREATE TABLE IF NOT EXISTS entities(
    id INTEGER PRIMARY KEY, space TEXT NOT NULL, norm TEXT NOT NULL, label TEXT NOT NULL,
    name TEXT NOT NULL, hidden INTEGER NOT NULL DEFAULT 0,
    articles INTEGER NOT NULL DEFAULT 0, mentions INTEGER NOT NULL DEFAULT 0,
    UNIQUE(space, norm));
CREATE INDEX IF NOT EXISTS entities_rank ON entities(articles DESC, mentions DESC);
CREATE INDEX IF NOT EXISTS entities_name ON entities(name COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS entity_labels(
    entity INTEGER NOT NULL, label TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY(entity, label)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entity_aliases(
    entity INTEGER NOT NULL, alias INTEGER NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY(entity, alias)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entity_aliases_alias ON entity_aliases(alias, entity);
{mentions_table("mentions")};
{MENTION_INDEXES};
CREATE TABLE IF NOT EXISTS state(name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS forms(word TEXT PRIMARY KEY, stem TEXT NOT NULL) WITHOUT ROWID;
"""


@dataclass(slots=True, frozen=True)
class FileRecord:
    """One source file in the ledger."""

    path: str
    size: int
    mtime_ns: int
    hash: str
    state: str
    errors: int = 0


@dataclass(slots=True, frozen=True)
class StoreStats:
    """Counts kept by the store."""

    articles: int
    entities: int
    mentions: int
    files: int


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly:
        uri = f"file:{path}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=30.0, check_same_thread=False)
    else:
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        conn = sqlite3.connect(path, timeout=30.0, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 30000")
    if not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
    return conn


class Store:
    """A connection to a library's SQLite store.

    Use one ``Store`` per thread; :class:`index.library.facade.Library` keeps one per
    reader thread.

    Args:
        path: The database file.
        readonly: Open read-only (readers) rather than read-write (the writer).

    Attributes:
        conn: The connection.
        entities: Entity lookups, listings and mentions over ``conn``.
        context: Entity figures over ``conn``: timelines, co-occurrences, facets, query terms.
    """

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        self.readonly = readonly
        self.conn = _connect(path, readonly)
        self.entities = EntityReads(self.conn)
        self.context = EntityContext(self.conn, self.entities)
        self._namer: Namer | None = None
        if not readonly:
            self._prepare()

    def _prepare(self) -> None:
        """Create the tables of a new store, or upgrade an older one (write connections)."""
        try:
            check_format(self.conn, self.path)
            upgrade_store(self.conn)
            self.conn.executescript(_SCHEMA)
            if self.conn.execute("PRAGMA user_version").fetchone()[0] < STORE_FORMAT:
                self.conn.execute(f"PRAGMA user_version = {STORE_FORMAT}")
        except sqlite3.Error as err:
            self.conn.close()
            if is_disk_error(err):
                raise WriteFailed("the store", str(self.path), err) from err
            raise LibraryError(f"{self.path}: cannot prepare the store: {err}") from err
        except BaseException:
            self.conn.close()
            raise

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Execute a block in one immediate transaction; roll back on any error.

        Raises:
            WriteFailed: The disk is full or failed: the transaction is rolled
                back and the store holds what it held before.
        """
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
        except (sqlite3.Error, OSError) as err:
            if is_disk_error(err):
                with contextlib.suppress(sqlite3.Error):
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                raise WriteFailed("the store", str(self.path), err) from err
            raise

    # -- the batch write ----------------------------------------------------------
    def apply_batch(
        self,
        *,
        files: list[FileRecord],
        links: dict[str, list[str]],
        items: list[EnrichedArticle],
        removed: set[str],
        dropped_files: Iterable[str] = (),
        resolved: dict[str, list[Resolved]] | None = None,
        more_links: dict[str, list[str]] | None = None,
        forms: dict[str, str] | None = None,
    ) -> None:
        """Write one batch in a single transaction, after Whoosh has committed it.

        Idempotent: applying the same batch twice leaves the same store.

        Args:
            files: Final ledger entries of the batch's files.
            links: For each file of the batch, the ids of the articles it holds now.
            items: The articles to (re)write with their entities and sentences.
            removed: Ids of articles to delete (no file holds them any more).
            dropped_files: Ledger entries to delete (pruned files).
            resolved: ``resolve_article`` of each item by article id, when the
                caller has it already (the writer resolves once for both stores).
            more_links: Article ids to add to a file's links, keeping the ones
                it has (a part of a large file, before its last).
            forms: The batch's words whose stem differs from them, with
                their stems (the lexicon that patterns expand through).
        """
        now = time.time()
        try:
            with self.transaction() as c:
                write_batch(
                    c,
                    self.namer,
                    files=files,
                    links=links,
                    more_links=more_links or {},
                    items=items,
                    removed=removed,
                    dropped_files=dropped_files,
                    now=now,
                    resolved=resolved or {},
                )
                if forms:
                    c.executemany(
                        "INSERT OR IGNORE INTO forms(word, stem) VALUES (?, ?)", forms.items()
                    )
        except BaseException:
            if self._namer is not None:
                self._namer.clear()  # its cached ids may name rows the rollback undid
            raise

    @property
    def namer(self) -> Namer:
        """The name and entity assigner of this (write) connection, with the library's curation."""
        if self._namer is None:
            self._namer = Namer(self.conn, applied_curation(self.conn))
        return self._namer

    def reset_namer(self) -> None:
        """Drop the cached curation and ids (after the curation changed)."""
        self._namer = None

    # -- meta and reading state -------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        """Read one value of the library's metadata."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Write one value of the library's metadata."""
        with self.transaction() as c:
            c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def get_state(self, name: str) -> str | None:
        """Read a piece of persisted reader state."""
        row = self.conn.execute("SELECT value FROM state WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def set_state(self, name: str, value: str) -> None:
        """Persist a piece of reader state."""
        with self.transaction() as c:
            c.execute("INSERT OR REPLACE INTO state(name, value) VALUES (?, ?)", (name, value))
        boundary()

    # -- ledger -------------------------------------------------------------------
    def file_record(self, path: str) -> FileRecord | None:
        """The ledger entry for a source file, or None."""
        row = self.conn.execute(
            "SELECT path, size, mtime_ns, hash, state, errors FROM files WHERE path = ?", (path,)
        ).fetchone()
        return FileRecord(*row) if row else None

    def file_records(self) -> list[FileRecord]:
        """Every ledger entry."""
        rows = self.conn.execute("SELECT path, size, mtime_ns, hash, state, errors FROM files")
        return [FileRecord(*row) for row in rows]

    def mark_files(self, records: Iterable[FileRecord]) -> None:
        """Write ledger entries (typically ``pending`` before a batch is written)."""
        now = time.time()
        with self.transaction() as c:
            upsert_files(c, records, now)

    def file_articles(self, paths: Iterable[str]) -> set[str]:
        """The ids of the articles the given files hold now."""
        ids: set[str] = set()
        for path in paths:
            rows = self.conn.execute("SELECT article_id FROM file_articles WHERE path = ?", (path,))
            ids.update(row[0] for row in rows)
        return ids

    def orphans(self, candidates: Iterable[str], leaving: Iterable[str]) -> set[str]:
        """Of ``candidates``, the articles no file outside ``leaving`` holds."""
        leaving = set(leaving)
        orphaned: set[str] = set()
        for article_id in candidates:
            rows = self.conn.execute(
                "SELECT path FROM file_articles WHERE article_id = ?", (article_id,)
            )
            if all(row[0] in leaving for row in rows):
                orphaned.add(article_id)
        return orphaned

    def article_exists(self, article_id: str) -> bool:
        """Tell whether the store holds an article."""
        row = self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row is not None

    # -- reads ----------------------------------------------------------------------
    def stats(self) -> StoreStats:
        """Article, entity, mention and file counts."""
        c = self.conn
        articles = c.execute("SELECT count(*) FROM articles").fetchone()[0]
        entities, mentions = c.execute(
            "SELECT count(*), coalesce(sum(mentions), 0) FROM entities WHERE hidden = 0"
        ).fetchone()
        files = c.execute("SELECT count(*) FROM files").fetchone()[0]
        return StoreStats(articles, entities, mentions, files)

    def newest(self, limit: int, offset: int = 0) -> list[tuple]:
        """Rows ``(id, title, date, source)`` of the newest articles (undated last)."""
        return self.conn.execute(
            "SELECT id, title, date, source FROM articles ORDER BY date DESC, id LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()

    def article_row(self, article_id: str) -> tuple | None:
        """Row ``(id, title, date, source, url, author, path, line)`` of one article."""
        return self.conn.execute(
            "SELECT id, title, date, source, url, author, path, line FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()

    def body(self, article_id: str) -> str | None:
        """The body of one article (None when the store does not hold it)."""
        return read_body(self.conn, article_id)

    def stems_with_prefix(self, prefix: str) -> list[str]:
        """The stems of the indexed words starting with ``prefix`` whose stems do not."""
        sql = (
            "SELECT DISTINCT stem FROM forms WHERE word >= ? AND word < ?"
            " AND substr(stem, 1, ?) != ?"
        )
        rows = self.conn.execute(sql, (prefix, prefix + "\U0010ffff", len(prefix), prefix))
        return [stem for (stem,) in rows]

    def forms_with_prefix(self, prefix: str) -> list[tuple[str, str]]:
        """Each indexed word starting with ``prefix`` whose stem differs from it, with its stem."""
        sql = "SELECT word, stem FROM forms WHERE word >= ? AND word < ?"
        return list(self.conn.execute(sql, (prefix, prefix + "\U0010ffff")))

    def stems_of(self, words: Iterable[str]) -> list[str]:
        """The stems of those of ``words`` that are indexed words whose stem differs from them."""
        words = list(words)
        found: list[str] = []
        for start in range(0, len(words), 500):
            chunk = words[start : start + 500]
            sql = f"SELECT stem FROM forms WHERE word IN ({marks(len(chunk))})"  # noqa: S608
            found.extend(stem for (stem,) in self.conn.execute(sql, chunk))
        return found

    def texts(self, article_ids: Sequence[str]) -> list[tuple[str, str]]:
        """The title and body of these articles, in order (empty for one the store lacks)."""
        found: dict[str, tuple[str, str]] = {}
        for start in range(0, len(article_ids), 500):
            chunk = list(article_ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT id, title, body FROM articles WHERE id IN ({marks})"  # noqa: S608
            for article_id, title, blob in self.conn.execute(sql, chunk):
                found[article_id] = (title, unpack_body(blob))
        return [found.get(a, ("", "")) for a in article_ids]

    def spans(self, article_id: str) -> list[tuple[int, int, str, str, str]]:
        """Rows ``(start, end, key, label, name)`` of an article's visible mentions, by start."""
        rows = self.conn.execute(
            "SELECT m.start, m.end, e.label || ':' || e.norm, e.label, e.name FROM articles a"
            " JOIN mentions m ON m.article = a.num JOIN entities e ON e.id = m.entity"
            " WHERE a.id = ? AND e.hidden = 0 ORDER BY m.start",
            (article_id,),
        )
        return rows.fetchall()

    def mention_spans(self, article_id: str, entity_ids: Sequence[int]) -> list[tuple[int, int]]:
        """``(start, end)`` of the mentions of some entities in one article."""
        ids = list(entity_ids)[:500]
        rows = self.conn.execute(
            "SELECT m.start, m.end FROM articles a JOIN mentions m ON m.article = a.num"
            f" WHERE a.id = ? AND m.entity IN ({marks(len(ids))}) ORDER BY m.start",
            [article_id, *ids],
        )
        return rows.fetchall()

    def article_count(self) -> int:
        """How many articles the library holds."""
        return self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    def quick_check(self) -> str:
        """Run ``PRAGMA quick_check`` and return its verdict (``ok`` when clean)."""
        return self.conn.execute("PRAGMA quick_check").fetchone()[0]

"""The SQLite store: the ledger of source files, articles, entities, mentions, reading state.

The store is the library's source of truth for what it holds; Whoosh answers
text queries. Counts are kept up to date by deltas so that no read ever has to
count mentions. Every write happens in one transaction.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from index.models import EnrichedArticle, Entity, Mention

__all__ = ["FileRecord", "Store", "StoreStats"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files(
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    hash TEXT NOT NULL, state TEXT NOT NULL, errors INTEGER NOT NULL DEFAULT 0,
    updated_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS file_articles(
    path TEXT NOT NULL, article_id TEXT NOT NULL, PRIMARY KEY(path, article_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS file_articles_article ON file_articles(article_id);
CREATE TABLE IF NOT EXISTS articles(
    id TEXT PRIMARY KEY, title TEXT NOT NULL, date TEXT, source TEXT NOT NULL,
    url TEXT NOT NULL, author TEXT NOT NULL, path TEXT NOT NULL, line INTEGER,
    chars INTEGER NOT NULL, added_at REAL NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS articles_newest ON articles(date DESC, id);
CREATE TABLE IF NOT EXISTS entities(
    key TEXT PRIMARY KEY, label TEXT NOT NULL, name TEXT NOT NULL,
    articles INTEGER NOT NULL DEFAULT 0, mentions INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entities_rank ON entities(articles DESC, mentions DESC);
CREATE INDEX IF NOT EXISTS entities_name ON entities(name COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS sentences(
    article_id TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    text TEXT NOT NULL, PRIMARY KEY(article_id, start)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS mentions(
    article_id TEXT NOT NULL, key TEXT NOT NULL, start INTEGER NOT NULL,
    end INTEGER NOT NULL, sent_start INTEGER NOT NULL, date TEXT,
    PRIMARY KEY(article_id, start, key)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(key, date DESC, article_id, start);
CREATE TABLE IF NOT EXISTS state(name TEXT PRIMARY KEY, value TEXT NOT NULL);
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

    Use one ``Store`` per thread; :class:`index.library.Library` keeps one per
    reader thread.

    Args:
        path: The database file.
        readonly: Open read-only (readers) rather than read-write (the writer).
    """

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        self.readonly = readonly
        self.conn = _connect(path, readonly)
        if not readonly:
            self.conn.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block in one immediate transaction; roll back on any error."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

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
            _upsert_files(c, records, now)

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

    # -- the batch write ----------------------------------------------------------
    def apply_batch(
        self,
        *,
        files: list[FileRecord],
        links: dict[str, list[str]],
        items: list[EnrichedArticle],
        removed: set[str],
        dropped_files: Iterable[str] = (),
    ) -> None:
        """Write one batch in a single transaction, after Whoosh has committed it.

        Idempotent: applying the same batch twice leaves the same store.

        Args:
            files: Final ledger entries of the batch's files.
            links: For each file of the batch, the ids of the articles it holds now.
            items: The articles to (re)write with their entities and sentences.
            removed: Ids of articles to delete (no file holds them any more).
            dropped_files: Ledger entries to delete (pruned files).
        """
        now = time.time()
        with self.transaction() as c:
            for article_id in removed | {item.article.id for item in items}:
                self._delete_article(c, article_id)
            for item in items:
                self._insert_article(c, item, now)
            for path in dropped_files:
                c.execute("DELETE FROM file_articles WHERE path = ?", (path,))
                c.execute("DELETE FROM files WHERE path = ?", (path,))
            for path, ids in links.items():
                c.execute("DELETE FROM file_articles WHERE path = ?", (path,))
                c.executemany(
                    "INSERT OR IGNORE INTO file_articles(path, article_id) VALUES (?, ?)",
                    [(path, article_id) for article_id in ids],
                )
            _upsert_files(c, files, now)

    @staticmethod
    def _delete_article(c: sqlite3.Connection, article_id: str) -> None:
        counts = c.execute(
            "SELECT key, count(*) FROM mentions WHERE article_id = ? GROUP BY key", (article_id,)
        ).fetchall()
        c.executemany(
            "UPDATE entities SET articles = articles - 1, mentions = mentions - ? WHERE key = ?",
            [(n, key) for key, n in counts],
        )
        c.executemany(
            "DELETE FROM entities WHERE key = ? AND articles <= 0", [(key,) for key, _ in counts]
        )
        c.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))
        c.execute("DELETE FROM sentences WHERE article_id = ?", (article_id,))
        c.execute("DELETE FROM articles WHERE id = ?", (article_id,))

    @staticmethod
    def _insert_article(c: sqlite3.Connection, item: EnrichedArticle, now: float) -> None:
        art = item.article
        c.execute(
            "INSERT INTO articles(id, title, date, source, url, author, path, line, chars,"
            " added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                art.id,
                art.title,
                art.date,
                art.source,
                art.url,
                art.author,
                art.path,
                art.line,
                len(art.body),
                now,
            ),
        )
        bounds = [(s.start, s.end) for s in item.sentences]
        per_key: dict[str, int] = {}
        used: dict[int, int] = {}
        rows = []
        for span in item.entities:
            s_start, s_end = _sentence_of(bounds, span.start, span.end)
            used[s_start] = max(used.get(s_start, s_end), s_end)
            rows.append((art.id, span.key, span.start, span.end, s_start, art.date))
            per_key[span.key] = per_key.get(span.key, 0) + 1
            c.execute(
                "INSERT OR IGNORE INTO entities(key, label, name, articles, mentions)"
                " VALUES (?, ?, ?, 0, 0)",
                (span.key, span.label, span.name),
            )
        c.executemany(
            "INSERT OR IGNORE INTO mentions(article_id, key, start, end, sent_start, date)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
        c.executemany(
            "INSERT OR REPLACE INTO sentences(article_id, start, end, text) VALUES (?, ?, ?, ?)",
            [(art.id, s, e, art.body[s:e]) for s, e in used.items()],
        )
        c.executemany(
            "UPDATE entities SET articles = articles + 1, mentions = mentions + ? WHERE key = ?",
            [(n, key) for key, n in per_key.items()],
        )

    # -- reads ----------------------------------------------------------------------
    def stats(self) -> StoreStats:
        """Article, entity, mention and file counts."""
        c = self.conn
        articles = c.execute("SELECT count(*) FROM articles").fetchone()[0]
        entities, mentions = c.execute(
            "SELECT count(*), coalesce(sum(mentions), 0) FROM entities"
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

    def article_count(self) -> int:
        """How many articles the library holds."""
        return self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    def spans(self, article_id: str) -> list[tuple[int, int, str, str, str]]:
        """Rows ``(start, end, key, label, name)`` of an article's mentions, by start."""
        return self.conn.execute(
            "SELECT m.start, m.end, m.key, e.label, e.name FROM mentions m"
            " JOIN entities e ON e.key = m.key WHERE m.article_id = ? ORDER BY m.start",
            (article_id,),
        ).fetchall()

    def entity(self, key: str) -> Entity | None:
        """One entity by key."""
        row = self.conn.execute(
            "SELECT key, name, label, articles, mentions FROM entities WHERE key = ?", (key,)
        ).fetchone()
        return Entity(*row) if row else None

    def entities(
        self, labels: Iterable[str] | None = None, limit: int = 100, offset: int = 0
    ) -> list[Entity]:
        """Entities, most articles first, optionally of some labels only."""
        sql = "SELECT key, name, label, articles, mentions FROM entities"
        params: list[object] = []
        if labels is not None:
            labels = list(labels)
            sql += f" WHERE label IN ({','.join('?' * len(labels))})"
            params.extend(labels)
        sql += " ORDER BY articles DESC, mentions DESC, name LIMIT ? OFFSET ?"
        params += [limit, offset]
        return [Entity(*row) for row in self.conn.execute(sql, params)]

    def entities_named(self, name: str) -> list[Entity]:
        """Entities whose name equals ``name``, case-insensitively."""
        rows = self.conn.execute(
            "SELECT key, name, label, articles, mentions FROM entities"
            " WHERE name = ? COLLATE NOCASE ORDER BY articles DESC",
            (name,),
        )
        return [Entity(*row) for row in rows]

    def mentions(
        self, key: str, limit: int = 50, offset: int = 0, exclude_article: str | None = None
    ) -> list[Mention]:
        """Mentions of an entity, newest articles first, with their sentences."""
        sql = (
            "SELECT m.article_id, a.title, m.date, m.start, m.end, s.text, s.start, m.key"
            " FROM mentions m JOIN articles a ON a.id = m.article_id"
            " JOIN sentences s ON s.article_id = m.article_id AND s.start = m.sent_start"
            " WHERE m.key = ?"
        )
        params: list[object] = [key]
        if exclude_article is not None:
            sql += " AND m.article_id != ?"
            params.append(exclude_article)
        sql += " ORDER BY m.date DESC, m.article_id, m.start LIMIT ? OFFSET ?"
        params += [limit, offset]
        out = []
        for art_id, title, date, start, end, context, c_start, k in self.conn.execute(sql, params):
            text = context[start - c_start : end - c_start]
            out.append(Mention(art_id, title, date, start, end, text, context, c_start, k))
        return out

    def count_mentions(self, key: str, exclude_article: str | None = None) -> int:
        """How many mentions an entity has, optionally outside one article."""
        entity = self.entity(key)
        if entity is None:
            return 0
        if exclude_article is None:
            return entity.mentions
        inside = self.conn.execute(
            "SELECT count(*) FROM mentions WHERE key = ? AND article_id = ?", (key, exclude_article)
        ).fetchone()[0]
        return entity.mentions - inside

    def quick_check(self) -> str:
        """Run ``PRAGMA quick_check`` and return its verdict (``ok`` when clean)."""
        return self.conn.execute("PRAGMA quick_check").fetchone()[0]


def _upsert_files(c: sqlite3.Connection, records: Iterable[FileRecord], now: float) -> None:
    c.executemany(
        "INSERT OR REPLACE INTO files(path, size, mtime_ns, hash, state, errors, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(r.path, r.size, r.mtime_ns, r.hash, r.state, r.errors, now) for r in records],
    )


def _sentence_of(bounds: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The sentence that holds ``start``, widened to cover ``end``."""
    lo, hi = 0, len(bounds)
    while lo < hi:
        mid = (lo + hi) // 2
        if bounds[mid][0] <= start:
            lo = mid + 1
        else:
            hi = mid
    if lo == 0:
        return (0, end)  # before the first sentence: from the start of the body
    s_start, s_end = bounds[lo - 1]
    return (s_start, max(s_end, end))

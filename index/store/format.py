"""The store's on-disk format: its version, the mention date key, the upgrade from format 1.

Format 2 keys a mention by the article's integer ``num`` and the article's
date as seconds (``at``), where format 1 repeated the 16-character article id
and the ISO date as text in every mention and again in the mentions' index:
about 40 bytes a mention, 450 MB at 100,000 articles. A format-1 store is
upgraded in place, in one transaction, the first time a writer opens it
(:func:`ensure_current` has ``Library.open`` do that first), so nothing
the library holds is lost or recomputed. Mentions of the same date are listed
in the order their articles were added (format 1: by article id). A store of
a newer format is refused rather than written.
"""

from __future__ import annotations

import calendar
import sqlite3
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime

from index.errors import LibraryBusy, LibraryError, SchemaMismatch
from index.layout import LibraryPaths, WriteLock

__all__ = [
    "ARTICLE_INDEXES",
    "MENTION_INDEXES",
    "STORE_FORMAT",
    "articles_table",
    "check_format",
    "date_key",
    "ensure_current",
    "is_current",
    "mentions_table",
    "pack_body",
    "read_body",
    "unpack_body",
    "upgrade_store",
]

#: ``PRAGMA user_version`` of a store in the current format.
STORE_FORMAT = 2

#: The indexes of the articles and mentions tables.
ARTICLE_INDEXES = "CREATE INDEX IF NOT EXISTS articles_newest ON articles(date DESC, id)"
MENTION_INDEXES = (
    "CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(entity, at DESC, article, start)"
)


def articles_table(name: str) -> str:
    """The ``CREATE TABLE`` of the articles, under ``name``."""
    return f"""CREATE TABLE IF NOT EXISTS {name}(
    num INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, title TEXT NOT NULL, date TEXT,
    source TEXT NOT NULL, url TEXT NOT NULL, author TEXT NOT NULL, path TEXT NOT NULL,
    line INTEGER, chars INTEGER NOT NULL, added_at REAL NOT NULL, body BLOB NOT NULL)"""


def mentions_table(name: str) -> str:
    """The ``CREATE TABLE`` of the mentions, under ``name``."""
    return f"""CREATE TABLE IF NOT EXISTS {name}(
    article INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    label TEXT NOT NULL, alias INTEGER NOT NULL, auto INTEGER NOT NULL,
    name INTEGER NOT NULL, entity INTEGER NOT NULL, sent_start INTEGER NOT NULL,
    sent_end INTEGER NOT NULL, at INTEGER,
    PRIMARY KEY(article, start)) WITHOUT ROWID"""


def date_key(date: str | None) -> int | None:
    """An article's ISO date as the seconds from 1970 (UTC) that order its mentions.

    Args:
        date: ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SS`` as ingest writes them
            (in UTC); an offset, should one come, is applied.

    Returns:
        The seconds, or None when undated or unreadable (listed last).
    """
    if not date:
        return None
    try:
        moment = datetime.fromisoformat(date)
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        return calendar.timegm(moment.timetuple())
    except (ValueError, OverflowError):
        return None


def _has_old_mentions(conn: sqlite3.Connection) -> bool:
    columns = {row[1] for row in conn.execute("PRAGMA table_info(mentions)")}
    return "article_id" in columns


def _version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def check_format(conn: sqlite3.Connection, path: object) -> None:
    """Refuse a store written by a newer newsdesk (its format is not ours to write).

    Raises:
        SchemaMismatch: The store's format is newer than :data:`STORE_FORMAT`.
    """
    version = _version(conn)
    if version > STORE_FORMAT:
        raise SchemaMismatch(
            f"{path}: the store has format {version}, this newsdesk knows {STORE_FORMAT};"
            " use a newer newsdesk"
        )


def is_current(conn: sqlite3.Connection) -> bool:
    """Tell whether a store (possibly read-only) needs no upgrade.

    Raises:
        SchemaMismatch: The store was written by a newer newsdesk.
    """
    check_format(conn, "store")
    tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'mentions'")
    if not tables.fetchone()[0]:
        return True  # a new store: the writer creates it in the current format
    return _version(conn) == STORE_FORMAT and not _has_old_mentions(conn)


def upgrade_store(conn: sqlite3.Connection) -> bool:
    """Rewrite a format-1 store's articles and mentions in format 2, in one transaction.

    Article numbers follow the order of the article ids. The new tables, their
    indexes and the format number are committed together, so a kill at any
    point leaves either the old store or the new one; the file is vacuumed
    afterwards so that the space comes back (which needs free space about the
    size of the store; without it the space is reused by later writes).

    Args:
        conn: The store's write connection (no transaction open).

    Returns:
        True when the store was upgraded, False when it needed nothing.
    """
    if not _has_old_mentions(conn):
        return False
    conn.create_function("newsdesk_date_key", 1, date_key, deterministic=True)
    cols = "id, title, date, source, url, author, path, line, chars, added_at, body"
    conn.execute("BEGIN IMMEDIATE")
    try:
        if not _has_old_mentions(conn):  # another writer upgraded it meanwhile
            conn.execute("ROLLBACK")
            return False
        conn.execute(articles_table("articles_v2"))
        conn.execute(f"INSERT INTO articles_v2({cols}) SELECT {cols} FROM articles ORDER BY id")
        conn.execute("CREATE TEMP TABLE article_at(num INTEGER PRIMARY KEY, at INTEGER)")
        conn.execute("INSERT INTO article_at SELECT num, newsdesk_date_key(date) FROM articles_v2")
        conn.execute(mentions_table("mentions_v2"))
        conn.execute(
            "INSERT INTO mentions_v2 SELECT a.num, m.start, m.end, m.label, m.alias, m.auto,"
            " m.name, m.entity, m.sent_start, m.sent_end, t.at"
            " FROM mentions m JOIN articles_v2 a ON a.id = m.article_id"
            " JOIN article_at t ON t.num = a.num ORDER BY a.num, m.start"
        )
        conn.execute("DROP TABLE article_at")
        conn.execute("DROP TABLE mentions")
        conn.execute("DROP TABLE articles")
        conn.execute("ALTER TABLE articles_v2 RENAME TO articles")
        conn.execute("ALTER TABLE mentions_v2 RENAME TO mentions")
        conn.execute(ARTICLE_INDEXES)
        conn.execute(MENTION_INDEXES)
        conn.execute(f"PRAGMA user_version = {STORE_FORMAT}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    try:
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error:
        pass  # no room for the copy: the space is reused by later writes instead
    return True


def _current(conn: sqlite3.Connection, paths: LibraryPaths) -> bool:
    """``is_current``, with SQLite's errors as one-line ``LibraryError``s naming the store."""
    try:
        return is_current(conn)
    except sqlite3.Error as err:
        raise LibraryError(f"{paths.store}: cannot read the store: {err}") from err


def ensure_current(
    conn: sqlite3.Connection,
    paths: LibraryPaths,
    open_writer: Callable[[], None],
    patience: float = 120.0,
) -> None:
    """Upgrade a store written in an older format before readers use it (once, in place).

    Readers open the store read-only, so the upgrade goes through a write
    connection (``open_writer`` opens and closes one) under the library's
    write lock. While another writer holds the lock (an ``add`` upgrades the
    store as it starts), wait until the store is current, for at most
    ``patience`` seconds.

    Args:
        conn: The reader's own (read-only) connection, which sees the upgrade.
        paths: The library.
        open_writer: Opens and closes a write connection (which upgrades).
        patience: Seconds to wait for another writer.

    Raises:
        SchemaMismatch: The store was written by a newer newsdesk.
        LibraryBusy: Another writer kept the lock and the store stayed old.
        LibraryError: The upgrade failed (for example, the disk is full).
    """
    deadline = time.monotonic() + patience
    while not _current(conn, paths):
        try:
            with WriteLock(paths, wait=False):
                open_writer()
            return
        except LibraryBusy:
            if time.monotonic() > deadline:
                raise LibraryBusy(
                    f"{paths.root}: its store needs a one-time upgrade and another newsdesk is"
                    " writing it; try again when that finishes"
                ) from None
            time.sleep(0.2)
        except OSError as err:
            raise LibraryError(f"{paths.store}: cannot upgrade the store: {err}") from err


def pack_body(body: str) -> bytes:
    """An article body as stored: UTF-8, zlib-compressed."""
    return zlib.compress(body.encode("utf-8"), 6)


def unpack_body(blob: bytes) -> str:
    """The inverse of :func:`pack_body`."""
    return zlib.decompress(blob).decode("utf-8")


def read_body(conn: sqlite3.Connection, article_id: str) -> str | None:
    """The body of one article (None when the store does not hold it)."""
    row = conn.execute("SELECT body FROM articles WHERE id = ?", (article_id,)).fetchone()
    return unpack_body(row[0]) if row else None

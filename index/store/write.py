"""The store's one write: a batch of articles, their mentions and counters, in one transaction.

A mix-in of :class:`~index.store.db.Store`. Counts are kept by deltas: deleting
an article subtracts its mentions from every counter it touched, inserting one
adds them, and :meth:`BatchWrites._settle` drops what emptied and re-votes the
labels of the entities touched.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from index.entities.resolve import NAMED_SPACE, Resolved, resolve_article
from index.models import EnrichedArticle
from index.store.entities import settle_entities
from index.store.format import date_key, pack_body
from index.store.identity import Namer

if TYPE_CHECKING:  # pragma: no cover
    from index.store.db import FileRecord

__all__ = ["BatchWrites", "upsert_files"]


class BatchWrites:
    """The batch write of the store (uses ``conn``, ``transaction``, ``_namer``, ``_touched``)."""

    conn: sqlite3.Connection
    _namer: Namer | None
    _touched: set[int]

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """One immediate transaction (provided by Store)."""
        raise NotImplementedError

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
        """
        now = time.time()
        self._touched.clear()
        try:
            with self.transaction() as c:
                self._apply(
                    c,
                    files,
                    links,
                    more_links or {},
                    items,
                    removed,
                    dropped_files,
                    now,
                    resolved or {},
                )
        except BaseException:
            self._touched.clear()
            if self._namer is not None:
                self._namer.clear()
            raise

    def _apply(
        self,
        c: sqlite3.Connection,
        files: list[FileRecord],
        links: dict[str, list[str]],
        more_links: dict[str, list[str]],
        items: list[EnrichedArticle],
        removed: set[str],
        dropped_files: Iterable[str],
        now: float,
        resolved: dict[str, list[Resolved]],
    ) -> None:
        for article_id in removed | {item.article.id for item in items}:
            self._delete_article(c, article_id)
        for item in items:
            mentions = resolved.get(item.article.id)
            if mentions is None:
                mentions = resolve_article(item)
            self._insert_article(c, item, now, mentions)
        for path in dropped_files:
            c.execute("DELETE FROM file_articles WHERE path = ?", (path,))
            c.execute("DELETE FROM files WHERE path = ?", (path,))
        for path in links:  # replaced; more_links only add
            c.execute("DELETE FROM file_articles WHERE path = ?", (path,))
        for path, ids in [*links.items(), *more_links.items()]:
            c.executemany(
                "INSERT OR IGNORE INTO file_articles(path, article_id) VALUES (?, ?)",
                [(path, article_id) for article_id in ids],
            )
        upsert_files(c, files, now)
        self._settle(c)

    @property
    def namer(self) -> Namer:
        """The name and entity assigner of this (write) connection, with the library's curation."""
        if self._namer is None:
            from index.store.curation import applied_curation

            self._namer = Namer(self.conn, applied_curation(self.conn))
        return self._namer

    def reset_namer(self) -> None:
        """Drop the cached curation and ids (after the curation changed)."""
        self._namer = None

    def _delete_article(self, c: sqlite3.Connection, article_id: str) -> None:
        found = c.execute("SELECT num FROM articles WHERE id = ?", (article_id,)).fetchone()
        if found is None:
            return
        num = found[0]
        rows = c.execute(
            "SELECT entity, label, alias, count(*) FROM mentions WHERE article = ?"
            " GROUP BY entity, label, alias",
            (num,),
        ).fetchall()
        if rows:
            per_entity: dict[int, int] = {}
            for entity, _label, _alias, n in rows:
                per_entity[entity] = per_entity.get(entity, 0) + n
            c.executemany(
                "UPDATE entities SET articles = articles - 1, mentions = mentions - ? WHERE id = ?",
                [(n, e) for e, n in per_entity.items()],
            )
            c.executemany(
                "UPDATE entity_labels SET n = n - ? WHERE entity = ? AND label = ?",
                [(n, e, label) for e, label, _a, n in rows],
            )
            c.executemany(
                "UPDATE entity_aliases SET n = n - ? WHERE entity = ? AND alias = ?",
                [(n, e, alias) for e, _l, alias, n in rows],
            )
            c.execute("DELETE FROM mentions WHERE article = ?", (num,))
            self._touched.update(per_entity)
        c.execute("DELETE FROM articles WHERE num = ?", (num,))

    def _insert_article(
        self, c: sqlite3.Connection, item: EnrichedArticle, now: float, mentions: list[Resolved]
    ) -> None:
        art = item.article
        cur = c.execute(
            "INSERT INTO articles(id, title, date, source, url, author, path, line, chars,"
            " added_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                pack_body(art.body),
            ),
        )
        num, at = cur.lastrowid, date_key(art.date)
        bounds = [(s.start, s.end) for s in item.sentences]
        namer = self.namer
        splits = namer.curation.splits
        per_entity: dict[int, int] = {}
        labels: dict[tuple[int, str], int] = {}
        aliases: dict[tuple[int, int], int] = {}
        rows = []
        for r in mentions:
            alias_id = namer.name(r.space, r.alias, r.alias_display)[0]
            auto_id = alias_id
            if r.auto != r.alias:
                auto_id = namer.name(r.space, r.auto, r.auto_display)[0]
            if r.space == NAMED_SPACE and r.alias in splits:
                name_id, entity = namer.entity_of(r.space, r.alias, r.alias_display, r.label)
            else:
                name_id, entity = namer.entity_of(r.space, r.auto, r.auto_display, r.label)
            s_start, s_end = _sentence_of(bounds, r.start, r.end)
            row = (num, r.start, r.end, r.label, alias_id, auto_id, name_id, entity)
            rows.append((*row, s_start, s_end))
            per_entity[entity] = per_entity.get(entity, 0) + 1
            labels[(entity, r.label)] = labels.get((entity, r.label), 0) + 1
            aliases[(entity, alias_id)] = aliases.get((entity, alias_id), 0) + 1
        c.executemany(
            "INSERT OR IGNORE INTO mentions(article, start, end, label, alias, auto, name,"
            " entity, sent_start, sent_end, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(*row, at) for row in rows],
        )
        c.executemany(
            "UPDATE entities SET articles = articles + 1, mentions = mentions + ? WHERE id = ?",
            [(n, e) for e, n in per_entity.items()],
        )
        c.executemany(
            "INSERT INTO entity_labels(entity, label, n) VALUES (?, ?, ?)"
            " ON CONFLICT(entity, label) DO UPDATE SET n = n + excluded.n",
            [(e, label, n) for (e, label), n in labels.items()],
        )
        c.executemany(
            "INSERT INTO entity_aliases(entity, alias, n) VALUES (?, ?, ?)"
            " ON CONFLICT(entity, alias) DO UPDATE SET n = n + excluded.n",
            [(e, alias, n) for (e, alias), n in aliases.items()],
        )
        self._touched.update(per_entity)

    def _settle(self, c: sqlite3.Connection) -> None:
        """After a batch: drop emptied counters and entities, re-vote touched labels."""
        touched = list(self._touched)
        self._touched.clear()
        settle_entities(c, touched)


def upsert_files(c: sqlite3.Connection, records: Iterable[FileRecord], now: float) -> None:
    """Write ledger entries (insert or replace), stamped ``now``."""
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

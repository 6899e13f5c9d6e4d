"""The store's one write: a batch of articles, their mentions and counters.

:func:`write_batch` runs inside the transaction that
:meth:`index.store.db.Store.apply_batch` opens. Counts are kept by deltas:
deleting an article subtracts its mentions from every counter it touched,
inserting one adds them, and :func:`~index.store.entities.settle_entities` then
drops what emptied and re-votes the labels of the entities touched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING

from index.entities.resolve import NAMED_SPACE, Resolved, resolve_article
from index.models import EnrichedArticle
from index.store.entities import settle_entities
from index.store.format import date_key, pack_body
from index.store.identity import Namer

if TYPE_CHECKING:  # pragma: no cover
    from index.store.db import FileRecord

__all__ = ["upsert_files", "write_batch"]


def write_batch(
    c: sqlite3.Connection,
    namer: Namer,
    *,
    files: list[FileRecord],
    links: dict[str, list[str]],
    more_links: dict[str, list[str]],
    items: list[EnrichedArticle],
    removed: set[str],
    dropped_files: Iterable[str],
    now: float,
    resolved: dict[str, list[Resolved]],
) -> None:
    """Write one batch on a connection inside its transaction.

    The arguments are those of :meth:`index.store.db.Store.apply_batch`, with
    ``namer`` the connection's name and entity assigner and ``now`` the time
    the batch's rows are stamped with.
    """
    touched: set[int] = set()
    for article_id in removed | {item.article.id for item in items}:
        _delete_article(c, article_id, touched)
    for item in items:
        mentions = resolved.get(item.article.id)
        if mentions is None:
            mentions = resolve_article(item)
        _insert_article(c, namer, item, now, mentions, touched)
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
    settle_entities(c, touched)


def _delete_article(c: sqlite3.Connection, article_id: str, touched: set[int]) -> None:
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
        touched.update(per_entity)
    c.execute("DELETE FROM articles WHERE num = ?", (num,))


def _insert_article(
    c: sqlite3.Connection,
    namer: Namer,
    item: EnrichedArticle,
    now: float,
    mentions: list[Resolved],
    touched: set[int],
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
    touched.update(per_entity)


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

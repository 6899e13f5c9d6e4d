"""Applying the user's curation (``aliases.toml``) to the store.

The store keeps the curation it last applied (as JSON in its metadata);
:func:`sync_curation` brings the store in line with the file whenever the file
changed, without re-running NER or touching the Whoosh index. The file's format
and its parsing are pure rules, in :mod:`index.entities.curation`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from index.entities.curation import Curation, curation_from_json, curation_to_json, read_curation
from index.entities.resolve import NAMED_SPACE
from index.store.entities import recount_entities
from index.store.identity import Namer

__all__ = ["SyncReport", "applied_curation", "sync_curation"]

_META = "curation"


@dataclass(slots=True, frozen=True)
class SyncReport:
    """What applying a curation changed."""

    names_moved: int = 0
    mentions_moved: int = 0
    entities_touched: int = 0


def applied_curation(conn: sqlite3.Connection) -> Curation:
    """The curation the store applied last."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (_META,)).fetchone()
    return curation_from_json(row[0] if row else None)


def sync_curation(store, path: Path) -> tuple[SyncReport | None, str | None]:
    """Apply ``aliases.toml`` to a store opened for writing, if it changed.

    Args:
        store: A writable :class:`~index.store.db.Store` (hold the library's write lock).
        path: The ``aliases.toml`` file.

    Returns:
        The report (None when nothing had changed) and a one-line error when
        the file is broken (the store then keeps the curation it had).
    """
    new, error = read_curation(path)
    if error:
        return None, error
    old = applied_curation(store.conn)
    if old.digest == new.digest and old == new:
        return None, None
    with store.transaction() as c:
        report = _apply(c, old, new)
        c.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (_META, curation_to_json(new))
        )
    store.reset_namer()
    return report, None


def _apply(c: sqlite3.Connection, old: Curation, new: Curation) -> SyncReport:
    namer = Namer(c, new)
    touched: set[int] = set()
    mentions_moved = 0
    # 1. splits that changed: re-point those aliases' mentions to their new names.
    repoint: list[tuple[int, str, int]] = []
    for norm in sorted(old.splits ^ new.splits):
        row = c.execute(
            "SELECT id, display FROM names WHERE space = ? AND norm = ?", (NAMED_SPACE, norm)
        ).fetchone()
        if row is None:
            continue
        alias_id, display = row
        split = norm in new.splits
        for article, start, auto, label in c.execute(
            "SELECT article, start, auto, label FROM mentions WHERE alias = ? AND auto != alias",
            (alias_id,),
        ).fetchall():
            target = alias_id
            if split:
                namer.entity_of(NAMED_SPACE, norm, display, label)
            else:
                target = auto
            repoint.append((target, article, start))
    # 2. every name's entity follows its root under the new curation.
    moves: list[tuple[int, int, int]] = []
    rows = c.execute(
        "SELECT n.id, n.norm, n.entity, e.norm, e.label FROM names n"
        " JOIN entities e ON e.id = n.entity WHERE n.space = ?",
        (NAMED_SPACE,),
    ).fetchall()
    for name_id, norm, entity, root_now, label in rows:
        root = new.root(norm, namer.table)
        if root != root_now:
            target = namer.entity_row(NAMED_SPACE, root, "", label)
            c.execute("UPDATE names SET entity = ? WHERE id = ?", (target, name_id))
            moves.append((name_id, entity, target))
    for name_id, source, target in moves:
        cur = c.execute(
            "UPDATE mentions SET entity = ? WHERE entity = ? AND name = ?",
            (target, source, name_id),
        )
        mentions_moved += cur.rowcount
        touched.update((source, target))
    for name_id, article, start in repoint:
        before = c.execute(
            "SELECT entity FROM mentions WHERE article = ? AND start = ?", (article, start)
        ).fetchone()
        after = c.execute("SELECT entity FROM names WHERE id = ?", (name_id,)).fetchone()[0]
        c.execute(
            "UPDATE mentions SET name = ?, entity = ? WHERE article = ? AND start = ?",
            (name_id, after, article, start),
        )
        touched.update((before[0], after))
        mentions_moved += 1
    # 3. names and hidden flags.
    for root in (old.hidden - new.hidden) | set(old.renames) - set(new.renames):
        row = c.execute(
            "SELECT id FROM entities WHERE space = ? AND norm = ?", (NAMED_SPACE, root)
        ).fetchone()
        if row is not None:
            touched.add(row[0])
            _reset_display(c, namer, row[0], root)
            c.execute("UPDATE entities SET hidden = 0 WHERE id = ?", (row[0],))
    for root in new.hidden:
        c.execute(
            "UPDATE entities SET hidden = 1 WHERE space = ? AND norm = ?", (NAMED_SPACE, root)
        )
    for root, display in new.renames.items():
        c.execute(
            "UPDATE entities SET name = ? WHERE space = ? AND norm = ?",
            (display, NAMED_SPACE, root),
        )
    recount_entities(c, touched)
    return SyncReport(len(moves), mentions_moved, len(touched))


def _reset_display(c: sqlite3.Connection, namer: Namer, entity: int, root: str) -> None:
    row = c.execute(
        "SELECT display FROM names WHERE space = ? AND norm = ?", (NAMED_SPACE, root)
    ).fetchone()
    display = namer.curation.display(root, row[0] if row else root, namer.table)
    c.execute("UPDATE entities SET name = ? WHERE id = ?", (display, entity))

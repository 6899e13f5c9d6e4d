"""Entity identity in the store: names and the entities they belong to.

Every normal form the library has seen is a *name* (a row of ``names``). A
mention points at its alias (its own name), its auto name (what it resolved to
in its article) and its effective name (the alias when the user split that
alias off, else the auto name). A name belongs to the entity of its *root*:
the name reached by following the user's merges and the built-in equivalents
(a split name keeps to itself; :meth:`index.entities.curation.Curation.root`).
The root's normal form and the majority label make the entity's key. Nothing
here rewrites a mention's surface form or offsets.
"""

from __future__ import annotations

import sqlite3

from index.entities.curation import Curation
from index.entities.names import equivalents
from index.entities.resolve import NAMED_SPACE

__all__ = ["Namer"]

#: Names whose ids the writer keeps in memory (cleared when full). About 300
#: bytes each, so an unbounded cache would grow ``add``'s memory with the
#: corpus (the names of a large corpus number hundreds of thousands); the
#: frequent names come back within a batch, and a miss is one indexed SQLite lookup.
_CACHE_LIMIT = 20_000


class Namer:
    """Name and entity ids inside a write transaction, with a bounded cache.

    Args:
        conn: The store's write connection.
        curation: The curation in force.
    """

    def __init__(self, conn: sqlite3.Connection, curation: Curation) -> None:
        self.conn = conn
        self.curation = curation
        self.table = equivalents()
        self._names: dict[tuple[str, str], list] = {}

    def clear(self) -> None:
        """Forget cached ids (after a rollback or a curation change)."""
        self._names.clear()

    def name(self, space: str, norm: str, display: str) -> list:
        """``[name id, entity id or None]`` of a name, created if new."""
        key = (space, norm)
        hit = self._names.get(key)
        if hit is not None:
            return hit
        row = self.conn.execute(
            "SELECT id, entity FROM names WHERE space = ? AND norm = ?", key
        ).fetchone()
        if row is None:
            cur = self.conn.execute(
                "INSERT INTO names(space, norm, display, entity) VALUES (?, ?, ?, NULL)",
                (space, norm, display),
            )
            row = (cur.lastrowid, None)
        if len(self._names) >= _CACHE_LIMIT:
            self._names.clear()
        hit = self._names[key] = list(row)
        return hit

    def entity_of(self, space: str, norm: str, display: str, label: str) -> tuple[int, int]:
        """``(name id, entity id)`` of a name used by a mention, assigning its entity if new."""
        hit = self.name(space, norm, display)
        if hit[1] is None:
            root = self.curation.root(norm, self.table) if space == NAMED_SPACE else norm
            hit[1] = self.entity_row(space, root, display if root == norm else "", label)
            self.conn.execute("UPDATE names SET entity = ? WHERE id = ?", (hit[1], hit[0]))
        return hit[0], hit[1]

    def entity_row(self, space: str, root: str, display: str, label: str) -> int:
        """The id of the entity rooted at ``root``, created (with the curation applied) if new."""
        row = self.conn.execute(
            "SELECT id FROM entities WHERE space = ? AND norm = ?", (space, root)
        ).fetchone()
        if row is not None:
            return row[0]
        if not display:
            named = self.conn.execute(
                "SELECT display FROM names WHERE space = ? AND norm = ?", (space, root)
            ).fetchone()
            display = named[0] if named else root
        named_space = space == NAMED_SPACE
        name = self.curation.display(root, display, self.table) if named_space else display
        hidden = int(named_space and root in self.curation.hidden)
        cur = self.conn.execute(
            "INSERT INTO entities(space, norm, label, name, hidden) VALUES (?, ?, ?, ?, ?)",
            (space, root, label, name, hidden),
        )
        return int(cur.lastrowid)

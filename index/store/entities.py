"""Entity reads and counter upkeep in the SQLite store.

:class:`EntityReads` looks entities up by key or name (through every alias),
lists them, their mentions, aliases and label votes (their timeline,
co-occurrences, facets and Whoosh terms are in :mod:`index.store.context`).
Hidden entities are left out of every listing. :func:`settle_entities` and
:func:`recount_entities` keep the counters of the entities a write touched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from index.entities.curation import vote
from index.entities.names import normal_form, split_key
from index.entities.resolve import NAMED_SPACE
from index.models import NAMED_LABELS, Entity, Mention
from index.store.format import read_body
from index.store.sql import chunks, marks

__all__ = ["EntityReads", "recount_entities", "settle_entities"]

_COLS = "e.id, e.label, e.norm, e.name, e.articles, e.mentions, e.hidden"
_SORTS = {
    "articles": "e.articles DESC, e.mentions DESC, e.name COLLATE NOCASE",
    "mentions": "e.mentions DESC, e.articles DESC, e.name COLLATE NOCASE",
    "name": "e.name COLLATE NOCASE, e.articles DESC",
}
_NAMED = frozenset(NAMED_LABELS)


def _space(label: str) -> str:
    return NAMED_SPACE if label in _NAMED else label


class EntityReads:
    """Entity lookups, listings and mentions over one connection of the store.

    Args:
        conn: The store's connection.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # -- lookups -----------------------------------------------------------------------
    def _entity(self, row: Sequence, aliases: int = 0) -> Entity:
        ent_id, label, norm, name, articles, mentions, hidden = row
        top = tuple(self.aliases(ent_id, aliases)) if aliases else ()
        return Entity(f"{label}:{norm}", name, label, articles, mentions, top, bool(hidden))

    def entity_id(self, key: str) -> int | None:
        """The id of the entity a key names (following merges), or None."""
        parsed = split_key(key)
        if parsed is None:
            return None
        label, norm = parsed
        space = _space(label)
        row = self.conn.execute(
            "SELECT id FROM entities WHERE space = ? AND norm = ? AND mentions > 0", (space, norm)
        ).fetchone()
        if row is None:
            row = self.conn.execute(
                "SELECT entity FROM names WHERE space = ? AND norm = ? AND entity IS NOT NULL",
                (space, norm),
            ).fetchone()
        return row[0] if row else None

    def entity_by_id(self, entity_id: int, aliases: int = 0) -> Entity | None:
        """One entity by id, with its top ``aliases``."""
        row = self.conn.execute(f"SELECT {_COLS} FROM entities e WHERE e.id = ?", (entity_id,))
        found = row.fetchone()
        return self._entity(found, aliases) if found else None

    def entity(self, key: str, aliases: int = 0) -> Entity | None:
        """One entity by key (hidden ones included, flagged)."""
        ent_id = self.entity_id(key)
        return None if ent_id is None else self.entity_by_id(ent_id, aliases)

    def find_entity_ids(
        self, value: str, labels: Iterable[str] | None = None, include_hidden: bool = False
    ) -> list[int]:
        """Entities a user's value names: a key, a name or any alias, or a display name.

        With ``labels`` and no exact match, entities with a name that contains
        the value's words are returned (``person:wang`` finds Wang Yi).
        """
        wanted = None if labels is None else set(labels)
        found: list[int] = []
        if split_key(value) is not None:
            ent_id = self.entity_id(value)
            if ent_id is not None:
                found.append(ent_id)
        norm = normal_form(value)
        if norm and not found:
            # Named labels share one name space: looking there uses the
            # (space, norm) index instead of scanning every name.
            named = wanted is not None and wanted <= _NAMED
            where = "n.space = ? AND n.norm = ?" if named else "n.norm = ?"
            keys = (NAMED_SPACE, norm) if named else (norm,)
            rows = self.conn.execute(
                f"SELECT n.entity FROM names n WHERE {where} AND n.entity IS NOT NULL"
                " UNION SELECT a.entity FROM names n JOIN entity_aliases a ON a.alias = n.id"
                f" WHERE {where} AND a.n > 0"
                " UNION SELECT e.id FROM entities e WHERE e.name = ? COLLATE NOCASE",
                (*keys, *keys, value.strip()),
            ).fetchall()
            found.extend(r[0] for r in rows)
        result = self._filter(found, wanted, include_hidden)
        if not result and wanted is not None and norm:
            rows = self.conn.execute(
                "SELECT DISTINCT entity FROM names WHERE space = ? AND entity IS NOT NULL"
                " AND (' ' || norm || ' ') LIKE ? LIMIT 500",
                (NAMED_SPACE, f"% {norm} %"),
            ).fetchall()
            result = self._filter([r[0] for r in rows], wanted, include_hidden)
        return result

    def _filter(self, ids: list[int], labels: set[str] | None, include_hidden: bool) -> list[int]:
        ids = list(dict.fromkeys(ids))
        if not ids:
            return []
        rows = self.conn.execute(
            f"SELECT id, label, hidden FROM entities WHERE id IN ({marks(len(ids))})"
            " AND mentions > 0 ORDER BY articles DESC, mentions DESC",
            ids,
        ).fetchall()
        return [
            i
            for i, label, hidden in rows
            if (labels is None or label in labels) and (include_hidden or not hidden)
        ]

    def find_entities(
        self, value: str, labels: Iterable[str] | None = None, include_hidden: bool = False
    ) -> list[Entity]:
        """Like :meth:`find_entity_ids`, as entities (most articles first)."""
        ids = self.find_entity_ids(value, labels, include_hidden)
        return [e for e in (self.entity_by_id(i, 5) for i in ids) if e is not None]

    def listing(
        self,
        labels: Iterable[str] | None = None,
        limit: int = 100,
        offset: int = 0,
        *,
        sort: str = "articles",
        contains: str = "",
        include_hidden: bool = False,
        aliases: int = 0,
    ) -> list[Entity]:
        """Entities, sorted by ``articles``, ``mentions`` or ``name``, optionally filtered."""
        sql = f"SELECT {_COLS} FROM entities e WHERE e.mentions > 0"
        params: list[object] = []
        if not include_hidden:
            sql += " AND e.hidden = 0"
        if labels is not None:
            labels = list(labels)
            sql += f" AND e.label IN ({marks(len(labels))})"
            params.extend(labels)
        norm = normal_form(contains) if contains.strip() else ""
        if norm:
            sql += (
                " AND (e.name LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM entity_aliases a"
                " JOIN names n ON n.id = a.alias WHERE a.entity = e.id AND n.norm LIKE ?"
                " ESCAPE '\\'))"
            )
            pattern = "%" + _like(contains.strip()) + "%"
            params += [pattern, "%" + _like(norm) + "%"]
        sql += f" ORDER BY {_SORTS.get(sort, _SORTS['articles'])} LIMIT ? OFFSET ?"
        params += [limit, offset]
        return [self._entity(row, aliases) for row in self.conn.execute(sql, params).fetchall()]

    def aliases(self, entity_id: int, limit: int | None = None) -> list[tuple[str, int]]:
        """An entity's surface forms (as display names) with mention counts, most first."""
        rows = self.conn.execute(
            "SELECT n.display, a.n FROM entity_aliases a JOIN names n ON n.id = a.alias"
            " WHERE a.entity = ? AND a.n > 0 ORDER BY a.n DESC, n.display LIMIT ?",
            (entity_id, -1 if limit is None else limit),
        )
        return [(display, n) for display, n in rows]

    def kinds(self) -> list[str]:
        """Every label an entity of the library has, sorted."""
        rows = self.conn.execute("SELECT DISTINCT label FROM entities WHERE mentions > 0")
        return sorted(row[0] for row in rows)

    def labels(self, entity_id: int) -> dict[str, int]:
        """Mentions per spaCy label of an entity."""
        rows = self.conn.execute(
            "SELECT label, n FROM entity_labels WHERE entity = ? AND n > 0 ORDER BY n DESC",
            (entity_id,),
        )
        return dict(rows.fetchall())

    # -- mentions --------------------------------------------------------------------------
    def mentions(
        self, key: str, limit: int = 50, offset: int = 0, exclude_article: str | None = None
    ) -> list[Mention]:
        """Mentions of an entity, newest articles first, with their sentences."""
        ent_id = self.entity_id(key)
        if ent_id is None:
            return []
        sql = (
            "SELECT a.id, a.title, a.date, m.start, m.end, m.sent_start, m.sent_end"
            " FROM mentions m JOIN articles a ON a.num = m.article WHERE m.entity = ?"
        )
        params: list[object] = [ent_id]
        if exclude_article is not None:
            sql += " AND a.id != ?"
            params.append(exclude_article)
        sql += " ORDER BY m.at DESC, m.article, m.start LIMIT ? OFFSET ?"
        params += [limit, offset]
        rows = self.conn.execute(sql, params).fetchall()
        bodies: dict[str, str] = {}
        out = []
        for art_id, title, date, start, end, s_start, s_end in rows:
            if art_id not in bodies:
                bodies[art_id] = read_body(self.conn, art_id) or ""
            body = bodies[art_id]
            text, context = body[start:end], body[s_start:s_end]
            out.append(Mention(art_id, title, date, start, end, text, context, s_start, key))
        return out

    def count_mentions(self, key: str, exclude_article: str | None = None) -> int:
        """How many mentions an entity has, optionally outside one article."""
        ent_id = self.entity_id(key)
        if ent_id is None:
            return 0
        total = self.conn.execute("SELECT mentions FROM entities WHERE id = ?", (ent_id,))
        count = total.fetchone()[0]
        if exclude_article is None:
            return count
        inside = self.conn.execute(
            "SELECT count(*) FROM articles a JOIN mentions m ON m.article = a.num"
            " WHERE m.entity = ? AND a.id = ?",
            (ent_id, exclude_article),
        ).fetchone()[0]
        return count - inside


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def settle_entities(c: sqlite3.Connection, ids: Iterable[int]) -> None:
    """Drop emptied counters and entities, and re-vote the labels of the rest."""
    ids = list(dict.fromkeys(ids))
    for chunk in chunks(ids):
        places = marks(len(chunk))
        c.execute(f"DELETE FROM entity_labels WHERE entity IN ({places}) AND n <= 0", chunk)
        c.execute(f"DELETE FROM entity_aliases WHERE entity IN ({places}) AND n <= 0", chunk)
        empty = [
            r[0]
            for r in c.execute(
                f"SELECT id FROM entities WHERE id IN ({places}) AND mentions <= 0", chunk
            )
        ]
        for ent in empty:
            c.execute("UPDATE names SET entity = NULL WHERE entity = ?", (ent,))
            c.execute("DELETE FROM entity_labels WHERE entity = ?", (ent,))
            c.execute("DELETE FROM entity_aliases WHERE entity = ?", (ent,))
            c.execute("DELETE FROM entities WHERE id = ?", (ent,))
        votes: dict[int, dict[str, int]] = {}
        for ent, label, n in c.execute(
            f"SELECT entity, label, n FROM entity_labels WHERE entity IN ({places})", chunk
        ):
            votes.setdefault(ent, {})[label] = n
        c.executemany(
            "UPDATE entities SET label = ? WHERE id = ? AND label != ?",
            [(vote(v), ent, vote(v)) for ent, v in votes.items()],
        )


def recount_entities(c: sqlite3.Connection, ids: Iterable[int]) -> None:
    """Recompute the counts, label votes and aliases of entities from their mentions."""
    ids = list(dict.fromkeys(ids))
    for ent in ids:
        articles, mentions = c.execute(
            "SELECT count(DISTINCT article), count(*) FROM mentions WHERE entity = ?", (ent,)
        ).fetchone()
        c.execute(
            "UPDATE entities SET articles = ?, mentions = ? WHERE id = ?",
            (articles, mentions, ent),
        )
        c.execute("DELETE FROM entity_labels WHERE entity = ?", (ent,))
        c.execute(
            "INSERT INTO entity_labels(entity, label, n) SELECT entity, label, count(*)"
            " FROM mentions WHERE entity = ? GROUP BY label",
            (ent,),
        )
        c.execute("DELETE FROM entity_aliases WHERE entity = ?", (ent,))
        c.execute(
            "INSERT INTO entity_aliases(entity, alias, n) SELECT entity, alias, count(*)"
            " FROM mentions WHERE entity = ? GROUP BY alias",
            (ent,),
        )
    settle_entities(c, ids)

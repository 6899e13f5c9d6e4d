"""An entity's context in the SQLite store: timeline, co-occurrences, facets, query terms.

:class:`EntityContext` holds the entity page's figures and what search needs
from the entity tables. Hidden entities are left out of every listing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from index.entities.resolve import NAMED_SPACE
from index.models import NAMED_LABELS, Cooccurrence, Facet
from index.store.entities import EntityReads
from index.store.sql import chunks, marks

__all__ = ["COOCCUR_ARTICLES", "EntityContext"]

_NAMED = frozenset(NAMED_LABELS)
#: The most recent articles of an entity that "appears with" looks at.
COOCCUR_ARTICLES = 2000


class EntityContext:
    """Entity figures over many rows of one connection of the store.

    Args:
        conn: The store's connection.
        entities: The entity reads of the same connection, for the entities found.
    """

    def __init__(self, conn: sqlite3.Connection, entities: EntityReads) -> None:
        self.conn = conn
        self.entities = entities

    # -- the entity page -----------------------------------------------------------------
    def timeline(self, entity_id: int) -> tuple[list[tuple[str, int]], int]:
        """Mentions per month (every month from first to last) and the undated count."""
        rows = self.conn.execute(
            "SELECT strftime('%Y-%m', at, 'unixepoch') AS month, count(*) FROM mentions"
            " WHERE entity = ? GROUP BY month",
            (entity_id,),
        ).fetchall()
        undated = sum(n for month, n in rows if not month or len(month) != 7)
        counts = {month: n for month, n in rows if month and len(month) == 7}
        return _months(counts), undated

    def cooccurring(self, entity_id: int, limit: int = 10) -> list[Cooccurrence]:
        """Entities sharing the most sentences, then articles, with ``entity_id``.

        Looks at the entity's :data:`COOCCUR_ARTICLES` most recent articles.
        """
        rows = self.conn.execute(
            "WITH mine AS (SELECT DISTINCT article, sent_start FROM mentions"
            "   WHERE entity = ?1 AND article IN (SELECT DISTINCT article FROM mentions"
            "   WHERE entity = ?1 ORDER BY at DESC LIMIT ?2)),"
            " arts AS (SELECT DISTINCT article FROM mine)"
            " SELECT o.entity,"
            "  count(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM mine WHERE"
            "   mine.article = o.article AND mine.sent_start = o.sent_start)"
            "   THEN o.article || ':' || o.sent_start END) AS sentences,"
            "  count(DISTINCT o.article) AS articles"
            " FROM mentions o JOIN arts ON arts.article = o.article"
            " JOIN entities e ON e.id = o.entity"
            " WHERE o.entity != ?1 AND e.hidden = 0 AND e.space = ''"
            " GROUP BY o.entity ORDER BY sentences DESC, articles DESC LIMIT ?3",
            (entity_id, COOCCUR_ARTICLES, limit),
        ).fetchall()
        out = []
        for other, sentences, articles in rows:
            ent = self.entities.entity_by_id(other)
            if ent is not None:
                out.append(Cooccurrence(ent, sentences, articles))
        return out

    # -- search support --------------------------------------------------------------------
    def facets(self, article_ids: Sequence[str], limit: int = 10) -> list[Facet]:
        """The named entities most often mentioned among some articles."""
        if not article_ids:
            return []
        counts: dict[int, int] = {}
        for chunk in chunks(list(article_ids)):
            rows = self.conn.execute(
                "SELECT m.entity, count(DISTINCT m.article) FROM articles a"
                " JOIN mentions m ON m.article = a.num"
                f" WHERE a.id IN ({marks(len(chunk))}) GROUP BY m.entity",
                list(chunk),
            )
            for ent, n in rows:
                counts[ent] = counts.get(ent, 0) + n
        out: list[Facet] = []
        for ent_id in sorted(counts, key=lambda e: -counts[e]):
            ent = self.entities.entity_by_id(ent_id)
            if ent is None or ent.hidden or ent.label not in _NAMED:
                continue
            out.append(Facet(ent, counts[ent_id]))
            if len(out) >= limit:
                break
        return out

    def query_terms(self, entity_ids: Sequence[int], splits: frozenset[str]) -> list[str]:
        """The Whoosh ``entity`` terms of some entities: their names, and split aliases.

        An article's document holds the names its mentions resolved to there,
        and ``@alias`` for a mention whose own name resolved to another one; a
        name the user split off matches through the latter too.
        """
        terms: list[str] = []
        for chunk in chunks(list(entity_ids)):
            rows = self.conn.execute(
                f"SELECT norm FROM names WHERE entity IN ({marks(len(chunk))}) AND space = ?",
                [*chunk, NAMED_SPACE],
            )
            for (norm,) in rows:
                terms.append(norm)
                if norm in splits:
                    terms.append("@" + norm)
        return terms

    def sentence_articles(self, first: Sequence[int], second: Sequence[int]) -> set[str]:
        """Articles with a sentence that mentions one of ``first`` and one of ``second``."""
        if not first or not second:
            return set()
        rows = self.conn.execute(
            "SELECT DISTINCT t.id FROM mentions a JOIN mentions b"
            " ON b.article = a.article AND b.sent_start = a.sent_start"
            " JOIN articles t ON t.num = a.article"
            f" WHERE a.entity IN ({marks(len(first))}) AND b.entity IN ({marks(len(second))})"
            " AND a.start != b.start",
            [*first, *second],
        )
        return {r[0] for r in rows}

    def explain(self, entity_id: int) -> list[tuple[str, str, str, str, int]]:
        """Rows ``(alias display, alias norm, auto norm, name norm, mentions)`` of an entity."""
        rows = self.conn.execute(
            "SELECT na.display, na.norm, nu.norm, nn.norm, count(*) FROM mentions m"
            " JOIN names na ON na.id = m.alias JOIN names nu ON nu.id = m.auto"
            " JOIN names nn ON nn.id = m.name WHERE m.entity = ?"
            " GROUP BY m.alias, m.auto, m.name ORDER BY count(*) DESC",
            (entity_id,),
        )
        return rows.fetchall()


def _months(counts: dict[str, int]) -> list[tuple[str, int]]:
    if not counts:
        return []
    first, last = min(counts), max(counts)
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while True:
        label = f"{year:04d}-{month:02d}"
        out.append((label, counts.get(label, 0)))
        if label >= last or len(out) > 1200:
            return out
        month += 1
        if month > 12:
            year, month = year + 1, 1

"""The search half of the library's read API: queries, results, facets."""

from __future__ import annotations

from index.errors import LibraryDamaged, QueryError
from index.models import Facet, Hit, Page
from index.search.plan import Plan, Resolver, StoredTexts, query_words, rank
from index.search.snippets import lead, match_spans, snippet
from index.store.curation import applied_curation
from index.store.db import Store

__all__ = ["SearchQueries"]


class SearchQueries:
    """Searches, answered by the calling thread's searcher and read-only store.

    A mix-in of :class:`~index.library.facade.Library`, which provides ``_store``,
    ``_searcher``, ``newest``, ``paths`` and the per-thread ``_local`` (where
    ``_searcher`` keeps the thread's query parser).
    """

    def _store(self) -> Store:  # pragma: no cover - provided by Library
        raise NotImplementedError

    def _searcher(self):  # pragma: no cover - provided by Library
        raise NotImplementedError

    def newest(self, limit: int = 50, offset: int = 0) -> Page:  # pragma: no cover
        """The newest articles (provided by Library)."""
        raise NotImplementedError

    def search(
        self, text: str, *, limit: int = 20, offset: int = 0, highlight: bool = True
    ) -> Page:
        """Run a query; an empty query lists the newest articles.

        Raises:
            QueryError: The query cannot be parsed or run (one-line message).
        """
        if not text.strip():
            return self.newest(limit, offset)
        searcher = self._searcher()
        plan = self._plan(text)
        if plan is None:
            return Page(query=text, total=0, hits=[], offset=offset)
        try:
            texts = self._texts(searcher)
            ranked, total, exact = rank(searcher, plan, offset + limit, texts)
            chosen = ranked[offset : offset + limit]
            words = query_words(plan.query, searcher.reader()) if highlight else None
            entity_ids = plan.entity_ids if highlight else []
            hits = [
                self._hit(searcher, docnum, score, words, entity_ids, texts.read.get(docnum))
                for docnum, score in chosen
            ]
        except (QueryError, LibraryDamaged):
            raise
        except Exception as err:  # noqa: BLE001 - damaged segments raise many types
            detail = f"{type(err).__name__}: {err}"[:200]
            raise LibraryDamaged(str(self.paths.index), f"search failed: {detail}") from err
        return Page(query=text, total=total, hits=hits, offset=offset, exact=exact)

    def _plan(self, text: str) -> Plan | None:
        """The Whoosh query, id filter and entities of a user's query; None if nothing matches.

        ``with:NAME`` keeps the articles where NAME shares a sentence with an
        entity of the query's entity clauses; without such a clause it keeps
        the articles that mention NAME.
        """
        from whoosh import query as wq

        from index.search.expand import expand_patterns
        from index.search.query import parse_query

        self._searcher()
        store = self._store()
        parsed = parse_query(text, self._local.parser, Resolver(store))
        q = parsed.query
        if q is wq.NullQuery and not (parsed.with_ids and not parsed.entity_ids):
            return None
        if q is not wq.NullQuery:
            q = expand_patterns(q, self._searcher().reader()).normalize()
            if q is wq.NullQuery and not parsed.with_ids:
                return None
        restrict = None
        if parsed.with_ids:
            if not all(parsed.with_ids):
                return None
            if parsed.entity_ids:
                allowed: set[str] | None = None
                for ids in parsed.with_ids:
                    found = store.sentence_articles(parsed.entity_ids, ids)
                    allowed = found if allowed is None else allowed & found
                if not allowed:
                    return None
                restrict = wq.Or([wq.Term("id", a) for a in sorted(allowed)])
            else:
                splits = applied_curation(store.conn).splits
                parts = [
                    wq.Or([wq.Term("entity", t) for t in store.query_terms(ids, splits)])
                    for ids in parsed.with_ids
                ]
                q = wq.And([q, *parts]) if q is not wq.NullQuery else wq.And(parts)
                q = q.normalize()
        return Plan(q, restrict, parsed.entity_ids)

    def result_ids(self, text: str, limit: int = 500) -> list[str]:
        """The ids of the best ``limit`` results of a query (the newest for an empty one)."""
        return self._best(text, limit)[0]

    def _best(self, text: str, limit: int) -> tuple[list[str], list[int]]:
        """The ids of a query's best results, best first, and the entities it names."""
        if not text.strip():
            return [h.id for h in self.newest(limit).hits], []
        searcher = self._searcher()
        plan = self._plan(text)
        if plan is None:
            return [], []
        ranked, _total_found, _exact = rank(searcher, plan, limit, self._texts(searcher))
        from index.search.accel.read_codec import ID_COLUMN

        column = searcher.reader().column_reader("id", ID_COLUMN)
        return [column[docnum] for docnum, _score in ranked], plan.entity_ids

    def _texts(self, searcher) -> StoredTexts:
        """Gives the stored title and body of a searcher's documents (to check phrases)."""
        return StoredTexts(self._store(), searcher)

    def facets(self, text: str, *, limit: int = 10, sample: int = 500) -> list[Facet]:
        """The named entities most mentioned among a query's best ``sample`` results.

        Entities the query itself names are left out. Hidden entities never appear.

        Raises:
            QueryError: The query cannot be parsed.
        """
        ids, entity_ids = self._best(text, sample)
        store = self._store()
        named = {e.key for e in (store.entity_by_id(i) for i in entity_ids) if e is not None}
        found = store.facets(ids, limit + len(named))
        return [f for f in found if f.entity.key not in named][:limit]

    def _hit(
        self,
        searcher,
        docnum: int,
        score: float,
        words: tuple[frozenset[str], frozenset[str]] | None,
        entity_ids: list[int] | None = None,
        read: tuple[str, str] | None = None,
    ) -> Hit:
        fields = searcher.stored_fields(docnum)
        article_id = fields["id"]
        title = fields.get("title", "")
        date = fields.get("date")
        body = read[1] if read is not None else self._store().body(article_id) or ""
        snip, spans, title_spans = "", [], []
        if words is not None:
            body_words, title_words = words
            marks = self._store().mention_spans(article_id, entity_ids) if entity_ids else []
            snip, spans = snippet(body, body_words, extra=marks)
            title_spans = match_spans(title, title_words)
        if not snip:
            snip = lead(body)
        return Hit(
            id=article_id,
            title=title,
            date=date.date().isoformat() if date else None,
            source=fields.get("source", ""),
            score=float(score or 0.0),
            snippet=snip,
            highlights=spans,
            title_highlights=title_spans,
        )

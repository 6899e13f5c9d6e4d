"""The search service: the one interface to full-text search that callers see.

A :class:`SearchService` owns the Whoosh index of a library and one searcher
per thread. It parses a query, expands its patterns, ranks it and builds the
hits with their snippets; what it needs from the SQLite store (the terms of an
entity clause, stored texts, mention offsets) it asks of a :class:`Corpus`
that the caller gives it. Nothing it returns is a Whoosh object: hits are
:class:`~index.models.Hit` and rankings are article ids.

Ranking has two paths: BM25F over whole posting blocks
(:mod:`index.search.accel.fastscore`, the default) and Whoosh's own collector.
``SearchService(..., accelerated=False)`` runs every query on the second,
which the differential tests hold to the same results.

A search's ranking is kept for the facets of the same query: a search ranks
:data:`FACET_SAMPLE` results when that costs no more than its page (no body
phrase to check against stored texts), so the facets that follow read its ids
instead of running the query again.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from index.errors import LibraryDamaged, LibraryError, UnexpectedError
from index.models import Hit, Page
from index.search.plan import Plan, StoredTexts, has_body_phrase, query_words, rank

__all__ = ["FACET_SAMPLE", "Corpus", "Forms", "Ranked", "SearchService"]

#: How many of a query's best results its facets are counted over.
FACET_SAMPLE = 500

#: Rankings kept for facets (the last few queries, any thread).
_KEPT_RANKINGS = 8


class Forms(Protocol):
    """The library's words whose stem differs from them, with their stems."""

    def stems_with_prefix(self, prefix: str) -> list[str]:
        """The stems of the words starting with ``prefix`` whose stems do not."""
        ...

    def forms_with_prefix(self, prefix: str) -> list[tuple[str, str]]:
        """Each word starting with ``prefix``, with its stem."""
        ...

    def stems_of(self, words: Iterable[str]) -> list[str]:
        """The stems of those of ``words`` the lexicon holds."""
        ...


class Corpus(Forms, Protocol):
    """What a search asks of the store: entity clauses, stored texts, mention offsets, forms."""

    def ids(self, value: str, labels: tuple[str, ...] | None) -> list[int]:
        """The entities a value names (None labels: any kind)."""
        ...

    def terms(self, ids: list[int]) -> list[str]:
        """The ``entity`` field terms matching those entities."""
        ...

    def why_none(self, value: str, labels: tuple[str, ...] | None) -> str | None:
        """Why a value names no entity of these labels, when another kind or a hidden one has it."""
        ...

    def sentence_articles(self, entity_ids: list[int], other_ids: list[int]) -> set[str]:
        """The articles where one of ``other_ids`` shares a sentence with one of ``entity_ids``."""
        ...

    def texts(self, article_ids: Sequence[str]) -> list[tuple[str, str]]:
        """The stored title and body of these articles, in order (empty for a missing one)."""
        ...

    def body(self, article_id: str) -> str | None:
        """An article's stored body, or None."""
        ...

    def mention_spans(self, article_id: str, entity_ids: list[int]) -> list[tuple[int, int]]:
        """The offsets of these entities' mentions in an article's body."""
        ...


@dataclass(slots=True, frozen=True)
class _Kept:
    """A search's ranking, by document number of the index generation it ran on."""

    docnums: list[int]
    entity_ids: list[int]
    complete: bool


@dataclass(slots=True, frozen=True)
class Ranked:
    """The ids of a query's best results, best first, and the entities its clauses name."""

    ids: list[str]
    entity_ids: list[int]
    #: Whether ``ids`` holds every match (so any shorter sample is a prefix of it).
    complete: bool


class SearchService:
    """Full-text search over one library's Whoosh index, from any thread.

    Each thread gets its own searcher (a searcher does not see commits made
    after it opened, so it is replaced when a writer has committed since).
    The index is opened on first use.
    """

    def __init__(self, index_dir: Path, *, accelerated: bool = True) -> None:
        self.index_dir = index_dir
        self.accelerated = accelerated
        self._local = threading.local()
        self._lock = threading.Lock()
        self._ix = None
        self._rankings: OrderedDict[tuple[str, int], _Kept] = OrderedDict()

    # -- searchers -----------------------------------------------------------------
    def _index(self):
        with self._lock:
            if self._ix is None:
                from index.search.storage import open_index

                # Not verified by opening every segment here: the searcher opened
                # next does that (and maps damage to LibraryDamaged), once.
                self._ix = open_index(self.index_dir, readonly=True, verify=False)
            return self._ix

    def searcher(self):
        """The calling thread's Whoosh searcher, replaced if a writer committed since it opened.

        For this package and its tests only: callers elsewhere use the
        methods that return plain data.
        """
        for attempt in range(20):
            try:
                searcher = getattr(self._local, "searcher", None)
                if searcher is None:
                    ix = self._index()
                    searcher = ix.searcher()
                    from index.search.query import make_parser

                    self._local.parser = make_parser(ix.schema)
                    self._local.searcher = searcher
                elif not searcher.up_to_date():
                    # A new searcher, not searcher.refresh(): Whoosh's refresh keeps
                    # the segments a merge replaced (every document twice) and the
                    # old deletions. A search still holding the old one keeps it
                    # alive; it closes when dropped.
                    searcher = self._index().searcher()
                    self._local.searcher = searcher
                return searcher
            except FileNotFoundError as err:
                # A commit replaced the TOC between our look and our read: look again,
                # but only while the generation moves; a truly missing file is damage.
                from index.search.storage import latest_generation

                before = latest_generation(self.index_dir)
                time.sleep(0.01 * (attempt + 1))
                if latest_generation(self.index_dir) == before and attempt > 2:
                    raise LibraryDamaged(str(self.index_dir), "index files missing") from err
            except (LibraryError, MemoryError, RecursionError):
                raise
            except Exception as err:  # noqa: BLE001 - damaged segments raise many types
                detail = f"{type(err).__name__}: {err}"[:200]
                raise LibraryDamaged(str(self.index_dir), detail) from err
        raise LibraryDamaged(str(self.index_dir), "index kept changing while opening")

    def warm(self) -> None:
        """Load what a first search needs: the ranking code, the searcher, the term filters.

        Also loads numpy and the in-memory term filters that fuzzy searches
        use (:func:`index.search.accel.termprobe.prepare`).
        """
        from index.search.accel import fastscore  # noqa: F401 - the import is the point
        from index.search.accel.termprobe import prepare

        prepare(self.searcher().reader())

    # -- queries -------------------------------------------------------------------
    def plan(self, text: str, corpus: Corpus) -> Plan | None:
        """The Whoosh query, id filter and entities of a user's query; None if nothing matches.

        ``with:NAME`` keeps the articles where NAME shares a sentence with an
        entity of the query's entity clauses; without such a clause it keeps
        the articles that mention NAME.

        Raises:
            QueryError: The query cannot be parsed.
        """
        from whoosh import query as wq

        from index.search.expand import expand_patterns
        from index.search.query import parse_query

        searcher = self.searcher()
        parsed = parse_query(text, self._local.parser, corpus)
        q = parsed.query
        if q is wq.NullQuery and not (parsed.with_ids and not parsed.entity_ids):
            return None
        if q is not wq.NullQuery:
            q = expand_patterns(q, searcher.reader(), corpus).normalize()
            if q is wq.NullQuery and not parsed.with_ids:
                return None
        restrict = None
        if parsed.with_ids:
            if not all(parsed.with_ids):
                return None
            if parsed.entity_ids:
                allowed: set[str] | None = None
                for ids in parsed.with_ids:
                    found = corpus.sentence_articles(parsed.entity_ids, ids)
                    allowed = found if allowed is None else allowed & found
                if not allowed:
                    return None
                restrict = wq.Or([wq.Term("id", a) for a in sorted(allowed)])
            else:
                parts = [
                    wq.Or([wq.Term("entity", t) for t in corpus.terms(ids)])
                    for ids in parsed.with_ids
                ]
                q = wq.And([q, *parts]) if q is not wq.NullQuery else wq.And(parts)
                q = q.normalize()
        return Plan(q, restrict, parsed.entity_ids)

    def search(
        self, text: str, corpus: Corpus, *, limit: int = 20, offset: int = 0, highlight: bool = True
    ) -> Page:
        """Rank a (non-empty) query and build one page of hits with their snippets.

        Raises:
            QueryError: The query cannot be parsed.
            LibraryDamaged: The index cannot be read.
        """
        plan = self.plan(text, corpus)
        if plan is None:
            return Page(query=text, total=0, hits=[], offset=offset)
        searcher = self.searcher()
        try:
            texts = StoredTexts(corpus.texts, searcher)
            wanted = offset + limit
            if not has_body_phrase(plan.query):
                wanted = max(wanted, FACET_SAMPLE)  # the facets' sample costs no more here
            ranked, total, exact = rank(searcher, plan, wanted, texts, self.accelerated)
            complete = exact and len(ranked) >= total
            self._keep(text, searcher, ranked, plan, complete=complete)
            chosen = ranked[offset : offset + limit]
            words = query_words(plan.query, searcher.reader()) if highlight else None
            entity_ids = plan.entity_ids if highlight else []
            hits = [
                self._hit(
                    searcher, corpus, docnum, score, words, entity_ids, texts.read.get(docnum)
                )
                for docnum, score in chosen
            ]
        except (LibraryError, MemoryError, RecursionError):
            raise
        except Exception as err:  # noqa: BLE001 - damaged segments raise many types
            raise self._diagnose(err) from err
        return Page(query=text, total=total, hits=hits, offset=offset, exact=exact)

    def _diagnose(self, err: Exception) -> LibraryError:
        """What a search's unexpected exception means: damage only if the index fails a check.

        The check opens every segment of the index afresh and reads its
        document count and one stored document; an index that passes it is
        readable, and the exception is a bug (:class:`UnexpectedError`), not a
        reason to rebuild the library.
        """
        from index.search.storage import open_index

        try:
            ix = open_index(self.index_dir, readonly=True, verify=True)
            with ix.searcher() as check:
                if check.doc_count_all():
                    next(iter(check.all_stored_fields()), None)
        except LibraryError as damage:
            return damage
        except Exception as damage:  # noqa: BLE001 - damaged segments raise many types
            detail = f"{type(damage).__name__}: {damage}"[:200]
            return LibraryDamaged(str(self.index_dir), f"search failed: {detail}")
        return UnexpectedError("the search", err)

    def best(self, text: str, corpus: Corpus, limit: int) -> Ranked:
        """The ids of a (non-empty) query's best ``limit`` results, best first.

        Reuses the ranking of the last search of the same text when it covers
        ``limit`` results (or every match) and the index has not changed since.

        Raises:
            QueryError: The query cannot be parsed.
        """
        searcher = self.searcher()
        kept = self._kept(text, searcher)
        if kept is not None and (kept.complete or len(kept.docnums) >= limit):
            ids = _ids(searcher, kept.docnums[:limit])
            return Ranked(ids, kept.entity_ids, kept.complete and limit >= len(kept.docnums))
        plan = self.plan(text, corpus)
        if plan is None:
            return Ranked([], [], True)
        try:
            texts = StoredTexts(corpus.texts, searcher)
            ranked, total, exact = rank(searcher, plan, limit, texts, self.accelerated)
            docnums = [docnum for docnum, _score in ranked]
            ids = _ids(searcher, docnums)
        except (LibraryError, MemoryError, RecursionError):
            raise
        except Exception as err:  # noqa: BLE001 - damaged segments raise many types
            raise self._diagnose(err) from err
        return Ranked(ids, plan.entity_ids, exact and len(ranked) >= total)

    # -- kept rankings ---------------------------------------------------------------
    def _keep(self, text: str, searcher, ranked, plan: Plan, *, complete: bool) -> None:
        key = (text, searcher.reader().generation())
        docnums = [docnum for docnum, _score in ranked[:FACET_SAMPLE]]
        found = _Kept(docnums, plan.entity_ids, complete and len(ranked) <= FACET_SAMPLE)
        with self._lock:
            self._rankings[key] = found
            self._rankings.move_to_end(key)
            while len(self._rankings) > _KEPT_RANKINGS:
                self._rankings.popitem(last=False)

    def _kept(self, text: str, searcher) -> _Kept | None:
        with self._lock:
            return self._rankings.get((text, searcher.reader().generation()))

    # -- hits ------------------------------------------------------------------------
    def _hit(
        self,
        searcher,
        corpus: Corpus,
        docnum: int,
        score: float,
        words: tuple[frozenset[str], frozenset[str]] | None,
        entity_ids: list[int] | None = None,
        read: tuple[str, str] | None = None,
    ) -> Hit:
        from index.search.snippets import lead, match_spans, snippet

        fields = searcher.stored_fields(docnum)
        article_id = fields["id"]
        title = fields.get("title", "")
        date = fields.get("date")
        body = read[1] if read is not None else corpus.body(article_id) or ""
        snip, spans, title_spans = "", [], []
        if words is not None:
            body_words, title_words = words
            marks = corpus.mention_spans(article_id, entity_ids) if entity_ids else []
            snip, spans = snippet(body, body_words, extra=marks)
            title_spans = match_spans(title, title_words)
        if not snip:
            snip = lead(body)
        return Hit(
            id=article_id,
            title=title,
            date=_iso(date),
            source=fields.get("source", ""),
            score=float(score or 0.0),
            snippet=snip,
            highlights=spans,
            title_highlights=title_spans,
        )


def _iso(moment) -> str | None:
    """A stored date as the store writes it: the day, with the time when it is not midnight."""
    if moment is None:
        return None
    if moment.hour or moment.minute or moment.second:
        return moment.replace(microsecond=0).isoformat(timespec="seconds")
    return moment.date().isoformat()


def _ids(searcher, docnums: list[int]) -> list[str]:
    if not docnums:
        return []
    from index.search.accel.read_codec import ID_COLUMN

    column = searcher.reader().column_reader("id", ID_COLUMN)
    return [column[docnum] for docnum in docnums]

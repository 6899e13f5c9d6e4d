"""How a library runs a query: its plan, entity clauses, ranking and matched words."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from index.search.snippets import EXACT

__all__ = ["EXACT_TOTAL_BELOW", "Plan", "StoredTexts", "has_body_phrase", "query_words", "rank"]


@dataclass(slots=True, frozen=True)
class Plan:
    """What a user's query runs as: the Whoosh query, an id filter, the entities named."""

    query: object
    restrict: object | None
    entity_ids: list[int]


#: Below this many estimated matches a search counts them exactly.
EXACT_TOTAL_BELOW = 5000


def _total(results) -> tuple[int, bool]:
    """The number of matches: exact when cheap, else Whoosh's estimate (an upper bound)."""
    if results.has_exact_length():
        return len(results), True
    estimate = results.estimated_length()
    if estimate <= EXACT_TOTAL_BELOW:
        return len(results), True
    return estimate, False


def rank(
    searcher,
    plan: Plan,
    limit: int,
    texts: Callable[[list[int]], Sequence[tuple[str, str]]],
    accelerated: bool = True,
) -> tuple[list[tuple[int, float]], int, bool]:
    """A plan's best ``limit`` (docnum, score) pairs, the number of matches, and if it is exact.

    BM25F over whole posting blocks (:mod:`index.search.accel.fastscore`) gives Whoosh's
    own ranking and an exact total (an estimate when a body phrase was checked
    only for the first pages); Whoosh's collector is the fallback, where body
    phrases count as their words ANDed.

    Args:
        searcher: The thread's searcher.
        plan: The query's plan.
        limit: How many to rank.
        texts: The stored title and body of documents, by document number.
        accelerated: False runs Whoosh's collector whatever the weighting.
    """
    if accelerated:
        from index.search.accel import fastscore
        from index.search.phrases import Checks

        try:
            return fastscore.top(searcher, plan.query, limit, plan.restrict, Checks(texts))
        except fastscore.Unsupported:
            pass
    query = _phrases_as_words(plan.query)
    results = searcher.search(query, limit=limit, filter=plan.restrict)
    total, exact = _total(results)
    return list(results.items()), total, exact


def has_body_phrase(q) -> bool:
    """Whether a query holds a body phrase (checked against stored texts when ranked)."""
    from index.search.phrases import phrase_words

    if phrase_words(q) is not None:
        return True
    return not q.is_leaf() and any(has_body_phrase(child) for child in q.children())


def _phrases_as_words(q):
    """The query with each body phrase replaced by its words ANDed (Whoosh cannot match one)."""
    from whoosh import query as wq

    from index.search.phrases import phrase_words, stems_of, words_anded

    if phrase_words(q) is not None:
        return words_anded(q)
    if isinstance(q, wq.Phrase) and q.fieldname == "title":
        # The title has positions, of stems: the phrase's stems, in order.
        return wq.Phrase("title", stems_of(q.words), slop=q.slop, boost=q.boost).normalize()
    if q.is_leaf():
        return q
    return q.apply(_phrases_as_words)


def query_words(q, reader) -> tuple[frozenset[str], frozenset[str]]:
    """The words a query matches in the body and in the title (patterns expanded).

    Stems, and words in quotes as written marked with :data:`~index.search.snippets.EXACT`.
    """
    body: set[str] = set()
    title: set[str] = set()
    # (Query.existing_terms would do, but its loop variable shadows its
    # ``fieldname`` argument, so it drops terms after the first leaf.)
    from whoosh import query as wq

    for leaf in q.leaves():
        if isinstance(leaf, wq.Phrase):
            # Words in quotes match as written (see index.search.snippets.match_spans).
            pairs = [(leaf.fieldname, EXACT + str(word)) for word in leaf.words]
        else:
            pairs = leaf.expanded_terms(reader, phrases=True)
        for fieldname, term in pairs:
            word = term.decode("utf-8", "replace") if isinstance(term, bytes) else str(term)
            if fieldname == "body":
                body.add(word)
            elif fieldname == "title":
                title.add(word)
    return frozenset(body), frozenset(title)


class StoredTexts:
    """The stored title and body of a searcher's documents, by document number.

    What a phrase check read is kept for the hits' snippets (the first
    :data:`KEEP` documents read: checks go in rank order, so a page's hits
    are among them).
    """

    KEEP = 256

    def __init__(self, texts: Callable[[list[str]], list[tuple[str, str]]], searcher) -> None:
        self.texts = texts
        self.searcher = searcher
        self.read: dict[int, tuple[str, str]] = {}

    def __call__(self, docnums: list[int]) -> list[tuple[str, str]]:
        """The title and body of these documents, in order (empty for one the store lacks)."""
        from index.search.accel.read_codec import ID_COLUMN

        column = self.searcher.reader().column_reader("id", ID_COLUMN)  # only once there are docs
        found = self.texts([column[docnum] for docnum in docnums])
        for docnum, text in zip(docnums, found, strict=True):
            if len(self.read) >= self.KEEP:
                break
            if text != ("", ""):
                self.read.setdefault(docnum, text)
        return found

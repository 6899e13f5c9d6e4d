"""Whoosh's BM25F ranking, computed a posting block at a time with numpy.

Whoosh scores every matching posting in Python: its collector and BM25's
field-length lookup are most of a common-word search on a large library.
Here a term's postings are read a block at a time (one read, one
decompression, one unpickling per 128 postings), the field lengths of a
segment once into an array, and the same BM25F formula with the
same statistics is applied to whole arrays. The result is the ranking Whoosh
gives (score descending, then document number; scores equal to 9 decimal
places count as ties, since sums may be taken in another order), and an exact
total for free.

What it evaluates itself: terms, and ``And``, ``Or`` (no coordination bonus,
no minimum match), ``AndNot``, ``AndMaybe`` and ``Require`` over them, with
boosts, and body phrases (their words ANDed, checked against the stored text
by :class:`index.search.phrases.Checks`). Any other query (a phrase in a title, a
date range) becomes a leaf matched by Whoosh's own matcher, whose documents
and scores are collected into arrays; only :func:`top` callers' other weightings fall back entirely
(:class:`Unsupported`).
"""

from __future__ import annotations

import threading

import numpy as np

from index.search.accel.postings import postings
from index.search.phrases import Checks, Required, phrase_words, stems_of

__all__ = ["Unsupported", "top"]

#: Field-length arrays, by (segment id, field): segments never change once written.
_LENGTHS: dict[tuple[str, str], np.ndarray] = {}
_LENGTHS_MAX = 256
_LENGTHS_LOCK = threading.Lock()


#: byte_to_length as a lookup table.
_BYTE_LENGTH: np.ndarray | None = None


class Unsupported(Exception):
    """The searcher's weighting is not plain BM25F: use Whoosh's collector."""


_Scored = tuple[np.ndarray, np.ndarray]  # (global docnums ascending, scores)
_EMPTY: _Scored = (np.empty(0, np.int64), np.empty(0, np.float64))


def top(
    searcher, query, limit: int, restrict=None, checks: Checks | None = None
) -> tuple[list[tuple[int, float]], int, bool]:
    """The best ``limit`` documents of a query, as Whoosh's collector ranks them.

    Args:
        searcher: A Whoosh searcher (any number of segments).
        query: A normalised Whoosh query.
        limit: How many documents to return.
        restrict: An optional query whose documents are the only ones allowed
            (Whoosh's ``filter``); it does not change scores.
        checks: Checks body phrases against the stored text (without it, a
            body phrase goes to Whoosh, which cannot match it).

    Returns:
        ``(docnum, score)`` pairs, best first (ties by document number), the
        number of matching documents, and whether that number is exact (an
        estimate when body phrases were checked only for the first pages).

    Raises:
        Unsupported: The searcher does not weight with BM25F.
    """
    from whoosh import scoring

    if type(searcher.weighting) is not scoring.BM25F:
        raise Unsupported(type(searcher.weighting).__name__)
    groups = checks.defer(query) if checks is not None else []
    docs, scores = _evaluate(searcher, query, checks)
    if restrict is not None and len(docs):
        allowed, _ = _evaluate(searcher, restrict)
        keep = np.isin(docs, allowed, assume_unique=True)
        docs, scores = docs[keep], scores[keep]
    if groups and checks is not None:
        return checks.best(docs, scores, limit, _required(searcher, docs, groups, checks))
    exact = checks.exact if checks is not None else True
    total = len(docs)
    if total == 0 or limit <= 0:
        return [], total, exact
    if total > limit:
        # Everything scoring at least the limit-th best score, then the exact order.
        threshold = np.partition(scores, total - limit)[total - limit]
        chosen = scores >= threshold
        docs, scores = docs[chosen], scores[chosen]
    # Scores equal up to float rounding (sums taken in another order) are ties,
    # broken by document number as Whoosh breaks exact ties.
    order = np.lexsort((docs, -np.round(scores, 9)))[:limit]
    return [(int(docs[i]), float(scores[i])) for i in order], total, exact


def _required(searcher, docs: np.ndarray, groups, checks: Checks) -> list[Required]:
    """The phrases a query requires, with the scores their words add per candidate."""
    required = []
    for phrase, title, boost in groups:
        words = tuple(phrase.words)
        if title is None:
            required.append(Required(words))
            continue
        parts = []
        for node in (phrase, title):
            part = np.zeros(len(docs))
            found = np.zeros(len(docs), bool)
            ndocs, nscores = _evaluate(searcher, node, checks)  # kept from the evaluation
            here, there = _common(docs, ndocs)
            part[here] = nscores[there] * boost
            found[here] = True
            parts.append((part, found))
        (body, _), (title_part, in_title) = parts
        required.append(Required(words, body, title_part, in_title))
    return required


def _evaluate(searcher, q, checks: Checks | None = None) -> _Scored:
    """A query's matching documents (ascending) and their Whoosh scores.

    The parts of a required phrase are evaluated once and kept in ``checks``
    for :func:`_required`.
    """
    if checks is None or id(q) not in checks.remember:
        return _evaluate_node(searcher, q, checks)
    found = checks.memo.get(id(q))
    if found is None:
        found = checks.memo[id(q)] = _evaluate_node(searcher, q, checks)
    return found


def _evaluate_node(searcher, q, checks: Checks | None) -> _Scored:
    """One node of a query: its matching documents (ascending) and their scores."""
    from whoosh import query as wq

    kind = type(q)
    if kind is wq.Term:
        result = _term(searcher, q.fieldname, q.text)
    elif checks is not None and id(q) in checks.deferred and isinstance(q, wq.Phrase):
        # A title phrase the whole query requires: its words' stems ANDed, scored
        # as Whoosh scores a phrase (the sum of its words'), the title checked
        # after ranking instead of by Whoosh's position matcher.
        terms = [_term(searcher, q.fieldname, word) for word in stems_of(q.words)]
        result = _intersection(terms)
    elif checks is not None and (words := phrase_words(q)) is not None:
        # A body phrase (no positions in the body): its words' stems ANDed, checked
        # against the text now, or after ranking when the whole query needs it.
        docs, scores = _intersection([_term(searcher, "body", word) for word in stems_of(words)])
        if id(q) not in checks.deferred and len(docs):
            keep = checks.keep(docs, words)
            docs, scores = docs[keep], scores[keep]
        result = (docs, scores)
    elif checks is not None and isinstance(q, wq.Phrase) and q.fieldname == "title" and q.slop <= 1:
        # A title phrase under an OR or NOT: the index holds stems, so the words
        # as written are checked against the stored title (Whoosh's position
        # matcher would compare them with stems).
        words = tuple(q.words)
        docs, scores = _intersection([_term(searcher, "title", word) for word in stems_of(words)])
        if len(docs):
            keep = checks.keep(docs, words, in_title=True)
            docs, scores = docs[keep], scores[keep]
        result = (docs, scores)
    elif kind is wq.Or and not q.minmatch and not q.scale:
        result = _union([_evaluate(searcher, sub, checks) for sub in q.subqueries])
    elif kind is wq.And:
        # A NOT clause excludes its documents and, as Whoosh scores it, adds 1.0.
        nots = [sub for sub in q.subqueries if type(sub) is wq.Not]
        parts = [_evaluate(searcher, s, checks) for s in q.subqueries if type(s) is not wq.Not]
        docs, scores = _intersection(parts) if parts else _matched(searcher, q)
        if parts and nots and len(docs):
            for sub in nots:
                keep = ~np.isin(docs, _evaluate(searcher, sub.query, checks)[0], assume_unique=True)
                docs, scores = docs[keep], scores[keep] + 1.0
        result = (docs, scores)
    elif kind is wq.AndNot:
        docs, scores = _evaluate(searcher, q.a, checks)
        if len(docs):
            keep = ~np.isin(docs, _evaluate(searcher, q.b, checks)[0], assume_unique=True)
            docs, scores = docs[keep], scores[keep]
        result = (docs, scores)
    elif kind is wq.Require:
        docs, scores = _evaluate(searcher, q.a, checks)
        if len(docs):
            keep = np.isin(docs, _evaluate(searcher, q.b, checks)[0], assume_unique=True)
            docs, scores = docs[keep], scores[keep]
        result = (docs, scores)
    elif kind is wq.AndMaybe:
        docs, scores = _evaluate(searcher, q.a, checks)
        if len(docs):
            odocs, oscores = _evaluate(searcher, q.b, checks)
            _, here, there = np.intersect1d(docs, odocs, assume_unique=True, return_indices=True)
            scores = scores.copy()
            scores[here] += oscores[there]
        result = (docs, scores)
    elif q is wq.NullQuery:
        return _EMPTY
    else:
        return _matched(searcher, q)  # Whoosh applies this leaf's boost itself
    if q.boost != 1.0 and len(result[0]):
        result = (result[0], result[1] * q.boost)
    return result


def _union(parts: list[_Scored]) -> _Scored:
    """Documents in any part; a document's score is the sum of its parts' scores."""
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return _EMPTY
    if len(parts) == 1:
        return parts[0]
    docs = np.concatenate([p[0] for p in parts])
    scores = np.concatenate([p[1] for p in parts])
    order = np.argsort(docs, kind="stable")
    docs, scores = docs[order], scores[order]
    unique, starts = np.unique(docs, return_index=True)
    return unique, np.add.reduceat(scores, starts)


def _common(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where the values two ascending arrays share sit in each.

    ``np.intersect1d``'s indices: by a table of positions over the values'
    range when the arrays are dense in it, else by a binary search of the
    shorter array in the longer; never a sort of both.
    """
    if len(a) > len(b):
        there, here = _common(b, a)
        return here, there
    if not len(a):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    top = int(max(a[-1], b[-1])) + 1
    if top <= 8 * (len(a) + len(b)):
        # Dense (common words): where each of a's values sits, looked up for b's.
        where = np.full(top, -1, np.int64)
        where[a] = np.arange(len(a))
        found = where[b]
        hit = found >= 0
        return found[hit], np.flatnonzero(hit)
    pos = np.searchsorted(b, a)
    pos[pos == len(b)] = 0
    hit = b[pos] == a
    return np.flatnonzero(hit), pos[hit]


def _intersection(parts: list[_Scored]) -> _Scored:
    """Documents in every part; a document's score is the sum of its parts' scores."""
    if not parts or any(len(p[0]) == 0 for p in parts):
        return _EMPTY
    docs, scores = parts[0]
    for odocs, oscores in parts[1:]:
        here, there = _common(docs, odocs)
        docs, scores = docs[here], scores[here] + oscores[there]
        if not len(docs):
            return _EMPTY
    return docs, scores


def _term(searcher, fieldname: str, text) -> _Scored:
    """A term's documents over every segment, scored as Whoosh's BM25F does."""
    schema = searcher.schema
    if fieldname not in schema:
        return _EMPTY
    field = schema[fieldname]
    try:
        btext = field.to_bytes(text)
    except ValueError:
        return _EMPTY
    parent = searcher.get_parent()
    if (fieldname, btext) not in parent.reader():
        return _EMPTY
    scorable = field.scorable
    if scorable:
        weighting = parent.weighting
        b = weighting._field_B.get(fieldname, weighting.B)
        k1 = weighting.K1
        idf = parent.idf(fieldname, btext)
        avgfl = parent.avg_field_length(fieldname) or 1
    all_docs, all_scores = [], []
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        if (fieldname, btext) not in reader:
            continue
        ids, weights = postings(reader, fieldname, btext)
        deleted = reader.deleted_docs_set
        if deleted:
            keep = ~np.isin(ids, np.fromiter(deleted, np.int64, len(deleted)))
            ids, weights = ids[keep], weights[keep]
        if scorable:
            lengths = _lengths(reader, fieldname)[ids]
            scores = idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / avgfl)))
        else:
            scores = weights
        all_docs.append(ids + offset)
        all_scores.append(scores)
    if not all_docs:
        return _EMPTY
    if len(all_docs) == 1:
        return all_docs[0], all_scores[0]
    return np.concatenate(all_docs), np.concatenate(all_scores)


def _lengths(reader, fieldname: str) -> np.ndarray:
    """Every document's (quantised) length in a field of one segment, as Whoosh reads it."""
    global _BYTE_LENGTH
    key = (reader.segment().segment_id(), fieldname)
    found = _LENGTHS.get(key)
    if found is not None:
        return found
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
    from whoosh.util.numeric import byte_to_length

    if _BYTE_LENGTH is None:
        _BYTE_LENGTH = np.array([byte_to_length(i) for i in range(256)], np.float64)
    doccount = reader.doc_count_all()
    column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    codes = np.zeros(doccount, np.uint8)
    if column is not None and column._count:
        raw = column._dbfile.get(column._basepos, column._count * column._fixedlen)
        stored = np.frombuffer(raw, np.uint8)[:doccount]
        codes[: len(stored)] = stored
    lengths = _BYTE_LENGTH[codes]
    with _LENGTHS_LOCK:
        if len(_LENGTHS) >= _LENGTHS_MAX:
            _LENGTHS.pop(next(iter(_LENGTHS)))
        _LENGTHS[key] = lengths
    return lengths


def _matched(searcher, q) -> _Scored:
    """Any other query, through Whoosh's own matcher, one segment at a time."""
    docs: list[int] = []
    scores: list[float] = []
    for sub, offset in searcher.leaf_searchers():
        m = q.matcher(sub)
        while m.is_active():
            docs.append(m.id() + offset)
            scores.append(m.score())
            m.next()
    if not docs:
        return _EMPTY
    found = np.asarray(docs, np.int64), np.asarray(scores, np.float64)
    order = np.argsort(found[0], kind="stable")
    return found[0][order], found[1][order]

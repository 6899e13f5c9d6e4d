"""Query patterns expanded once, to a bounded OR of real terms.

Prefixes, wildcards and fuzzy terms become an OR of their
:data:`MAX_EXPANSIONS` most frequent matching terms, and body phrases become
terms of the ``pairs`` field. Doing it once, before the search, bounds the
cost of ``a*`` and spares Whoosh re-expanding in the count and highlighter.

Fuzzy terms must share their first letter with the word typed.
"""

from __future__ import annotations

from index.errors import QueryError
from index.schema import pair_terms

__all__ = ["MAX_EXPANSIONS", "expand_patterns"]

#: A prefix, wildcard or fuzzy term matches at most this many of its most
#: frequent expansions (Whoosh would OR every one: "a*" is thousands of terms).
MAX_EXPANSIONS = 32


def expand_patterns(q, reader):
    """Replace prefix, wildcard and fuzzy leaves by an OR of their top expansions.

    Body phrases become terms of the ``pairs`` field: one term for two words,
    every adjacent pair ANDed for longer ones (an article holding "debt
    ceiling" and "ceiling crisis" but never "debt ceiling crisis" would match;
    checking positions instead costs hundreds of milliseconds at 100,000
    articles).

    Args:
        q: A parsed Whoosh query.
        reader: The index reader whose terms the patterns expand to.

    Returns:
        The query with every pattern replaced.

    Raises:
        QueryError: A prefix is shorter than 2 letters.
    """
    from whoosh import query as wq

    if isinstance(q, wq.Phrase) and q.fieldname == "body" and len(q.words) >= 2 and q.slop <= 1:
        pairs = [wq.Term("pairs", pair, boost=q.boost) for pair in pair_terms(list(q.words))]
        return pairs[0] if len(pairs) == 1 else wq.And(pairs)
    if isinstance(q, wq.FuzzyTerm) and q.prefixlength < 1:
        q = wq.FuzzyTerm(q.fieldname, q.text, q.boost, q.maxdist, prefixlength=1)
    if isinstance(q, (wq.Prefix, wq.Wildcard, wq.FuzzyTerm)):
        field = q.fieldname
        found: list[tuple[int, str]] = []
        if isinstance(q, wq.Prefix):
            if len(q.text) < 2:
                raise QueryError(f"'{q.text}*' is too short a prefix (give at least 2 letters)")
            for text, info in reader.iter_prefix(field, q.text):
                found.append((info.doc_frequency(), text))
        else:
            for btext in q._btexts(reader):
                text = btext.decode("utf-8") if isinstance(btext, bytes) else btext
                found.append((reader.doc_frequency(field, text), text))
        if not found:
            return wq.NullQuery
        found.sort(key=lambda pair: (-pair[0], pair[1]))
        terms = [wq.Term(field, text) for _df, text in found[:MAX_EXPANSIONS]]
        return wq.Or(terms, boost=q.boost)
    if q.is_leaf():
        return q
    return q.apply(lambda sub: expand_patterns(sub, reader))

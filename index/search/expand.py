"""Query patterns expanded once, to a bounded OR of real terms.

Prefixes, wildcards and fuzzy terms become an OR of their
:data:`MAX_EXPANSIONS` most frequent matching terms. Doing it once, before
the search, bounds the cost of ``a*`` and spares Whoosh re-expanding in the
count and highlighter.

A fuzzy term (one edit, same first letter) is expanded by looking up each
string one edit away in the term dictionary: a few hundred hash lookups,
whatever the size of the index, where Whoosh's automaton walks the sorted
dictionary of every field with a file read per step (most of a fuzzy search,
and several times the cost of the lookups). An edit deletes a
character, swaps two neighbours (as Whoosh counts on a multi-segment index),
or inserts or replaces one with a letter, digit, ``_``, ``.`` or a character
of the word typed. So ``encyclopedia~`` does not find "encyclopædia" (an
``æ`` that the word lacks), where Whoosh's automaton would; ``word~2`` goes
through Whoosh's automaton.
"""

from __future__ import annotations

import fnmatch
import re
import string
from typing import TYPE_CHECKING

from index.errors import QueryError
from index.search.phrases import words_anded
from index.search.query import NOTHING

if TYPE_CHECKING:
    from index.search.service import Forms

__all__ = ["MAX_EXPANSIONS", "edits", "expand_patterns", "fuzzy_terms"]

#: A prefix, wildcard or fuzzy term matches at most this many of its most
#: frequent expansions (Whoosh would OR every one: "a*" is thousands of terms).
MAX_EXPANSIONS = 32


#: The characters an edit may bring into an ASCII word (what the text
#: analyser keeps, lower-cased: word characters and inner dots).
_EDIT_ALPHABET = string.ascii_lowercase + string.digits + "_."


def expand_patterns(q, reader, forms: Forms | None = None):
    """Replace prefix, wildcard and fuzzy leaves by an OR of their top expansions.

    The index holds stems, and a pattern is about words as written: ``negotia*``
    must find "negotiations", whose stem "negoti" does not start with it. So
    a pattern expands to the stems that match it and to the stems of the
    library's words that match it (``forms``: the words whose stem differs
    from them).

    Body phrases stay (the search checks them against the stored text, see
    :mod:`index.search.phrases`), but a phrase with a slop (``"a b"~3``) becomes its
    words ANDed: nearness is not checked.

    Args:
        q: A parsed Whoosh query.
        reader: The index reader whose terms the patterns expand to.
        forms: The library's lexicon of forms (None: stems only).

    Returns:
        The query with every pattern replaced.

    Raises:
        QueryError: A prefix is shorter than 2 letters.
    """
    from whoosh import query as wq

    if isinstance(q, wq.Phrase) and q.fieldname == "body" and len(q.words) >= 2:
        if q.slop > 1:
            # ``"a b"~N``: the body has no positions (they would make every common
            # word about five times slower to read), so nearness is not checked.
            return words_anded(q)
        return q  # checked against the stored text (index.search.phrases)
    if isinstance(q, wq.FuzzyTerm) and q.prefixlength < 1:
        q = wq.FuzzyTerm(q.fieldname, q.text, q.boost, q.maxdist, prefixlength=1)
    if isinstance(q, (wq.Prefix, wq.Wildcard, wq.FuzzyTerm)):
        field = q.fieldname
        found: list[tuple[int, str]] = []
        if isinstance(q, wq.Prefix):
            if len(q.text) < 2:
                raise QueryError(f"'{q.text}*' is too short a prefix (give at least 2 letters)")
            frequencies = _prefix_frequencies(reader, field, q.text)
            more = forms.stems_with_prefix(q.text) if forms is not None else []
            found = [(df, text) for text, df in frequencies.items()]
            found += _frequencies(reader, field, set(more) - set(frequencies))
        elif isinstance(q, wq.FuzzyTerm):
            stems = set(fuzzy_terms(reader, q))
            if forms is not None and q.maxdist == 1:
                stems |= set(forms.stems_of(edits(q.text, q.prefixlength)))
            found = _frequencies(reader, field, stems)
        else:
            stems = set()
            for _field, btext in q.expanded_terms(reader):
                stems.add(btext.decode("utf-8") if isinstance(btext, bytes) else btext)
            if forms is not None:
                head = re.split(r"[*?]", q.text, maxsplit=1)[0]
                pattern = re.compile(fnmatch.translate(q.text))
                stems |= {
                    root
                    for word, root in forms.forms_with_prefix(head)
                    if pattern.match(word) is not None
                }
            found = _frequencies(reader, field, stems)
        if not found:
            return NOTHING  # empties an AND (Whoosh's NullQuery would be dropped from it)
        found.sort(key=lambda pair: (-pair[0], pair[1]))
        terms = [wq.Term(field, text) for _df, text in found[:MAX_EXPANSIONS]]
        return wq.Or(terms, boost=q.boost)
    if q.is_leaf():
        return q
    return q.apply(lambda sub: expand_patterns(sub, reader, forms))


def _frequencies(reader, field: str, stems) -> list[tuple[int, str]]:
    """(document frequency, stem) of the stems the field holds."""
    out = []
    for text in stems:
        df = reader.doc_frequency(field, text)
        if df:
            out.append((df, text))
    return out


def _prefix_frequencies(reader, field: str, prefix: str) -> dict[str, int]:
    """Each term of ``field`` starting with ``prefix``, with its document frequency.

    Read segment by segment, each one's terms in order with their counts:
    the whole index's reader would merge the segments' terms, then look
    each one up again in every segment's hash table (most of a short
    prefix's time, and more segments mean more of it).
    """
    frequencies: dict[str, int] = {}
    for leaf, _offset in reader.leaf_readers():
        for text, info in leaf.iter_prefix(field, prefix):
            frequencies[text] = frequencies.get(text, 0) + info.doc_frequency()
    return frequencies


def fuzzy_terms(reader, q) -> list[str]:
    """The terms of a ``FuzzyTerm``'s field within its edits of its word, keeping its prefix.

    Args:
        reader: The index reader.
        q: The Whoosh ``FuzzyTerm``.

    Returns:
        The matching terms, sorted (the word itself included when it is a term).
    """
    word, field = q.text, q.fieldname
    if q.maxdist != 1:
        found = [btext for _field, btext in q.expanded_terms(reader)]
        return sorted(t.decode("utf-8") if isinstance(t, bytes) else t for t in found)
    from index.search.accel.termprobe import present_terms

    return sorted(present_terms(reader, field, edits(word, q.prefixlength)))


def edits(word: str, prefixlength: int = 1) -> set[str]:
    """The word and every string one edit from it keeping its first ``prefixlength`` characters."""
    keep, rest = word[:prefixlength], word[prefixlength:]
    alphabet = _EDIT_ALPHABET + "".join(sorted(set(word) - set(_EDIT_ALPHABET)))
    candidates = {word}
    for i in range(len(rest) + 1):
        head, tail = rest[:i], rest[i:]
        if tail:
            candidates.add(keep + head + tail[1:])  # delete
        if len(tail) > 1:
            candidates.add(keep + head + tail[1] + tail[0] + tail[2:])  # swap
        for char in alphabet:
            candidates.add(keep + head + char + tail)  # insert
            if tail:
                candidates.add(keep + head + char + tail[1:])  # replace
    return candidates

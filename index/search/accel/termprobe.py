"""Which of many candidate strings are terms of a field, checked in memory.

A fuzzy term is expanded by looking up every string one edit away from the
word typed: a thousand or more strings, most of them not words, each looked
up in every segment's term dictionary. Whoosh answers each lookup with a few
small file reads, so on a library of many segments a fuzzy search spends
most of its time on lookups that find nothing.

Here a segment's term hash table is read into a sorted array of the 32-bit
hashes of its terms (4 bytes a term: 0.5 MB for a segment of 125,000 terms,
15 MB for one of 3.7 million), and a candidate whose hash is not in it is not
a term of that segment; the few candidates that pass are confirmed by Whoosh's own
lookup, so the answer is exactly Whoosh's. A filter is built once the lookups
it would have saved cost as much as building it: a small segment gets one on
the first fuzzy search, the large one after about eight fuzzy searches in the
same process (that search pays for building it), and a one-off
``newsdesk search`` never pays for a large one.
Segments never change once written, so a filter stays valid for the life of
the process; filters are kept within :data:`FILTER_BUDGET` bytes (the least
recently used go first), and a segment too large for the budget, or of a
format this does not know, is looked up term by term by Whoosh.

This reads the layout of Whoosh's hash files (``whoosh.filedb.filetables``:
256 tables of ``(hash, position)`` slots); anything unexpected falls back to
Whoosh's lookups.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable

import numpy as np

__all__ = ["FILTER_BUDGET", "clear_filters", "prepare", "present_terms"]

#: Bytes of term hashes kept in memory per process, over all segments.
FILTER_BUDGET = 32 * 2**20

#: Segments with more hash slots than this are always looked up term by term:
#: Whoosh sizes each table at twice its keys, so a filter keeps about slots / 2
#: hashes of 4 bytes, and a larger one would not fit the budget.
MAX_FILTER_SLOTS = FILTER_BUDGET // 2

#: What one of Whoosh's term lookups costs, and building a filter per hash
#: slot, in seconds. Only their ratio matters: building a slot's share of a
#: filter costs about 1/300 of a lookup.
PROBE_SECONDS = 15e-6
BUILD_SECONDS_PER_SLOT = 45e-9

#: A slot of a Whoosh hash table: the key's hash and the key's position (0 = empty).
_SLOT = np.dtype([("hash", ">u4"), ("pos", ">i8")])

_filters: OrderedDict[str, np.ndarray | None] = OrderedDict()
_spent: dict[str, float] = {}
_kept = 0
_lock = threading.Lock()


def present_terms(reader, field: str, candidates: Iterable[str]) -> set[str]:
    """The candidates that are terms of ``field`` in any segment of ``reader``.

    Args:
        reader: A Whoosh index reader (one segment or several).
        field: The field name.
        candidates: The strings to look up.

    Returns:
        The candidates that are terms of the field (deleted documents are not
        considered, as in Whoosh's ``(field, text) in reader``).
    """
    texts = list(dict.fromkeys(candidates))
    alive = np.ones(len(texts), dtype=bool)
    memo: dict[tuple[int, object], np.ndarray] = {}
    leaves = sorted((leaf for leaf, _ in reader.leaf_readers()), key=_doc_count, reverse=True)
    for leaf in leaves:
        if not alive.any():
            break
        hashes = _filter(leaf, int(alive.sum()))
        wanted = None if hashes is None else _key_hashes(leaf, field, texts, memo)
        if wanted is None:
            maybe = np.flatnonzero(alive)
        elif not len(hashes) or not len(wanted):
            continue
        else:
            at = np.minimum(np.searchsorted(hashes, wanted), len(hashes) - 1)
            maybe = np.flatnonzero((hashes[at] == wanted) & alive)
        for i in maybe.tolist():
            if (field, texts[i]) in leaf:
                alive[i] = False
    return {text for text, left in zip(texts, alive.tolist(), strict=True) if not left}


def prepare(reader) -> None:
    """Build the filters of every segment now (the reader warms up with this at launch).

    Building the filters before the first fuzzy search keeps that search from
    paying for them (the largest segment's filter of a 100,000-article library
    is about 1 MB).
    """
    for leaf, _ in reader.leaf_readers():
        try:
            slots = sum(numslots for _, numslots in leaf._terms._tindex.tables)
        except AttributeError:
            continue
        _filter(leaf, probes=int(slots * BUILD_SECONDS_PER_SLOT / PROBE_SECONDS) + 1)


def clear_filters() -> None:
    """Forget every filter and every count of lookups (for tests)."""
    global _kept
    with _lock:
        _filters.clear()
        _spent.clear()
        _kept = 0


def _doc_count(leaf) -> int:
    try:
        return leaf.doc_count_all()
    except Exception:  # noqa: BLE001 - order only
        return 0


def _key_hashes(leaf, field: str, texts: list[str], memo: dict) -> np.ndarray | None:
    """The hashes of the segment's keys for ``field`` and each text (shared by same-keyed segments).

    A key is the field's number in the segment, then the term's bytes; the
    segments of one index number their fields alike, so one hashing serves all.
    """
    try:
        terms = leaf._terms
        fieldnum = terms._fieldmap.get(field)
        hashfn = terms._tindex.hashfn
        keycoder = terms._keycoder
    except AttributeError:
        return None
    if fieldnum is None:  # the segment has no terms in this field
        return np.empty(0, dtype=np.uint32)
    key = (fieldnum, hashfn)
    if key not in memo:
        memo[key] = np.fromiter(
            (hashfn(keycoder(field, text.encode("utf-8"))) for text in texts),
            dtype=np.uint32,
            count=len(texts),
        )
    return memo[key]


def _filter(leaf, probes: int) -> np.ndarray | None:
    """The sorted term hashes of a segment (cached), or None to look terms up one by one.

    Args:
        leaf: A segment reader.
        probes: How many lookups the caller is about to make in it.
    """
    global _kept
    try:
        # Whoosh names a segment with 16 random characters and never rewrites
        # one, so its name alone identifies its terms (a copied library holds
        # the same segments, and the same terms).
        key = leaf._segment.segment_id()
        tindex = leaf._terms._tindex
        tables = tindex.tables
    except AttributeError:
        return None
    slots = sum(numslots for _, numslots in tables)
    if slots > MAX_FILTER_SLOTS:
        return None
    with _lock:
        if key in _filters:
            _filters.move_to_end(key)
            return _filters[key]
        # Build only once looking terms up one by one has cost as much as building
        # would: a one-off command never pays for a large segment's filter, and a
        # reader that keeps searching pays at most twice what it should have.
        _spent[key] = _spent.get(key, 0.0) + probes * PROBE_SECONDS
        if _spent[key] < slots * BUILD_SECONDS_PER_SLOT:
            return None
    try:
        hashes = _read_hashes(tindex.dbfile, tables)
    except Exception:  # noqa: BLE001 - an unknown layout: Whoosh's lookups instead
        hashes = None
    with _lock:
        _spent.pop(key, None)  # decided: the filter (or its absence) is kept below
        size = 0 if hashes is None else hashes.nbytes
        while _filters and _kept + size > FILTER_BUDGET:
            _, old = _filters.popitem(last=False)
            _kept -= 0 if old is None else old.nbytes
        _filters[key] = hashes
        _kept += size
    return hashes


def _read_hashes(dbfile, tables: list[tuple[int, int]]) -> np.ndarray:
    """The sorted hashes of the occupied slots of every table of a Whoosh hash file."""
    parts = []
    for start, numslots in tables:
        if numslots:
            slots = np.frombuffer(dbfile.get(start, numslots * _SLOT.itemsize), dtype=_SLOT)
            parts.append(slots["hash"][slots["pos"] != 0].astype(np.uint32))
    if not parts:
        return np.empty(0, dtype=np.uint32)
    hashes = np.concatenate(parts)
    hashes.sort()
    return hashes

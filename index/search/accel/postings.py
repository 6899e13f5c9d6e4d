"""A term's postings in one segment, read a block at a time, the large ones kept.

Whoosh's own matcher seeks to each posting block and unpickles its header
from the file a few bytes at a time: a fifth of a common word's search. Here
the posting list is read in one piece and every block is decompressed and
unpickled straight from memory, its ids and weights gathered into one list
and turned into arrays once (numpy's cost per call is most of a 128-posting
block's).

A common word's postings (a few hundred thousand at 100,000 articles) are
costly to decode, and a query typed a letter at a time runs the same words
again and again, so the decoded postings of large terms are kept,
per segment (segments never change once written; deletions are applied by
the caller), up to :data:`CACHE_BYTES` in all, the least recently used
dropped first.
"""

from __future__ import annotations

import io
import struct
import threading
import zlib
from collections import OrderedDict
from collections.abc import Iterator
from pickle import load as pickle_load
from pickle import loads

import numpy as np

__all__ = ["CACHE_BYTES", "clear_cache", "decode", "postings"]

#: The length that starts a posting block (Whoosh's ``write_int``).
_INT = struct.Struct("!i")
#: The tag at the start of every Whoosh 3 posting list.
_BLOCK_TAG = b"W3Bl"
_DOUBLE = struct.Struct(">d")
_USHORT = struct.Struct("<H")
_INT32 = struct.Struct("<i")

#: Decoded postings kept at most (8 bytes a posting: 32-bit ids and weights).
CACHE_BYTES = 16 * 1024 * 1024
#: Terms with fewer postings are not kept (they decode in well under a millisecond).
_KEEP_FROM = 2048

_cache: OrderedDict[tuple[str, str, bytes], tuple[np.ndarray, np.ndarray]] = OrderedDict()
_cached_bytes = 0
_lock = threading.Lock()


def clear_cache() -> None:
    """Forget every kept posting list (and the hot files' directories)."""
    global _cached_bytes
    from index.search.accel import hot

    with _lock:
        _cache.clear()
        _cached_bytes = 0
    hot.clear_cache()


def postings(reader, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
    """A term's document numbers (ascending, deletions included) and weights in one segment.

    Args:
        reader: A segment's reader.
        fieldname: The field.
        btext: The term, as bytes.

    Returns:
        ``int64`` document numbers and ``float64`` weights (term frequencies).
    """
    global _cached_bytes
    key = (reader.segment().segment_id(), fieldname, btext)
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
    if found is not None:
        return found[0].astype(np.int64), found[1].astype(np.float64)
    copied = _hot(reader, fieldname, btext)
    if copied is not None:
        return copied
    ids, weights = decode(reader, fieldname, btext)
    if len(ids) >= _KEEP_FROM:
        kept = (ids.astype(np.int32), weights.astype(np.float32))
        size = kept[0].nbytes + kept[1].nbytes
        with _lock:
            if key not in _cache and size <= CACHE_BYTES:
                _cache[key] = kept
                _cached_bytes += size
                while _cached_bytes > CACHE_BYTES:
                    _, (old_ids, old_weights) = _cache.popitem(last=False)
                    _cached_bytes -= old_ids.nbytes + old_weights.nbytes
    return ids, weights


def _hot(reader, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray] | None:
    """A term's postings from its segment's hot file, when it has them."""
    folder = getattr(reader.codec(), "folder", None)
    if folder is None:
        return None
    from index.search.accel import hot

    doccount = reader.doc_count_all()
    return hot.lookup(folder, reader.segment().segment_id(), doccount, fieldname, btext)


def decode(reader, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
    """What :func:`postings` gives, always decoded from Whoosh's blocks, nothing kept.

    The writer copies hot postings (:mod:`~index.search.accel.hot`) from this.
    """
    from whoosh.matching.wrappers import FilterMatcher

    m = reader.postings(fieldname, btext)
    if isinstance(m, FilterMatcher):
        m = m.child
    if not hasattr(m, "_postfile"):  # a short list inlined in the term's info
        ids_list: list[int] = []
        weights_list: list[float] = []
        while m.is_active():
            ids_list.append(m.id())
            weights_list.append(m.weight())
            m.next()
        return np.asarray(ids_list, np.int64), np.asarray(weights_list, np.float64)
    counts: list[int] = []
    firsts: list[int] = []
    gaps: list[bytes] = []
    weights: list[bytes] = []
    slow: list[tuple[int, bytes]] | None = None
    for count, raw in _blocks(m):
        if slow is None:
            fast = _small_gaps(raw, count)
            if fast is not None:
                counts.append(count)
                firsts.append(fast[0])
                gaps.append(fast[1])
                weights.append(_weight_run(fast[2], count))
                continue
            slow = []
        slow.append((count, raw))
    if slow is None and not m._byteids:
        return _gathered(counts, firsts, gaps, weights)
    # A block that is not simple (wide gaps, byte ids): unpickle every block
    # past the simple ones, and gather the simple ones as arrays first.
    id_parts: list[np.ndarray] = []
    weight_parts: list[np.ndarray] = []
    for count, first, gap, weight in zip(counts, firsts, gaps, weights, strict=True):
        block = np.empty(count, np.int64)
        block[0] = first
        block[1:] = np.frombuffer(gap, np.uint8)
        id_parts.append(block)
        weight_parts.append(np.frombuffer(weight, _PICKLED_FLOAT)["value"])
    for count, raw in slow or ():
        ids, block_weights = loads(raw)[:2]
        id_parts.append(np.asarray(ids, np.int64))
        if block_weights is None:
            weight_parts.append(np.ones(count))
        elif isinstance(block_weights, float):
            weight_parts.append(np.full(count, block_weights))
        else:
            weight_parts.append(np.asarray(block_weights, np.float64))
    ids_array = np.concatenate(id_parts).astype(np.int64)
    weights_array = np.concatenate(weight_parts).astype(np.float64)
    if not m._byteids:
        lengths = np.fromiter((len(part) for part in id_parts), np.int64, len(id_parts))
        ids_array = _undelta(ids_array, lengths)
    return ids_array, weights_array


def _undelta(values: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Ids from blocks of a first id then gaps: a running sum that restarts per block."""
    sums = np.cumsum(values)
    ends = np.cumsum(lengths)
    before = np.zeros(len(lengths), np.int64)
    before[1:] = sums[ends[:-1] - 1]
    return sums - np.repeat(before, lengths)


def _gathered(
    counts: list[int], firsts: list[int], gaps: list[bytes], weights: list[bytes]
) -> tuple[np.ndarray, np.ndarray]:
    """Ids and weights of simple blocks, each part joined and converted once."""
    lengths = np.asarray(counts, np.int64)
    total = int(lengths.sum())
    starts = np.zeros(len(counts), np.int64)
    starts[1:] = np.cumsum(lengths)[:-1]
    values = np.empty(total, np.int64)
    rest = np.ones(total, bool)
    rest[starts] = False
    values[starts] = firsts
    values[rest] = np.frombuffer(b"".join(gaps), np.uint8)
    ids = _undelta(values, lengths)
    weight_array = np.frombuffer(b"".join(weights), _PICKLED_FLOAT)["value"].astype(np.float64)
    return ids, weight_array


def _weight_run(weights: bytes | float | None, count: int) -> bytes:
    """A simple block's weights as the pickle's sequence of ``G`` and a big-endian double each."""
    if isinstance(weights, bytes):
        return weights
    if weights is None:
        return _run(_PICKLED_ONE, count)
    return (b"G" + _DOUBLE.pack(weights)) * count


#: A pickled float: the opcode ``G`` and a big-endian double.
_PICKLED_FLOAT = np.dtype([("op", "S1"), ("value", ">f8")])
_PICKLED_ONE = b"G" + _DOUBLE.pack(1.0)
_OPCODES: dict[tuple[bytes, int], bytes] = {}


def _run(opcode: bytes, count: int) -> bytes:
    found = _OPCODES.get((opcode, count))
    if found is None:
        found = _OPCODES[(opcode, count)] = opcode * count
    return found


def _small_gaps(raw: bytes, count: int) -> tuple[int, bytes, bytes | float | None] | None:
    """A block's ids and weights read from its pickle without unpickling, when it is simple.

    A block is the protocol-2 pickle of ``(ids, weights, values)``: ``ids`` a
    tuple of the first id then gaps, ``weights`` None (all 1.0), one float,
    or a tuple of floats. When every gap is under 256 (``K`` and one byte
    each: the blocks of a common word), the gaps are every second byte, and a
    tuple of floats is a sequence of ``G`` and 8 bytes. Anything else returns None
    (unpickle it).

    Returns:
        The first id, the gaps (one byte each), and the weights (None, one
        float, or the sequence of pickled floats as bytes), or None.
    """
    if count < 4 or raw[:3] != b"\x80\x02(":
        return None
    opcode = raw[3:4]
    if opcode == b"K":
        first, at = raw[4], 5
    elif opcode == b"M":
        first, at = _USHORT.unpack_from(raw, 4)[0], 6
    elif opcode == b"J":
        first, at = _INT32.unpack_from(raw, 4)[0], 8
    else:
        return None
    end = at + 2 * (count - 1)
    if raw[end : end + 2] != b"tq" or raw[at:end:2] != _run(b"K", count - 1):
        return None
    gaps = raw[at + 1 : end : 2]
    at = end + 3  # past TUPLE, BINPUT and its index
    opcode = raw[at : at + 1]
    if opcode == b"N":
        return first, gaps, None
    if opcode == b"G":
        return first, gaps, _DOUBLE.unpack_from(raw, at + 1)[0]
    if opcode == b"(":
        stop = at + 1 + 9 * count
        if raw[stop : stop + 1] == b"t" and raw[at + 1 : stop : 9] == _run(b"G", count):
            return first, gaps, raw[at + 1 : stop]
    return None


def _blocks(m) -> Iterator[tuple[int, bytes]]:
    """Each posting block of a Whoosh 3 leaf matcher: its posting count and its data, unpacked.

    The posting list is read in one piece (the matcher knows its offset and
    length): a 4-byte tag, then blocks of a big-endian int (the block's
    length, negative for the last one), a pickled info tuple (count, last id,
    max weight, compression, min and max length) and the pickled, maybe
    compressed, data.
    """
    size = m._length
    if isinstance(size, tuple):  # Whoosh reads it back from disk as a 1-tuple
        (size,) = size
    data = m._postfile.get(m._startoffset, size)
    if data[: len(_BLOCK_TAG)] != _BLOCK_TAG:
        raise ValueError(f"posting list tag {data[:4]!r}")
    pos = len(_BLOCK_TAG)
    view = memoryview(data)
    while True:
        (length,) = _INT.unpack_from(data, pos)
        start = pos + _INT.size
        end = start + abs(length)
        header = _header(data, start)
        if header is None:  # not the usual shape: let pickle read it
            buffer = io.BytesIO(data[start:end])
            count, _maxid, _maxweight, compression, _minlen, _maxlen = pickle_load(buffer)
            raw = buffer.read()
        else:
            count, compression, at = header
            raw = view[at:end]
        yield count, zlib.decompress(raw) if compression else bytes(raw)
        if length < 0 or end >= len(data):
            return
        pos = end


#: The bytes after each pickle opcode a block header uses (ints and a float).
_ARGUMENT = {ord("K"): 1, ord("M"): 2, ord("J"): 4, ord("G"): 8}


def _header(data: bytes, start: int) -> tuple[int, int, int] | None:
    """A block header's posting count and compression, and where the block's data starts.

    The header is the protocol-2 pickle of six numbers: the protocol mark and ``(``, each
    number as ``K``, ``M`` or ``J`` (ints) or ``G`` (the float), then
    ``t``, ``q`` and its index, and ``.``. Any other shape returns None.
    """
    if data[start : start + 3] != b"\x80\x02(":
        return None
    at = start + 3
    values = []
    for _ in range(6):
        opcode = data[at]
        width = _ARGUMENT.get(opcode)
        if width is None:
            return None
        if opcode == 75:  # K: one unsigned byte
            values.append(data[at + 1])
        elif opcode == 77:  # M: two bytes, little-endian
            values.append(_USHORT.unpack_from(data, at + 1)[0])
        else:
            values.append(None)  # the last id or the max weight: not needed
        at += 1 + width
    count, compression = values[0], values[3]
    if count is None or compression is None or data[at : at + 2] != b"tq" or data[at + 3] != 46:
        return None
    return count, compression, at + 4

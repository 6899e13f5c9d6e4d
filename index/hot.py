"""Hot postings: a compact copy of a segment's largest posting lists, read without decoding.

Whoosh stores a posting list as 128-posting blocks, each a zlib-compressed
pickle. A common word of a 100,000-article library has about 90,000 postings
in 700 blocks and takes 8 to 10 ms to decode (zlib alone 3 to 4 ms): the
larger part of a search for two common words or a phrase, when its postings
are not already in memory (:mod:`index.postings` keeps the recent ones).

After each ``add`` the writer copies, for every segment that has none yet,
the posting lists of :data:`FIELDS` holding at least :data:`HOT_FROM`
postings into ``<segment id>.hot`` beside the segment: the first document
number, the gaps as the narrowest unsigned integers that hold them, and the
term frequencies as bytes when they fit. Reading a term is then one
``pread`` and a ``cumsum``. The file is derived data: written to a
temporary name, synced and renamed, checked when opened (its magic, its
segment and document count, its length), and ignored when anything is off,
the postings then decoded as before. Its name follows Whoosh's pattern for
segment files, so Whoosh deletes it with its segment after a merge.

On the 100,000-article benchmark library the copy holds 22 million postings
of 870 terms in about 45 MB (the index is 232 MB).
"""

from __future__ import annotations

import os
import pickle
import struct
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

__all__ = ["FIELDS", "HOT_FROM", "build_missing", "clear_cache", "hot_name", "lookup"]

#: Terms with at least this many postings in a segment are copied.
HOT_FROM = 2048
#: The fields whose terms are scored through :mod:`index.postings`.
FIELDS = ("body", "title", "entity", "source", "author")

_MAGIC = b"NDHOT01\n"
#: magic, document count, directory offset, directory length.
_HEAD = struct.Struct("<8sQQQ")
_GAPS = {1: np.dtype("<u1"), 2: np.dtype("<u2"), 4: np.dtype("<u4")}
_WEIGHTS = {1: np.dtype("<u1"), 2: np.dtype("<u2"), 8: np.dtype("<f8")}

#: One term's place in a hot file: offset, postings, first id, gap width, weight width.
_Entry = tuple[int, int, int, int, int]

_directories: dict[str, dict[tuple[str, bytes], _Entry]] = {}
_lock = threading.Lock()


def hot_name(segment_id: str) -> str:
    """The file name of a segment's hot postings."""
    return f"{segment_id}.hot"


def clear_cache() -> None:
    """Forget every hot file's directory (read again on next use)."""
    with _lock:
        _directories.clear()


def lookup(
    folder: str, segment_id: str, doccount: int, fieldname: str, btext: bytes
) -> tuple[np.ndarray, np.ndarray] | None:
    """A term's postings from its segment's hot file, or None when the file does not hold it.

    Args:
        folder: The index directory.
        segment_id: The segment's id (``MAIN_...``).
        doccount: The segment's document count (deletions included), to check the file.
        fieldname: The field.
        btext: The term, as bytes.

    Returns:
        ``int64`` document numbers (ascending) and ``float64`` weights, as
        :func:`index.postings.postings` returns them, or None.
    """
    if doccount < HOT_FROM:
        return None  # no term of so small a segment is copied
    path = os.path.join(folder, hot_name(segment_id))
    directory = _directory(path, doccount)
    if not directory:
        return None
    entry = directory.get((fieldname, btext))
    if entry is None:
        return None
    offset, count, first, gap_width, weight_width = entry
    size = (count - 1) * gap_width + count * weight_width
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            data = os.pread(fd, size, offset)
        finally:
            os.close(fd)
    except OSError:
        return None
    if len(data) != size:
        return None
    ids = np.empty(count, np.int64)
    ids[0] = first
    ids[1:] = np.frombuffer(data, _GAPS[gap_width], count - 1)
    np.cumsum(ids, out=ids)
    weights = np.frombuffer(data, _WEIGHTS[weight_width], count, (count - 1) * gap_width)
    return ids, weights.astype(np.float64)


def _directory(path: str, doccount: int) -> dict[tuple[str, bytes], _Entry] | None:
    """A hot file's directory (kept once read), or None when it is missing or not sound.

    Only a sound file's directory is kept: a segment's file may be written
    after a reader first looked (by the next ``add``).
    """
    with _lock:
        found = _directories.get(path)
    if found is not None:
        return found
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEAD.size)
            size = os.fstat(handle.fileno()).st_size
            if len(head) == _HEAD.size:
                magic, count, at, length = _HEAD.unpack(head)
                if magic == _MAGIC and count == doccount and at + length == size:
                    handle.seek(at)
                    found = pickle.loads(handle.read(length))  # noqa: S301 - our own file
    except (OSError, pickle.UnpicklingError, EOFError, ValueError):
        return None
    if not isinstance(found, dict):
        return None
    with _lock:
        _directories[path] = found
    return found


def build_missing(
    folder: Path, reader, decode: Callable, on_error: Callable[[str], None] | None = None
) -> int:
    """Write the hot file of every segment of ``reader`` that has terms to copy and no file.

    Args:
        folder: The index directory.
        reader: A Whoosh reader over the index's current segments.
        decode: ``decode(segment_reader, fieldname, btext)`` gives a term's
            ids and weights (:func:`index.postings.decode`).
        on_error: Told of a file that could not be written (the library
            still works: those postings are decoded when searched).

    Returns:
        How many hot files were written.
    """
    written = 0
    for leaf, _offset in reader.leaf_readers():
        if leaf.doc_count_all() < HOT_FROM:
            continue
        segment_id = leaf.segment().segment_id()
        target = folder / hot_name(segment_id)
        if _directory(str(target), leaf.doc_count_all()) is not None:
            continue  # already written, and sound
        try:
            written += _write(target, leaf, decode)
        except (OSError, ValueError, MemoryError) as err:
            if on_error is not None:
                on_error(f"{target}: hot postings not written ({err})")
    return written


def _write(target: Path, leaf, decode: Callable) -> int:
    """Write one segment's hot file (through a temporary name); 1 when written."""
    terms = [
        (fieldname, btext)
        for fieldname in FIELDS
        if fieldname in leaf.indexed_field_names()
        for btext, info in leaf.iter_field(fieldname)
        if info.doc_frequency() >= HOT_FROM
    ]
    temp = target.with_name(target.name + ".tmp")
    directory: dict[tuple[str, bytes], _Entry] = {}
    with os.fdopen(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
        out.write(_HEAD.pack(_MAGIC, 0, 0, 0))
        at = _HEAD.size
        for fieldname, btext in terms:
            ids, weights = decode(leaf, fieldname, btext)
            if not len(ids):
                continue
            gaps = np.diff(ids)
            gap_width = _width(gaps, (1, 2, 4))
            weight_width = _weight_width(weights)
            if gap_width is None or weight_width is None or (len(gaps) and gaps.min() < 1):
                continue  # not ascending, or too wide: left to the decoder
            data = gaps.astype(_GAPS[gap_width]).tobytes() + (
                weights.astype(_WEIGHTS[weight_width]).tobytes()
            )
            out.write(data)
            directory[(fieldname, btext)] = (at, len(ids), int(ids[0]), gap_width, weight_width)
            at += len(data)
        table = pickle.dumps(directory, protocol=4)
        out.write(table)
        out.seek(0)
        out.write(_HEAD.pack(_MAGIC, leaf.doc_count_all(), at, len(table)))
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, target)
    return 1


def _width(values: np.ndarray, widths: tuple[int, ...]) -> int | None:
    """The narrowest unsigned width (bytes) that holds every value, or None."""
    top = int(values.max()) if len(values) else 0
    for width in widths:
        if top < 1 << (8 * width):
            return width
    return None


def _weight_width(weights: np.ndarray) -> int | None:
    """1 or 2 when every weight is a whole number that fits, else 8 (doubles)."""
    if len(weights) and weights.min() >= 0 and np.array_equal(weights, np.floor(weights)):
        return _width(weights.astype(np.int64), (1, 2)) or 8
    return 8

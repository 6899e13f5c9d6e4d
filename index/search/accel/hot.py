"""Hot postings: a compact copy of a segment's largest posting lists, read without decoding.

Whoosh stores a posting list as 128-posting blocks, each a zlib-compressed
pickle. A common word of a 100,000-article library has about 90,000 postings
in 700 blocks, and decoding them (zlib about a third of it) is the
larger part of a search for two common words or a phrase, when its postings
are not already in memory (:mod:`index.search.accel.postings` keeps the recent ones).

After each ``add`` the writer copies, for every segment that has no sound
copy yet, the posting lists of :data:`FIELDS` holding at least
:data:`HOT_FROM` postings into ``<segment id>.hot`` beside the segment: the
first document number, the gaps as the narrowest unsigned integers that
hold them, and the term frequencies as bytes when they fit. Reading a term
is then one ``pread``, a CRC-32 and a ``cumsum``.

The file is derived data. It is written to a temporary name, synced and
renamed. Its header names its segment and document count and holds the
CRC-32 of its directory; each term's data has its own CRC-32. A file that
fails any check (or a term whose data does) is ignored, and those postings
are decoded from Whoosh's blocks instead; the next ``add`` writes a damaged
file again. Its name follows Whoosh's pattern for segment files, so Whoosh
deletes it with its segment after a merge.

On the 100,000-article benchmark library the copy holds 22 million postings
of about 1,000 terms in 48 MB (the index is 232 MB).
"""

from __future__ import annotations

import errno
import os
import struct
import threading
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np

__all__ = ["FIELDS", "HOT_FROM", "build_missing", "clear_cache", "hot_name", "lookup"]

#: Terms with at least this many postings in a segment are copied.
HOT_FROM = 2048
#: The fields whose terms are scored through :mod:`index.search.accel.postings` (never reordered:
#: a file names a term's field by its place here).
FIELDS = ("body", "title", "entity", "source", "author")

_MAGIC = b"NDHOT02\n"
#: magic, segment id, document count, directory offset, entries, terms' bytes, directory CRC.
_HEAD = struct.Struct("<8s40sQQIII")
#: One directory entry: field, term start and end in the terms' bytes, data offset,
#: postings, first document number, gap width, weight width, the data's CRC-32.
_ENTRY = struct.Struct("<BIIQIQBBI")
#: The same entry as a numpy record, to read a whole directory at once.
_ENTRY_DTYPE = np.dtype(
    [
        ("field", "u1"),
        ("start", "<u4"),
        ("end", "<u4"),
        ("offset", "<u8"),
        ("postings", "<u4"),
        ("first", "<u8"),
        ("gap", "u1"),
        ("weight", "u1"),
        ("crc", "<u4"),
    ]
)
_GAPS = {1: np.dtype("<u1"), 2: np.dtype("<u2"), 4: np.dtype("<u4")}
_WEIGHTS = {1: np.dtype("<u1"), 2: np.dtype("<u2"), 8: np.dtype("<f8")}

#: A term's place in a hot file: offset, size, postings, first id, gap width,
#: weight width, CRC-32 of its data.
_Entry = tuple[int, int, int, int, int, int, int]
_Directory = dict[tuple[str, bytes], _Entry]

_directories: dict[str, _Directory] = {}
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

    Never raises: a missing, damaged or foreign file gives None.

    Args:
        folder: The index directory.
        segment_id: The segment's id (``MAIN_...``).
        doccount: The segment's document count (deletions included), to check the file.
        fieldname: The field.
        btext: The term, as bytes.

    Returns:
        ``int64`` document numbers (ascending) and ``float64`` weights, as
        :func:`index.search.accel.postings.postings` returns them, or None.
    """
    if doccount < HOT_FROM:
        return None  # no term of so small a segment is copied
    path = os.path.join(folder, hot_name(segment_id))
    directory = _directory(path, segment_id, doccount)
    entry = directory.get((fieldname, btext)) if directory else None
    if entry is None:
        return None
    offset, size, count, first, gap_width, weight_width, crc = entry
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            data = os.pread(fd, size, offset)
        finally:
            os.close(fd)
    except OSError as err:
        if err.errno == errno.ENOENT:  # merged away: forget it
            with _lock:
                _directories.pop(path, None)
        return None
    if len(data) != size or zlib.crc32(data) != crc:
        return None
    ids = np.empty(count, np.int64)
    ids[0] = first
    ids[1:] = np.frombuffer(data, _GAPS[gap_width], count - 1)
    np.cumsum(ids, out=ids)
    weights = np.frombuffer(data, _WEIGHTS[weight_width], count, (count - 1) * gap_width)
    return ids, weights.astype(np.float64)


def _directory(path: str, segment_id: str, doccount: int) -> _Directory | None:
    """A hot file's directory (kept once read), or None when it is missing or not sound.

    Only a sound file's directory is kept: a segment's file may be written
    after a reader first looked (by the next ``add``).

    Args:
        path: The hot file.
        segment_id: The segment it must name.
        doccount: The document count it must name.

    Returns:
        Each term's entry, by field and term; None for a missing or unsound file.
    """
    with _lock:
        found = _directories.get(path)
    if found is not None:
        return found
    try:
        found = _read_directory(path, segment_id, doccount)
    except Exception:  # noqa: BLE001 - any damage means: decode from Whoosh instead
        return None
    if found is not None:
        with _lock:
            _directories[path] = found
    return found


def _read_directory(path: str, segment_id: str, doccount: int) -> _Directory | None:
    """Read and check a hot file's header and directory (None when anything is off)."""
    with open(path, "rb") as handle:
        head = handle.read(_HEAD.size)
        size = os.fstat(handle.fileno()).st_size
        if len(head) != _HEAD.size:
            return None
        magic, named, count, at, entries, terms_size, crc = _HEAD.unpack(head)
        if (
            magic != _MAGIC
            or named.rstrip(b"\0") != segment_id.encode()
            or count != doccount
            or at + entries * _ENTRY.size + terms_size != size
        ):
            return None
        handle.seek(at)
        table = handle.read(size - at)
    if zlib.crc32(table) != crc:
        return None
    terms = table[entries * _ENTRY.size :]
    rows = np.frombuffer(table, _ENTRY_DTYPE, entries)
    gaps, weights, counts = rows["gap"], rows["weight"], rows["postings"].astype(np.int64)
    gap_ok, weight_ok = np.isin(gaps, list(_GAPS)), np.isin(weights, list(_WEIGHTS))
    spans = (counts - 1) * gaps + counts * weights
    if not (
        np.all(rows["field"] < len(FIELDS))
        and np.all(gap_ok & weight_ok)
        and np.all(counts >= 1)
        and np.all(rows["start"] <= rows["end"])
        and np.all(rows["end"] <= terms_size)
        and np.all(rows["offset"] >= _HEAD.size)
        and np.all(rows["offset"] + spans.astype(np.uint64) <= at)
    ):
        return None
    return {
        (FIELDS[field], terms[start:end]): (offset, span, count, first, gap, weight, crc)
        for field, start, end, offset, span, count, first, gap, weight, crc in zip(
            rows["field"].tolist(),
            rows["start"].tolist(),
            rows["end"].tolist(),
            rows["offset"].tolist(),
            spans.tolist(),
            counts.tolist(),
            rows["first"].tolist(),
            gaps.tolist(),
            weights.tolist(),
            rows["crc"].tolist(),
            strict=True,
        )
    }


def build_missing(
    folder: Path, reader, decode: Callable, on_error: Callable[[str], None] | None = None
) -> int:
    """Write the hot file of every large segment of ``reader`` that has no sound one.

    Never raises for a segment: a failure is told to ``on_error`` (the
    library still works; those postings are decoded when searched).

    Args:
        folder: The index directory.
        reader: A Whoosh reader over the index's current segments.
        decode: ``decode(segment_reader, fieldname, btext)`` gives a term's
            ids and weights (:func:`index.search.accel.postings.decode`).
        on_error: Told of a file that could not be written.

    Returns:
        How many hot files were written.
    """
    written = 0
    for leaf, _offset in reader.leaf_readers():
        doccount = leaf.doc_count_all()
        if doccount < HOT_FROM:
            continue
        segment_id = leaf.segment().segment_id()
        target = folder / hot_name(segment_id)
        directory = _directory(str(target), segment_id, doccount)
        if directory is not None and _data_sound(target, directory):
            continue  # already written, and sound
        with _lock:
            _directories.pop(str(target), None)
        try:
            _write(target, segment_id, leaf, decode)
            written += 1
        except Exception as err:  # noqa: BLE001 - derived data: never fail the add for it
            if on_error is not None:
                on_error(f"{target}: hot postings not written ({type(err).__name__}: {err})")
    return written


def _data_sound(path: Path, directory: _Directory) -> bool:
    """Whether every term's data in a hot file matches its CRC-32 (read a term at a time)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        return all(
            zlib.crc32(os.pread(fd, size, offset)) == crc
            for offset, size, *_rest, crc in directory.values()
        )
    except OSError:
        return False
    finally:
        os.close(fd)


def _write(target: Path, segment_id: str, leaf, decode: Callable) -> None:
    """Write one segment's hot file through a temporary name (removed on failure).

    Args:
        target: The hot file to write.
        segment_id: The segment's id (named in the header).
        leaf: The segment's reader.
        decode: Gives a term's ids and weights.
    """
    temp = target.with_name(target.name + ".tmp")
    try:
        _write_to(temp, segment_id, leaf, decode)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _write_to(temp: Path, segment_id: str, leaf, decode: Callable) -> None:
    """Write the header, each copied term's data, then the directory, and sync."""
    fields = set(leaf.indexed_field_names())
    entries: list[bytes] = []
    terms = bytearray()
    with os.fdopen(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
        out.write(bytes(_HEAD.size))
        at = _HEAD.size
        for number, fieldname in enumerate(FIELDS):
            if fieldname not in fields:
                continue
            for btext, info in leaf.iter_field(fieldname):
                if info.doc_frequency() < HOT_FROM:
                    continue
                packed = _pack(*decode(leaf, fieldname, btext))
                if packed is None:
                    continue  # left to the decoder
                data, first, gap_width, weight_width, count = packed
                out.write(data)
                entries.append(
                    _ENTRY.pack(
                        number,
                        len(terms),
                        len(terms) + len(btext),
                        at,
                        count,
                        first,
                        gap_width,
                        weight_width,
                        zlib.crc32(data),
                    )
                )
                terms += btext
                at += len(data)
        table = b"".join(entries) + bytes(terms)
        out.write(table)
        out.seek(0)
        named = segment_id.encode()[:40]
        out.write(
            _HEAD.pack(
                _MAGIC,
                named,
                leaf.doc_count_all(),
                at,
                len(entries),
                len(terms),
                zlib.crc32(table),
            )
        )
        out.flush()
        os.fsync(out.fileno())


def _pack(ids: np.ndarray, weights: np.ndarray) -> tuple[bytes, int, int, int, int] | None:
    """A term's data (gaps, then weights), first id, widths and count; None if it cannot fit."""
    if not len(ids):
        return None
    gaps = np.diff(ids)
    if len(gaps) and gaps.min() < 1:
        return None  # not ascending
    gap_width = _width(gaps, (1, 2, 4))
    if gap_width is None or not 0 <= int(ids[0]) < 1 << 63:
        return None
    weight_width = _weight_width(weights)
    data = (
        gaps.astype(_GAPS[gap_width]).tobytes() + weights.astype(_WEIGHTS[weight_width]).tobytes()
    )
    return data, int(ids[0]), gap_width, weight_width, len(ids)


def _width(values: np.ndarray, widths: tuple[int, ...]) -> int | None:
    """The narrowest unsigned width (bytes) that holds every value, or None."""
    top = int(values.max()) if len(values) else 0
    for width in widths:
        if top < 1 << (8 * width):
            return width
    return None


def _weight_width(weights: np.ndarray) -> int:
    """1 or 2 when every weight is a whole number that fits, else 8 (doubles)."""
    if len(weights) and weights.min() >= 0 and np.array_equal(weights, np.floor(weights)):
        return _width(weights.astype(np.int64), (1, 2)) or 8
    return 8

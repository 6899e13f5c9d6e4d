"""Whoosh's W3 codec with a term table that keeps no memory per term while it is written.

Whoosh's ``HashWriter`` keeps one ``(hash, offset)`` tuple per term (about 120
bytes of Python objects) until the segment closes, and its ordered variant an
array of every term's offset besides: memory that grows with the number of
terms of the segment being written, so merging the large segment of a big
library (millions of terms) grows ``add`` by hundreds of megabytes inside
that one commit (``FieldWriter.add_postings`` -> ``W3FieldWriter.finish_term``).
:class:`CompactW3Codec` sends both to an unnamed temporary file beside the
index (12 and 8 bytes a term on disk, a few megabytes in memory) and reads
them back a sixteenth at a time when the segment closes. Everything written
to the segment is byte for byte what the plain codec writes (a test compares
the files).

The segments it makes carry a plain :class:`~whoosh.codec.whoosh3.W3Codec`
(Whoosh pickles a segment's codec into the TOC), so reading a library never
needs this module and any Whoosh reads it.
"""

from __future__ import annotations

import tempfile
from array import array
from collections.abc import Iterator

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3PerDocReader, _lenfield
from whoosh.util.numeric import byte_to_length

__all__ = ["CompactW3Codec", "FlushLengths", "SpilledArray", "SpilledBuckets"]

#: ``HashWriter`` splits its table into 256 buckets by the low byte of the hash.
_BUCKETS = 256

#: Buckets read back per pass over the spill file (16 passes of 16).
_GROUP = 16

#: Records read from a spill file at a time, and buffered before writing.
_CHUNK = 1 << 18

#: A length byte's field length, as ``W3PerDocReader.doc_field_length`` gives
#: it (None for the byte 0, which Whoosh's method falls through to).
_LENGTH_OF_BYTE: list[int | None] = [None] + [byte_to_length(b) for b in range(1, 256)]

_ENTRY = np.dtype([("hash", "<u4"), ("pos", "<i8")])
_OFFSET = np.dtype([("pos", "<i8")])


class _Spill:
    """Fixed-size records appended to an unnamed temporary file through typed buffers.

    Args:
        folder: The directory of the temporary file.
        dtype: The record's numpy type; one ``array`` type code per field.
        codes: The ``array`` type codes buffering each field.
    """

    def __init__(self, folder: str | None, dtype: np.dtype, codes: str) -> None:
        self.dtype = dtype
        self.file = tempfile.TemporaryFile(dir=folder)
        self.columns = [array(code) for code in codes]
        self.count = 0

    def flush(self) -> None:
        """Write the buffered records."""
        columns = self.columns
        if not columns[0]:
            return
        out = np.empty(len(columns[0]), dtype=self.dtype)
        for name, column in zip(self.dtype.names, columns, strict=True):
            out[name] = np.frombuffer(column, dtype=column.typecode)
        self.file.write(out.tobytes())
        self.columns = [array(column.typecode) for column in columns]

    def chunks(self) -> Iterator[np.ndarray]:
        """Every record, in the order added, a chunk at a time."""
        if self.file.closed:
            return
        self.flush()
        self.file.seek(0)
        size = self.dtype.itemsize
        while block := self.file.read(_CHUNK * size):
            yield np.frombuffer(block, dtype=self.dtype)

    def close(self) -> None:
        """Remove the file (again harmless: Whoosh's cancel may follow a failed close)."""
        if not self.file.closed:
            self.file.close()


class _SpilledBucket:
    """What ``HashWriter.add`` sees of one bucket: ``append`` into the shared spill."""

    __slots__ = ("_spill",)

    def __init__(self, spill: _Spill) -> None:
        self._spill = spill

    def append(self, entry: tuple[int, int]) -> None:
        """Add a ``(hash, offset)`` pair (its bucket is the low byte of the hash)."""
        spill = self._spill
        hashes, offsets = spill.columns
        hashes.append(entry[0])
        offsets.append(entry[1])
        spill.count += 1
        if len(hashes) >= _CHUNK:
            spill.flush()


class SpilledBuckets:
    """``HashWriter``'s 256 buckets, their pairs kept in a temporary file until it closes.

    ``buckets[h & 255].append((h, pos))`` adds a pair; iterating gives the 256
    buckets in order, each a list of its ``(hash, pos)`` pairs in the order they
    came (which decides the on-disk hash table), reading the file once per
    sixteen buckets so that only a sixteenth of the pairs is ever in memory.

    Args:
        folder: Where the temporary file goes (the index's own directory: a
            ``/tmp`` in memory would move the cost, not remove it).
    """

    def __init__(self, folder: str | None = None) -> None:
        self._spill = _Spill(folder, _ENTRY, "Iq")
        self._bucket = _SpilledBucket(self._spill)

    def __getitem__(self, index: int) -> _SpilledBucket:
        return self._bucket

    def __len__(self) -> int:
        return _BUCKETS

    def __iter__(self) -> Iterator[list[tuple[int, int]]]:
        for first in range(0, _BUCKETS, _GROUP):
            picked = [
                chunk[((chunk["hash"] & 255) // _GROUP) == first // _GROUP]
                for chunk in self._spill.chunks()
            ]
            group = np.concatenate(picked) if picked else np.empty(0, dtype=_ENTRY)
            low = group["hash"] & 255
            for bucket in range(first, first + _GROUP):
                mine = group[low == bucket]
                yield list(zip(mine["hash"].tolist(), mine["pos"].tolist(), strict=True))
        self._spill.close()


class SpilledArray:
    """``OrderedHashWriter``'s array of term offsets (a ``GrowableArray``) kept in a file.

    It takes the same ``append`` of increasing offsets, reports the type code
    Whoosh's array would have grown to, and writes the same bytes.

    Args:
        folder: Where the temporary file goes.
    """

    def __init__(self, folder: str | None = None) -> None:
        self._spill = _Spill(folder, _OFFSET, "q")
        self._largest = 0

    def append(self, n: int) -> None:
        """Add an offset."""
        spill = self._spill
        column = spill.columns[0]
        column.append(n)
        spill.count += 1
        if n > self._largest:
            self._largest = n
        if len(column) >= _CHUNK:
            spill.flush()

    def __len__(self) -> int:
        return self._spill.count

    @property
    def typecode(self) -> str:
        """The type code of Whoosh's ``GrowableArray("H")`` after the same appends."""
        largest = self._largest
        if largest < 2**16:
            return "H"
        if largest < 2**31:
            return "i"
        if largest < 2**32:
            return "I"
        return "q"

    def to_file(self, dbfile) -> None:  # noqa: ANN001 - Whoosh's StructFile
        """Write the offsets as ``GrowableArray.to_file`` does (big-endian, no header)."""
        big = np.dtype(self.typecode).newbyteorder(">")
        for chunk in self._spill.chunks():
            dbfile.write(chunk["pos"].astype(big).tobytes())
        self._spill.close()


class FlushLengths(W3PerDocReader):
    """The per-document reader a segment writer asks for every posting's field length.

    Whoosh's writer, when it writes a new segment's postings (the batch's and
    those of the segments merged into it), asks for the document's field
    length once per posting, and ``W3PerDocReader`` answers each through a
    column reader and a seek into the segment's file, once per posting. This
    reader reads a field's lengths once, into a list, and answers the same
    values from it.
    """

    def __init__(self, storage, segment) -> None:  # noqa: ANN001 - Whoosh's signature
        super().__init__(storage, segment)
        self._tables: dict[str, list[int | None] | None] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        """The field length of a document, as ``W3PerDocReader`` gives it."""
        try:
            table = self._tables[fieldname]
        except KeyError:
            table = self._tables[fieldname] = self._table(fieldname)
        if table is None or default != 0 or not 0 <= docnum < len(table):
            return super().doc_field_length(docnum, fieldname, default)
        return table[docnum]

    def _table(self, fieldname: str) -> list[int | None] | None:
        reader = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if reader is None:
            return None
        return [_LENGTH_OF_BYTE[reader[docnum]] for docnum in range(self._doccount)]


class CompactW3Codec(W3Codec):
    """The W3 codec whose term-table writer spills its buckets and offsets to a file."""

    def field_writer(self, storage, segment):  # noqa: ANN001, ANN201 - Whoosh's signature
        """Whoosh's field writer, its term table's buckets and offsets swapped for spilled ones."""
        writer = super().field_writer(storage, segment)
        folder = getattr(storage, "folder", None)
        writer._tindex.buckets = SpilledBuckets(folder)
        writer._tindex.index = SpilledArray(folder)
        return writer

    def per_document_reader(self, storage, segment):  # noqa: ANN001, ANN201 - Whoosh's signature
        """The reader a writer gets its field lengths from: :class:`FlushLengths`."""
        return FlushLengths(storage, segment)

    def new_segment(self, storage, indexname):  # noqa: ANN001, ANN201 - Whoosh's signature
        """A segment that names the plain W3 codec, so readers never need this one."""
        plain = W3Codec(self._blocklimit, self._compression, self._inlinelimit)
        return plain.new_segment(storage, indexname)

"""Whoosh's W3 codec with a term table that costs 16 bytes a term while it is written.

Whoosh's ``HashWriter`` keeps one ``(hash, offset)`` tuple per term (about 120
bytes of Python objects) until the segment closes. Merging the large segment
of a 100,000-article library writes about 3.7 million terms (mostly the word
pairs of the ``pairs`` field), so ``add`` grew from 440 MB to 780 MB inside
that one commit (found with ``py-spy dump``: ``FieldWriter.add_postings`` ->
``W3FieldWriter.finish_term``). :class:`CompactW3Codec` swaps those lists for
two typed arrays per bucket: 12 bytes a term, beside the 4 to 8 of Whoosh's
own array of offsets, so about 60 MB for that merge. Everything written to
disk is byte for byte what the plain codec writes (a test compares the files).

The segments it makes carry a plain :class:`~whoosh.codec.whoosh3.W3Codec`
(Whoosh pickles a segment's codec into the TOC), so reading a library never
needs this module and any Whoosh reads it.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator

from whoosh.codec.whoosh3 import W3Codec

__all__ = ["CompactBucket", "CompactW3Codec"]

#: ``HashWriter`` splits its table into 256 buckets by the low byte of the hash.
_BUCKETS = 256


class CompactBucket:
    """One of ``HashWriter``'s 256 buckets: ``(hash, offset)`` pairs in two arrays.

    It offers what ``HashWriter`` uses of the list it replaces: ``append`` of a
    pair, ``len`` and iteration over the pairs in the order they came.
    """

    __slots__ = ("_hashes", "_offsets")

    def __init__(self) -> None:
        self._hashes = array("I")  # md5/crc/cdb hashes are masked to 32 bits
        self._offsets = array("q")  # file offsets, as Whoosh packs them ("!Iq")

    def append(self, entry: tuple[int, int]) -> None:
        """Add a ``(hash, offset)`` pair."""
        hashval, offset = entry
        self._hashes.append(hashval)
        self._offsets.append(offset)

    def __len__(self) -> int:
        return len(self._hashes)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self._hashes, self._offsets, strict=True)


class CompactW3Codec(W3Codec):
    """The W3 codec whose term-table writer keeps its buckets in :class:`CompactBucket`."""

    def field_writer(self, storage, segment):  # noqa: ANN001, ANN201 - Whoosh's signature
        """Whoosh's field writer, its term table's buckets swapped for compact ones."""
        writer = super().field_writer(storage, segment)
        writer._tindex.buckets = [CompactBucket() for _ in range(_BUCKETS)]
        return writer

    def new_segment(self, storage, indexname):  # noqa: ANN001, ANN201 - Whoosh's signature
        """A segment that names the plain W3 codec, so readers never need this one."""
        plain = W3Codec(self._blocklimit, self._compression, self._inlinelimit)
        return plain.new_segment(storage, indexname)

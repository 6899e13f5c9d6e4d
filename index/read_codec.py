"""Whoosh's W3 codec for readers, opening a segment's term table in one read.

Whoosh's ``HashReader`` reads the directory of a segment's term table (256
entries of 12 bytes at the end of the ``.trm`` file) with 256 separate
``read`` calls, each through the compound file's Python reader: about 1.3 ms
a segment, 10 to 15 ms for every search that opens a 100,000-article library
afresh. :class:`ReadingW3Codec` reads the same bytes in one call and unpacks
them at once; everything else is Whoosh's. Only readers use it (a segment's
codec is swapped as its index's table of contents is read, see
:func:`for_reading`); the files written and the codec pickled into the table
of contents stay Whoosh's own.
"""

from __future__ import annotations

import os
import struct

from whoosh.codec.whoosh3 import W3Codec, W3TermsReader
from whoosh.filedb import filetables
from whoosh.filedb.filetables import FileFormatError, OrderedHashReader

__all__ = ["ReadingW3Codec", "for_reading"]

_HEADER = struct.Struct("!4sBii")  # magic, hash type, two unused ints
_INT = struct.Struct("!i")
_ENTRY = struct.Struct("!qi")  # a hash table's position and slot count
_DIRECTORY = 256 * _ENTRY.size


class _OneReadHashReader(OrderedHashReader):
    """Whoosh's ordered hash reader whose header and directory are read in one call each."""

    def __init__(self, dbfile, length=None, magic=b"HSH3", startoffset=0) -> None:
        self.dbfile = dbfile
        self.startoffset = startoffset
        self.is_closed = False
        if length is None:
            dbfile.seek(0, os.SEEK_END)
            length = dbfile.tell() - startoffset
        filemagic, hashtype, _, _ = _HEADER.unpack(dbfile.get(startoffset, _HEADER.size))
        if filemagic != magic:
            raise FileFormatError(f"Unknown file header {filemagic!r}")
        self.hashtype = hashtype
        self.hashfn = filetables._hash_functions[hashtype]
        self.startofdata = startoffset + _HEADER.size
        exptr = startoffset + length - _INT.size
        (exlen,) = _INT.unpack(dbfile.get(exptr, _INT.size))
        expos = exptr - exlen
        dbfile.seek(expos)
        self._read_extras()
        raw = dbfile.get(expos - _DIRECTORY, _DIRECTORY)
        if len(raw) != _DIRECTORY:
            raise FileFormatError("term table directory cut short")
        self.tables = list(_ENTRY.iter_unpack(raw))
        self.endofdata = self.tables[0][0]


class _OneReadTermsReader(W3TermsReader):
    """Whoosh's W3 terms reader over :class:`_OneReadHashReader`."""

    def __init__(self, codec, dbfile, length, postfile) -> None:
        self._codec = codec
        self._dbfile = dbfile
        self._tindex = _OneReadHashReader(dbfile, length)
        self._fieldmap = self._tindex.extras["fieldmap"]
        self._postfile = postfile
        self._fieldunmap = [None] * len(self._fieldmap)
        for fieldname, num in self._fieldmap.items():
            self._fieldunmap[num] = fieldname


class ReadingW3Codec(W3Codec):
    """The W3 codec with a term table opened in one read (reading only)."""

    def terms_reader(self, storage, segment):
        """Open a segment's term table and postings, as Whoosh's W3 codec does."""
        tiname = segment.make_filename(self.TERMS_EXT)
        tilen = storage.file_length(tiname)
        tifile = storage.open_file(tiname)
        postfile = segment.open_file(storage, self.POSTS_EXT)
        return _OneReadTermsReader(self, tifile, tilen, postfile)


def for_reading(segments: list) -> list:
    """Give each plain-W3 segment of a freshly read table of contents the reading codec.

    Args:
        segments: The segments of a TOC just read (not shared with any writer).

    Returns:
        The same list, each W3 segment's codec replaced by a
        :class:`ReadingW3Codec` with the same settings.
    """
    for segment in segments:
        codec = getattr(segment, "_codec", None)
        if type(codec) is W3Codec:
            reading = ReadingW3Codec.__new__(ReadingW3Codec)
            reading.__dict__.update(codec.__dict__)
            segment._codec = reading
    return segments

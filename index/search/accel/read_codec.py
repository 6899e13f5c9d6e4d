"""Whoosh's W3 codec for readers, opening a segment's term table in one read.

Whoosh's ``HashReader`` reads the directory of a segment's term table (256
entries of 12 bytes at the end of the ``.trm`` file) with 256 separate
``read`` calls, each through the compound file's Python reader, for every
segment of every search that opens a library afresh. :class:`ReadingW3Codec`
reads the same bytes in one call and unpacks them at once; everything else is
Whoosh's. Only readers use it (a segment's
codec is swapped as its index's table of contents is read, see
:func:`for_reading`); the files written and the codec pickled into the table
of contents stay Whoosh's own.

:data:`ID_COLUMN` reads the ``id`` column the same way: Whoosh derives the
offsets of a variable-length column from its lengths in a Python loop, one
step a document, every time a search maps its document numbers to article
ids; here one ``cumsum`` does it.
"""

from __future__ import annotations

import os
import struct
from array import array

import numpy as np
from whoosh.codec.whoosh3 import W3Codec, W3TermsReader
from whoosh.columns import VarBytesColumn
from whoosh.filedb import filetables
from whoosh.filedb.filetables import FileFormatError, OrderedHashReader
from whoosh.index import TOC, FileIndex

__all__ = ["ID_COLUMN", "IdColumn", "ReadingIndex", "ReadingW3Codec", "for_reading"]

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
    """The W3 codec with a term table opened in one read (reading only).

    Attributes:
        folder: The index directory, where a segment's hot postings live
            (:mod:`index.search.accel.hot`); None when not known.
    """

    folder: str | None = None

    def terms_reader(self, storage, segment):
        """Open a segment's term table and postings, as Whoosh's W3 codec does."""
        tiname = segment.make_filename(self.TERMS_EXT)
        tilen = storage.file_length(tiname)
        tifile = storage.open_file(tiname)
        postfile = segment.open_file(storage, self.POSTS_EXT)
        return _OneReadTermsReader(self, tifile, tilen, postfile)


def for_reading(segments: list, folder: str | None = None) -> list:
    """Give each plain-W3 segment of a freshly read table of contents the reading codec.

    Args:
        segments: The segments of a TOC just read (not shared with any writer).
        folder: The index directory (for the segments' hot postings).

    Returns:
        The same list, each W3 segment's codec replaced by a
        :class:`ReadingW3Codec` with the same settings.
    """
    for segment in segments:
        codec = getattr(segment, "_codec", None)
        if type(codec) is W3Codec:
            reading = ReadingW3Codec.__new__(ReadingW3Codec)
            reading.__dict__.update(codec.__dict__)
            reading.folder = folder
            segment._codec = reading
    return segments


class IdColumn(VarBytesColumn):
    """Whoosh's variable-length bytes column, its offsets computed with numpy when read."""

    class Reader(VarBytesColumn.Reader):
        """Reads the column as Whoosh does, the offsets summed by numpy."""

        def _read_offsets_and_lengths(self) -> None:
            dbfile, doccount = self._dbfile, self._doccount
            lastbyte = self._basepos + self._length - 1
            lens_code = chr(dbfile.get_byte(lastbyte))
            offsets = None
            if lens_code == "X":  # offsets were written: Whoosh's own reading is cheap
                self.had_stored_offsets = True
                lens_code = chr(dbfile.get_byte(lastbyte - 2))
                offsets_code = chr(dbfile.get_byte(lastbyte - 1))
                offsetstart = (lastbyte - 2) - doccount * struct.calcsize(offsets_code)
                offsets = dbfile.get_array(offsetstart, offsets_code, doccount)
                lastbyte = offsetstart
            lenstart = lastbyte - struct.calcsize(lens_code) * doccount
            lengths = dbfile.get_array(lenstart, lens_code, doccount)
            if offsets is None:
                sums = np.cumsum(np.frombuffer(lengths, np.dtype(lens_code)), dtype=np.int64)
                starts = np.zeros(len(lengths), np.int64)
                starts[1:] = sums[:-1]
                offsets = array("q")
                offsets.frombytes(starts.tobytes())
            self._offsets = offsets
            self._lengths = lengths


#: Pass as ``column=`` to ``column_reader("id", ...)``.
ID_COLUMN = IdColumn()


class ReadingIndex(FileIndex):
    """A read-only index whose segments open with a ``ReadingW3Codec``.

    The schema is unpickled from the first table of contents read and kept
    (as Whoosh does when given a schema), rather than unpickled again at each
    read of a table of contents.
    """

    def _read_toc(self) -> TOC:
        toc = TOC.read(self.storage, self.indexname, schema=self._schema)
        if self._schema is None:
            self._schema = toc.schema
        for_reading(toc.segments, getattr(self.storage, "folder", None))
        return toc

"""Readers open a segment's term table in one read and see exactly what Whoosh's reader sees."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.filetables import OrderedHashReader
from whoosh.index import TOC, FileIndex
from whoosh.query import Term

from index.search.accel.read_codec import ReadingW3Codec, _OneReadHashReader
from index.search.storage import INDEX_NAME, ReadingIndex, open_index


def _index(folder: Path) -> FileIndex:
    """Three commits, no merge: three segments (compound and not), many terms."""
    folder.mkdir()
    ix = FileIndex.create(
        FileStorage(str(folder)), Schema(id=ID(stored=True), body=TEXT), indexname=INDEX_NAME
    )
    for part, compound in (
        (range(0, 400), True),
        (range(400, 900), False),
        (range(900, 950), True),
    ):
        writer = ix.writer(compound=compound)
        for n in part:
            writer.add_document(id=f"d{n}", body=f"minister w{n * 7 % 331} x{n} talks")
        writer.commit(merge=False, optimize=False)
    return ix


def test_the_one_read_table_equals_whoosh_s_for_every_segment(tmp_path: Path) -> None:
    ix = _index(tmp_path / "ix")
    segments = TOC.read(ix.storage, INDEX_NAME).segments
    assert len(segments) == 3
    assert [s.is_compound() for s in segments] == [True, False, True]
    for segment in segments:
        storage = segment.open_compound_file(ix.storage) if segment.is_compound() else ix.storage
        name = segment.make_filename(W3Codec.TERMS_EXT)
        length = storage.file_length(name)
        plain = OrderedHashReader(storage.open_file(name), length)
        ours = _OneReadHashReader(storage.open_file(name), length)
        for attr in ("tables", "endofdata", "startofdata", "hashtype", "extras"):
            assert getattr(ours, attr) == getattr(plain, attr), attr
        assert list(ours.keys()) == list(plain.keys())


def test_a_reading_index_finds_what_whoosh_finds(tmp_path: Path) -> None:
    plain = _index(tmp_path / "ix")
    reading = ReadingIndex(FileStorage(str(tmp_path / "ix")), indexname=INDEX_NAME)
    assert all(type(s.codec()) is ReadingW3Codec for s in reading._segments())
    with plain.searcher() as ps, reading.searcher() as rs:
        assert list(rs.reader().lexicon("body")) == list(ps.reader().lexicon("body"))
        for word in ("minister", "w14", "x917", "nothing"):
            want = [hit["id"] for hit in ps.search(Term("body", word), limit=None)]
            got = [hit["id"] for hit in rs.search(Term("body", word), limit=None)]
            assert got == want, word


def test_a_library_s_reader_uses_the_reading_codec_and_its_toc_names_the_plain_one(
    seed_library: Path,
) -> None:
    ix = open_index(seed_library / "index")
    assert all(type(s.codec()) is ReadingW3Codec for s in ix._segments())
    written = TOC.read(FileStorage(str(seed_library / "index")), INDEX_NAME).segments
    assert written and all(type(s.codec()) is W3Codec for s in written)


@pytest.mark.parametrize("cutoff", [10, 2**15])  # offsets written to the file, or derived
def test_the_id_column_reads_what_whoosh_reads(cutoff: int) -> None:
    from io import BytesIO

    from whoosh.columns import VarBytesColumn
    from whoosh.filedb.structfile import StructFile

    from index.search.accel.read_codec import ID_COLUMN

    values = {n: f"id-{n * 37 % 1000:x}".encode() * (n % 3) for n in range(0, 400, 2)}
    buffer = BytesIO()
    out = StructFile(buffer)
    writer = VarBytesColumn(write_offsets_cutoff=cutoff).writer(out)
    for docnum, value in values.items():
        writer.add(docnum, value)
    writer.finish(401)
    data = buffer.getvalue()
    plain = VarBytesColumn().reader(StructFile(BytesIO(data)), 0, len(data), 401)
    ours = ID_COLUMN.reader(StructFile(BytesIO(data)), 0, len(data), 401)
    assert ours.had_stored_offsets is plain.had_stored_offsets is (cutoff == 10)
    assert [ours[n] for n in range(401)] == [plain[n] for n in range(401)]
    assert [ours[n] for n in range(401)] == [values.get(n, b"") for n in range(401)]
    assert list(ours) == list(plain)

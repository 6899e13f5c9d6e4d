"""The compact codec writes what Whoosh's own codec writes, and libraries name the plain one."""

from __future__ import annotations

import random
from io import BytesIO
from pathlib import Path

from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.index import TOC, FileIndex, open_dir
from whoosh.query import Term
from whoosh.util.numlists import GrowableArray

from index.search.accel.compact_codec import CompactW3Codec, SpilledArray, SpilledBuckets

WORDS = "minister talks border trade summit election court ruling market storm".split()


def _docs(count: int) -> list[dict[str, str]]:
    """Deterministic documents with many distinct terms (numbers and word pairs)."""
    docs = []
    for n in range(count):
        words = [WORDS[(n * k) % len(WORDS)] for k in range(1, 9)]
        words += [f"w{n * 7 % 331}", f"x{n}"]
        docs.append({"id": f"d{n}", "body": " ".join(words)})
    return docs


def _build(folder: Path, codec) -> FileIndex:
    """Two commits of documents, then a merge of both segments, all through ``codec``."""
    folder.mkdir()
    ix = FileIndex.create(
        FileStorage(str(folder)), Schema(id=ID(stored=True), body=TEXT), indexname="MAIN"
    )
    docs = _docs(600)
    for part in (docs[:300], docs[300:]):
        writer = ix.writer(codec=codec, compound=False)
        for doc in part:
            writer.add_document(**doc)
        writer.commit(merge=False)
    writer = ix.writer(codec=codec, compound=False)
    writer.commit(optimize=True)  # merges both segments into a new one
    return ix


def _segment_files(folder: Path) -> dict[str, bytes]:
    """The segment files by extension (segment names are random, contents are not)."""
    files = {}
    for path in folder.iterdir():
        if path.suffix in {".trm", ".pst"}:
            files[path.suffix] = path.read_bytes()
    return files


def test_the_compact_codec_writes_the_same_bytes_as_whoosh_s(tmp_path: Path) -> None:
    plain = _build(tmp_path / "plain", W3Codec())
    compact = _build(tmp_path / "compact", CompactW3Codec())
    assert len(plain.reader().leaf_readers()) == len(compact.reader().leaf_readers()) == 1

    plain_files, compact_files = (
        _segment_files(tmp_path / "plain"),
        _segment_files(tmp_path / "compact"),
    )
    # The term table (its hash buckets included) and the postings, byte for byte.
    assert plain_files.keys() == compact_files.keys() == {".trm", ".pst"}
    assert plain_files[".trm"] == compact_files[".trm"]
    assert plain_files[".pst"] == compact_files[".pst"]

    with open_dir(str(tmp_path / "compact"), indexname="MAIN").searcher() as searcher:
        reader = searcher.reader()
        assert reader.doc_count() == 600
        assert list(reader.lexicon("body")) == list(plain.reader().lexicon("body"))
        assert [hit["id"] for hit in searcher.search(Term("body", "x417"))] == ["d417"]


def test_a_library_s_segments_name_the_plain_codec(seed_library: Path) -> None:
    segments = TOC.read(FileStorage(str(seed_library / "index")), "MAIN").segments
    assert segments
    assert all(type(segment.codec()) is W3Codec for segment in segments)


def test_spilled_buckets_give_back_every_pair_in_its_bucket_in_order(tmp_path: Path) -> None:
    """More pairs than one read of the spill file holds, against Whoosh's plain lists."""
    rng = random.Random(6)
    plain: list[list[tuple[int, int]]] = [[] for _ in range(256)]
    spilled = SpilledBuckets(str(tmp_path))
    extremes = [(0xFFFFFFFF, 2**40), (7, 12), (0, 19)]  # widest hash and offset, smallest
    randoms = [(rng.getrandbits(32), pos) for pos in range(16, 700_000 * 3, 3)]
    for hashval, pos in extremes + randoms:
        plain[hashval & 255].append((hashval, pos))
        spilled[hashval & 255].append((hashval, pos))
    got = [list(bucket) for bucket in spilled]
    assert got == plain
    assert list(tmp_path.iterdir()) == []  # the spill file is unnamed


def test_spilled_offsets_write_what_whoosh_s_growable_array_writes() -> None:
    """The type code grows as Whoosh's does, and the bytes written are the same."""
    for values in ([4, 9, 60_000], [4, 70_000], [4, 2**31 + 5], [4, 2**32 + 7], []):
        plain, spilled = GrowableArray("H"), SpilledArray()
        for value in values:
            plain.append(value)
            spilled.append(value)
        assert (spilled.typecode, len(spilled)) == (plain.typecode, len(plain))
        want, got = BytesIO(), BytesIO()
        plain.to_file(StructFile(want))
        spilled.to_file(StructFile(got))
        assert got.getvalue() == want.getvalue()

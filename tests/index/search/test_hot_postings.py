"""Hot postings: the writer's compact copy of large posting lists gives what Whoosh gives."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import numpy as np
import pytest
from whoosh.index import TOC

from index.library.facade import Library
from index.search.accel import hot
from index.search.accel.postings import clear_cache, decode, postings
from index.search.storage import open_index
from tests.helpers.entity_corpus import record
from tests.helpers.library import build_library

QUERIES = ['"foreign minister"', "minister", "talks AND border", "said", "title:minister"]


def _corpus(tmp_path: Path, count: int, name: str = "c.jsonl") -> Path:
    """``count`` articles where a few words are in most of them, with varied frequencies."""
    records = []
    for n in range(count):
        sentences = [f"The foreign minister said talks number {n} went on."]
        sentences += ["Border talks said little." for _ in range(n % 4)]
        if n % 3:
            sentences.append(f"Case {n} stays open.")
        title = "Minister talks" if n % 2 else f"Report {n}"
        records.append(record(f"2022-{1 + n % 12:02d}-{1 + n % 27:02d}", title, sentences))
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def _pages(root: Path) -> list[list[tuple[str, float, str]]]:
    clear_cache()
    with Library.open(root) as lib:
        return [
            [(h.id, round(h.score, 9), h.snippet) for h in lib.search(q, limit=50).hits]
            for q in QUERIES
        ]


@pytest.fixture()
def small_hot(monkeypatch: pytest.MonkeyPatch) -> None:
    """Copy terms with at least 8 postings, so a small library has hot files."""
    monkeypatch.setattr(hot, "HOT_FROM", 8)
    yield
    clear_cache()


@pytest.fixture()
def hot_library(tmp_path: Path, small_hot: None) -> Path:
    """A library of 40 articles whose one segment has a hot file."""
    root = tmp_path / "lib"
    assert not build_library(root, _corpus(tmp_path, 40)).errors
    return root


def _hot_files(root: Path) -> list[Path]:
    return sorted((root / "index").glob("*.hot"))


def test_add_writes_hot_postings_equal_to_whoosh_s(tmp_path: Path, hot_library: Path) -> None:
    root = hot_library
    files = _hot_files(root)
    assert len(files) == 1
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    ix = open_index(root / "index")
    with ix.searcher() as searcher:
        (leaf, _), *_ = searcher.reader().leaf_readers()
        assert files[0].name == hot.hot_name(leaf.segment().segment_id())
        assert TOC._segment_pattern("MAIN").match(
            files[0].name
        )  # Whoosh deletes it with its segment
        copied = 0
        for fieldname in hot.FIELDS:
            for btext, info in leaf.iter_field(fieldname):
                found = postings(leaf, fieldname, btext)
                want = decode(leaf, fieldname, btext)
                assert np.array_equal(found[0], want[0]) and np.array_equal(found[1], want[1])
                m = leaf.postings(fieldname, btext)
                whoosh_ids, whoosh_weights = [], []
                while m.is_active():
                    whoosh_ids.append(m.id())
                    whoosh_weights.append(m.weight())
                    m.next()
                assert found[0].tolist() == whoosh_ids
                assert found[1].tolist() == whoosh_weights
                if info.doc_frequency() >= hot.HOT_FROM:
                    entry = hot.lookup(
                        str(root / "index"),
                        leaf.segment().segment_id(),
                        leaf.doc_count_all(),
                        fieldname,
                        btext,
                    )
                    assert entry is not None
                    copied += 1
        assert copied >= 5


def test_searches_are_the_same_with_and_without_hot_postings(
    tmp_path: Path, hot_library: Path
) -> None:
    root = hot_library
    with_hot = _pages(root)
    assert all(with_hot)
    for path in _hot_files(root):
        path.unlink()
    assert _pages(root) == with_hot


@pytest.mark.parametrize(
    "damage",
    ["truncate", "garbage", "empty", "other-count", "other-segment", "data-bit", "directory-bit"],
)
def test_a_damaged_hot_file_is_ignored(tmp_path: Path, hot_library: Path, damage: str) -> None:
    root = hot_library
    want = _pages(root)
    (path,) = _hot_files(root)
    data = path.read_bytes()
    damaged = bytearray(data)
    if damage == "truncate":
        damaged = damaged[: len(data) // 2]
    elif damage == "garbage":
        damaged[40:] = b"\xff" * (len(data) - 40)
    elif damage == "empty":
        damaged = bytearray()
    elif damage == "other-count":
        damaged[48:56] = (12345).to_bytes(8, "little")
    elif damage == "other-segment":
        damaged[8:13] = b"OTHER"
    elif damage == "data-bit":
        damaged[hot._HEAD.size + 3] ^= 0x10  # inside the first term's gaps
    else:  # a byte of the directory, near its end (the terms' bytes)
        damaged[-2] ^= 0x01
    path.write_bytes(bytes(damaged))
    assert _pages(root) == want
    assert not build_library(root, _corpus(tmp_path, 40)).errors  # the next add writes it again
    assert path.read_bytes() == data


def test_a_reader_opened_before_the_copy_uses_it_once_written(
    tmp_path: Path, hot_library: Path
) -> None:
    """A segment's hot file may appear after a reader first looked (the next add writes it)."""
    root = hot_library
    (path,) = _hot_files(root)
    kept = path.read_bytes()
    path.unlink()
    with Library.open(root) as lib:
        before = [(h.id, h.score) for h in lib.search("minister", limit=50).hits]
        path.write_bytes(kept)
        path.chmod(0o600)
        segment_id = path.name.removesuffix(".hot")
        ix = open_index(root / "index")
        with ix.searcher() as searcher:
            (leaf, _), *_ = searcher.reader().leaf_readers()
            assert (
                hot.lookup(str(root / "index"), segment_id, leaf.doc_count_all(), "body", b"minist")
                is not None
            )
        clear_cache()
        assert [(h.id, h.score) for h in lib.search("minister", limit=50).hits] == before


def test_a_second_add_copies_only_new_segments_and_merges_drop_old_copies(
    tmp_path: Path, hot_library: Path
) -> None:
    root = hot_library
    first = _hot_files(root)
    mtime = first[0].stat().st_mtime_ns
    assert not build_library(root, _corpus(tmp_path, 40)).errors  # unchanged: nothing new
    assert _hot_files(root) == first and first[0].stat().st_mtime_ns == mtime
    more = tmp_path / "more"
    more.mkdir()
    text = _corpus(more, 30, "d.jsonl").read_text(encoding="utf-8")
    (more / "d.jsonl").write_text(text.replace("talks number", "talks figure"), encoding="utf-8")
    report = build_library(root, more / "d.jsonl")
    assert not report.errors and report.articles_added == 30
    ix = open_index(root / "index")
    with ix.searcher() as searcher:
        leaves = [leaf for leaf, _ in searcher.reader().leaf_readers()]
        live = {leaf.segment().segment_id() for leaf in leaves}
        sized = {leaf.segment().segment_id() for leaf in leaves if leaf.doc_count_all() >= 8}
    names = {p.name.removesuffix(".hot") for p in _hot_files(root)}
    assert names == sized and names <= live  # every large segment copied, no copy outlives one
    assert _pages(root)[1]
    # A merge of every segment: Whoosh deletes the old copies; the next add copies the new one.
    writer = open_index(root / "index", readonly=False).writer()
    writer.commit(optimize=True)
    assert _hot_files(root) == []
    assert _pages(root)[1]
    assert not build_library(root, more / "d.jsonl").errors
    (merged,) = open_index(root / "index")._segments()
    assert [p.name for p in _hot_files(root)] == [hot.hot_name(merged.segment_id())]

"""The library on disk: durable commits, failed commits, unsafe and damaged libraries."""

from __future__ import annotations

import errno
import os
import re
import shutil
from pathlib import Path

import pytest

from index.errors import LibraryDamaged, LibraryMissing, SchemaMismatch, UnsafeLibrary, WriteFailed
from index.layout import LibraryPaths, WriteLock, atomic_write, open_atomic
from index.library.facade import Library
from index.search import storage as whoosh_store
from index.store.db import Store
from tests.helpers.library import build_library

pytestmark = pytest.mark.slow


def _article(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_commit_fsyncs_files_before_the_toc_rename_and_the_dir_after(
    library_copy: Path, tmp_path: Path
) -> None:
    events: list[tuple[str, str]] = []
    whoosh_store.sync_events.append(lambda e, n: events.append((e, n)))
    try:
        build_library(
            library_copy,
            _article(tmp_path, "a.txt", "Oslo talks\n\nJonas Gahr Støre spoke in Oslo.\n"),
        )
    finally:
        whoosh_store.sync_events.clear()
    renames = [i for i, (e, n) in enumerate(events) if e == "rename" and n.endswith(".toc")]
    assert renames, events
    rename = renames[-1]
    toc = events[rename][1]
    synced_before = {n for e, n in events[:rename] if e == "fsync"}
    assert any(n.startswith(toc) for n in synced_before), "the temporary TOC is fsynced"
    assert any(n.endswith(".seg") or "_" in n for n in synced_before)
    assert ("fsync-dir", str(library_copy / "index")) in events[rename + 1 :]


def test_a_commit_that_fails_with_disk_full_leaves_the_index_writable(
    library_copy: Path, tmp_path: Path, monkeypatch
) -> None:
    original = whoosh_store.DurableStorage.rename_file

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(whoosh_store.DurableStorage, "rename_file", full)
    doc = _article(tmp_path, "a.txt", "Oslo talks\n\nJonas Gahr Støre spoke in Oslo.\n")
    with pytest.raises(WriteFailed, match="cannot write the index .*No space left on device"):
        build_library(library_copy, doc)
    monkeypatch.setattr(whoosh_store.DurableStorage, "rename_file", original)
    with Library.open(library_copy) as lib:
        assert lib.stats().articles == 2, "nothing lost, nothing half-added"
        assert lib.search("oslo").total == 0
    leftovers = [n for n in os.listdir(library_copy / "index") if ".toc." in n]
    assert not leftovers
    report = build_library(library_copy, doc)  # space is back: works without a restart
    assert report.articles_added == 1
    with Library.open(library_copy) as lib:
        assert lib.search("oslo").total == 1 and lib.stats().articles == 3


def test_library_files_are_private(seed_library: Path) -> None:
    assert (seed_library.stat().st_mode & 0o777) == 0o700
    for path in [
        seed_library / "store.sqlite3",
        seed_library / "manifest.json",
        *(seed_library / "index").iterdir(),
    ]:
        assert path.stat().st_mode & 0o077 == 0, path


def test_atomic_write_replaces_the_file_whole_with_the_mode_asked(tmp_path: Path) -> None:
    target = tmp_path / "f.txt"
    target.write_text("old")
    atomic_write(target, "new\n")
    assert target.read_text() == "new\n" and target.stat().st_mode & 0o777 == 0o600
    atomic_write(target, b"\xffbytes", mode=0o640)
    assert target.read_bytes() == b"\xffbytes" and target.stat().st_mode & 0o777 == 0o640
    old = os.umask(0o027)
    try:
        atomic_write(target, "umask", mode=None, durable=False)
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o640
    assert os.listdir(tmp_path) == ["f.txt"]


def test_a_failed_atomic_write_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "f.txt"
    target.write_text("old")
    with pytest.raises(KeyboardInterrupt), open_atomic(target) as out:
        out.write("half")
        raise KeyboardInterrupt
    with pytest.raises(OSError):
        atomic_write(tmp_path / "missing" / "f.txt", "x")
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["f.txt"]


def test_atomic_write_fsyncs_the_file_before_the_rename_and_the_directory_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    fsync, replace = os.fsync, os.replace

    def note_fsync(fd: int) -> None:
        events.append("dir" if os.path.isdir(f"/proc/self/fd/{fd}") else "file")
        fsync(fd)

    def note_replace(src, dst) -> None:
        events.append("replace")
        replace(src, dst)

    monkeypatch.setattr(os, "fsync", note_fsync)
    monkeypatch.setattr(os, "replace", note_replace)
    atomic_write(tmp_path / "f.txt", "x")
    assert events == ["file", "replace", "dir"]
    events.clear()
    atomic_write(tmp_path / "f.txt", "x", durable=False)
    assert events == ["replace"]


def test_world_writable_library_is_refused(library_copy: Path) -> None:
    os.chmod(library_copy / "index", 0o777)
    with pytest.raises(UnsafeLibrary, match="writable by others"):
        Library.open(library_copy)


def test_library_with_symlink_is_refused(library_copy: Path, tmp_path: Path) -> None:
    (library_copy / "index" / "evil").symlink_to(tmp_path)
    with pytest.raises(UnsafeLibrary, match="symbolic link"):
        Library.open(library_copy)


def test_missing_library(tmp_path: Path) -> None:
    with pytest.raises(LibraryMissing):
        Library.open(tmp_path / "none")


def test_other_schema_version_is_refused_with_rebuild_hint(library_copy: Path) -> None:
    manifest = library_copy / "manifest.json"
    text = re.sub(r'"schema_version": \d+', '"schema_version": 99', manifest.read_text())
    manifest.write_text(text)
    with pytest.raises(SchemaMismatch, match="newsdesk rebuild"):
        Library.open(library_copy)


@pytest.mark.parametrize("damage", ["truncate", "zero", "delete", "flip"])
def test_damaged_toc_is_one_typed_error(library_copy: Path, damage: str) -> None:
    toc = next(p for p in (library_copy / "index").iterdir() if p.name.endswith(".toc"))
    data = toc.read_bytes()
    if damage == "truncate":
        toc.write_bytes(data[: len(data) // 3])
    elif damage == "zero":
        toc.write_bytes(b"\0" * len(data))
    elif damage == "delete":
        toc.unlink()
    else:
        toc.write_bytes(data[:40] + bytes(b ^ 0xFF for b in data[40:80]) + data[80:])
    with Library.open(library_copy) as lib:
        with pytest.raises((LibraryDamaged, SchemaMismatch)) as info:
            lib.search("blinken")
    assert "rebuild" in str(info.value)


def test_rebuild_recreates_a_damaged_index_and_keeps_state(library_copy: Path) -> None:
    with Library.open(library_copy) as lib:
        lib.set_state("query", '"Blinken"')
    for seg in (library_copy / "index").iterdir():
        if seg.suffix == ".seg":
            seg.write_bytes(b"garbage")
    from index.ingest.rebuild import rebuild_library

    report = rebuild_library(library_copy)
    assert report.articles_added == 2
    with Library.open(library_copy) as lib:
        assert lib.search("blinken").total == 2
        assert lib.get_state("query") == '"Blinken"'


def test_second_writer_fails_fast_with_no_wait(library_copy: Path, tmp_path: Path) -> None:
    from index.errors import LibraryBusy

    doc = _article(tmp_path, "a.txt", "Oslo talks\n\nJonas Gahr Støre spoke in Oslo.\n")
    with WriteLock(LibraryPaths(library_copy)):
        with pytest.raises(LibraryBusy, match="another 'newsdesk add'"):
            build_library(library_copy, doc, wait=False)
    assert build_library(library_copy, doc).articles_added == 1


def test_store_quick_check_is_clean(seed_library: Path) -> None:
    store = Store(seed_library / "store.sqlite3", readonly=True)
    try:
        assert store.quick_check() == "ok"
    finally:
        store.close()


def test_copy_keeps_permissions(seed_library: Path, tmp_path: Path) -> None:
    target = tmp_path / "x"
    shutil.copytree(seed_library, target)
    target.chmod(0o700)
    with Library.open(target) as lib:
        assert lib.stats().articles == 2


def test_damaged_segment_is_a_library_error_not_a_crash(library_copy: Path) -> None:
    for seg in (library_copy / "index").iterdir():
        if seg.suffix == ".seg":
            seg.write_bytes(seg.read_bytes()[:100])
    with Library.open(library_copy) as lib:
        with pytest.raises(LibraryDamaged, match="rebuild"):
            lib.search("blinken")

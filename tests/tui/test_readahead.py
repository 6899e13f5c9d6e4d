"""The launch readahead: the list of module files one launch leaves for the next."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tui import readahead
from tui.startup import opens_reader

pytestmark = pytest.mark.skipif(
    not hasattr(os, "posix_fadvise"), reason="no posix_fadvise on this platform"
)


@pytest.fixture(autouse=True)
def _forget_last_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readahead, "_last_read", None)


def test_the_list_lives_in_the_user_cache_directory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert readahead.list_path() == tmp_path / "newsdesk" / "launch-files"


def test_prefetch_advises_only_the_listed_byte_code_and_extension_files(tmp_path: Path) -> None:
    good = [tmp_path / "a.cpython-311.pyc", tmp_path / "_speedups.so"]
    for file in good:
        file.write_bytes(b"\0" * 4096)
    (tmp_path / "notes.txt").write_text("not code")
    (tmp_path / "dir.pyc").mkdir()
    fifo = tmp_path / "pipe.pyc"
    os.mkfifo(fifo)  # opening it would block: it must be skipped, not opened
    listed = [
        *map(str, good),
        str(tmp_path / "notes.txt"),
        str(tmp_path / "dir.pyc"),
        str(fifo),
        str(tmp_path / "gone.pyc"),
        "relative/x.pyc",
        "",
        "\x00junk",
    ]
    listing = tmp_path / "launch-files"
    listing.write_text("\n".join(listed) + "\n")

    assert readahead.prefetch(listing, probe=False) == 2


@pytest.mark.parametrize(
    "content", [None, b"\xff\xfe not utf-8 \x80", b""], ids=["missing", "not-utf-8", "empty"]
)
def test_a_missing_or_damaged_list_means_no_readahead(tmp_path: Path, content) -> None:
    listing = tmp_path / "launch-files"
    if content is not None:
        listing.write_bytes(content)
    assert readahead.prefetch(listing) == 0


def test_remember_lists_the_loaded_modules_files_in_import_order(tmp_path: Path) -> None:
    import textual.app

    listing = tmp_path / "cache" / "launch-files"
    assert readahead.remember(listing)
    names = listing.read_text().splitlines()
    assert textual.app.__cached__ in names
    assert names.index(sys.modules["textual"].__cached__) < names.index(textual.app.__cached__)
    assert all(os.path.isabs(name) and name.endswith((".pyc", ".so")) for name in names)
    assert readahead.prefetch(listing, probe=False) == len(names)


def test_remember_leaves_an_unchanged_list_alone(tmp_path: Path) -> None:
    listing = tmp_path / "launch-files"
    assert readahead.remember(listing)
    written = listing.stat().st_mtime_ns
    assert not readahead.remember(listing)
    assert listing.stat().st_mtime_ns == written

    listing.write_text("/somewhere/else.pyc\n")  # another install's list
    assert readahead.remember(listing)
    assert "/somewhere/else.pyc" not in listing.read_text()


def test_remember_ignores_a_cache_directory_it_cannot_write(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the directory should be")
    assert not readahead.remember(blocker / "newsdesk" / "launch-files")


@pytest.mark.parametrize(
    ("argv", "reader"),
    [
        ([], True),
        (["--library", "/tmp/lib"], True),
        (["--library=/tmp/lib", "--config", "c.toml"], True),
        (["--library", "add"], True),  # a library directory named like a command
        (["search", "minister"], False),
        (["--library", "/tmp/lib", "add", "x"], False),
        (["--help"], True),  # a wrong guess costs only a readahead
    ],
)
def test_the_readahead_starts_only_for_the_reader(argv: list[str], reader: bool) -> None:
    assert opens_reader(argv) is reader


def test_file_names_that_are_not_utf_8_round_trip(tmp_path: Path, monkeypatch) -> None:
    odd = tmp_path / os.fsdecode(b"caf\xe9.cpython-311.pyc")  # a Latin-1 name on disk
    odd.write_bytes(b"\0" * 4096)
    monkeypatch.setattr(readahead, "loaded_files", lambda: [str(odd)])
    listing = tmp_path / "launch-files"
    assert readahead.remember(listing)
    assert readahead.prefetch(listing, probe=False) == 1


def test_a_list_that_cannot_be_written_leaves_nothing_behind(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(readahead, "loaded_files", lambda: ["/x/\ud800.pyc"])  # unencodable
    listing = tmp_path / "launch-files"
    assert not readahead.remember(listing)
    assert list(tmp_path.iterdir()) == []


def _drop(file: Path) -> None:
    fd = os.open(file, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


@pytest.mark.skipif(not hasattr(os, "RWF_NOWAIT"), reason="no RWF_NOWAIT reads here")
def test_files_in_memory_are_left_alone_and_files_on_disk_are_all_read_ahead(
    tmp_path: Path,
) -> None:
    files = [tmp_path / f"m{number}.cpython-311.pyc" for number in range(40)]
    for file in files:
        file.write_bytes(b"\0" * 8192)
        file.read_bytes()  # in the page cache
    listing = tmp_path / "launch-files"
    listing.write_text("".join(f"{file}\n" for file in files))
    assert readahead.prefetch(listing) == 0  # a launch within the last minute

    for file in files:
        _drop(file)  # what the kernel does to files idle for a minute
    assert readahead.prefetch(listing) == len(files)


def test_only_the_first_frame_s_modules_are_listed(tmp_path: Path, monkeypatch) -> None:
    import importlib

    later = "tabnanny"  # a stdlib module nothing here imports
    monkeypatch.delitem(sys.modules, later, raising=False)
    import json

    monkeypatch.setattr(readahead, "_first_frame", None)  # restored after the test
    readahead.first_frame()
    module = importlib.import_module(later)  # as the search warm-up imports Whoosh
    assert os.path.isfile(module.__cached__)
    assert module.__cached__ not in readahead.loaded_files()
    assert json.__cached__ in readahead.loaded_files()

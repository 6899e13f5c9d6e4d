"""A full disk is one line naming what could not be written, at every fill level, and an
``add`` run again once there is space converges to the library an uninterrupted run builds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from bench.corpus import generate
from index.library.facade import Library

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).with_name("newsdesk")

#: Free space left on the library's file system, in KiB: from nothing to a few batches.
FILL_LEVELS = [0, 64, 256, 1024, 3072]
#: The same for a curation edit, a rebuild and a state write, each at every level.
USER_WRITE_LEVELS = [0, 64, 1024]
#: The writes tried at each of :data:`USER_WRITE_LEVELS`.
USER_WRITES = ("alias rename", "rebuild", "state")


def _mount(tmp_path: Path, size_mb: int) -> Path:
    point = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_mb}m,mode=0700", "tmpfs", str(point)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.strip()}")
    return point


def _fill(point: Path, leave_kib: int) -> Path:
    """Fill the file system but for ``leave_kib``; returns the filler to delete."""
    filler = point / "filler"
    st = os.statvfs(point)
    free = st.f_bavail * st.f_frsize - leave_kib * 1024
    with open(filler, "wb") as out:
        chunk = b"\0" * (1 << 20)
        while free > 0:
            try:
                out.write(chunk[: min(len(chunk), free)])
                out.flush()
            except OSError:
                break
            free -= len(chunk)
    return filler


def _add(library: Path, corpus: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN), "add", str(corpus), "--library", str(library), "-q", "--workers", "0"],
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    generate(300, root, shard=100)
    return root / "enriched"


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, int]:
    library = tmp_path_factory.mktemp("ref") / "library"
    assert _add(library, corpus).returncode == 0
    with Library.open(library) as lib:
        stats = lib.stats()
        return stats.articles, stats.mentions


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small file system needs root")
@pytest.mark.parametrize("leave_kib", FILL_LEVELS)
def test_a_full_disk_is_one_line_and_the_next_add_converges(
    tmp_path: Path, corpus: Path, reference: tuple[int, int], leave_kib: int
) -> None:
    point = _mount(tmp_path, 48)
    try:
        library = point / "library"
        seeded = _add(library, corpus / "part-00000.jsonl")  # some articles before the fault
        assert seeded.returncode == 0, seeded.stderr
        with Library.open(library) as lib:
            before = lib.stats().articles
        filler = _fill(point, leave_kib)
        run = _add(library, corpus)
        lines = [
            line
            for line in run.stderr.strip().splitlines()
            if not line.startswith("newsdesk: note:")
        ]
        assert "Traceback" not in run.stderr
        if leave_kib <= 256:  # too little for the 200 articles to come: the add must fail
            assert run.returncode != 0
        if run.returncode != 0:
            assert run.returncode == 1
            assert len(lines) == 1, run.stderr
            assert "cannot write" in lines[0] or "No space left" in lines[0], lines[0]
        with Library.open(library) as lib:  # nothing already in the library is lost
            assert lib.stats().articles >= before
        filler.unlink()
        again = _add(library, corpus)
        assert again.returncode == 0, again.stderr
        with Library.open(library) as lib:
            stats = lib.stats()
            assert (stats.articles, stats.mentions) == reference
    finally:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)
        shutil.rmtree(point, ignore_errors=True)


def _one_line(run: subprocess.CompletedProcess[str]) -> str:
    lines = [ln for ln in run.stderr.strip().splitlines() if not ln.startswith("newsdesk: note:")]
    assert "Traceback" not in run.stderr
    assert run.returncode == 1 and len(lines) == 1, run.stderr
    return lines[0]


def _what_the_user_has(library: Path) -> tuple[int, str | None, str]:
    with Library.open(library) as lib:
        return lib.stats().articles, lib.get_state("reader"), (library / "aliases.toml").read_text()


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small file system needs root")
@pytest.mark.parametrize("leave_kib", USER_WRITE_LEVELS)
def test_curation_rebuild_and_state_on_a_full_disk_are_one_line_and_lose_nothing(
    tmp_path: Path, corpus: Path, leave_kib: int
) -> None:
    from index.errors import LibraryError
    from index.library.curator import Curator

    point = _mount(tmp_path, 48)
    try:
        library = point / "library"
        assert _add(library, corpus / "part-00000.jsonl").returncode == 0
        with Library.open(library) as lib:
            first, second = (e.name for e in lib.entities(labels=["PERSON"], limit=2))
            lib.set_state("reader", "before")
        Curator(library).hide(first)
        before = _what_the_user_has(library)
        filler = _fill(point, leave_kib)

        rename = _newsdesk("alias", "rename", second, "Renamed Person", library=library)
        if rename.returncode != 0:
            assert "cannot write" in _one_line(rename)
        rebuild = _newsdesk("rebuild", "-q", library=library)
        if leave_kib <= 64:  # not room for a second copy of the library
            assert rebuild.returncode != 0
        if rebuild.returncode != 0:
            assert "cannot write" in _one_line(rebuild)
        try:  # SQLite writes its WAL index even to open the store
            with Library.open(library) as lib:
                lib.set_state("reader", "after")
        except LibraryError as err:
            assert "cannot write the store" in str(err)

        filler.unlink()
        articles, state, aliases = _what_the_user_has(library)
        assert articles == before[0], "an article was lost"
        assert state in ("before", "after")
        assert first in aliases and (rename.returncode != 0 or "Renamed Person" in aliases)
        assert (
            _newsdesk("alias", "rename", second, "Renamed Person", library=library).returncode == 0
        )
        assert _newsdesk("rebuild", "-q", library=library).returncode == 0
        articles, state, aliases = _what_the_user_has(library)
        assert articles == before[0] and state in ("before", "after")
        assert first in aliases and "Renamed Person" in aliases
        assert sorted(p.name for p in point.iterdir()) == ["library"]
    finally:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)
        shutil.rmtree(point, ignore_errors=True)


def _newsdesk(*args: str, library: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN), *args, "--library", str(library)],
        capture_output=True,
        text=True,
        timeout=600,
    )

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

"""Kills at every commit boundary of ``rebuild``, a curation edit and a state write.

Each run is killed outright (SIGKILL, no cleanup) at its N-th boundary, for
every N the run reaches. Afterwards the library opens, holds every article,
and keeps everything the user wrote: the curation, the reading state. A
rebuild stopped while it swaps the new library in is finished when the
library is next used.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.library.facade import Library
from tests.index.ingest.test_crash_safety import ROOT, _corpus, fingerprint

pytestmark = pytest.mark.slow

#: More boundaries than any of these runs has: the loop ends at the first run not killed.
MOST = 40
#: A rebuild of the five articles: one batch (three), the reading state, before and after the swap.
REBUILD_BOUNDARIES = 6
#: A curation edit: the file written, then the store.
CURATION_BOUNDARIES = 2
#: The state writes of :data:`STATE`, one boundary each.
STATE_WRITES = 3

REBUILD = (
    "import sys; from index.ingest.rebuild import rebuild_library; rebuild_library(sys.argv[1])"
)
RENAME = (
    "import sys; from index.library.curator import Curator;"
    " Curator(sys.argv[1]).rename('Antony Blinken', 'Tony Blinken')"
)
STATE = (
    "import sys; from index.library.facade import Library\n"
    "with Library.open(sys.argv[1]) as lib:\n"
    f"    for i in range({STATE_WRITES}): lib.set_state('reader', str(i))\n"
)


def _run(code: str, lib: Path, kill_at: int) -> int:
    env = {"NEWSDESK_KILL_AT": str(kill_at), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [sys.executable, "-c", code, str(lib)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode in (0, -signal.SIGKILL), proc.stderr
    return proc.returncode


def _user_data(lib: Path) -> dict:
    """What the user wrote: the curation file, the state, the entity names shown."""
    with Library.open(lib) as library:
        return {
            "aliases": (lib / "aliases.toml").read_text(),
            "state": library.get_state("reader"),
            "names": sorted(e.name for e in library.entities(limit=50)),
        }


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five articles, one entity hidden by the user, a reading state."""
    from index.ingest.writer import add_paths
    from index.library.curator import Curator

    tmp = tmp_path_factory.mktemp("kills")
    lib = tmp / "library"
    assert not add_paths(lib, [str(_corpus(tmp))]).errors
    Curator(lib).hide("Janet Yellen")
    with Library.open(lib) as library:
        library.set_state("reader", json.dumps({"query": "oslo"}))
    return lib


def _copy(library: Path, tmp_path: Path, name: str) -> Path:
    lib = tmp_path / name / "library"
    shutil.copytree(library, lib)
    return lib


def _killed(code: str, library: Path, tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """For each boundary the run reaches: a copy of ``library`` whose run was killed there."""
    for kill_at in range(1, MOST):
        lib = _copy(library, tmp_path, f"killed-{kill_at}")
        if _run(code, lib, kill_at) == 0:
            return
        yield kill_at, lib
    raise AssertionError(f"the run was still killed at boundary {MOST}")


def test_a_rebuild_killed_at_any_boundary_loses_nothing(library: Path, tmp_path: Path) -> None:
    expected, wrote = fingerprint(library), _user_data(library)
    assert "Janet Yellen" not in wrote["names"]
    killed = 0
    for kill_at, lib in _killed(REBUILD, library, tmp_path):
        killed += 1
        assert fingerprint(lib) == expected, f"diverged after a kill at boundary {kill_at}"
        assert _user_data(lib) == wrote, f"user data lost at boundary {kill_at}"
        assert _run(REBUILD, lib, 0) == 0  # and the next rebuild completes
        assert fingerprint(lib) == expected and _user_data(lib) == wrote
        assert sorted(p.name for p in lib.parent.iterdir()) == ["library"], "nothing left aside"
    assert killed == REBUILD_BOUNDARIES


def test_a_rebuild_stopped_between_the_renames_of_its_swap_is_finished(
    library: Path, tmp_path: Path
) -> None:
    from index.ingest.rebuild import rebuild_library

    expected, wrote = fingerprint(library), _user_data(library)
    # Where renameat2 cannot exchange, the swap is two renames: a stop between them
    # leaves the complete new library at .rebuild and the old one at .old.
    lib = _copy(library, tmp_path, "between")
    shutil.copytree(lib, lib.with_name("library.rebuild"))
    lib.rename(lib.with_name("library.old"))
    assert _user_data(lib) == wrote  # opening it finishes the swap
    assert fingerprint(lib) == expected
    rebuild_library(lib)
    assert sorted(p.name for p in lib.parent.iterdir()) == ["library"]
    # With only the old library aside (the new one lost), it is put back.
    lib = _copy(library, tmp_path, "only-old")
    lib.rename(lib.with_name("library.old"))
    assert _user_data(lib) == wrote and fingerprint(lib) == expected


def test_a_curation_edit_killed_at_any_boundary_is_whole_at_the_next_open(
    library: Path, tmp_path: Path
) -> None:
    done = _copy(library, tmp_path, "reference")
    assert _run(RENAME, done, 0) == 0
    wrote = _user_data(done)
    assert "Tony Blinken" in wrote["names"]
    killed = 0
    for kill_at, lib in _killed(RENAME, library, tmp_path):
        killed += 1
        assert _user_data(lib) == wrote, f"the edit half-applied after boundary {kill_at}"
        assert fingerprint(lib)["articles"] == fingerprint(library)["articles"]
    assert killed == CURATION_BOUNDARIES


def test_a_state_write_killed_at_any_boundary_keeps_the_last_one_written(
    library: Path, tmp_path: Path
) -> None:
    killed = 0
    for kill_at, lib in _killed(STATE, library, tmp_path):
        killed += 1
        assert _user_data(lib)["state"] == str(kill_at - 1)
        assert fingerprint(lib)["articles"] == fingerprint(library)["articles"]
    assert killed == STATE_WRITES

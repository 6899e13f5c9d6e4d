"""A key storm sent by tmux to the real reader: it never dies, and it still answers a search.

The in-process storms (``tests/tui/test_key_storm.py``) see every error with
its traceback; this one is the storm as a terminal delivers it: the real
binary, bursts of keys in one write, the terminal's own key decoding. The
quit keys are left out (the palette's Quit is still reachable: a clean exit
with status 0 and no crash log starts the reader again, and is counted).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tests.helpers.storm import QUITS, storm, tmux_key
from tests.helpers.tmux import NEWSDESK, TMUX, Tmux, reader_env

pytestmark = [
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed"),
    pytest.mark.skipif(not NEWSDESK.exists(), reason="the newsdesk script is not installed"),
]

KEYS = 2000
SIZES = [(120, 35), (80, 24), (20, 5)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_tmux_key_storm_leaves_the_reader_running_and_searching(
    tmux: Tmux, library_copy: Path, tmp_path: Path, size: tuple[int, int]
) -> None:
    env = reader_env(tmp_path, XDG_STATE_HOME=str(tmp_path / "state"))
    command = [str(NEWSDESK), "--library", str(library_copy)]
    crashes = tmp_path / "state" / "newsdesk" / "crashes"
    tmux.start(command, env, size=size)
    tmux.wait_for("Search", timeout=60)
    clean_exits = 0
    for burst in storm(7 + size[1], KEYS, without=QUITS):
        tmux.send(*(tmux_key(key) for key in burst))
        shown = tmux.screen(history=True).replace("\n", "")
        if "READER-EXITED-" in shown:
            assert "READER-EXITED-0" in shown, shown
            assert not list(crashes.glob("*.log")), shown
            clean_exits += 1
            tmux.kill()
            tmux.start(command, env, size=size)
            tmux.wait_for("Search", timeout=60)
    tmux.resize(120, 35)
    # The reader may still be working through the storm's keys: back to its own
    # screen, however deep the storm left it, and search until the answer shows.
    for _ in range(10):
        tmux.send(*["Escape"] * 8)
        tmux.send("/", "C-u")
        tmux.send("Blinken", literal=True)
        if answered(tmux):
            break
    shown = tmux.screen()
    assert answered(tmux), shown
    assert "READER-EXITED-" not in tmux.screen(history=True).replace("\n", "")
    assert "Traceback" not in shown
    assert not list(crashes.glob("*.log"))


def answered(tmux: Tmux, timeout: float = 10.0) -> bool:
    """Whether the search bar holds just "Blinken" and its two results show, within ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = tmux.screen()
        if re.search(r"▊\s+Blinken\s+▎", shown) and "of 2 results" in shown:
            return True
        time.sleep(0.1)
    return False

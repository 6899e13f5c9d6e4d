"""End to end: the real ``newsdesk`` binary in a detached tmux session, read as a person sees it."""

from __future__ import annotations

import os
import re
import shlex
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.tmux import NEWSDESK, TMUX, Tmux, reader_env

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed"),
    pytest.mark.skipif(not NEWSDESK.exists(), reason="the newsdesk script is not installed"),
]


def only_greys(screen: str) -> bool:
    """Whether every colour in the SGR sequences of ``screen`` is a grey."""
    for group in re.findall(r"\x1b\[([0-9;]*)m", screen):
        codes = [int(code) for code in group.split(";") if code]
        index = 0
        while index < len(codes):
            code = codes[index]
            if code in (38, 48) and codes[index + 1 : index + 2] == [5]:
                number = codes[index + 2]
                if not (232 <= number <= 255 or number in (0, 7, 8, 15, 16, 231)):
                    return False
                index += 3
                continue
            if code in (38, 48) and codes[index + 1 : index + 2] == [2]:
                red, green, blue = codes[index + 2 : index + 5]
                if not red == green == blue:
                    return False
                index += 5
                continue
            if 31 <= code <= 36 or 41 <= code <= 46 or 91 <= code <= 96 or 101 <= code <= 106:
                return False
            index += 1
    return True


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param({}, id="colour"),
        pytest.param({"NO_COLOR": "1"}, id="no-color"),
        pytest.param({"TERM": "linux"}, id="term-linux"),
    ],
)
def test_search_open_entity_panel_and_quit(
    tmux: Tmux, library_copy: Path, tmp_path: Path, extra: dict[str, str]
) -> None:
    tmux.start([str(NEWSDESK), "--library", str(library_copy)], reader_env(tmp_path, **extra))
    tmux.wait_for("2 articles, newest first")
    assert "Amid the declining Sino-US relations" in tmux.screen()

    tmux.send("/")
    tmux.wait_for("To results")  # the footer once the search bar has focus
    tmux.send("Blinken", literal=True)
    shown = tmux.wait_for("of 2 results")
    assert "US Secretary of State" in shown  # the snippet (it wraps beside the facets)

    tmux.send("Enter")  # leave the search bar for the results
    tmux.wait_for("⏎ Open")  # the results have focus (two quick Enters both reach the bar)
    tmux.send("Enter")  # open the first result
    shown = tmux.wait_for("Kinds:")
    assert "2023-05-18" in shown

    tmux.send("e")  # the entity list; type to filter, enter jumps to it
    tmux.wait_for("Type to filter entities")
    tmux.send("antony", literal=True)
    tmux.send("Enter")
    shown = tmux.wait_for("7 mentions in 2 articles")  # "Blinken" is one of its names
    assert "Antony Blinken  person" in shown
    assert "Both US and China are in discussion" in shown  # its sentence in the other article

    if "NO_COLOR" in extra:
        coloured = tmux.screen(escapes=True)
        # Only greys (Textual's monochrome filter), yet the entity kinds still show:
        # bold, underline, italic, and the cursor entity reversed.
        assert only_greys(coloured)
        attributes = set(re.findall(r"\x1b\[([0-9;]*)m", coloured))
        assert {"1", "4", "3"} <= {code for group in attributes for code in group.split(";")}
        assert any("7" in group.split(";") for group in attributes)

    tmux.send("Tab")  # to the panel
    tmux.wait_for("⏎ Open")
    tmux.send("Enter")  # open the first mention: the undated article, cursor on Blinken
    shown = tmux.wait_for("2023-05-18  Amid the")  # now the panel lists the other article
    assert "Wang Yi" in shown  # the paragraph of the mention, in the undated article

    tmux.send("q")
    tmux.wait_for("READER-EXITED-0")


def test_bare_newsdesk_on_a_fresh_machine_builds_the_seed_library(
    tmux: Tmux, tmp_path: Path
) -> None:
    """A bare ``newsdesk`` with no library yet builds one from the bundled seeds and opens it."""
    tmux.start([str(NEWSDESK)], reader_env(tmp_path))
    tmux.wait_for("newest first", timeout=120)
    tmux.send("q")
    tmux.wait_for("READER-EXITED-0")
    assert (tmp_path / "data" / "newsdesk" / "default" / "manifest.json").exists()


def test_a_reader_on_a_missing_library_offers_the_bundled_seeds(tmux: Tmux, tmp_path: Path) -> None:
    """``newsdesk --library DIR`` on a folder with no library asks, and Enter builds the seeds."""
    there = tmp_path / "elsewhere"
    tmux.start([str(NEWSDESK), "--library", str(there)], reader_env(tmp_path))
    tmux.wait_for("bundled seed articles? [Y/n]")
    tmux.send("Enter")
    tmux.wait_for("newest first", timeout=120)
    tmux.send("q")
    tmux.wait_for("READER-EXITED-0")
    assert (there / "manifest.json").exists()


def test_declining_the_seeds_says_how_to_create_the_library(tmux: Tmux, tmp_path: Path) -> None:
    there = tmp_path / "elsewhere"
    tmux.start([str(NEWSDESK), "--library", str(there)], reader_env(tmp_path))
    tmux.wait_for("[Y/n]")
    tmux.send("n", "Enter")
    shown = tmux.wait_for("READER-EXITED-1")
    assert f"create it with 'newsdesk add PATH --library {there}'" in shown.replace("\n", "")
    assert not (there / "manifest.json").exists()


def test_a_reader_launch_leaves_its_module_files_for_the_next_launch_s_readahead(
    tmux: Tmux, library_copy: Path, tmp_path: Path
) -> None:
    """After its search warm-up the reader lists the module files it loaded, for the next launch."""
    env = reader_env(tmp_path, XDG_CACHE_HOME=str(tmp_path / "cache"))
    listing = tmp_path / "cache" / "newsdesk" / "launch-files"
    tmux.start([str(NEWSDESK), "--library", str(library_copy)], env)
    tmux.wait_for("newest first")
    deadline = time.monotonic() + 60
    while not listing.exists() and time.monotonic() < deadline:  # written by the warm-up worker
        time.sleep(0.1)
    assert listing.exists(), "the reader wrote no list of its module files"
    names = listing.read_text().splitlines()
    app = os.path.join("textual", "__pycache__", f"app.{sys.implementation.cache_tag}.pyc")
    assert any(name.endswith(app) for name in names)
    # Only the first frame's: the search warm-up's would compete with them for the disk.
    assert not any(f"{os.sep}whoosh{os.sep}" in name for name in names)
    tmux.send("q")
    tmux.wait_for("READER-EXITED-0")


def test_a_reader_that_dies_exits_non_zero_with_one_line_naming_its_traceback(
    tmux: Tmux, library_copy: Path, tmp_path: Path
) -> None:
    code = (
        "import sys\n"
        "from tui.app import ReaderApp\n"
        "def boom(self): raise RuntimeError('a bug behind a key')\n"
        "ReaderApp.action_help = boom\n"
        "from tui.cli.main import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    env = reader_env(tmp_path, XDG_STATE_HOME=str(tmp_path / "state"))
    command = [sys.executable, "-c", shlex.quote(code), "--library", str(library_copy)]
    tmux.start(command, env)
    tmux.wait_for("of 2 articles")
    tmux.send("?")
    shown = tmux.wait_for("READER-EXITED-")
    assert "READER-EXITED-1" in shown
    assert "Traceback" not in shown and "a bug behind a key" in shown
    logs = list((tmp_path / "state" / "newsdesk" / "crashes").glob("*.log"))
    assert len(logs) == 1
    assert str(logs[0]) in shown.replace("\n", "")
    assert "RuntimeError: a bug behind a key" in logs[0].read_text()

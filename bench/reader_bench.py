"""The reader: launch, opening an article, related mentions, keystrokes, memory.

* Launch, real: ``newsdesk --library DIR`` in a detached tmux (``tmux -L
  benchsock``), timed from spawning the tmux session until ``capture-pane`` shows
  the status line of the newest-articles list (rows are on screen then).
  Interpreter start, imports and the first paint are included; tmux adds a few
  ms of polling (every 10 ms). One untimed launch comes first, then
  ``LAUNCHES`` timed ones, so that their files are in the OS page cache, as
  the cold searches' are: the kernel may page out file pages left idle for a
  minute (see ``bench.common.page_in``), and the launch before the first timed
  one may be minutes old. The p95 of 20 launches is the second slowest.
* Launch from disk (information): the same, after dropping from the page cache
  every file a launch reads (Python's library, the virtual environment, our
  code, the library): what the first launch after a few idle minutes costs.
  All launches share one home, as a user's do: the untimed launch stays
  open until the reader has written its readahead list (``tui/readahead.py``),
  and every later launch finds it.
* Launch, in-process: ``App.run_test()`` (headless) until the results list
  holds rows; imports already done.
* Memory: RSS (psutil) of the real reader process after the first screen and
  one search.
* Article: ``Library.article`` plus ``ArticleBody.show`` (styling every entity
  and wrapping) on the mounted article view, on the app's thread.
* Mentions: ``Library.mentions(key, limit=50)`` for the entity whose mention
  count is nearest 10,000 (or the largest).
* Keystroke: a key event posted to the app while a search worker is running,
  timed until the search box holds the new text and the screen's change handler
  has run (it restarts the debounce timer); painting is not included.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import (
    NEWSDESK,
    Row,
    drop_files,
    files_under,
    library_dir,
    log,
    median,
    ms,
    p95,
    page_in,
    timed,
    verdict,
)

SOCKET = "benchsock"
SIZE = (120, 40)
#: Timed real launches of the reader, and as many of the bare app, in turns.
LAUNCHES = 20
#: Launches from disk (each drops the page cache first).
DISK_LAUNCHES = 3
#: Reader RSS samples (a search each).
RSS_RUNS = 5
#: The bare Textual app launched in turns with the reader, for reference.
BARE = Path(__file__).with_name("bare_reader.py")


def _reset_state(lib: Path) -> None:
    from index.library.facade import Library
    from tui.screens.reader_state import ReaderState

    with Library.open(lib) as library:
        library.set_state(ReaderState.NAME, ReaderState().to_json())


def _tmux(*args: str, check: bool = True) -> str:
    tmux = shutil.which("tmux") or "tmux"
    done = subprocess.run(
        [tmux, "-L", SOCKET, "-f", "/dev/null", *args], capture_output=True, text=True, timeout=30
    )
    if check and done.returncode != 0:
        raise RuntimeError(f"tmux {args[0]} failed: {done.stderr.strip()}")
    return done.stdout


def _wait_screen(text: str, timeout: float = 60.0, interval: float = 0.01) -> float:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if text in _tmux("capture-pane", "-p", "-t", "bench", check=False):
            return time.perf_counter()
        time.sleep(interval)
    raise RuntimeError(f"{text!r} never appeared on the reader's screen")


def real_launch(
    lib: Path,
    runs: int,
    query: str,
    *,
    rss_runs: int = RSS_RUNS,
    warmup: bool = True,
    before: Callable[[], object] | None = None,
    home: Path | None = None,
    bare: bool = False,
    keep_until: Callable[[], bool] | None = None,
) -> tuple[list[float], list[int]]:
    """Launch times (s), one a launch, and RSS after first screen + one search (bytes).

    Args:
        lib: The library.
        runs: Timed launches.
        query: What the RSS runs search for.
        rss_runs: How many of the runs (the first ones) also search and measure RSS.
        warmup: Launch once, untimed, first.
        before: Called before each timed launch (outside the timing).
        home: The readers' home directory, kept (default: a new one, removed after).
        bare: Launch the bare Textual app of ``bench/bare_reader.py`` instead.
        keep_until: Keep each reader open until this is true (at most 30 s).
    """
    import psutil

    own_home = home is None
    home = home or Path(tempfile.mkdtemp(prefix="newsdesk-bench-home-"))
    env = {
        "HOME": str(home),
        "PATH": os.environ.get("PATH", ""),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "NEWSDESK_CONFIG": str(home / "none.toml"),
    }
    if os.environ.get("PYTHONPATH"):  # a snapshot of the code under test (see docs/benchmarks.md)
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    exports = " ".join(f"{k}={v!r}" for k, v in env.items())
    line = f"exec env -i {exports} {NEWSDESK} --library {lib}"
    if bare:
        line = f"exec env -i {exports} {sys.executable} {BARE}"
    launches, rss = [], []
    try:
        for turn in range(-1 if warmup else 0, runs):
            _reset_state(lib)
            _tmux("kill-server", check=False)
            time.sleep(0.2)  # let a killed server let go of its socket
            if before is not None and turn >= 0:
                before()
            start = time.perf_counter()
            _tmux("new-session", "-d", "-s", "bench", "-x", str(SIZE[0]), "-y", str(SIZE[1]), line)
            seen = _wait_screen("newest first") - start
            if turn >= 0:
                launches.append(seen)
            if 0 <= turn < rss_runs:
                pid = int(_tmux("display-message", "-p", "-t", "bench", "#{pane_pid}").strip())
                time.sleep(0.5)  # let the first screen settle before typing
                _tmux("send-keys", "-t", "bench", "/")
                _tmux("send-keys", "-t", "bench", "-l", query)
                _tmux("send-keys", "-t", "bench", "Enter")
                _wait_screen(" results")
                time.sleep(0.3)
                rss.append(psutil.Process(pid).memory_info().rss)
            else:
                time.sleep(0.3)
            deadline = time.perf_counter() + 30
            while keep_until is not None and not keep_until() and time.perf_counter() < deadline:
                time.sleep(0.05)
            _tmux("send-keys", "-t", "bench", "q")
            time.sleep(0.3)
    finally:
        _tmux("kill-server", check=False)
        if own_home:
            shutil.rmtree(home, ignore_errors=True)
    _reset_state(lib)
    return launches, rss


def _launches_in_turns(lib: Path, runs: int, home: Path) -> tuple[list[float], list[float]]:
    """Launch times of the reader and of the bare app, alternated (which goes first alternates).

    A machine's speed can drift over minutes; in turns, both see the same drift.
    """
    from tui.readahead import LIST_NAME

    listing = home / ".cache" / "newsdesk" / LIST_NAME  # HOME=home, no XDG_CACHE_HOME
    for bare in (False, True):
        real_launch(
            lib,
            0,
            "",
            rss_runs=0,
            home=home,
            bare=bare,  # the untimed one
            keep_until=None if bare else listing.exists,
        )
    if not listing.exists():
        raise RuntimeError(f"the reader wrote no readahead list ({listing})")
    ours: list[float] = []
    theirs: list[float] = []
    for turn in range(runs):
        for bare in (False, True) if turn % 2 == 0 else (True, False):
            times, _ = real_launch(lib, 1, "", rss_runs=0, warmup=False, home=home, bare=bare)
            (theirs if bare else ours).extend(times)
    return ours, theirs


def launch_files(lib: Path) -> list[Path]:
    """Every file a launch may read.

    Python's library, the virtual environment, our code and the library (the
    interpreter itself and what this process maps stay in memory).
    """
    import index
    import tui

    paths = sysconfig.get_paths()
    roots = [Path(paths[name]) for name in ("stdlib", "platstdlib", "purelib", "platlib")]
    roots += [lib, Path(index.__file__).parent, Path(tui.__file__).parent]
    files: dict[Path, None] = {}
    for root in roots:
        files.update(dict.fromkeys(files_under(root)))
    return list(files)


async def _pilot_figures(lib: Path, runs: int, article_ids: list[str], query: str) -> dict:
    from textual import events

    from tui.app import make_app
    from tui.config import Config

    launches = []
    for _ in range(runs):
        _reset_state(lib)
        start = time.perf_counter()
        app = make_app(lib, config=Config(theme="textual-dark"))
        async with app.run_test(size=SIZE) as pilot:
            while not app.screen.results.hits:
                await asyncio.sleep(0.002)
            launches.append(time.perf_counter() - start)
            await pilot.pause()
    _reset_state(lib)

    app = make_app(lib, config=Config(theme="textual-dark"))
    opens, keys, overlapped = [], [], 0
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        while not screen.results.hits:
            await asyncio.sleep(0.01)
        screen.show_view("article")
        await pilot.pause()
        body = screen.pane.body
        for article_id in article_ids:
            start = time.perf_counter()
            view = app.library.article(article_id)
            body.show(view)
            opens.append(time.perf_counter() - start)
            await asyncio.sleep(0.01)
        screen.show_view("results")
        screen.search_bar.focus()
        await pilot.pause()
        for char in query:
            await asyncio.sleep(0.16)  # the debounce (0.15 s) fires and a search starts
            wait_until = time.perf_counter() + 0.3
            while not (running := _searching(app)) and time.perf_counter() < wait_until:
                await asyncio.sleep(0.002)
            before_timer, before_value = screen._timer, screen.search_bar.value
            key = "space" if char == " " else char
            start = time.perf_counter()
            app._driver.send_message(events.Key(key, char))
            while screen._timer is before_timer or screen.search_bar.value == before_value:
                await asyncio.sleep(0)
                if time.perf_counter() - start > 5:
                    break
            elapsed = time.perf_counter() - start
            if running:
                keys.append(elapsed)
                overlapped += 1
        deadline = time.perf_counter() + 120
        while _searching(app) and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)  # let the last search end (superseded ones are cancelled)
    _reset_state(lib)
    return {
        "launches": launches,
        "opens": opens,
        "keys": keys,
        "overlapped": overlapped,
        "typed": len(query),
    }


def _searching(app) -> bool:
    return any(w.group == "search" and w.state.name == "RUNNING" for w in app.workers)


def _articles_and_entity(lib: Path) -> tuple[list[str], str, int]:
    from index.library.facade import Library

    with Library.open(lib) as library:
        ents = library.entities(limit=300)
        best = min(ents, key=lambda e: abs(e.mentions - 10_000))
        ids = list(dict.fromkeys(m.article_id for m in library.mentions(ents[0].key, limit=40)))
        ids += [hit.id for hit in library.newest(limit=20).hits]
    return ids[:40], best.key, best.mentions


def run(size: int, runs: int = 5) -> list[Row]:
    lib, _ = library_dir(size)
    from index.library.facade import Library

    article_ids, key, count = _articles_and_entity(lib)
    query = "minister security talks between officials earlier"  # 49 keys
    tmux = shutil.which("tmux") is not None
    # One home for every launch, as one user's: a launch reads ahead the module
    # files the one before it listed in the cache directory (tui/readahead.py).
    home = Path(tempfile.mkdtemp(prefix="newsdesk-bench-home-"))
    try:
        bare = [float("nan")]
        if tmux:
            log(
                f"reader: tmux launches, in turns with a bare Textual app (one untimed each,"
                f" then {LAUNCHES} each)"
            )
            launches, bare = _launches_in_turns(lib, LAUNCHES, home)
            log(f"reader: {RSS_RUNS} launches with a search, for the reader's memory")
            _, rss = real_launch(lib, RSS_RUNS, "minister", warmup=False, home=home)
        else:
            log("reader: tmux is not installed: no real launch or reader RSS figures")
            launches, rss = [float("nan")], [0]
        log("reader: headless pilot")
        pilot = asyncio.run(_pilot_figures(lib, runs, article_ids, query))
        api_only = []
        with Library.open(lib) as library:
            for article_id in article_ids:
                api_only.append(timed(lambda a=article_id: library.article(a)))
        mentions_cold, mentions_warm = [], []
        for _ in range(runs):
            library = Library.open(lib)
            mentions_cold.append(timed(lambda lb=library: lb.mentions(key, limit=50)))
            for _ in range(5):
                mentions_warm.append(timed(lambda lb=library: lb.mentions(key, limit=50)))
            library.close()
        disk = [float("nan")]
        if tmux:  # last: it empties the page cache the figures above rely on
            log(f"reader: {DISK_LAUNCHES} launches from disk")
            files = launch_files(lib)
            disk, _ = real_launch(
                lib,
                DISK_LAUNCHES,
                "minister",
                rss_runs=0,
                warmup=False,
                before=lambda: drop_files(files),
                home=home,
            )
            # Read back in what the later sections expect in memory: the library,
            # and the code (one more launch).
            page_in(lib)
            real_launch(lib, 0, "", rss_runs=0, home=home)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    keys = pilot["keys"] or [float("nan")]
    rows = [
        Row(
            "reader",
            f"launch to first screen, real (tmux), median / p95 of {len(launches)}",
            "<= 0.6 s",
            f"{median(launches):.2f} / {p95(launches):.2f} s",
            verdict=verdict(p95(launches) <= 0.6),
            ratio=f"{median(launches) / median(bare):.2f} / {p95(launches) / p95(bare):.2f}",
            note=f"slowest {max(launches):.2f} s; files in the page cache (one launch before);"
            " ratio: to the bare app below (median / p95)",
            data={"launches": launches},
        ),
        Row(
            "reader",
            f"bare Textual app, same widgets, in turns, median / p95 of {len(bare)}",
            "(info)",
            f"{median(bare):.2f} / {p95(bare):.2f} s",
            note=f"bench/bare_reader.py; slowest {max(bare):.2f} s",
            data={"launches": bare},
        ),
        Row(
            "reader",
            f"launch from disk (page cache dropped), median / max of {len(disk)}",
            "(info)",
            f"{median(disk):.2f} / {max(disk):.2f} s",
            data={"launches": disk},
        ),
        Row(
            "reader",
            "launch to rows, in-process run_test, median / p95",
            "(info)",
            f"{ms(median(pilot['launches']))} / {ms(p95(pilot['launches']))}",
            data={"launches": pilot["launches"]},
        ),
        Row(
            "reader",
            "open article: Library.article + ArticleBody.show, median / p95",
            "p95 <= 50 ms",
            f"{ms(median(pilot['opens']))} / {ms(p95(pilot['opens']))}",
            verdict=verdict(p95(pilot["opens"]) <= 0.05),
            note=f"{len(article_ids)} articles; Library.article alone: "
            f"{ms(median(api_only))} / {ms(p95(api_only))}",
            data={"opens": pilot["opens"], "api": api_only},
        ),
        Row(
            "reader",
            f"mentions(limit=50), {count:,} mentions, warm median / p95",
            "p95 <= 50 ms",
            f"{ms(median(mentions_warm))} / {ms(p95(mentions_warm))}",
            verdict=verdict(p95(mentions_warm) <= 0.05),
            note=f"{key}; cold (fresh Library): {ms(median(mentions_cold))} / "
            f"{ms(p95(mentions_cold))}",
            data={"warm": mentions_warm, "cold": mentions_cold},
        ),
        Row(
            "reader",
            "keystroke during a running search, median / p95",
            "p95 <= 16 ms",
            f"{ms(median(keys))} / {ms(p95(keys))}",
            verdict=verdict(bool(pilot["keys"]) and p95(keys) <= 0.016),
            note=f"{pilot['overlapped']} of {pilot['typed']} keys landed while a search worker"
            " ran; key event posted -> value updated + change handler run (no paint)",
            data={"keys": pilot["keys"]},
        ),
        Row(
            "reader",
            "reader RSS after first screen + one search (max)",
            "<= 120 MB",
            f"{max(rss) / 2**20:.0f} MB",
            verdict=verdict(max(rss) <= 120 * 2**20),
            data={"rss": rss},
        ),
    ]
    return rows

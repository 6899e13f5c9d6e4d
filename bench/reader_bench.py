"""The reader: launch, opening an article, related mentions, keystrokes, memory.

* Launch, real: ``newsdesk --library DIR`` in a detached tmux (``tmux -L
  benchsock``), timed from spawning the session until ``capture-pane`` shows
  the status line of the newest-articles list (rows are on screen then).
  Interpreter start, imports and the first paint are included; tmux adds a few
  ms of polling (every 10 ms).
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
import tempfile
import time
from pathlib import Path

from bench.common import (
    NEWSDESK,
    Row,
    library_dir,
    log,
    median,
    ms,
    p95,
    timed,
    verdict,
)

SOCKET = "benchsock"
SIZE = (120, 40)


def _reset_state(lib: Path) -> None:
    from index.library import Library
    from tui.screens.reader_state import ReaderState

    with Library.open(lib) as library:
        library.set_state(ReaderState.NAME, ReaderState().to_json())


def _tmux(*args: str, check: bool = True) -> str:
    tmux = shutil.which("tmux") or "tmux"
    done = subprocess.run([tmux, "-L", SOCKET, "-f", "/dev/null", *args], capture_output=True,
                          text=True, timeout=30)
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


def real_launch(lib: Path, runs: int, query: str) -> tuple[list[float], list[int]]:
    """Launch times (s) and RSS after first screen + one search (bytes), per run."""
    import psutil

    home = Path(tempfile.mkdtemp(prefix="newsdesk-bench-home-"))
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", ""), "TERM": "xterm-256color",
           "LANG": "C.UTF-8", "NEWSDESK_CONFIG": str(home / "none.toml")}
    if os.environ.get("PYTHONPATH"):  # a snapshot of the code under test (see README)
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    exports = " ".join(f"{k}={v!r}" for k, v in env.items())
    launches, rss = [], []
    try:
        for _ in range(runs):
            _reset_state(lib)
            _tmux("kill-server", check=False)
            line = f"exec env -i {exports} {NEWSDESK} --library {lib}"
            time.sleep(0.2)  # let a killed server let go of its socket
            start = time.perf_counter()
            _tmux("new-session", "-d", "-s", "bench", "-x", str(SIZE[0]), "-y", str(SIZE[1]),
                  line)
            launches.append(_wait_screen("newest first") - start)
            pid = int(_tmux("display-message", "-p", "-t", "bench", "#{pane_pid}").strip())
            time.sleep(0.5)  # let the first screen settle before typing
            _tmux("send-keys", "-t", "bench", "/")
            _tmux("send-keys", "-t", "bench", "-l", query)
            _tmux("send-keys", "-t", "bench", "Enter")
            _wait_screen(" results")
            time.sleep(0.3)
            rss.append(psutil.Process(pid).memory_info().rss)
            _tmux("send-keys", "-t", "bench", "q")
            time.sleep(0.3)
    finally:
        _tmux("kill-server", check=False)
        shutil.rmtree(home, ignore_errors=True)
    _reset_state(lib)
    return launches, rss


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
        screen._show("article")
        await pilot.pause()
        body = screen.pane.body
        for article_id in article_ids:
            start = time.perf_counter()
            view = app.library.article(article_id)
            body.show(view)
            opens.append(time.perf_counter() - start)
            await asyncio.sleep(0.01)
        screen._show("results")
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
    return {"launches": launches, "opens": opens, "keys": keys, "overlapped": overlapped,
            "typed": len(query)}


def _searching(app) -> bool:
    return any(w.group == "search" and w.state.name == "RUNNING" for w in app.workers)


def _articles_and_entity(lib: Path) -> tuple[list[str], str, int]:
    from index.library import Library

    with Library.open(lib) as library:
        ents = library.entities(limit=300)
        best = min(ents, key=lambda e: abs(e.mentions - 10_000))
        ids = list(dict.fromkeys(m.article_id for m in library.mentions(ents[0].key, limit=40)))
        ids += [hit.id for hit in library.newest(limit=20).hits]
    return ids[:40], best.key, best.mentions


def run(size: int, runs: int = 5) -> list[Row]:
    lib, _ = library_dir(size)
    from index.library import Library

    article_ids, key, count = _articles_and_entity(lib)
    query = "minister security talks between officials earlier"  # 49 keys
    if shutil.which("tmux"):
        log("reader: tmux launches")
        launches, rss = real_launch(lib, runs, "minister")
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
    keys = pilot["keys"] or [float("nan")]
    rows = [
        Row("reader", "launch to first screen, real (tmux), median / p95", "<= 0.6 s",
            f"{median(launches):.2f} / {p95(launches):.2f} s",
            verdict=verdict(p95(launches) <= 0.6), data={"launches": launches}),
        Row("reader", "launch to rows, in-process run_test, median / p95", "(info)",
            f"{ms(median(pilot['launches']))} / {ms(p95(pilot['launches']))}",
            data={"launches": pilot["launches"]}),
        Row("reader", "open article: Library.article + ArticleBody.show, median / p95",
            "p95 <= 50 ms", f"{ms(median(pilot['opens']))} / {ms(p95(pilot['opens']))}",
            verdict=verdict(p95(pilot["opens"]) <= 0.05),
            note=f"{len(article_ids)} articles; Library.article alone: "
                 f"{ms(median(api_only))} / {ms(p95(api_only))}",
            data={"opens": pilot["opens"], "api": api_only}),
        Row("reader", f"mentions(limit=50), {count:,} mentions, warm median / p95",
            "p95 <= 50 ms", f"{ms(median(mentions_warm))} / {ms(p95(mentions_warm))}",
            verdict=verdict(p95(mentions_warm) <= 0.05),
            note=f"{key}; cold (fresh Library): {ms(median(mentions_cold))} / "
                 f"{ms(p95(mentions_cold))}",
            data={"warm": mentions_warm, "cold": mentions_cold}),
        Row("reader", "keystroke during a running search, median / p95", "p95 <= 16 ms",
            f"{ms(median(keys))} / {ms(p95(keys))}",
            verdict=verdict(bool(pilot["keys"]) and p95(keys) <= 0.016),
            note=f"{pilot['overlapped']} of {pilot['typed']} keys landed while a search worker"
                 " ran; key event posted -> value updated + change handler run (no paint)",
            data={"keys": pilot["keys"]}),
        Row("reader", "reader RSS after first screen + one search (max)", "<= 120 MB",
            f"{max(rss) / 2**20:.0f} MB", verdict=verdict(max(rss) <= 120 * 2**20),
            data={"rss": rss}),
    ]
    return rows

"""Corpus text is never markup; tiny terminals and resize storms never crash the reader."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.ingest.writer import add_paths
from tests.helpers.reader import (
    BLINKEN,
    move_cursor_to,
    open_result,
    reader,
    region_text,
    screen_text,
    search,
    settle,
)
from tui.widgets._render import safe, text, wrap_ranges

pytestmark = pytest.mark.slow

NASTY_TITLE = "Price [/] drop [@click=app.quit]click me[/] [bold]x"
NASTY_BODY = (
    "Markets [red]fell[/red] as Janet Yellen spoke in Washington. "
    "Traders saw [@click=app.quit]this link[/] and [/] stray closers and [b]bold[/b]. "
    "Antony Blinken said \\[escaped] and [link=https://example.com]links[/link] are text.\n\n"
    "Second paragraph: Price [/] drop in London."
)


@pytest.fixture()
def nasty_library(tmp_path: Path) -> Path:
    """A library with one article whose every field looks like markup."""
    source = tmp_path / "in" / "nasty.jsonl"
    source.parent.mkdir()
    record = {
        "title": NASTY_TITLE,
        "body": NASTY_BODY,
        "source": "[i]The [/] Times[/i]",
        "date": "2024-01-02",
    }
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    root = tmp_path / "lib"
    report = add_paths(root, [str(source)])
    assert not report.errors and report.articles_added == 1
    return root


async def test_markup_looking_text_is_shown_literally(nasty_library: Path) -> None:
    app = reader(nasty_library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "Price [/] drop [@click=app.quit]click me[/] [bold]x" in shown
        await search(pilot, "traders")
        shown = region_text(app, app.screen.results)  # rows joined: wrapped phrases read whole
        assert "Traders saw [@click=app.quit]this" in shown
        assert "link[/] and [/] stray closers" in shown
        assert "[i]The [/] Times[/i]" in shown
        await open_result(pilot, 0)
        body = app.screen.pane.body
        # Click on the would-be link: nothing happens but a click.
        line = next(i for i, (s, e) in enumerate(body._lines) if "[@click" in body._document[s:e])
        start, end = body._lines[line]
        column = body._document[start:end].index("[@click") + 2
        await pilot.click(body, offset=(1 + column, line - round(body.scroll_y)))
        await settle(pilot)
        assert app.is_running
        shown = screen_text(app)
        assert "Markets [red]fell[/red] as" in shown
        assert "\\[escaped] and [link=https://example.com]links[/link]" in shown
        assert "Price [/] drop in London." in shown
        assert "stray closers and [b]bold[/b]." in region_text(app, body)
        await move_cursor_to(pilot, "PERSON:janet yellen")
        await pilot.press("e")
        await settle(pilot)
        assert app.is_running


def test_text_is_never_parsed_and_keeps_offsets() -> None:
    value = "a\x1b[31mb\rc[/]\x07d"
    content = text(value)
    assert content.plain == "a [31mb c[/] d"
    assert len(content.plain) == len(value) == len(safe(value))
    assert text(None).plain == ""


@given(st.text(max_size=300), st.integers(min_value=1, max_value=120))
@settings(max_examples=200, deadline=None)
def test_wrap_covers_every_character_in_order(value: str, width: int) -> None:
    value = safe(value)
    lines = wrap_ranges(value, width)
    assert lines
    # Ranges are in order, do not overlap, and cover everything but the newlines.
    covered = "".join(value[s:e] for s, e in lines)
    assert covered == value.replace("\n", "")
    for (s1, e1), (s2, _) in zip(lines, lines[1:], strict=False):
        assert s1 <= e1 <= s2


@pytest.mark.parametrize("size", [(20, 5), (1, 1), (40, 12), (2, 30), (200, 3)])
async def test_tiny_terminals_never_crash(library_copy: Path, size: tuple[int, int]) -> None:
    app = reader(library_copy)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"Blinken", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(
            "n",
            "n",
            "j",
            "space",
            "b",
            "tab",
            "j",
            "tab",
            "p",
            "p",
            "f",
            "x",
            "escape",
            "e",
            "escape",
            "question_mark",
            "escape",
            "escape",
        )
        await settle(pilot)
        assert app.is_running
        screen_text(app)


async def test_forty_by_twelve_is_usable(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        await search(pilot, "Blinken")
        assert "1 of 2 results" in screen_text(app)
        await open_result(pilot, 0)
        await move_cursor_to(pilot, BLINKEN)
        shown = screen_text(app)
        assert "Antony Blinken" in shown
        assert "Kinds:" not in shown or True  # the legend may be hidden when short
        await pilot.press("p")  # narrow: the panel covers the article
        await settle(pilot)
        await pilot.pause(0.2)
        await settle(pilot)
        shown = screen_text(app)
        assert "mentions in 2" in shown
        assert app.screen.pane.panel.mention_list.has_focus
        await pilot.press("tab")  # back to the article
        assert app.screen.pane.body.has_focus
        assert "mentions in 2" not in screen_text(app)


async def test_resize_storm_keeps_the_reading_position(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_result(pilot, 1)
        body = app.screen.pane.body
        await pilot.press("space", "j", "j")
        await settle(pilot)
        anchor = body.anchor
        assert anchor > 0
        word = body._document[body.body_offset + anchor :][:20]
        rng = random.Random(7)
        for _ in range(40):
            await pilot.resize_terminal(rng.randint(1, 160), rng.randint(1, 50))
            if rng.random() < 0.3:
                await pilot.pause()
        await pilot.resize_terminal(60, 20)
        await settle(pilot)
        assert app.is_running
        # The line at the top still holds the text that was at the top.
        top = body._lines[round(body.scroll_y)]
        start = top[0] - body.body_offset
        assert start <= anchor < start + 60
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert word in screen_text(app)


async def test_reading_state_is_restored_at_the_next_launch(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await search(pilot, "Blinken")
        await open_result(pilot, 1)
        await move_cursor_to(pilot, BLINKEN)
        await pilot.press("space")
        await settle(pilot)
        body = app.screen.pane.body
        article, cursor, anchor = body.article_id, body.cursor, body.anchor
        await pilot.press("q")
    assert article is not None

    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.search_bar.value == "Blinken"
        assert screen.view == "article"
        body = screen.pane.body
        assert body.article_id == article
        assert body.cursor == cursor
        assert body.anchor == anchor
        await pilot.press("escape")  # back to the restored search
        await settle(pilot)
        assert screen.view == "results" and screen.results.highlighted == 1
        assert screen.results_pane.status.plain == "2 of 2 results"


async def test_a_state_that_cannot_be_saved_is_said_once_and_at_the_exit(
    library_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from index.errors import WriteFailed
    from index.store.db import Store

    def full(self, name: str, value: str) -> None:
        raise WriteFailed("the store", str(self.path), OSError(errno.ENOSPC, "No space left"))

    monkeypatch.setattr(Store, "set_state", full)
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await search(pilot, "Blinken")
        await open_result(pilot, 0)
        await pilot.press("escape")
        await open_result(pilot, 1)
        warned = [n.message for n in app._notifications if "No space left" in n.message]
        assert len(warned) == 1, warned  # once, not at every article
        assert "cannot save reading state: cannot write the store" in warned[0]
        await pilot.press("q")
    assert len(app.exit_lines) == 1, app.exit_lines
    assert app.exit_lines[0].startswith("newsdesk: cannot save reading state: cannot write")


async def test_damaged_state_is_ignored(library_copy: Path) -> None:
    from index.library.facade import Library

    with Library.open(library_copy) as lib:
        lib.set_state("reader", '{"query": 5, "view": "article", "article": "nope"}')
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.is_running
        assert app.screen.view == "results"  # the missing article became a notice
        assert any("cannot open the article" in n.message for n in app._notifications)


_CLOSE_DURING_QUERY = """
import sqlite3, sys, threading
from index.library.facade import Library

library = Library.open(sys.argv[1])
stepping, outcome = threading.Event(), []


def query() -> None:
    conn = library._store().conn
    conn.set_progress_handler(lambda: stepping.set() or 0, 1000)
    try:
        conn.execute(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000000)"
            " SELECT count(*) FROM c"
        ).fetchone()
        outcome.append("finished")
    except sqlite3.OperationalError as err:
        outcome.append(str(err))
    conn.execute("SELECT count(*) FROM articles").fetchone()  # still open, still usable
    outcome.append("usable")


worker = threading.Thread(target=query)
worker.start()
stepping.wait()
library.close()  # from the main thread, as the reader does when it quits
worker.join()
print(" / ".join(outcome))
"""


def test_closing_the_library_while_another_thread_queries_never_crashes(
    seed_library: Path,
) -> None:
    """Quitting the reader with a search running: the search stops, the process lives.

    Closing a SQLite connection while its own thread steps a query can crash the
    process (a segfault in libsqlite3), so ``Library.close`` interrupts it instead.
    """
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _CLOSE_DURING_QUERY, str(seed_library)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "interrupted / usable"

"""Helpers for the reader's tests (pilot tests, snapshots, tmux)."""

from __future__ import annotations

import io

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot


def screen_text(app: App) -> str:
    """Return what the terminal shows, as plain text (one line per row)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    update = app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens, simplify=True
    )
    console.print(update)
    return console.export_text(styles=False)


def region_text(app: App, widget) -> str:
    """Return what ``widget`` shows on screen, its rows stripped and joined by spaces.

    Phrases that the widget wraps over two rows still read as one.
    """
    region = widget.region
    rows = screen_text(app).splitlines()[region.y : region.bottom]
    return " ".join(" ".join(row[region.x : region.right].split()) for row in rows if row.strip())


async def settle(pilot: Pilot, rounds: int = 3) -> None:
    """Let timers fire, workers finish and their messages be handled."""
    app = pilot.app
    for _ in range(rounds):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()


async def wait_for(pilot: Pilot, predicate, timeout: float = 10.0) -> None:
    """Pause until ``predicate()`` is true (bounded), letting workers run."""
    import time

    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await pilot.pause(0.02)
        await pilot.app.workers.wait_for_complete()


BLINKEN = "PERSON:antony blinken"


def reader(library, **options):
    """A reader on ``library`` with fixed, user-independent settings."""
    from tui.app import make_app
    from tui.config import Config

    options.setdefault("theme", "textual-dark")
    return make_app(library, config=Config(**options))


async def search(pilot: Pilot, query: str) -> None:
    """Type a query in the search bar as a person would, and wait for its results."""
    app = pilot.app
    await pilot.press("slash", "end", "ctrl+u", *query)
    await wait_for(pilot, lambda: app.screen.results_pane.is_current(query))
    await settle(pilot)


async def open_result(pilot: Pilot, index: int) -> None:
    """Open the ``index``-th result with the keyboard and wait for the article."""
    app = pilot.app
    screen = app.screen
    screen.results.focus()
    await pilot.press("g", *["j"] * index, "enter")
    wanted = screen.results.hits[index].id
    await wait_for(pilot, lambda: screen.pane.body.article_id == wanted)
    await settle(pilot)


async def move_cursor_to(pilot: Pilot, key: str, limit: int = 300) -> None:
    """Press ``n`` until the entity cursor is on an entity with ``key``."""
    body = pilot.app.screen.pane.body
    for _ in range(limit):
        await pilot.press("n")
        span = body.cursor_entity
        if span is not None and span.key == key:
            await settle(pilot)
            return
    raise AssertionError(f"no entity {key!r} reached with n")

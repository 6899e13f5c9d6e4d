"""Random key storms: whatever keys arrive, in whatever screen, the reader keeps running.

Each storm is a fixed seed's stream of a few thousand keys drawn from every
key the reader binds and the keys a person hits by mistake, in bursts that
arrive while the searches, articles and dialogs of the earlier keys are still
loading. A third of each storm falls at each of three terminal sizes, the
terminal resized between them wherever the storm has got to, in an order
that differs by seed. The command palette, the help screen, the
entity pages, the pickers and the curation dialogs are all reachable from it.

Quitting is the one thing a storm may not do: every way to quit (``q``,
``ctrl+q``, the palette's Quit) is counted instead of obeyed, so that the
storm goes on. At the end the reader must still be running and answer a plain
search. An error anywhere in the app ends ``run_test`` with that error.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events

from tests.helpers.reader import reader, settle, wait_for
from tests.helpers.storm import CHARACTERS, storm

pytestmark = pytest.mark.slow

SIZES = [(120, 35), (80, 24), (20, 5)]
SEEDS = [1, 2, 3]
KEYS_PER_SIZE = 1000


def send(app, burst: list[str]) -> None:
    """Queue a burst of keys at once, as a terminal delivers a packet of them.

    Unlike ``Pilot.press``, nothing waits between the keys: each is taken
    from the queue by whatever has the focus when its turn comes, while the
    screens and workers of the keys before it may still be starting.
    """
    for key in burst:
        event = events.Key(key, key if len(key) == 1 else CHARACTERS.get(key))
        event.set_sender(app)
        app.post_message(event)


@pytest.mark.parametrize("seed", SEEDS)
async def test_a_key_storm_leaves_the_reader_running_and_searching(
    library_copy: Path, seed: int
) -> None:
    sizes = SIZES[seed % 3 :] + SIZES[: seed % 3]
    app = reader(library_copy)
    quits: list[str] = []

    async def counted_quit() -> None:
        quits.append(type(app.screen).__name__)

    app.action_quit = counted_quit  # type: ignore[method-assign]
    async with app.run_test(size=sizes[0]) as pilot:
        await settle(pilot)
        for part, size in enumerate(sizes):
            await pilot.resize_terminal(*size)
            for burst in storm(seed * 10 + part, KEYS_PER_SIZE):
                send(app, burst)
                await pilot.pause()
        await settle(pilot)
        await pilot.resize_terminal(120, 35)
        # Back to the reader's own screen, however deep the storm left it.
        for _ in range(30):
            if app.screen is app.screen_stack[0]:
                break
            await pilot.press("escape")
            await settle(pilot, rounds=1)
        assert app.screen is app.screen_stack[0], app.screen_stack
        screen = app.screen
        await pilot.press("slash", "end", "ctrl+u", *"white house", "enter")
        await wait_for(pilot, lambda: screen.results_pane.is_current("white house"), timeout=30)
        await settle(pilot)
        assert screen.results.hits, "the search after the storm found nothing"
    assert app.return_code in (None, 0)


#: Keys that open a screen over the reader: help, palette, filters, entity browser.
OPENERS = ["question_mark", "ctrl+p", "F", "E"]

#: Bursts that close that screen and then act on it, or on the one beneath.
CLOSERS = [
    ["escape", "escape", "escape"],
    ["enter", "enter", "enter"],
    ["escape", "down", "enter", "escape"],
    ["down", "enter", "pagedown", "escape", "escape"],
]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("opener", OPENERS)
async def test_keys_queued_behind_a_closing_screen_land_on_the_screen_beneath(
    library_copy: Path, opener: str, size: tuple[int, int]
) -> None:
    app = reader(library_copy)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        base = app.screen
        for burst in CLOSERS:
            send(app, [opener])
            await settle(pilot, rounds=1)
            send(app, burst)
            await settle(pilot)
            for _ in range(10):
                if app.screen is base:
                    break
                await pilot.press("escape")
                await settle(pilot, rounds=1)
            assert app.screen is base, (burst, app.screen_stack)
        assert app.is_running

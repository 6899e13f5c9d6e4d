"""Random key storms: whatever keys arrive, in whatever screen, the reader keeps running.

Each storm is a fixed seed's stream of a few thousand keys drawn from every
key the reader binds and the keys a person hits by mistake, at three terminal
sizes, in bursts that arrive while the searches, articles and dialogs of the
earlier keys are still loading. The command palette, the help screen, the
entity pages, the pickers and the curation dialogs are all reachable from it.

Quitting is the one thing a storm may not do: every way to quit (``q``,
``ctrl+q``, the palette's Quit) is counted instead of obeyed, so that the
storm goes on. At the end the reader must still be running and answer a plain
search. An error anywhere in the app ends ``run_test`` with that error.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from textual import events

from tests.helpers.reader import reader, settle, wait_for

pytestmark = pytest.mark.slow

#: The keys of a storm, weighted: every binding of the reader, the keys that
#: open and close screens, and printable characters that an input takes.
_KEYS: list[tuple[str, int]] = [
    *((key, 3) for key in ("escape", "enter", "tab", "shift+tab", "down", "up", "j", "k")),
    *((key, 2) for key in ("left", "right", "pageup", "pagedown", "home", "end", "backspace")),
    *((key, 2) for key in ("ctrl+o", "ctrl+d", "ctrl+u", "ctrl+p", "ctrl+z", "slash")),
    *((key, 2) for key in ("question_mark", "E", "F", "M", "H", "R", "u", "e", "f", "o", "p")),
    *((key, 1) for key in ("n", "N", "right_square_bracket", "g", "G", "b", "i", "s", "t", "T")),
    *((key, 1) for key in ("x", "q", "ctrl+q", "ctrl+c", "alt+left", "space", "delete")),
    *((key, 1) for key in ("a", "c", "h", "l", "m", "r", "w", "y", "z", "1", "colon")),
    *((key, 1) for key in ("quotation_mark", "asterisk", "minus", "ctrl+a", "ctrl+e")),
]
_ALPHABET = [key for key, weight in _KEYS for _ in range(weight)]

SIZES = [(120, 35), (80, 24), (20, 5)]
SEEDS = [1, 2, 3]
KEYS_PER_STORM = 2000


#: The characters of the named printable keys (the rest are single characters).
_CHARACTERS = {
    "space": " ",
    "slash": "/",
    "question_mark": "?",
    "right_square_bracket": "]",
    "colon": ":",
    "quotation_mark": '"',
    "asterisk": "*",
    "minus": "-",
}


def storm(seed: int, count: int) -> list[list[str]]:
    """The keys of one storm, in bursts of 1 to 12 keys."""
    rng = random.Random(f"newsdesk-key-storm:{seed}")
    bursts, left = [], count
    while left > 0:
        size = min(left, rng.randint(1, 12))
        bursts.append([rng.choice(_ALPHABET) for _ in range(size)])
        left -= size
    return bursts


def send(app, burst: list[str]) -> None:
    """Queue a burst of keys at once, as a terminal delivers a packet of them.

    Unlike ``Pilot.press``, nothing waits between the keys: each is taken
    from the queue by whatever has the focus when its turn comes, while the
    screens and workers of the keys before it may still be starting.
    """
    for key in burst:
        event = events.Key(key, key if len(key) == 1 else _CHARACTERS.get(key))
        event.set_sender(app)
        app.post_message(event)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("seed", SEEDS)
async def test_a_key_storm_leaves_the_reader_running_and_searching(
    library_copy: Path, seed: int, size: tuple[int, int]
) -> None:
    app = reader(library_copy)
    quits: list[str] = []

    async def counted_quit() -> None:
        quits.append(type(app.screen).__name__)

    app.action_quit = counted_quit  # type: ignore[method-assign]
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for burst in storm(seed, KEYS_PER_STORM):
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

"""Search as you type: results follow each letter, errors wait for Enter."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.reader import reader, settle, wait_for


async def _type(pilot, screen, letters: str) -> list[tuple[str, str, int]]:
    """Type one letter at a time; after each, what the status line and the list show."""
    seen = []
    typed = ""
    for letter in letters:
        typed += letter
        await pilot.press(letter)
        await wait_for(pilot, lambda q=typed: screen.results_pane.is_current(q), timeout=30)
        await settle(pilot)
        pane = screen.results_pane
        seen.append((typed, pane.status.plain, len(pane.list.hits)))
    return seen


async def test_typing_a_word_never_shows_an_error_and_finds_it_by_its_start(
    library_copy: Path,
) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("slash")
        seen = await _type(pilot, screen, "blin")
        for typed, status, hits in seen:
            assert "error" not in status.lower(), (typed, status)
            assert hits, (typed, status)  # the last results stay; "bl" already finds Blinken
        assert seen[-1][1] == "1 of 2 results"
        assert all("Blinken" in h.title or "Blinken" in str(h.snippet) for h in screen.results.hits)


async def test_enter_searches_what_was_typed_strictly(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("slash")
        await _type(pilot, screen, "blin")
        await pilot.press("enter")  # "blin" is no word of the seeds
        await wait_for(
            pilot, lambda: screen.results_pane.is_current("blin") and not screen.results_pane.typed
        )
        await settle(pilot)
        assert screen.results_pane.status.plain == "No results"
        await pilot.press("slash", "ctrl+u")
        await _type(pilot, screen, "b")
        assert "error" not in screen.results_pane.status.plain.lower()
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: not screen.results_pane.typed and screen.results_pane.is_current("b")
        )
        await settle(pilot)
        assert screen.results_pane.status.plain.startswith("Query error: nothing to search for")

"""Snapshot tests of the entity screens: the page, the browser, the dialogs, the facets.

Deterministic like tests/test_snapshots.py: fixed theme, the seed library, no
clock, no notifications (nothing here edits the curation); every run_before
waits for workers and for what it expects on screen, never for time. Update
with ``pytest tests/test_snapshots_entities.py --snapshot-update`` after
checking the report.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.library import build_library
from tests.helpers.reader import (
    BLINKEN,
    move_cursor_to,
    open_result,
    reader,
    search,
    settle,
    wait_for,
)
from tui.screens.entity_browser import EntityBrowser
from tui.screens.entity_finder import EntityFinder
from tui.screens.entity_screen import EntityScreen
from tui.screens.rename_dialog import RenameDialog

pytestmark = pytest.mark.slow

SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((60, 20), id="60x20")]


async def page_of(pilot, key: str) -> None:
    """Open the page of an entity of the dated article with enter, and wait for it."""
    app = pilot.app
    await settle(pilot)
    await open_result(pilot, 0)
    await move_cursor_to(pilot, key)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, EntityScreen) and app.screen.loaded)
    await settle(pilot)


class TestEntityPage:
    """Name, kind, counts, other names, timeline, "appears with", mentions."""

    @pytest.mark.parametrize("size", SIZES)
    def test_page(self, snap_compare, library_copy: Path, size) -> None:
        async def run_before(pilot) -> None:
            await page_of(pilot, BLINKEN)

        assert snap_compare(reader(library_copy), terminal_size=size, run_before=run_before)

    def test_timeline_over_months(self, snap_compare, library_copy: Path, tmp_path: Path) -> None:
        more = tmp_path / "more"
        more.mkdir()
        (more / "a.txt").write_text(
            "date 2023-01-10\ntitle: January talks\n\n"
            "Antony Blinken met Wang Yi in Beijing on Tuesday to discuss trade.\n",
            "utf-8",
        )
        (more / "b.txt").write_text(
            "date 2023-03-02\ntitle: March talks\n\n"
            "Antony Blinken spoke to reporters in Washington about the talks with China.\n"
            "Later, Antony Blinken flew to Tokyo.\n",
            "utf-8",
        )
        assert not build_library(library_copy, more).errors

        async def run_before(pilot) -> None:
            app = pilot.app
            await settle(pilot)
            app.screen.open_entity_page(BLINKEN)
            await wait_for(
                pilot, lambda: isinstance(app.screen, EntityScreen) and app.screen.loaded
            )
            await pilot.press("tab")  # "appears with" focused
            await settle(pilot)

        assert snap_compare(reader(library_copy), terminal_size=(100, 30), run_before=run_before)


class TestEntityBrowser:
    """Every entity, filtered by text and kind, in an order."""

    @pytest.mark.parametrize("size", SIZES)
    def test_browser(self, snap_compare, library_copy: Path, size) -> None:
        async def run_before(pilot) -> None:
            app = pilot.app
            await settle(pilot)
            await pilot.press("E")
            await wait_for(
                pilot, lambda: isinstance(app.screen, EntityBrowser) and app.screen.loaded
            )
            await settle(pilot)

        assert snap_compare(reader(library_copy), terminal_size=size, run_before=run_before)

    def test_people_by_mentions(self, snap_compare, library_copy: Path) -> None:
        async def run_before(pilot) -> None:
            app = pilot.app
            await settle(pilot)
            await pilot.press("E")
            await wait_for(
                pilot, lambda: isinstance(app.screen, EntityBrowser) and app.screen.loaded
            )
            browser = app.screen
            await pilot.press("down", "t", "s", "j")
            await wait_for(pilot, lambda: browser.kind == 1 and browser.sort == "mentions")
            await settle(pilot)

        assert snap_compare(reader(library_copy), terminal_size=(100, 30), run_before=run_before)


class TestDialogs:
    """The merge picker and the rename dialog over the article."""

    def test_merge_picker(self, snap_compare, library_copy: Path) -> None:
        async def run_before(pilot) -> None:
            app = pilot.app
            await settle(pilot)
            await open_result(pilot, 0)
            await move_cursor_to(pilot, "PERSON:biden")
            await pilot.pause(0.2)  # the related-mentions panel loads after a short delay
            await settle(pilot)
            await pilot.press("M", *"bide")
            await wait_for(
                pilot,
                lambda: (
                    isinstance(app.screen, EntityFinder)
                    and [e.name for e in app.screen.entities] == ["Joe Biden"]
                ),
            )
            await settle(pilot)

        assert snap_compare(reader(library_copy), terminal_size=(100, 30), run_before=run_before)

    def test_rename(self, snap_compare, library_copy: Path) -> None:
        async def run_before(pilot) -> None:
            app = pilot.app
            await settle(pilot)
            await open_result(pilot, 0)
            await move_cursor_to(pilot, BLINKEN)
            await pilot.pause(0.2)  # the related-mentions panel loads after a short delay
            await settle(pilot)
            await pilot.press("R")
            await wait_for(pilot, lambda: isinstance(app.screen, RenameDialog))
            await settle(pilot)

        assert snap_compare(reader(library_copy), terminal_size=(100, 30), run_before=run_before)


class TestFacets:
    """The top entities of the results, beside them or (narrow) over them."""

    def test_facets_focused(self, snap_compare, library_copy: Path) -> None:
        async def run_before(pilot) -> None:
            await settle(pilot)
            await search(pilot, "Blinken")
            facets = pilot.app.screen.results_pane.facets
            await wait_for(pilot, lambda: facets.query == "Blinken")
            await pilot.press("enter", "F", "j")
            await settle(pilot)

        assert snap_compare(reader(library_copy), terminal_size=(100, 30), run_before=run_before)

    def test_facets_over_the_results_when_narrow(self, snap_compare, library_copy: Path) -> None:
        async def run_before(pilot) -> None:
            await settle(pilot)
            facets = pilot.app.screen.results_pane.facets
            await wait_for(pilot, lambda: facets.facet_list.facets)
            await pilot.press("F")
            await settle(pilot)

        assert snap_compare(reader(library_copy), terminal_size=(60, 20), run_before=run_before)

"""Snapshot tests of the reader's main screens, by feature, at 100x30 and 60x20.

Deterministic: fixed theme, the seed library, no clock, no notifications;
every run_before waits for the workers rather than for time. Update with
``pytest tests/test_snapshots.py --snapshot-update`` after checking the report.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.reader import BLINKEN, move_cursor_to, open_result, reader, search, settle

pytestmark = pytest.mark.slow

SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((60, 20), id="60x20")]


class TestResults:
    """The search bar, the results list and its status line."""

    @pytest.mark.parametrize("size", SIZES)
    def test_newest(self, snap_compare, library_copy: Path, size) -> None:
        async def run_before(pilot) -> None:
            await settle(pilot)

        assert snap_compare(reader(library_copy), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_search_highlights(self, snap_compare, library_copy: Path, size) -> None:
        async def run_before(pilot) -> None:
            await settle(pilot)
            await search(pilot, "Blinken")
            await pilot.press("enter", "j")
            await settle(pilot)

        assert snap_compare(reader(library_copy), terminal_size=size, run_before=run_before)


class TestArticle:
    """The article with its entities, legend and the related-mentions panel."""

    @pytest.mark.parametrize("size", SIZES)
    def test_article_with_panel(self, snap_compare, library_copy: Path, size) -> None:
        async def run_before(pilot) -> None:
            await settle(pilot)
            await open_result(pilot, 0)
            await move_cursor_to(pilot, BLINKEN)
            await pilot.pause(0.2)
            await settle(pilot)

        assert snap_compare(reader(library_copy), terminal_size=size, run_before=run_before)

    def test_narrow_panel_overlay(self, snap_compare, library_copy: Path) -> None:
        async def run_before(pilot) -> None:
            await settle(pilot)
            await open_result(pilot, 0)
            await move_cursor_to(pilot, BLINKEN)
            await pilot.press("p")
            await pilot.pause(0.2)
            await settle(pilot)

        assert snap_compare(reader(library_copy), terminal_size=(60, 20), run_before=run_before)

    def test_find_matches(self, snap_compare, library_copy: Path) -> None:
        async def run_before(pilot) -> None:
            await settle(pilot)
            await open_result(pilot, 0)
            await pilot.press("f", *"china", "enter", "n")
            await settle(pilot)

        assert snap_compare(reader(library_copy), terminal_size=(100, 30), run_before=run_before)


class TestHelp:
    """The help screen generated from the bindings."""

    @pytest.mark.parametrize("size", SIZES)
    def test_help(self, snap_compare, library_copy: Path, size) -> None:
        async def run_before(pilot) -> None:
            await settle(pilot)
            await pilot.press("question_mark")
            await settle(pilot)

        assert snap_compare(reader(library_copy), terminal_size=size, run_before=run_before)

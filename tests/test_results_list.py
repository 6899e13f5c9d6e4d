"""The results list: entries built and measured off the UI thread, at the width shown."""

from __future__ import annotations

import threading
from pathlib import Path

from textual.content import Content

from tests.reader_helpers import reader, region_text, search, settle
from tui.widgets.results_list import ResultsList


async def test_search_results_are_built_in_the_worker_at_the_width_shown(
    library_copy: Path, monkeypatch
) -> None:
    """Typing is not held up by wrapping 50 results: the worker does it, for the right width."""
    built_on: list[threading.Thread] = []
    prompts = ResultsList.prompts.__func__  # type: ignore[attr-defined]

    def recording(cls, hits, fit):  # noqa: ANN001, ANN202 - a spy with the same signature
        built_on.append(threading.current_thread())
        return prompts(cls, hits, fit)

    monkeypatch.setattr(ResultsList, "prompts", classmethod(recording))
    app = reader(library_copy)
    # Short enough that the two results overflow: the list has a scrollbar.
    async with app.run_test(size=(100, 12)) as pilot:
        await settle(pilot)
        await search(pilot, "Blinken")
        results = app.screen.results
        assert len(results.hits) == 2
        assert results.show_vertical_scrollbar
        # The next search is measured while the list has its scrollbar, as when
        # a user refines a query.
        built_on.clear()
        await search(pilot, "Antony Blinken")
        assert len(results.hits) == 2
        assert built_on and all(t is not threading.main_thread() for t in built_on)
        assert results.show_vertical_scrollbar
        fit = results.fit()
        assert fit is not None
        for index, option in enumerate(results.options):
            prompt = option.prompt
            assert isinstance(prompt, Content)
            # Measured once, at the width the rows are shown at: the list found
            # the worker's measure instead of wrapping the row again.
            assert prompt._height_cache[0][0] == fit.width
            fresh = Content.from_text(prompt.plain).get_height(fit.rules, fit.width)
            assert results._line_cache.heights[index] == fresh
        assert "Blinken" in region_text(app, results)


async def test_a_further_page_and_the_newest_list_still_show(library_copy: Path) -> None:
    """Pages built on the UI thread (the newest articles at launch) look the same."""
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        results = app.screen.results
        newest = [option.prompt.plain for option in results.options]  # type: ignore[union-attr]
        assert newest == [ResultsList.prompt(hit).plain for hit in results.hits]
        await search(pilot, "Blinken")
        await search(pilot, "")
        assert [option.prompt.plain for option in results.options] == newest  # type: ignore[union-attr]

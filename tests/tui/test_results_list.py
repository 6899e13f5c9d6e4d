"""The results list: entries built and measured off the UI thread, at the width shown."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.content import Content

from tests.helpers.reader import reader, region_text, search, settle, wait_for
from tui.widgets import results_pane
from tui.widgets.results_list import ResultsList


@pytest.fixture()
def built(monkeypatch) -> list[tuple[threading.Thread, list[Content]]]:
    """Record where :meth:`ResultsList.prompts` ran and what it returned."""
    calls: list[tuple[threading.Thread, list[Content]]] = []
    prompts = ResultsList.prompts.__func__  # type: ignore[attr-defined]

    def recording(cls, hits, fit):  # noqa: ANN001, ANN202 - a spy with the same signature
        made = prompts(cls, hits, fit)
        calls.append((threading.current_thread(), made))
        return made

    monkeypatch.setattr(ResultsList, "prompts", classmethod(recording))
    return calls


async def test_search_results_are_built_in_the_worker_at_the_width_shown(
    library_copy: Path, built: list[tuple[threading.Thread, list[Content]]]
) -> None:
    """Typing is not held up by wrapping 50 results: the worker does it, for the right width."""
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
        built.clear()
        await search(pilot, "Antony Blinken")
        assert len(results.hits) == 2
        assert results.show_vertical_scrollbar
        # Searches for what was typed on the way may have run too (the typing
        # can be slower than the debounce); the last built is the one shown.
        assert built and all(t is not threading.main_thread() for t, _ in built)
        prompts = built[-1][1]
        fit = results.fit()
        assert fit is not None
        for index, option in enumerate(results.options):
            # The list shows the worker's entries, measured at the width they
            # are shown at, so it found their heights instead of wrapping them.
            assert option.prompt is prompts[index]
            assert prompts[index]._height_cache[0][0] == fit.width
            fresh = Content(prompts[index].plain).get_height(fit.rules, fit.width)
            assert results._line_cache.heights[index] == fresh
        assert "Blinken" in region_text(app, results)


async def test_a_further_page_is_built_in_its_worker_and_keeps_the_highlight(
    library_copy: Path, built: list[tuple[threading.Thread, list[Content]]], monkeypatch
) -> None:
    """With pages of one result, the second loads as the highlight nears the end."""
    monkeypatch.setattr(results_pane, "RESULTS_PAGE", 1)
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        built.clear()
        await search(pilot, "Blinken")
        results = app.screen.results
        await wait_for(pilot, lambda: len(results.hits) == 2)
        assert results.total == 2
        assert results.highlighted == 0
        assert len(results.options) == 2
        assert [option.prompt.plain for option in results.options] == [  # type: ignore[union-attr]
            ResultsList.prompt(hit).plain for hit in results.hits
        ]
        assert len({hit.id for hit in results.hits}) == 2
        # The last two built are the first page and the further one (searches
        # for what was typed on the way may come before them).
        assert len(built) >= 2 and all(t is not threading.main_thread() for t, _ in built)
        (_, first), (_, further) = built[-2:]
        assert all(
            option.prompt is prompt
            for option, prompt in zip(results.options, first + further, strict=True)
        )
        assert app.screen.results_pane.status.plain == "1 of 2 results"


async def test_the_newest_list_is_the_same_before_and_after_a_search(library_copy: Path) -> None:
    """The newest articles, listed on the UI thread, come back the same after a search."""
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        results = app.screen.results
        newest = [option.prompt.plain for option in results.options]  # type: ignore[union-attr]
        assert len(newest) == 2
        await search(pilot, "Blinken")
        assert [option.prompt.plain for option in results.options] != newest  # type: ignore[union-attr]
        await search(pilot, "")
        assert [option.prompt.plain for option in results.options] == newest  # type: ignore[union-attr]


def test_a_snippet_is_never_cut_inside_a_highlighted_word() -> None:
    from index.models import Hit
    from tui.widgets.results_list import SNIPPET_CHARS

    lead = "word " * ((SNIPPET_CHARS - 15) // 5)
    snippet = lead + "met Antony Blinken in Beijing on Monday"
    start = snippet.index("Blinken")
    assert start < SNIPPET_CHARS < start + len("Blinken")
    hit = Hit(
        id="x",
        title="t",
        date=None,
        source="s",
        score=1.0,
        snippet=snippet,
        highlights=[(start, start + len("Blinken"))],
    )
    shown = ResultsList.prompt(hit).plain.splitlines()[-1]
    assert shown.endswith(" …")
    assert "Blinke" not in shown
    assert shown.removesuffix(" …").split()[-1] in ("Antony", "met")

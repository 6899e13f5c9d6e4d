"""Pilot tests of the reader's flows on the real seed library."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandPalette

from index.library.facade import Library
from tests.helpers.reader import (
    BLINKEN,
    move_cursor_to,
    open_result,
    reader,
    region_text,
    screen_text,
    search,
    settle,
    wait_for,
)
from tui.screens.entity_picker import EntityPicker
from tui.screens.help_screen import HelpScreen
from tui.widgets.results_list import ResultsList
from tui.widgets.search_bar import SearchBar

pytestmark = pytest.mark.slow


@pytest.fixture()
def ids(library_copy: Path) -> dict[str, str]:
    """The seed article ids: 'dated' (004, 2023-05-18) and 'undated' (000)."""
    with Library.open(library_copy) as lib:
        hits = lib.newest().hits
    assert len(hits) == 2 and hits[0].date == "2023-05-18" and hits[1].date is None
    return {"dated": hits[0].id, "undated": hits[1].id}


async def test_starts_on_the_newest_articles(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.results_pane.status.plain == "1 of 2 articles, newest first"
        assert [hit.date for hit in screen.results.hits] == ["2023-05-18", None]
        shown = screen_text(app)
        assert "Amid the declining Sino-US relations" in shown
        assert "no date" in shown
        assert "1 of 2 articles" in shown


async def test_search_as_you_type_highlights_matches(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await search(pilot, "Blinken")
        screen = app.screen
        assert screen.results_pane.status.plain == "1 of 2 results"
        hits = screen.results.hits
        assert len(hits) == 2
        for hit in hits:
            assert hit.highlights
            assert all(hit.snippet[s:e].lower() == "blinken" for s, e in hit.highlights)
        assert "Secretary of State Antony Blinken" in region_text(app, screen.results)


async def test_stale_results_are_dropped(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"Blinken")
        await pilot.press(*" Yellen")  # typed before the first search had a chance to run
        await settle(pilot)
        await wait_for(pilot, lambda: app.screen.results_pane.is_current("Blinken Yellen"))
        screen = app.screen
        # An answer to an older request arriving late changes nothing.
        from index.models import Page
        from tui.messages import ResultsLoaded

        stale = ResultsLoaded(screen.results_pane.seq - 1, Page("Blinken", 9, []))
        screen.results_pane.post_message(stale)
        await settle(pilot)
        assert screen.results_pane.query == "Blinken Yellen"
        assert screen.search_bar.value == "Blinken Yellen"
        assert screen.results.total == 1


async def test_query_error_is_one_line_in_the_status(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await search(pilot, 'entity:"nobody at all')
        assert app.is_running
        assert "\n" not in app.screen.results_pane.status.plain


async def test_worker_exception_becomes_a_notice(library_copy: Path, monkeypatch) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)

        def boom(*args, **kwargs):
            raise RuntimeError("disk on fire\nsecond line [bold]markup[/]")

        monkeypatch.setattr(app.library, "search", boom)
        await search(pilot, "Blinken")
        assert app.is_running
        status = app.screen.results_pane.status.plain
        assert status.startswith("search failed: disk on fire second line")
        messages = [n.message for n in app._notifications]
        assert any("disk on fire second line [bold]markup[/]" in m for m in messages)
        assert all(not n.markup for n in app._notifications)


async def test_open_back_and_forward(library_copy: Path, ids: dict[str, str]) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        await open_result(pilot, 0)
        assert screen.view == "article"
        assert screen.pane.body.article_id == ids["dated"]
        assert "Kinds:" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert screen.view == "results"
        await pilot.press("ctrl+i")  # forward (alt+right, L too)
        await settle(pilot)
        assert screen.view == "article" and screen.pane.body.article_id == ids["dated"]
        await pilot.press("backspace")
        await settle(pilot)
        assert screen.view == "results"
        await pilot.press("j", "enter")
        await settle(pilot)
        assert screen.pane.body.article_id == ids["undated"]
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert screen.view == "results" and screen.results.highlighted == 1
        await pilot.press("L")  # forward again: the undated article
        await settle(pilot)
        assert screen.pane.body.article_id == ids["undated"]


async def test_entity_cursor_and_related_panel(library_copy: Path, ids: dict[str, str]) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_result(pilot, 0)
        body = app.screen.pane.body
        assert body.cursor is None
        await pilot.press("n")
        await settle(pilot)
        assert body.cursor == 0
        await pilot.press("n", "N")
        await settle(pilot)
        assert body.cursor == 0
        await move_cursor_to(pilot, BLINKEN)
        span = body.cursor_entity
        assert span is not None and span.key == BLINKEN
        panel = app.screen.pane.panel
        await wait_for(pilot, lambda: panel.mention_list.mentions)
        shown = screen_text(app)
        assert "Antony Blinken  person" in shown
        assert "7 mentions in 2 articles" in shown
        mentions = panel.mention_list.mentions
        assert mentions and all(m.article_id == ids["undated"] for m in mentions)
        assert all(m.key == BLINKEN for m in mentions)
        first = mentions[0]
        assert "Antony Blinken" in first.context
        assert (
            first.context[first.start - first.context_start : first.end - first.context_start]
            == "Antony Blinken"
        )
        assert "Both US and China are in discussion" in shown  # the sentence, in the panel
        # ] moves to the next mention of the same entity in this article.
        before = body.cursor
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert body.cursor is not None and body.cursor > before
        assert body.cursor_entity.key == BLINKEN
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert body.cursor == before


async def test_click_an_entity_moves_the_cursor(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_result(pilot, 0)
        body = app.screen.pane.body
        # The first body line starts "Amid the declining Sino-US": click on "Sino-US".
        line = next(i for i, (s, _) in enumerate(body._lines) if s == body.body_offset)
        await pilot.click(body, offset=(1 + 1 + len("Amid the declining "), line))
        await settle(pilot)
        assert body.cursor_entity is not None and body.cursor_entity.text == "Sino-US"


async def test_jump_to_a_mention_in_another_article(library_copy: Path, ids: dict) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_result(pilot, 0)
        await move_cursor_to(pilot, BLINKEN)
        screen = app.screen
        panel = screen.pane.panel
        await wait_for(pilot, lambda: panel.mention_list.mentions)
        mention = panel.mention_list.mentions[0]
        dated_cursor = screen.pane.body.cursor
        await pilot.press("tab")
        assert panel.mention_list.has_focus
        await pilot.press("enter")
        await settle(pilot)
        body = screen.pane.body
        assert body.article_id == ids["undated"] == mention.article_id
        span = body.cursor_entity
        assert span is not None and span.key == BLINKEN and span.start == mention.start
        assert body.has_focus
        # The mention is on screen.
        first, last = body._visible_body_range()
        assert first <= mention.start <= last
        # Back returns to the first article with the cursor where it was.
        await pilot.press("backspace")
        await settle(pilot)
        assert body.article_id == ids["dated"]
        assert body.cursor == dated_cursor


async def test_find_in_article(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_result(pilot, 0)
        body = app.screen.pane.body
        await pilot.press("f", *"blinken", "enter")
        await settle(pilot)
        assert body.find_query == "blinken"
        assert len(body.matches) == 3
        assert body.match_index == 0
        assert body.has_focus
        await pilot.press("n")
        assert body.match_index == 1
        await pilot.press("N", "N")
        assert body.match_index == 2  # wraps around
        assert "3 of 3" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert body.find_query is None and not body.matches
        assert app.screen.view == "article"  # escape ended find, it did not go back
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.view == "results"


async def test_narrow_results_to_the_entity(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_result(pilot, 0)
        await move_cursor_to(pilot, BLINKEN)
        await pilot.press("o")
        await settle(pilot)
        await wait_for(pilot, lambda: app.screen.results_pane.is_current(f'entity:"{BLINKEN}"'))
        screen = app.screen
        assert screen.view == "results"
        assert screen.search_bar.value == 'entity:"PERSON:antony blinken"'
        assert screen.results.total == 2
        # After a search, 'o' adds the clause to that query.
        await search(pilot, "Yellen")
        await open_result(pilot, 0)
        await move_cursor_to(pilot, BLINKEN)
        await pilot.press("o")
        await settle(pilot)
        assert screen.search_bar.value == 'Yellen entity:"PERSON:antony blinken"'


async def test_help_screen_lists_binding_ids(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.render_table().plain
        for binding_id in (
            "search.focus",
            "article.next_entity",
            "history.forward",
            "article.narrow",
            "list.half_page_down",
            "app.quit",
        ):
            assert binding_id in table
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_entity_list_filters_and_jumps(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_result(pilot, 0)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, EntityPicker)
        await pilot.press(*"yellen")
        await settle(pilot)
        assert "Janet Yellen" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, EntityPicker)
        span = app.screen.pane.body.cursor_entity
        assert span is not None and span.key == "PERSON:janet yellen"


async def test_command_palette_runs_reader_actions(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_result(pilot, 0)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Next entity")
        await wait_for(pilot, lambda: "Next entity/match" in screen_text(app))
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.pane.body.cursor == 0


async def test_focus_search_from_article_and_type(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_result(pilot, 0)
        await pilot.press("slash")
        assert isinstance(app.focused, SearchBar)
        await pilot.press(*"Yellen", "enter")
        await settle(pilot)
        assert app.screen.view == "results"
        assert app.screen.results.total == 1
        await pilot.press("backspace")  # history: back to the article
        await settle(pilot)
        assert app.screen.view == "article"


def _burst(app, *keys: tuple[str, str | None]) -> None:
    """Post keys to the app back to back, as the driver does for one packet of input."""
    from textual import events

    for key, char in keys:
        app.post_message(events.Key(key, char))


async def _search_blinken(app, pilot) -> None:
    """Type /Blinken key by key and wait for its results, the search bar keeping the focus."""
    await settle(pilot)
    await pilot.press("slash", *"Blinken")
    await wait_for(pilot, lambda: app.screen.results_pane.is_current("Blinken"))
    await settle(pilot)


async def test_keys_in_one_burst_follow_the_focus_they_move(library_copy: Path) -> None:
    """Keys that arrive together (a fast typist over SSH, a paste) land where focus moved."""
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        _burst(app, ("slash", "/"), *[(c, c) for c in "Blinken"])
        await wait_for(pilot, lambda: app.screen.results_pane.is_current("Blinken"))
        await settle(pilot)
        assert app.screen.search_bar.value == "Blinken"
        assert app.screen.results.total == 2
        # "q" quits from the results, not when it was typed into the search bar.
        await pilot.press("escape")
        assert not isinstance(app.focused, SearchBar)
        _burst(app, ("slash", "/"), ("space", " "), ("q", "q"))
        await settle(pilot)
        assert app.is_running
        assert app.screen.search_bar.value == "Blinken q"


async def test_editing_keys_in_a_burst_keep_their_place(library_copy: Path) -> None:
    """Backspace or ctrl+u typed in one burst with letters edit what came before them."""
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await _search_blinken(app, pilot)
        _burst(app, ("ctrl+u", None), ("y", "y"), ("a", "a"), ("n", "n"), ("backspace", None))
        _burst(app, ("g", "g"), ("left", None), ("left", None), ("delete", None), ("x", "x"))
        await wait_for(pilot, lambda: app.screen.search_bar.value == "yxg")
        await settle(pilot)
        assert app.screen.search_bar.value == "yxg"


async def test_keys_after_enter_in_a_burst_reach_the_results(library_copy: Path) -> None:
    """Enter in the search bar moves to the results at once; a j in the same burst moves there."""
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await _search_blinken(app, pilot)
        _burst(app, ("enter", None), ("j", "j"))
        await wait_for(pilot, lambda: app.screen.results.highlighted == 1)
        assert app.screen.search_bar.value == "Blinken"
        assert isinstance(app.focused, ResultsList)


async def test_slash_a_word_and_enter_in_one_burst_search_for_the_word(
    library_copy: Path,
) -> None:
    """The whole of '/word<enter>' in one packet searches for the word and shows the results."""

    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        _burst(app, ("slash", "/"), *[(c.lower(), c) for c in "Blinken"], ("enter", None))
        await wait_for(pilot, lambda: app.screen.results_pane.is_current("Blinken"))
        await settle(pilot)
        assert app.screen.search_bar.value == "Blinken"
        assert app.screen.results.total == 2
        assert isinstance(app.focused, ResultsList)

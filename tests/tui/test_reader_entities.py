"""Pilot tests of the reader's entity features on the real seed library.

Curation (merge, hide, rename, undo), the entity browser, the entity page and
the facets of the results. Every wait is on workers and on what the screen
shows, never on time.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.widgets import Sparkline

from index.library.facade import Library
from tests.helpers.library import build_library
from tests.helpers.reader import (
    BLINKEN,
    move_cursor_to,
    open_result,
    reader,
    screen_text,
    search,
    settle,
    wait_for,
)
from tui.screens.entity_browser import EntityBrowser
from tui.screens.entity_finder import EntityFinder
from tui.screens.entity_screen import EntityScreen
from tui.screens.help_screen import HelpScreen
from tui.screens.reader_screen import ReaderScreen
from tui.screens.rename_dialog import RenameDialog

pytestmark = pytest.mark.slow

BIDEN = "PERSON:biden"
JOE_BIDEN = "PERSON:joe biden"
SPUTNIK = "PERSON:sputnik"
WANG_YI = "PERSON:wang yi"


@pytest.fixture()
def ids(library_copy: Path) -> dict[str, str]:
    """The seed article ids: 'dated' (2023-05-18, the first result) and 'undated'."""
    with Library.open(library_copy) as lib:
        hits = lib.newest().hits
    assert [hit.date for hit in hits] == ["2023-05-18", None]
    return {"dated": hits[0].id, "undated": hits[1].id}


def aliases(library: Path) -> dict:
    """The library's aliases.toml, parsed ({} when there is none)."""
    path = library / "aliases.toml"
    return tomllib.loads(path.read_text("utf-8")) if path.exists() else {}


def notices(app) -> list[str]:
    """The notifications shown so far."""
    return [notification.message for notification in app._notifications]


async def open_page(pilot, key: str) -> EntityScreen:
    """From the dated article, open the entity page of ``key`` with enter."""
    await open_result(pilot, 0)
    await move_cursor_to(pilot, key)
    await pilot.press("enter")
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, EntityScreen) and app.screen.loaded)
    await settle(pilot)
    return app.screen


# ---------------------------------------------------------------------- curation


async def test_hide_the_entity_under_the_cursor_then_undo(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_result(pilot, 0)
        await move_cursor_to(pilot, SPUTNIK)
        body = app.screen.pane.body
        span = body.cursor_entity
        start, end = body._doc_range(span.start, span.end)
        await pilot.press("H")
        await wait_for(
            pilot, lambda: body.entities and all(s.key != SPUTNIK for s in body.entities)
        )
        await settle(pilot)
        # Its highlight is gone: no style covers the word in the article any more.
        assert body._document[start:end] == "Sputnik"
        assert not [s for s in body._base.spans if s.start < end and s.end > start]
        assert aliases(library_copy)["hide"] == ["Sputnik"]
        assert any(n.startswith("hid Sputnik") for n in notices(app))
        # The cursor moved on to the next entity, and the panel follows it.
        assert body.cursor_entity is not None and body.cursor_entity.start >= span.end

        # Not in the entity browser, unless hidden ones are asked for.
        await pilot.press("E")
        browser = app.screen
        assert isinstance(browser, EntityBrowser)
        await wait_for(pilot, lambda: browser.loaded)
        await pilot.press(*"sputnik")
        await wait_for(
            pilot,
            lambda: (
                browser.contains == "sputnik"
                and browser.loaded
                and not browser.entity_list.entities
            ),
        )
        await pilot.press("down", "x")
        await wait_for(pilot, lambda: [e.key for e in browser.entity_list.entities] == [SPUTNIK])
        assert browser.entity_list.entities[0].hidden
        assert "Sputnik (hidden)" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)

        # Undo brings it back, and the file as it was (there was none).
        await pilot.press("u")
        await wait_for(pilot, lambda: any(s.key == SPUTNIK for s in body.entities))
        assert not (library_copy / "aliases.toml").exists()
        assert any(n.startswith("undone: hid Sputnik") for n in notices(app))
        await pilot.press("u")
        await settle(pilot)
        assert "nothing to undo" in notices(app)


async def test_curation_keys_need_an_entity(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("H", "M", "R")  # on the results list: no entity under a cursor
        await settle(pilot)
        assert notices(app).count("no entity here") == 3
        assert isinstance(app.screen, ReaderScreen)
        await open_result(pilot, 0)
        assert app.screen.pane.body.cursor is None
        await pilot.press("H")
        await settle(pilot)
        assert notices(app).count("no entity here") == 4
        assert not (library_copy / "aliases.toml").exists()


async def test_merge_into_an_entity_picked_by_typing(library_copy: Path, ids: dict) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_result(pilot, 0)
        await move_cursor_to(pilot, BIDEN)
        body, panel = app.screen.pane.body, app.screen.pane.panel
        await wait_for(pilot, lambda: "no mentions in other articles" in screen_text(app))
        await pilot.press("M")
        finder = app.screen
        assert isinstance(finder, EntityFinder)
        await wait_for(pilot, lambda: finder.loaded)
        assert BIDEN not in [e.key for e in finder.entities]  # not into itself
        await pilot.press(*"joe")
        await wait_for(pilot, lambda: [e.key for e in finder.entities] == [JOE_BIDEN])
        assert "Joe Biden" in screen_text(app) and "Biden ×1" in screen_text(app)
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: body.cursor_entity is not None and body.cursor_entity.key == JOE_BIDEN
        )
        await wait_for(pilot, lambda: panel.mention_list.mentions)
        await settle(pilot)
        # The panel lists the merged entity's mentions in the other article.
        mentions = panel.mention_list.mentions
        assert {m.key for m in mentions} == {JOE_BIDEN}
        assert {m.article_id for m in mentions} == {ids["undated"]}
        shown = screen_text(app)
        assert "Joe Biden  person" in shown and "4 mentions in 2 articles" in shown
        assert "merged Biden [PERSON:biden] into Joe Biden [PERSON:joe biden]" in notices(app)
        assert aliases(library_copy)["merge"] == {"Biden": "Joe Biden"}
        # The two mentions of "Biden" in this article now belong to Joe Biden.
        assert [s.text for s in body.entities if s.key == JOE_BIDEN] == ["Biden", "Biden"]

        await pilot.press("ctrl+z")
        await wait_for(
            pilot, lambda: body.cursor_entity is not None and body.cursor_entity.key == BIDEN
        )
        assert aliases(library_copy) == {}


async def test_merge_picker_can_be_cancelled(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_result(pilot, 0)
        await move_cursor_to(pilot, BIDEN)
        await pilot.press("M")
        await wait_for(pilot, lambda: isinstance(app.screen, EntityFinder) and app.screen.loaded)
        await pilot.press(*"nobody by that name")
        finder = app.screen
        await wait_for(pilot, lambda: not finder.entities)
        await pilot.press("enter")  # nothing to pick: stays open
        assert app.screen is finder
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert not (library_copy / "aliases.toml").exists()


async def test_rename_shows_the_new_name(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_result(pilot, 0)
        await move_cursor_to(pilot, BLINKEN)
        await wait_for(pilot, lambda: "Antony Blinken  person" in screen_text(app))
        await pilot.press("R")
        dialog = app.screen
        assert isinstance(dialog, RenameDialog)
        await settle(pilot)
        assert "Antony Blinken" in screen_text(app)  # prefilled
        await pilot.press("ctrl+u", *"Tony Blinken", "enter")
        await wait_for(pilot, lambda: "Tony Blinken  person" in screen_text(app))
        assert app.screen.pane.body.cursor_entity.name == "Tony Blinken"
        assert aliases(library_copy)["rename"] == {"Antony Blinken": "Tony Blinken"}
        page = await open_page_from_cursor(pilot)
        assert "Tony Blinken" in screen_text(app)
        assert page.page.entity.name == "Tony Blinken"
        # Undo on the page: the page and the reader below show the old name again.
        await pilot.press("u")
        await wait_for(pilot, lambda: page.page.entity.name == "Antony Blinken")
        await pilot.press("escape")
        await wait_for(pilot, lambda: "Antony Blinken  person" in screen_text(app))


async def open_page_from_cursor(pilot) -> EntityScreen:
    """Press enter on the entity under the cursor and wait for its page."""
    app = pilot.app
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, EntityScreen) and app.screen.loaded)
    await settle(pilot)
    return app.screen


async def test_a_broken_aliases_file_is_reported_never_fatal(library_copy: Path) -> None:
    (library_copy / "aliases.toml").write_text("hide = 3\n", "utf-8")
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert any("'hide' must be a list" in n for n in notices(app))
        await open_result(pilot, 0)
        await move_cursor_to(pilot, SPUTNIK)
        await pilot.press("H")
        await wait_for(pilot, lambda: any(n.startswith("hide: ") for n in notices(app)))
        assert app.is_running
        assert any(s.key == SPUTNIK for s in app.screen.pane.body.entities)
        assert not app.curation_undo
        assert all("\n" not in n for n in notices(app))


# ---------------------------------------------------------------------- browser


async def test_entity_browser_filters_sorts_and_opens(library_copy: Path) -> None:
    with Library.open(library_copy) as lib:
        every = lib.entities(limit=1000)
        by_name = [e.key for e in lib.entities(limit=1000, sort="name")]
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("E")
        browser = app.screen
        assert isinstance(browser, EntityBrowser)
        listing = browser.entity_list
        await wait_for(pilot, lambda: browser.loaded)
        assert [e.key for e in listing.entities] == [e.key for e in every]
        shown = screen_text(app)
        assert "Antony Blinken" in shown and "Blinken ×3" in shown and "US ×26" in shown
        assert f"{len(every)} entities · kind: all · sort: articles" in shown

        # Type to filter (name or alias).
        await pilot.press(*"bid")
        await wait_for(pilot, lambda: {e.key for e in listing.entities} == {BIDEN, JOE_BIDEN})
        # down moves to the list; t picks the next kind.
        await pilot.press("down")
        assert listing.has_focus
        await pilot.press("slash", "ctrl+u", "down", "t")
        await wait_for(
            pilot, lambda: browser.kind == 1 and listing.entities and browser.contains == ""
        )
        await settle(pilot)
        assert {e.label for e in listing.entities} == {"PERSON"}
        assert "kind: people" in screen_text(app)
        await pilot.press("t", "t")  # organisations, then places
        await settle(pilot)
        assert {e.label for e in listing.entities} <= {"GPE", "LOC", "FAC"}
        assert "GPE:united states" in [e.key for e in listing.entities]
        await pilot.press("t", "t")  # other, then all again
        await settle(pilot)
        assert browser.kind == 0 and len(listing.entities) == len(every)

        # s cycles the order: mentions, then name.
        await pilot.press("s")
        await settle(pilot)
        counts = [e.mentions for e in listing.entities]
        assert counts == sorted(counts, reverse=True) and browser.sort == "mentions"
        await pilot.press("s")
        await settle(pilot)
        assert [e.key for e in listing.entities] == by_name
        assert "sort: name" in screen_text(app)

        # enter opens the highlighted entity's page; escape comes back.
        await pilot.press("g", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EntityScreen) and app.screen.loaded)
        assert app.screen.key == by_name[0]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is browser
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)


async def test_entity_browser_loads_page_by_page(library_copy: Path, monkeypatch) -> None:
    import tui.screens.entity_browser as entity_browser

    monkeypatch.setattr(entity_browser, "PAGE", 10)
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        calls: list[tuple[int, int]] = []
        entities = app.library.entities

        def recording(**kwargs):
            calls.append((kwargs["offset"], kwargs["limit"]))
            return entities(**kwargs)

        monkeypatch.setattr(app.library, "entities", recording)
        await pilot.press("E")
        browser = app.screen
        await wait_for(pilot, lambda: browser.loaded)
        total = len(entities(limit=1000))
        listing = browser.entity_list
        await pilot.press("down")
        for _ in range(10):
            if listing.done:
                break
            await pilot.press("G")
            await settle(pilot)
        assert listing.done and len(listing.entities) == total
        assert len({e.key for e in listing.entities}) == total
        assert all(limit <= 11 for _, limit in calls)  # never everything at once
        assert [offset for offset, _ in calls] == list(range(0, 10 * len(calls), 10))


# ---------------------------------------------------------------------- entity page


async def test_entity_page_shows_aliases_timeline_company_and_mentions(
    library_copy: Path, ids: dict
) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        page = await open_page(pilot, BLINKEN)
        shown = screen_text(app)
        assert "Antony Blinken  person  PERSON:antony blinken" in shown
        assert "7 mentions in 2 articles" in shown
        assert "Written as: Antony Blinken ×4, Blinken ×3" in shown
        # One dated month: a sparkline of one bar, and the undated mentions said.
        spark = page.query_one(Sparkline)
        assert spark.display and list(spark.data) == [3.0]
        assert "2023-05" in shown and "3 dated mentions, 4 undated" in shown
        # Appears with: the entities sharing its sentences.
        company = [item.entity.key for item in page.cooccurring.items]
        assert WANG_YI in company and "GPE:united states" in company
        assert "Wang Yi  person" in shown or "United States  place" in shown
        # Every mention, newest first.
        mentions = page.mention_list.mentions
        assert len(mentions) == 7 and {m.key for m in mentions} == {BLINKEN}
        assert "Mentions (7)" in shown

        # enter on a mention opens the article there, in the reader.
        last = mentions[-1]
        assert page.mention_list.has_focus
        await pilot.press("G", "enter")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, ReaderScreen)
                and app.screen.pane.body.article_id == last.article_id
            ),
        )
        await settle(pilot)
        body = app.screen.pane.body
        assert last.article_id == ids["undated"]
        assert body.cursor_entity is not None and body.cursor_entity.start == last.start
        first, end = body._visible_body_range()
        assert first <= last.start <= end

        # enter on an "appears with" entity opens its page; escape comes back.
        assert body.cursor_entity.key == BLINKEN
        page = await open_page_from_cursor(pilot)
        index = [item.entity.key for item in page.cooccurring.items].index(WANG_YI)
        await pilot.press("tab")
        assert page.cooccurring.has_focus
        await pilot.press("g", *["j"] * index, "enter")
        await wait_for(pilot, lambda: app.screen is not page and app.screen.loaded)
        assert app.screen.key == WANG_YI
        assert "Wang Yi  person" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is page
        # o: the reader searches for the entity's articles.
        await pilot.press("o")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, ReaderScreen)
                and app.screen.results_pane.is_current(f'entity:"{BLINKEN}"')
            ),
        )
        assert app.screen.search_bar.value == f'entity:"{BLINKEN}"'
        assert app.screen.results.total == 2


async def test_entity_page_without_dated_mentions(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.open_entity_page(JOE_BIDEN)  # only in the undated article
        await wait_for(pilot, lambda: isinstance(app.screen, EntityScreen) and app.screen.loaded)
        await settle(pilot)
        assert not app.screen.query_one(Sparkline).display
        assert "No dated mentions; 2 undated" in screen_text(app)
        app.screen.dismiss()
        await settle(pilot)
        app.screen.open_entity_page("PERSON:nobody at all")
        await wait_for(pilot, lambda: isinstance(app.screen, EntityScreen) and app.screen.loaded)
        await settle(pilot)
        assert "No entity PERSON:nobody at all in this library" in screen_text(app)
        await pilot.press("H")
        await settle(pilot)
        assert "no entity here" in notices(app)


async def test_entity_page_timeline_over_several_months(library_copy: Path, tmp_path: Path) -> None:
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
    report = build_library(library_copy, more)
    assert not report.errors and report.articles_added == 2
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.open_entity_page(BLINKEN)
        await wait_for(pilot, lambda: isinstance(app.screen, EntityScreen) and app.screen.loaded)
        await settle(pilot)
        page = app.screen
        months = [month for month, _ in page.page.timeline]
        assert months == ["2023-01", "2023-02", "2023-03", "2023-04", "2023-05"]
        spark = page.query_one(Sparkline)
        assert list(spark.data) == [1.0, 0.0, 2.0, 0.0, 3.0]
        line = next(row for row in screen_text(app).splitlines() if "2023-01" in row)
        assert "2023-05" in line and "most in 2023-05 (3)" in line and "4 undated" in line
        assert line.index("2023-01") < line.index("2023-05")


# ---------------------------------------------------------------------- facets


async def test_facets_narrow_the_search(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        facets = screen.results_pane.facets
        await search(pilot, "Blinken")
        await wait_for(pilot, lambda: facets.query == "Blinken" and facets.facet_list.facets)
        keys = [facet.entity.key for facet in facets.facet_list.facets]
        assert WANG_YI in keys
        assert "Entities in these results" in screen_text(app)
        assert "Wang Yi person" in screen_text(app)

        await pilot.press("enter", "F")  # from the search bar to the results, then the facets
        assert facets.facet_list.has_focus
        await pilot.press("g", *["j"] * keys.index(WANG_YI), "enter")
        query = f'Blinken entity:"{WANG_YI}"'
        await wait_for(pilot, lambda: screen.results_pane.is_current(query))
        assert screen.search_bar.value == query
        assert screen.results.total == 1
        assert screen.results.has_focus
        # The facets follow the new results and leave out the entity the query names.
        await wait_for(pilot, lambda: facets.query == query)
        assert WANG_YI not in [facet.entity.key for facet in facets.facet_list.facets]

        # Back returns to the search before narrowing.
        await pilot.press("backspace")
        await wait_for(pilot, lambda: screen.results_pane.is_current("Blinken"))
        assert screen.search_bar.value == "Blinken"

        # i on a facet opens the entity's page; escape leaves the facets.
        await pilot.press("F", "g", "i")
        await wait_for(pilot, lambda: isinstance(app.screen, EntityScreen) and app.screen.loaded)
        assert app.screen.key == keys[0]
        await pilot.press("escape")
        await settle(pilot)
        assert facets.facet_list.has_focus
        await pilot.press("escape")
        assert screen.results.has_focus


async def test_facets_cover_the_results_when_narrow(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        screen = app.screen
        facets = screen.results_pane.facets
        await wait_for(pilot, lambda: facets.facet_list.facets)
        assert "Entities in the newest articles" not in screen_text(app)  # no room beside
        await pilot.press("F")
        await settle(pilot)
        assert facets.facet_list.has_focus
        shown = screen_text(app)
        assert "Entities in the newest articles" in shown and "United States place" in shown
        assert "Amid the declining" not in shown
        await pilot.press("escape")
        await settle(pilot)
        assert screen.results.has_focus
        assert "Amid the declining" in screen_text(app)
        # Choosing one narrows and closes the overlay.
        key = facets.facet_list.facets[0].entity.key
        await pilot.press("F", "enter")
        await wait_for(pilot, lambda: screen.results_pane.is_current(f'entity:"{key}"'))
        assert not screen.results_pane.has_class("-facets-open")
        assert screen.results.has_focus


async def test_curation_from_a_facet_updates_the_facets(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        facets = app.screen.results_pane.facets
        await wait_for(pilot, lambda: facets.facet_list.facets)
        top = facets.facet_list.facets[0].entity
        await pilot.press("F", "g", "H")
        await wait_for(
            pilot,
            lambda: facets.facet_list.facets and facets.facet_list.facets[0].entity.key != top.key,
        )
        assert top.key not in [facet.entity.key for facet in facets.facet_list.facets]
        assert [name.casefold() for name in aliases(library_copy)["hide"]] == [top.name.casefold()]


# ---------------------------------------------------------------------- help


async def test_help_lists_the_entity_bindings(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.render_table().plain
        for binding_id in (
            "entity.merge",
            "entity.hide",
            "entity.rename",
            "curation.undo",
            "entities.browse",
            "entity.open",
            "facets.focus",
            "facets.narrow",
            "facets.open",
            "browser.sort",
            "browser.kind",
            "page.search",
        ):
            assert binding_id in table
        assert table.count("entity.merge") == 1
        history_row = next(line for line in table.splitlines() if "history.back" in line)
        assert "H" not in history_row.split("Back")[0]


async def test_curation_on_the_entity_page(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.open_entity_page(BIDEN)
        await wait_for(pilot, lambda: isinstance(app.screen, EntityScreen) and app.screen.loaded)
        page = app.screen
        # H hides the page's entity, and H again shows it.
        await pilot.press("H")
        await wait_for(pilot, lambda: page.page.entity.hidden)
        assert "hidden (H shows it again)" in screen_text(app)
        await pilot.press("H")
        await wait_for(pilot, lambda: not page.page.entity.hidden)
        assert aliases(library_copy)["hide"] == []
        # Merged into another entity, the page follows it there.
        await pilot.press("M", *"joe")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, EntityFinder)
                and [e.key for e in app.screen.entities] == [JOE_BIDEN]
            ),
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: page.key == JOE_BIDEN and page.loaded)
        await settle(pilot)
        assert "4 mentions in 2 articles" in screen_text(app)
        assert len(page.mention_list.mentions) == 4
        assert len(app.curation_undo) == 3
        # Undo, three times: back to no file at all.
        await pilot.press("u", "u", "u")
        await wait_for(
            pilot, lambda: not app.curation_undo and not (library_copy / "aliases.toml").exists()
        )
        # The page stays on the entity it followed, now on its own again.
        await wait_for(pilot, lambda: page.page is not None and page.page.entity.mentions == 2)
        assert page.key == JOE_BIDEN


async def test_merge_typed_faster_than_the_lookup(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_result(pilot, 0)
        await move_cursor_to(pilot, BIDEN)
        # Typed and entered at once: the pick waits for the answer to "joe".
        await pilot.press("M", *"joe", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        body = app.screen.pane.body
        await wait_for(pilot, lambda: body.cursor_entity.key == JOE_BIDEN)
        assert aliases(library_copy)["merge"] == {"Biden": "Joe Biden"}


async def test_entity_keys_can_be_remapped(library_copy: Path) -> None:
    app = reader(library_copy, keys={"entities.browse": "B", "entity.hide": "X"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert not [n for n in notices(app) if "unknown binding id" in n]
        await pilot.press("B")
        await wait_for(pilot, lambda: isinstance(app.screen, EntityBrowser) and app.screen.loaded)
        await pilot.press("down", "X")
        await wait_for(pilot, lambda: (library_copy / "aliases.toml").exists())
        assert aliases(library_copy)["hide"]


async def test_kinds_are_named_in_plain_words(library_copy: Path) -> None:
    app = reader(library_copy)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await open_result(pilot, 0)
        await move_cursor_to(pilot, BLINKEN)
        await wait_for(pilot, lambda: "Antony Blinken  person" in screen_text(app))
        shown = screen_text(app)
        legend = next(line for line in shown.splitlines() if "Kinds:" in line)
        assert "person" in legend and "place" in legend and "organisation" in legend
        for code in ("PERSON", "GPE", "NORP", "ORG"):
            assert code not in legend

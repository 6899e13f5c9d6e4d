"""The reader's entity features: pages, the browser, facets and curation refreshes."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from textual.binding import Binding, BindingType

from index.models import Entity
from tui.screens.curation_screen import CurationScreen
from tui.widgets.facet_list import FacetList

if TYPE_CHECKING:  # pragma: no cover
    from tui.widgets.article_pane import ArticlePane
    from tui.widgets.results_list import ResultsList
    from tui.widgets.results_pane import ResultsPane

__all__ = ["ReaderEntities"]


class ReaderEntities(CurationScreen):
    """The part of the reader screen about entities (the reader screen derives from it).

    It opens entity pages (``enter`` on the entity under the article cursor,
    ``i`` on a facet) and the entity browser (``E``), focuses the entities of
    the results (``F``; on narrow terminals they cover the results while
    focused) and narrows the search by one, and tells the curation keys which
    entity is current: the one under the article cursor, or the highlighted
    facet. After a curation edit the open article, its mentions panel, the
    facets and (when the query names entities) the results reload.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("E", "browse_entities", "All entities", id="entities.browse"),
        Binding("F", "focus_facets", "Facets", id="facets.focus"),
    ]

    # Provided by the reader screen.
    view: Literal["results", "article"]
    pane: ArticlePane
    results: ResultsList
    results_pane: ResultsPane

    def narrow_to(self, key: str, *, keep_query: bool = True) -> None:
        """Search for the articles with an entity (the reader screen implements it).

        Args:
            key: The entity key.
            keep_query: Add ``entity:"KEY"`` to the current query rather than
                start a new one.
        """
        raise NotImplementedError

    def reload_article(self) -> None:
        """Load the open article again, keeping the position (the reader implements it)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ curation hooks

    def curation_target(self) -> Entity | None:
        """Return the entity under the article cursor, or the highlighted facet.

        Returns:
            The entity, or None.
        """
        if self.view == "article":
            span = self.pane.body.cursor_entity
            if span is None:
                return None
            return Entity(key=span.key, name=span.name or span.text, label=span.label)
        facet_list = self.results_pane.facets.facet_list
        return facet_list.current_entity if facet_list.has_focus else None

    def refresh_entities(self) -> None:
        """Reload the article, its panel, the facets and entity-based results."""
        if self.pane.body.article_id is not None:
            self.reload_article()
        self.results_pane.refresh_entities()

    # ------------------------------------------------------------------ pages

    def open_entity_page(self, key: str) -> None:
        """Open an entity's page.

        Args:
            key: The entity key.
        """
        from tui.screens.entity_screen import EntityScreen

        self.app.push_screen(EntityScreen(key))

    def action_open_entity(self) -> None:
        """Open the page of the entity under the article cursor."""
        span = self.pane.body.cursor_entity
        if span is None:
            self.app.bell()
            self.notify("no entity here (n / N select one)", markup=False)
            return
        self.open_entity_page(span.key)

    def action_browse_entities(self) -> None:
        """Open the entity browser."""
        from tui.screens.entity_browser import EntityBrowser

        self.app.push_screen(EntityBrowser())

    # ------------------------------------------------------------------ facets

    def action_focus_facets(self) -> None:
        """Focus the entities of the results (covering the results when narrow)."""
        facets = self.results_pane.facets
        if not facets.facet_list.facets:
            self.app.bell()
            self.notify("no entities in these results", markup=False)
            return
        if self.has_class("-narrow"):
            self.results_pane.add_class("-facets-open")
        facets.facet_list.focus()

    def close_facets(self) -> bool:
        """Leave the entities of the results for the results.

        Returns:
            True if they had focus (or covered the results) and no longer do.
        """
        pane = self.results_pane
        if pane.has_class("-facets-open") or pane.facets.facet_list.has_focus:
            pane.remove_class("-facets-open")
            self.results.focus()
            return True
        return False

    def on_facet_list_narrow(self, message: FacetList.Narrow) -> None:
        """Narrow the search to the entity chosen among the facets.

        Args:
            message: The choice.
        """
        message.stop()
        self.close_facets()
        self.narrow_to(message.entity.key)

    def on_facet_list_open(self, message: FacetList.Open) -> None:
        """Open the page of a facet's entity.

        Args:
            message: The choice.
        """
        message.stop()
        self.open_entity_page(message.entity.key)

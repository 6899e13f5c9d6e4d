"""The side panel of the results: the top entities among them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from index.models import Facet
from tui.widgets._render import text
from tui.widgets.facet_list import FacetList

__all__ = ["FacetsPanel"]


class FacetsPanel(Vertical):
    """A title ("In these results") over the :class:`FacetList`.

    Attributes:
        query: The query the facets shown belong to (None before the first).
    """

    DEFAULT_CSS = """
    FacetsPanel {
        height: 1fr;
        & > #facets-header { height: auto; padding: 0 1; }
        & > FacetList { height: 1fr; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        """Create the panel.

        Args:
            id: The widget id.
        """
        super().__init__(id=id)
        self.query: str | None = None

    def compose(self) -> ComposeResult:
        """Create the title and the list.

        Yields:
            The panel's widgets.
        """
        yield Static(text("Entities: loading…", "dim"), id="facets-header")
        yield FacetList(id="facet-list")

    @property
    def facet_list(self) -> FacetList:
        """The list of entities."""
        return self.query_one(FacetList)

    def show_facets(self, query: str, facets: list[Facet], *, sample: int, total: int) -> None:
        """Show the entities of a query's results.

        Args:
            query: The query.
            facets: The entities, most results first.
            sample: How many of the best results were looked at.
            total: How many results the query has.
        """
        self.query = query
        if not facets:
            title = "No entities in these results"
        elif not query.strip():
            title = "Entities in the newest articles"
        elif total > sample:
            title = f"Entities in the best {sample} results"
        else:
            title = "Entities in these results"
        self.query_one("#facets-header", Static).update(text(title, "bold"))
        self.facet_list.set_facets(facets)

"""The top entities among the current results: choose one to narrow the search."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message

from index.models import Entity, Facet
from tui.widgets._render import fit, kind_name, kind_style, text
from tui.widgets.paged_list import PagedList

__all__ = ["FacetList"]


class FacetList(PagedList[Facet]):
    """Entities with how many of the results mention them, most first (filled at once).

    ``enter`` (or a click) posts :class:`FacetList.Narrow`; ``i`` posts
    :class:`FacetList.Open` (the entity's page).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Narrow to entity", id="facets.narrow"),
        Binding("i", "open", "Entity page", id="facets.open"),
    ]

    @dataclass
    class Narrow(Message):
        """Narrow the search to an entity.

        Attributes:
            entity: The entity.
        """

        entity: Entity

    @dataclass
    class Open(Message):
        """Open an entity's page.

        Attributes:
            entity: The entity.
        """

        entity: Entity

    @property
    def facets(self) -> list[Facet]:
        """The entities listed with their counts, most results first."""
        return self.items

    @property
    def current_entity(self) -> Entity | None:
        """The highlighted entity, or None."""
        facet = self.current
        return facet.entity if facet is not None else None

    @staticmethod
    def prompt(facet: Facet, width: int) -> Content:
        """Build one entry.

        Args:
            facet: The entity and its count.
            width: Cells for the count.

        Returns:
            ``count  name KIND``, the name in its kind's style.
        """
        entity = facet.entity
        return Content.assemble(
            text(fit(str(facet.articles), width, right=True), "dim"),
            " ",
            text(entity.name or entity.key, kind_style(entity.label)),
            " ",
            text(kind_name(entity.label), "dim"),
        )

    def set_facets(self, facets: list[Facet]) -> None:
        """Show the facets, keeping the highlight where possible.

        Args:
            facets: The entities, most results first.
        """
        width = max((len(str(facet.articles)) for facet in facets), default=1)
        prompts = [self.prompt(facet, width) for facet in facets]
        self.fill(facets, prompts, highlighted=self.highlighted)

    def chosen(self, item: Facet) -> Message:
        """Choosing an entity narrows the search to it.

        Args:
            item: The facet.

        Returns:
            :class:`FacetList.Narrow`.
        """
        return self.Narrow(item.entity)

    def action_open(self) -> None:
        """Open the highlighted entity's page."""
        entity = self.current_entity
        if entity is None:
            self.app.bell()
            return
        self.post_message(self.Open(entity))

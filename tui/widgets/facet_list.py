"""The top entities among the current results: choose one to narrow the search."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from index.models import Entity, Facet
from tui.widgets._render import fit, kind_style, text
from tui.widgets.vim_option_list import VimOptionList

__all__ = ["FacetList"]


class FacetList(VimOptionList):
    """Entities with how many of the results mention them, most first.

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

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        """Create an empty list.

        Args:
            id: The widget id.
            classes: CSS classes.
        """
        super().__init__(id=id, classes=classes, markup=False)
        self.facets: list[Facet] = []

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
            text(entity.label, "dim"),
        )

    @property
    def current(self) -> Entity | None:
        """The highlighted entity, or None."""
        if self.highlighted is None or not 0 <= self.highlighted < len(self.facets):
            return None
        return self.facets[self.highlighted].entity

    def set_facets(self, facets: list[Facet]) -> None:
        """Show the facets, keeping the highlight where possible.

        Args:
            facets: The entities, most results first.
        """
        keep = self.highlighted
        self.facets = list(facets)
        self.clear_options()
        width = max((len(str(facet.articles)) for facet in self.facets), default=1)
        self.add_options(Option(self.prompt(facet, width)) for facet in self.facets)
        if self.facets:
            self.highlighted = min(keep or 0, len(self.facets) - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Turn a selection into :class:`FacetList.Narrow`.

        Args:
            event: The selection.
        """
        event.stop()
        if 0 <= event.option_index < len(self.facets):
            self.post_message(self.Narrow(self.facets[event.option_index].entity))

    def action_open(self) -> None:
        """Open the highlighted entity's page."""
        entity = self.current
        if entity is None:
            self.app.bell()
            return
        self.post_message(self.Open(entity))

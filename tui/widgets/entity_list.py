"""A lazily paged list of entities (the entity browser's list)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from index.models import Entity
from tui.widgets._render import entity_row
from tui.widgets.vim_option_list import VimOptionList

__all__ = ["EntityList"]

#: Ask for the next page when the highlight is this close to the end.
PREFETCH = 20


class EntityList(VimOptionList):
    """Entities, one line each (name, kind, articles, mentions, other names).

    Entities arrive page by page; when the highlight nears the end of what is
    loaded (and the last page was full) :class:`EntityList.NeedMore` is posted.
    """

    @dataclass
    class NeedMore(Message):
        """Load the page of entities starting at ``offset``.

        Attributes:
            offset: How many entities are loaded.
        """

        offset: int

    @dataclass
    class Chosen(Message):
        """An entity was chosen (enter or click): open its page.

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
        self.entities: list[Entity] = []
        self.done = True
        self._asked: int | None = None

    @property
    def current(self) -> Entity | None:
        """The highlighted entity, or None."""
        if self.highlighted is None or not 0 <= self.highlighted < len(self.entities):
            return None
        return self.entities[self.highlighted]

    def set_entities(
        self, entities: list[Entity], *, append: bool, done: bool, highlighted: int | None = None
    ) -> None:
        """Show a page of entities.

        Args:
            entities: The page.
            append: Add after those shown rather than replace them.
            done: True when no further page exists.
            highlighted: The entity to highlight (default: keep, or the first).
        """
        keep = self.highlighted if append else None
        if not append:
            self.entities = []
            self.clear_options()
        self.entities.extend(entities)
        self.done = done
        self._asked = None
        self.add_options(Option(entity_row(entity)) for entity in entities)
        target = highlighted if highlighted is not None else keep
        if target is None and self.entities:
            target = 0
        if target is not None and self.entities:
            self.highlighted = max(0, min(target, len(self.entities) - 1))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Ask for the next page when the highlight nears the end.

        Args:
            event: The highlight event.
        """
        loaded = len(self.entities)
        if event.option_index >= loaded - PREFETCH and not self.done and self._asked != loaded:
            self._asked = loaded
            self.post_message(self.NeedMore(loaded))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Turn a selection into :class:`EntityList.Chosen`.

        Args:
            event: The selection.
        """
        event.stop()
        if 0 <= event.option_index < len(self.entities):
            self.post_message(self.Chosen(self.entities[event.option_index]))

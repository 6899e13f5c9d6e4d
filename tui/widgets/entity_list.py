"""A lazily paged list of entities (the entity browser's list)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.message import Message

from index.models import Entity
from tui.widgets._render import entity_row
from tui.widgets.paged_list import PagedList

__all__ = ["EntityList"]


class EntityList(PagedList[Entity]):
    """Entities, one line each (name, kind, articles, mentions, other names).

    Entities arrive page by page; when the highlight nears the end of what is
    loaded (and the last page was full) :class:`PagedList.NeedMore` is posted.
    """

    PREFETCH: ClassVar[int] = 20

    @dataclass
    class Chosen(Message):
        """An entity was chosen (enter or click): open its page.

        Attributes:
            entity: The entity.
        """

        entity: Entity

    @property
    def entities(self) -> list[Entity]:
        """The entities loaded, in the list's order."""
        return self.items

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
        prompts = [entity_row(entity) for entity in entities]
        self.fill(entities, prompts, append=append, done=done, highlighted=highlighted)

    def chosen(self, item: Entity) -> Message:
        """Choosing an entity opens its page.

        Args:
            item: The entity.

        Returns:
            :class:`EntityList.Chosen`.
        """
        return self.Chosen(item)

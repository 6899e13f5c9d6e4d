"""The entities that appear with another one (on the entity page)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.message import Message

from index.models import Cooccurrence, Entity
from tui.widgets._render import kind_name, kind_style, plural, text
from tui.widgets.paged_list import PagedList

__all__ = ["CooccurrenceList"]


class CooccurrenceList(PagedList[Cooccurrence]):
    """Co-occurring entities: name and kind, then the sentences and articles shared.

    Filled at once (the page asks for a fixed number of them).
    """

    @dataclass
    class Chosen(Message):
        """An entity was chosen (enter or click): open its page.

        Attributes:
            entity: The entity.
        """

        entity: Entity

    @staticmethod
    def prompt(item: Cooccurrence) -> Content:
        """Build one entry.

        Args:
            item: The co-occurring entity.

        Returns:
            Two lines: ``name  KIND``, then ``N sentences · M articles``.
        """
        entity = item.entity
        head = Content.assemble(
            text(entity.name or entity.key, kind_style(entity.label)),
            "  ",
            text(kind_name(entity.label), "dim"),
        )
        shared = f"{plural(item.sentences, 'sentence')} · {plural(item.articles, 'article')}"
        return Content("\n").join([head, text(shared, "dim")])

    def set_items(self, items: list[Cooccurrence]) -> None:
        """Show the co-occurring entities, keeping the highlight where possible.

        Args:
            items: The entities, most shared first.
        """
        self.fill(items, [self.prompt(item) for item in items], highlighted=self.highlighted)

    def chosen(self, item: Cooccurrence) -> Message:
        """Choosing an entity opens its page.

        Args:
            item: The co-occurring entity.

        Returns:
            :class:`CooccurrenceList.Chosen`.
        """
        return self.Chosen(item.entity)

"""The entities that appear with another one (on the entity page)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from index.models import Cooccurrence, Entity
from tui.widgets._render import kind_style, plural, text
from tui.widgets.vim_option_list import VimOptionList

__all__ = ["CooccurrenceList"]


class CooccurrenceList(VimOptionList):
    """Co-occurring entities: name and kind, then the sentences and articles shared."""

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
        self.items: list[Cooccurrence] = []

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
            text(entity.label, "dim"),
        )
        shared = f"{plural(item.sentences, 'sentence')} · {plural(item.articles, 'article')}"
        return Content("\n").join([head, text(shared, "dim")])

    def set_items(self, items: list[Cooccurrence]) -> None:
        """Show the co-occurring entities, keeping the highlight where possible.

        Args:
            items: The entities, most shared first.
        """
        keep = self.highlighted
        self.items = list(items)
        self.clear_options()
        self.add_options(Option(self.prompt(item)) for item in self.items)
        if self.items:
            self.highlighted = min(keep or 0, len(self.items) - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Turn a selection into :class:`CooccurrenceList.Chosen`.

        Args:
            event: The selection.
        """
        event.stop()
        if 0 <= event.option_index < len(self.items):
            self.post_message(self.Chosen(self.items[event.option_index].entity))

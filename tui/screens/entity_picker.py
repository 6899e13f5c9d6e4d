"""The list of an article's entities, filtered as you type."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from index.models import EntitySpan
from tui.screens.filter_picker import FilterPicker
from tui.widgets._render import kind_name, kind_style, text
from tui.widgets.in_order_input import InOrderInput
from tui.widgets.option_list import ReaderOptionList

__all__ = ["EntityPicker"]


class EntityPicker(FilterPicker[EntitySpan]):
    """Pick one of the article's entities; dismisses with its first mention (or None).

    Each entity is listed once with its kind and how often it occurs in the
    article. Typing filters by name or kind; ``up``/``down`` move; ``enter``
    picks; ``escape`` cancels.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", id="entities.close"),
        Binding("down", "move(1)", "Down", show=False, id="entities.down"),
        Binding("up", "move(-1)", "Up", show=False, id="entities.up"),
    ]

    def __init__(self, entities: list[EntitySpan]) -> None:
        """Create the picker.

        Args:
            entities: The article's entity spans, sorted by position.
        """
        super().__init__()
        firsts: dict[str, EntitySpan] = {}
        counts: dict[str, int] = {}
        for span in entities:
            firsts.setdefault(span.key, span)
            counts[span.key] = counts.get(span.key, 0) + 1
        self._entries = [(span, counts[key]) for key, span in firsts.items()]
        self._shown: list[EntitySpan] = []

    def compose(self) -> ComposeResult:
        """Create the filter input and the list.

        Yields:
            The dialog.
        """
        with Vertical(id="picker"):
            yield InOrderInput(placeholder="Type to filter entities", id="picker-filter")
            yield ReaderOptionList(id="picker-list", markup=False)

    def on_mount(self) -> None:
        """Fill the list and focus the filter."""
        self.query_one("#picker", Vertical).border_title = "Entities in this article"
        self._fill("")
        self.query_one(Input).focus()

    @staticmethod
    def _prompt(span: EntitySpan, count: int) -> Content:
        """Build one entry.

        Args:
            span: The entity's first mention.
            count: Mentions in the article.

        Returns:
            ``name  KIND  ×count``.
        """
        return Content.assemble(
            text(span.name or span.text, kind_style(span.label)),
            "  ",
            text(kind_name(span.label), "dim"),
            "  ",
            text(f"×{count}", "dim"),
        )

    def _fill(self, needle: str) -> None:
        """Show the entities matching a filter.

        Args:
            needle: Text to look for in the name, the surface text or the kind.
        """
        needle = needle.casefold().strip()
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        self._shown = []
        options = []
        for span, count in self._entries:
            haystack = f"{span.name} {span.text} {span.label} {kind_name(span.label)}".casefold()
            if not needle or needle in haystack:
                self._shown.append(span)
                options.append(Option(self._prompt(span, count)))
        option_list.add_options(options)
        if options:
            option_list.highlighted = 0

    @on(Input.Changed)
    def _filter(self, event: Input.Changed) -> None:
        """Refilter as the user types.

        Args:
            event: The change.
        """
        self._fill(event.value)

    @on(Input.Submitted)
    def _submit(self) -> None:
        """Pick the highlighted entity."""
        self._pick(self.query_one(OptionList).highlighted)

    def choices(self) -> list[EntitySpan]:
        """The spans listed, in the list's order."""
        return self._shown

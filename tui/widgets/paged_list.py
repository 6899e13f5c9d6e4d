"""What the reader's item lists share: vi-style keys, items that arrive a page at a time."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.widgets.option_list import ReaderOptionList

__all__ = ["PagedList"]

T = TypeVar("T")


class PagedList(ReaderOptionList, Generic[T]):
    """An option list with one entry per item, filled a page at a time.

    Besides the arrow, home/end and page keys of :class:`OptionList`, it moves
    with ``j``/``k``, ``g``/``G`` and ``ctrl+d``/``ctrl+u``; these bindings
    carry ids (``list.*``) so a keymap can change them.

    :meth:`fill` replaces the items or appends a page to them and places the
    highlight. A list with a :attr:`PREFETCH` posts :class:`PagedList.NeedMore`
    when the highlight comes that close to the end of what is loaded and a
    further page exists (once per page). A list that turns a selection into
    its own message says which in :meth:`chosen`.

    Attributes:
        items: The items listed, in the list's order.
        done: True when no further page exists.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k", "cursor_up", "Up", show=False, id="list.up"),
        Binding("g", "first", "First", show=False, id="list.top"),
        Binding("G", "last", "Last", show=False, id="list.bottom"),
        Binding("ctrl+d", "half_page(1)", "Half page down", show=False, id="list.half_page_down"),
        Binding("ctrl+u", "half_page(-1)", "Half page up", show=False, id="list.half_page_up"),
        Binding("enter", "select", "Open", id="list.select"),
    ]

    #: Ask for the next page when the highlight is this close to the end (0: never ask).
    PREFETCH: ClassVar[int] = 0

    @dataclass
    class NeedMore(Message):
        """The highlight is near the end: load the page starting at ``offset``.

        Attributes:
            offset: How many items are loaded.
        """

        offset: int

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        """Create an empty list.

        Args:
            id: The widget id.
            classes: CSS classes.
        """
        super().__init__(id=id, classes=classes, markup=False)
        self.items: list[T] = []
        self.done = True
        self._asked: int | None = None

    @property
    def current(self) -> T | None:
        """The highlighted item, or None."""
        if self.highlighted is None or not 0 <= self.highlighted < len(self.items):
            return None
        return self.items[self.highlighted]

    def fill(
        self,
        items: Sequence[T],
        prompts: Iterable[Content],
        *,
        append: bool = False,
        done: bool = True,
        highlighted: int | None = None,
    ) -> None:
        """Show items: replace those listed, or add a page after them.

        Args:
            items: The items.
            prompts: Their entries, one per item, in the same order.
            append: Add them after the items listed (a further page).
            done: True when no further page exists.
            highlighted: The item to highlight (default: keep when appending, else the first).
        """
        keep = self.highlighted if append else None
        options = [Option(prompt) for prompt in prompts]
        if not append:
            self.items = []
        self.items.extend(items)
        self.done = done
        self._asked = None
        if append:
            self.add_options(options)
        elif options:
            # In one step: emptying the list first hides its scrollbar, and the
            # new rows would be measured one cell wider than they are shown.
            self.set_options(options)
        else:
            self.clear_options()
        target = highlighted if highlighted is not None else keep
        if target is None and self.items:
            target = 0
        if target is not None and self.items:
            self.highlighted = max(0, min(target, len(self.items) - 1))

    def action_half_page(self, direction: int) -> None:
        """Move the highlight by about half the visible height.

        Args:
            direction: 1 for down, -1 for up.
        """
        if not self.option_count:
            return
        current = self.highlighted if self.highlighted is not None else 0
        # Options may span several lines; estimate from the average height.
        lines = max(1, self.virtual_size.height)
        per_option = max(1, lines // max(1, self.option_count))
        step = max(1, (self.size.height // 2) // per_option)
        self.highlighted = max(0, min(self.option_count - 1, current + direction * step))

    def chosen(self, item: T) -> Message | None:
        """The message that choosing an item (enter or a click) posts instead of the selection.

        Args:
            item: The item chosen.

        Returns:
            The message, or None to let :class:`OptionList.OptionSelected` bubble on.
        """
        return None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Ask for the next page when the highlight nears the end.

        Args:
            event: The highlight event.
        """
        loaded = len(self.items)
        if (
            self.PREFETCH
            and event.option_index >= loaded - self.PREFETCH
            and not self.done
            and self._asked != loaded
        ):
            self._asked = loaded
            self.post_message(self.NeedMore(loaded))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Turn a selection into the list's own message (see :meth:`chosen`).

        Args:
            event: The selection.
        """
        if 0 <= event.option_index < len(self.items):
            message = self.chosen(self.items[event.option_index])
            if message is not None:
                event.stop()
                self.post_message(message)

"""The search box at the top of the reader."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from tui.widgets.in_order_input import InOrderInput

__all__ = ["SearchBar"]


class SearchBar(InOrderInput):
    """The query input: typing searches as you type (the screen debounces it)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "screen.focus_results", "To results", id="search.to_results"),
        # The screen acts at once (searches, moves the focus to the results), so
        # keys typed right after enter in the same burst reach the results.
        Binding("enter", "screen.submit_search", "Search", show=False, id="search.submit"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        """Create the search box.

        Args:
            id: The widget id.
        """
        super().__init__(
            placeholder='Search: words, "a phrase", entity:"PERSON:antony blinken"; empty = newest',
            id=id,
            select_on_focus=False,
        )

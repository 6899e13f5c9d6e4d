"""The find-in-article input."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from tui.widgets.in_order_input import InOrderInput

__all__ = ["FindBar"]


class FindBar(InOrderInput):
    """The text to find in the article; matches update as you type.

    ``enter`` goes back to the article keeping the matches (``n``/``N`` move
    between them); ``escape`` ends find mode.
    """

    DEFAULT_CSS = """
    FindBar { display: none; }
    FindBar.-active { display: block; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "screen.end_find", "End find", id="find.cancel"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        """Create the find input (hidden until find mode starts).

        Args:
            id: The widget id.
        """
        super().__init__(placeholder="Find in article (enter: keep, escape: end)", id=id)

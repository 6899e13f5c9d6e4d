"""An OptionList with vi-style keys, shared by the reader's lists."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import OptionList

__all__ = ["VimOptionList"]


class VimOptionList(OptionList):
    """An :class:`OptionList` that also moves with ``j``/``k``, ``g``/``G``, ``ctrl+d``/``ctrl+u``.

    The arrow, home/end and page keys of :class:`OptionList` keep working; the
    bindings here carry ids (``list.*``) so a keymap can change them.
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

"""The reader's option list: Textual's, with page keys that wait for a layout."""

from __future__ import annotations

from textual.widgets import OptionList

__all__ = ["ReaderOptionList"]


class ReaderOptionList(OptionList):
    """An ``OptionList`` whose page keys do nothing until it has a size.

    Textual's ``OptionList`` pages through the lines of its layout, and lays
    out its options only while it has an area: a list squeezed to nothing (a
    tiny terminal) or given options before its first layout raises
    ``KeyError`` inside Textual on ``pageup`` or ``pagedown``. With no area
    there is no page to move by.
    """

    def action_page_up(self) -> None:
        """Move the highlight up a page."""
        if self.scrollable_content_region:
            super().action_page_up()

    def action_page_down(self) -> None:
        """Move the highlight down a page."""
        if self.scrollable_content_region:
            super().action_page_down()

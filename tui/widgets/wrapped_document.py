"""A scrollable, word-wrapped document that keeps its reading position."""

from __future__ import annotations

from bisect import bisect_right
from typing import ClassVar

from rich.cells import cell_len
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.widgets._render import wrap_ranges

__all__ = ["WrappedDocument"]


class WrappedDocument(ScrollView, can_focus=True):
    """A line-API view of one styled text, wrapped to the width.

    Positions are "body offsets": offsets into the text after a heading of
    :attr:`body_offset` characters. The reading position (the body offset at
    the top of the view) moves only when the reader scrolls, never because of
    a resize, so a resize storm cannot drift it.
    """

    DEFAULT_CSS = """
    WrappedDocument {
        overflow-x: hidden;
        overflow-y: scroll;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll_lines(1)", "Scroll down", show=False, id="article.scroll_down"),
        Binding("k,up", "scroll_lines(-1)", "Scroll up", show=False, id="article.scroll_up"),
        Binding(
            "space,pagedown", "scroll_pages(1)", "Page down", show=False, id="article.page_down"
        ),
        Binding("b,pageup", "scroll_pages(-1)", "Page up", show=False, id="article.page_up"),
        Binding(
            "ctrl+d", "scroll_half(1)", "Half page down", show=False, id="article.half_page_down"
        ),
        Binding("ctrl+u", "scroll_half(-1)", "Half page up", show=False, id="article.half_page_up"),
        Binding("g,home", "scroll_edge(0)", "Top of article", show=False, id="article.top"),
        Binding("G,end", "scroll_edge(1)", "End of article", show=False, id="article.bottom"),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        """Create an empty document view.

        Args:
            id: The widget id.
            classes: CSS classes.
        """
        super().__init__(id=id, classes=classes)
        self.body_offset = 0
        self._document = ""
        self._content = Content("")
        self._lines: list[tuple[int, int]] = [(0, 0)]
        self._starts: list[int] = [0]
        self._wrap_width = -1
        self._strips: dict[int, Strip] = {}
        self._pending: tuple[int, bool] | None = None
        self._anchor = 0
        self._in_layout = False

    def set_document(
        self,
        document: str,
        body_offset: int,
        content: Content,
        *,
        at: int = 0,
        center: bool = False,
    ) -> None:
        """Show a new text.

        Args:
            document: The plain text (heading and body).
            body_offset: Where the body starts in it.
            content: The styled text (same plain text).
            at: The body offset to show at the top (or a third down with ``center``).
            center: Show ``at`` a third of the way down.
        """
        self._document, self.body_offset = document, body_offset
        self._pending = (at, center)
        self._wrap_width = -1
        self.set_content(content)
        self._rewrap()

    def set_content(self, content: Content) -> None:
        """Restyle the text (same plain text, new styles).

        Args:
            content: The styled text.
        """
        self._content = content
        self._strips.clear()
        self.refresh()

    def offset_at(self, x: int, y: int) -> int | None:
        """Return the body offset of the character at a point of the widget.

        Args:
            x: Column, relative to the content region.
            y: Row, relative to the content region.

        Returns:
            The body offset, or None outside the text.
        """
        line = round(self.scroll_y) + y
        if not 0 <= line < len(self._lines):
            return None
        start, end = self._lines[line]
        cells = 0
        for position in range(start, end):
            cells += cell_len(self._document[position])
            if cells > x:
                return position - self.body_offset
        return None

    @property
    def anchor(self) -> int:
        """The body offset at the top of the view: the reading position.

        It moves only when the reader scrolls (keys, wheel, scrollbar, cursor,
        find), never because of a resize, so a resize storm cannot drift it.
        """
        return self._pending[0] if self._pending is not None else self._anchor

    def _line_of(self, doc_offset: int) -> int:
        """Return the wrapped line holding a document offset.

        Args:
            doc_offset: An offset in the document.

        Returns:
            The line index.
        """
        return max(0, bisect_right(self._starts, doc_offset) - 1)

    def _top_offset(self) -> int:
        """Return the body offset of the line at the top of the view.

        Returns:
            The offset (0 within the title lines).
        """
        line = min(max(0, round(self.scroll_y)), len(self._lines) - 1)
        return max(0, self._lines[line][0] - self.body_offset)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Follow the reader's own scrolling with the reading position.

        Args:
            old_value: The previous offset.
            new_value: The new offset.
        """
        super().watch_scroll_y(old_value, new_value)
        if not self._in_layout and self._pending is None and self.size.height > 0:
            self._anchor = self._top_offset()

    def _rewrap(self) -> None:
        """Wrap the document to the width, then scroll back to the reading position."""
        self._in_layout = True
        try:
            width = max(1, self.scrollable_content_region.width)
            if width != self._wrap_width:
                self._wrap_width = width
                self._lines = wrap_ranges(self._document, width)
                self._starts = [start for start, _ in self._lines]
                self._strips.clear()
                self.virtual_size = Size(width, len(self._lines))
                self.refresh()
            if self._pending is not None:
                self._apply_pending()
            elif self.size.height > 0:
                line = self._line_of(self._anchor + self.body_offset) if self._anchor else 0
                self.scroll_to(y=line, animate=False)
        finally:
            self._in_layout = False

    def _apply_pending(self) -> None:
        """Scroll to the position asked for, once the view has a size."""
        if self._pending is None or self.size.height <= 0 or self.size.width <= 0:
            return
        offset, center = self._pending
        self._pending = None
        line = self._line_of(offset + self.body_offset) if offset > 0 else 0
        top = line - (self.size.height // 3 if center else 0)
        self.scroll_to(y=max(0, top), animate=False)
        self._anchor = offset if not center and offset > 0 else self._top_offset()

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """Rewrap for a new size, keeping the reading position.

        Args:
            size: The new size.
            virtual_size: The new virtual size.
            container_size: The new container size.
            layout: Perform layout if required.

        Returns:
            Whether a resize event should be sent.
        """
        self._in_layout = True
        try:
            resized = super()._size_updated(size, virtual_size, container_size, layout)
        finally:
            self._in_layout = False
        self._rewrap()
        return resized

    def on_resize(self, event: events.Resize) -> None:
        """Rewrap when the width changes.

        Args:
            event: The resize event.
        """
        self._rewrap()

    def render_line(self, y: int) -> Strip:
        """Render one line of the view.

        Args:
            y: The row in the widget.

        Returns:
            The strip for that row.
        """
        width = max(0, self.scrollable_content_region.width)
        index = round(self.scroll_y) + y
        style = self.rich_style
        if index >= len(self._lines) or index < 0:
            return Strip.blank(width, style)
        strip = self._strips.get(index)
        if strip is None:
            start, end = self._lines[index]
            segments = self._content[start:end].render_segments(self.visual_style)
            strip = Strip(segments).crop_extend(0, width, style)
            if len(self._strips) > 512:
                self._strips.clear()
            self._strips[index] = strip
        return strip

    # ------------------------------------------------------------------ scrolling

    def _scroll_to_body(self, offset: int, *, center: bool = False) -> None:
        """Scroll so that a body offset is on screen.

        Args:
            offset: The body offset.
            center: Put it a third of the way down rather than at the top.
        """
        self._pending = (offset, center)
        self._apply_pending()

    def _ensure_visible(self, offset: int) -> None:
        """Scroll the least needed to show a body offset.

        Args:
            offset: The body offset.
        """
        line = self._line_of(offset + self.body_offset)
        top, height = round(self.scroll_y), max(1, self.size.height)
        if not top <= line < top + height:
            self._scroll_to_body(offset, center=True)

    def action_scroll_lines(self, lines: int) -> None:
        """Scroll by lines.

        Args:
            lines: How many (negative: up).
        """
        self.scroll_to(y=self.scroll_y + lines, animate=False)

    def action_scroll_pages(self, pages: int) -> None:
        """Scroll by pages.

        Args:
            pages: How many (negative: up).
        """
        self.scroll_to(y=self.scroll_y + pages * max(1, self.size.height - 1), animate=False)

    def action_scroll_half(self, direction: int) -> None:
        """Scroll by half a page.

        Args:
            direction: 1 down, -1 up.
        """
        self.scroll_to(y=self.scroll_y + direction * max(1, self.size.height // 2), animate=False)

    def action_scroll_edge(self, end: int) -> None:
        """Scroll to the top or the end.

        Args:
            end: 0 for the top, 1 for the end.
        """
        self.scroll_to(y=self.max_scroll_y if end else 0, animate=False)

    def _visible_body_range(self) -> tuple[int, int]:
        """Return the body offsets shown on screen.

        Returns:
            ``(first, last)`` body offsets of the visible lines.
        """
        top = min(max(0, round(self.scroll_y)), len(self._lines) - 1)
        bottom = min(len(self._lines) - 1, top + max(1, self.size.height) - 1)
        return (self._lines[top][0] - self.body_offset, self._lines[bottom][1] - self.body_offset)

"""The article reader: title, date, source and the body with its entities, wrapped and scrolled."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from index.models import ArticleView, EntitySpan
from tui.widgets._render import (
    CURSOR_STYLE,
    FIND_CURRENT_STYLE,
    FIND_STYLE,
    MATCH_STYLE,
    kind_style,
    safe,
    short_date,
    text,
    wrap_ranges,
)

__all__ = ["ArticleBody"]


class ArticleBody(ScrollView, can_focus=True):
    """One article, wrapped to the width, with its entities and an entity cursor.

    The title, a date/source line and the body form one document; every body
    offset from the library is shifted by :attr:`body_offset` into it. Entities
    are styled by kind, the entity under the cursor is reversed, and in find
    mode every match is highlighted instead.

    It draws the document through the line API, wrapped to the width. The
    reading position (the body offset at the top of the view) moves only when
    the reader scrolls, never because of a resize, so a resize storm cannot
    drift it.
    """

    DEFAULT_CSS = """
    ArticleBody {
        overflow-x: hidden;
        overflow-y: scroll;
        padding: 0 1;
    }
    """

    #: The keys that scroll the article.
    SCROLL_BINDINGS: ClassVar[list[BindingType]] = [
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

    #: The keys of the entity cursor and of find mode.
    ENTITY_BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next(1)", "Next entity/match", id="article.next_entity"),
        Binding("N", "next(-1)", "Previous entity/match", show=False, id="article.previous_entity"),
        Binding("]", "next_mention(1)", "Next mention", id="article.next_mention"),
        Binding(
            "[", "next_mention(-1)", "Previous mention", show=False, id="article.previous_mention"
        ),
        Binding("enter", "screen.open_entity", "Entity page", id="entity.open"),
        Binding("escape", "end_find", "End find", show=False, id="find.end"),
    ]

    #: Every key of the article view.
    BINDINGS: ClassVar[list[BindingType]] = [*SCROLL_BINDINGS, *ENTITY_BINDINGS]

    @dataclass
    class CursorMoved(Message):
        """The entity cursor moved (the related-mentions panel follows it).

        Attributes:
            body: The article view that posted it.
            entity: The entity under the cursor, or None.
        """

        body: ArticleBody
        entity: EntitySpan | None

    @dataclass
    class FindUpdated(Message):
        """The find matches or the current match changed.

        Attributes:
            count: How many matches.
            index: The current match (0-based), or None.
        """

        count: int
        index: int | None

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        """Create an empty article view.

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
        self.view: ArticleView | None = None
        self.entities: list[EntitySpan] = []
        self.cursor: int | None = None
        self.mark: tuple[int, int] | None = None
        self.find_query: str | None = None
        self.matches: list[tuple[int, int]] = []
        self.match_index: int | None = None
        self._base = Content("")

    # ------------------------------------------------------------------ document

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

    # ------------------------------------------------------------------ content

    @property
    def article_id(self) -> str | None:
        """The id of the article shown, or None."""
        return self.view.article.id if self.view is not None else None

    @property
    def cursor_entity(self) -> EntitySpan | None:
        """The entity under the cursor, or None."""
        if self.cursor is None or not self.entities:
            return None
        return self.entities[self.cursor]

    def show(
        self,
        view: ArticleView,
        *,
        anchor: int | None = None,
        cursor: int | None = None,
        mark: tuple[int, int] | None = None,
    ) -> None:
        """Show an article.

        Args:
            view: The article and its entity spans (sorted by start).
            anchor: Body offset to bring to the top of the view; None to show
                the cursor (or the mark), else the top.
            cursor: Body offset of an entity to put the cursor on.
            mark: A body range to highlight, for a mention without an entity span.
        """
        article = view.article
        self.view = view
        self.entities = sorted(view.entities, key=lambda span: (span.start, span.end))
        self.mark = mark
        self.find_query, self.matches, self.match_index = None, [], None
        title = safe(article.title) or "(untitled)"
        meta = " · ".join(
            part
            for part in (short_date(article.date), safe(article.source), safe(article.author))
            if part
        )
        document = f"{title}\n{meta}\n\n{safe(article.body)}"
        body_offset = len(title) + len(meta) + 3
        base = text(document)
        base = base.stylize("bold", 0, len(title))
        base = base.stylize("dim", len(title) + 1, len(title) + 1 + len(meta))
        for span in self.entities:
            base = base.stylize(
                kind_style(span.label), span.start + body_offset, span.end + body_offset
            )
        self._base = base
        self.cursor = self._entity_index_at(cursor) if cursor is not None else None
        if anchor is not None:
            at, center = anchor, False
        elif self.cursor is not None:
            at, center = self.entities[self.cursor].start, True
        else:
            at, center = (mark[0], True) if mark is not None else (0, False)
        self._document, self.body_offset = document, body_offset
        self.set_document(document, body_offset, self._styled(), at=at, center=center)
        self.post_message(self.CursorMoved(self, self.cursor_entity))

    def clear(self) -> None:
        """Show nothing."""
        self.view, self.entities, self.cursor, self.mark = None, [], None, None
        self._base = Content("")
        self.set_document("", 0, Content(""))

    def _doc_range(self, start: int, end: int) -> tuple[int, int]:
        """Convert a body range to a document range.

        Args:
            start: Body start offset.
            end: Body end offset.

        Returns:
            The range in the document.
        """
        return start + self.body_offset, end + self.body_offset

    def _entity_index_at(self, offset: int) -> int | None:
        """Find the entity that holds a body offset (or starts nearest after it).

        Args:
            offset: A body offset.

        Returns:
            The entity index, or None when there are no entities.
        """
        if not self.entities:
            return None
        for index, span in enumerate(self.entities):
            if span.start <= offset < span.end or span.start >= offset:
                return index
        return len(self.entities) - 1

    def _styled(self) -> Content:
        """Return the document styled for the cursor, mark and find state.

        Returns:
            The styled content.
        """
        content = self._base
        if self.find_query:
            content = text(self._document).stylize("bold", 0, max(0, self.body_offset - 3))
            for index, (start, end) in enumerate(self.matches):
                style = FIND_CURRENT_STYLE if index == self.match_index else FIND_STYLE
                content = content.stylize(style, *self._doc_range(start, end))
            return content
        if self.mark is not None:
            content = content.stylize(MATCH_STYLE, *self._doc_range(*self.mark))
        entity = self.cursor_entity
        if entity is not None:
            content = content.stylize(CURSOR_STYLE, *self._doc_range(entity.start, entity.end))
        return content

    def _restyle(self) -> None:
        """Restyle the document for the cursor, mark and find state."""
        self.set_content(self._styled())

    # ------------------------------------------------------------------ entity cursor

    def set_cursor(self, index: int | None) -> None:
        """Put the entity cursor on an entity and scroll to it.

        Args:
            index: The entity index, or None to hide the cursor.
        """
        if index is not None and not 0 <= index < len(self.entities):
            return
        self.cursor = index
        self.mark = None
        self._restyle()
        if index is not None:
            self._ensure_visible(self.entities[index].start)
        self.post_message(self.CursorMoved(self, self.cursor_entity))

    def action_next(self, step: int) -> None:
        """Move to the next (1) or previous (-1) entity, or find match in find mode.

        When the cursor is off screen the move starts from the visible part.

        Args:
            step: 1 or -1.
        """
        if self.find_query is not None:
            self._step_match(step)
            return
        if not self.entities:
            self.app.bell()
            return
        first, last = self._visible_body_range()
        cursor = self.cursor
        if cursor is not None and first <= self.entities[cursor].start <= last:
            index = cursor + step
        elif step > 0:
            index = next((i for i, s in enumerate(self.entities) if s.start >= first), 0)
        else:
            before = [i for i, s in enumerate(self.entities) if s.start <= last]
            index = before[-1] if before else len(self.entities) - 1
        if not 0 <= index < len(self.entities):
            self.app.bell()
            return
        self.set_cursor(index)

    def action_next_mention(self, step: int) -> None:
        """Move to the next (1) or previous (-1) mention of the cursor's entity.

        Args:
            step: 1 or -1.
        """
        entity = self.cursor_entity
        if entity is None or self.cursor is None:
            self.action_next(step)
            return
        indexes = [i for i, span in enumerate(self.entities) if span.key == entity.key]
        position = indexes.index(self.cursor) + step
        if not 0 <= position < len(indexes):
            self.app.bell()
            return
        self.set_cursor(indexes[position])

    def entity_at(self, offset: int) -> int | None:
        """Return the index of the entity holding a body offset.

        Args:
            offset: A body offset.

        Returns:
            The entity index, or None.
        """
        for index, span in enumerate(self.entities):
            if span.start <= offset < span.end:
                return index
        return None

    def on_click(self, event: events.Click) -> None:
        """Put the cursor on the entity clicked.

        Args:
            event: The click.
        """
        point = event.get_content_offset(self)
        offset = self.offset_at(point.x, point.y) if point is not None else None
        index = self.entity_at(offset) if offset is not None else None
        if index is not None:
            self.set_cursor(index)

    # ------------------------------------------------------------------ find

    def find(self, query: str) -> None:
        """Enter (or update) find mode: highlight every match of ``query``.

        Matching is case-insensitive; the current match is the first one at or
        after the reading position.

        Args:
            query: The text to find ("" shows no match but stays in find mode).
        """
        self.find_query = query
        self.matches = []
        body = self._document[self.body_offset :].lower()
        needle = query.lower()
        if needle:
            position = body.find(needle)
            while position >= 0 and len(self.matches) < 10_000:
                self.matches.append((position, position + len(needle)))
                position = body.find(needle, position + max(1, len(needle)))
        anchor = self.anchor
        self.match_index = next(
            (i for i, (start, _) in enumerate(self.matches) if start >= anchor),
            0 if self.matches else None,
        )
        self._restyle()
        if self.match_index is not None:
            self._ensure_visible(self.matches[self.match_index][0])
        self.post_message(self.FindUpdated(len(self.matches), self.match_index))

    def _step_match(self, step: int) -> None:
        """Go to the next or previous find match, wrapping around.

        Args:
            step: 1 or -1.
        """
        if not self.matches:
            self.app.bell()
            return
        self.match_index = ((self.match_index or 0) + step) % len(self.matches)
        self._restyle()
        self._ensure_visible(self.matches[self.match_index][0])
        self.post_message(self.FindUpdated(len(self.matches), self.match_index))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enable ``end_find`` only in find mode (escape otherwise goes back).

        Args:
            action: The action name.
            parameters: Its parameters.

        Returns:
            Whether the action may run.
        """
        if action == "end_find":
            return self.find_query is not None
        return True

    def action_end_find(self) -> None:
        """Leave find mode and remove the match highlights."""
        self.end_find()

    def end_find(self) -> None:
        """Leave find mode (no-op when not finding)."""
        if self.find_query is None:
            return
        self.find_query, self.matches, self.match_index = None, [], None
        self._restyle()
        self.post_message(self.FindUpdated(0, None))

"""The article reader: title, date, source and the body with its entities."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message

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
)
from tui.widgets.wrapped_document import WrappedDocument

__all__ = ["ArticleBody"]


class ArticleBody(WrappedDocument):
    """One article, wrapped to the width, with its entities and an entity cursor.

    The title, a date/source line and the body form one document; every body
    offset from the library is shifted by :attr:`body_offset` into it. Entities
    are styled by kind, the entity under the cursor is reversed, and in find
    mode every match is highlighted instead.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next(1)", "Next entity/match", id="article.next_entity"),
        Binding("N", "next(-1)", "Previous entity/match", show=False, id="article.previous_entity"),
        Binding("]", "next_mention(1)", "Next mention", id="article.next_mention"),
        Binding(
            "[", "next_mention(-1)", "Previous mention", show=False, id="article.previous_mention"
        ),
        Binding("enter", "screen.open_entity", "Entity page", id="entity.open"),
        Binding("escape", "end_find", "End find", show=False, id="find.end"),
    ]

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
        self.view: ArticleView | None = None
        self.entities: list[EntitySpan] = []
        self.cursor: int | None = None
        self.mark: tuple[int, int] | None = None
        self.find_query: str | None = None
        self.matches: list[tuple[int, int]] = []
        self.match_index: int | None = None
        self._base = Content("")

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

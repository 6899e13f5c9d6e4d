"""The reader's browser-like history and the reading state saved between launches."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType

from tui.screens.history import History
from tui.screens.reader_entities import ReaderEntities
from tui.screens.reader_state import ReaderState
from tui.widgets._render import one_line

if TYPE_CHECKING:  # pragma: no cover
    from index.library.facade import Library
    from tui.widgets.search_bar import SearchBar

__all__ = ["ReaderHistory"]


class ReaderHistory(ReaderEntities):
    """Back and forward through searches and articles; save and restore the reading state.

    The reader screen derives from it and provides the views, the search and
    :meth:`open_article`. Each place left is updated first (highlighted
    result, scroll position, entity cursor), so going back restores it.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("backspace,ctrl+o,alt+left", "history_back", "Back", id="history.back"),
        Binding(
            "ctrl+i,L,alt+right", "history_forward", "Forward", show=False, id="history.forward"
        ),
    ]

    # Provided by the reader screen.
    history: History
    library: Library
    search_bar: SearchBar

    # ------------------------------------------------------------------ history

    def _remember(self) -> None:
        """Record the position of the current place before leaving it."""
        current = self.history.current
        if current is None:
            return
        if current.kind == "search":
            if self.results_pane.is_current(current.query) and self.results.highlighted is not None:
                current.highlighted = self.results.highlighted
        elif self.view == "article" and self.pane.body.article_id == current.article_id:
            body = self.pane.body
            current.anchor = body.anchor
            entity = body.cursor_entity
            current.cursor = entity.start if entity is not None else None
            current.mark = body.mark

    def _go(self, entry: History.Entry) -> None:
        """Show a place from the history.

        Args:
            entry: The place.
        """
        self.pane.end_find()
        if entry.kind == "article" and entry.article_id:
            self.open_article(
                entry.article_id,
                anchor=entry.anchor,
                cursor=entry.cursor,
                mark=entry.mark,
                visit=False,
            )
            return
        self._show("results")
        self._set_query(entry.query)
        if self.results_pane.is_current(entry.query):
            if self.results.hits:
                self.results.highlighted = min(entry.highlighted, len(self.results.hits) - 1)
            self.results_pane.refresh_status()
        else:
            self.search(entry.query, highlighted=entry.highlighted)
        self.results.focus()
        self.save_state()

    def action_history_back(self) -> None:
        """Go back to the previous search or article."""
        self._remember()
        entry = self.history.back()
        if entry is None:
            self.app.bell()
            return
        self._go(entry)

    def action_history_forward(self) -> None:
        """Go forward again."""
        self._remember()
        entry = self.history.forward()
        if entry is None:
            self.app.bell()
            return
        self._go(entry)

    def narrow_to(self, key: str, *, keep_query: bool = True) -> None:
        """Search for the articles with an entity, as a new place in the history.

        Args:
            key: The entity key.
            keep_query: Add ``entity:"KEY"`` to the last search's query rather
                than search for the entity alone.
        """
        search = self.history.last_search() if keep_query else None
        base = search.query if search is not None else ""
        clause = 'entity:"{}"'.format(key.replace('"', ""))
        query = base if clause in base else f"{base} {clause}".strip()
        self._remember()
        self.history.visit(History.Entry("search", query=query))
        self._go(self.history.current)  # type: ignore[arg-type]

    # ------------------------------------------------------------------ state

    def reader_state(self) -> ReaderState:
        """Describe what is on screen, to restore it at the next launch.

        Returns:
            The state.
        """
        self._remember()
        return ReaderState.from_history(self.history, self.search_bar.value)

    def save_state(self) -> None:
        """Save the reading state in the library (failures are only logged)."""
        try:
            self.library.set_state(ReaderState.NAME, self.reader_state().to_json())
        except Exception as error:  # noqa: BLE001 - never fatal
            self.log.warning(f"cannot save reader state: {one_line(error)}")

    def restore_state(self) -> None:
        """Restore the saved reading state, or start on the newest articles."""
        try:
            state = ReaderState.from_json(self.library.get_state(ReaderState.NAME))
        except Exception as error:  # noqa: BLE001 - a bad state is ignored
            self.log.warning(f"ignoring saved state: {one_line(error)}")
            state = ReaderState()
        self.history.visit(
            History.Entry("search", query=state.query, highlighted=state.highlighted)
        )
        self._set_query(state.query)
        self.search(state.query, highlighted=state.highlighted)
        if state.article:
            self.open_article(state.article, anchor=state.anchor, cursor=state.cursor)
        else:
            self.results.focus()

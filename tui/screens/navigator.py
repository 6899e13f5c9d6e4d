"""The reader's way around: back and forward through searches and articles, and the saved state."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType

from tui.screens.history import History
from tui.screens.reader_state import ReaderState
from tui.widgets._render import one_line

if TYPE_CHECKING:  # pragma: no cover
    from tui.screens.reader_screen import ReaderScreen

__all__ = ["Navigator"]


class Navigator:
    """Where the reader has been, how to go back there, and what is kept between launches.

    The reader screen holds one and tells it each new place (:meth:`visit`);
    the navigator shows places again through the screen's own methods (the
    search bar, the results, :meth:`ReaderScreen.open_article`). Each place
    left is updated first (highlighted result, scroll position, entity
    cursor), so going back restores it. The reading state (the last search,
    the open article) is saved in the library and restored at the next launch.

    Attributes:
        history: The places, with the current one.
    """

    #: The keys of the history; the reader screen binds them to its actions.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("backspace,ctrl+o,alt+left", "history_back", "Back", id="history.back"),
        Binding(
            "ctrl+i,L,alt+right", "history_forward", "Forward", show=False, id="history.forward"
        ),
    ]

    def __init__(self, reader: ReaderScreen) -> None:
        """Create an empty history for a reader screen.

        Args:
            reader: The screen it moves about.
        """
        self.history = History()
        self._reader = reader

    # ------------------------------------------------------------------ places

    def remember(self) -> None:
        """Record the position of the current place before leaving it."""
        current = self.history.current
        if current is None:
            return
        reader = self._reader
        if current.kind == "search":
            results = reader.results
            if reader.results_pane.is_current(current.query) and results.highlighted is not None:
                current.highlighted = results.highlighted
        elif reader.view == "article" and reader.pane.body.article_id == current.article_id:
            body = reader.pane.body
            current.anchor = body.anchor
            entity = body.cursor_entity
            current.cursor = entity.start if entity is not None else None
            current.mark = body.mark

    def visit(self, entry: History.Entry) -> History.Entry:
        """Leave the current place (recording its position) for a new one.

        Args:
            entry: The new place (not shown here: the caller shows it).

        Returns:
            The entry.
        """
        self.remember()
        return self.history.visit(entry)

    def go(self, entry: History.Entry) -> None:
        """Show a place from the history.

        Args:
            entry: The place.
        """
        reader = self._reader
        reader.pane.end_find()
        if entry.kind == "article" and entry.article_id:
            reader.open_article(
                entry.article_id,
                anchor=entry.anchor,
                cursor=entry.cursor,
                mark=entry.mark,
                visit=False,
            )
            return
        reader.show_view("results")
        reader.set_query(entry.query)
        results, pane = reader.results, reader.results_pane
        if pane.is_current(entry.query):
            if results.hits:
                results.highlighted = min(entry.highlighted, len(results.hits) - 1)
            pane.refresh_status()
        else:
            reader.search(entry.query, highlighted=entry.highlighted)
        results.focus()
        self.save()

    def _step(self, move) -> bool:
        self.remember()
        entry = move()
        if entry is None:
            return False
        self.go(entry)
        return True

    def back(self) -> bool:
        """Go back to the previous search or article.

        Returns:
            False at the start of the history (nothing happened).
        """
        return self._step(self.history.back)

    def forward(self) -> bool:
        """Go forward again.

        Returns:
            False at the end of the history (nothing happened).
        """
        return self._step(self.history.forward)

    def search_anew(self, query: str) -> None:
        """Show a search as a new place in the history.

        Args:
            query: The query.
        """
        self.go(self.visit(History.Entry("search", query=query)))

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
        self.search_anew(base if clause in base else f"{base} {clause}".strip())

    # ------------------------------------------------------------------ state

    def state(self) -> ReaderState:
        """Describe what is on screen, to restore it at the next launch.

        Returns:
            The state.
        """
        self.remember()
        return ReaderState.from_history(self.history, self._reader.search_bar.value)

    def save(self) -> str | None:
        """Save the reading state in the library; never fatal.

        Returns:
            None, or a one-line reason it could not be saved (a full disk).
        """
        reader = self._reader
        try:
            reader.library.set_state(ReaderState.NAME, self.state().to_json())
        except Exception as error:  # noqa: BLE001 - never fatal
            reason = one_line(error)
            reader.log.warning(f"cannot save reader state: {reason}")
            return reason
        return None

    def restore(self) -> None:
        """Restore the saved reading state, or start on the newest articles."""
        reader = self._reader
        try:
            state = ReaderState.from_json(reader.library.get_state(ReaderState.NAME))
        except Exception as error:  # noqa: BLE001 - a bad state is ignored
            reader.log.warning(f"ignoring saved state: {one_line(error)}")
            state = ReaderState()
        self.history.visit(
            History.Entry("search", query=state.query, highlighted=state.highlighted)
        )
        reader.set_query(state.query)
        reader.search(state.query, highlighted=state.highlighted)
        if state.article:
            reader.open_article(state.article, anchor=state.anchor, cursor=state.cursor)
        else:
            reader.results.focus()

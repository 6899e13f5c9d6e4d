"""The reader's main screen: the search bar, the results and the article."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Footer, Input, OptionList
from textual.worker import Worker, WorkerState

from tui.launch import first_frame_drawn, settle
from tui.messages import ArticleLoaded, WorkFailed
from tui.screens.history import History
from tui.screens.reader_history import ReaderHistory
from tui.widgets._render import one_line
from tui.widgets.article_pane import ArticlePane
from tui.widgets.mention_list import MentionList
from tui.widgets.results_list import ResultsList
from tui.widgets.results_pane import ResultsPane
from tui.widgets.search_bar import SearchBar

if TYPE_CHECKING:  # pragma: no cover
    from index.library.facade import Library

__all__ = ["ReaderScreen"]

#: Seconds of quiet typing before a search runs.
SEARCH_DELAY = 0.15

#: Seconds after mounting before search is warmed up (ranking code, searcher).
WARM_AFTER = 0.5


class ReaderScreen(ReaderHistory):
    """Search, results, article and related mentions, with browser-like history.

    Searches and article loads run in thread workers that post messages back;
    each request has a sequence number and stale answers are dropped. The
    history and saved state come from
    :class:`~tui.screens.reader_history.ReaderHistory`, the entity features
    (pages, browser, facets, curation) from
    :class:`~tui.screens.reader_entities.ReaderEntities`.
    """

    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [
        (0, "-narrow"),
        (100, "-wide"),
    ]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-short"), (14, "-tall")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", id="search.focus"),
        Binding("escape", "escape", "Back", show=False, id="reader.escape"),
    ]

    def __init__(self) -> None:
        """Create the screen (the library comes from the app)."""
        super().__init__()
        self.history = History()
        self.view: Literal["results", "article"] = "results"
        self._open_seq = 0
        self._timer: Timer | None = None
        self._quiet: str | None = None

    @property
    def library(self) -> Library:
        """The library the app reads."""
        return self.app.library  # type: ignore[attr-defined, no-any-return]

    def compose(self) -> ComposeResult:
        """Create the layout.

        Yields:
            A frame (with a minimum size, so that tiny terminals crop rather than
            squeeze widgets to nothing) holding the search bar, the switcher
            between results and article, and the footer.
        """
        with Vertical(id="frame"):
            yield SearchBar(id="search")
            with ContentSwitcher(initial="results-view", id="views"):
                yield ResultsPane(id="results-view")
                yield ArticlePane(id="article-view")
            yield Footer()

    @property
    def search_bar(self) -> SearchBar:
        """The search input."""
        return self.query_one(SearchBar)

    @property
    def results(self) -> ResultsList:
        """The results list."""
        return self.query_one(ResultsList)

    @property
    def results_pane(self) -> ResultsPane:
        """The results and their status line."""
        return self.query_one(ResultsPane)

    @property
    def pane(self) -> ArticlePane:
        """The article pane."""
        return self.query_one(ArticlePane)

    def on_mount(self) -> None:
        """Restore the saved reading state (or list the newest articles), then warm up search."""
        self.restore_state()
        # The first frame (with the newest articles) is drawn before the next
        # callback: the garbage collector held off for start-up comes back then.
        self.call_after_refresh(first_frame_drawn)
        # Late enough not to compete with the first screen's rows for the GIL.
        self.set_timer(WARM_AFTER, self._warm_search)

    @work(thread=True, exit_on_error=False, group="warm")
    def _warm_search(self) -> None:
        """Load the ranking code and open a searcher after the first screen (runs in a thread).

        A failure here is left for the first search to report.
        """
        warm = getattr(self.library, "warm", None)
        if warm is not None:
            warm()
        settle()  # later collections skip what the warm-up loaded

    def _show(self, view: Literal["results", "article"]) -> None:
        """Switch between the results and the article.

        Args:
            view: Which to show.
        """
        self.view = view
        self.query_one(ContentSwitcher).current = f"{view}-view"
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enable the article-only actions only on the article.

        Args:
            action: The action name.
            parameters: Its parameters.

        Returns:
            Whether the action may run.
        """
        if action in ("narrow", "end_find"):
            return self.view == "article"
        if action == "focus_facets":
            return self.view == "results"
        return True

    # ------------------------------------------------------------------ search

    def _set_query(self, query: str) -> None:
        """Put a query in the search bar without triggering a search.

        Args:
            query: The query.
        """
        if self.search_bar.value != query:
            self._quiet = query
            self.search_bar.value = query
            self.search_bar.cursor_position = len(query)

    @on(Input.Changed, "SearchBar")
    def _query_changed(self, event: Input.Changed) -> None:
        """Search as the user types, debounced.

        Args:
            event: The change.
        """
        if self._quiet is not None and event.value == self._quiet:
            self._quiet = None
            return
        self._quiet = None
        current = self.history.current
        if current is None or current.kind != "search" or current.settled:
            self._remember()
            self.history.visit(History.Entry("search", query=event.value))
        else:
            current.query = event.value
        if self.view != "results":
            self.pane.end_find()
            self._show("results")
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SEARCH_DELAY, lambda: self.search(event.value))

    @on(Input.Submitted, "SearchBar")
    def _query_submitted(self, event: Input.Submitted) -> None:
        """Search now and move to the results (enter remapped to the input's own submit).

        Args:
            event: The submission.
        """
        self.action_submit_search()

    def action_submit_search(self) -> None:
        """Search for what the search bar holds now, and move to the results."""
        if self._timer is not None:
            self._timer.stop()
        if self.view != "results":
            self._show("results")
        query = self.search_bar.value
        if not self.results_pane.is_current(query):
            self.search(query)
        self.set_focus(self.results)

    def search(self, query: str, *, highlighted: int | None = None) -> None:
        """Run a search (an empty query lists the newest articles).

        Args:
            query: The query.
            highlighted: The result to highlight when the results arrive.
        """
        self.results_pane.search(query, highlighted=highlighted)

    @on(OptionList.OptionHighlighted, "ResultsList")
    def _result_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Keep the status and the history entry in step with the highlight.

        Args:
            event: The highlight.
        """
        current = self.history.current
        if current is not None and current.kind == "search":
            current.highlighted = event.option_index
        self.results_pane.refresh_status()

    @on(OptionList.OptionSelected, "ResultsList")
    def _result_selected(self, event: OptionList.OptionSelected) -> None:
        """Open the selected result.

        Args:
            event: The selection.
        """
        if 0 <= event.option_index < len(self.results.hits):
            self.open_article(self.results.hits[event.option_index].id)

    # ------------------------------------------------------------------ articles

    def open_article(
        self,
        article_id: str,
        *,
        anchor: int | None = None,
        cursor: int | None = None,
        mark: tuple[int, int] | None = None,
        visit: bool = True,
    ) -> None:
        """Open an article (loaded in a worker).

        Args:
            article_id: The article.
            anchor: Body offset to scroll to the top.
            cursor: Body offset of the entity to put the cursor on.
            mark: A body range to highlight.
            visit: Add a history entry (False when moving in the history).
        """
        if visit:
            self._remember()
            self.history.visit(
                History.Entry(
                    "article", article_id=article_id, anchor=anchor or 0, cursor=cursor, mark=mark
                )
            )
        self._open_seq += 1
        self._show("article")
        self.set_focus(self.pane.body)
        self._load_article(self._open_seq, article_id, anchor, cursor, mark)

    @work(thread=True, exclusive=True, exit_on_error=False, group="article")
    def _load_article(self, seq: int, article_id: str, *where: Any) -> None:
        """Load an article (runs in a thread).

        Args:
            seq: The request number.
            article_id: The article.
            *where: ``anchor, cursor, mark`` passed on to the view.
        """
        try:
            if self.app.config.show_dates_and_numbers:  # type: ignore[attr-defined]
                view = self.library.article(article_id, labels=None)
            else:
                view = self.library.article(article_id)
        except Exception as error:  # noqa: BLE001 - a notice, never a crash
            self.post_message(WorkFailed(f"cannot open the article: {one_line(error)}"))
            return
        anchor, cursor, mark = where
        self.post_message(ArticleLoaded(seq, view, anchor, cursor, mark))

    def on_article_loaded(self, message: ArticleLoaded) -> None:
        """Show an article, unless another was asked for since.

        Args:
            message: The article.
        """
        if message.seq != self._open_seq:
            return
        self.pane.show(
            message.view, anchor=message.anchor, cursor=message.cursor, mark=message.mark
        )
        self.save_state()

    def reload_article(self) -> None:
        """Load the open article again (after a curation edit), keeping the position."""
        body = self.pane.body
        if body.article_id is None:
            return
        entity = body.cursor_entity
        self._open_seq += 1
        self._load_article(
            self._open_seq,
            body.article_id,
            body.anchor,
            entity.start if entity is not None else None,
            body.mark,
        )

    def on_article_pane_pick_entity(self, message: ArticlePane.PickEntity) -> None:
        """List the article's entities; jump to the one picked.

        Args:
            message: The request.
        """
        from tui.screens.entity_picker import EntityPicker

        message.stop()
        self.app.push_screen(EntityPicker(message.entities), self.pane.jump_to)

    @on(MentionList.Chosen)
    def _mention_chosen(self, event: MentionList.Chosen) -> None:
        """Open the article of a mention, with the cursor on the mention.

        Args:
            event: The choice.
        """
        mention = event.mention
        self.open_article(
            mention.article_id, cursor=mention.start, mark=(mention.start, mention.end)
        )

    # ------------------------------------------------------------------ actions

    def action_focus_search(self) -> None:
        """Focus the search bar.

        Focus moves now, not after the events already queued (as ``focus()``
        does): keys that arrive in one burst with this one, as over a slow
        SSH link, land in the search bar.
        """
        self.set_focus(self.search_bar)
        self.search_bar.cursor_position = len(self.search_bar.value)

    def action_focus_results(self) -> None:
        """Leave the search bar for the results (or the article shown)."""
        self.set_focus(self.results if self.view == "results" else self.pane.body)

    def action_escape(self) -> None:
        """Step back: close the overlaid panel, leave the search bar, or go back."""
        if isinstance(self.focused, SearchBar):
            self.action_focus_results()
        elif self.view == "results":
            self.close_facets()
        elif self.view == "article" and not self.pane.close_overlay():
            if self.history.can_go_back:
                self.action_history_back()
            else:
                self._remember()
                self.history.visit(History.Entry("search", query=self.search_bar.value))
                self._go(self.history.current)  # type: ignore[arg-type]

    def action_end_find(self) -> None:
        """End find mode in the article."""
        self.pane.end_find()

    def action_narrow(self) -> None:
        """Narrow the results to the entity under the cursor (adds ``entity:"KEY"``)."""
        span = self.pane.body.cursor_entity
        if span is None:
            self.app.bell()
            self.notify("Put the cursor on an entity first (n / N).", markup=False)
            return
        self.narrow_to(span.key)

    # ------------------------------------------------------------------ failures

    def on_work_failed(self, message: WorkFailed) -> None:
        """Show a worker's failure as a one-line notice.

        Args:
            message: The failure.
        """
        message.stop()
        self.notify(message.text, severity="error", markup=False)
        if self.view == "article" and self.pane.body.view is None:
            self._show("results")
            self.results.focus()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Turn an unexpected worker error into a notice (never an exit).

        Args:
            event: The state change.
        """
        if event.state == WorkerState.ERROR:
            self.notify(f"error: {one_line(event.worker.error)}", severity="error", markup=False)

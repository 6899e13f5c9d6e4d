"""The reader's main screen: the search bar, the results and the article."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Footer, Input, OptionList
from textual.worker import Worker, WorkerState

from index.models import Entity
from tui.launch import first_frame_drawn, settle
from tui.messages import ArticleLoaded, WorkFailed
from tui.screens.curation_controller import CurationController
from tui.screens.history import History
from tui.screens.navigator import Navigator
from tui.widgets._render import one_line
from tui.widgets.article_pane import ArticlePane
from tui.widgets.facet_list import FacetList
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


class ReaderScreen(Screen[None]):
    """Search, results, article and related mentions, with browser-like history.

    Searches and article loads happen in thread workers that post messages back;
    each request has a sequence number and stale answers are dropped. Its
    :class:`~tui.screens.navigator.Navigator` keeps the history and the
    saved state; its
    :class:`~tui.screens.curation_controller.CurationController` runs the
    curation keys on the current entity: the one under the article cursor,
    or the highlighted facet.

    The entity features: ``enter`` on the entity under the article cursor and
    ``i`` on a facet open its page, ``E`` the entity browser; ``F`` focuses
    the entities of the results (on narrow terminals they cover the results
    while focused) and choosing one narrows the search. After a curation edit
    the open article, its mentions panel, the facets and (when the query names
    entities) the results reload.

    Attributes:
        navigator: The history and the saved state.
        curation: The curation keys.
        view: Which of the results and the article is shown.
    """

    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [
        (0, "-narrow"),
        (100, "-wide"),
    ]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-short"), (14, "-tall")]

    #: The keys of search (the help lists them with the history and entity keys).
    SEARCH_BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", id="search.focus"),
        Binding("escape", "escape", "Back", show=False, id="reader.escape"),
    ]
    #: The keys of the entity features.
    ENTITY_BINDINGS: ClassVar[list[BindingType]] = [
        Binding("E", "browse_entities", "All entities", id="entities.browse"),
        Binding("F", "focus_facets", "Facets", id="facets.focus"),
    ]
    #: Every key of the screen, in the order the footer shows them.
    BINDINGS: ClassVar[list[BindingType]] = [
        *CurationController.BINDINGS,
        *ENTITY_BINDINGS,
        *Navigator.BINDINGS,
        *SEARCH_BINDINGS,
    ]

    def __init__(self) -> None:
        """Create the screen (the library comes from the app)."""
        super().__init__()
        self.navigator = Navigator(self)
        self.curation = CurationController(self, self._curation_target)
        self.view: Literal["results", "article"] = "results"
        self._open_seq = 0
        self._timer: Timer | None = None
        self._quiet: str | None = None
        self._unsaved: str | None = None  # why the last save failed, shown once

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
        self.curation.watch(self.refresh_entities)
        self.navigator.restore()
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

    def show_view(self, view: Literal["results", "article"]) -> None:
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

    def set_query(self, query: str) -> None:
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
        current = self.navigator.history.current
        if current is None or current.kind != "search" or current.settled:
            self.navigator.visit(History.Entry("search", query=event.value))
        else:
            current.query = event.value
        if self.view != "results":
            self.pane.end_find()
            self.show_view("results")
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SEARCH_DELAY, lambda: self.search(event.value, typed=True))

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
            self.show_view("results")
        query = self.search_bar.value
        pane = self.results_pane
        if not pane.is_current(query) or pane.typed:  # submitted: its strict meaning
            self.search(query)
        self.set_focus(self.results)

    def search(self, query: str, *, highlighted: int | None = None, typed: bool = False) -> None:
        """Start a search (an empty query lists the newest articles).

        Args:
            query: The query.
            highlighted: The result to highlight when the results arrive.
            typed: The user is still typing it (see :meth:`ResultsPane.search`).
        """
        self.results_pane.search(query, highlighted=highlighted, typed=typed)

    @on(OptionList.OptionHighlighted, "ResultsList")
    def _result_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Keep the status and the history entry in step with the highlight.

        Args:
            event: The highlight.
        """
        current = self.navigator.history.current
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
            self.navigator.visit(
                History.Entry(
                    "article", article_id=article_id, anchor=anchor or 0, cursor=cursor, mark=mark
                )
            )
        self._open_seq += 1
        self.show_view("article")
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

    # ------------------------------------------------------------------ history

    def action_history_back(self) -> None:
        """Go back to the previous search or article."""
        if not self.navigator.back():
            self.app.bell()

    def action_history_forward(self) -> None:
        """Go forward again."""
        if not self.navigator.forward():
            self.app.bell()

    def narrow_to(self, key: str, *, keep_query: bool = True) -> None:
        """Search for the articles with an entity, as a new place in the history.

        Args:
            key: The entity key.
            keep_query: Add ``entity:"KEY"`` to the last search's query rather
                than search for the entity alone.
        """
        self.navigator.narrow_to(key, keep_query=keep_query)

    def save_state(self) -> str | None:
        """Save the reading state in the library.

        A failure (a full disk) is shown once, until a save works again.

        Returns:
            None, or the one-line reason it could not be saved.
        """
        reason = self.navigator.save()
        if reason is not None and reason != self._unsaved:
            self.notify(reason, title="Reading state not saved", severity="warning", timeout=8)
        self._unsaved = reason
        return reason

    # ------------------------------------------------------------------ entities

    def open_entity_page(self, key: str) -> None:
        """Open an entity's page.

        Args:
            key: The entity key.
        """
        from tui.screens.entity_screen import EntityScreen

        self.app.push_screen(EntityScreen(key))

    def action_open_entity(self) -> None:
        """Open the page of the entity under the article cursor."""
        span = self.pane.body.cursor_entity
        if span is None:
            self.app.bell()
            self.notify("no entity here (n / N select one)", markup=False)
            return
        self.open_entity_page(span.key)

    def action_browse_entities(self) -> None:
        """Open the entity browser."""
        from tui.screens.entity_browser import EntityBrowser

        self.app.push_screen(EntityBrowser())

    def action_focus_facets(self) -> None:
        """Focus the entities of the results (covering the results when narrow)."""
        facets = self.results_pane.facets
        if not facets.facet_list.facets:
            self.app.bell()
            self.notify("no entities in these results", markup=False)
            return
        if self.has_class("-narrow"):
            self.results_pane.add_class("-facets-open")
        facets.facet_list.focus()

    def close_facets(self) -> bool:
        """Leave the entities of the results for the results.

        Returns:
            True if they had focus (or covered the results) and no longer do.
        """
        pane = self.results_pane
        if pane.has_class("-facets-open") or pane.facets.facet_list.has_focus:
            pane.remove_class("-facets-open")
            self.results.focus()
            return True
        return False

    def on_facet_list_narrow(self, message: FacetList.Narrow) -> None:
        """Narrow the search to the entity chosen among the facets.

        Args:
            message: The choice.
        """
        message.stop()
        self.close_facets()
        self.narrow_to(message.entity.key)

    def on_facet_list_open(self, message: FacetList.Open) -> None:
        """Open the page of a facet's entity.

        Args:
            message: The choice.
        """
        message.stop()
        self.open_entity_page(message.entity.key)

    # ------------------------------------------------------------------ curation

    def action_curate(self, what: str) -> None:
        """Merge, hide, rename the current entity, or undo the last edit.

        Args:
            what: ``merge``, ``hide``, ``rename`` or ``undo``.
        """
        self.curation.act(what)

    def _curation_target(self) -> Entity | None:
        """Return the entity under the article cursor, or the highlighted facet.

        Returns:
            The entity, or None.
        """
        if self.view == "article":
            span = self.pane.body.cursor_entity
            if span is None:
                return None
            return Entity(key=span.key, name=span.name or span.text, label=span.label)
        facet_list = self.results_pane.facets.facet_list
        return facet_list.current_entity if facet_list.has_focus else None

    def refresh_entities(self) -> None:
        """Reload the article, its panel, the facets and entity-based results (after an edit)."""
        if self.pane.body.article_id is not None:
            self.reload_article()
        self.results_pane.refresh_entities()

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
            if self.navigator.history.can_go_back:
                self.action_history_back()
            else:
                self.navigator.search_anew(self.search_bar.value)

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
            self.show_view("results")
            self.results.focus()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Turn an unexpected worker error into a notice (never an exit).

        Args:
            event: The state change.
        """
        if event.state == WorkerState.ERROR:
            self.notify(f"error: {one_line(event.worker.error)}", severity="error", markup=False)

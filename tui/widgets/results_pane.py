"""The results list with its status line; it runs the searches."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import OptionList, Static

from index.errors import QueryError
from index.library.as_typed import as_typed
from index.models import ENTITY_FIELDS, Page
from tui.messages import FacetsLoaded, ResultsLoaded, WorkFailed
from tui.widgets._render import one_line, text
from tui.widgets.facets_panel import FacetsPanel
from tui.widgets.results_list import ResultsList

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable

    from textual.message import Message

    from index.library.facade import Library

__all__ = ["ResultsPane"]

#: Results per page.
RESULTS_PAGE = 50
#: Entities shown beside the results.
FACETS = 20
#: How many of the best results the entities are counted in.
FACET_SAMPLE = 500
#: The query fields that name entities (by key, or by kind and name): the
#: results of a query with one of them change with curation.
NAMING_ENTITIES = tuple(f"{name}:" for name in ("entity", "with", *ENTITY_FIELDS))


class ResultsPane(Vertical):
    """Results of the current query, the top entities among them, and "N of M results".

    Searches happen in a thread worker (exclusive: a new one supersedes the last)
    and post :class:`~tui.messages.ResultsLoaded` back; each carries the
    request's sequence number and answers to superseded requests are dropped.
    Further pages load lazily as the highlight nears the end of the list. Once
    a search's first page is shown, the top entities among its results load in
    another worker (exclusive too, so a burst of searches loads them once).

    Attributes:
        seq: The number of the latest search request.
        shown_seq: The number of the request whose results are shown.
        query: The query of the results shown (None before the first).
        error: The one-line error of the last search ("" when none).
        status: The status line as shown.
    """

    def __init__(self, *, id: str | None = None) -> None:
        """Create the pane.

        Args:
            id: The widget id.
        """
        super().__init__(id=id)
        self.seq = 0
        self.shown_seq = -1
        self.query: str | None = None
        self.error = ""
        self.status = Content("")
        self._want: int | None = None
        #: The results shown answer the query as typed (see :meth:`search`).
        self.typed = False

    def compose(self) -> ComposeResult:
        """Create the list and the status line.

        Yields:
            The widgets.
        """
        with Horizontal(id="results-row"):
            yield ResultsList(id="results")
            yield FacetsPanel(id="facets")
        yield Static(text("Loading…", "dim"), id="status")

    @property
    def list(self) -> ResultsList:
        """The results list."""
        return self.query_one(ResultsList)

    @property
    def facets(self) -> FacetsPanel:
        """The panel of the top entities among the results."""
        return self.query_one(FacetsPanel)

    @property
    def library(self) -> Library:
        """The library the app reads."""
        return self.app.library  # type: ignore[attr-defined, no-any-return]

    def is_current(self, query: str) -> bool:
        """Whether the results shown answer ``query`` and no newer search is running.

        Args:
            query: A query.

        Returns:
            True if so.
        """
        return self.query == query and self.shown_seq == self.seq

    def search(self, query: str, *, highlighted: int | None = None, typed: bool = False) -> None:
        """Start a search (an empty query lists the newest articles) in a worker.

        Args:
            query: The query.
            highlighted: The result to highlight when the results arrive.
            typed: The user is still typing it: its last word is also a prefix
                (:func:`~index.library.as_typed.as_typed`), and a query that
                does not parse yet leaves the last results shown, with no error.
        """
        self.seq += 1
        self._want = highlighted
        if not query.strip():
            # The newest articles come straight from SQLite in a few milliseconds:
            # listing them here puts them in the first frame at launch, without a
            # worker's round trip and a second layout.
            self._fetch(self.seq, query, 0, deliver=self._deliver_now)
            return
        self._run_search(self.seq, query, 0, self.list.fit(), typed)

    def _deliver_now(self, message: Message) -> None:
        """Handle a result at once (on the UI thread); other messages are posted."""
        if isinstance(message, ResultsLoaded):
            self.on_results_loaded(message)
        else:
            self.post_message(message)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def _run_search(
        self, seq: int, query: str, offset: int, fit: ResultsList.Fit | None, typed: bool
    ) -> None:
        """Fetch the first page of results (runs in a thread).

        Args:
            seq: The request number.
            query: The query.
            offset: The first result wanted.
            fit: The list's measure, to build its entries here rather than on the UI thread.
            typed: Search the query as typed (see :meth:`search`).
        """
        self._fetch(seq, query, offset, fit=fit, typed=typed)

    def _fetch(
        self,
        seq: int,
        query: str,
        offset: int,
        deliver: Callable[[Message], object] | None = None,
        fit: ResultsList.Fit | None = None,
        typed: bool = False,
    ) -> None:
        """Fetch a page of results and hand it back (from a worker, or at once for the newest).

        From a worker, the list's entries are built and measured here too
        (``fit``): a keystroke that lands as the results arrive then waits for
        little more than the new rows' layout.

        Args:
            seq: The request number.
            query: The query ("" lists the newest articles).
            offset: The first result wanted.
            deliver: Where the results go (default: posted to this widget).
            fit: The list's measure, taken on the UI thread (None: the list builds the entries).
            typed: Search the query as typed (see :meth:`search`).
        """
        post = deliver or self.post_message
        try:
            if query.strip():
                searched = as_typed(query) if typed else query
                page = self.library.search(searched, limit=RESULTS_PAGE, offset=offset)
            else:
                page = self.library.newest(limit=RESULTS_PAGE, offset=offset)
        except QueryError as error:
            empty = Page(query, 0, [])
            post(ResultsLoaded(seq, empty, offset > 0, one_line(error), typed=typed))
            return
        except Exception as error:  # noqa: BLE001 - a notice, never a crash
            reason = f"search failed: {one_line(error)}"
            post(WorkFailed(reason))
            post(ResultsLoaded(seq, Page(query, 0, []), offset > 0, reason))
            return
        page = replace(page, query=query, offset=offset)
        # A superseded search's answer is dropped on arrival: skip its entries.
        current = fit is not None and seq == self.seq
        prompts = ResultsList.prompts(page.hits, fit) if current else None
        post(ResultsLoaded(seq, page, offset > 0, prompts=prompts, typed=typed))

    @on(ResultsList.NeedMore)
    def _more_results(self, event: ResultsList.NeedMore) -> None:
        """Load the next page of the current results.

        Args:
            event: The request.
        """
        if self.query is not None:
            self._run_more(self.shown_seq, self.query, event.offset, self.list.fit(), self.typed)

    @work(thread=True, exit_on_error=False, group="more")
    def _run_more(
        self, seq: int, query: str, offset: int, fit: ResultsList.Fit | None, typed: bool
    ) -> None:
        """Fetch a further page (a separate group so it never cancels a search).

        Args:
            seq: The request number of the results shown.
            query: Their query.
            offset: The first result wanted.
            fit: The list's measure, taken on the UI thread.
            typed: They answer the query as typed.
        """
        self._fetch(seq, query, offset, fit=fit, typed=typed)

    def on_results_loaded(self, message: ResultsLoaded) -> None:
        """Show results, unless a newer search has started.

        Args:
            message: The results.
        """
        if message.seq != self.seq:
            return
        if message.append and (
            message.seq != self.shown_seq or message.page.offset != len(self.list.hits)
        ):
            return
        if message.typed and message.error and not message.append:
            # Half a query (``o``, ``date:20``): the last results stay until it
            # parses; Enter searches it strictly and shows what is wrong.
            self.query, self.shown_seq, self.typed = message.page.query, message.seq, True
            return
        self.error = message.error
        self.typed = message.typed
        self.query, self.shown_seq = message.page.query, message.seq
        self.list.set_page(
            message.page, append=message.append, highlighted=self._want, prompts=message.prompts
        )
        self._want = None
        self.refresh_status()
        if not message.append:
            if message.error:
                self.facets.show_facets(message.page.query, [], sample=FACET_SAMPLE, total=0)
            else:
                # After the next frame: the rows are painted before the counting starts.
                self.call_after_refresh(
                    self._load_facets, message.seq, message.page.query, message.typed
                )

    @work(thread=True, exclusive=True, exit_on_error=False, group="facets")
    def _load_facets(self, seq: int, query: str, typed: bool = False) -> None:
        """Count the top entities among a query's best results (runs in a thread).

        Args:
            seq: The search request number.
            query: The query.
            typed: The results answer the query as typed (see :meth:`search`).
        """
        try:
            searched = as_typed(query) if typed else query
            facets = self.library.facets(searched, limit=FACETS, sample=FACET_SAMPLE)
        except QueryError:
            facets = []
        except Exception as error:  # noqa: BLE001 - a notice, never a crash
            self.post_message(WorkFailed(f"entities in results: {one_line(error)}"))
            facets = []
        self.post_message(FacetsLoaded(seq, query, list(facets)))

    def on_facets_loaded(self, message: FacetsLoaded) -> None:
        """Show the top entities, unless another search has run since.

        Args:
            message: The entities.
        """
        message.stop()
        if message.seq != self.shown_seq or message.seq != self.seq:
            return
        self.facets.show_facets(
            message.query, message.facets, sample=FACET_SAMPLE, total=self.list.total
        )

    def refresh_entities(self) -> None:
        """Show the entities again after a curation edit.

        The top entities reload; the results rerun (keeping the highlight)
        when the query names entities, whose meaning the edit may change.
        """
        if self.query is None:
            return
        lowered = self.query.casefold()
        if any(field in lowered for field in NAMING_ENTITIES):
            self.search(self.query, highlighted=self.list.highlighted)
        else:
            self._load_facets(self.shown_seq, self.query, self.typed)

    def refresh_status(self) -> None:
        """Show "N of M results" (or the query error) under the list."""
        results, query = self.list, self.query or ""
        if self.error:
            status = text(
                self.error
                if self.error.startswith("search failed")
                else f"Query error: {self.error}",
                "bold",
            )
        elif not results.hits:
            status = text("No results" if query.strip() else "The library is empty", "dim")
        else:
            position = (results.highlighted or 0) + 1
            plural = "" if results.total == 1 else "s"
            what = f"result{plural}" if query.strip() else f"article{plural}, newest first"
            total = results.total if results.exact else f"about {results.total}"
            status = text(f"{position} of {total} {what}")
        self.status = status
        self.query_one("#status", Static).update(status)

    @on(OptionList.OptionHighlighted, "ResultsList")
    def _highlighted(self) -> None:
        """Keep the status line in step with the highlight."""
        self.refresh_status()

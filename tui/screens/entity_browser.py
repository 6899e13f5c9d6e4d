"""The entity browser: every entity of the library, filtered, sorted, paged."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static, Tab, Tabs

from index.models import NAMED_LABELS, PLACE_LABELS
from tui.messages import EntitiesLoaded, WorkFailed
from tui.screens.closing import close
from tui.screens.curation_controller import CurationController
from tui.widgets._render import entity_header, one_line, text
from tui.widgets.entity_list import EntityList
from tui.widgets.in_order_input import InOrderInput

if TYPE_CHECKING:  # pragma: no cover
    from index.library.facade import Library

__all__ = ["EntityBrowser"]

#: The kinds offered: (tab id, tab label, labels listed).
KINDS: list[tuple[str, str, tuple[str, ...]]] = [
    ("kind-all", "all", NAMED_LABELS),
    ("kind-person", "people", ("PERSON",)),
    ("kind-org", "organisations", ("ORG",)),
    ("kind-place", "places", PLACE_LABELS),
    (
        "kind-other",
        "other",
        tuple(label for label in NAMED_LABELS if label not in ("PERSON", "ORG", *PLACE_LABELS)),
    ),
]
#: The orders offered, in the order ``s`` cycles through them.
SORTS = ("articles", "mentions", "name")
#: Entities loaded per page.
PAGE = 200
#: Seconds of quiet typing before the list is filtered again.
DELAY = 0.12


class EntityBrowser(Screen[None]):
    """Every entity of the library: type to filter, pick a kind, change the order.

    The list loads :data:`PAGE` entities at a time in a thread worker, and the
    next page as the highlight nears the end; a new filter, kind or order
    supersedes the pages in flight. ``enter`` opens the entity's page; the
    curation keys act on the highlighted entity.

    Attributes:
        curation: The curation keys.
        kind: The index into :data:`KINDS` shown.
        sort: The order (one of :data:`SORTS`).
        contains: The filter text.
        show_hidden: Whether hidden entities are listed too.
    """

    CSS_PATH = "../styles/screens.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        *CurationController.SHOWN_BINDINGS,
        Binding("escape", "close", "Back", id="browser.close"),
        Binding("slash", "focus_filter", "Filter", id="browser.filter"),
        Binding("down", "focus_list", "To list", show=False, id="browser.to_list"),
        Binding("t", "kind(1)", "Kind", id="browser.kind"),
        Binding("T", "kind(-1)", "Previous kind", show=False, id="browser.kind_back"),
        Binding("s", "sort", "Sort", id="browser.sort"),
        Binding("x", "toggle_hidden", "Hidden", id="browser.hidden"),
    ]

    def __init__(self) -> None:
        """Create the browser (the library comes from the app)."""
        super().__init__()
        self.kind = 0
        self.sort = SORTS[0]
        self.contains = ""
        self.show_hidden = False
        self._seq = 0
        self._timer: Timer | None = None
        self.loaded = False
        self.curation = CurationController(self, lambda: self.entity_list.current)

    @property
    def library(self) -> Library:
        """The library the app reads."""
        return self.app.library  # type: ignore[attr-defined, no-any-return]

    @property
    def entity_list(self) -> EntityList:
        """The list of entities."""
        return self.query_one(EntityList)

    def compose(self) -> ComposeResult:
        """Create the filter, the kinds, the column titles, the list and a status line.

        Yields:
            The screen's widgets.
        """
        with Vertical(id="browser"):
            yield InOrderInput(
                placeholder="Type to filter entities by name or alias (↓: to the list)",
                id="browser-filter",
            )
            tabs = Tabs(*(Tab(label, id=tab_id) for tab_id, label, _ in KINDS), id="browser-kinds")
            tabs.can_focus = False
            yield tabs
            yield Static(entity_header(), id="browser-header")
            yield EntityList(id="browser-list")
            yield Static(text("Loading…", "dim"), id="browser-status")
        yield Footer()

    def on_mount(self) -> None:
        """Focus the filter and load the first page."""
        self.curation.watch(lambda: self.reload(keep=True))
        self.query_one("#browser-filter", Input).focus()
        self.reload()

    # ------------------------------------------------------------------ loading

    def reload(self, *, keep: bool = False) -> None:
        """List the entities again from the start (the filter, kind or order changed).

        Args:
            keep: Keep as many entities loaded as now and the highlight (after an edit).
        """
        self._seq += 1
        listing = self.entity_list
        limit = max(PAGE, len(listing.entities)) if keep else PAGE
        highlighted = listing.highlighted if keep else 0
        self._load(self._seq, self._listing(), 0, limit, highlighted)

    def _listing(self) -> dict[str, Any]:
        """The arguments of ``Library.entities`` for the listing asked for.

        Returns:
            Keyword arguments (without the offset and limit).
        """
        return {
            "labels": KINDS[self.kind][2],
            "sort": self.sort,
            "contains": self.contains.strip(),
            "include_hidden": self.show_hidden,
        }

    @work(thread=True, exclusive=True, exit_on_error=False, group="browser")
    def _load(
        self,
        seq: int,
        listing: dict[str, Any],
        offset: int,
        limit: int,
        highlighted: int | None = None,
    ) -> None:
        """Fetch a page of entities (runs in a thread).

        Args:
            seq: The request number.
            listing: The filter, kind and order (see :meth:`_listing`).
            offset: The first entity wanted.
            limit: How many.
            highlighted: The entity to highlight once shown.
        """
        self._fetch(seq, listing, offset, limit, highlighted)

    @work(thread=True, exit_on_error=False, group="browser-more")
    def _load_more(self, seq: int, listing: dict[str, Any], offset: int) -> None:
        """Fetch a further page (a separate group so it never cancels a new listing).

        Args:
            seq: The request number of the listing shown.
            listing: The filter, kind and order.
            offset: The first entity wanted.
        """
        self._fetch(seq, listing, offset, PAGE, None)

    def _fetch(
        self, seq: int, listing: dict[str, Any], offset: int, limit: int, highlighted: int | None
    ) -> None:
        """Fetch entities and post them back (called from a worker thread).

        Args:
            seq: The request number.
            listing: The filter, kind and order.
            offset: The first entity wanted.
            limit: How many.
            highlighted: The entity to highlight once shown.
        """
        try:
            found = self.library.entities(limit=limit + 1, offset=offset, aliases=3, **listing)
        except Exception as error:  # noqa: BLE001 - a notice, never a crash
            self.post_message(WorkFailed(f"entities: {one_line(error)}"))
            found = []
        self.post_message(
            EntitiesLoaded(seq, offset, found[:limit], len(found) <= limit, highlighted)
        )

    def on_entities_loaded(self, message: EntitiesLoaded) -> None:
        """Show a page of entities, unless the listing changed since.

        Args:
            message: The page.
        """
        message.stop()
        listing = self.entity_list
        if message.seq != self._seq:
            return
        if message.offset and message.offset != len(listing.entities):
            return
        listing.set_entities(
            message.entities,
            append=message.offset > 0,
            done=message.done,
            highlighted=message.highlighted,
        )
        self.loaded = True
        self.refresh_status()

    @on(EntityList.NeedMore)
    def _more(self, event: EntityList.NeedMore) -> None:
        """Load the next page.

        Args:
            event: The request.
        """
        event.stop()
        self._load_more(self._seq, self._listing(), event.offset)

    def refresh_status(self) -> None:
        """Say how many entities are listed, of which kind, in which order."""
        listing = self.entity_list
        count = len(listing.entities)
        shown = f"{count}{'' if listing.done else '+'} entit{'y' if count == 1 else 'ies'}"
        if self.contains.strip():
            shown += f" matching {self.contains.strip()!r}"
        parts = [shown, f"kind: {KINDS[self.kind][1]}", f"sort: {self.sort}"]
        if self.show_hidden:
            parts.append("hidden ones too")
        self.query_one("#browser-status", Static).update(text(" · ".join(parts)))

    # ------------------------------------------------------------------ filter

    @on(Input.Changed, "#browser-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        """Filter again once typing pauses.

        Args:
            event: The change.
        """
        event.stop()
        self.contains = event.value
        self._seq += 1  # drop pages of the old filter at once
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DELAY, self.reload)

    @on(Input.Submitted, "#browser-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        """Move to the list.

        Args:
            event: The submission.
        """
        event.stop()
        self.entity_list.focus()

    @on(Tabs.TabActivated)
    def _tab_activated(self, event: Tabs.TabActivated) -> None:
        """List another kind (a click on a tab, or ``t`` / ``T``).

        Args:
            event: The activation.
        """
        event.stop()
        index = next((i for i, kind in enumerate(KINDS) if kind[0] == event.tab.id), 0)
        if index != self.kind:
            self.kind = index
            self.reload()

    @on(EntityList.Chosen)
    def _chosen(self, event: EntityList.Chosen) -> None:
        """Open the page of the entity chosen.

        Args:
            event: The choice.
        """
        event.stop()
        from tui.screens.entity_screen import EntityScreen

        self.app.push_screen(EntityScreen(event.entity.key))

    # ------------------------------------------------------------------ actions

    def action_kind(self, step: int) -> None:
        """Show the next or previous kind.

        Args:
            step: 1 or -1.
        """
        tab_id = KINDS[(self.kind + step) % len(KINDS)][0]
        self.query_one(Tabs).active = tab_id

    def action_sort(self) -> None:
        """Cycle the order: articles, mentions, name."""
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.reload()

    def action_toggle_hidden(self) -> None:
        """List hidden entities too (or not)."""
        self.show_hidden = not self.show_hidden
        self.reload()

    def action_focus_filter(self) -> None:
        """Focus the filter."""
        field = self.query_one("#browser-filter", Input)
        field.focus()
        field.cursor_position = len(field.value)

    def action_focus_list(self) -> None:
        """Leave the filter for the list."""
        self.entity_list.focus()

    def action_close(self) -> None:
        """Go back to where the browser was opened."""
        close(self)

    def action_curate(self, what: str) -> None:
        """Merge, hide, rename the highlighted entity, or undo the last edit.

        Args:
            what: ``merge``, ``hide``, ``rename`` or ``undo``.
        """
        self.curation.act(what)

"""Pick any entity of the library by typing part of a name (the merge target)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from index.models import Entity
from tui.messages import EntitiesLoaded, WorkFailed
from tui.screens.filter_picker import FilterPicker
from tui.widgets._render import entity_header, entity_row, one_line, text
from tui.widgets.in_order_input import InOrderInput
from tui.widgets.option_list import ReaderOptionList

if TYPE_CHECKING:  # pragma: no cover
    from index.library.facade import Library

__all__ = ["EntityFinder"]

#: Entities listed at most.
LIMIT = 50
#: Seconds of quiet typing before the lookup runs.
DELAY = 0.12


class EntityFinder(FilterPicker[Entity]):
    """Type part of a name or alias; pick an entity; dismisses with it (or None).

    The lookup (``Library.entities(contains=...)``, most articles first) runs
    in a thread worker after a short pause in typing; answers to superseded
    lookups are dropped. Each row shows the name, kind, articles, mentions and
    other names.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="finder.close"),
        Binding("down", "move(1)", "Down", show=False, id="finder.down"),
        Binding("up", "move(-1)", "Up", show=False, id="finder.up"),
    ]

    def __init__(self, title: str, *, exclude: str = "") -> None:
        """Create the picker.

        Args:
            title: The dialog's title (plain text).
            exclude: A key to leave out (the entity being merged).
        """
        super().__init__()
        self._title = title
        self._exclude = exclude
        self._seq = 0
        self._shown_seq = -1
        self._pick_when_shown = False
        self._timer: Timer | None = None
        self.entities: list[Entity] = []
        self.loaded = False

    @property
    def library(self) -> Library:
        """The library the app reads."""
        return self.app.library  # type: ignore[attr-defined, no-any-return]

    def compose(self) -> ComposeResult:
        """Create the filter, the column titles and the list.

        Yields:
            The dialog.
        """
        with Vertical(id="picker", classes="finder"):
            yield InOrderInput(placeholder="Type part of a name or alias", id="picker-filter")
            yield Static(entity_header(), id="finder-header")
            yield ReaderOptionList(id="picker-list", markup=False)

    def on_mount(self) -> None:
        """Title the dialog, focus the filter, list the biggest entities."""
        box = self.query_one("#picker", Vertical)
        box.border_title = text(self._title)
        box.border_subtitle = text("enter: pick · escape: cancel")
        self.query_one(Input).focus()
        self._lookup(self._seq, "")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        """Look up the entities matching the text, once typing pauses.

        Args:
            event: The change.
        """
        event.stop()
        self._seq += 1
        if self._timer is not None:
            self._timer.stop()
        seq, value = self._seq, event.value
        self._timer = self.set_timer(DELAY, lambda: self._lookup(seq, value))

    @work(thread=True, exclusive=True, exit_on_error=False, group="finder")
    def _lookup(self, seq: int, needle: str) -> None:
        """Fetch the entities whose name or an alias contains ``needle`` (runs in a thread).

        Args:
            seq: The request number.
            needle: The text typed.
        """
        try:
            found = self.library.entities(
                contains=needle.strip(), limit=LIMIT + 1, sort="articles", aliases=3
            )
        except Exception as error:  # noqa: BLE001 - a notice, never a crash
            self.post_message(WorkFailed(f"entities: {one_line(error)}"))
            found = []
        self.post_message(EntitiesLoaded(seq, 0, found, done=len(found) <= LIMIT))

    def on_entities_loaded(self, message: EntitiesLoaded) -> None:
        """Show the entities found, unless the text changed since.

        Args:
            message: The answer.
        """
        message.stop()
        if message.seq != self._seq:
            return
        self.entities = [e for e in message.entities if e.key != self._exclude][:LIMIT]
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        option_list.add_options(Option(entity_row(entity)) for entity in self.entities)
        if self.entities:
            option_list.highlighted = 0
        count = len(self.entities)
        more = "" if message.done else "+"
        noun = "entity" if count == 1 and not more else "entities"
        note = f"{count}{more} {noun} · enter: pick · escape: cancel" if count else "no entity"
        self.query_one("#picker", Vertical).border_subtitle = text(note)
        self.loaded = True
        self._shown_seq = message.seq
        if self._pick_when_shown:
            self._pick_when_shown = False
            self._pick(option_list.highlighted)

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        """Pick the highlighted entity.

        Args:
            event: The submission.
        """
        event.stop()
        if self._shown_seq != self._seq:  # typed faster than the lookup: pick its answer
            self._pick_when_shown = True
            return
        self._pick(self.query_one(OptionList).highlighted)

    def choices(self) -> list[Entity]:
        """The entities listed, in the list's order."""
        return self.entities

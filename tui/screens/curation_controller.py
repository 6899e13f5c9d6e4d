"""Entity edits from the screens that show entities: merge, hide, rename and undo."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import Binding, BindingType

from index.models import Entity
from tui.messages import CurationDone
from tui.widgets._render import one_line

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    from textual.app import App
    from textual.screen import Screen

__all__ = ["UNDO_LIMIT", "CurationController"]

#: One curation edit at a time in this process (each takes a snapshot first).
_EDIT_LOCK = threading.Lock()
#: The most edits that can be undone.
UNDO_LIMIT = 100


class CurationController:
    """The curation keys of one screen: ``M`` / ``H`` / ``R`` / ``u`` edit its current entity.

    A screen that shows entities holds one, given the screen and a function
    that returns its current entity (None when there is none); it binds
    :attr:`BINDINGS` (or :attr:`SHOWN_BINDINGS`, to show them in the footer)
    and runs :meth:`act` from its ``curate`` action. Once mounted it calls
    :meth:`watch` with how to show the library again: that runs after every
    edit or undo, whichever screen made it.

    Edits go through :class:`index.library.curator.Curator`, which takes the
    library's write lock (an ``add`` may hold it for a while), so they happen in
    thread workers owned by the app (they outlive the screen that asked) and
    post :class:`~tui.messages.CurationDone` to the app. The app keeps the
    undo stack (``curation_undo``), shows the edit's message and publishes
    its ``entities_changed`` signal, which :meth:`watch` subscribes to.
    """

    #: The curation keys, left out of the footer (the reader screen).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("M", "curate('merge')", "Merge into…", show=False, id="entity.merge"),
        Binding("H", "curate('hide')", "Hide", show=False, id="entity.hide"),
        Binding("R", "curate('rename')", "Rename", show=False, id="entity.rename"),
        Binding("u,ctrl+z", "curate('undo')", "Undo", show=False, id="curation.undo"),
    ]

    #: The same keys, shown in the footer (the entity screens).
    SHOWN_BINDINGS: ClassVar[list[BindingType]] = [
        Binding("M", "curate('merge')", "Merge into…", id="entity.merge"),
        Binding("H", "curate('hide')", "Hide", id="entity.hide"),
        Binding("R", "curate('rename')", "Rename", id="entity.rename"),
        Binding("u,ctrl+z", "curate('undo')", "Undo", id="curation.undo"),
    ]

    def __init__(self, screen: Screen[Any], target: Callable[[], Entity | None]) -> None:
        """Create the controller of a screen.

        Args:
            screen: The screen whose keys it serves (its app runs the edits).
            target: Returns the entity the keys act on, or None when there is none.
        """
        self._screen = screen
        self._target = target

    @property
    def _app(self) -> App[Any]:
        return self._screen.app

    def watch(self, refresh: Callable[[], None]) -> None:
        """Call ``refresh`` after every edit and undo (call it once the screen is mounted).

        Args:
            refresh: Shows the library again on the screen.
        """
        # A screen that has closed is dropped from the signal at its next publish.
        signal = self._app.entities_changed  # type: ignore[attr-defined]
        signal.subscribe(self._screen, lambda _: refresh(), immediate=True)

    def act(self, what: str) -> None:
        """Run one of the curation keys.

        Args:
            what: ``merge``, ``hide``, ``rename`` or ``undo``.
        """
        actions = {"merge": self.merge, "hide": self.hide, "rename": self.rename, "undo": self.undo}
        actions[what]()

    # ------------------------------------------------------------------ edits

    def _current(self) -> Entity | None:
        """Return the current entity, or say that there is none.

        Returns:
            The entity, or None (after a notice).
        """
        entity = self._target()
        if entity is None:
            self._app.bell()
            self._screen.notify("no entity here", markup=False)
        return entity

    def merge(self) -> None:
        """Merge the current entity into another one, picked in a dialog."""
        from tui.screens.entity_finder import EntityFinder

        source = self._current()
        if source is None:
            return

        def chosen(target: Entity | None) -> None:
            if target is not None:
                self.curate("merge", source.key, target.key)

        title = f"Merge {one_line(source.name or source.key)} into…"
        self._app.push_screen(EntityFinder(title, exclude=source.key), chosen)

    def hide(self) -> None:
        """Hide the current entity everywhere (or show it again if hidden)."""
        entity = self._current()
        if entity is not None:
            self.curate("unhide" if entity.hidden else "hide", entity.key)

    def rename(self) -> None:
        """Rename the current entity (an empty name restores the default)."""
        from tui.screens.rename_dialog import RenameDialog

        entity = self._current()
        if entity is None:
            return

        def renamed(name: str | None) -> None:
            if name is not None and name != entity.name:
                self.curate("rename", entity.key, name)

        self._app.push_screen(RenameDialog(entity.name, entity.key), renamed)

    def undo(self) -> None:
        """Undo the last entity edit (put ``aliases.toml`` back as it was)."""
        app = self._app
        stack: list[tuple[str | None, str]] = app.curation_undo  # type: ignore[attr-defined]
        if not stack:
            app.bell()
            self._screen.notify("nothing to undo", markup=False)
            return
        snapshot, what = stack.pop()
        app.run_worker(
            partial(_undo_in_thread, app, self._root(), snapshot, what),
            name="curation.undo",
            group="curation",
            thread=True,
            exit_on_error=False,
        )

    def curate(self, edit: str, *args: str) -> None:
        """Make a curator edit in a thread worker.

        Args:
            edit: A :class:`~index.library.curator.Curator` method: ``merge``,
                ``hide``, ``unhide``, ``rename`` or ``split``.
            *args: Its arguments (entity keys, a new name).
        """
        self._app.run_worker(
            partial(_edit_in_thread, self._app, self._root(), edit, args),
            name=f"curation.{edit}",
            group="curation",
            thread=True,
            exit_on_error=False,
        )

    def _root(self) -> Path:
        """The library directory."""
        return self._app.library.path  # type: ignore[attr-defined, no-any-return]


def _edit_in_thread(app: App[Any], root: Path, edit: str, args: tuple[str, ...]) -> None:
    """Snapshot ``aliases.toml``, make the edit, and post the outcome (runs in a thread).

    Args:
        app: The app to post to.
        root: The library directory.
        edit: The curator method.
        args: Its arguments.
    """
    try:
        from index.library.curator import Curator

        with _EDIT_LOCK:
            curator = Curator(root)
            before = curator.snapshot()
            text = one_line(getattr(curator, edit)(*args))
    except Exception as error:  # noqa: BLE001 - shown as a notice, never fatal
        app.post_message(CurationDone(f"{edit}: {one_line(error)}", error=True))
        return
    app.post_message(CurationDone(text, undo=(before, text)))


def _undo_in_thread(app: App[Any], root: Path, snapshot: str | None, what: str) -> None:
    """Put a snapshot back and post the outcome (runs in a thread).

    Args:
        app: The app to post to.
        root: The library directory.
        snapshot: ``aliases.toml`` as it was (None: no file).
        what: What the undone edit did.
    """
    try:
        from index.library.curator import Curator

        with _EDIT_LOCK:
            Curator(root).restore(snapshot)
    except Exception as error:  # noqa: BLE001 - shown as a notice, never fatal
        app.post_message(
            CurationDone(f"undo: {one_line(error)}", undo=(snapshot, what), error=True)
        )
        return
    app.post_message(CurationDone(f"undone: {what}"))

"""The base of the screens that show entities: merge, hide, rename and undo."""

from __future__ import annotations

import threading
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen

from index.models import Entity
from tui.messages import CurationDone
from tui.widgets._render import one_line

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    from textual.app import App

__all__ = ["CurationScreen"]

#: One curation edit at a time in this process (each takes a snapshot first).
_EDIT_LOCK = threading.Lock()
#: The most edits that can be undone.
UNDO_LIMIT = 100


class CurationScreen(Screen[None]):
    """A screen with a current entity that ``M`` / ``H`` / ``R`` / ``u`` edit.

    Subclasses say which entity is current (:meth:`curation_target`) and how to
    show the library again after an edit (:meth:`refresh_entities`). Edits go
    through :class:`index.library.curator.Curator`, which takes the library's write
    lock (an ``add`` may hold it for a while), so they run in thread workers
    owned by the app (they outlive the screen that asked) and post
    :class:`~tui.messages.CurationDone` to the app, which calls
    :meth:`finish`: the edit's snapshot goes on the app's undo stack, its
    message is shown, and every entity screen refreshes.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("M", "merge_entity", "Merge into…", show=False, id="entity.merge"),
        Binding("H", "hide_entity", "Hide", show=False, id="entity.hide"),
        Binding("R", "rename_entity", "Rename", show=False, id="entity.rename"),
        Binding("u,ctrl+z", "undo_curation", "Undo", show=False, id="curation.undo"),
    ]

    #: The same bindings, shown in the footer (for the entity screens).
    SHOWN_BINDINGS: ClassVar[list[BindingType]] = [
        Binding("M", "merge_entity", "Merge into…", id="entity.merge"),
        Binding("H", "hide_entity", "Hide", id="entity.hide"),
        Binding("R", "rename_entity", "Rename", id="entity.rename"),
        Binding("u,ctrl+z", "undo_curation", "Undo", id="curation.undo"),
    ]

    # ------------------------------------------------------------------ hooks

    def curation_target(self) -> Entity | None:
        """Return the entity the curation keys act on.

        Returns:
            The current entity, or None when there is none here.
        """
        return None

    def refresh_entities(self) -> None:
        """Show the library again after a curation edit or an undo."""

    # ------------------------------------------------------------------ actions

    def _target(self) -> Entity | None:
        """Return the current entity, or say that there is none.

        Returns:
            The entity, or None (after a notice).
        """
        entity = self.curation_target()
        if entity is None:
            self.app.bell()
            self.notify("no entity here", markup=False)
        return entity

    def action_merge_entity(self) -> None:
        """Merge the current entity into another one, picked in a dialog."""
        from tui.screens.entity_finder import EntityFinder

        source = self._target()
        if source is None:
            return

        def chosen(target: Entity | None) -> None:
            if target is not None:
                self.curate("merge", source.key, target.key)

        title = f"Merge {one_line(source.name or source.key)} into…"
        self.app.push_screen(EntityFinder(title, exclude=source.key), chosen)

    def action_hide_entity(self) -> None:
        """Hide the current entity everywhere (or show it again if hidden)."""
        entity = self._target()
        if entity is not None:
            self.curate("unhide" if entity.hidden else "hide", entity.key)

    def action_rename_entity(self) -> None:
        """Rename the current entity (an empty name restores the default)."""
        from tui.screens.rename_dialog import RenameDialog

        entity = self._target()
        if entity is None:
            return

        def renamed(name: str | None) -> None:
            if name is not None and name != entity.name:
                self.curate("rename", entity.key, name)

        self.app.push_screen(RenameDialog(entity.name, entity.key), renamed)

    def action_undo_curation(self) -> None:
        """Undo the last entity edit (put ``aliases.toml`` back as it was)."""
        stack = self.undo_stack(self.app)
        if not stack:
            self.app.bell()
            self.notify("nothing to undo", markup=False)
            return
        snapshot, what = stack.pop()
        self.app.run_worker(
            partial(self._undo_in_thread, self.app, self._root(), snapshot, what),
            name="curation.undo",
            group="curation",
            thread=True,
            exit_on_error=False,
        )

    def curate(self, edit: str, *args: str) -> None:
        """Run a curator edit in a thread worker.

        Args:
            edit: A :class:`~index.library.curator.Curator` method: ``merge``,
                ``hide``, ``unhide``, ``rename`` or ``split``.
            *args: Its arguments (entity keys, a new name).
        """
        self.app.run_worker(
            partial(self._edit_in_thread, self.app, self._root(), edit, args),
            name=f"curation.{edit}",
            group="curation",
            thread=True,
            exit_on_error=False,
        )

    def _root(self) -> Path:
        """The library directory."""
        return self.app.library.path  # type: ignore[attr-defined, no-any-return]

    # ------------------------------------------------------------------ threads

    @staticmethod
    def _edit_in_thread(app: App[None], root: Path, edit: str, args: tuple[str, ...]) -> None:
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

    @staticmethod
    def _undo_in_thread(app: App[None], root: Path, snapshot: str | None, what: str) -> None:
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

    # ------------------------------------------------------------------ results

    @staticmethod
    def undo_stack(app: App[None]) -> list[tuple[str | None, str]]:
        """Return the app's undo stack (created on first use).

        Args:
            app: The app.

        Returns:
            ``(aliases.toml before the edit, what the edit did)``, oldest first.
        """
        stack: list[tuple[str | None, str]] | None = getattr(app, "curation_undo", None)
        if stack is None:
            stack = []
            app.curation_undo = stack  # type: ignore[attr-defined]
        return stack

    @classmethod
    def finish(cls, app: App[None], message: CurationDone) -> None:
        """Record an edit's undo entry, show its message, refresh the entity screens.

        Args:
            app: The app.
            message: The outcome.
        """
        if message.undo is not None:
            stack = cls.undo_stack(app)
            stack.append(message.undo)
            del stack[: max(0, len(stack) - UNDO_LIMIT)]
        app.notify(
            message.text,
            title="entities",
            severity="error" if message.error else "information",
            markup=False,
        )
        if message.error and message.undo is None:
            return
        for screen in app.screen_stack:
            if isinstance(screen, CurationScreen):
                screen.refresh_entities()

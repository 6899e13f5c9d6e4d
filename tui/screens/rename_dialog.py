"""The small dialog that asks for an entity's new name."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.screens.closing import close
from tui.widgets._render import one_line, safe, text
from tui.widgets.in_order_input import InOrderInput

__all__ = ["RenameDialog"]


class RenameDialog(ModalScreen[str | None]):
    """Edit a name; dismisses with the new name (stripped) or None when cancelled.

    An empty name means "back to the default name" (the curator's rule).
    """

    CSS_PATH = "../styles/screens.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="rename.cancel"),
    ]

    def __init__(self, name: str, key: str) -> None:
        """Create the dialog.

        Args:
            name: The entity's current display name (prefilled).
            key: Its key (shown under the input).
        """
        super().__init__()
        self._name = safe(name)
        self._key = key

    def compose(self) -> ComposeResult:
        """Create the input and a hint.

        Yields:
            The dialog.
        """
        with Vertical(id="rename"):
            yield InOrderInput(
                value=self._name,
                placeholder="New name (empty: the default name)",
                id="rename-input",
                select_on_focus=False,
            )
            yield Static(
                text(f"{one_line(self._key)} · enter: rename · escape: cancel", "dim"),
                id="rename-hint",
            )

    def on_mount(self) -> None:
        """Title the dialog and focus the input."""
        self.query_one("#rename", Vertical).border_title = text(f"Rename {one_line(self._name)}")
        field = self.query_one(Input)
        field.focus()
        field.cursor_position = len(field.value)

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        """Dismiss with the name typed.

        Args:
            event: The submission.
        """
        event.stop()
        close(self, " ".join(event.value.split()))

    def action_cancel(self) -> None:
        """Close without renaming."""
        close(self, None)

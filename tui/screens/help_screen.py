"""The help screen: every key binding, generated from the bindings themselves."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable

from tui.screens.closing import close

__all__ = ["HelpScreen"]

#: A section title and its rows of (keys as displayed, description, binding id).
HelpSection = tuple[str, list[tuple[str, str, str]]]


class HelpScreen(ModalScreen[None]):
    """A table of the keys, by section, as currently mapped.

    The rows come from the ``BINDINGS`` of the app's classes with the user's
    keymap applied (see ``ReaderApp.help_sections``), so the help never goes
    stale and shows remapped keys.
    """

    CSS_PATH = "../styles/screens.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close help", id="help.close"),
        Binding("j", "move(1)", "Down", show=False, id="help.down"),
        Binding("k", "move(-1)", "Up", show=False, id="help.up"),
    ]

    def __init__(self, sections: list[HelpSection]) -> None:
        """Create the help screen.

        Args:
            sections: The sections to show.
        """
        super().__init__()
        self._sections = sections

    def render_table(self) -> Content:
        """Build the help as plain text (what the table shows, for tests and export).

        Returns:
            One block per section: a bold title, then ``keys  description  (id)`` rows.
        """
        rows = [row for _, section_rows in self._sections for row in section_rows]
        key_width = min(24, max((cell_len(keys) for keys, _, _ in rows), default=8))
        text_width = min(32, max((cell_len(desc) for _, desc, _ in rows), default=8))
        lines: list[Content] = []
        for title, section_rows in self._sections:
            if lines:
                lines.append(Content(""))
            lines.append(Content(title).stylize("bold underline"))
            for keys, description, binding_id in section_rows:
                lines.append(
                    Content.assemble(
                        (keys, "bold"),
                        " " * max(1, key_width - cell_len(keys) + 2),
                        description,
                        " " * max(1, text_width - cell_len(description) + 2),
                        (binding_id, "dim"),
                    )
                )
        return Content("\n").join(lines)

    def compose(self) -> ComposeResult:
        """Create the table: a bold row per section, then one row per binding.

        Yields:
            The help dialog.
        """
        with Vertical(id="help"):
            # Rich Text cells: never parsed as markup (keys like "[" stay literal).
            table: DataTable[Text] = DataTable(id="help-table", cursor_type="row")
            table.add_columns(Text("Keys"), Text("Action"), Text("Binding id"))
            for title, rows in self._sections:
                table.add_row(Text(title, style="bold underline"), Text(""), Text(""))
                for keys, description, binding_id in rows:
                    table.add_row(
                        Text(keys, style="bold"), Text(description), Text(binding_id, style="dim")
                    )
            yield table

    def on_mount(self) -> None:
        """Title the dialog and focus the table."""
        box = self.query_one("#help", Vertical)
        box.border_title = "Keys"
        box.border_subtitle = "escape: close"
        self.query_one(DataTable).focus()

    def action_move(self, rows: int) -> None:
        """Move the table cursor.

        Args:
            rows: Rows to move (negative: up).
        """
        table = self.query_one(DataTable)
        table.move_cursor(row=max(0, table.cursor_row + rows))

    def action_close(self) -> None:
        """Close the help."""
        close(self, None)

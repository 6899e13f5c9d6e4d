"""The reader's screens (and its command palette provider), one class per module."""

from __future__ import annotations

from tui.screens.entity_picker import EntityPicker
from tui.screens.help_screen import HelpScreen
from tui.screens.history import History
from tui.screens.reader_commands import ReaderCommands
from tui.screens.reader_screen import ReaderScreen
from tui.screens.reader_state import ReaderState

__all__ = [
    "EntityPicker",
    "HelpScreen",
    "History",
    "ReaderCommands",
    "ReaderScreen",
    "ReaderState",
]

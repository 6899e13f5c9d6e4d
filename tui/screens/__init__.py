"""The reader's screens (and its command palette provider), one class per module."""

from __future__ import annotations

from tui.screens.curation_screen import CurationScreen
from tui.screens.entity_browser import EntityBrowser
from tui.screens.entity_finder import EntityFinder
from tui.screens.entity_picker import EntityPicker
from tui.screens.entity_screen import EntityScreen
from tui.screens.help_screen import HelpScreen
from tui.screens.history import History
from tui.screens.reader_commands import ReaderCommands
from tui.screens.reader_entities import ReaderEntities
from tui.screens.reader_history import ReaderHistory
from tui.screens.reader_screen import ReaderScreen
from tui.screens.reader_state import ReaderState
from tui.screens.rename_dialog import RenameDialog

__all__ = [
    "CurationScreen",
    "EntityBrowser",
    "EntityFinder",
    "EntityPicker",
    "EntityScreen",
    "HelpScreen",
    "History",
    "ReaderCommands",
    "ReaderEntities",
    "ReaderHistory",
    "ReaderScreen",
    "ReaderState",
    "RenameDialog",
]

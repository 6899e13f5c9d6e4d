"""The reader's screens (and its command palette provider), one class per module."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
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

#: Where each name lives: imported on first use, so that importing one module
#: of the package does not import them all (the reader starts faster).
_MODULES: dict[str, str] = {
    "CurationScreen": "tui.screens.curation_screen",
    "EntityBrowser": "tui.screens.entity_browser",
    "EntityFinder": "tui.screens.entity_finder",
    "EntityPicker": "tui.screens.entity_picker",
    "EntityScreen": "tui.screens.entity_screen",
    "HelpScreen": "tui.screens.help_screen",
    "History": "tui.screens.history",
    "ReaderCommands": "tui.screens.reader_commands",
    "ReaderEntities": "tui.screens.reader_entities",
    "ReaderHistory": "tui.screens.reader_history",
    "ReaderScreen": "tui.screens.reader_screen",
    "ReaderState": "tui.screens.reader_state",
    "RenameDialog": "tui.screens.rename_dialog",
}

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


def __getattr__(name: str) -> Any:
    """Import a re-exported class on first use (PEP 562)."""
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)

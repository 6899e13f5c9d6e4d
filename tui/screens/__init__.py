"""The reader's screens (and its command palette provider), one class per module."""

from __future__ import annotations

from tui._lazy import lazy_classes

__all__ = [
    "CurationController",
    "EntityBrowser",
    "EntityFinder",
    "EntityPicker",
    "EntityScreen",
    "HelpScreen",
    "History",
    "Navigator",
    "ReaderCommands",
    "ReaderScreen",
    "ReaderState",
    "RenameDialog",
]

__getattr__ = lazy_classes(__name__, __all__)

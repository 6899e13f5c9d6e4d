"""The newsdesk terminal reader (Textual).

Importing :mod:`tui` is cheap: the application classes load lazily on first
attribute access, so the CLI can parse arguments and check the terminal before
Textual is imported, and nothing here ever imports spaCy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - typing only
    from tui.app import ReaderApp, make_app
    from tui.config import Config, load_config

__all__ = ["Config", "ReaderApp", "load_config", "make_app"]

_LAZY = {
    "ReaderApp": "tui.app",
    "make_app": "tui.app",
    "Config": "tui.config",
    "load_config": "tui.config",
}


def __getattr__(name: str) -> Any:
    """Import the public names on first use.

    Args:
        name: The attribute requested from the package.

    Returns:
        The named object from its module.

    Raises:
        AttributeError: If the name is not exported by the package.
    """
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'tui' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module_name), name)

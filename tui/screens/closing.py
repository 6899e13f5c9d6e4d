"""Closing a screen once, however many closing keys arrive."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

__all__ = ["close"]


def close(screen: Screen[Any], result: Any = None) -> None:
    """Dismiss ``screen`` with ``result``, if it is still the screen shown.

    Keys that arrive in one burst are handed to the focused widget before any
    of them is handled, so a second ``escape`` or ``enter`` can reach a screen
    that the first one closed. Textual's ``dismiss`` pops whichever screen is
    on top (the reader's own, or nothing: ``ScreenStackError``) and runs the
    result callback again; here the later keys do nothing.

    Args:
        screen: The screen to close.
        result: What its ``push_screen`` callback is given.
    """
    if screen.is_active:
        screen.dismiss(result)

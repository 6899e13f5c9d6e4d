"""What the type-to-filter pickers share: a filter, a list, pick, move, cancel."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen
from textual.widgets import OptionList

from tui.screens.closing import close

__all__ = ["FilterPicker"]

T = TypeVar("T")


class FilterPicker(ModalScreen[T | None]):
    """A modal list under a filter input; dismisses with the picked choice (or None).

    Subclasses compose ``#picker`` with an ``Input`` and an ``OptionList``, keep
    the choices listed in the list's order, say which they are in
    :meth:`choices`, and bind ``move(1)``, ``move(-1)`` and ``cancel`` (with
    their own binding ids).
    """

    CSS_PATH = "../styles/screens.tcss"

    def choices(self) -> list[T]:
        """The choices listed, in the list's order."""
        raise NotImplementedError

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Pick the choice clicked or selected.

        Args:
            event: The selection.
        """
        event.stop()
        self._pick(event.option_index)

    def _pick(self, index: int | None) -> None:
        """Dismiss with the choice at ``index`` (nothing when out of range).

        Args:
            index: An index into the listed choices.
        """
        listed = self.choices()
        if index is not None and 0 <= index < len(listed):
            close(self, listed[index])

    def action_move(self, step: int) -> None:
        """Move the highlight while the filter has focus.

        Args:
            step: 1 or -1.
        """
        option_list = self.query_one(OptionList)
        if option_list.option_count:
            current = option_list.highlighted or 0
            option_list.highlighted = max(0, min(option_list.option_count - 1, current + step))

    def action_cancel(self) -> None:
        """Close without picking."""
        close(self, None)

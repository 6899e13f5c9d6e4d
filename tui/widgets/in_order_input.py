"""An input that runs its own key bindings in the order the keys came."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

__all__ = ["InOrderInput"]


class InOrderInput(Input):
    """An ``Input`` whose editing keys keep their place among the typed characters.

    Textual inserts a typed character as the input takes the key from its
    queue, but runs a key binding (backspace, ``ctrl+u``, enter, the cursor
    keys) only once the key has bubbled up to the app. Keys that arrive in
    one burst (a fast typist over SSH, where keystrokes share a packet) would
    therefore be reordered: ``x y backspace z`` would give "xy", and
    ``ctrl+u a b`` "" (the deletion running after the new text went in). Here the input
    runs its own (non-priority) bindings, keymap applied, as it takes the key
    from its queue, and a key still queued here after an earlier key moved the
    focus away goes to the new focus; other keys go on as before.
    """

    def type_character(self, character: str) -> None:
        """Type a character now, as a printable key would (over the selection, if any).

        Args:
            character: The character.
        """
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(character)
        else:
            self.replace(character, *selection)

    async def _on_key(self, event: events.Key) -> None:
        """Insert a character, or run this input's binding for the key, in order.

        Args:
            event: The key.
        """
        focused = self.app.focused  # set at once by a focus move (has_focus follows later)
        if focused is not None and focused is not self:
            # A key of a burst queued here before an earlier one of the burst
            # (enter, tab) moved the focus on: it belongs to the new focus.
            event.stop()
            event.prevent_default()
            focused.post_message(events.Key(event.key, event.character))
            return
        if not event.is_printable:
            for node, bindings in self.screen._binding_chain:
                if node is not self:
                    continue
                for binding in bindings.key_to_bindings.get(event.key, ()):
                    if not binding.priority and await self.app.run_action(binding.action, self):
                        event.stop()
                        event.prevent_default()
                        return
                break
        await super()._on_key(event)

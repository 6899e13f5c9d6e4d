"""Command palette provider: the reader's actions, by their binding descriptions."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.dom import DOMNode

__all__ = ["ReaderCommands"]

#: Actions not worth offering in the palette.
_SKIP = {"command_palette", "app.command_palette", "help_quit"}


class ReaderCommands(Provider):
    """Offer every action reachable from the focused widget, as in the help screen.

    The commands are the active bindings of the screen the palette was opened
    from (the focused widget, its containers, the screen and the app), named by
    their descriptions and showing their keys.
    """

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        """Collect the commands.

        Returns:
            ``(description, help, callback)`` for each active, enabled binding.
        """
        seen: set[tuple[str, str]] = set()
        commands: list[tuple[str, str, Callable[[], object]]] = []
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.action in _SKIP or not active.enabled:
                continue
            marker = (binding.description, binding.action)
            if marker in seen:
                continue
            seen.add(marker)
            node: DOMNode = active.node
            keys = self.app.get_key_display(binding) or key
            help_text = f"{keys} · {binding.id}" if binding.id else keys
            callback = partial(self.app.run_action, binding.action, node)
            commands.append((binding.description, help_text, callback))
        commands.sort(key=lambda command: command[0].casefold())
        return commands

    async def discover(self) -> Hits:
        """List every command before anything is typed.

        Yields:
            A hit per command.
        """
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(Content(name), callback, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        """Fuzzy-match the commands against what was typed.

        Args:
            query: The user's input.

        Yields:
            The matching commands, best first.
        """
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)

"""Command palette provider: the reader's actions, by their binding descriptions."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual import on, work
from textual.app import App
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.css.query import NoMatches
from textual.dom import DOMNode, NoScreen
from textual.screen import Screen
from textual.widgets import Button, Input

__all__ = ["ReaderCommands", "ReaderPalette"]

#: Actions not worth offering in the palette.
_SKIP = {"command_palette", "app.command_palette", "help_quit"}


async def _run_where_opened(app: App[object], action: str, node: DOMNode) -> None:
    """Carry out a chosen command's action, if the screen it came from is still the one shown.

    The palette runs its command once it has closed, after any keys queued
    behind the choice: those may have closed the screen the command belongs
    to (``escape`` on the help screen), and its action would then act on a
    screen that is gone.
    """
    if node is not app:
        try:
            screen = node if isinstance(node, Screen) else node.screen
        except NoScreen:
            return
        if not node.is_attached or screen is not app.screen:
            return
    await app.run_action(action, node)


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
            callback = partial(_run_where_opened, self.app, binding.action, node)
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


class ReaderPalette(CommandPalette):
    """Textual's command palette, safe against keys that arrive in one burst.

    - Its command list gets options before it has been laid out (it is hidden
      until a search fills it), and Textual's ``OptionList`` pages through the
      lines of its layout: ``pageup`` or ``pagedown`` in that moment raises
      ``KeyError`` inside Textual. Until the list has a size, there is no page
      to move by, and the key does nothing.
    - A second ``enter`` or ``escape`` handed to the palette before the first
      closed it would dismiss it again, which pops the screen under it (or
      raises ``ScreenStackError``), and run the chosen command twice; a key
      typed after it would start a search of the commands on a palette that
      is being taken down (``NoMatches`` in its worker). Once the palette is
      closed, they do nothing (see :func:`tui.screens.closing.close`), and a
      search of the commands that was running then stops quietly.
    - A search replaces the list's options while the highlight may still name
      one past the new last: a page key then does nothing.
    """

    @on(Input.Changed)
    def _input(self, event: Input.Changed) -> None:
        event.prevent_default()  # Textual's handler runs here, through super()
        if self.is_active:
            super()._input(event)
        else:
            event.stop()

    @on(Input.Submitted)
    @on(Button.Pressed)
    def _select_or_command(self, event: Input.Submitted | Button.Pressed | None = None) -> None:
        if event is not None:
            event.prevent_default()  # Textual's handler runs here, through super()
        if self.is_active:
            super()._select_or_command(event)
        elif event is not None:
            event.stop()

    def _action_escape(self) -> None:
        if self.is_active:
            super()._action_escape()

    def _action_command_list(self, action: str) -> None:
        if action in ("page_up", "page_down"):
            commands = self.query_one(CommandList)
            if not commands.scrollable_content_region:
                return
            # A search replaced the options and the highlight still names an old one.
            if commands.highlighted is not None and commands.highlighted >= commands.option_count:
                return
        super()._action_command_list(action)

    @work(exclusive=True, group=CommandPalette._GATHER_COMMANDS_GROUP)
    async def _gather_commands(self, search_value: str) -> None:
        # A search still running when the palette is taken down finds no command
        # list to fill; with the palette gone there is nothing to show it in.
        try:
            await CommandPalette._gather_commands.__wrapped__(self, search_value)
        except NoMatches:
            if self.is_attached:
                raise

"""The newsdesk reader application and its factory."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.signal import Signal
from textual.widgets import Input

from tui.config import Config, load_config
from tui.messages import CurationDone, OpenArticle, SearchEntity, WorkFailed
from tui.screens.curation_controller import UNDO_LIMIT, CurationController
from tui.screens.reader_commands import ReaderCommands, ReaderPalette
from tui.screens.reader_screen import ReaderScreen
from tui.widgets._render import one_line
from tui.widgets.in_order_input import InOrderInput

if TYPE_CHECKING:  # pragma: no cover
    from index.library.facade import Library

__all__ = ["ReaderApp", "make_app"]


class ReaderApp(App[None]):
    """A keyboard-driven reader for a newsdesk library.

    Attributes:
        library: The library read (opened by :func:`make_app` or given to it).
        config: The user's settings.
        curation_undo: The entity edits that ``u`` undoes, as ``(aliases.toml
            before the edit, what the edit did)``, oldest first.
        entities_changed: Published after each entity edit and undo: every
            screen that shows entities shows them again (see
            :meth:`CurationController.watch`).
    """

    CSS_PATH = "styles/reader.tcss"
    TITLE = "newsdesk"
    COMMANDS = App.COMMANDS | {ReaderCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            show=False,
            priority=True,
            id="app.command_palette",
        ),
    ]

    def __init__(self, library: Library, *, config: Config, owns_library: bool = False) -> None:
        """Create the app.

        Args:
            library: The open library.
            config: The settings.
            owns_library: Close the library when the app exits.
        """
        super().__init__()
        self.library = library
        self.config = config
        self._owns_library = owns_library
        self._saved = False
        #: Lines to leave on the terminal once the reader is gone (the CLI
        #: writes them whole, so that a path in one is never cut in two).
        self.exit_lines: list[str] = []
        self._reader: ReaderScreen | None = None
        self.curation_undo: list[tuple[str | None, str]] = []
        self.entities_changed: Signal[None] = Signal(self, "entities-changed")

    def get_default_screen(self) -> Screen[Any]:
        """Return the reader screen.

        Returns:
            The main screen.
        """
        self._reader = ReaderScreen()
        return self._reader

    def on_key(self, event: events.Key) -> None:
        """Send a typed character to the focused input it missed.

        Textual hands each key to the widget focused when the key is taken
        from the queue. Keys that arrive in one burst with ``/`` (a fast
        typist over SSH, where keystrokes come in one packet) are all handed
        to the results list before ``/`` moves the focus to the search bar;
        they end here, unhandled, and would otherwise run the bindings of the
        new focus (``q`` would quit). An input consumes every printable key
        it is given, so a printable key here while an input has the focus is
        one of those: it goes to the input, in order.

        Args:
            event: A key no widget handled.
        """
        focused = self.focused
        if isinstance(focused, Input) and event.is_printable:
            event.prevent_default()
            event.stop()
            if isinstance(focused, InOrderInput) and event.character:
                # At once, not through the input's queue: a binding key of the
                # same burst (enter) is handled here next, and must see the text.
                focused.type_character(event.character)
            else:
                focused.post_message(events.Key(event.key, event.character))

    def on_mount(self) -> None:
        """Apply the theme and the keymap; report configuration problems."""
        problems = list(self.config.problems)
        curation_error = getattr(self.library, "curation_error", None)
        if curation_error:
            self.notify(
                one_line(curation_error),
                title="aliases.toml",
                severity="warning",
                markup=False,
                timeout=10,
            )
        if self.config.theme:
            if self.config.theme in self.available_themes:
                self.theme = self.config.theme
            else:
                problems.append(f"unknown theme {self.config.theme!r}; using the default")
        if self.config.keys:
            # Checking the ids imports every screen: only when there is a keymap,
            # so that a plain start does not pay for it before the first frame.
            self._apply_keymap(problems)
        for problem in problems:
            self.notify(
                one_line(problem), title="config", severity="warning", markup=False, timeout=8
            )

    def _apply_keymap(self, problems: list[str]) -> None:
        """Apply the ``[keys]`` of the config, noting ids and keys that cannot be used.

        Args:
            problems: Where to add a line for each problem.
        """
        known = {row[2] for _, rows in self.help_sections() for row in rows}
        keymap = {}
        for binding_id, keys in self.config.keys.items():
            if binding_id in known:
                keymap[binding_id] = keys
            else:
                problems.append(f"[keys]: unknown binding id {binding_id!r} ignored")
        try:
            self.set_keymap(keymap)
        except Exception as error:  # noqa: BLE001 - a bad keymap must not stop the reader
            problems.append(f"[keys]: {one_line(error)}; using the default keys")
            self.set_keymap({})

    def help_sections(self) -> list[tuple[str, list[tuple[str, str, str]]]]:
        """List the key bindings by section, with the user's keymap applied.

        Returns:
            ``(section title, [(keys, description, binding id), ...])`` pairs.
        """
        from tui.screens.entity_browser import EntityBrowser
        from tui.screens.entity_finder import EntityFinder
        from tui.screens.entity_picker import EntityPicker
        from tui.screens.entity_screen import EntityScreen
        from tui.screens.help_screen import HelpScreen
        from tui.screens.navigator import Navigator
        from tui.screens.rename_dialog import RenameDialog
        from tui.widgets.article_body import ArticleBody
        from tui.widgets.article_pane import ArticlePane
        from tui.widgets.facet_list import FacetList
        from tui.widgets.find_bar import FindBar
        from tui.widgets.paged_list import PagedList
        from tui.widgets.search_bar import SearchBar

        everywhere = [
            ReaderApp.BINDINGS,
            ReaderScreen.SEARCH_BINDINGS,
            Navigator.BINDINGS,
            ReaderScreen.ENTITY_BINDINGS,
        ]
        groups: list[tuple[str, list[list[BindingType]]]] = [
            ("Everywhere", everywhere),
            ("Search bar", [SearchBar.BINDINGS]),
            ("Results and mentions lists", [PagedList.BINDINGS]),
            ("Entities in the results", [FacetList.BINDINGS]),
            ("Article", [ArticleBody.BINDINGS, ArticlePane.BINDINGS]),
            ("Entity edits", [CurationController.BINDINGS]),
            ("Find in article", [FindBar.BINDINGS]),
            ("Entity list", [EntityPicker.BINDINGS]),
            ("Entity browser", [EntityBrowser.BINDINGS]),
            ("Entity page", [EntityScreen.BINDINGS]),
            ("Merge and rename dialogs", [EntityFinder.BINDINGS, RenameDialog.BINDINGS]),
            ("Help", [HelpScreen.BINDINGS]),
        ]
        keymap = self.config.keys
        sections = []
        listed: set[str] = set()  # ids listed in an earlier section
        for title, lists in groups:
            rows = []
            for bindings in lists:
                for binding in Binding.make_bindings(bindings):
                    if binding.id is None or binding.id in listed:
                        continue
                    keys = keymap.get(binding.id, binding.key).split(",")
                    shown = ", ".join(
                        self.get_key_display(binding.with_key(key.strip())) for key in keys
                    )
                    row = (shown, binding.description or binding.action, binding.id)
                    if not any(existing[2] == binding.id for existing in rows):
                        rows.append(row)
                    else:  # make_bindings splits "j,down": merge the keys back
                        index = next(i for i, r in enumerate(rows) if r[2] == binding.id)
                        if binding.id not in keymap and shown not in rows[index][0]:
                            rows[index] = (f"{rows[index][0]}, {shown}", *rows[index][1:])
            listed.update(row[2] for row in rows)
            sections.append((title, rows))
        return sections

    def on_curation_done(self, message: CurationDone) -> None:
        """Record an entity edit for undo, show its message, refresh the entity screens.

        Args:
            message: The outcome of the edit.
        """
        if message.undo is not None:
            self.curation_undo.append(message.undo)
            del self.curation_undo[: max(0, len(self.curation_undo) - UNDO_LIMIT)]
        self.notify(
            message.text,
            title="entities",
            severity="error" if message.error else "information",
            markup=False,
        )
        if not message.error or message.undo is not None:
            self.entities_changed.publish(None)

    def _back_to_reader(self) -> ReaderScreen:
        """Close the screens over the reader screen.

        Returns:
            The reader screen, now shown.
        """
        reader = self._reader
        assert reader is not None  # the default screen exists once the app runs
        while self.screen is not reader:
            self.pop_screen()
        return reader

    def on_open_article(self, message: OpenArticle) -> None:
        """Open an article in the reader, asked for by a screen over it.

        Args:
            message: The request.
        """
        self._back_to_reader().open_article(
            message.article_id, cursor=message.cursor, mark=message.mark
        )

    def on_search_entity(self, message: SearchEntity) -> None:
        """Search the reader for an entity's articles, asked for by a screen over it.

        Args:
            message: The request.
        """
        self._back_to_reader().narrow_to(message.key, keep_query=False)

    def on_work_failed(self, message: WorkFailed) -> None:
        """Show a failure that no screen handled as a one-line notice.

        Args:
            message: The failure.
        """
        self.notify(message.text, severity="error", markup=False)

    def action_help(self) -> None:
        """Show the help screen (generated from the bindings)."""
        from tui.screens.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_sections()))

    def save_state(self) -> None:
        """Save the reading state once (on the way out)."""
        if self._saved:
            return
        self._saved = True
        if self._reader is not None:
            reason = self._reader.save_state()
            if reason is not None:  # left on the terminal once the reader is gone
                self.exit_lines.append(f"newsdesk: {reason}")

    async def action_quit(self) -> None:
        """Save the reading state and quit."""
        self.save_state()
        self.exit()

    def action_command_palette(self) -> None:
        """Show the command palette (Textual's, with :class:`ReaderPalette`'s guard)."""
        if self.use_command_palette and not ReaderPalette.is_open(self):
            self.push_screen(ReaderPalette(id="--command-palette"))

    def _handle_exception(self, error: Exception) -> None:
        # Textual's own handling exits with status 1 and prints a traceback
        # with locals over the terminal. The reader keeps the traceback in a
        # file (tui.crash) and leaves one line naming it instead. (Textual is
        # pinned exactly: this private hook is checked by the end-to-end tests.)
        from tui.crash import write_traceback

        super()._handle_exception(error)
        path = write_traceback(error)
        where = f"; the traceback is in {path}" if path is not None else ""
        line = one_line(f"{type(error).__name__}: {error}")[:200]
        self._exit_renderables.clear()
        self.exit_lines[:] = [f"newsdesk: the reader stopped on an error ({line}){where}"]

    def on_unmount(self) -> None:
        """Save the state and close the library if this app opened it."""
        if self._owns_library:
            try:
                self.library.close()
            except Exception:  # noqa: BLE001 - closing must not fail the exit
                pass


def make_app(
    library: Library | str | Path,
    *,
    config: Config | None = None,
    config_path: str | Path | None = None,
) -> ReaderApp:
    """Create the reader, shared by the CLI and the tests.

    Args:
        library: An open :class:`~index.library.facade.Library`, or the path of one
            (then opened read-side here and closed when the app exits).
        config: Settings to use; None to load them from the config file.
        config_path: The config file to read when ``config`` is None (default:
            ``$NEWSDESK_CONFIG`` or the user config directory).

    Returns:
        The app, ready to ``run()``.

    Raises:
        index.errors.LibraryError: If ``library`` is a path that cannot be opened.
    """
    owns = False
    if isinstance(library, (str, Path)):
        from index.library.facade import Library

        library = Library.open(library)
        owns = True
    if config is None:
        config = load_config(config_path)
    return ReaderApp(library, config=config, owns_library=owns)

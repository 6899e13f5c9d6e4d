"""A bare Textual app with the reader's first-screen widgets: the launch's reference.

The reader's launch is read against a bare Textual app with the same widgets.
This is that app, launched the same way as the reader
(``reader_bench.real_launch``), in turns with it: a search input, a content
switcher holding a list of 50 three-line options over a status line, a second
(hidden) view, and a footer with a few bindings. No
library, no config, our code not imported; Textual's defaults (the collector
on). It shows "50 articles, newest first" when its rows are on screen, as the
reader does.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import ContentSwitcher, Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

ROWS = 50


class BareReader(App[None]):
    """The reader's first screen without the reader."""

    CSS = """
    ContentSwitcher, #results, #list { height: 1fr; }
    #status { height: 1; }
    """
    BINDINGS = [
        Binding("q", "quit", "Quit", id="bare.quit"),
        Binding("slash", "focus_search", "Search", id="bare.search"),
        Binding("enter", "open", "Open", id="bare.open"),
    ]

    def compose(self) -> ComposeResult:
        """The search bar, the switcher between the list and an empty view, the footer."""
        with Vertical():
            yield Input(placeholder="Search")
            with ContentSwitcher(initial="results"):
                with Vertical(id="results"):
                    yield OptionList(id="list")
                    yield Static(id="status")
                yield Static("an article", id="article")
            yield Footer()

    def on_mount(self) -> None:
        """Fill the list at once, as the reader lists its newest articles before the first frame."""
        options = []
        for number in range(ROWS):
            title = Content.styled(f"Article number {number} about the ministers' talks", "bold")
            meta = Content.styled("2026-12-03 · Wire", "dim")
            body = Content(
                "Officials met on Tuesday to discuss security and trade, the"
                " ministry said in a statement issued after the talks ended."
            )
            options.append(Option(Content("\n").join([title, meta, body])))
        self.query_one(OptionList).add_options(options)
        self.query_one("#status", Static).update(f"1 of {ROWS} articles, newest first")

    def action_focus_search(self) -> None:
        """Focus the search bar."""
        self.query_one(Input).focus()

    def action_open(self) -> None:
        """Show the other view."""
        self.query_one(ContentSwitcher).current = "article"


if __name__ == "__main__":
    BareReader().run()

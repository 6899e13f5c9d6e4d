"""The list of an entity's mentions in other articles."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from index.models import Mention
from tui.widgets._render import MATCH_STYLE, highlight, safe, short_date, text
from tui.widgets.vim_option_list import VimOptionList

__all__ = ["MentionList"]

#: Ask for the next page when the highlight is this close to the end.
PREFETCH = 10


class MentionList(VimOptionList):
    """Mentions, newest first: date and title, then the sentence with the mention highlighted.

    Mentions arrive page by page; when the highlight nears the end of what is
    loaded (and the last page was full) :class:`MentionList.NeedMore` is posted.
    """

    @dataclass
    class NeedMore(Message):
        """Load the page of mentions starting at ``offset``.

        Attributes:
            offset: How many mentions are loaded.
        """

        offset: int

    @dataclass
    class Chosen(Message):
        """A mention was chosen (enter or click): open its article there.

        Attributes:
            mention: The mention.
        """

        mention: Mention

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        """Create an empty mention list.

        Args:
            id: The widget id.
            classes: CSS classes.
        """
        super().__init__(id=id, classes=classes, markup=False)
        self.mentions: list[Mention] = []
        self.done = True
        self._asked: int | None = None

    @staticmethod
    def prompt(mention: Mention) -> Content:
        """Build the text of one mention.

        Args:
            mention: The mention.

        Returns:
            Two lines: ``date  title``, and the sentence with the mention highlighted.
        """
        head = Content.assemble(
            text(short_date(mention.date), "dim"), "  ", text(mention.title or "(untitled)", "bold")
        )
        sentence = safe(mention.context).replace("\n", " ")
        start = mention.start - mention.context_start
        end = mention.end - mention.context_start
        body = highlight(text(sentence), [(start, end)], MATCH_STYLE)
        return Content("\n").join([head, body])

    def set_mentions(self, mentions: list[Mention], *, append: bool, done: bool) -> None:
        """Show a page of mentions.

        Args:
            mentions: The page.
            append: Add after those shown rather than replace them.
            done: True when no further page exists.
        """
        if not append:
            self.mentions = []
            self.clear_options()
        self.mentions.extend(mentions)
        self.done = done
        self._asked = None
        self.add_options(Option(self.prompt(mention)) for mention in mentions)
        if self.highlighted is None and self.mentions:
            self.highlighted = 0

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Ask for the next page when the highlight nears the end.

        Args:
            event: The highlight event.
        """
        event.stop()
        loaded = len(self.mentions)
        if event.option_index >= loaded - PREFETCH and not self.done and self._asked != loaded:
            self._asked = loaded
            self.post_message(self.NeedMore(loaded))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Turn a selection into :class:`MentionList.Chosen`.

        Args:
            event: The selection.
        """
        event.stop()
        if 0 <= event.option_index < len(self.mentions):
            self.post_message(self.Chosen(self.mentions[event.option_index]))

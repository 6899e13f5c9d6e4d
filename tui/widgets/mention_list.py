"""The list of an entity's mentions in other articles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList

from index.models import Mention
from tui.widgets._render import MATCH_STYLE, highlight, safe, short_date, text
from tui.widgets.paged_list import PagedList

__all__ = ["MentionList"]


class MentionList(PagedList[Mention]):
    """Mentions, newest first: date and title, then the sentence with the mention highlighted.

    Mentions arrive page by page; when the highlight nears the end of what is
    loaded (and the last page was full) :class:`PagedList.NeedMore` is posted.
    """

    PREFETCH: ClassVar[int] = 10

    @dataclass
    class Chosen(Message):
        """A mention was chosen (enter or click): open its article there.

        Attributes:
            mention: The mention.
        """

        mention: Mention

    @property
    def mentions(self) -> list[Mention]:
        """The mentions loaded, newest first."""
        return self.items

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
        self.fill(
            mentions, [self.prompt(mention) for mention in mentions], append=append, done=done
        )

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Keep the highlight to this list.

        Textual calls the handler of each class in turn: :class:`PagedList`'s
        still asks for the next page.

        Args:
            event: The highlight event.
        """
        event.stop()

    def chosen(self, item: Mention) -> Message:
        """Choosing a mention opens its article there.

        Args:
            item: The mention.

        Returns:
            :class:`MentionList.Chosen`.
        """
        return self.Chosen(item)

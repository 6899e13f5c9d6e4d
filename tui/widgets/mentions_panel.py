"""The related-mentions side panel."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from index.models import Entity, EntitySpan, Mention
from tui.widgets._render import kind_name, kind_style, text
from tui.widgets.mention_list import MentionList

__all__ = ["MentionsPanel"]


class MentionsPanel(Vertical):
    """The entity under the cursor: its name, kind and counts, then its mentions elsewhere."""

    DEFAULT_CSS = """
    MentionsPanel {
        height: 1fr;
        & > #panel-header { height: auto; max-height: 5; padding: 0 1; }
        & > MentionList { height: 1fr; }
    }
    """

    _head: Content = Content("")

    def compose(self) -> ComposeResult:
        """Create the header and the list.

        Yields:
            The panel's widgets.
        """
        yield Static(text("n / N: select an entity", "dim"), id="panel-header")
        yield MentionList(id="mentions")

    @property
    def mention_list(self) -> MentionList:
        """The list of mentions."""
        return self.query_one(MentionList)

    def _header(self, content: Content) -> None:
        """Replace the header.

        Args:
            content: The new header.
        """
        self._head = content
        self.query_one("#panel-header", Static).update(content)

    def show_hint(self, hint: str) -> None:
        """Show a hint instead of an entity.

        Args:
            hint: Plain text.
        """
        self._header(text(hint, "dim"))
        self.mention_list.set_mentions([], append=False, done=True)

    def show_entity(self, span: EntitySpan, entity: Entity | None) -> None:
        """Show an entity's header (before its mentions arrive, entity may be None).

        Args:
            span: The entity span under the cursor.
            entity: Its counts, or None while loading / when unknown.
        """
        name = text(entity.name if entity else span.name or span.text, kind_style(span.label))
        lines = [Content.assemble(name, "  ", text(kind_name(span.label), "dim"))]
        if entity is None:
            lines.append(text("loading…", "dim"))
        else:
            mentions = f"{entity.mentions} mention{'s' if entity.mentions != 1 else ''}"
            articles = f"{entity.articles} article{'s' if entity.articles != 1 else ''}"
            lines.append(text(f"{mentions} in {articles}"))
        self._header(Content("\n").join(lines))

    def set_mentions(self, mentions: list[Mention], *, append: bool, done: bool) -> None:
        """Fill the list (or add a page to it).

        Args:
            mentions: The mentions.
            append: Add after those shown.
            done: No further page exists.
        """
        self.mention_list.set_mentions(mentions, append=append, done=done)
        if not append and not mentions:
            note = text("no mentions in other articles", "dim")
            self.query_one("#panel-header", Static).update(Content("\n").join([self._head, note]))

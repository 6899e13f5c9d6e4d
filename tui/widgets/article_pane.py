"""The article view with its legend, find bar and related-mentions panel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input

from index.models import ArticleView, EntitySpan
from tui.messages import MentionsLoaded, WorkFailed
from tui.widgets._render import one_line
from tui.widgets.article_body import ArticleBody
from tui.widgets.entity_legend import EntityLegend
from tui.widgets.find_bar import FindBar
from tui.widgets.mention_list import MentionList
from tui.widgets.mentions_panel import MentionsPanel

if TYPE_CHECKING:  # pragma: no cover
    from index.library.facade import Library

__all__ = ["ArticlePane"]

#: Mentions loaded per page in the panel.
MENTIONS_PAGE = 50
#: Seconds the cursor must rest on an entity before its mentions load.
PANEL_DELAY = 0.08


class ArticlePane(Horizontal):
    """An article beside (or, when narrow, under) the mentions of the entity at its cursor.

    The panel follows the entity cursor: after a short rest it loads the
    entity's counts and the first page of its mentions in other articles in a
    thread worker, then further pages as the panel's highlight nears the end.
    ``e`` posts :class:`ArticlePane.PickEntity`: the screen shows the list of
    the article's entities and calls :meth:`jump_to` with the one picked.
    """

    @dataclass
    class PickEntity(Message):
        """Show the list of the article's entities; pass the one picked to :meth:`jump_to`.

        Attributes:
            entities: The article's entity spans, sorted by position.
        """

        entities: list[EntitySpan]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "switch_focus", "Article/panel", id="article.switch_focus"),
        Binding("p", "toggle_panel", "Panel", id="article.toggle_panel"),
        Binding("f", "find", "Find", id="article.find"),
        Binding("e", "entities", "Entities", id="article.entities"),
        Binding("o", "screen.narrow", "Only this entity", id="article.narrow"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        """Create the pane.

        Args:
            id: The widget id.
        """
        super().__init__(id=id)
        self._timer: Timer | None = None
        self._panel_key: tuple[str, str] | None = None

    def compose(self) -> ComposeResult:
        """Create the article column and the panel.

        Yields:
            The pane's widgets.
        """
        with Vertical(id="article-column"):
            yield ArticleBody(id="article")
            yield FindBar(id="find")
            yield EntityLegend(id="legend")
        yield MentionsPanel(id="panel")

    @property
    def body(self) -> ArticleBody:
        """The article view."""
        return self.query_one(ArticleBody)

    @property
    def panel(self) -> MentionsPanel:
        """The related-mentions panel."""
        return self.query_one(MentionsPanel)

    @property
    def library(self) -> Library:
        """The library the app reads."""
        return self.app.library  # type: ignore[attr-defined, no-any-return]

    @property
    def narrow(self) -> bool:
        """Whether the panel overlays the article rather than sitting beside it."""
        return self.screen.has_class("-narrow")

    def show(self, view: ArticleView, **where: Any) -> None:
        """Show an article.

        Args:
            view: The article.
            **where: ``anchor``, ``cursor`` and ``mark`` for :meth:`ArticleBody.show`.
        """
        self.end_find()
        self._panel_key = None  # the panel reloads even for the same entity (after an edit)
        self.body.show(view, **where)
        self.query_one(EntityLegend).show_labels(span.label for span in view.entities)

    # ------------------------------------------------------------------ panel

    @on(ArticleBody.CursorMoved)
    def _cursor_moved(self, event: ArticleBody.CursorMoved) -> None:
        """Make the panel follow the cursor (debounced).

        Args:
            event: The cursor move.
        """
        span = event.entity
        if self._timer is not None:
            self._timer.stop()
        if span is None:
            self._panel_key = None
            self.panel.show_hint("n / N: select an entity")
            return
        article_id = self.body.article_id or ""
        if (span.key, article_id) == self._panel_key:
            return
        self._panel_key = (span.key, article_id)
        self.panel.show_entity(span, None)
        self.panel.set_mentions([], append=False, done=False)
        self._timer = self.set_timer(
            PANEL_DELAY, lambda: self._load_mentions(span.key, article_id, 0)
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="mentions")
    def _load_mentions(self, key: str, article_id: str, offset: int) -> None:
        """Load an entity's counts (first page only) and one page of its mentions.

        Args:
            key: The entity key.
            article_id: The article to leave out.
            offset: The first mention wanted.
        """
        try:
            entity = self.library.entity(key) if offset == 0 else None
            mentions = self.library.mentions(
                key, limit=MENTIONS_PAGE, offset=offset, exclude_article=article_id
            )
        except Exception as error:  # noqa: BLE001 - shown as a notice, never fatal
            self.post_message(WorkFailed(f"mentions: {one_line(error)}"))
            return
        self.post_message(
            MentionsLoaded(
                key, article_id, offset, entity, list(mentions), done=len(mentions) < MENTIONS_PAGE
            )
        )

    def on_mentions_loaded(self, message: MentionsLoaded) -> None:
        """Show a page of mentions, unless the cursor has moved on.

        Args:
            message: The page.
        """
        message.stop()
        span = self.body.cursor_entity
        if span is None or span.key != message.key or self.body.article_id != message.article_id:
            return
        if message.offset == 0:
            self.panel.show_entity(span, message.entity)
        elif message.offset != len(self.panel.mention_list.mentions):
            return
        self.panel.set_mentions(message.mentions, append=message.offset > 0, done=message.done)

    @on(MentionList.NeedMore)
    def _more_mentions(self, event: MentionList.NeedMore) -> None:
        """Load the next page of mentions.

        Args:
            event: The request.
        """
        event.stop()
        span = self.body.cursor_entity
        if span is not None:
            self._load_mentions(span.key, self.body.article_id or "", event.offset)

    def action_toggle_panel(self) -> None:
        """Show or hide the panel (when narrow it covers the article while shown)."""
        if self.narrow:
            opened = not self.has_class("-panel-open")
            self.set_class(opened, "-panel-open")
            (self.panel.mention_list if opened else self.body).focus()
        else:
            hidden = not self.has_class("-panel-hidden")
            self.set_class(hidden, "-panel-hidden")
            if hidden:
                self.body.focus()

    def action_switch_focus(self) -> None:
        """Move focus between the article and the panel (showing the panel if needed)."""
        in_panel = self.panel.mention_list.has_focus
        if self.narrow:
            self.set_class(not in_panel, "-panel-open")
        else:
            self.remove_class("-panel-hidden")
        (self.body if in_panel else self.panel.mention_list).focus()

    def close_overlay(self) -> bool:
        """Close the panel if it covers the article (narrow layout).

        Returns:
            True if it was open and is now closed.
        """
        if self.narrow and self.has_class("-panel-open"):
            self.remove_class("-panel-open")
            self.body.focus()
            return True
        return False

    # ------------------------------------------------------------------ find

    def action_find(self) -> None:
        """Start find mode: show the find bar and focus it."""
        bar = self.query_one(FindBar)
        bar.add_class("-active")
        bar.focus()
        self.body.find(bar.value)

    def end_find(self) -> None:
        """End find mode: hide the bar, drop the highlights, focus the article."""
        bar = self.query_one(FindBar)
        was_active = bar.has_class("-active")
        bar.remove_class("-active")
        self.body.end_find()
        if was_active:
            self.body.focus()

    @on(Input.Changed, "FindBar")
    def _find_changed(self, event: Input.Changed) -> None:
        """Update the matches as the user types.

        Args:
            event: The change.
        """
        event.stop()
        if self.query_one(FindBar).has_class("-active"):
            self.body.find(event.value)

    @on(Input.Submitted, "FindBar")
    def _find_submitted(self, event: Input.Submitted) -> None:
        """Keep the matches and return to the article (``n``/``N`` move between them).

        Args:
            event: The submission.
        """
        event.stop()
        self.body.focus()

    @on(ArticleBody.FindUpdated)
    def _find_updated(self, event: ArticleBody.FindUpdated) -> None:
        """Show the match count on the find bar.

        Args:
            event: The update.
        """
        bar = self.query_one(FindBar)
        if event.index is None:
            bar.border_title = "no match" if bar.value and event.count == 0 else ""
        else:
            bar.border_title = f"{event.index + 1} of {event.count}"

    # ------------------------------------------------------------------ entities

    def action_entities(self) -> None:
        """Ask for the list of this article's entities (the one chosen is jumped to)."""
        body = self.body
        if not body.entities:
            self.app.bell()
            return
        self.post_message(self.PickEntity(body.entities))

    def jump_to(self, span: EntitySpan | None) -> None:
        """Put the entity cursor on an entity of the article shown, and focus the article.

        Args:
            span: The entity span (None, or one of another article: nothing happens).
        """
        body = self.body
        if span is not None and span in body.entities:
            body.set_cursor(body.entities.index(span))
            body.focus()

"""The entity page: names, counts, a timeline, the entities it appears with, its mentions."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Sparkline, Static

from index.models import EntityPage
from tui.messages import (
    EntityPageLoaded,
    MentionsLoaded,
    OpenArticle,
    SearchEntity,
    WorkFailed,
)
from tui.screens.closing import close
from tui.screens.curation_controller import CurationController
from tui.widgets._render import kind_name, kind_style, one_line, plural, safe, text
from tui.widgets.cooccurrence_list import CooccurrenceList
from tui.widgets.mention_list import MentionList

if TYPE_CHECKING:  # pragma: no cover
    from index.library.facade import Library

__all__ = ["EntityScreen"]

#: Mentions loaded per page.
MENTIONS_PAGE = 50
#: Co-occurring entities listed.
COOCCURRING = 20
#: Cells per month in the timeline (when the width allows).
CELLS_PER_MONTH = 2


class EntityScreen(Screen[None]):
    """Everything about one entity, loaded in a thread worker.

    The head names it (kind, counts, other names); a sparkline shows its
    mentions per month; "appears with" lists the entities sharing its
    sentences (``enter`` opens their page) and the mentions list pages through
    its mentions (``enter`` opens the article there, in the reader; ``o``
    searches the reader for its articles). The curation keys act on this
    entity; after an edit the page reloads (a merged entity shows the entity
    it went into).

    Attributes:
        key: The entity key shown.
        page: The entity page once loaded (None before, or when unknown).
        curation: The curation keys.
    """

    CSS_PATH = "../styles/screens.tcss"

    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [
        (0, "-narrow"),
        (100, "-wide"),
    ]

    BINDINGS: ClassVar[list[BindingType]] = [
        *CurationController.SHOWN_BINDINGS,
        Binding("escape", "close", "Back", id="page.close"),
        Binding("o", "search_entity", "Its articles", id="page.search"),
    ]

    def __init__(self, key: str) -> None:
        """Create the page.

        Args:
            key: The entity key.
        """
        super().__init__()
        self.key = key
        self.page: EntityPage | None = None
        self.loaded = False
        self._seq = 0
        self.curation = CurationController(
            self, lambda: self.page.entity if self.page is not None else None
        )

    @property
    def library(self) -> Library:
        """The library the app reads."""
        return self.app.library  # type: ignore[attr-defined, no-any-return]

    @property
    def mention_list(self) -> MentionList:
        """The list of mentions."""
        return self.query_one(MentionList)

    @property
    def cooccurring(self) -> CooccurrenceList:
        """The list of entities it appears with."""
        return self.query_one(CooccurrenceList)

    def compose(self) -> ComposeResult:
        """Create the head, the timeline and the two lists.

        Yields:
            The screen's widgets.
        """
        with Vertical(id="entity-page"):
            yield Static(text(f"{safe(self.key)}  loading…", "dim"), id="entity-head")
            with Horizontal(id="entity-timeline"):
                yield Static(id="timeline-first")
                yield Sparkline([], id="timeline-spark")
                yield Static(id="timeline-last")
                yield Static(id="timeline-note")
            with Horizontal(id="entity-lists"):
                with Vertical(id="with-column"):
                    yield Static(text("Appears with", "bold"), classes="section-title")
                    yield CooccurrenceList(id="cooccurring")
                with Vertical(id="mentions-column"):
                    yield Static(
                        text("Mentions", "bold"), id="mentions-title", classes="section-title"
                    )
                    yield MentionList(id="entity-mentions")
        yield Footer()

    def on_mount(self) -> None:
        """Load the page."""
        # Again after an edit: a merged entity then shows the one it joined.
        self.curation.watch(self.reload)
        self.mention_list.focus()
        self.reload()

    # ------------------------------------------------------------------ loading

    def reload(self) -> None:
        """Load the page (again) in a worker."""
        self._seq += 1
        self._load(self._seq, self.key)

    @work(thread=True, exclusive=True, exit_on_error=False, group="entity-page")
    def _load(self, seq: int, key: str) -> None:
        """Fetch the entity page and its first mentions (runs in a thread).

        Args:
            seq: The request number.
            key: The entity key.
        """
        try:
            page = self.library.entity_page(key, cooccurring=COOCCURRING)
            mentions = self.library.mentions(page.entity.key, limit=MENTIONS_PAGE) if page else []
        except Exception as error:  # noqa: BLE001 - a notice, never a crash
            self.post_message(WorkFailed(f"entity page: {one_line(error)}"))
            return
        self.post_message(
            EntityPageLoaded(seq, key, page, list(mentions), len(mentions) < MENTIONS_PAGE)
        )

    def on_entity_page_loaded(self, message: EntityPageLoaded) -> None:
        """Show the page, unless another load started since.

        Args:
            message: The page.
        """
        message.stop()
        if message.seq != self._seq:
            return
        self.page = message.page
        self.loaded = True
        if message.page is None:
            self.query_one("#entity-head", Static).update(
                text(f"No entity {safe(self.key)} in this library", "bold")
            )
            self.query_one("#entity-timeline").display = False
            self.cooccurring.set_items([])
            self.mention_list.set_mentions([], append=False, done=True)
            return
        self.key = message.page.entity.key
        self._show_head(message.page)
        self._show_timeline(message.page)
        self.cooccurring.set_items(message.page.cooccurring)
        self.mention_list.set_mentions(message.mentions, append=False, done=message.done)
        self._title_mentions()

    @on(MentionList.NeedMore)
    def _more(self, event: MentionList.NeedMore) -> None:
        """Load the next page of mentions.

        Args:
            event: The request.
        """
        event.stop()
        self._load_mentions(self.key, event.offset)

    @work(thread=True, exclusive=True, exit_on_error=False, group="entity-mentions")
    def _load_mentions(self, key: str, offset: int) -> None:
        """Fetch a further page of mentions (runs in a thread).

        Args:
            key: The entity key.
            offset: The first mention wanted.
        """
        try:
            mentions = self.library.mentions(key, limit=MENTIONS_PAGE, offset=offset)
        except Exception as error:  # noqa: BLE001 - a notice, never a crash
            self.post_message(WorkFailed(f"mentions: {one_line(error)}"))
            return
        self.post_message(
            MentionsLoaded(key, "", offset, None, list(mentions), len(mentions) < MENTIONS_PAGE)
        )

    def on_mentions_loaded(self, message: MentionsLoaded) -> None:
        """Add a page of mentions, if it follows those shown.

        Args:
            message: The page.
        """
        message.stop()
        if message.key != self.key or message.offset != len(self.mention_list.mentions):
            return
        self.mention_list.set_mentions(message.mentions, append=True, done=message.done)
        self._title_mentions()

    # ------------------------------------------------------------------ rendering

    def _show_head(self, page: EntityPage) -> None:
        """Show the name, kind, counts and other names.

        Args:
            page: The entity page.
        """
        entity = page.entity
        name = Content.assemble(
            text(entity.name or entity.key, f"{kind_style(entity.label)}"),
            "  ",
            text(kind_name(entity.label), "bold"),
            "  ",
            text(entity.key, "dim"),
        )
        if entity.hidden:
            name = Content.assemble(name, "  ", text("hidden (H shows it again)", "reverse"))
        counts = f"{plural(entity.mentions, 'mention')} in {plural(entity.articles, 'article')}"
        lines = [name, text(counts)]
        aliases = ", ".join(f"{safe(alias)} ×{count}" for alias, count in page.aliases)
        if aliases:
            lines.append(Content.assemble(text("Written as: ", "dim"), text(aliases)))
        if len(page.labels) > 1:
            labels = ", ".join(f"{safe(label)} ×{count}" for label, count in page.labels.items())
            lines.append(Content.assemble(text("Tagged: ", "dim"), text(labels)))
        self.query_one("#entity-head", Static).update(Content("\n").join(lines))

    def _show_timeline(self, page: EntityPage) -> None:
        """Show the mentions per month as a sparkline between its first and last months.

        Args:
            page: The entity page.
        """
        months = page.timeline
        first = self.query_one("#timeline-first", Static)
        last = self.query_one("#timeline-last", Static)
        note = self.query_one("#timeline-note", Static)
        spark = self.query_one(Sparkline)
        undated = f"{page.undated} undated" if page.undated else ""
        if not months:
            spark.display = last.display = False
            first.update(text("; ".join(filter(None, ["No dated mentions", undated])), "dim"))
            note.update("")
            return
        spark.display = True
        spark.data = [float(count) for _, count in months]
        spark.styles.max_width = CELLS_PER_MONTH * len(months)
        first.update(text(safe(months[0][0])))
        last.display = len(months) > 1
        last.update(text(safe(months[-1][0])))
        dated = sum(count for _, count in months)
        parts = [f"{plural(dated, 'dated mention')}"]
        if len(months) > 1:
            peak_month, peak = max(months, key=lambda month: month[1])
            parts.append(f"most in {safe(peak_month)} ({peak})")
        if undated:
            parts.append(undated)
        note.update(text(", ".join(parts), "dim"))

    def _title_mentions(self) -> None:
        """Say how many mentions are listed."""
        listing = self.mention_list
        count = len(listing.mentions)
        total = self.page.entity.mentions if self.page is not None else count
        shown = (
            f"Mentions ({total})"
            if listing.done or count >= total
            else f"Mentions ({count} of {total})"
        )
        self.query_one("#mentions-title", Static).update(text(shown, "bold"))

    # ------------------------------------------------------------------ navigation

    @on(CooccurrenceList.Chosen)
    def _other_chosen(self, event: CooccurrenceList.Chosen) -> None:
        """Open the page of an entity it appears with.

        Args:
            event: The choice.
        """
        event.stop()
        self.app.push_screen(EntityScreen(event.entity.key))

    @on(MentionList.Chosen)
    def _mention_chosen(self, event: MentionList.Chosen) -> None:
        """Open the article of a mention in the reader, with the cursor on it.

        Args:
            event: The choice.
        """
        event.stop()
        mention = event.mention
        self.post_message(
            OpenArticle(mention.article_id, cursor=mention.start, mark=(mention.start, mention.end))
        )

    def action_search_entity(self) -> None:
        """Search the reader for the articles that mention this entity."""
        self.post_message(SearchEntity(self.key))

    def action_close(self) -> None:
        """Go back to where the page was opened."""
        close(self)

    def action_curate(self, what: str) -> None:
        """Merge, hide, rename this entity, or undo the last edit.

        Args:
            what: ``merge``, ``hide``, ``rename`` or ``undo``.
        """
        self.curation.act(what)

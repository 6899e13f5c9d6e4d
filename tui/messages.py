"""Messages that thread workers post back to the reader's UI thread, and screens to the app.

A worker's answer carries a sequence number (or a key) so that the receiver
can drop the answer to a request that has since been superseded. A screen
over the reader that wants something shown there posts a request
(:class:`OpenArticle`, :class:`SearchEntity`) that the app carries out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.content import Content
from textual.message import Message

from index.models import ArticleView, Entity, EntityPage, Facet, Mention, Page

__all__ = [
    "ArticleLoaded",
    "CurationDone",
    "EntitiesLoaded",
    "EntityPageLoaded",
    "FacetsLoaded",
    "MentionsLoaded",
    "OpenArticle",
    "ResultsLoaded",
    "SearchEntity",
    "WorkFailed",
]


@dataclass
class ResultsLoaded(Message):
    """A page of results (search or newest) is ready.

    Attributes:
        seq: The search request number it answers.
        page: The page of hits.
        append: True for a further page of the same query, False for a new one.
        error: A one-line query error instead of results ("" when none).
        prompts: The hits' list entries, built and measured in the worker (None:
            the list builds them).
        typed: The search ran as the user typed (its last word also a prefix).
    """

    seq: int
    page: Page
    append: bool = False
    error: str = ""
    prompts: list[Content] | None = None
    typed: bool = False


@dataclass
class ArticleLoaded(Message):
    """An article is ready to show.

    Attributes:
        seq: The open request number it answers.
        view: The article and its entity spans.
        anchor: Body offset to scroll to the top of the view, or None.
        cursor: Body offset of the entity to put the cursor on, or None.
        mark: A ``(start, end)`` body range to mark (a mention jumped to), or None.
    """

    seq: int
    view: ArticleView
    anchor: int | None = None
    cursor: int | None = None
    mark: tuple[int, int] | None = None


@dataclass
class MentionsLoaded(Message):
    """An entity's details and one page of its mentions in other articles.

    Attributes:
        key: The entity key asked for.
        article_id: The article the mentions exclude.
        offset: The offset of this page.
        entity: The entity's counts (None when unknown; only on the first page).
        mentions: This page of mentions, newest first.
        done: True when no further page exists.
    """

    key: str
    article_id: str
    offset: int
    entity: Entity | None
    mentions: list[Mention] = field(default_factory=list)
    done: bool = False


@dataclass
class WorkFailed(Message):
    """A worker failed; the reader shows ``text`` as a one-line notice.

    Attributes:
        text: What went wrong, one line, plain text.
    """

    text: str


@dataclass
class FacetsLoaded(Message):
    """The top entities among a search's results are ready.

    Attributes:
        seq: The search request number they belong to.
        query: The query.
        facets: The entities with how many of the results mention each.
    """

    seq: int
    query: str
    facets: list[Facet] = field(default_factory=list)


@dataclass
class EntitiesLoaded(Message):
    """A page of an entity listing (the entity browser, the merge picker).

    Attributes:
        seq: The listing request number it answers.
        offset: The offset of this page.
        entities: The entities.
        done: True when no further page exists.
        highlighted: The entity to highlight once shown (None: keep or the first).
    """

    seq: int
    offset: int
    entities: list[Entity] = field(default_factory=list)
    done: bool = False
    highlighted: int | None = None


@dataclass
class EntityPageLoaded(Message):
    """An entity page and the first page of its mentions.

    Attributes:
        seq: The load request number it answers.
        key: The entity key asked for.
        page: The entity page, or None when no entity has that key.
        mentions: The first page of its mentions, newest first.
        done: True when no further page of mentions exists.
    """

    seq: int
    key: str
    page: EntityPage | None
    mentions: list[Mention] = field(default_factory=list)
    done: bool = False


@dataclass
class CurationDone(Message):
    """A curation edit (merge, hide, rename, ...) or an undo finished.

    Posted to the app, which records the undo snapshot and refreshes every
    screen that shows entities.

    Attributes:
        text: The curator's one-line message (or the error).
        undo: An entry to push on the undo stack, ``(aliases.toml before the
            edit or None when there was no file, what the edit did)``: the
            edit's own after a success, the undone one back after a failed undo.
        error: True when it failed (``text`` says why).
    """

    text: str
    undo: tuple[str | None, str] | None = None
    error: bool = False


@dataclass
class OpenArticle(Message):
    """Close the screens over the reader and open an article there.

    Attributes:
        article_id: The article.
        cursor: Body offset of the entity to put the cursor on, or None.
        mark: A ``(start, end)`` body range to mark (a mention), or None.
    """

    article_id: str
    cursor: int | None = None
    mark: tuple[int, int] | None = None


@dataclass
class SearchEntity(Message):
    """Close the screens over the reader and search it for the articles with an entity.

    Attributes:
        key: The entity key.
    """

    key: str

"""Messages that thread workers post back to the reader's UI thread.

Each carries a sequence number (or a key) so that the receiver can drop the
answer to a request that has since been superseded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.message import Message

from index.models import ArticleView, Entity, Mention, Page

__all__ = ["ArticleLoaded", "MentionsLoaded", "ResultsLoaded", "WorkFailed"]


@dataclass
class ResultsLoaded(Message):
    """A page of results (search or newest) is ready.

    Attributes:
        seq: The search request number it answers.
        page: The page of hits.
        append: True for a further page of the same query, False for a new one.
        error: A one-line query error instead of results ("" when none).
    """

    seq: int
    page: Page
    append: bool = False
    error: str = ""


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

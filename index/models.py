"""Plain dataclasses that cross from the library to its readers.

Nothing here holds a spaCy, Whoosh or SQLite object: every value is a plain
Python type, so the reader and the CLI can use them without importing the
machinery that produced them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "ENTITY_FIELDS",
    "NAMED_LABELS",
    "PLACE_LABELS",
    "Article",
    "ArticleView",
    "Cooccurrence",
    "EnrichedArticle",
    "Entity",
    "EntityPage",
    "EntitySpan",
    "Facet",
    "Hit",
    "IngestError",
    "Mention",
    "Page",
    "Sentence",
]

#: The entity kinds the reader and the mention lists show by default.
NAMED_LABELS: tuple[str, ...] = (
    "PERSON",
    "ORG",
    "GPE",
    "LOC",
    "NORP",
    "FAC",
    "EVENT",
    "PRODUCT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
)

#: Labels searched by the ``place:`` query field.
PLACE_LABELS: tuple[str, ...] = ("GPE", "LOC", "FAC")

#: Entity-kind query fields and the (majority) labels they match. They are
#: resolved through the store to the names of the matching entities.
ENTITY_FIELDS: dict[str, tuple[str, ...]] = {
    "person": ("PERSON",),
    "org": ("ORG",),
    "place": PLACE_LABELS,
}


@dataclass(slots=True)
class Article:
    """One article as ingested: cleaned text and its metadata.

    Attributes:
        id: Stable id: the same source and content always give the same id.
        title: The title (cleaned), never empty.
        body: The cleaned body; every offset in the library refers to it.
        date: ISO 8601 date or datetime, or None when unknown.
        source: The publication or feed it came from ("" when unknown).
        url: The article's URL ("" when unknown).
        author: The author ("" when unknown).
        path: The file the article was read from.
        line: The line (JSONL) or entry number (feeds) inside that file, or None.
    """

    id: str
    title: str
    body: str
    date: str | None = None
    source: str = ""
    url: str = ""
    author: str = ""
    path: str = ""
    line: int | None = None


@dataclass(slots=True, frozen=True)
class EntitySpan:
    """One entity mention inside an article body.

    Attributes:
        start: Offset of the first character in the body.
        end: Offset one past the last character.
        label: The spaCy label (PERSON, ORG, GPE, DATE, ...).
        text: The surface text, exactly ``body[start:end]``.
        key: The stable key of the entity the mention belongs to
            (``LABEL:normal name``), filled in by the library; "" straight out
            of the enrichment stage.
        name: The entity's display name, filled in by the library ("" before).
    """

    start: int
    end: int
    label: str
    text: str
    key: str = ""
    name: str = ""


@dataclass(slots=True, frozen=True)
class Sentence:
    """A sentence's character range inside an article body."""

    start: int
    end: int


@dataclass(slots=True)
class EnrichedArticle:
    """An article with the output of the enrichment stage."""

    article: Article
    entities: list[EntitySpan] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)


@dataclass(slots=True, frozen=True)
class IngestError:
    """A one-line error about one input.

    Attributes:
        path: The file the error is about.
        reason: What went wrong, in words a user understands.
        line: The line (or entry) number inside the file, when it applies.
    """

    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"


@dataclass(slots=True, frozen=True)
class Entity:
    """An entity with its precomputed counts.

    Attributes:
        key: The stable key ``LABEL:normal name`` (the label is the corpus-wide
            majority label; the name is the normal form of its root name).
        name: The display name (the user's rename, if any).
        label: The majority label.
        articles: How many articles mention it.
        mentions: How many mentions it has.
        aliases: Its top surface forms with their mention counts, most first
            (filled by the calls that say so).
        hidden: Hidden by the user as a false positive.
    """

    key: str
    name: str
    label: str
    articles: int = 0
    mentions: int = 0
    aliases: tuple[tuple[str, int], ...] = ()
    hidden: bool = False


@dataclass(slots=True, frozen=True)
class Cooccurrence:
    """An entity that appears with another one.

    Attributes:
        entity: The other entity.
        sentences: Sentences the two share.
        articles: Articles the two share.
    """

    entity: Entity
    sentences: int
    articles: int


@dataclass(slots=True, frozen=True)
class Facet:
    """An entity among a set of search results.

    Attributes:
        entity: The entity.
        articles: How many of the results mention it.
    """

    entity: Entity
    articles: int


@dataclass(slots=True)
class EntityPage:
    """Everything the entity page and ``newsdesk entity --json`` show.

    Attributes:
        entity: The entity with its counts.
        aliases: Every surface form with its mention count, most first.
        labels: Mentions per spaCy label (the majority gave ``entity.label``).
        timeline: ``(YYYY-MM, mentions)`` for every month from the first to the
            last dated mention, zeros included.
        cooccurring: The entities sharing the most sentences (then articles).
        undated: Mentions in undated articles (not on the timeline).
    """

    entity: Entity
    aliases: list[tuple[str, int]] = field(default_factory=list)
    labels: dict[str, int] = field(default_factory=dict)
    timeline: list[tuple[str, int]] = field(default_factory=list)
    cooccurring: list[Cooccurrence] = field(default_factory=list)
    undated: int = 0


@dataclass(slots=True, frozen=True)
class Mention:
    """One mention of an entity, with its sentence, for the related-mentions lists.

    Attributes:
        article_id: The article the mention is in.
        title: That article's title.
        date: That article's date (ISO) or None.
        start: Offset of the mention in the article body.
        end: End offset of the mention in the article body.
        text: The surface text of the mention.
        context: The sentence that holds the mention.
        context_start: Offset of that sentence in the body, so that
            ``start - context_start`` locates the mention inside ``context``.
        key: The entity key.
    """

    article_id: str
    title: str
    date: str | None
    start: int
    end: int
    text: str
    context: str
    context_start: int
    key: str


@dataclass(slots=True, frozen=True)
class Hit:
    """One search result.

    Attributes:
        id: The article id.
        title: The article title.
        date: ISO date or None.
        source: The article source.
        score: The ranking score (0 for unranked listings).
        snippet: A plain-text excerpt of the body around the matches.
        highlights: ``(start, end)`` offsets of the matched words inside ``snippet``.
        title_highlights: ``(start, end)`` offsets of matched words inside ``title``.
    """

    id: str
    title: str
    date: str | None
    source: str
    score: float
    snippet: str
    highlights: list[tuple[int, int]] = field(default_factory=list)
    title_highlights: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True, frozen=True)
class Page:
    """One page of search results.

    Attributes:
        query: The query as the user typed it.
        total: How many articles match in all.
        hits: The hits on this page, best first.
        offset: The rank of the first hit on this page (0-based).
        exact: Whether ``total`` is exact; a large total is Whoosh's estimate
            (an upper bound), so that counting never slows a search down.
    """

    query: str
    total: int
    hits: list[Hit]
    offset: int = 0
    exact: bool = True


@dataclass(slots=True)
class ArticleView:
    """An article ready to show: its fields and its entity spans, sorted by start."""

    article: Article
    entities: list[EntitySpan] = field(default_factory=list)
